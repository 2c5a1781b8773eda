"""The batched MT engine: an Argos package's model run straight through CTranslate2.

Translation goes straight through `ctranslate2.Translator` on the package's model, because
argostranslate's `translate()` cannot batch across sentences, caps every sentence at 256
tokens and turns every `_` into a space; the workbench segments text itself, so
argostranslate's sentence splitter (which may download) is never used. ctranslate2 and
sentencepiece are imported inside functions."""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from workbench.core.errors import ModelError
from workbench.core.mt.packages import ModelInfo, Progress

DEFAULT_BEAM_SIZE = 4
"""argostranslate's own default: the setting the Argos packages are published with."""

DEFAULT_BATCH_SIZE = 32
"""Sentences per CTranslate2 batch; see `default_threads` for the measurement behind it."""

LENGTH_PENALTY = 0.2
"""argostranslate's length penalty, kept so the MT reads like argostranslate's."""

MAX_INPUT_TOKENS = 1000
"""Longer inputs are cut into pieces of at most this many tokens (after punctuation where
possible) and their outputs joined: CTranslate2 silently truncates inputs at 1024 tokens
by default, and a model's table of positions may end there (it then fails)."""

DECODE_RATIO, DECODE_MARGIN = 2.0, 16
"""max_decoding_length = ratio × longest input of the batch + margin; an output that reaches
it is decoded again with a 4× limit, so nothing is cut short silently."""


_BREAK_AFTER = re.compile(r"[。．.！!？?、，,；;：:）)」』\]]$")


class Cancelled(Exception):
    """`Engine.translate` was cancelled; `done` maps input indexes to their translations."""

    def __init__(self, done: dict[int, str]) -> None:
        super().__init__(f"cancelled after {len(done)} translations")
        self.done = done


