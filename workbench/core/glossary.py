"""The glossary: entries, their files (TSV, CSV, XLSX, TBX), variant folding and the matcher.

A glossary is every `.tsv`, `.csv`, `.xlsx` and `.tbx` file in a project's `glossary/` folder,
merged. Each entry names one thing the one canonical English way (`en`) and lists how the
Japanese sources spell it (`ja`). Source text and variants are *folded* by the same function
(width, separators and long-vowel marks inside katakana names, the ヴ row, case) so a variant
written one way finds the name written another, and every hit points at the exact span of the
original text. See `glossary/README.md` for the file format.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate
from operator import add, sub
from pathlib import Path
from typing import Any, NamedTuple

from ahocorasick_rs import MATCHKIND_STANDARD, AhoCorasick
from rapidfuzz import fuzz, process

from workbench.core.atomic import atomic_write_bytes, atomic_write_text
from workbench.core.batch import gc_paused
from workbench.core.errors import GlossaryError, SourceError
from workbench.core.text import char_class, nfkc_table, read_source

__all__ = [
    "COLUMNS",
    "KATAKANA_CHARS",
    "KATAKANA_WORD",
    "WORD_CHARS",
    "Entry",
    "Glossary",
    "GlossaryProblem",
    "Hit",
    "Suggestion",
    "add_entry",
    "ends_word",
    "fold",
    "fold_key",
    "glossary_files",
    "glossary_stamp",
    "lint_glossary",
    "load_glossary",
    "read_entries",
    "romanize",
    "start_glossary",
    "starts_word",
    "suggest_names",
    "suggestion_columns",
    "write_glossary",
]

COLUMNS: tuple[str, ...] = ("en", "ja", "type", "en_variants", "forbidden", "note")
"""Columns a glossary file may have, in the order they are written. `en` and `ja` are required."""
REQUIRED_COLUMNS: tuple[str, ...] = ("en", "ja")
LIST_COLUMNS: frozenset[str] = frozenset({"ja", "en_variants", "forbidden"})
SEPARATOR = "|"
SUFFIXES: tuple[str, ...] = (".tsv", ".csv", ".xlsx", ".tbx")
MAIN_FILE = "names.tsv"

# Bump when folding or matching rules change: normalized translations made with the old rules
# become stale because the fingerprint changes with it.
MATCHER_VERSION = "1"


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
KATAKANA_CHARS: frozenset[str] = frozenset(map(chr, [*range(0x30A1, 0x30FB),
                                                     *range(0x31F0, 0x3200)]))
"""Katakana letters."""
KATAKANA_WORD: frozenset[str] = KATAKANA_CHARS | frozenset(map(chr, range(0xFF66, 0xFFA0))) | \
    {"ー"}
"""What continues a katakana word: full- or half-width letters and ー (インド is not a word
inside インドネシア, in the sources as in a leftover in the English)."""
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


def _is_katakana(ch: str) -> bool:
    return ch in KATAKANA_CHARS


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


# What makes a word go on, in the sources as in the English: a Latin, Greek or Cyrillic letter
# or a digit, ASCII or full-width. Kanji, kana, punctuation and spaces end a word, so a name
# glued to Japanese (`KGBの`, `占領後Khojaly、`) is a word; `str.isalnum()` and `\w` would
# take the Japanese for more of it.
_WORD_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0xAA, 0xAA), (0xB5, 0xB5),
                (0xBA, 0xBA), (0xC0, 0x24F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1EFF),
                (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
WORD_CHARS: frozenset[str] = frozenset(chr(c) for a, b in _WORD_RANGES for c in range(a, b + 1)
                                       if chr(c) not in "\u00d7\u00f7")
"""Characters that continue a word: a name or a rewrite stops only where none follows."""


def _is_word_char(ch: str) -> bool:
    return ch in WORD_CHARS


def starts_word(text: str, start: int) -> bool:
    """Whether a word begins at `start` (camelCase joins of run-together text count)."""
    if start == 0:
        return True
    before = text[start - 1]
    if before not in WORD_CHARS:
        return True
    # camelCase joins of run-together extraction count as word breaks: …встречеГейдара,
    # and after an acronym, МИДРоссии.
    first = text[start]
    if not first.isupper():
        return False
    return before.islower() or (before.isupper() and start + 1 < len(text)
                                and text[start + 1].islower())


def ends_word(text: str, end: int) -> bool:
    """Whether a word ends at `end` (camelCase joins of run-together text count)."""
    if end >= len(text):
        return True
    after = text[end]
    if after not in WORD_CHARS:
        return True
    if not after.isupper():
        return False
    last = text[end - 1]
    return last.islower() or (last.isupper() and end + 1 < len(text)
                              and text[end + 1].islower())


# ============================================================================================
# Model
# ============================================================================================

_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Entry:
    """One named thing: its canonical English and every way the sources spell it."""

    en: str
    ja: tuple[str, ...]
    type: str
    en_variants: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""
    file: str = ""
    line: int = 0

    @property
    def rendering(self) -> str:
        """What goes into English: `en` without a trailing `(…)` disambiguator or `/ …`."""
        text = _PARENTHETICAL.sub("", self.en).strip() or self.en
        return text.split(" / ")[0].strip()

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Other full English forms that count as the name being present (never rewritten).

        The text of a trailing `(…)` (`SOCAR (State Oil Company …)`), the parts of an
        `a / b` name, and the Latin-script source variants (`CSTO`, `Mutallibov`).
        """
        out: list[str] = []
        m = _PARENTHETICAL.search(self.en)
        if m:
            out.append(m.group(1).strip())
        base = _PARENTHETICAL.sub("", self.en).strip()
        out.extend(p.strip() for p in base.split(" / ")[1:])
        out.extend(v for v in self.ja if _is_latin_text(v))
        return tuple(dict.fromkeys(x for x in out if x and x != self.rendering))

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""


def _is_latin_text(text: str) -> bool:
    """Latin-script text with no Japanese or Cyrillic in it (`CSTO`, `News.Az`)."""
    return bool(re.fullmatch(r"[\x20-\x7e\u00c0-\u024f\u1e00-\u1eff]+", text)) and any(
        c.isalpha() for c in text)


class Hit(NamedTuple):
    """A mention of an entry in a text: `[start, end)` spans the ORIGINAL text.

    A named tuple rather than a dataclass: a batch makes hundreds of thousands of hits, and a
    tuple is built in C at a fraction of the cost of a frozen dataclass.
    """

    start: int
    end: int
    surface: str
    variant: str
    entry: Entry


# What the matcher knows of a key: (the folded characters before a match and those after
# it that need a look at the original, variant as written in the glossary, entry). A key
# starting with a Latin/Cyrillic letter or digit needs a word boundary before it, so a
# letter there needs checking; one starting with katakana must not continue a katakana word.
_Key = tuple[frozenset[str], frozenset[str], str, Entry]
_Match = tuple[int, int, str, Entry]     # folded start and end, variant, entry
_NOTHING: frozenset[str] = frozenset()
_SURROGATE = re.compile("[\ud800-\udfff]")
_NEVER_FOLDED = "\ufb01"   # NFKC makes ﬁ "fi": no folded key holds it


