"""Machine translation: Argos Translate packages (install, lookup) and a batched engine.

argostranslate is used for what it does well: the package format, the package index and
where packages live. Translation itself goes straight through `ctranslate2.Translator` on
the package's model, because argostranslate's `translate()` cannot batch across sentences,
caps every sentence at 256 tokens and turns every `_` into a space; the workbench segments
text itself, so argostranslate's sentence splitter (which may download) is never used.

argostranslate, ctranslate2 and sentencepiece are imported inside functions, so the rest of
the workbench starts fast and works without them.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from workbench.core.atomic import atomic_write_bytes
from workbench.core.errors import ModelError

if TYPE_CHECKING:
    from workbench.core.project import Project

Progress = Callable[[int, int], None]
"""progress(done, total): called from the translating thread after each batch."""

INDEX_TIMEOUT = 4.0
"""Seconds allowed to fetch the package index: offline, `install ja-en` fails within this."""

DOWNLOAD_TIMEOUT = 30.0
"""Seconds a package download may stall (per read) before it is abandoned."""

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

INSTALL_HINT = ("install one from a file: `workbench models install "
                "translate-ja_en-1_1.argosmodel` (download it on any connected machine from "
                "https://www.argosopentech.com/argospm/index/), or online: "
                "`workbench models install ja-en`.")

_PAIR = re.compile(r"(?:translate-)?([a-z]{2,3})[-_]([a-z]{2,3})")
_BREAK_AFTER = re.compile(r"[。．.！!？?、，,；;：:）)」』\]]$")


# ==================================================================== packages
@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos Translate package (`name` is its folder in the packages folder)."""

    name: str
    version: str
    from_code: str
    to_code: str
    path: Path
    code: str = ""
    """The package code of the index (e.g. `translate-ja_en`); `name` when it has none."""

    @property
    def size(self) -> int:
        """Bytes on disk."""
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def packages_dir() -> Path:
    """The folder Argos packages are installed in: $ARGOS_PACKAGES_DIR, else argostranslate's.

    Read on every call (argostranslate reads it once, at import), so a changed environment
    (tests, a second project) is honoured.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    from argostranslate import settings

    return Path(settings.get_setting("ARGOS_PACKAGES_DIR",
                                     default=settings.data_dir / "packages")).expanduser()


def list_models() -> list[ModelInfo]:
    """Installed packages, by name; folders that are not readable packages are skipped."""
    folder = packages_dir()
    if not folder.is_dir():
        return []
    models = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            info = _read_installed(path)
            if info is not None:
                models.append(info)
    return models


def find_model(from_code: str = "ja", to_code: str = "en") -> ModelInfo:
    """The installed translation package for a pair (the newest version if several)."""
    found = [m for m in list_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not found:
        raise ModelError(f"no {from_code}→{to_code} translation model is installed "
                         f"(packages folder {packages_dir()})", hint=INSTALL_HINT)
    return max(found, key=lambda m: (_version_key(m.version), m.name))


def remove_model(name: str) -> None:
    """Uninstall a package by folder name, code (`translate-ja_en`) or pair (`ja-en`)."""
    models = list_models()
    exact = [m for m in models if m.name == name]
    matches = exact or [m for m in models if m.code == name or _pair_of(name) == (
        m.from_code, m.to_code)]
    if not matches:
        installed = ", ".join(m.name for m in models) or "none"
        raise ModelError(f"no installed model {name!r}", path=packages_dir(),
                         hint=f"installed: {installed}")
    if len(matches) > 1:
        raise ModelError(f"{name!r} matches several models: "
                         f"{', '.join(m.name for m in matches)}", hint="name one of them.")
    target = matches[0].path
    # Move it out, then delete: the package disappears at once, never half-deleted
    # (argostranslate fails on any folder without metadata.json in the packages folder).
    trash = _staging_dir(target.parent)
    try:
        os.replace(target, trash / target.name)
    except OSError as exc:
        raise ModelError(f"cannot remove: {exc.strerror}", path=target) from None
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def install_model(source: str | Path, *, progress: Progress | None = None) -> ModelInfo:
    """Install from a local `.argosmodel` file, or a pair such as `ja-en` from the index.

    A file is validated completely before anything is written; a pair needs the network
    and fails within INDEX_TIMEOUT seconds without it. `progress(bytes, total)` follows a
    download.
    """
    path = Path(source).expanduser()
    if isinstance(source, Path) or path.exists() or path.suffix == ".argosmodel" or "/" in str(
            source):
        return _install_file(path)
    pair = _pair_of(str(source))
    if pair is None:
        raise ModelError(f"{source!r} is neither a .argosmodel file nor a language pair",
                         hint="give a path to a .argosmodel file, or a pair such as `ja-en`.")
    return _install_from_index(*pair, progress=progress)


@dataclass(frozen=True)
class _Checked:
    top: str
    metadata: dict[str, Any]


def check_package_file(path: Path) -> dict[str, Any]:
    """Validate a `.argosmodel` without writing anything; return its metadata.

    ModelError names the first problem: not a zip, not exactly one top-level folder, an
    unsafe entry, metadata.json without from_code/to_code, no CTranslate2 model in
    `model/`, no readable `sentencepiece.model` or `bpe.model`.
    """
    return _check_package(path).metadata


def _check_package(path: Path) -> _Checked:
    def refuse(reason: str) -> ModelError:
        return ModelError(f"not a usable Argos package: {reason}", path=path,
                          hint="an .argosmodel is a zip of one folder holding metadata.json, "
                               "model/ (CTranslate2) and sentencepiece.model or bpe.model.")

    if not path.is_file():
        raise ModelError("no such file" if not path.exists() else "is not a file", path=path,
                         hint=INSTALL_HINT)
    if not zipfile.is_zipfile(path):
        raise refuse("not a zip archive")
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename for i in zf.infolist()]
            tops = set()
            for name in names:
                parts = PurePosixPath(name).parts
                if (not parts or name.startswith(("/", "\\")) or "\\" in name
                        or ".." in parts or ":" in parts[0]):
                    raise refuse(f"unsafe entry {name!r}")
                tops.add(parts[0])
                if len(parts) == 1 and not name.endswith("/"):
                    raise refuse(f"{name!r} lies outside the package folder "
                                 "(expected exactly one top-level folder)")
            if len(tops) != 1:
                listing = ", ".join(sorted(tops)[:5]) or "nothing"
                raise refuse(f"expected exactly one top-level folder, found {listing}")
            top = tops.pop()
            if top.startswith("."):
                raise refuse(f"hidden top-level folder {top!r}")
            files = {n[len(top) + 1:] for n in names if not n.endswith("/")}
            metadata = _check_metadata(zf, f"{top}/metadata.json", files, refuse)
            _check_model(zf, top, files, refuse)
            _check_tokenizer(zf, top, files, refuse)
    except zipfile.BadZipFile as exc:
        raise refuse(f"damaged zip archive ({exc})") from None
    return _Checked(top, metadata)


def _check_metadata(zf: zipfile.ZipFile, name: str, files: set[str],
                    refuse: Callable[[str], ModelError]) -> dict[str, Any]:
    if "metadata.json" not in files:
        raise refuse("no metadata.json in the package folder")
    try:
        metadata = json.loads(zf.read(name).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(f"metadata.json is not valid JSON ({exc})") from None
    if not isinstance(metadata, dict):
        raise refuse("metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise refuse(f"metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise refuse(f"a {metadata['type']!r} package, not a translation package")
    return metadata


def _check_model(zf: zipfile.ZipFile, top: str, files: set[str],
                 refuse: Callable[[str], ModelError]) -> None:
    if "model/model.bin" not in files:
        raise refuse("no CTranslate2 model (model/model.bin)")
    vocabularies = {"shared_vocabulary.json", "shared_vocabulary.txt", "source_vocabulary.json",
                    "source_vocabulary.txt"}
    if not any(f"model/{v}" in files for v in vocabularies):
        raise refuse("the CTranslate2 model in model/ has no vocabulary file")
    # model.bin starts with a uint32 format version, then (version ≥ 2) the spec name as a
    # uint16-length string, e.g. 6, "TransformerSpec".
    with zf.open(f"{top}/model/model.bin") as fh:
        head = fh.read(64)
    version = int.from_bytes(head[:4], "little") if len(head) >= 4 else 0
    ok = 1 <= version <= 64
    if ok and version >= 2:
        size = int.from_bytes(head[4:6], "little")
        spec = head[6:6 + size].rstrip(b"\0")
        ok = 0 < size <= len(head) - 6 and spec.endswith(b"Spec") and spec.isascii()
    if not ok:
        raise refuse("model/model.bin is not a CTranslate2 model")


def _check_tokenizer(zf: zipfile.ZipFile, top: str, files: set[str],
                     refuse: Callable[[str], ModelError]) -> None:
    if "sentencepiece.model" in files:
        import sentencepiece as spm

        try:
            spm.SentencePieceProcessor(model_proto=zf.read(f"{top}/sentencepiece.model"))
        except (RuntimeError, OSError, TypeError):
            raise refuse("sentencepiece.model is not a SentencePiece model") from None
    elif "bpe.model" not in files:
        raise refuse("no tokenizer (sentencepiece.model or bpe.model)")


def _install_file(path: Path) -> ModelInfo:
    checked = _check_package(path)
    folder = packages_dir()
    target = folder / checked.top
    code = _code_of(checked.metadata, checked.top)
    version = str(checked.metadata.get("package_version", ""))
    for model in list_models():
        if model.name == checked.top or (model.code, model.version) == (code, version):
            raise ModelError(f"{code} {version} is already installed as {model.name}",
                             path=path, hint=f"to replace it: `workbench models remove "
                                             f"{model.name}`, then install again.")
    if target.exists():
        raise ModelError(f"{target} is in the way (not a readable package)", path=path,
                         hint="move that folder aside and install again.")
    folder.mkdir(parents=True, exist_ok=True)
    staging = _staging_dir(folder)
    try:
        with zipfile.ZipFile(path) as zf:
            zf.extractall(staging)
        # The package appears whole or not at all: argostranslate lists every folder here.
        os.replace(staging / checked.top, target)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"cannot install: {exc}", path=path) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    info = _read_installed(target)
    if info is None:  # checked above; only a concurrent change gets here
        raise ModelError("the installed package cannot be read", path=target)
    return info


def _staging_dir(folder: Path) -> Path:
    """A temp folder on the packages folder's file system, outside it where possible."""
    for parent in (folder.parent, folder):
        with contextlib.suppress(OSError):
            staging = Path(tempfile.mkdtemp(prefix=".workbench-install-", dir=parent))
            if staging.stat().st_dev == folder.stat().st_dev:
                return staging
            shutil.rmtree(staging, ignore_errors=True)
    raise ModelError("cannot write to the packages folder", path=folder)


