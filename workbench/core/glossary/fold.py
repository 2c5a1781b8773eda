"""Folding: the one function by which source text and glossary variants are compared.

Width, case, the ヴ row, long-vowel marks and name separators inside katakana, variation
selectors; every folded span maps back to the exact span of the original text."""

from __future__ import annotations

import re
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import accumulate
from operator import add, sub

from workbench.core.chars import char_class, nfkc_table

# ============================================================================================
# Folding
# ============================================================================================

# Combining marks (and the half-width voiced sound marks) that NFKC may compose with the
# character before them.
_COMBINING_RANGES = ((0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                     (0xFE20, 0xFE2F), (0x3099, 0x309A), (0xFF9E, 0xFF9F))
_COMBINING = "".join(f"{chr(a)}-{chr(b)}" for a, b in _COMBINING_RANGES)
_COMBINING_CHARS = frozenset(chr(c) for a, b in _COMBINING_RANGES for c in range(a, b + 1))

# Japanese folding rules, applied after NFKC and lower-casing:
#  1. the ヴ row: ヴァ→バ ヴィ→ビ ヴ→ブ ヴェ→ベ ヴォ→ボ (ヴュ→ビュ); the rare precomposed
#     ヷヸヹヺ (ワ゛ ヰ゛ ヱ゛ ヲ゛) read as ヴァ ヴィ ヴェ ヴォ
#  2. long-vowel marks after a kana are dropped (プーチン = プチン, メドベージェフ = メドベジェフ);
#     they stay attached to the kana before them so a hit ending there covers them
#  3. name separators between katakana are dropped (ドミトリー・メドヴェージェフ, ジャン=ポール,
#     ドミトリー メドヴェージェフ all fold alike); any other run of whitespace becomes one space
#  4. ideographic variation selectors (辻󠄀 = 辻 + U+E0100) are dropped, attached to their kanji
#     (or to the edit just before them)
_SELECTORS = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
_SEPARATORS = "・=゠"
_KATAKANA = "\u30a1-\u30fa\u31f0-\u31ff"      # katakana letters (without ・ and ー)
_KANA = "\u3041-\u3096" + _KATAKANA
_KATAKANA_WORD_CLASS = _KATAKANA + "\uff66-\uff9fー"   # what continues a katakana word
# What str.isspace() calls whitespace (none lies beyond U+3000), spelled out: a class of
# characters alone compiles to a table lookup, one with `\s` to a slower test per character.
_SPACE_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACES = re.escape(_SPACE_CHARS)
_NOT_PLAIN_SPACES = re.escape(_SPACE_CHARS.replace(" ", ""))
# One match per edit, so that the whole stage is one regex scan (in C) plus a few steps per
# edit. Every alternative starts with one of the characters that can start a rule (the class
# in front lets the regex engine skip everything else) and names itself by an empty group
# (`lastindex`); the selectors after any edit join it.
_JA_EDIT = re.compile(
    f"[ヴヷヸヹヺー{_SEPARATORS}{_SPACES}{_SELECTORS}]"
    "(?:(?<=ヴ)()([ァィェォュ]?)ー*"                                # 2: ヴ and its small vowel
    "|(?<=[ヷヸヹヺ])()ー*"                                         # 3
    f"|(?<=[{_KANA}]ー)()ー*"                                      # 4: the kana stays
    f"|(?<=[{_KATAKANA_WORD_CLASS}][{_SEPARATORS}{_SPACES}])()"     # 5: inside a name
    f"[{_SEPARATORS}{_SPACES}]*(?=[{_KATAKANA}])"
    f"|(?<=[{_NOT_PLAIN_SPACES}])()[{_SPACES}]*|(?<= )()[{_SPACES}]+"  # 6, 7: not one " "
    f"|(?<=[{_SELECTORS}])()"                                      # 8: after anything else
    f")[{_SELECTORS}]*")
_VU_KIND, _VU_PRECOMPOSED_KIND, _LONG_VOWEL_KIND, _NAME_SEPARATOR_KIND, _SELECTOR_KIND = \
    2, 3, 4, 5, 8


_VU = {"": "ブ", "ァ": "バ", "ィ": "ビ", "ェ": "ベ", "ォ": "ボ", "ュ": "ビュ"}
_VU_PRECOMPOSED = {"ヷ": "バ", "ヸ": "ビ", "ヹ": "ベ", "ヺ": "ボ"}

# The replaced spans of one folding stage, as columns: input starts, input ends, output
# lengths.
_Edits = tuple[list[int], list[int], list[int]]


@lru_cache(maxsize=1)
def _nfkc_changing() -> re.Pattern[str]:
    """A character that NFKC may change (any beyond the BMP: math letters 𝐀, CJK compatibility
    ideographs), or a combining mark (カ + ゛ → ガ), with the marks after it.

    Built once from the table the checks use too (`nfkc_table`); one class, so the scan
    runs in C.
    Normalising only these spans is far cheaper than normalising whole Japanese texts,
    where NFKC decomposes and recomposes every kana.
    """
    return re.compile(f"[{char_class(frozenset(nfkc_table()))}{_COMBINING}\U00010000-\U0010ffff]"
                      f"[{_COMBINING}]*")


def _stage_nfkc(text: str) -> tuple[str, _Edits]:
    starts: list[int] = []
    ends: list[int] = []
    sizes: list[int] = []
    if unicodedata.is_normalized("NFKC", text):
        return text, (starts, ends, sizes)
    pieces: list[str] = []
    normal: dict[str, str] = {}        # the same few characters recur: normalise each once
    last = 0
    for m in _nfkc_changing().finditer(text):
        start, end = m.span()
        if start > last and text[start] in _COMBINING_CHARS:
            start -= 1                 # a mark composes with the character before it
        old = text[start:end]
        new = normal.get(old)
        if new is None:
            new = normal[old] = unicodedata.normalize("NFKC", old)
        if new == old:
            continue
        pieces.append(text[last:start])
        pieces.append(new)
        if len(old) > 1 or len(new) > 1:   # one character for one needs no map
            starts.append(start)
            ends.append(end)
            sizes.append(len(new))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), (starts, ends, sizes)