def _continuing(ch: str) -> frozenset[str]:
    """The neighbours of a key's first or last character `ch` that may continue its word."""
    return (WORD_CHARS if _is_word_char(ch) else
            KATAKANA_WORD if _is_katakana(ch) else _NOTHING)


class _Matcher:
    """One Aho-Corasick automaton over the folded variants of every entry."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        keys: dict[str, _Key] = {}
        for entry in entries:
            for variant in entry.ja:
                key = fold_key(variant)
                if not key or key in keys or "\0" in key:
                    continue   # a second variant folding alike adds nothing (lint reports it)
                keys[key] = (_continuing(key[0]), _continuing(key[-1]), variant, entry)
        # Matches come back as (key index, start, end) in characters, all of them
        # (overlapping), in order of their ends.
        self.keys: list[_Key] = list(keys.values())
        self.automaton = AhoCorasick(list(keys), matchkind=MATCHKIND_STANDARD) \
            if keys else None

    # Texts per scan: enough to spread the fixed cost of a scan thin, few enough that its
    # strings and offset tables stay in the CPU caches and bisecting them stays short.
    BATCH = 100

    def find_all(self, texts: Sequence[str]) -> list[list[Hit]]:
        """The hits of each text.

        The texts are folded and scanned BATCH at a time as one string joined by NUL (which
        no rule folds, no key contains and no boundary rule takes for part of a word), so the
        cost per text is mostly that of its matches. The cyclic garbage collector is paused
        meanwhile: the many small objects made here hold no cycles, and its passes over a
        large batch would only slow it down.
        """
        if self.automaton is None or not texts:
            return [[] for _ in texts]
        with gc_paused():
            if len(texts) <= self.BATCH:
                return self._scan(texts)
            results: list[list[Hit]] = []
            for at in range(0, len(texts), self.BATCH):
                results += self._scan(texts[at:at + self.BATCH])
        return results

    def _scan(self, texts: Sequence[str]) -> list[list[Hit]]:
        # A NUL before the first text and after the last one too: every match has a
        # character on each side. (A NUL inside a text is harmless: hits are told apart by
        # offset, not by the NULs.)
        joined = "\0".join(["", *texts, ""])
        folded = Folded(joined)
        ftext = folded.text
        maps = folded.maps
        start_of, end_of = (maps[0].start, maps[0].end) if len(maps) == 1 else \
            (folded.start, folded.end)
        katakana = KATAKANA_WORD
        found: list[Any] = []         # flat: folded start and end, variant, entry of each match
        extend = found.extend
        overlaps: list[int] = []      # where in `found` each match overlapping the one before is
        last = 0                      # where the last match ends
        keys = self.keys
        assert self.automaton is not None     # find_all scans only with keys
        try:
            matches = self.automaton.find_matches_as_indexes(ftext, overlapping=True)
        except UnicodeEncodeError:
            # A lone surrogate (text that went through surrogateescape): the automaton reads
            # UTF-8, so it scans a stand-in of the same length, where no key can match.
            matches = self.automaton.find_matches_as_indexes(
                _SURROGATE.sub(_NEVER_FOLDED, ftext), overlapping=True)
        for index, start, end in matches:
            before, after, variant, entry = keys[index]
            # A letter or katakana next to the match in the folded text may continue its
            # word: a look at the original decides (camelCase; a ・ folded away between).
            if ftext[start - 1] in before:
                at = start_of(start)
                if joined[at - 1] in before if before is katakana else \
                        not starts_word(joined, at):
                    continue
            if ftext[end] in after:
                at = end_of(end)
                if joined[at] in after if after is katakana else not ends_word(joined, at):
                    continue
            if start < last:
                overlaps.append(len(found))
            last = end
            extend((start, end, variant, entry))
        if not found:
            return [[] for _ in texts]
        if overlaps:
            found = _longest_of_overlapping(found, overlaps)
        starts = folded.starts(found[0::4])
        ends = folded.ends(found[1::4])
        # Text i starts at bases[i] in `joined`; hits come in text order. (Plain loops here:
        # for a few hits per text, specialised bytecode beats chains of map() in C.)
        bases = list(accumulate([len(text) + 1 for text in texts], initial=1))
        results: list[list[Hit]] = [[] for _ in texts]
        new = tuple.__new__           # Hit(*fields) without the named tuple's Python __new__
        i = 0
        base, next_base, keep = bases[0], bases[1], results[0].append
        for start, end, variant, entry in zip(starts, ends, found[2::4], found[3::4],
                                              strict=True):
            if start >= next_base:    # the first hit of a later text
                i += 1
                while bases[i + 1] <= start:
                    i += 1
                base, next_base, keep = bases[i], bases[i + 1], results[i].append
            keep(new(Hit, (start - base, end - base, joined[start:end], variant, entry)))
        for i in _texts_with_urls(joined, bases):
            if results[i]:
                results[i] = _outside_urls(texts[i], results[i])
        return results


def _longest_of_overlapping(found: list[Any], overlaps: list[int]) -> list[Any]:
    """Flat matches with each group of ones overlapping one another cut by `_longest_first`.

    Matches come in order of their ends, so those a match overlaps are the ones right
    before it that end after it starts; `overlaps` lists where the matches that overlap the
    one before them are. A group is a range of matches: the ranges of two matches that share
    a match merge.
    """
    groups: list[tuple[int, int]] = []
    for at in overlaps:
        start = found[at]
        first = at - 4
        while first and found[first - 3] > start:     # the end of the match before `first`
            first -= 4
        while groups and groups[-1][1] > first:
            first = min(first, groups.pop()[0])
        groups.append((first, at + 4))
    out: list[Any] = []
    done = 0
    for first, stop in groups:
        out += found[done:first]
        if stop - first == 8:
            # Two matches, the second ending no earlier: it wins only by being longer.
            a, b = first, first + 4
            out += found[b:stop] if found[b + 1] - found[b] > found[a + 1] - found[a] else \
                found[a:b]
        else:
            group = iter(found[first:stop])
            for match in _longest_first(list(zip(group, group, group, group, strict=True))):
                out += match
        done = stop
    out += found[done:]
    return out


def _texts_with_urls(joined: str, bases: list[int]) -> set[int]:
    """Which texts of a batch (starting at `bases` in `joined`) may hold a web address."""
    found = set()
    for mark in ("://", "www."):
        at = joined.find(mark)
        while at != -1:
            i = bisect_right(bases, at) - 1
            found.add(i)
            at = joined.find(mark, bases[i + 1])     # the next text
    return found


_URL = re.compile(r"(?:https?://|www\.)[^\s「」『』（）()<>、。，\"”]+")


def _outside_urls(text: str, hits: list[Hit]) -> list[Hit]:
    """A name inside a web address is part of the address, not a mention."""
    urls = [m.span() for m in _URL.finditer(text)]
    return [h for h in hits if not any(s <= h.start and h.end <= e for s, e in urls)]


def _longest_first(candidates: list[_Match]) -> list[_Match]:
    """Keep the longest of overlapping matches (then the leftmost); return them in text order."""
    candidates.sort(key=lambda c: (c[0] - c[1], c[0]))
    kept: list[_Match] = []
    for cand in candidates:
        s, e = cand[0], cand[1]
        for ks, ke, _, _ in kept:
            if s < ke and ks < e:
                break
        else:
            kept.append(cand)
    kept.sort(key=lambda c: c[0])
    return kept


class Glossary:
    """The merged entries of a glossary folder, and the matcher built from them on first use."""

    def __init__(self, entries: Iterable[Entry], folder: Path | None = None) -> None:
        self.entries: list[Entry] = list(entries)
        self.folder = folder
        self.fingerprint: str = _fingerprint(self.entries)
        self._by_en = {e.en: e for e in self.entries}
        self._matcher: _Matcher | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def get(self, en: str) -> Entry | None:
        """The entry whose canonical English is `en`."""
        return self._by_en.get(en)

    def find(self, text: str) -> list[Hit]:
        """Every mention of an entry in `text`, in text order; of overlapping matches the
        longest wins and the ones inside it do not count."""
        return self._compiled().find_all((text,))[0]

    def find_all(self, texts: Sequence[str]) -> list[list[Hit]]:
        """`find` over many texts at once: the same hits, with one fold and one scan for the
        whole batch (what checks and refreshes over a project use)."""
        return self._compiled().find_all(texts)

    def _compiled(self) -> _Matcher:
        matcher = self._matcher
        if matcher is None:
            with self._lock:    # the TUI may ask from several worker threads at once
                if self._matcher is None:
                    self._matcher = _Matcher(self.entries)
                matcher = self._matcher
        return matcher


def _fingerprint(entries: Sequence[Entry]) -> str:
    data = sorted((e.en, e.ja, e.type, e.en_variants, e.forbidden, e.note) for e in entries)
    blob = json.dumps([MATCHER_VERSION, data], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


# ============================================================================================
# Reading files
# ============================================================================================


@dataclass(frozen=True)
class GlossaryProblem:
    """A finding about a glossary file (from loading or `lint`), located by file and line."""

    severity: str   # "error" | "warning"
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


_Collector = list[GlossaryProblem] | None


def _problem(collector: _Collector, path: Path | str, line: int, message: str,
             hint: str | None = None) -> None:
    """Raise a GlossaryError, or record it when collecting (lint reports every problem)."""
    if collector is None:
        raise GlossaryError(message, path=path, line=line or None, hint=hint)
    collector.append(GlossaryProblem("error", str(path), line, message))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(SEPARATOR)]


def _header(cells: Sequence[str], path: Path, line: int) -> list[str]:
    names = [c.strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()
    for name in names:
        if name not in COLUMNS:
            raise GlossaryError(f"unknown column {name!r}", path=path, line=line,
                                hint=f"columns are {', '.join(COLUMNS)}; en and ja are required.")
    dupes = [n for n, c in Counter(names).items() if c > 1]
    if dupes:
        raise GlossaryError(f"column {dupes[0]!r} appears twice", path=path, line=line)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise GlossaryError(
            f"no {' or '.join(repr(m) for m in missing)} column in the header", path=path,
            line=line, hint=f"the first row names the columns: {', '.join(COLUMNS)}.")
    return names


def _entry_from_cells(values: dict[str, str], path: Path, line: int,
                      collector: _Collector) -> Entry | None:
    """Validate one row; a bad row is an error (or a recorded problem), never skipped."""
    en = values.get("en", "").strip()
    if not en:
        _problem(collector, path, line, "missing `en` (the canonical English)")
        return None
    if SEPARATOR in en:
        _problem(collector, path, line, f"`en` holds {SEPARATOR!r}: {en!r}",
                 hint="`en` is the one canonical name; put other renderings in en_variants.")
        return None
    lists: dict[str, tuple[str, ...]] = {}
    for column in ("ja", "en_variants", "forbidden"):
        raw = values.get(column, "").strip()
        if not raw:
            if column == "ja":
                _problem(collector, path, line, f"empty variant: no `ja` for {en!r}")
                return None
            lists[column] = ()
            continue
        items = _split(raw)
        if any(not v for v in items):
            _problem(collector, path, line, f"empty variant in `{column}` of {en!r}: {raw!r}",
                     hint=f"variants are separated by a single {SEPARATOR!r}.")
            return None
        if column == "ja":
            blank = [v for v in items if not any(c.isalnum() for c in v)]
            if blank:
                _problem(collector, path, line, f"variant {blank[0]!r} of {en!r} has nothing "
                                                f"to match (only punctuation or separators)")
                return None
        lists[column] = tuple(dict.fromkeys(items))
    return Entry(en=en, ja=lists["ja"], type=values.get("type", "").strip(),
                 en_variants=lists["en_variants"], forbidden=lists["forbidden"],
                 note=values.get("note", "").strip(), file=str(path), line=line)


def _rows_from_lines(lines: Iterable[tuple[int, list[str]]], path: Path,
                     collector: _Collector, strict_width: bool) -> list[Entry]:
    header: list[str] | None = None
    out: list[Entry] = []
    for number, cells in lines:
        if not any(c.strip() for c in cells):
            continue                                   # blank lines are not rows
        if cells[0].lstrip().startswith("#"):
            continue                                   # comment lines
        if header is None:
            header = _header(cells, path, number)
            continue
        width = len(cells)
        if not strict_width:   # a spreadsheet row simply ends: only stray cells count
            while width > len(header) and not cells[width - 1].strip():
                width -= 1
        bad_width = width != len(header) if strict_width else width > len(header)
        if bad_width:
            _problem(collector, path, number,
                     f"row has {width} columns, the header has {len(header)}",
                     hint="fields are separated by one tab (TSV) or comma (CSV); empty "
                          "optional fields still need their separator.")
            continue
        values = dict(zip(header, cells, strict=False))
        entry = _entry_from_cells(values, path, number, collector)
        if entry is not None:
            out.append(entry)
    if header is None:
        _problem(collector, path, 0, "no header row",
                 hint=f"the first row names the columns: {', '.join(COLUMNS)}.")
    return out


def _read_text(path: Path) -> str:
    """A TSV or CSV glossary's text, decoded as sources are: UTF-8 with or without a BOM,
    UTF-16 (Excel's "Unicode text"), Shift_JIS/CP932 or EUC-JP; CRLF and CR made LF."""
    try:
        return read_source(path).text
    except SourceError as exc:
        raise GlossaryError(exc.detail, path=path, line=exc.line,
                            hint="save the glossary as UTF-8.") from None


def _read_tsv(path: Path, collector: _Collector) -> list[Entry]:
    lines = _read_text(path).splitlines()
    return _rows_from_lines(((i, line.split("\t")) for i, line in enumerate(lines, 1)),
                            path, collector, strict_width=True)


def _read_csv(path: Path, collector: _Collector) -> list[Entry]:
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))

    def numbered() -> Iterable[tuple[int, list[str]]]:
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise GlossaryError(f"bad CSV: {exc}", path=path, line=reader.line_num) from None

    return _rows_from_lines(numbered(), path, collector, strict_width=True)


