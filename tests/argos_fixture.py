"""A tiny ja→en Argos Translate package built at test time, offline, in a fraction of a second.

The CTranslate2 model is an *echo* model with hand-set weights: it copies its source
SentencePiece pieces, so a translation equals its input (after the SentencePiece round trip).
The residual stream is [content | position]; every layer is an identity (zero weights) except
the first decoder layer's cross-attention, whose heads match decoder step t to source
position t (sinusoid features) and copy that piece's content vector to the output projection.
`add_source_eos` makes the copied `</s>` end decoding. Derived from
../shared/reference/argos_echo_fixture.py.

The same builder makes the benchmark's stand-in of realistic size
(`build_fixture(path, **REALISTIC)`: 6+6 layers, d_model 512, 32k vocabulary, int8).

The pytest fixtures built on it (`fixture_package`, `argos_packages_dir`, `installed_model`)
are in tests/conftest.py.
"""

from __future__ import annotations

import io
import json
import struct
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    pass

CORPUS = """これはテストです。翻訳のレビューを行います。原文と訳文を比較してください。
アゼルバイジャンとロシアの関係について説明します。両国は外交関係を樹立しました。
カザフスタンの外交政策。首脳会合では新しい協力について合意した。
2024年10月の会議では、経済、エネルギー、運輸の分野で協力することが確認された。
This is a test sentence. Please review the machine translation and correct any errors.
The two countries signed an agreement on trade, energy and transport in 2024.
"""

REALISTIC: dict[str, Any] = {"num_layers": 6, "d_model": 512, "num_heads": 8, "ffn_dim": 2048,
                             "vocab_size": 32000, "quantization": "int8"}
"""Options for a stand-in with the shape and cost of a real Argos model (the benchmark's)."""

DEFECTS = ("not-a-zip", "two-top-level", "no-top-folder", "unsafe-path", "no-metadata",
           "bad-metadata", "no-codes", "no-model", "bad-model", "no-tokenizer", "bad-tokenizer")
"""Ways `build_malformed` can spoil a package; the installer must refuse each."""


# ---------------------------------------------------------------- SentencePiece
def train_sentencepiece(path: Path, text: str = CORPUS, vocab_size: int = 400) -> list[str]:
    """Train a unigram model with byte fallback (any character encodes) and return its pieces."""
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([line for line in text.splitlines() if line.strip()]),
        model_writer=buf, vocab_size=vocab_size, model_type="unigram",
        character_coverage=1.0, byte_fallback=True, normalization_rule_name="identity",
        hard_vocab_limit=False, minloglevel=2)
    path.write_bytes(buf.getvalue())
    sp = spm.SentencePieceProcessor(model_file=str(path))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


