"""Cleaning extraction damage before segmentation.

Two layouts are told apart by line-length statistics:

- ``"pdf"``: text pulled out of a typeset page (a narrow column, ~20 full-width characters a
  line). A line break and a blank line mean nothing; structure comes only from line patterns:
  headings, footnote bodies, running heads, ruby (furigana) lines, charts and captions.
- ``"plain"``: every non-empty line is a paragraph and a blank line is a break.

:func:`clean` returns :class:`Unit` blocks (paragraph, heading, footnote, caption, label) whose
characters map back to 1-based source lines, plus a :class:`Deletion` for everything it removed,
so that nothing disappears silently.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from workbench.core.chars import (
    CLOSERS,
    OPENERS,
    TERMINATORS,
    char_width,
    display_width,
    protected_spans,
)

UnitKind = Literal["paragraph", "heading", "footnote", "caption", "label"]
LAYOUTS = ("auto", "pdf", "plain")


@dataclass(frozen=True)
class Deletion:
    """Something cleanup removed: where (1-based line), exactly what, and why (a short class)."""

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Unit:
    """A cleaned block of text with a map from character offsets back to source lines.

    `starts[k]` is the offset in `text` where the contribution of source line `lines[k]` begins;
    offsets are increasing, so the line of any offset is a bisect away.
    """

    text: str
    kind: UnitKind
    starts: tuple[int, ...]
    lines: tuple[int, ...]
    label: str = ""  # e.g. "(3)" for footnote 3

    def line_at(self, offset: int) -> int:
        """The 1-based source line of the character at `offset`."""
        return self.lines[max(bisect_right(self.starts, offset) - 1, 0)]

    def line_span(self, start: int, end: int) -> tuple[int, int]:
        """First and last source line contributing to `text[start:end]` (end exclusive)."""
        if len(self.lines) == 1:
            return self.lines[0], self.lines[0]
        return self.line_at(start), self.line_at(max(end - 1, start))

    @property
    def line_start(self) -> int:
        return self.lines[0]

    @property
    def line_end(self) -> int:
        return self.line_at(len(self.text) - 1)

    def slice(self, start: int, end: int) -> Unit:
        """The sub-unit `text[start:end]`, trimmed of surrounding whitespace, offsets rebased."""
        piece = self.text[start:end]
        lead = len(piece) - len(piece.lstrip())
        start += lead
        end = start + len(piece.strip())
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = bisect_right(self.starts, max(end - 1, start))
        starts = (0, *(s - start for s in self.starts[first + 1:last]))
        return Unit(self.text[start:end], self.kind, starts, self.lines[first:last], self.label)


@dataclass(frozen=True)
class Cleaned:
    """The result of :func:`clean`: units in reading order, every deletion, the layout used."""

    units: list[Unit]
    deletions: list[Deletion]
    layout: str
    column_width: int = 0  # display width of a body line ("pdf" only), in half-width cells

    @property
    def text(self) -> str:
        """The cleaned text, one unit per line (handy for diffs and debugging)."""
        return "\n".join(u.text for u in self.units)


class _Builder:
    """Accumulates stripped line pieces into one unit, remembering where each line starts."""

    __slots__ = ("parts", "starts", "lines", "size")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int] = []
        self.size = 0

    def __bool__(self) -> bool:
        return self.size > 0

    def last(self) -> str:
        return self.parts[-1][-1] if self.parts else ""

    def add(self, piece: str, line: int, join: bool = True) -> None:
        if not piece:
            return
        if join and self.parts and _needs_space(self.parts[-1], piece):
            piece = " " + piece
        self.parts.append(piece)
        self.starts.append(self.size)
        self.lines.append(line)
        self.size += len(piece)

    def build(self, kind: UnitKind, label: str = "") -> Unit:
        return Unit("".join(self.parts), kind, tuple(self.starts), tuple(self.lines), label)


_LATIN_END = re.compile(r"[A-Za-z0-9.,;:!?)\]%'\"]\Z")
_LATIN_START = re.compile(r"[A-Za-z(\[]")


def _needs_space(before: str, after: str) -> bool:
    """A wrap between two Latin words keeps its space; a Japanese line join never adds one."""
    if not (_LATIN_END.search(before) and _LATIN_START.match(after)):
        return False
    tail = before.rsplit(" ", 1)[-1]
    return "://" not in tail


# --------------------------------------------------------------------------------------------
# Layout detection
# --------------------------------------------------------------------------------------------


def detect_layout(text: str) -> tuple[str, int]:
    """Return ("pdf" | "plain", column width) from the distribution of line widths.

    A page extract has most lines filling a fixed column (same width give or take hanging
    punctuation) and most of them ending mid-sentence; a plain document has free-length lines.
    """
    widths: list[int] = []
    full_stops = 0
    for line in text.split("\n", 20_000)[:20_000]:
        s = line.strip()
        if s:
            widths.append(display_width(s))
            full_stops += s[-1] in "。．.!?！？"
    if not widths:
        return "plain", 0
    counts = Counter(w for w in widths if w >= 24)  # a column holds 12+ full-width characters
    if not counts:
        return "plain", 0
    column = counts.most_common(1)[0][0]
    in_band = sum(1 for w in widths if column - 6 <= w <= column + 4)
    if len(widths) >= 8 and in_band >= 0.5 * len(widths) and full_stops < 0.5 * len(widths):
        return "pdf", column
    return "plain", column


# --------------------------------------------------------------------------------------------
# Line patterns (PDF layout)
# --------------------------------------------------------------------------------------------

_WS = r"[ \t\u3000\xa0]"
_KANA = "ぁ-ゖゝゞァ-ヺー-ヿ"
# Level-1 heading as typeset in the Bluebook: TAB, number, TABs, the same number, TAB, title.
_H1 = re.compile(rf"^[ \u3000]*\t(\d{{1,2}})\t+(?:(\1)\t+)?{_WS}*(?P<title>\S.*?){_WS}*$")
# Level-2 heading: full-width "（1）" then a short title, no sentence punctuation.
_H2 = re.compile(
    rf"^{_WS}*(?P<num>（\d{{1,2}}）){_WS}*(?P<title>[^\s。、（][^。、]{{0,30}}?){_WS}*$"
)
# Level-3 heading: one katakana enumerator, a TAB, a title.
_H3 = re.compile(rf"^{_WS}*(?P<num>[ア-ン])\t{_WS}*(?P<title>[^\s。][^。]{{0,40}}?){_WS}*$")
_ORPHAN_ENUM = re.compile(rf"^{_WS}*[（(](?:\d{{1,2}}|[ア-ン])[）)]{_WS}*$")
_FOOTNOTE = re.compile(rf"^{_WS}*(?P<label>\(\d{{1,3}}\))[\t\u3000]{_WS}*(?P<body>\S.*?){_WS}*$")
_URL_LINE = re.compile(rf"^{_WS}*https?://\S+{_WS}*$")
# Running head ("第2章　地域別に見た外交") and foot ("DIPLOMATIC BLUEBOOK 2025" + page number).
_RUNNING_HEAD = re.compile(
    rf"^{_WS}*(?:\d{{1,4}}{_WS}+)?第\d{{1,2}}章[\u3000\t ]+[^。、\s][^。、]{{0,30}}?"
    rf"(?:{_WS}+\d{{1,4}})?{_WS}*$"
)
_RUNNING_FOOT = re.compile(
    rf"^{_WS}*(?:\d{{1,4}}{_WS}*)?[A-Z]{{3,}}(?: [A-Z]{{2,}})+ \d{{4}}(?:{_WS}*\d{{1,4}})?{_WS}*$"
)
_CHART_START = re.compile(rf"^{_WS}*[■□◆◇▲△▼▽●◎★☆]{_WS}*[^。]+$")
_RUBY = re.compile(rf"^{_WS}*[{_KANA}](?: ?[{_KANA}]){{0,9}}{_WS}*$")
_KANJI_END = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆\U00020000-\U0003ffff]"
                        r"[\ufe00-\ufe0f\U000e0100-\U000e01ef]?\Z")
# A photo caption standing on its own: a title and "(month day, place)", no sentence inside.
_PHOTO_CAPTION = re.compile(
    rf"^{_WS}*(?P<cap>[^\s。、「」（）][^。、「」]{{1,40}}"
    rf"（(?:\d{{4}}年)?\d{{1,2}}月(?:\d{{1,2}}日)?(?:[、，][^（）。、]{{1,20}})?）){_WS}*$"
)
# Half-width "(n)" glued to the preceding word is a footnote reference, not text.
_MARKER = re.compile(r"\((\d{1,3})\)")
_NO_MARKER_BEFORE = frozenset(" \t\u3000\xa0(（[［「『0123456789")
_CREDIT_CUE = re.compile(r"©|\(c\)|写真|イラスト|提供|出典|Photo|photo")
_SENTENCE_END = re.compile(rf"[{TERMINATORS}][{re.escape(CLOSERS)}{TERMINATORS}]*\Z")
_TERMINATOR_IN = re.compile(f"[{TERMINATORS}]")
# One prefilter for every line-level pattern, so an ordinary column line costs a single match.
_ANY_SPECIAL = re.compile("|".join(
    "(?:" + re.sub(r"\(\?P<\w+>", "(?:", p.pattern) + ")"
    for p in (_RUNNING_HEAD, _RUNNING_FOOT, _CHART_START, _FOOTNOTE, _ORPHAN_ENUM, _H3, _H2, _RUBY)
))
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_NOT_LINE_END = set(OPENERS)  # kinsoku: an opening bracket never ends a typeset line
_NOT_LINE_START = set(CLOSERS + TERMINATORS + "、，,.．・：；:;ー")


def _split_overflow(line: str, column: int) -> tuple[str, str] | None:
    """Split a line that runs past the column into (body part, the text glued after it).

    Captions and credits set beside the column share its baseline, so the extractor glues them
    to the body line. The body part ends at the column edge, obeying kinsoku: an opening
    bracket never ends a line (so a cut just before one near the edge is preferred) and
    closing punctuation may hang past the edge.
    """
    total = 0
    cut = 0  # the longest prefix that fits the column
    before_bracket = 0  # the longest prefix near the edge that is followed by an opener
    for k, ch in enumerate(line):
        total += char_width(ch)
        if total > column + 4:
            break
        if total <= column:
            cut = k + 1
        if total >= column - 4 and k + 1 < len(line) and line[k + 1] in _NOT_LINE_END:
            before_bracket = k + 1
    if before_bracket:
        cut = before_bracket
    while cut > 1 and line[cut - 1] in _NOT_LINE_END:
        cut -= 1
    while cut < len(line) and line[cut] in _NOT_LINE_START:
        cut += 1
    body, rest = line[:cut].rstrip(), line[cut:].strip()
    if not body or not rest:
        return None
    return body, rest


def _is_prose_line(s: str, column: int) -> bool:
    """A full column line of running Japanese text (used to find where a chart ends)."""
    return (
        column - 6 <= display_width(s) <= column + 4
        and " " not in s and "\u3000" not in s and "\t" not in s
        and s[0] not in "※〈〔■□◆●・*＊"
        and len(_HIRAGANA.findall(s)) >= 2
    )


def _chart_end(lines: list[str], i: int, column: int) -> int:
    """Index of the first line after the chart starting at `i` (a "■ title" line).

    The chart's residue (labels, legend, notes) runs until two consecutive full column prose
    lines, a heading, a footnote or running furniture. Without such an end within 120 lines,
    only the title line is taken, so a stray "■" cannot swallow the document.
    """
    n = len(lines)
    for j in range(i + 1, min(n, i + 120)):
        s = lines[j].strip()
        if not s:
            continue
        if (_H1.match(lines[j]) or _FOOTNOTE.match(s) or _H3.match(s)
                or _RUNNING_HEAD.match(s) or _RUNNING_FOOT.match(s)):
            return j
        if j + 1 < n and _is_prose_line(s, column) and _is_prose_line(lines[j + 1].strip(),
                                                                       column):
            return j
    return i + 1


def _sentence_ends(text: str, anchors: list[int]) -> list[int]:
    """For each anchor (ascending), the offset just after the sentence running there.

    Used to move a footnote or caption that the page dropped into a sentence to just after
    that sentence (the end of the text if it never ends). A "。" inside matched brackets is
    not an end, as in the segmenter.
    """
    protected = protected_spans(text)
    starts = [a for a, _ in protected]
    cuts: list[int] = []
    k = 0
    n = len(text)
    for m in _STOP_RE.finditer(text):
        at = m.start()
        j = bisect_right(starts, at) - 1
        if j >= 0 and at < protected[j][1]:
            continue
        end = m.end()
        while end < n and (text[end] in CLOSERS or text[end] in TERMINATORS):
            end += 1
        # Every anchor inside this sentence (or right at its end) goes after it.
        while k < len(anchors) and anchors[k] <= end:
            cuts.append(end)
            k += 1
        if k == len(anchors):
            return cuts
    cuts.extend(n for _ in range(k, len(anchors)))
    return cuts


_STOP_RE = re.compile(f"[{TERMINATORS}]")


class _PdfCleaner:
    """The state machine that walks a page extract line by line."""

    def __init__(self, lines: list[str], column: int) -> None:
        self.lines = lines
        self.column = column
        self.units: list[Unit] = []
        self.deletions: list[Deletion] = []
        self.body = _Builder()
        self.pending: list[tuple[int, Unit]] = []  # (offset in body, unit to insert after it)
        self.note: _Builder | None = None
        self.note_label = ""
        self.note_wraps = False  # the last footnote line was page-wide: the next one continues it
        self.prev = ""  # previous non-blank raw line (stripped)
        self.prev_structural = True  # previous non-blank line ended a block (heading, start...)
        self.blank_before = True

    def run(self) -> tuple[list[Unit], list[Deletion]]:
        lines = self.lines
        n = len(lines)
        i = 0
        while i < n:
            raw = lines[i].lstrip("\f")  # pdftotext marks a page break with a form feed
            s = raw.strip()
            if not s:
                self.note_wraps = False
                self.blank_before = True
                i += 1
                continue
            i = self._line(i, raw, s)
            self.blank_before = False
        self._close_note()
        self._flush_body()
        return self.units, self.deletions

    # one line -> index of the next line to look at
    def _line(self, i: int, raw: str, s: str) -> int:
        lineno = i + 1
        if not _ANY_SPECIAL.match(s) and not (raw[0] in " \t\u3000" and _H1.match(raw)):
            self._text_line(lineno, raw, s)  # the common case: an ordinary column line
            self.prev = s
            return i + 1
        structural = True
        if _RUNNING_HEAD.match(s) or _RUNNING_FOOT.match(s):
            self.deletions.append(Deletion(lineno, raw, "page-furniture"))
        elif _CHART_START.match(s) and not _TERMINATOR_IN.search(s):
            end = _chart_end(self.lines, i, self.column)
            for j in range(i, end):
                if self.lines[j].strip():
                    self.deletions.append(Deletion(j + 1, self.lines[j], "chart"))
            self.prev = self.lines[end - 1].strip() or s
            self.prev_structural = True
            return end
        elif m := _H1.match(raw):
            if m.group(2):
                self.deletions.append(Deletion(lineno, m.group(2), "heading-number"))
            self._heading(f"{m.group(1)} {m.group('title')}", lineno)
        elif m := _FOOTNOTE.match(s):
            self._close_note()
            self.note = _Builder()
            self.note_label = m.group("label")
            self.deletions.append(Deletion(lineno, self.note_label, "footnote-label"))
            body = m.group("body")
            self.note.add(body, lineno)
            self.note_wraps = display_width(s) >= 2 * self.column
        elif _ORPHAN_ENUM.match(s):
            self.deletions.append(Deletion(lineno, raw, "orphan-enumerator"))
        elif m := _H3.match(s):
            self._heading(f"{m.group('num')} {m.group('title')}", lineno)
        elif (m := _H2.match(s)) and self._block_ended() and (
                display_width(s) <= 0.8 * self.column):
            self._heading(f"{m.group('num')}{m.group('title')}", lineno)
        elif _RUBY.match(s) and _KANJI_END.search(self.prev) and (
                display_width(s) <= self.column // 2):
            # Furigana emitted as its own line after the base kanji; a lone kanji line
            # (川, 省, 哨) is base text and is never dropped.
            self.deletions.append(Deletion(lineno, raw, "ruby"))
        else:
            structural = False
            self._text_line(lineno, raw, s)
        self.prev = s
        if structural:
            self.prev_structural = True
        return i + 1

    def _block_ended(self) -> bool:
        if self.note is not None or not self.body:
            return True
        return bool(_SENTENCE_END.search(self.prev)) or self.prev_structural

    def _heading(self, text: str, lineno: int) -> None:
        self._close_note()
        self._flush_body()
        self.units.append(Unit(text, "heading", (0,), (lineno,)))

    def _text_line(self, lineno: int, raw: str, s: str) -> None:
        note = self.note
        if note is not None:
            if _URL_LINE.match(s) and note.last() in "：:":
                note.add(s, lineno, join=False)
                self.prev_structural = True
                return
            if self.note_wraps and not self.blank_before:
                note.add(s, lineno)
                self.note_wraps = display_width(s) >= 2 * self.column
                self.prev_structural = True
                return
            self._close_note()
        if self.blank_before and (m := _PHOTO_CAPTION.match(s)):
            self._place(Unit(m.group("cap"), "caption", (0,), (lineno,)))
            self.prev_structural = True
            return
        caption = None
        if len(s) * 2 > self.column + 6 and display_width(s) > self.column + 6:
            split = _split_overflow(s, self.column)
            if split and (_CREDIT_CUE.search(split[1]) or display_width(s) >= 1.5 * self.column):
                s, caption = split
        if "(" in s:
            s = self._drop_markers(s, lineno)
        self.body.add(s, lineno)
        self.prev_structural = False
        if caption:
            self._place(Unit(caption, "caption", (0,), (lineno,)))

    def _drop_markers(self, s: str, lineno: int) -> str:
        out: list[str] = []
        pos = 0
        for m in _MARKER.finditer(s):
            before = s[m.start() - 1] if m.start() else self.body.last()
            if not before or before in _NO_MARKER_BEFORE:
                continue
            out.append(s[pos:m.start()])
            pos = m.end()
            self.deletions.append(Deletion(lineno, m.group(), "footnote-marker"))
        if not out:
            return s
        out.append(s[pos:])
        return "".join(out)

    def _place(self, unit: Unit) -> None:
        """Put an interrupting unit (footnote, caption) where it belongs in reading order."""
        if self.body:
            self.pending.append((self.body.size, unit))
        else:
            self.units.append(unit)

    def _close_note(self) -> None:
        if self.note is not None:
            if self.note:
                self._place(self.note.build("footnote", self.note_label))
            self.note = None
            self.note_wraps = False

    def _flush_body(self) -> None:
        if not self.body:
            return
        unit = self.body.build("paragraph")
        self.body = _Builder()
        pending, self.pending = self.pending, []
        if not pending:
            self.units.append(unit)
            return
        pos = 0
        cuts = _sentence_ends(unit.text, [anchor for anchor, _ in pending])
        for cut, (_, inserted) in zip(cuts, pending, strict=True):
            if cut > pos:
                self.units.append(unit.slice(pos, cut))
                pos = cut
            self.units.append(inserted)
        if pos < len(unit.text):
            rest = unit.slice(pos, len(unit.text))
            if rest.text:
                self.units.append(rest)


# --------------------------------------------------------------------------------------------
# Plain layout
# --------------------------------------------------------------------------------------------

# Web-page skeleton: an image placeholder left by the converter ("Image", 'image"').
_PLACEHOLDER = re.compile(r"^\s*(?:\[?(?:image|img|picture|photo)\]?)[\"'”]?\s*$", re.IGNORECASE)
# A photo credit or source line glued after the last sentence ("…行った。写真:トン・ニャット/VNA").
_TRAILING_CREDIT = re.compile(r"(?<=[。！？.!?」])\s*((?:写真|出典|画像|Photo|Source)\s*[:：].*)$")
_LEADING_CREDIT = re.compile(r"^(?:写真|出典|画像|Photo|Source)\s*[:：]")
_HEADING_PUNCT = re.compile(r"[。、，,.！？!?：:]")


def _clean_plain(lines: list[str]) -> tuple[list[Unit], list[Deletion]]:
    units: list[Unit] = []
    deletions: list[Deletion] = []
    n = len(lines)
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            continue
        lineno = i + 1
        if _PLACEHOLDER.match(s):
            deletions.append(Deletion(lineno, raw, "placeholder"))
            continue
        last = units[-1] if units else None
        if (raw.startswith("\xa0") and last is not None and last.kind == "paragraph"
                and last.lines[-1] == lineno - 1 and not _SENTENCE_END.search(last.text)):
            # A web converter wraps a long reference behind a no-break space:
            # "… ISBN" ⏎ "\xa0978-0-89774-940-4。" is one line.
            units[-1] = Unit(f"{last.text} {s}", "paragraph", (*last.starts, len(last.text)),
                             (*last.lines, lineno))
            continue
        if _LEADING_CREDIT.match(s):
            units.append(Unit(s, "caption", (0,), (lineno,)))
            continue
        credit = None
        if m := _TRAILING_CREDIT.search(s):
            s, credit = s[:m.start()].rstrip(), m.group(1)
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= n or not lines[i + 1].strip())
        if alone and not credit and len(s) <= 30 and not _HEADING_PUNCT.search(s):
            units.append(Unit(s, "heading", (0,), (lineno,)))
        else:
            units.append(Unit(s, "paragraph", (0,), (lineno,)))
        if credit:
            units.append(Unit(credit, "caption", (0,), (lineno,)))
    return units, deletions


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def clean(text: str, layout: str = "auto") -> Cleaned:
    """Clean extraction damage from `text` and cut it into units; record every deletion.

    `layout` is "auto" (decide from line widths), "pdf" (a page extract: lines are joined and
    page furniture, ruby, footnote markers and charts are removed) or "plain" (a line is a
    paragraph; only image placeholders are dropped).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    detected, column = detect_layout(text)
    if layout == "auto":
        layout = detected
    lines = text.split("\n")
    if layout == "pdf":
        column = column if column >= 24 else 40
        units, deletions = _PdfCleaner(lines, column).run()
        return Cleaned(units, deletions, "pdf", column)
    units, deletions = _clean_plain(lines)
    return Cleaned(units, deletions, "plain", 0)