def _read_xlsx(path: Path, collector: _Collector) -> list[Entry]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:   # openpyxl raises many types for a damaged file
        raise GlossaryError(f"cannot read as an Excel workbook: {exc}", path=path) from None
    try:
        sheet = book["glossary"] if "glossary" in book.sheetnames else book.worksheets[0]
        rows = [(i, ["" if v is None else str(v) for v in row])
                for i, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _rows_from_lines(rows, path, collector, strict_width=False)


# TBX: administrative status of an English term ↔ its role in an entry.
_TBX_STATUS = {"preferredTerm-admn-sts": "en", "supersededTerm-admn-sts": "en_variants",
               "deprecatedTerm-admn-sts": "forbidden", "admittedTerm-admn-sts": "en_variants"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _read_tbx(path: Path, collector: _Collector) -> list[Entry]:
    """TBX 2 (`martif`/`termEntry`/`langSet`/`tig`) or TBX 3 (`conceptEntry`/`langSec`)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        line = getattr(exc, "lineno", None)
        raise GlossaryError(f"not a readable TBX file: {exc}", path=path, line=line) from None
    out: list[Entry] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        values: dict[str, list[str]] = defaultdict(list)
        for node in concept.iter():
            name = _local(node.tag)
            if name in ("descrip", "termNote") and node.get("type") in ("subjectField",
                                                                           "entityType"):
                values["type"].append((node.text or "").strip())
            elif name == "note" and node.getparent() is concept:
                values["note"].append((node.text or "").strip())
            elif name == "term":
                lang_node = next((a for a in node.iterancestors()
                                  if _local(a.tag) in ("langSet", "langSec")), None)
                lang = (lang_node.get(_XML_LANG) or lang_node.get("lang") or "") \
                    if lang_node is not None else ""
                term = (node.text or "").strip()
                holder = node.getparent()
                status = ""
                if holder is not None:
                    for note in holder.iter():
                        if _local(note.tag) == "termNote" and \
                                note.get("type") == "administrativeStatus":
                            status = (note.text or "").strip()
                if lang.lower().startswith("ja"):
                    values["ja"].append(term)
                elif lang.lower().startswith("en"):
                    values[_TBX_STATUS.get(status, "en_variants" if values["en"] else "en")
                           ].append(term)
        if len(values["en"]) > 1:
            values["en_variants"][:0] = values["en"][1:]
            del values["en"][1:]
        cells = {k: SEPARATOR.join(v) if k in LIST_COLUMNS else "; ".join(x for x in v if x)
                 for k, v in values.items()}
        entry = _entry_from_cells(cells, path, concept.sourceline or 0, collector)
        if entry is not None:
            out.append(entry)
    return out


_READERS: dict[str, Callable[[Path, _Collector], list[Entry]]] = {
    ".tsv": _read_tsv, ".csv": _read_csv, ".xlsx": _read_xlsx, ".tbx": _read_tbx}


def read_entries(path: Path, problems: list[GlossaryProblem] | None = None) -> list[Entry]:
    """The rows of one glossary file as entries (not merged), each with its file and line.

    A bad row raises GlossaryError naming the file and line; with `problems`, bad rows are
    recorded there instead and reading goes on (for `lint`).
    """
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise GlossaryError(f"not a glossary format ({', '.join(SUFFIXES)})", path=path)
    return reader(path, problems)


def glossary_files(folder: Path) -> list[Path]:
    """The glossary files of a folder, sorted by name (README and other files ignored)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(
                      (".", "~$")))


def glossary_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a glossary file of `folder` is added, removed or saved: each file's
    name, modification time and size (a few `stat` calls, cheap enough to poll)."""
    stamp = []
    for path in glossary_files(folder):
        try:
            info = path.stat()
        except OSError:     # removed between listing and stat: the next look sees it gone
            continue
        stamp.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(stamp)


def merge_entries(rows: Sequence[Entry], problems: list[GlossaryProblem] | None = None
                  ) -> list[Entry]:
    """Merge rows with the same `en`; a source variant of two different names is an error.

    The error names the rows of both names (file and line). With `problems`, every conflict
    is recorded there instead of raising on the first.
    """
    merged: dict[str, Entry] = {}
    for row in rows:
        prior = merged.get(row.en)
        if prior is None:
            merged[row.en] = row
            continue
        merged[row.en] = replace(
            prior,
            ja=tuple(dict.fromkeys(prior.ja + row.ja)),
            type=prior.type or row.type,
            en_variants=tuple(dict.fromkeys(prior.en_variants + row.en_variants)),
            forbidden=tuple(dict.fromkeys(prior.forbidden + row.forbidden)),
            note="; ".join(n for n in dict.fromkeys((prior.note, row.note)) if n))
    row_of: dict[tuple[str, str], Entry] = {}
    for row in rows:
        for variant in row.ja:
            row_of.setdefault((row.en, variant), row)
    owners: dict[str, tuple[Entry, str]] = {}
    for entry in merged.values():
        for variant in entry.ja:
            key = fold_key(variant)
            owner = owners.setdefault(key, (entry, variant))
            other, other_variant = owner
            if other.en == entry.en:
                continue
            here = row_of.get((entry.en, variant), entry)
            there = row_of.get((other.en, other_variant), other)
            same = "" if other_variant == variant else \
                f" (as {other_variant!r}; both fold to {key!r})"
            _problem(problems, here.file, here.line,
                     f"variant {variant!r} of {entry.en!r} is also a variant of {other.en!r} "
                     f"at {there.where}{same}",
                     hint="a source spelling must name one thing: remove it from one entry.")
    return list(merged.values())


def load_glossary(folder: Path) -> Glossary:
    """Merge every glossary file in `folder`; a missing or empty folder is an empty glossary.

    The same files (by content) give the same Glossary object, matcher and all: a command
    that refreshes the normalized text and then checks, or the workbench opening after that
    refresh, reads and compiles the glossary once.
    """
    files = glossary_files(folder)
    try:
        key = (str(folder.resolve()),
               tuple((p.name, hashlib.blake2b(p.read_bytes()).digest()) for p in files))
    except OSError:
        key = None      # unreadable: read_entries says why
    if key is not None:
        with _LOADED_LOCK:
            cached = _LOADED.get(key)
        if cached is not None:
            return cached
    rows: list[Entry] = []
    for path in files:
        rows.extend(read_entries(path))
    glossary = Glossary(merge_entries(rows), folder)
    if key is not None:
        with _LOADED_LOCK:
            _LOADED[key] = glossary
            while len(_LOADED) > _LOADED_KEPT:
                del _LOADED[next(iter(_LOADED))]     # the oldest
    return glossary


# Glossaries by folder and file contents (a few: the TUI reloads as files change).
_LOADED: dict[tuple[str, tuple[tuple[str, bytes], ...]], Glossary] = {}
_LOADED_KEPT = 4
_LOADED_LOCK = threading.Lock()


# ============================================================================================
# Writing files
# ============================================================================================


def _columns_for(entries: Sequence[Entry]) -> list[str]:
    used = ["en", "ja", "type"]
    for column in ("en_variants", "forbidden", "note"):
        if any(getattr(e, column) for e in entries):
            used.append(column)
    return used


def _cells(entry: Entry, columns: Sequence[str]) -> list[str]:
    out = []
    for column in columns:
        value = getattr(entry, column)
        out.append(SEPARATOR.join(value) if column in LIST_COLUMNS else value)
    return out


def _clean_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def start_glossary(folder: Path) -> Path | None:
    """Give a folder with no glossary file an empty `names.tsv` (its header: the columns a
    reviewer fills in); None when it has one already."""
    if glossary_files(folder):
        return None
    path = folder / MAIN_FILE
    atomic_write_text(path, render_tsv([], COLUMNS))
    return path


def render_tsv(entries: Sequence[Entry], columns: Sequence[str] | None = None,
               header: bool = True) -> str:
    """Entries as glossary TSV text."""
    cols = list(columns) if columns is not None else _columns_for(entries)
    lines = ["\t".join(cols)] if header else []
    lines.extend("\t".join(_clean_cell(c) for c in _cells(e, cols)) for e in entries)
    return "".join(line + "\n" for line in lines)


def write_glossary(entries: Sequence[Entry], path: Path) -> None:
    """Write entries to `path` atomically; the format follows the suffix (.tsv .csv .xlsx .tbx)."""
    suffix = path.suffix.lower()
    columns = _columns_for(entries)
    if suffix == ".tsv":
        atomic_write_text(path, render_tsv(entries, columns))
    elif suffix == ".csv":
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(_cells(e, columns) for e in entries)
        atomic_write_text(path, buf.getvalue())
    elif suffix == ".xlsx":
        atomic_write_bytes(path, _xlsx_bytes(entries, columns))
    elif suffix == ".tbx":
        atomic_write_bytes(path, _tbx_bytes(entries))
    else:
        raise GlossaryError(f"cannot write this format; use one of {', '.join(SUFFIXES)}",
                            path=path)


def _xlsx_bytes(entries: Sequence[Entry], columns: Sequence[str]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "glossary"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        # Written as strings: a name like "G7" or "1984" must not become a number.
        sheet.append(_cells(entry, columns))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _tbx_bytes(entries: Sequence[Entry]) -> bytes:
    from lxml import etree

    root = etree.Element("martif", type="TBX")
    root.set(_XML_LANG, "en")
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = "workbench glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    status_of = {"en": "preferredTerm-admn-sts", "en_variants": "supersededTerm-admn-sts",
                 "forbidden": "deprecatedTerm-admn-sts"}
    for i, entry in enumerate(entries, 1):
        node = etree.SubElement(body, "termEntry", id=f"e{i}")
        if entry.type:
            etree.SubElement(node, "descrip", type="subjectField").text = entry.type
        if entry.note:
            etree.SubElement(node, "note").text = entry.note
        en_set = etree.SubElement(node, "langSet")
        en_set.set(_XML_LANG, "en")
        for column in ("en", "en_variants", "forbidden"):
            value = getattr(entry, column)
            for term in (value,) if isinstance(value, str) else value:
                tig = etree.SubElement(en_set, "tig")
                etree.SubElement(tig, "term").text = term
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = \
                    status_of[column]
        ja_set = etree.SubElement(node, "langSet")
        ja_set.set(_XML_LANG, "ja")
        for term in entry.ja:
            etree.SubElement(etree.SubElement(ja_set, "tig"), "term").text = term
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))


def add_entry(folder: Path, en: str, ja: Sequence[str], type: str = "",
              note: str = "") -> Entry:
    """Add an entry to `glossary/names.tsv`, or merge variants into its row with the same `en`.

    The whole glossary is re-validated with the change before anything is written (a variant
    that already names something else is a GlossaryError and the file is untouched). The
    file keeps its comments and column order; it is replaced atomically. Returns the merged
    entry as the glossary now holds it.
    """
    path = folder / MAIN_FILE
    new = _entry_from_cells({"en": en.strip(), "ja": SEPARATOR.join(v.strip() for v in ja),
                             "type": type, "note": note}, path, 0, None)
    assert new is not None   # a bad row raised
    rows = read_entries(path) if path.exists() else []
    lines = _read_text(path).splitlines() if path.exists() else []
    at = next((i for i, row in enumerate(rows) if row.en == new.en), None)
    if at is None:
        changed = replace(new, line=len(lines) + 1 + (0 if lines else 1))
        rows.append(changed)
    else:
        row = rows[at]
        changed = rows[at] = replace(
            row, ja=tuple(dict.fromkeys(row.ja + new.ja)), type=row.type or new.type,
            note="; ".join(n for n in dict.fromkeys((row.note, new.note)) if n))
    others = [r for p in glossary_files(folder) if p != path for r in read_entries(p)]
    merged = {e.en: e for e in merge_entries(others + rows)}
    lines = _with_columns(lines, _columns_for([changed]))
    columns = _header_columns(lines) or list(COLUMNS)
    rendered = render_tsv([changed], columns, header=False).rstrip("\n")
    if at is None:
        lines.append(rendered)
    else:
        lines[changed.line - 1] = rendered
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return merged[new.en]


def _header_columns(lines: Sequence[str]) -> list[str] | None:
    """The columns a TSV glossary's header names (its first line that is not a comment)."""
    header = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")),
                  None)
    if header is None:
        return None
    columns = [c.strip().lower() for c in header.split("\t")]
    while columns and not columns[-1]:
        columns.pop()
    return columns