def _read_installed(path: Path) -> ModelInfo | None:
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        return None
    return ModelInfo(name=path.name, version=str(metadata.get("package_version", "")),
                     from_code=from_code, to_code=to_code, path=path,
                     code=_code_of(metadata, path.name))


def _code_of(metadata: dict[str, Any], fallback: str) -> str:
    code = metadata.get("code")
    if isinstance(code, str) and code:
        return code
    return f"translate-{metadata['from_code']}_{metadata['to_code']}" if metadata.get(
        "from_code") else fallback


def _pair_of(text: str) -> tuple[str, str] | None:
    match = _PAIR.fullmatch(text.strip())
    return (match.group(1), match.group(2)) if match else None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


# -------------------------------------------------------------------- the index
def _install_from_index(from_code: str, to_code: str, *, progress: Progress | None) -> ModelInfo:
    """Refresh argostranslate's package index, then download and install the pair's package.

    argostranslate's `get_available_packages()` recurses for ~50 s when there is no local
    index and no network, so the index is fetched here first, with a deadline.
    """
    from argostranslate import package, settings

    offline_hint = (f"offline? on a connected machine, download the {from_code}→{to_code} "
                    f"package (translate-{from_code}_{to_code}-….argosmodel) from "
                    "https://www.argosopentech.com/argospm/index/, then `workbench models "
                    f"install path/to/translate-{from_code}_{to_code}-….argosmodel`.")
    try:
        data = _fetch(settings.remote_package_index, INDEX_TIMEOUT)
        index = json.loads(data.decode("utf-8"))
        if not isinstance(index, list):
            raise ValueError("not a list of packages")
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot reach the Argos package index at "
                         f"{settings.remote_package_index} ({_reason(exc)})",
                         hint=offline_hint) from None
    atomic_write_bytes(Path(settings.local_package_index), data)
    candidates = [p for p in package.get_available_packages()
                  if getattr(p, "type", "translate") == "translate"
                  and (p.from_code, p.to_code) == (from_code, to_code)]
    if not candidates:
        raise ModelError(f"the Argos package index has no {from_code}→{to_code} package",
                         hint="language codes are ISO 639, e.g. `ja-en`.")
    best = max(candidates, key=lambda p: _version_key(p.package_version))
    downloads = Path(settings.downloads_dir)
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / f"{package.argospm_package_name(best)}-{best.package_version}.argosmodel"
    errors = []
    for url in best.links:
        try:
            _download(url, target, progress)
            break
        except OSError as exc:
            errors.append(f"{url}: {_reason(exc)}")
    else:
        raise ModelError(f"cannot download {best.code or best} {best.package_version}: "
                         + ("; ".join(errors) or "the index lists no link"), hint=offline_hint)
    try:
        return _install_file(target)
    finally:
        target.unlink(missing_ok=True)


