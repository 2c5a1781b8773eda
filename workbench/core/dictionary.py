"""A Japanese–English dictionary, offline: JMdict (words) and JMnedict (names) through jamdict.

The data is the `jamdict-data` package (an SQLite copy of the EDRDG's JMdict, JMnedict and
KANJIDIC2, used under the EDRDG licence). Nothing is opened until the first lookup, and
jamdict itself is imported then, so neither the CLI nor the workbench's first paint pays for
it. Used for the English of names that `glossary suggest` proposes, and for the glosses of
the word at the cursor in review.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

from workbench.core.chars import KATAKANA_WORD
from workbench.core.errors import WorkbenchError

INSTALL_HINT = "install the dictionary: pip install jamdict jamdict-data"
JMDICT = "JMdict"
JMNEDICT = "JMnedict"

# JMnedict name types that name a thing in English as it is written (Georgia, WikiLeaks);
# `unclass` glosses are often mere readings (ガーディアン: Gadian).
_NAME_TYPES = frozenset({"place", "organization", "company", "product", "work", "person",
                         "surname", "given", "masc", "fem", "group", "station", "ship",
                         "char", "creat", "dei", "doc", "ev", "fict", "leg", "myth", "obj",
                         "oth", "relig", "serv"})
_GIVEN = frozenset({"given", "masc", "fem"})
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_MAX_WORD = 12
_LOOK_BACK = 4
_CACHED = 4096
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


class DictionaryUnavailable(WorkbenchError):
    """jamdict or its data is not installed."""


@dataclass(frozen=True)
class Sense:
    """One meaning: its English glosses and what kind of word or name it is."""

    glosses: tuple[str, ...]
    kinds: tuple[str, ...]     # parts of speech (JMdict) or name types (JMnedict)


@dataclass(frozen=True)
class DictEntry:
    """A dictionary entry: its written forms, readings and senses, and which dictionary."""

    source: str                # JMDICT or JMNEDICT
    kanji: tuple[str, ...]
    kana: tuple[str, ...]
    senses: tuple[Sense, ...]

    @property
    def headword(self) -> str:
        return (self.kanji or self.kana or ("",))[0]

    def summary(self) -> str:
        """One line: headword 【reading】 1. gloss; gloss 2. …"""
        reading = f" 【{self.kana[0]}】" if self.kanji and self.kana else ""
        senses = " ".join(f"{n}. {'; '.join(s.glosses)}" for n, s in
                          enumerate(self.senses, 1) if s.glosses)
        return f"{self.headword}{reading} {senses}".strip()


@dataclass(frozen=True)
class English:
    """The English of a name and where it came from (shown to the reviewer)."""

    text: str
    source: str                # "JMdict", "JMnedict", "JMdict, a common word", …
    guess: bool = False        # a reading or a common word: for a reviewer to confirm


@dataclass(frozen=True)
class Found:
    """The dictionary word at a place in a text: its span and entries."""

    word: str
    start: int
    end: int
    entries: tuple[DictEntry, ...]


class JapaneseDictionary:
    """JMdict and JMnedict, opened on the first lookup; safe to share between threads."""

    def __init__(self) -> None:
        self._local = threading.local()     # a connection per thread: SQLite's are bound
        self._available: bool | None = None
        self._cache: dict[str, tuple[DictEntry, ...]] = {}

    def _open(self) -> Any:
        jam = getattr(self._local, "jam", None)
        if jam is not None:
            return jam
        try:
            from jamdict import Jamdict
        except ImportError:
            raise DictionaryUnavailable("no Japanese dictionary: jamdict is not installed",
                                        hint=INSTALL_HINT) from None
        jam = Jamdict()
        if self._available is None:
            self._available = bool(jam.is_available())
        if not self._available:
            raise DictionaryUnavailable("no Japanese dictionary: jamdict has no data",
                                        hint=INSTALL_HINT)
        self._local.jam = jam
        return jam

    def lookup(self, word: str) -> tuple[DictEntry, ...]:
        """The entries written or read exactly `word` (JMdict first, then JMnedict)."""
        word = _VARIATION_SELECTORS.sub("", unicodedata.normalize("NFKC", word)).strip()
        if not word or "%" in word or "?" in word:
            return ()
        found = self._cache.get(word)
        if found is None:
            result = self._open().lookup(word, strict_lookup=True, lookup_chars=False)
            found = (*(_entry(JMDICT, e, name=False) for e in result.entries),
                     *(_entry(JMNEDICT, e, name=True) for e in result.names))
            if len(self._cache) >= _CACHED:
                self._cache.clear()
            self._cache[word] = found
        return found

    def word_at(self, text: str, pos: int, end: int | None = None) -> Found | None:
        """The dictionary word at `pos` in `text`, or None: with `end`, exactly the selection
        `text[pos:end]`; else the longest word covering `pos` that starts at most a few
        characters before it (a katakana word whole)."""
        if end is not None:
            entries = self.lookup(text[pos:end]) if pos < end else ()
            return Found(text[pos:end], pos, end, entries) if entries else None
        if not 0 <= pos < len(text):
            return None
        if text[pos] in KATAKANA_WORD:
            start, stop = pos, pos
            while start and text[start - 1] in KATAKANA_WORD:
                start -= 1
            while stop < len(text) and text[stop] in KATAKANA_WORD:
                stop += 1
            entries = self.lookup(text[start:stop])
            if entries:
                return Found(text[start:stop], start, stop, entries)
        best: Found | None = None
        for start in range(pos, max(-1, pos - _LOOK_BACK), -1):
            if text[start].isspace():
                break
            for stop in range(min(len(text), start + _MAX_WORD), pos, -1):
                if best is not None and stop - start <= best.end - best.start:
                    break
                entries = self.lookup(text[start:stop])
                if entries:
                    best = Found(text[start:stop], start, stop, entries)
                    break
        return best

    # ------------------------------------------------------------------ names in English
    def english(self, word: str) -> English | None:
        """The English of a name written in katakana (ベトナム → Vietnam), or None.

        A JMdict entry glossed as a proper noun first (its first capitalized gloss); a JMdict
        common word (ウラン: uranium) comes back marked as a guess, before a JMnedict name of
        a known type (ダゲスタン: Dagestan) and last an unclassified JMnedict reading (a guess).
        """
        entries = self.lookup(word.replace("・", "").replace("=", ""))
        words = [e for e in entries if e.source == JMDICT]
        names = [e for e in entries if e.source == JMNEDICT]
        for entry in words:
            for sense in entry.senses:
                for gloss in sense.glosses:
                    if gloss[:1].isupper():
                        return English(_clean(gloss), JMDICT)
        for entry in words:
            for sense in entry.senses:
                if sense.glosses:
                    return English(_clean(sense.glosses[0]), f"{JMDICT} (a common word)",
                                   guess=True)
        for entry in names:
            for sense in entry.senses:
                if _NAME_TYPES.intersection(sense.kinds) and sense.glosses:
                    return English(_clean(sense.glosses[0]), JMNEDICT)
        for entry in names:
            for sense in entry.senses:
                if sense.glosses:
                    return English(_clean(sense.glosses[0]), f"{JMNEDICT} (a reading)",
                                   guess=True)
        return None

    def person(self, kanji: str, *, given_first: bool = True) -> English | None:
        """The English of a Japanese person's name in kanji (石破茂 → Shigeru Ishiba), from
        JMnedict: the person's entry, else a surname and a given name that make it up.
        A surname alone gives the surname."""
        kanji = _VARIATION_SELECTORS.sub("", kanji)
        entries = [e for e in self.lookup(kanji) if e.source == JMNEDICT]
        for entry in entries:
            for sense in entry.senses:
                if "person" in sense.kinds and sense.glosses:
                    parts = _romaji_name(_clean(sense.glosses[0])).split()
                    if len(parts) == 2 and given_first:
                        parts.reverse()     # JMnedict writes Japanese names family name first
                    return English(" ".join(parts), JMNEDICT)
        surnames = self._name_parts(kanji, {"surname"})
        if surnames:
            return English(surnames[0], _readings(surnames), guess=len(surnames) > 1)
        # Japanese surnames are mostly two kanji: that cut first.
        for cut in sorted(range(1, len(kanji)), key=lambda c: (abs(c - 2), c)):
            family = self._name_parts(kanji[:cut], {"surname"})
            given = self._name_parts(kanji[cut:], _GIVEN) if family else []
            if family and given:
                parts = [given[0], family[0]] if given_first else [family[0], given[0]]
                return English(" ".join(parts), f"{JMNEDICT} (a surname and a given name; "
                                                f"readings vary)", guess=True)
        return None

    def _name_parts(self, kanji: str, kinds: set[str] | frozenset[str]) -> list[str]:
        """The readings of `kanji` as a name of these kinds: first those JMnedict gives the
        most kinds of name (辻: Tsuji, a place and a surname, before Shizu, a surname)."""
        found: dict[str, int] = {}
        for entry in self.lookup(kanji):
            if entry.source != JMNEDICT:
                continue
            for sense in entry.senses:
                if kinds.intersection(sense.kinds) and sense.glosses:
                    name = _romaji_name(_clean(sense.glosses[0]))
                    found[name] = max(found.get(name, 0), len(sense.kinds))
        return sorted(found, key=lambda n: -found[n])


def _entry(source: str, entry: Any, *, name: bool) -> DictEntry:
    senses = []
    for sense in entry.senses:
        glosses = tuple(g.text for g in sense.gloss if getattr(g, "lang", "eng") in ("eng", ""))
        kinds = tuple(sense.name_type) if name else tuple(sense.pos)
        senses.append(Sense(glosses, kinds))
    return DictEntry(source, tuple(k.text for k in entry.kanji_forms),
                     tuple(k.text for k in entry.kana_forms), tuple(senses))


def _readings(names: list[str]) -> str:
    if len(names) == 1:
        return JMNEDICT
    return f"{JMNEDICT} (one of {len(names)} readings: {', '.join(names[:4])})"


def _clean(gloss: str) -> str:
    """A gloss without its trailing note: `Dagestan (Russia)` → `Dagestan`."""
    return _TRAILING_NOTE.sub("", gloss).strip() or gloss.strip()


def _romaji_name(name: str) -> str:
    """JMnedict's readings spell long vowels out (Fukushirou, Yuuko); names in English do
    not (Fukushiro, Yuko). An `ou` before an `e` is two sounds (Inoue)."""
    return re.sub(r"ou(?!e)", "o", name).replace("uu", "u")


_SHARED = JapaneseDictionary()


def japanese_dictionary() -> JapaneseDictionary:
    """The dictionary shared by the process (nothing is opened until a lookup)."""
    return _SHARED


def lookup(text: str, pos: int = 0) -> Found | None:
    """The dictionary word at `pos` in `text` (the word at the cursor in review), or None.
    Raises DictionaryUnavailable when jamdict or its data is missing."""
    return _SHARED.word_at(text, pos)