def suggestion_columns(folder: Path) -> list[str]:
    """The columns `glossary suggest` writes: those of glossary/names.tsv, so that its rows
    append to it as they are (and its own order when there is no such file)."""
    path = folder / MAIN_FILE
    columns = _header_columns(_read_text(path).splitlines()) if path.is_file() else None
    return columns if columns and "en" in columns and "ja" in columns else \
        ["en", "ja", "type", "note"]


def _with_columns(lines: list[str], needed: Sequence[str]) -> list[str]:
    """TSV lines whose header has the `needed` columns (added at the end, rows padded)."""
    out = list(lines)
    header_at = next((i for i, line in enumerate(out)
                      if line.strip() and not line.lstrip().startswith("#")), None)
    if header_at is None:
        return [*out, "\t".join(needed)]
    columns = [c.strip().lower() for c in out[header_at].split("\t")]
    missing = [c for c in needed if c not in columns]
    if not missing:
        return out
    out[header_at] = "\t".join(columns + missing)
    for i in range(header_at + 1, len(out)):
        if out[i].strip() and not out[i].lstrip().startswith("#"):
            out[i] += "\t" * len(missing)
    return out


# ============================================================================================
# Lint
# ============================================================================================


def lint_glossary(folder: Path) -> list[GlossaryProblem]:
    """Every problem of a glossary folder, errors and warnings, in file order.

    Errors: bad rows, a source variant of two names, an `en_variants`/`forbidden` rendering
    that is another entry's canonical name. Warnings: rows repeating an `en` (merged),
    variants listed twice or folding to the same key, an empty `type`, Japanese in `en`.
    """
    problems: list[GlossaryProblem] = []
    rows: list[Entry] = []
    for path in glossary_files(folder):
        try:
            rows.extend(read_entries(path, problems))
        except GlossaryError as exc:   # a file that cannot be read at all (bad header, XML)
            problems.append(GlossaryProblem("error", str(exc.path or path), exc.line or 0,
                                            exc.detail))
    first_row: dict[str, Entry] = {}
    for row in rows:
        prior = first_row.get(row.en)
        if prior is not None:
            problems.append(GlossaryProblem(
                "warning", row.file, row.line,
                f"duplicate `en` {row.en!r}: merged with the row at {prior.where}"))
            if prior.type and row.type and prior.type != row.type:
                problems.append(GlossaryProblem(
                    "warning", row.file, row.line,
                    f"type {row.type!r} differs from {prior.type!r} at {prior.where}"))
        else:
            first_row[row.en] = row
        if not row.type:
            problems.append(GlossaryProblem("warning", row.file, row.line,
                                            f"empty `type` for {row.en!r}"))
        if _JAPANESE_CHAR.search(row.en):
            problems.append(GlossaryProblem(
                "warning", row.file, row.line,
                f"`en` {row.en!r} holds Japanese: the English name is still to write"))
        seen: dict[str, str] = {}
        for variant in row.ja:
            key = fold_key(variant)
            if key in seen:
                problems.append(GlossaryProblem(
                    "warning", row.file, row.line,
                    f"variants {seen[key]!r} and {variant!r} of {row.en!r} fold to the same "
                    f"key {key!r}: one is redundant"))
            else:
                seen[key] = variant
        for variant in row.en_variants:
            if variant == row.en or variant == Entry(row.en, (), "").rendering:
                problems.append(GlossaryProblem(
                    "error", row.file, row.line,
                    f"en_variant {variant!r} is the canonical name of {row.en!r} itself"))
        for variant in row.forbidden:
            if variant in (row.en, Entry(row.en, (), "").rendering):
                problems.append(GlossaryProblem(
                    "error", row.file, row.line,
                    f"forbidden {variant!r} is the canonical name of {row.en!r} itself"))
            elif variant in row.en_variants:
                problems.append(GlossaryProblem(
                    "warning", row.file, row.line,
                    f"{variant!r} is both an en_variant and forbidden for {row.en!r}"))
    merged = merge_entries(rows, problems)
    renderings = {e.rendering: e for e in merged} | {e.en: e for e in merged}
    for entry in merged:
        for variant in entry.en_variants + entry.forbidden:
            other = renderings.get(variant)
            if other is not None and other.en != entry.en:
                row = next((r for r in rows if r.en == entry.en and
                            variant in r.en_variants + r.forbidden), entry)
                problems.append(GlossaryProblem(
                    "error", row.file, row.line,
                    f"{variant!r} (a rendering to replace or forbid for {entry.en!r}) is the "
                    f"canonical name of {other.en!r} at {other.where}"))
    order = {str(p): i for i, p in enumerate(glossary_files(folder))}
    problems.sort(key=lambda p: (order.get(p.path, len(order)), p.line))
    return problems


