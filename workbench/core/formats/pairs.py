"""Japanese sources and their English from a bilingual file, line by line: tab-separated
lines (source TAB English), a TMX, or a `<doc>.ja.txt` + `<doc>.en.txt` pair. What
`workbench enforce` normalizes; a bad line is an error naming the file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from workbench.core.decode import decode_bytes
from workbench.core.errors import WorkbenchError
from workbench.core.formats.tmx import read_tmx
from workbench.core.formats.txt import unescape_line

__all__ = ["Pair", "read_pairs", "read_tsv_pairs"]

# Header cells naming the two columns of a tab-separated file (skipped, and written back).
_HEADERS = ({"ja", "en"}, {"source", "target"}, {"japanese", "english"}, {"src", "tgt"})


@dataclass(frozen=True)
class Pair:
    """One line of a bilingual file: where it is, its Japanese and its English (None for a
    blank line or a header, which are written back as they are)."""

    line: int
    source: str
    english: str | None
    as_is: str = ""       # what a blank line or a header writes back


def read_pairs(path: Path) -> list[Pair]:
    """The pairs of `path`: a `.tmx`, one file of a `.ja.txt`/`.en.txt` pair, or anything
    else as tab-separated lines."""
    if not path.is_file():
        raise WorkbenchError("no such file", path=path)
    name = path.name
    if name.lower().endswith(".tmx"):
        return _read_tmx(path)
    for lang, other in ((".ja.txt", ".en.txt"), (".en.txt", ".ja.txt")):
        if name.endswith(lang):
            partner = path.with_name(name[: -len(lang)] + other)
            if not partner.is_file():
                raise WorkbenchError(f"no {partner.name} beside it to pair with", path=path,
                                     hint="a .ja.txt and its .en.txt go together, line by line.")
            ja, en = (path, partner) if lang == ".ja.txt" else (partner, path)
            return _read_txt_pair(ja, en)
    return read_tsv_pairs(decode_bytes(path, path.read_bytes()).text, path)


def read_tsv_pairs(text: str, path: Path | str) -> list[Pair]:
    """Tab-separated lines, each the Japanese source, a tab and its English (an optional
    header such as `ja TAB en` first; blank lines kept as blank lines)."""
    out = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    first = True
    for number, line in enumerate(lines, 1):
        if not line.strip():
            out.append(Pair(number, "", None, line))
            continue
        cells = line.split("\t")
        if first and {c.strip().lower() for c in cells} in _HEADERS and len(cells) == 2:
            out.append(Pair(number, "", None, cells[1].strip()))
            first = False
            continue
        first = False
        if len(cells) != 2:
            what = "no tab" if len(cells) == 1 else f"{len(cells) - 1} tabs"
            raise WorkbenchError(f"{what}: a line is the Japanese source, one tab, and its "
                                 "English", path=path, line=number,
                                 hint="a tab inside a sentence is not allowed; an empty "
                                      "English still needs its tab.")
        out.append(Pair(number, unescape_line(cells[0]), unescape_line(cells[1])))
    return out


def _read_tmx(path: Path) -> list[Pair]:
    try:
        units = read_tmx(path)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise WorkbenchError(f"not a readable TMX file: {exc}", path=path,
                             line=getattr(exc, "lineno", None)) from None
    return [Pair(i, u.source, u.target if u.target is not None else "")
            for i, u in enumerate(units, 1)]


def _read_txt_pair(ja: Path, en: Path) -> list[Pair]:
    sources = _lines(ja)
    english = _lines(en)
    if len(sources) != len(english):
        raise WorkbenchError(f"{len(sources)} Japanese lines but {len(english)} English lines "
                             f"in {en.name}", path=ja,
                             line=min(len(sources), len(english)) + 1,
                             hint="line i of one file is the translation of line i of the other.")
    return [Pair(i, unescape_line(s), unescape_line(e))
            for i, (s, e) in enumerate(zip(sources, english, strict=True), 1)]


def _lines(path: Path) -> list[str]:
    lines = decode_bytes(path, path.read_bytes()).text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
