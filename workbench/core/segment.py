"""Japanese sentence segmentation over cleaned units, and segments with stable ids.

A sentence ends after 。！？ (and after ? ! . when they are sentence-final), never inside a
matched pair of brackets or quotes, never inside a URL, at a Latin initial (``N. A.``) or in a
decimal (``6.3％``). Closing brackets and quotes after the stop stay with their sentence
(``…除く。）。``, ``…した。」``). Unit boundaries always end a sentence.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from workbench.core.chars import CLOSERS, OPENERS, TERMINATORS, protected_spans
from workbench.core.cleanup import Cleaned, Deletion, Unit, clean
from workbench.core.decode import decode_bytes, read_bytes
from workbench.core.records import Segment

__all__ = [
    "SegmentedDocument",
    "document_name",
    "segment_cleaned",
    "segment_bytes",
    "segment_file",
    "segment_id",
    "segment_text",
    "split_sentences",
]

SEGMENT_KINDS = {"paragraph": "text", "heading": "heading", "footnote": "footnote",
                 "caption": "caption", "label": "label"}


@dataclass(frozen=True)
class SegmentedDocument:
    """All segments of a document plus what cleanup removed, for `segment --explain`."""

    doc: str
    segments: list[Segment]
    deletions: list[Deletion]
    layout: str
    encoding: str | None


_BRACKET = re.compile(f"[{re.escape(OPENERS + CLOSERS)}]")
# Candidate stops: Japanese full stops, or ASCII/full-width ones checked in context.
_STOP = re.compile(f"[{TERMINATORS}]|[.．!?]")
_TRAIL = re.compile(f"[{re.escape(CLOSERS)}{TERMINATORS}.．!?]*")
# Lower-case abbreviations and titles that end with a period but not a sentence.
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "vol", "pp", "cf",
    "eg", "ie", "inc", "ltd", "co", "corp", "dept", "gov", "gen", "col", "lt", "sgt", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
})
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _trail_end(text: str, pos: int) -> int:
    """End of the closing punctuation after a stop: `。）。`, `。」`, `!?`, `."` before a space."""
    end = _TRAIL.match(text, pos).end()  # type: ignore[union-attr]
    # A straight quote closes only when a space or the end follows: `He said "stop." Then`.
    if end < len(text) and text[end] in "\"'" and (end + 1 == len(text) or text[end + 1].isspace()):
        end += 1
    return end


def _ends_sentence(text: str, pos: int) -> bool:
    """Whether the ASCII-style stop at `pos` (. ． ! ?) ends a sentence."""
    ch = text[pos]
    after = _trail_end(text, pos + 1)
    nxt = text[after] if after < len(text) else ""
    if ch in "!?":
        return nxt == "" or nxt.isspace() or ord(nxt) > 0x7F
    # "." and "．": only before a space or the end, never in 6.3 / 1.1 / N.A.
    if nxt and not nxt.isspace():
        return False
    prev = text[pos - 1] if pos else ""
    if prev.isdigit() and ch == "．":
        return False
    # A Latin initial (`N. A.`, `L. Batalden`) or a known abbreviation (`Mr.`, `p.`).
    k = pos
    while k > 0 and text[k - 1] in _ASCII_LETTERS:
        k -= 1
    word = text[k:pos]
    return not (word and (len(word) == 1 or word.lower() in _ABBREVIATIONS))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split one unit's text into sentence spans [start, end), trimmed of whitespace.

    Every non-whitespace character of `text` lies in exactly one span, in order.
    """
    n = len(text)
    if n == 0:
        return []
    protected = protected_spans(text) if _BRACKET.search(text) or "://" in text else []
    starts = [s for s, _ in protected]
    cuts: list[int] = []
    pos = 0
    for m in _STOP.finditer(text):
        at = m.start()
        if at < pos:
            continue  # already absorbed into the previous sentence's trailing punctuation
        if protected:
            k = bisect_right(starts, at) - 1
            if k >= 0 and at < protected[k][1]:
                continue
        ch = m.group()
        if ch not in TERMINATORS and not _ends_sentence(text, at):
            continue
        end = _trail_end(text, at + 1)
        cuts.append(end)
        pos = end
    if not cuts or cuts[-1] != n:
        cuts.append(n)
    spans: list[tuple[int, int]] = []
    start = 0
    for end in cuts:
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
        start = end
    return spans


def segment_id(doc: str, source: str, occurrence: int) -> str:
    """Stable id: the same text at the same occurrence in the same document keeps its id."""
    return hashlib.sha1(f"{doc}\0{source}\0{occurrence}".encode()).hexdigest()[:16]


def _unit_spans(unit: Unit) -> list[tuple[int, int]]:
    if unit.kind == "heading":
        text = unit.text
        a, b = len(text) - len(text.lstrip()), len(text.rstrip())
        return [(a, b)] if a < b else []
    return split_sentences(unit.text)


def segment_cleaned(doc: str, cleaned: Cleaned, encoding: str | None = None) -> SegmentedDocument:
    """Segment already-cleaned units (lets a caller inspect the cleanup and reuse it)."""
    segments: list[Segment] = []
    seen: dict[str, int] = {}
    for unit in cleaned.units:
        kind = SEGMENT_KINDS[unit.kind]
        for start, end in _unit_spans(unit):
            source = unit.text[start:end]
            occurrence = seen.get(source, 0)
            seen[source] = occurrence + 1
            first, last = unit.line_span(start, end)
            segments.append(Segment(segment_id(doc, source, occurrence), doc,
                                    len(segments) + 1, source, first, last, kind))
    return SegmentedDocument(doc, segments, list(cleaned.deletions), cleaned.layout, encoding)


def segment_text(doc: str, text: str, layout: str = "auto") -> SegmentedDocument:
    """Clean and segment a document held in memory."""
    return segment_cleaned(doc, clean(text, layout))


def segment_file(path: Path, doc: str | None = None, encoding: str | None = None,
                 layout: str = "auto") -> SegmentedDocument:
    """Read (detecting the encoding), clean and segment a source file.

    Raises SourceError for a file that cannot be read as text.
    """
    path = Path(path)
    return segment_bytes(path, read_bytes(path), doc, encoding, layout)


def segment_bytes(path: Path, data: bytes, doc: str | None = None, encoding: str | None = None,
                  layout: str = "auto") -> SegmentedDocument:
    """Decode, clean and segment the bytes of a source file (`path` names it)."""
    decoded = decode_bytes(path, data, encoding)
    name = doc if doc is not None else document_name(path)
    return segment_cleaned(name, clean(decoded.text, layout), decoded.encoding)


_LANG_TAG = re.compile(r"\.[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def document_name(path: Path) -> str:
    """The document's name: the file name without its extension and language tag.

    "sources/foo-bar.ja.txt" -> "foo-bar"; "x.txt" -> "x".
    """
    name = Path(path).name
    stem = Path(name).stem if "." in name.lstrip(".") else name
    short = _LANG_TAG.sub("", stem)
    return short or stem