# ============================================================================================
# Romanization (for comparing katakana with Latin spellings)
# ============================================================================================

_ROMAJI_TABLE = """
ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko サ sa シ shi ス su セ se ソ so
タ ta チ chi ツ tsu テ te ト to ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi フ fu ヘ he ホ ho
マ ma ミ mi ム mu メ me モ mo ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro ワ wa ヰ i ヱ e
ヲ o ン n ガ ga ギ gi グ gu ゲ ge ゴ go ザ za ジ ji ズ zu ゼ ze ゾ zo ダ da ヂ ji ヅ zu デ de
ド do バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po ヴ vu ァ a ィ i ゥ u ェ e
ォ o ャ ya ュ yu ョ yo ヮ wa ヵ ka ヶ ke
キャ kya キュ kyu キョ kyo シャ sha シュ shu ショ sho チャ cha チュ chu チョ cho
ニャ nya ニュ nyu ニョ nyo ヒャ hya ヒュ hyu ヒョ hyo ミャ mya ミュ myu ミョ myo
リャ rya リュ ryu リョ ryo ギャ gya ギュ gyu ギョ gyo ジャ ja ジュ ju ジョ jo
ビャ bya ビュ byu ビョ byo ピャ pya ピュ pyu ピョ pyo
シェ she ジェ je チェ che ティ ti ディ di トゥ tu ドゥ du テュ tyu デュ dyu
ファ fa フィ fi フェ fe フォ fo フュ fyu ウィ wi ウェ we ウォ wo イェ ye
ヴァ va ヴィ vi ヴェ ve ヴォ vo ヴュ vyu ツァ tsa ツィ tsi ツェ tse ツォ tso
クァ kwa クィ kwi クェ kwe クォ kwo グァ gwa スィ si ズィ zi
"""
_ROMAJI: dict[str, str] = dict(zip(*[iter(_ROMAJI_TABLE.split())] * 2, strict=True))