def _fetch(url: str, timeout: float) -> bytes:
    """GET `url` within `timeout` seconds overall (name lookup included)."""
    box: dict[str, Any] = {}

    def get() -> None:
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                box["data"] = response.read()
        except Exception as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=get, name="workbench-index", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {timeout:g} s")
    if "error" in box:
        error = box["error"]
        raise error if isinstance(error, OSError | ValueError) else OSError(str(error))
    data: bytes = box["data"]
    return data


def _download(url: str, target: Path, progress: Progress | None) -> None:
    partial = target.with_name(target.name + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response, \
                open(partial, "wb") as fh:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 20):
                fh.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason if reason is not None else exc) or type(exc).__name__


# ==================================================================== the engine
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


# ==================================================================== the project
@dataclass(frozen=True)
class TranslateReport:
    """What `translate_project` did: newly translated, taken from the cache, already done."""

    translated: int
    cached: int
    skipped: int
    cancelled: bool
    engine_id: str
    seconds: float
    truncated: int = 0
    docs: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        """Newly translated segments per second."""
        return self.translated / self.seconds if self.seconds > 0 else 0.0


def translate_project(project: Project, docs: Sequence[str] | None = None, *, engine: Engine,
                      progress: Progress | None = None,
                      cancel: threading.Event | None = None) -> TranslateReport:
    """Machine-translate the active segments of `docs` (all documents when None).

    Segments whose MT already comes from this engine are skipped; texts the engine has
    translated before come from the cache; the rest are translated in batches, each stored
    (`set_mt`, `cache_mt`) as soon as it is done, so a cancel keeps the work finished so far.
    `progress(done, total)` counts segments still to translate when the run started.
    """
    start = time.monotonic()
    engine_id = engine.engine_id
    names = list(docs) if docs is not None else [d.name for d in project.documents()]
    segments = [s for doc in names for s in project.segments(doc)]
    todo = [s for s in segments if not (s.mt is not None and s.mt_engine == engine_id)]
    skipped = len(segments) - len(todo)
    cached = project.cached_mt((s.source for s in todo), engine_id)
    hits = [(s.id, cached[s.source], engine_id) for s in todo if s.source in cached]
    if hits:
        project.set_mt(hits)
    ids_by_source: dict[str, list[str]] = {}
    for s in todo:
        if s.source not in cached:
            ids_by_source.setdefault(s.source, []).append(s.id)
    sources = list(ids_by_source)
    total = sum(len(ids) for ids in ids_by_source.values())
    done = 0
    truncated_before = engine.truncated
    if progress is not None:
        progress(0, total)
    for batch in engine.translate_batches(sources, cancel=cancel) if sources else ():
        pairs = [(sources[i], text) for i, text in batch]
        project.cache_mt(pairs, engine_id)
        project.set_mt([(seg_id, text, engine_id) for source, text in pairs
                        for seg_id in ids_by_source[source]])
        done += sum(len(ids_by_source[source]) for source, _ in pairs)
        if progress is not None:
            progress(done, total)
    return TranslateReport(translated=done, cached=len(hits), skipped=skipped,
                           cancelled=done < total, engine_id=engine_id,
                           seconds=time.monotonic() - start,
                           truncated=engine.truncated - truncated_before, docs=names)
