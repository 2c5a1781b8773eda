"""The glossary model: entries, hits, and the Aho-Corasick matcher over folded variants."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from ahocorasick_rs import MATCHKIND_STANDARD, AhoCorasick

from workbench.core.batch import gc_paused
from workbench.core.chars import (
    KATAKANA_WORD,
    WORD_CHARS,
    ends_word,
    is_katakana,
    is_word_char,
    starts_word,
)
from workbench.core.glossary.fold import Folded, fold_key

# Bump when folding or matching rules change: normalized translations made with the old rules
# become stale because the fingerprint changes with it.
MATCHER_VERSION = "1"


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
    derived: tuple[str, ...] = ()
    """English words made from the name that are right as they are and name it too: a
    demonym or adjective (`Chechen` for Chechnya, `Azerbaijani`). Never rewritten; a
    misspelling of one becomes it (`Roussian` → `Russian`), not the name."""

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
        out.extend(v for v in self.ja if is_latin_text(v))
        return tuple(dict.fromkeys(x for x in out if x and x != self.rendering))

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""


def is_latin_text(text: str) -> bool:
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
    return (WORD_CHARS if is_word_char(ch) else
            KATAKANA_WORD if is_katakana(ch) else _NOTHING)


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
    """The merged entries of a glossary folder, and the matcher built from them on first use.

    Immutable: the entries are a tuple and nothing changes them, so one Glossary may be
    handed to any number of callers and threads (`load_glossary` caches them by content).
    """

    __slots__ = ("entries", "folder", "fingerprint", "_by_en", "_matcher", "_lock")

    def __init__(self, entries: Iterable[Entry], folder: Path | None = None) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.folder = folder
        self.fingerprint: str = _fingerprint(self.entries)
        self._by_en = MappingProxyType({e.en: e for e in self.entries})
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
    # `derived` only where stated, so that glossaries without it keep their fingerprints.
    data = sorted((e.en, e.ja, e.type, e.en_variants, e.forbidden, e.note,
                   *((e.derived,) if e.derived else ())) for e in entries)
    blob = json.dumps([MATCHER_VERSION, data], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
