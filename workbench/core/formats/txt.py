"""Line-aligned text: `<doc>.ja.txt` and `<doc>.en.txt`, line i of one the translation of line
i of the other; a newline inside a segment is written `\n`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.core.decode import read_bytes
from workbench.core.errors import ExportError
from workbench.core.formats.units import MAX_ALIGNED_BYTES, english
from workbench.core.records import SegmentRecord


def escape_line(text: str) -> str:
    """One segment on one line: backslash, newline and carriage return escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def unescape_line(line: str) -> str:
    """The inverse of `escape_line`."""
    out = []
    chars = iter(line)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, "")
        out.append({"n": "\n", "r": "\r", "\\": "\\"}.get(nxt, "\\" + nxt))
    return "".join(out)


def txt_bytes(records: Sequence[SegmentRecord]) -> tuple[bytes, bytes]:
    """The Japanese and English files: line i of one is line i of the other."""
    ja = "".join(escape_line(r.source) + "\n" for r in records)
    en = "".join(escape_line(english(r)) + "\n" for r in records)
    return ja.encode("utf-8"), en.encode("utf-8")


def read_txt_pair(ja_path: Path, en_path: Path) -> list[tuple[str, str]]:
    """(Japanese, English) pairs of a line-aligned file pair; unequal lengths are an error."""
    return parse_txt_pair(read_bytes(ja_path, limit=MAX_ALIGNED_BYTES), ja_path,
                          read_bytes(en_path, limit=MAX_ALIGNED_BYTES), en_path)


def parse_txt_pair(ja_data: bytes, ja_path: Path, en_data: bytes,
                   en_path: Path) -> list[tuple[str, str]]:
    """The pairs of a `.ja.txt`/`.en.txt` pair's bytes (paths name them in errors)."""
    ja = _lines(ja_data, ja_path)
    en = _lines(en_data, en_path)
    if len(ja) != len(en):
        raise ExportError(f"{len(ja)} Japanese lines but {len(en)} English lines in "
                          f"{en_path.name}", path=ja_path)
    return [(unescape_line(a), unescape_line(b)) for a, b in zip(ja, en, strict=True)]


def _lines(data: bytes, path: Path) -> list[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ExportError(f"not UTF-8 text (byte 0x{data[exc.start]:02x}): not an aligned text "
                          "file written by workbench", path=path, line=line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ExportError("holds NUL bytes: a binary file, not aligned text", path=path,
                          line=line)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    # A carriage return inside a segment is written `\r`: a real one ends a line saved with
    # CRLF (an editor on Windows) and is not part of the text.
    return [line[:-1] if line.endswith("\r") else line for line in lines]