def _stage_case(text: str) -> tuple[str, _Edits]:
    lowered = text.lower()
    starts: list[int] = []
    if len(lowered) == len(text):
        return lowered, (starts, [], [])   # lower() never shortens: same length means 1:1
    pieces = []
    sizes: list[int] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        pieces.append(low)
        if len(low) != 1:
            starts.append(i)
            sizes.append(len(low))
    return "".join(pieces), (starts, [i + 1 for i in starts], sizes)


def _stage_ja(text: str) -> tuple[str, _Edits]:
    starts: list[int] = []
    ends: list[int] = []
    sizes: list[int] = []
    add_start, add_end, add_size = starts.append, ends.append, sizes.append

    def edit(m: re.Match[str]) -> str:
        """The replacement of one match, noting the edit (the regex builds the text in C)."""
        start, end = m.span()
        kind = m.lastindex
        add_end(end)
        if kind == _LONG_VOWEL_KIND or kind == _SELECTOR_KIND and start:
            add_start(start - 1)       # the edit keeps the character before the match
            add_size(1)
            return ""
        add_start(start)
        if kind in (_NAME_SEPARATOR_KIND, _SELECTOR_KIND):
            add_size(0)
            return ""
        new = _VU[m.group(kind)] if kind == _VU_KIND else \
            _VU_PRECOMPOSED[text[start]] if kind == _VU_PRECOMPOSED_KIND else " "
        add_size(len(new))
        return new

    return _JA_EDIT.sub(edit, text), (starts, ends, sizes)



_STAGES = (_stage_nfkc, _stage_case, _stage_ja)


