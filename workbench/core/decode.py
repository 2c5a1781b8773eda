"""Reading source files: encodings (BOMs, UTF-8, UTF-16, Shift_JIS/CP932, EUC-JP), binary
detection, line ends. A file that is not text is refused with its name and line."""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import SourceError


@dataclass(frozen=True)
class Decoded:
    """A decoded source: BOM removed, CRLF/CR normalised to LF, plus the encoding used."""

    text: str
    encoding: str


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF file (extract its text first, e.g. with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"RIFF", "a RIFF media file"),
    (b"BM", None),  # bitmap: only with a plausible header, see _binary_kind
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in a text document (TAB, LF, CR, FF are allowed), C1
# controls included: they are what a wrong single-byte codec makes of multibyte text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_KANA_RE = re.compile(r"[ぁ-ゖゝゞァ-ヺー-ヿ]")
_JA_RE = re.compile(
    r"[ぁ-ゖゝゞァ-ヺー-ヿ\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]"
)
# What a legacy codec produces when it is the wrong one: half-width katakana, private use,
# rare symbols, replacement characters.
_SUSPECT_RE = re.compile(r"[\uff61-\uff9f\ue000-\uf8ff\u2460-\u24ff\u2500-\u257f\ufffd]")


MAX_SOURCE_BYTES = 64 * 1024 * 1024
"""The largest source file read (64 MiB, some 20 million Japanese characters): a bigger one
is not a document but a mistake (a disk image, a log, /dev/zero) and is refused."""


def read_bytes(path: Path, *, inside: Path | None = None, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file, refused with a reason when it is not one (a folder, a
    FIFO or a device, which would block or never end), is larger than `limit`, or (with
    `inside`) is a symbolic link to a file outside that folder."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise SourceError("is a symbolic link to a file that does not exist", path=path) \
                from None
        raise SourceError("no such file", path=path, hint="check the path and file name.") \
            from None
    except OSError as exc:
        raise SourceError(f"cannot be read: {exc.strerror or exc}", path=path) from exc
    if stat.S_ISDIR(info.st_mode):
        raise SourceError("is a directory, not a text file", path=path)
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else \
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else \
            "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file"
        raise SourceError(f"is {kind}, not a text file", path=path)
    if inside is not None and path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(Path(inside).resolve()):
            raise SourceError(f"is a symbolic link to {target}, outside the project",
                              path=path, hint="copy the file into sources/ instead (`workbench "
                                              "ingest FILE` does), so the project holds it.")
    if info.st_size > limit:
        raise SourceError(f"is {info.st_size / 2**20:.0f} MiB; sources are read up to "
                          f"{limit / 2**20:.0f} MiB", path=path,
                          hint="split the document into several files.")
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"cannot be read: {exc.strerror or exc}", path=path) from exc
    if len(data) > limit:      # it grew while being read
        raise SourceError(f"is larger than {limit / 2**20:.0f} MiB", path=path)
    return data


def read_source(path: Path, encoding: str | None = None) -> Decoded:
    """Read a source document, detecting its encoding unless `encoding` forces one."""
    return decode_bytes(path, read_bytes(path), encoding)


def decode_bytes(path: Path, data: bytes, encoding: str | None = None) -> Decoded:
    """Decode a source document's bytes (`path` names it in errors).

    Detection is a strict ordered trial (BOMs, UTF-8, then CP932 against EUC-JP scored on how
    Japanese the result looks): fast, predictable, and it refuses binary files or garbage.
    """
    if encoding is not None:
        text, used = _decode_forced(path, data, encoding)
    else:
        text, used = _decode_detect(path, data)
    return Decoded(_normalise(text), used)


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _error_line(data: bytes, codec: str, start: int) -> int:
    """1-based line of byte offset `start`, counted in the codec's own view of the bytes."""
    return data[:start].decode(codec, errors="replace").count("\n") + 1


def _decode_forced(path: Path, data: bytes, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError as exc:
        raise SourceError(f"unknown encoding {encoding!r}", path=path,
                          hint="use e.g. utf-8, cp932, shift_jis, euc-jp or utf-16.") from exc
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = _error_line(data, codec, exc.start)
        raise SourceError(f"is not valid {encoding} (byte 0x{data[exc.start]:02x})", path=path,
                          line=line, hint="try another --encoding, or leave it out to detect it."
                          ) from exc
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise SourceError(f"decodes as {encoding} to control characters: wrong encoding "
                          "or not a text file", path=path, line=line)
    return text, encoding


def _binary_kind(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            if what is None:  # "BM": a bitmap only if the size field matches the file size
                if len(data) >= 6 and int.from_bytes(data[2:6], "little") == len(data):
                    return "a bitmap image"
                continue
            return what
    return None


def _decode_detect(path: Path, data: bytes) -> tuple[str, str]:
    if not data:
        return "", "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                line = _error_line(data, codec, exc.start)
                raise SourceError(f"starts with a {codec} byte-order mark but is not valid "
                                  f"{codec}", path=path, line=line) from exc
    kind = _binary_kind(data)
    if kind:
        raise SourceError(f"is {kind}, not a text file", path=path)
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        raise SourceError("contains NUL bytes: a binary file, not text", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        _refuse_controls(path, text)
        return text, "utf-8"

    candidates: list[tuple[float, str, str]] = []
    for codec in ("cp932", "euc-jp"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_japanese_score(text), codec, text))
    if not candidates:
        line = _error_line(data, "utf-8", utf8_error.start)
        raise SourceError("is not UTF-8, UTF-16, Shift_JIS/CP932 or EUC-JP text "
                          f"(first bad byte 0x{data[utf8_error.start]:02x})", path=path,
                          line=line, hint="convert it to UTF-8, or pass the encoding explicitly.")
    score, codec, text = max(candidates)
    if score < 0.5:
        raise SourceError(f"does not look like text (best guess {codec} gives garbage)",
                          path=path, hint="convert it to UTF-8, or pass the encoding explicitly.")
    _refuse_controls(path, text)
    return text, codec


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: NULs sit on one parity only (the high byte of ASCII/newlines)."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    codec = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text) or _japanese_score(text) < 0.8:
        return None
    return text, codec


def _refuse_controls(path: Path, text: str) -> None:
    first = _CONTROL.search(text)
    if first:
        count = len(_CONTROL.findall(text))
        line = text.count("\n", 0, first.start()) + 1
        raise SourceError(f"contains {count} control character(s): a binary file or the wrong "
                          "encoding", path=path, line=line)


def _japanese_score(text: str) -> float:
    """How plausible `text` is as (Japanese) text: 1.0 is clean, below 0.5 is garbage.

    The share of non-ASCII characters that are kana, kanji or CJK punctuation, minus a heavy
    penalty for what a wrong legacy codec produces (half-width katakana, private use, controls).
    """
    sample = text[:200_000]
    wide = len(sample) - len(sample.encode("ascii", "ignore"))
    if wide == 0:
        return 0.0 if _CONTROL.search(sample) else 1.0
    japanese = len(_JA_RE.findall(sample))
    suspect = len(_SUSPECT_RE.findall(sample)) + len(_CONTROL.findall(sample))
    kana_bonus = 0.05 if _KANA_RE.search(sample) else 0.0
    return japanese / wide - 3 * suspect / wide + kana_bonus
