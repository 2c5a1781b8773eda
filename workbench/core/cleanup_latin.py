"""Cleaning extraction damage from text in a language that spaces its words (English first).

The counterpart of `workbench.core.cleanup` for a translation read by the aligner, with the
same two layouts, told apart by line lengths (`detect_wrapped`):

- ``"pdf"``: a page extract, or any hard-wrapped text: most lines fill a ragged column and
  end mid-sentence. A line that fills the column runs on into the next, joined with a space,
  or without one across a word broken by a hyphen (`coop-` ⏎ `eration`; the hyphen stays
  where the document writes the word with one elsewhere, or the second half is a word of
  its own: `multi-` ⏎ `vector`). A blank line, a page number or a running head between two
  halves of a sentence (a page break: the line before ends mid-sentence, the one after does
  not start with a capital) means nothing. A short line ends its paragraph; one standing
  alone without a full stop is a heading. Page numbers, running heads and feet (short lines
  repeated about once a page), and footnote markers glued to a word (`agreed(3)`) are
  removed; footnote bodies (`(3)`, a tab, text) become units of their own after the
  paragraph they interrupted.
- ``"plain"``: every non-empty line is a paragraph (one sentence a line, or whole paragraphs).

Every removal is recorded as a `Deletion`, as the Japanese cleanup records its own.
"""

from __future__ import annotations

import re
from collections import Counter

from workbench.core.cleanup import LAYOUTS, Cleaned, Deletion, Unit, UnitKind

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?"
                          r"(?:\s*[-–—])?\s*$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\s*\[?(?:image|img|picture|photo|figure)\]?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
# A footnote body as a page extract sets it: `(3)`, then a TAB or a wide gap, then text
# (`(1) Overview` with one space is a numbered heading).
_FOOTNOTE = re.compile(r"^\s*(?P<label>\(\d{1,3}\))(?:\t|\s{2,})\s*(?P<body>\S.*?)\s*$")
_HYPHEN_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")
_TAIL_WORD = re.compile(r"([A-Za-z]+)-$")
_HEAD_WORD = re.compile(r"[A-Za-z]+")
# A footnote reference glued to the word before it: `agreed(3)`, `2024.(4)`.
_MARKER = re.compile(r"(?<=[A-Za-z.,;:”\"')])\((\d{1,3})\)")
_SENTENCE_END = re.compile(r"[.!?;:][\"'”’)\]]*$")
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")

FURNITURE_REPEATS = 3
"""A short line seen this often (digits aside) in a page extract is a running head or foot,
when that is about once a page or more (LINES_PER_PAGE): a heading a long document repeats
now and then is not furniture."""
LINES_PER_PAGE = 120


class _Paragraph:
    """Line pieces of one unit being built, with where each source line starts in it."""

    __slots__ = ("text", "starts", "lines", "words")

    def __init__(self, words: frozenset[str] = frozenset()) -> None:
        self.text = ""
        self.starts: list[int] = []
        self.lines: list[int] = []
        self.words = words         # the document's words, lower case, hyphenated ones too

    def add(self, piece: str, line: int) -> None:
        if self.text:
            tail = _TAIL_WORD.search(self.text)
            if tail is None:
                self.text += " "
            elif not _keeps_hyphen(tail.group(1), piece, self.words):
                self.text = self.text[:-1]     # coop- ⏎ eration: one word
        self.starts.append(len(self.text))
        self.lines.append(line)
        self.text += piece

    def unit(self, kind: UnitKind, label: str = "") -> Unit:
        return Unit(self.text, kind, tuple(self.starts), tuple(self.lines), label)


def _keeps_hyphen(first: str, rest: str, words: frozenset[str]) -> bool:
    """Whether a hyphen at a line end belongs to the word (`multi-vector`, `Nagorno-Karabakh`)
    rather than to the line break (`coop-eration`)."""
    head = _HEAD_WORD.match(rest)
    if head is None:
        return True
    second = head.group()
    if second[0].isupper() or f"{first}-{second}".lower() in words:
        return True
    if (first + second).lower() in words:
        return False
    return len(second) >= 3 and second.lower() in words or first[0].isupper()


def _vocabulary(lines: list[str]) -> frozenset[str]:
    """Every word of the text in lower case, hyphenated words whole and in parts; not the
    halves of a word broken at a line end (`coop-` ⏎ `eration`)."""
    found: set[str] = set()
    broken = False
    for line in lines:
        words = _HYPHEN_WORD.findall(line)
        if broken and words:
            words = words[1:]
        broken = bool(_TAIL_WORD.search(line.rstrip()))
        if broken and words:
            words = words[:-1]
        for word in words:
            word = word.lower()
            found.add(word)
            if "-" in word:     # people-to-people: people, to, people-to, to-people
                parts = word.split("-")
                found.update(parts)
                found.update(f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False))
    return frozenset(found)