# ---------------------------------------------------------------- CTranslate2 echo model
def build_echo_model(vocab: list[str], out_dir: Path, *, d_model: int = 128, num_layers: int = 1,
                     num_heads: int = 1, ffn_dim: int = 16, n_freq: int = 16,
                     max_positions: int = 1024, quantization: str = "float32",
                     seed: int = 1234) -> None:
    """Write a CTranslate2 Transformer that copies its input pieces (see the module docstring)."""
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    f32 = np.float32
    V, D, P = len(vocab), d_model, 4 * n_freq
    C, head_dim = D - P, D // num_heads
    if C <= 0 or head_dim < P or D % num_heads:
        raise ValueError(f"d_model {D} / {num_heads} heads leaves no room for {P} position dims")
    c = rng.standard_normal((V, C))
    c -= c.mean(axis=1, keepdims=True)
    c *= np.sqrt(C) / np.linalg.norm(c, axis=1, keepdims=True)
    w = 2.5 * ((np.pi / max_positions) / 2.5) ** (np.arange(n_freq) / (n_freq - 1))
    ang = np.outer(np.arange(max_positions), w)
    pos = np.concatenate([np.cos(ang), np.sin(ang), -np.cos(ang), -np.sin(ang)], axis=1)
    pe = np.concatenate([np.zeros((max_positions, C)), pos], axis=1).astype(f32)
    content = np.concatenate([c, np.zeros((V, P))], axis=1).astype(f32)

    def z(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=f32)

    spec = transformer_spec.TransformerSpec.from_config(num_layers=num_layers,
                                                        num_heads=num_heads)
    spec.config.add_source_eos = True

    def ln(x: Any) -> None:
        x.gamma, x.beta = np.ones(D, dtype=f32), z(D)

    def identity(layer: Any) -> None:
        ln(layer.self_attention.layer_norm)
        layer.self_attention.linear[0].weight = z(3 * D, D)
        layer.self_attention.linear[1].weight = z(D, D)
        ln(layer.ffn.layer_norm)
        layer.ffn.linear_0.weight = z(ffn_dim, D)
        layer.ffn.linear_1.weight = z(D, ffn_dim)
        if hasattr(layer, "attention"):
            ln(layer.attention.layer_norm)
            layer.attention.linear[0].weight = z(D, D)
            layer.attention.linear[1].weight = z(2 * D, D)
            layer.attention.linear[2].weight = z(D, D)

    enc, dec = spec.encoder, spec.decoder
    enc.scale_embeddings = dec.scale_embeddings = False
    enc.embeddings[0].weight = content
    enc.position_encodings.encodings = pe
    dec.embeddings.weight = z(V, D)
    dec.position_encodings.encodings = pe
    ln(enc.layer_norm)
    ln(dec.layer_norm)
    for layer in (*enc.layer, *dec.layer):
        identity(layer)
    q, kv, o = z(D, D), z(2 * D, D), z(D, D)
    for h in range(num_heads):            # every head: query = decoder position,
        rows = slice(h * head_dim, h * head_dim + P)
        q[rows, C:] = np.eye(P) * 6.0     # key = encoder position
        kv[rows, C:] = np.eye(P) * 6.0
    kv[D:D + C, :C] = np.eye(C)           # value = encoder piece content
    o[:C, :C] = np.eye(C)
    copy = dec.layer[0].attention
    copy.linear[0].weight, copy.linear[1].weight, copy.linear[2].weight = q, kv, o
    dec.projection.weight = content
    spec.register_source_vocabulary(list(vocab))
    spec.register_target_vocabulary(list(vocab))
    spec.validate()
    spec.optimize(quantization=quantization)  # also aliases the identical zero tensors
    spec.save(str(out_dir))


# ---------------------------------------------------------------- MiniSBD rule model (ONNX)
def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def _f(field: int, v: int | str | bytes) -> bytes:
    """One protobuf field: int → varint, str/bytes → length-delimited."""
    if isinstance(v, int):
        return _varint(field << 3) + _varint(v)
    data = v.encode() if isinstance(v, str) else v
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def build_minisbd_onnx(path: Path, lang: str = "ja", sent_end: str = "。！？!?.") -> None:
    """A rule-based MiniSBD model (split after `sent_end`), so argostranslate never downloads."""
    units = ["<PAD>", "<UNK>", *sent_end]
    table = [[10.0 if k == min(i, 2) else 0.0 for k in range(5)] for i in range(len(units))]
    raw = b"".join(struct.pack("<f", x) for row in table for x in row)

    def vi(name: str, elem: int, dims: list[int | str]) -> bytes:
        shape = b"".join(_f(1, _f(1, d) if isinstance(d, int) else _f(2, d)) for d in dims)
        return _f(1, name) + _f(2, _f(1, _f(1, elem) + _f(2, shape)))

    graph = (_f(1, _f(1, "table") + _f(1, "units") + _f(2, "logits") + _f(4, "Gather"))
             + _f(2, "sbd") + _f(5, _f(1, len(units)) + _f(1, 5) + _f(2, 1) + _f(8, "table")
                                 + _f(9, raw))
             + _f(11, vi("units", 7, ["B", "N"])) + _f(11, vi("features", 1, ["B", "N", "F"]))
             + _f(12, vi("logits", 1, ["B", "N", 5])))
    meta = {"lang_code": lang, "lexicon": "null",
            "config": json.dumps({"skip_newline": False, "max_seqlen": 1000, "no_ssplit": False,
                                  "batch_size": 32, "feat_funcs": [], "use_dictionary": False,
                                  "num_dict_feat": 0}),
            "vocab": json.dumps({"lang": lang, "idx": 0, "cutoff": 0, "lower": False,
                                 "_unit2id": {u: i for i, u in enumerate(units)},
                                 "_id2unit": units}, ensure_ascii=False)}
    model = (_f(1, 7) + _f(7, graph) + _f(8, _f(1, "") + _f(2, 13))
             + b"".join(_f(14, _f(1, k) + _f(2, v)) for k, v in meta.items()))
    path.write_bytes(model)