def romanize(text: str) -> str:
    """A plain Hepburn reading of kana (long vowels dropped); other characters pass through.

    Only for comparing spellings (エルチビー ≈ エルチベイ as "eruchibi" ≈ "eruchibei") and for
    guessing an English form; not a transliteration to publish.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    out: list[str] = []
    double = False
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _ROMAJI:
            syllable, i = _ROMAJI[pair], i + 2
        elif text[i] in _ROMAJI:
            syllable, i = _ROMAJI[text[i]], i + 1
        else:
            ch = text[i]
            i += 1
            if ch == "ッ":
                double = True
                continue
            if ch in "ー":
                continue
            syllable = " " if ch in "・=゠" else ch.lower()
        if double and syllable[0] not in "aeiou n":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


# ============================================================================================
# Mining names the glossary lacks
# ============================================================================================

# Katakana words of political and economic prose that are not names; `suggest` leaves them
# out unless asked for everything.
_LOANWORDS = (
    "パートナー", "パートナーシップ", "メカニズム", "プログラム", "プロジェクト", "エネルギー",
    "ガス", "インフラ", "メディア", "サービス", "システム", "ミサイル", "テロ", "テロリズム",
    "サイバー", "グリーン", "ハイテク", "パンデミック", "イメージ", "リーダー", "メンバー",
    "プロセス", "コンソーシアム", "セクター", "ビジネス", "テクノロジー", "デジタル",
    "ネットワーク", "レベル", "ルート", "パイプライン", "コミュニケーション", "プラットフォーム",
    "ディアスポラ", "ハンドブック", "マイノリティ", "ボトル", "ケーブル", "ウォッカ",
    "コンテンツ", "リンク", "レビュー", "ステップ", "アップ", "モニター", "ロジスティクス",
    "センター", "カテゴリー", "パートナー国", "スポーツ", "バランス", "トップ", "ポスト",
    "ミッション", "インタビュー", "マルチベクトル", "タンカー", "コントラバンド", "オーディオ",
    "ビデオ", "アーカイブ", "アナリスト", "フォーラム", "アジェンダ", "グループ", "チャネル",
    "ガイドライン", "イニシアチブ", "マスター", "プラン", "セミナー", "シンポジウム",
    "ワークショップ", "トレーニング", "プレゼンス", "ダイアログ", "ビジョン", "ロードマップ",
    "スキーム", "キャンペーン", "テーマ", "ポイント", "パーセント", "キロ", "メートル", "トン",
    "ユーロ", "ハイレベル", "クリーン", "テレビ", "アクセス", "アピール", "イニシアティブ",
    "イベント", "イラスト", "インフレ", "エリート", "キロメートル", "ゲスト", "ゲートウェイ",
    "コスト", "サッカー", "ウェア", "シェア", "ジェンダー", "タスク", "フェーズアウト",
    "プライス", "キャップ", "プラス", "ヘルスケア", "ベクトル", "ホームページ", "レアメタル",
    "コロナウイルス", "ウイルス", "ワクチン", "データ", "ニュース", "メッセージ", "ルール",
    "ポリシー", "パッケージ", "プレゼンテーション", "スピーチ", "ステートメント", "コメント",
    "リスト", "テキスト", "サイト", "ウェブサイト", "オンライン", "インターネット", "ソーシャル",
    "サミット", "ハイブリッド", "エネルギ", "モデル", "ケース", "ゾーン", "エリア", "ライン",
    "ターミナル", "ハブ", "ロジスティック", "インフラストラクチャー", "トランジット",
    "マーケット", "ブランド", "ビザ", "パスポート", "ツアー", "ホテル", "スタジアム", "ホール",
    "コンサート", "オリンピック", "チーム", "ゲーム", "クラブ", "アート", "デザイン",
    "ファッション", "フード", "レストラン",
)
LOANWORDS: frozenset[str] = frozenset(fold_key(w) for w in _LOANWORDS)


def _is_loanword(key: str) -> bool:
    """A folded katakana word made only of common loanwords (イメージプログラム)."""
    if key in LOANWORDS:
        return True
    ends = {0}
    for end in range(1, len(key) + 1):
        if any(start in ends and key[start:end] in LOANWORDS for start in range(end)):
            ends.add(end)
    return len(key) in ends

_KATA_RUN = re.compile(r"[\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9f][\u30a1-\u30fc\u31f0-\u31ff"
                       r"\uff66-\uff9f]*(?:[・･=＝][\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9f]"
                       r"[\u30a1-\u30fc\u31f0-\u31ff\uff66-\uff9f]*)*")
# Capitalized words, several in a row making one name (Shanghai Cooperation Organization),
# or an acronym. Longer single words are run-together extraction debris, not names.
_TITLE_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]+(?:-[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]+)*"
# An acronym takes the digits written onto it (COP29, G20): the matcher reads them as one word.
_CAPITALIZED = re.compile(rf"{_TITLE_WORD}(?: {_TITLE_WORD})*|[A-ZА-ЯЁ]{{2,}}\d*(?![a-zа-яё])")
_MAX_WORD = 18
# Japanese (and Chinese) names in kanji have no mark of their own: they are found before a
# title (深澤陽一政務官, 石破総理大臣, 辻󠄀外務副大臣, 習近平国家主席), as the shortest run of
# one to five kanji at the start of a kanji word that a title follows.
_KANJI_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]"
_NAME_TITLES = (r"(?:前|元|現|次期)?(?:総理大臣|首相|大統領|副大統領|国家主席|外務大臣政務官|"
                r"外務副大臣|外務大臣|外相|官房長官|防衛大臣|財務大臣|経済産業大臣|大臣政務官|"
                r"政務官|副大臣|衆議院議長|参議院議長|書記長|大使|外務次官|次官|長官|氏)")
# What follows a person's name: the titles above, and ones too general to find a kanji name
# before (大臣 after 文部科学 would take the ministry for the name) or not of kanji names.
_PERSON_AFTER = re.compile(rf"^(?:{_NAME_TITLES}|(?:前|元|現)?(?:大臣|議長|外務|国防相|総裁|元帥"
                           r"|国王|将軍|博士|教授|夫人))")
_KANJI_ONLY = re.compile(rf"(?:{_KANJI_CHAR}[\ufe00-\ufe0f\U000e0100-\U000e01ef]?)+")
_KANJI_NAME = re.compile(rf"(?<!{_KANJI_CHAR})(?:{_KANJI_CHAR}"
                         rf"[\ufe00-\ufe0f\U000e0100-\U000e01ef]?){{1,5}}?(?={_NAME_TITLES})")
# What ends a country, a body or a place, never a person's name (韓国大統領, 同国外相);
# what begins a word that is no name (同氏, 両国首相, 親大統領派); the one-kanji names of
# countries (露外相); the pieces of titles (外務第一次官, 副首相兼外相).
_NOT_A_NAME_END = frozenset("国省府庁会党軍部州市県院局都")
_NOT_A_NAME_START = frozenset("同両各自本当前元現新旧親反")
_COUNTRY_KANJI = frozenset("日米露中韓朝英独仏伊加豪印台蘭西")
_TITLE_PIECES = ("外務", "第", "副", "兼", "首相", "大臣", "長官", "総理", "議長", "政務", "主席")
# Kana or kanji: what an English name never holds (lint warns of an `en` that does).
_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PLACE_AFTER = re.compile(r"^(?:川|湖|山|島|市|州|県|地方|地域|空港|港|海|半島|共和国|油田)")
_MIN_KANA = 3


@dataclass(frozen=True)
class Suggestion:
    """A name the sources use and the glossary lacks, with where it occurs."""

    key: str                    # the folded form the spellings are grouped by
    spellings: tuple[tuple[str, int], ...]   # (surface, count), most frequent first
    count: int
    docs: tuple[str, ...]
    context: str                # the first occurrence, with some text around it
    guess_en: str               # a romanized guess, or the canonical name it is close to
    guess_type: str
    variant_of: Entry | None = None
    similar_to: str = ""        # the existing variant it resembles
    part_of: str = ""           # a longer name found too that starts with it (辻󠄀 of 辻󠄀清人)

    def as_entry(self) -> Entry:
        """The candidate as a glossary row ready to review (`note` says why it is here)."""
        note = [f"{self.count}x in {', '.join(self.docs)}"]
        if self.part_of:
            note.append(f"part of {self.part_of}? (then a spelling of that row)")
        if self.variant_of is not None:
            note.append(f"variant of {self.variant_of.en}? (close to {self.similar_to})")
        elif not any("a" <= c <= "z" for c in self.guess_en.lower()):
            note.append("en to write: the English name is not known")   # kanji: no reading
        elif self.guess_en not in (s for s, _ in self.spellings):
            note.append("en is a romanized guess")   # ベトナム is not Betonamu: fix it
        note.append(f"context: {self.context}")
        return Entry(en=self.guess_en, ja=tuple(s for s, _ in self.spellings),
                     type=self.guess_type, note="; ".join(note))


@dataclass
class _Candidate:
    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    docs: dict[str, None] = field(default_factory=dict)
    context: str = ""
    after: str = ""


def suggest_names(texts: Iterable[tuple[str, str]], glossary: Glossary, *,
                  min_count: int = 1, include_loanwords: bool = False) -> list[Suggestion]:
    """Katakana runs, capitalized Latin or Cyrillic words and kanji names before a title
    (石破総理大臣) of `(doc, text)` pairs that no glossary entry covers, grouped by folded
    form; likely variants of an entry come first."""
    found: dict[str, _Candidate] = {}
    for doc, text in texts:
        covered = [(h.start, h.end) for h in glossary.find(text)]
        for start, end, surface in _name_spans(text, covered):
            key = fold_key(surface)
            if len(key.replace(" ", "")) < _MIN_KANA and any(map(_is_katakana, surface)):
                continue
            if not include_loanwords and _is_loanword(key):
                continue
            cand = found.get(key)
            if cand is None:
                cand = found[key] = _Candidate(key)
                cand.context = _context(text, start, end)
                cand.after = text[end:end + 6]
            cand.surfaces[surface] += 1
            cand.docs[doc] = None
    similar = _Similarity(glossary)
    out = []
    for cand in found.values():
        count = sum(cand.surfaces.values())
        if count < min_count:
            continue
        spellings = tuple(cand.surfaces.most_common())
        top = spellings[0][0]
        entry, like = similar.match(top)
        guess_type = ("person" if _PERSON_AFTER.match(cand.after) else
                      "place" if _PLACE_AFTER.match(cand.after) else "")
        out.append(Suggestion(
            key=cand.key, spellings=spellings, count=count, docs=tuple(cand.docs),
            context=cand.context, guess_en=entry.en if entry else _guess_en(top),
            guess_type=entry.type if entry else guess_type, variant_of=entry, similar_to=like))
    # A kanji surname alone (辻󠄀外務副大臣) beside the full name (辻󠄀清人外務副大臣): one person.
    kanji = sorted((s.spellings[0][0] for s in out if _KANJI_ONLY.fullmatch(s.spellings[0][0])),
                   key=len)
    for i, s in enumerate(out):
        top = s.spellings[0][0]
        if top in kanji:
            longer = next((k for k in kanji if len(k) > len(top) and k.startswith(top)), "")
            if longer:
                out[i] = replace(s, part_of=longer)
    out.sort(key=lambda s: (s.variant_of is None, -s.count, s.key))
    return out


def _name_spans(text: str, covered: Sequence[tuple[int, int]]
                ) -> Iterable[tuple[int, int, str]]:
    """Uncovered pieces of katakana runs, kanji names before a title, and capitalized words."""
    for m in _KATA_RUN.finditer(text):
        start = m.start()
        for cs, ce in sorted(covered):
            if ce <= start or cs >= m.end():
                continue
            if cs > start:
                yield from _trimmed(text, start, cs)
            start = max(start, ce)
        if start < m.end():
            yield from _trimmed(text, start, m.end())
    for m in _KANJI_NAME.finditer(text):
        name = m.group()
        if name[-1] in _NOT_A_NAME_END or name[0] in _NOT_A_NAME_START or \
                name in _COUNTRY_KANJI or any(piece in name for piece in _TITLE_PIECES):
            continue
        if not any(cs < m.end() and m.start() < ce for cs, ce in covered):
            yield m.start(), m.end(), name
    for m in _CAPITALIZED.finditer(text):
        # Inside a longer word (`eBay`, `iPhone`) it is no name; the camelCase parts of
        # run-together extraction (`…встречеГейдара`) are.
        if not starts_word(text, m.start()) or not ends_word(text, m.end()):
            continue
        if any(cs < m.end() and m.start() < ce for cs, ce in covered):
            continue
        if max(len(w) for w in m.group().split()) > _MAX_WORD:
            continue
        yield m.start(), m.end(), m.group()


def _trimmed(text: str, start: int, end: int) -> Iterable[tuple[int, int, str]]:
    piece = text[start:end]
    stripped = piece.strip("・･=＝")
    if stripped:
        offset = piece.index(stripped)
        yield start + offset, start + offset + len(stripped), stripped


def _context(text: str, start: int, end: int, width: int = 24) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return " ".join(snippet.split())


def _guess_en(surface: str) -> str:
    if _is_latin_text(surface) or not any(_is_katakana(c) for c in surface):
        return surface
    return " ".join(w.capitalize() for w in romanize(surface).split())


class _Similarity:
    """Finds the glossary variant a new spelling resembles.

    Katakana is compared with katakana variants that are names through and through (no
    kanji: ジョージア is not a spelling of ジョージア政府), by romanized form and by ・-part;
    Latin and Cyrillic with the Latin and Cyrillic forms of entries as wholes, and with the
    parts of people's names.
    """

    CUTOFF = 85.0
    MIN_LENGTH = 4

    def __init__(self, glossary: Glossary) -> None:
        self.kana: tuple[list[str], list[tuple[Entry, str]]] = ([], [])
        self.latin: tuple[list[str], list[tuple[Entry, str]]] = ([], [])
        for entry in glossary.entries:
            person = entry.type == "person"
            for variant in entry.ja:
                if _KATAKANA_NAME.fullmatch(variant):
                    self._add(self.kana, entry, variant, _name_parts(variant))
                elif _LETTERS_NAME.fullmatch(variant):
                    parts = _name_parts(variant) if person else [variant.lower()]
                    self._add(self.latin, entry, variant, parts)
            for form in (entry.rendering, *entry.en_variants):
                parts = _name_parts(form) if person else [form.lower()]
                self._add(self.latin, entry, form, parts)

    def _add(self, table: tuple[list[str], list[tuple[Entry, str]]], entry: Entry, form: str,
             parts: Iterable[str]) -> None:
        for part in parts:
            if len(part) >= self.MIN_LENGTH:
                table[0].append(part)
                table[1].append((entry, form))

    def match(self, surface: str) -> tuple[Entry | None, str]:
        kana = any(_is_katakana(c) for c in surface)
        choices, owners = self.kana if kana else self.latin
        if not choices:
            return None, ""
        best: tuple[float, int] | None = None
        # Words of a Latin phrase are ordinary words (Organization): only the whole counts.
        pieces = _name_parts(surface) if kana or " " not in surface else [surface.lower()]
        for part in pieces:
            if len(part) < self.MIN_LENGTH:
                continue
            hit = process.extractOne(part, choices, scorer=fuzz.ratio,
                                     score_cutoff=self.CUTOFF)
            if hit is not None and (best is None or hit[1] > best[0]):
                best = (hit[1], hit[2])
        if best is None:
            return None, ""
        return owners[best[1]]


_KATAKANA_NAME = re.compile(r"[\u30a1-\u30fa\u30fcｦ-ﾟ・･=＝ ]+")
_LETTERS_NAME = re.compile(r"[A-Za-zÀ-ɏА-яЁё][A-Za-zÀ-ɏА-яЁё .'’-]*")
_CAMEL = re.compile(r"(?<=[a-zß-ÿа-яё])(?=[A-ZÀ-ÞА-ЯЁ])")


def _name_parts(text: str) -> list[str]:
    """Comparable pieces of a name: romanized, lower-cased, split at separators, spaces and
    camelCase joins (ИльхамАлиев), plus the whole."""
    text = _CAMEL.sub(" ", text)
    roman = romanize(text) if any(_is_katakana(c) for c in text) else text.lower()
    parts = [p for p in re.split(r"[\s・=\-]+", roman) if p]
    return parts if len(parts) <= 1 else [*parts, "".join(parts)]