class _StageMap:
    """Maps spans of one folding stage's output back to its input.

    Both directions are piecewise shifts: a span starting at output offset `p` starts at
    `p + start_shift[bisect_right(start_at, p)]` in the input, and one ending at `p` ends at
    `p + end_shift[bisect_left(end_at, p)]`. A replacement's output maps to its whole input
    span (ヴェ → ベ), a deletion right at a span's start lies before it and one right at its
    end after it. Many offsets in ascending order map by one walk along them and the edits
    (`starts`, `ends`), cheaper than a bisection each.
    """

    __slots__ = ("start_at", "start_shift", "end_at", "end_shift")

    def __init__(self, edits: _Edits) -> None:
        in_starts, in_ends, sizes = edits
        # input minus output offset before edit k (and after the last one)
        shifts = list(accumulate(map(sub, map(sub, in_ends, in_starts), sizes), initial=0))
        out_starts = list(map(sub, in_starts, shifts))
        self.start_shift = self.end_shift = shifts
        if max(sizes) <= 1:
            # The usual case: an edit of one character or none shifts like the text after
            # it, for starts from its end and for ends from its start.
            self.start_at: list[int] = list(map(add, out_starts, sizes))
            self.end_at: list[int] = out_starts
            return
        start_at, start_shift, end_at, end_shift = [], [0], [], [0]
        for a, b, size, out, after in zip(in_starts, in_ends, sizes, out_starts, shifts[1:],
                                          strict=True):
            for j in range(1, size):          # inside a longer replacement: its input start
                start_at.append(out + j)
                start_shift.append(a - out - j)
            start_at.append(out + size)
            start_shift.append(after)
            if not size:
                end_at.append(out)
                end_shift.append(after)
            for j in range(size):
                end_at.append(out + j)
                end_shift.append(b - out - j - 1)
        self.start_at, self.start_shift, self.end_at, self.end_shift = \
            start_at, start_shift, end_at, end_shift

    def start(self, pos: int) -> int:
        return pos + self.start_shift[bisect_right(self.start_at, pos)]

    def end(self, pos: int) -> int:
        return pos + self.end_shift[bisect_left(self.end_at, pos)]

    def starts(self, positions: Iterable[int]) -> list[int]:
        """`start` of many offsets in ascending order: one walk along them and the edits."""
        at, shift = [*self.start_at, sys.maxsize], self.start_shift
        out = []
        k = 0
        for pos in positions:
            while at[k] <= pos:
                k += 1
            out.append(pos + shift[k])
        return out

    def ends(self, positions: Iterable[int]) -> list[int]:
        """`end` of many offsets in ascending order: one walk along them and the edits."""
        at, shift = [*self.end_at, sys.maxsize], self.end_shift
        out = []
        k = 0
        for pos in positions:
            while at[k] < pos:
                k += 1
            out.append(pos + shift[k])
        return out


class Folded:
    """Folded text that remembers how to map its spans back to the original text."""

    __slots__ = ("original", "text", "maps")

    def __init__(self, original: str) -> None:
        self.original = original
        maps: list[_StageMap] = []
        text = original
        for stage in _STAGES:
            text, edits = stage(text)
            if edits[0]:
                maps.append(_StageMap(edits))
        maps.reverse()
        self.text = text
        self.maps = maps    # last stage first: the order spans are mapped back in

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded `[start, end)` came from."""
        for stage in self.maps:
            start, end = stage.start(start), stage.end(end)
        return start, end

    def start(self, pos: int) -> int:
        """Where a span starting at folded `pos` starts in the original."""
        for stage in self.maps:
            pos = stage.start(pos)
        return pos

    def end(self, pos: int) -> int:
        """Where a span ending at folded `pos` ends in the original."""
        for stage in self.maps:
            pos = stage.end(pos)
        return pos

    def starts(self, positions: Sequence[int]) -> Sequence[int]:
        """`start` of many folded offsets, in ascending order."""
        for stage in self.maps:
            positions = stage.starts(positions)
        return positions

    def ends(self, positions: Sequence[int]) -> Sequence[int]:
        """`end` of many folded offsets, in ascending order."""
        for stage in self.maps:
            positions = stage.ends(positions)
        return positions

    def offsets(self) -> list[int]:
        """For each folded character its original start, plus the original length at the end."""
        starts = list(self.starts(range(len(self.text))))
        starts.append(len(self.original))
        return starts


def fold(text: str) -> tuple[str, list[int]]:
    """Fold text for matching; also return, for each folded offset, the original offset.

    The list has one more item than the folded text (the original length), so a folded span
    `[s, e)` starts at `offsets[s]` in the original. For exact end offsets (a hit that ends
    just before a dropped `・`), use `Folded(text).span(s, e)`.
    """
    folded = Folded(text)
    return folded.text, folded.offsets()


def fold_key(text: str) -> str:
    """The folded form alone: the key a variant is matched and compared by."""
    for stage in _STAGES:
        text = stage(text)[0]
    return text