# ---------------------------------------------------------------- .argosmodel
def build_fixture(out_path: Path, *, from_code: str = "ja", to_code: str = "en",
                  text: str = CORPUS, sp_vocab_size: int = 400, vocab_size: int | None = None,
                  with_sbd: bool = True, dirname: str | None = None,
                  package_version: str = "0.0.1", metadata: dict[str, Any] | None = None,
                  **model_options: Any) -> Path:
    """Write an echo `.argosmodel` to `out_path` and return it.

    `vocab_size` pads the model's vocabulary with unused pieces (the output projection
    is what costs in decoding); `metadata` overrides fields of metadata.json; the other
    keywords go to `build_echo_model` (d_model, num_layers, num_heads, ffn_dim, quantization).
    """
    out_path = Path(out_path)
    dirname = dirname or f"translate-{from_code}_{to_code}-fixture"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / dirname
        (root / "model").mkdir(parents=True)
        vocab = train_sentencepiece(root / "sentencepiece.model", text, sp_vocab_size)
        if vocab_size is not None and vocab_size > len(vocab):
            vocab += [f"<unused{i}>" for i in range(vocab_size - len(vocab))]
        build_echo_model(vocab, root / "model", **model_options)
        if with_sbd:
            (root / "minisbd").mkdir()
            build_minisbd_onnx(root / "minisbd" / f"{from_code}.onnx", from_code)
        meta = {"package_version": package_version, "argos_version": "1.11.0",
                "type": "translate", "from_code": from_code, "from_name": "Japanese",
                "to_code": to_code, "to_name": "English",
                "code": f"translate-{from_code}_{to_code}", "links": []}
        meta.update(metadata or {})
        (root / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False),
                                            encoding="utf-8")
        with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(root.rglob("*")):   # every entry under ONE top-level folder
                if file.is_file():
                    zf.write(file, file.relative_to(tmp).as_posix())
    return out_path


def build_malformed(good: Path, out_path: Path, defect: str) -> Path:
    """Copy the package `good` to `out_path` with one defect from DEFECTS."""
    if defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r}")
    if defect == "not-a-zip":
        out_path.write_bytes(b"this is not a zip archive\n")
        return out_path
    with zipfile.ZipFile(good) as src:
        entries = {info.filename: src.read(info) for info in src.infolist() if not info.is_dir()}
    top = next(iter(entries)).split("/", 1)[0]
    rules: dict[str, Callable[[dict[str, bytes]], dict[str, bytes]]] = {
        "two-top-level": lambda e: {**e, "stray/README.md": b"hello"},
        "no-top-folder": lambda e: {n.split("/", 1)[1]: d for n, d in e.items()},
        "unsafe-path": lambda e: {**e, f"{top}/../evil.txt": b"x"},
        "no-metadata": lambda e: _without(e, f"{top}/metadata.json"),
        "bad-metadata": lambda e: {**e, f"{top}/metadata.json": b"{not json"},
        "no-codes": lambda e: {**e, f"{top}/metadata.json": json.dumps(
            {"package_version": "1.0", "type": "translate"}).encode()},
        "no-model": lambda e: {n: d for n, d in e.items() if "/model/" not in n},
        "bad-model": lambda e: {**e, f"{top}/model/model.bin": b"\0" * 64},
        "no-tokenizer": lambda e: _without(e, f"{top}/sentencepiece.model"),
        "bad-tokenizer": lambda e: {**e, f"{top}/sentencepiece.model": b"garbage"},
    }
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in rules[defect](entries).items():
            dst.writestr(name, data)
    return out_path


def _without(entries: dict[str, bytes], name: str) -> dict[str, bytes]:
    return {n: d for n, d in entries.items() if n != name}


# ---------------------------------------------------------------- pytest fixtures