def default_threads(device: str = "cpu") -> tuple[int, int]:
    """(inter_threads, intra_threads) for this machine: on CPU one single-threaded
    translator per core, on a GPU one translator.

    Measured with tests/benchmarks/bench_mt.py --sweep (stand-in of realistic size: 6+6
    layers, d_model 512, 32k vocabulary, int8; 300 seed sentences, beam 4, best of 3) on
    this 2-core machine, in sentences/s: inter=2 intra=1: 40.9; inter=2 intra=0: 35.7;
    inter=4 intra=1: 33.9; inter=1 intra=2: 27.4; inter=1 intra=0 (CTranslate2's and
    argostranslate's default): 27.1; inter=1 intra=1: 21.4. Batches of 32: 40.9, of 16:
    40.2, of 64: 33.4 (too few batches to share between the translators).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    if device != "cpu":
        return 1, 1
    return max(1, cores), 1


class Engine:
    """Batched translation straight through CTranslate2 on an installed package's model.

    Inputs are SentencePiece-encoded, sorted by length and cut into batches; batches run
    on `inter_threads` translators at once. Outputs come back in input order. The
    tokenizer's own decoding is used (argostranslate's turns every `_` into a space).
    """

    def __init__(self, model: ModelInfo, *, device: str = "cpu",
                 beam_size: int = DEFAULT_BEAM_SIZE, batch_size: int = DEFAULT_BATCH_SIZE,
                 compute_type: str = "auto", inter_threads: int | None = None,
                 intra_threads: int | None = None) -> None:
        import ctranslate2

        if beam_size < 1 or batch_size < 1:
            raise ModelError("beam size and batch size must be at least 1")
        default_inter, default_intra = default_threads(device)
        self.model = model
        self.device = device
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.inter_threads = inter_threads or default_inter
        self.intra_threads = intra_threads if intra_threads is not None else default_intra
        self._tokenizer = _load_tokenizer(model)
        try:
            self._translator = ctranslate2.Translator(
                str(model.path / "model"), device=device, compute_type=compute_type,
                inter_threads=self.inter_threads, intra_threads=self.intra_threads)
        except (RuntimeError, ValueError) as exc:
            hint = ("is CTranslate2 built with CUDA, and is a GPU visible?" if device != "cpu"
                    else "reinstall the package: `workbench models remove` then `install`.")
            raise ModelError(f"cannot load the model on {device}: {exc}", path=model.path,
                             hint=hint) from None
        self._target_prefix = _target_prefix(model)
        self._end_token = _special_token(model, "eos_token", "</s>")
        self._unk_token = _special_token(model, "unk_token", "<unk>")
        self.compute_type: str = self._translator.compute_type
        self.engine_id: str = (f"{model.code or model.name}@{model.version or '?'}"
                               f" beam={beam_size} lp={LENGTH_PENALTY:g} {self.compute_type}")
        self.truncated = 0
        """Outputs that hit the decoding limit even after the retry (not expected)."""

    def __repr__(self) -> str:
        return (f"Engine({self.engine_id!r}, device={self.device!r}, "
                f"threads={self.inter_threads}x{self.intra_threads}, batch={self.batch_size})")

    def translate(self, texts: Sequence[str], *, progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> list[str]:
        """Translations of `texts`, one per input, in order.

        `progress(done, total)` counts inputs. When `cancel` is set, the batches under way
        finish and `Cancelled` is raised with what was translated.
        """
        done: dict[int, str] = {}
        total = len(texts)
        for batch in self.translate_batches(texts, cancel=cancel):
            done.update(batch)
            if progress is not None:
                progress(len(done), total)
        if len(done) < total:
            raise Cancelled(done)
        return [done[i] for i in range(total)]

    def translate_batches(self, texts: Sequence[str], *, cancel: threading.Event | None = None
                          ) -> Iterator[list[tuple[int, str]]]:
        """Translate `texts`, yielding each batch as (input index, translation) pairs.

        Batches are yielded in the order they finish (shortest inputs first). Stopping the
        iteration, or setting `cancel`, submits no more batches.
        """
        units, chunks_of = self._encode(texts)
        pending: list[tuple[list[int], Any]] = []
        outputs: dict[int, list[str]] = {}
        owner = {u: i for i, parts in chunks_of.items() for u in parts}
        remaining = {i: len(parts) for i, parts in chunks_of.items()}
        empty = [(i, "") for i, parts in chunks_of.items() if not parts]
        if empty:
            yield empty
        batches = iter(self._batches(units))
        # Batches in flight: two per translator keeps each busy while results are collected
        # in order (measured: 40.5 sentences/s vs 37.3 with 1.5 per translator, 31.1 with one).
        depth = 2 * self.inter_threads

        while True:
            while len(pending) < depth and not (cancel is not None and cancel.is_set()):
                batch = next(batches, None)
                if batch is None:
                    break
                pending.append((batch, self._submit([units[u] for u in batch])))
            if not pending:
                return
            batch, futures = pending.pop(0)
            tokens = self._collect([units[u] for u in batch], futures)
            finished = []
            for u, out in zip(batch, tokens, strict=True):
                outputs[u] = out
                i = owner[u]
                remaining[i] -= 1
                if remaining[i] == 0:
                    joined = [t for part in chunks_of[i] for t in outputs.pop(part)]
                    finished.append((i, self._tokenizer.decode(joined)))
            if finished:
                yield finished

    # ---------------------------------------------------------------- internals
    def _encode(self, texts: Sequence[str]) -> tuple[list[list[str]], dict[int, list[int]]]:
        """Token lists to translate, and for each input the indexes of its pieces."""
        units: list[list[str]] = []
        chunks_of: dict[int, list[int]] = {}
        encoded = self._tokenizer.encode([t if t.strip() else "" for t in texts])
        for i, (text, tokens) in enumerate(zip(texts, encoded, strict=True)):
            chunks_of[i] = []
            if not text.strip():
                continue
            for piece in _split_long(tokens, MAX_INPUT_TOKENS):
                chunks_of[i].append(len(units))
                units.append(piece)
        return units, chunks_of

    def _batches(self, units: list[list[str]]) -> list[list[int]]:
        # Sorting by length keeps padding low; longest first makes the ETA err on the safe
        # side and puts the peak memory use at the start.
        order = sorted(range(len(units)), key=lambda u: -len(units[u]))
        # A short job is shared between all translators rather than left to one.
        size = max(1, min(self.batch_size, math.ceil(len(order) / self.inter_threads)))
        return [order[i:i + size] for i in range(0, len(order), size)]

    def _options(self, batch: list[list[str]], ratio: float) -> dict[str, Any]:
        longest = max(len(tokens) for tokens in batch)
        return {
            "beam_size": self.beam_size,
            "length_penalty": LENGTH_PENALTY,
            "max_input_length": 0,  # never truncate: long inputs are split in _encode
            "max_decoding_length": math.ceil(ratio * longest) + DECODE_MARGIN,
            "return_end_token": True,  # tells a finished output from one cut at the limit
            "target_prefix": ([self._target_prefix] * len(batch) if self._target_prefix
                              else None),
        }

    def _submit(self, batch: list[list[str]]) -> Any:
        return self._translator.translate_batch(batch, asynchronous=True,
                                                **self._options(batch, DECODE_RATIO))

    def _collect(self, batch: list[list[str]], futures: Any) -> list[list[str]]:
        out = [f.result().hypotheses[0] for f in futures]
        # Decode again what reached the length limit (with room to finish) and what holds
        # an unknown token (asking for the source word in its place: `replace_unknowns`
        # needs the attention vectors, which made long inputs ~30x slower when always on).
        again = [k for k, tokens in enumerate(out)
                 if not tokens or tokens[-1] != self._end_token or self._unk_token in tokens]
        if again:
            sources = [batch[k] for k in again]
            results = self._translator.translate_batch(
                sources, **self._options(sources, 4 * DECODE_RATIO), replace_unknowns=True)
            for k, result in zip(again, results, strict=True):
                out[k] = result.hypotheses[0]
        cleaned = []
        for tokens in out:
            if tokens and tokens[-1] == self._end_token:
                tokens = tokens[:-1]
            else:
                self.truncated += 1
            n = len(self._target_prefix)
            if n and tokens[:n] == self._target_prefix:
                tokens = tokens[n:]
            cleaned.append(tokens)
        return cleaned

class _Tokenizer:
    def encode(self, texts: list[str]) -> list[list[str]]:
        raise NotImplementedError

    def decode(self, tokens: list[str]) -> str:
        raise NotImplementedError


class _SentencePiece(_Tokenizer):
    """The package's SentencePiece model; decoding keeps `_` (argostranslate's does not)."""

    def __init__(self, path: Path) -> None:
        import sentencepiece as spm

        self._sp = spm.SentencePieceProcessor(model_file=str(path))

    def encode(self, texts: list[str]) -> list[list[str]]:
        encoded: list[list[str]] = self._sp.encode(texts, out_type=str)
        return encoded

    def decode(self, tokens: list[str]) -> str:
        text: str = self._sp.decode_pieces(tokens)
        return text.strip()


class _ArgosBPE(_Tokenizer):
    """Older packages ship Moses + BPE (`bpe.model`): argostranslate's tokenizer does it."""

    def __init__(self, model: ModelInfo) -> None:
        from argostranslate.tokenizer import BPETokenizer

        self._bpe = BPETokenizer(model.path / "bpe.model", model.from_code, model.to_code)

    def encode(self, texts: list[str]) -> list[list[str]]:
        return [self._bpe.encode(t) if t else [] for t in texts]

    def decode(self, tokens: list[str]) -> str:
        return str(self._bpe.decode(tokens)).strip()


