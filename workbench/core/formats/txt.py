"""Line-aligned text: `<doc>.ja.txt` and `<doc>.en.txt`, line i of one the translation of line
i of the other; a newline inside a segment is written `\n`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.core.errors import ExportError
from workbench.core.formats.units import english
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
    ja = ja_path.read_text(encoding="utf-8").split("\n")
    en = en_path.read_text(encoding="utf-8").split("\n")
    for lines in (ja, en):
        if lines and lines[-1] == "":
            lines.pop()
    if len(ja) != len(en):
        raise ExportError(f"{len(ja)} Japanese lines but {len(en)} English lines in "
                          f"{en_path.name}", path=ja_path)
    return [(unescape_line(a), unescape_line(b)) for a, b in zip(ja, en, strict=True)]