def clean_latin(text: str, layout: str = "auto") -> Cleaned:
    """Cut a spaced-language text into paragraph and heading units, undoing a page extract's
    wraps and removing its furniture (see the module docstring); record every deletion."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    lines = [line.replace("\f", "").rstrip() for line in text.split("\n")]
    detected, column = detect_wrapped(lines)
    if layout == "auto":
        layout = detected
    if layout == "pdf":
        units, deletions = _clean_extract(lines, column if column >= 24 else 60)
        return Cleaned(units, deletions, "pdf", column)
    units, deletions = [], []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if _PLACEHOLDER.match(line):
            deletions.append(Deletion(number, raw, "placeholder"))
            continue
        kind: UnitKind = "heading" if _looks_like_heading(line, lines, number) else "paragraph"
        units.append(Unit(line, kind, (0,), (number,)))
    return Cleaned(units, deletions, "plain", 0)


def detect_wrapped(lines: list[str]) -> tuple[str, int]:
    """("pdf" | "plain", column): "pdf" when most lines that fill the column (70% of the
    90th percentile of line lengths) end mid-sentence, as in a page extract or any
    hard-wrapped text; a paragraph-a-line text ends its long lines with a full stop."""
    lengths = sorted(len(s) for line in lines[:20_000] if (s := line.strip()))
    if len(lengths) < 5:
        return "plain", 0
    column = lengths[int(0.9 * (len(lengths) - 1))]
    if column < 24:
        return "plain", column
    long = [s for line in lines[:20_000] if len(s := line.strip()) >= 0.7 * column]
    wrapped = sum(1 for s in long if not _TERMINAL.search(s))
    return ("pdf" if len(long) >= 3 and wrapped >= 0.5 * len(long) else "plain"), column


def _looks_like_heading(line: str, lines: list[str], number: int) -> bool:
    """A short line with no sentence punctuation standing between blank lines."""
    before = lines[number - 2].strip() if number >= 2 else ""
    after = lines[number].strip() if number < len(lines) else ""
    return not before and not after and len(line) <= 80 and not _SENTENCE_END.search(line)


def _furniture(lines: list[str], column: int) -> set[str]:
    """Running heads and feet: short lines (digits aside) repeated on many pages."""
    counts = Counter(_DIGITS.sub("#", s) for line in lines
                     if (s := line.strip()) and len(s) <= 0.8 * column)
    least = max(FURNITURE_REPEATS, len(lines) // LINES_PER_PAGE)
    return {shape for shape, n in counts.items() if n >= least and
            any(c.isalpha() for c in shape)}


def _clean_extract(lines: list[str], column: int) -> tuple[list[Unit], list[Deletion]]:
    units: list[Unit] = []
    deletions: list[Deletion] = []
    notes: list[Unit] = []       # footnotes waiting for the paragraph they interrupted to end
    furniture = _furniture(lines, column)
    words = _vocabulary(lines)
    body = _Paragraph(words)
    note: _Paragraph | None = None
    note_label = ""
    full = False                 # the last body line filled the column
    open_ = False                # ... and ended mid-sentence: a page break does not end it
    gap = False                  # a blank line since the last body line
    note_wraps = False           # the last footnote line filled the column mid-sentence

    def close_note() -> None:
        nonlocal note
        if note is not None:
            (notes if body.text else units).append(note.unit("footnote", note_label))
            note = None

    def close_body() -> None:
        nonlocal body
        if body.text:
            kind: UnitKind = "heading" if len(body.lines) == 1 and \
                not _SENTENCE_END.search(body.text) and len(body.text) <= 0.8 * column \
                else "paragraph"
            units.append(body.unit(kind))
            body = _Paragraph(words)
        units.extend(notes)
        notes.clear()

    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            close_note()
            gap = True
            continue
        if _PAGE_NUMBER.match(line) or _DIGITS.sub("#", line) in furniture:
            deletions.append(Deletion(number, raw, "page-furniture"))
            continue
        if _PLACEHOLDER.match(line):
            deletions.append(Deletion(number, raw, "placeholder"))
            continue
        if m := _FOOTNOTE.match(raw):
            close_note()
            note, note_label = _Paragraph(words), m.group("label")
            deletions.append(Deletion(number, note_label, "footnote-label"))
            note.add(m.group("body"), number)
            note_wraps = _fills(line, column)
            continue
        if note is not None:
            if note_wraps:
                note.add(line, number)      # the footnote runs on
                note_wraps = _fills(line, column)
                continue
            close_note()
        if "(" in line:
            line = _drop_markers(line, number, deletions)
        # After a blank line the text runs on only from a paragraph of several lines cut
        # mid-sentence into a line that does not start like a sentence (a page break); a
        # heading or a caption stands on one line.
        if body.text and not (open_ and len(body.lines) > 1 and not line[0].isupper()
                              if gap else full):
            close_body()
        body.add(line, number)
        # A word broken at the line end runs on, however short the line.
        full = len(line) >= 0.7 * column or bool(_TAIL_WORD.search(line))
        open_ = full and not _TERMINAL.search(line)
        gap = False
    close_note()
    close_body()
    return units, deletions


def _fills(line: str, column: int) -> bool:
    """A line that fills the column and ends mid-sentence: the text wraps onto the next."""
    return len(line) >= 0.7 * column and not _TERMINAL.search(line)


def _drop_markers(line: str, number: int, deletions: list[Deletion]) -> str:
    def drop(m: re.Match[str]) -> str:
        deletions.append(Deletion(number, m.group(), "footnote-marker"))
        return ""

    return _MARKER.sub(drop, line)