def _load_tokenizer(model: ModelInfo) -> _Tokenizer:
    try:
        if (model.path / "sentencepiece.model").is_file():
            return _SentencePiece(model.path / "sentencepiece.model")
        if (model.path / "bpe.model").is_file():
            return _ArgosBPE(model)
    except (OSError, RuntimeError) as exc:
        raise ModelError(f"cannot load the tokenizer: {exc}", path=model.path) from None
    raise ModelError("the package has no tokenizer (sentencepiece.model or bpe.model)",
                     path=model.path, hint="reinstall it from its .argosmodel file.")


def _target_prefix(model: ModelInfo) -> list[str]:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        prefix = json.loads((model.path / "metadata.json").read_text("utf-8")).get(
            "target_prefix")
        if isinstance(prefix, str) and prefix:
            return [prefix]
    return []


def _special_token(model: ModelInfo, key: str, default: str) -> str:
    """A special token as the CTranslate2 model's config.json names it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        token = json.loads((model.path / "model" / "config.json").read_text("utf-8")).get(key)
        if isinstance(token, str) and token:
            return token
    return default


def _split_long(tokens: list[str], limit: int) -> list[list[str]]:
    """Cut a token list into pieces of at most `limit`, after punctuation where possible."""
    pieces = []
    while len(tokens) > limit:
        cut = next((k + 1 for k in range(limit - 1, limit // 2, -1)
                    if _BREAK_AFTER.search(tokens[k])), limit)
        pieces.append(tokens[:cut])
        tokens = tokens[cut:]
    if tokens:
        pieces.append(tokens)
    return pieces
