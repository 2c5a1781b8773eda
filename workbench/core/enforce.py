"""Glossary enforcement on the English side, and pre-translation.

`enforce` takes a segment's source, its English and the glossary hits of the source, and
makes the English name each thing the one canonical way, touching nothing else:

- an `en_variants` rendering (`Elchibei`) is rewritten;
- a near-miss spelling of the canonical name or of a part of it (`Khodjaly` → `Khojaly`,
  `Elchibei` → `Elchibey`) is rewritten, found with rapidfuzz over capitalized words;
- Japanese left in the English (`エルチベイ`) or its romanization (`Eruchibei`) is replaced.

English often names a person by one part of the name (`Elchibey` for `Abulfaz Elchibey`): a
part counts as present, and a near-miss of a part becomes that part, never the full name. A
word derived from a name (`Russian`, `Azerbaijani`) is not a misspelling of it and is left
alone. An entry none of whose forms is present afterwards is reported missing. With no
English yet, the result is a pre-translation: the source with each hit in canonical English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from workbench.core.chars import (
    JAPANESE,
    KATAKANA_CHARS,
    KATAKANA_WORD,
    WORD_CHARS,
    bmp,
    char_class,
    ends_word,
    starts_word,
)
from workbench.core.glossary.fold import Folded, fold_key
from workbench.core.glossary.model import Entry, Glossary, Hit
from workbench.core.glossary.romaji import romanize

__all__ = ["RULES_VERSION", "Change", "Enforced", "Enforcer", "accepted_forms",
           "contains_word", "enforce", "normalized_stamp", "present_in", "pretranslate"]

RULES_VERSION = "3"
"""Bump when enforcement rules change, so that normalized texts made by the old ones are
made again (`normalized_stamp`). 2: word boundaries as in the matcher, the longest Japanese
leftover and the closest misspelling win. 3: Cyrillic leftovers too, bounded as the matcher
bounds words (camelCase joins)."""

NEAR_MISS = 85.0
"""rapidfuzz ratio (0-100) from which a capitalized word counts as a misspelling of a name."""
MIN_FUZZY_LENGTH = 5
"""Shorter words are never fuzzy-matched: one letter off in `Baku` is another word."""


@lru_cache(maxsize=1)
def _in_word_any_case() -> frozenset[str]:
    """`WORD_CHARS` and what a case-insensitive pattern takes for them (the Kelvin sign for
    k, say): what a name found in any case must not touch."""
    return frozenset(re.findall(f"(?i)[{char_class(WORD_CHARS)}]", bmp()))


@lru_cache(maxsize=1)
def _in_word_class() -> str:
    """`_in_word_any_case` as the inside of a regex class (worked out once: every pattern of
    every entry uses it)."""
    return char_class(_in_word_any_case())


@lru_cache(maxsize=1)
def _bounds() -> tuple[str, str]:
    """Lookarounds for the start and end of a word, case-sensitive in any pattern (and
    spelled out: compiling a class of many ranges case-insensitively takes the regex
    compiler a millisecond a pattern)."""
    in_word = _in_word_class()
    return f"(?-i:(?<![{in_word}]))", f"(?-i:(?![{in_word}]))"


_STOPWORDS = frozenset({"a", "an", "and", "at", "by", "de", "del", "for", "in", "of", "on", "or",
                        "the", "to", "with"})
# A word: letters, joined by hyphens (`Nagorno-Karabakh`); a possessive `'s` stays outside.
# Kanji and kana are not letters of an English word (`Khodjalyと` is the word `Khodjaly`).
_LETTER = r"[^\W\d_\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff]"
_WORD = re.compile(f"{_LETTER}+(?:[-‐]{_LETTER}+)*")
# A script no English name is written in: Japanese, Greek, Cyrillic.
_FOREIGN = re.compile(f"[\u0370-\u03ff\u0400-\u052f{JAPANESE}]")
# English derivations of a name that are not misspellings of it: Russia → Russian,
# Japan → Japanese, Turkey → Turkish, Ukraine → Ukrainian, Kazakhstan → Kazakh.
_DERIVED_SUFFIXES = ("s", "es", "n", "an", "ian", "i", "is", "ese", "ish", "ans", "ians", "ns")
# English writes amounts with the sign: ドル is named by "$800 million".
_CURRENCY_SIGNS = {"dollar": "$", "euro": "€", "yen": "¥", "ruble": "₽", "rouble": "₽",
                   "pound": "£", "renminbi": "¥", "yuan": "¥", "won": "₩", "rupee": "₹"}


@dataclass(frozen=True)
class Change:
    """One rewrite: `[start, end)` spans the INPUT translation (the source, for a
    pre-translation)."""

    start: int
    end: int
    before: str
    after: str
    entry: Entry
    reason: str   # "en_variant" | "near_miss" | "leftover" | "romanized" | "pretranslation"


# A proposed rewrite with what orders it: (priority, rank, start, change). Of overlapping
# proposals of one priority the lower rank wins: the longer Japanese leftover, the closer
# misspelling (of whichever entry: `Azerbaijais` is Azerbaijanis, not Azerbaijan plus -s).
_Proposal = tuple[int, float, int, Change]


@dataclass(frozen=True)
class Enforced:
    """The normalized translation of a segment and what it took to get there."""

    text: str
    changes: list[Change]
    missing: list[Entry]
    present: list[Entry]
    pretranslated: bool


@dataclass(frozen=True)
class _Forms:
    """The English forms of an entry and what enforcing it needs, worked out once."""

    entry: Entry
    rendering: str
    accepted: tuple[str, ...]     # full forms that count as present and are never rewritten
    parts: tuple[str, ...]        # name parts a near-miss is rewritten to (capitalized)
    presence_source: tuple[str, int]   # any accepted form, part or derivation of a part:
                                  # pattern and flags, compiled on first use (`presence`)
    presence_plain: str           # the same as a plain alternation (slower; for tests)
    romanized: tuple[tuple[str, str], ...]   # (romanized katakana variant, its English)
    symbol: str                   # a currency's sign: "$800 million" names the dollar
    leftovers: tuple[tuple[str, str], ...]   # (folded Japanese variant, its English), longest first
    variants: tuple[tuple[str, str], ...]    # (en_variant, its English)
    names_lowered: tuple[tuple[str, str, str], ...]   # (name, lower-cased, initial) of the
                                  # one-word names a misspelt word becomes
    initials: frozenset[str]      # their first letters, lower-cased
    window: int                   # words of a many-word capitalized rendering (else 0)

    @property
    def presence(self) -> re.Pattern[str]:
        """`presence_source` compiled. Most segments name an entry by its rendering, found
        without it (`_present`): compiling only when needed spares ~1 ms an entry."""
        return _regex(*self.presence_source)


def accepted_forms(entry: Entry) -> tuple[str, ...]:
    """The English forms that count as the entry being named: the canonical rendering, the
    alternatives of `en`, and Latin-script source variants (`CSTO`)."""
    return _forms(entry).accepted


def present_in(entry: Entry, text: str) -> bool:
    """Whether `text` names the entry: a full form, a part of it (`Elchibey` for `Abulfaz
    Elchibey`), a derivation of a part (`Russian` for `Russia`), or a currency's sign ($)."""
    return _present(_forms(entry), text)


def _present(forms: _Forms, text: str) -> bool:
    if forms.symbol and forms.symbol in text:
        return True
    # Most often the canonical rendering itself stands there, as a word: no regex needed.
    at = text.find(forms.rendering)
    if at != -1:
        end = at + len(forms.rendering)
        in_word = _in_word_any_case()
        if (not at or text[at - 1] not in in_word) and \
                (end == len(text) or text[end] not in in_word):
            return True
    return forms.presence.search(text) is not None


@lru_cache(maxsize=65536)
def _forms(entry: Entry) -> _Forms:
    rendering = entry.rendering
    accepted = _accepted(entry)
    tokens = [t for t in _WORD.findall(rendering) if t.lower() not in _STOPWORDS]
    parts: tuple[str, ...] = ()
    if len(tokens) > 1:
        parts = tuple(dict.fromkeys(t for t in tokens if t[0].isupper() and len(t) >= 3))
    loose = [t for t in tokens if len(t) >= 3]
    alternatives = [(f[0], re.escape(f[1:])) for f in sorted(accepted, key=len, reverse=True)]
    alternatives += [_derivations(t) for t in loose]
    presence_source, anywhere = _presence(alternatives)
    romanized = []
    for variant in entry.ja:
        if any("\u30a1" <= c <= "\u30fa" for c in variant):
            roman = romanize(variant)
            romanized.append((roman.replace(" ", ""), _english_for(entry, variant, parts)))
            if " " in roman:
                for piece in roman.split():
                    romanized.append((piece, _english_for(entry, piece, parts)))
    last = tokens[-1].lower() if tokens else ""
    # Source spellings that are no English form (Japanese, Cyrillic) are leftovers to replace.
    leftovers = [(fold_key(v), _english_for(entry, v, parts)) for v in entry.ja
                 if v not in accepted and _FOREIGN.search(v)]
    leftovers.sort(key=lambda kv: len(kv[0]), reverse=True)
    names = tuple(n for n in (parts or (rendering,)) if " " not in n)
    words = _WORD.findall(rendering)
    return _Forms(
        entry, rendering, accepted, parts, presence_source, anywhere,
        tuple((r, e) for r, e in romanized if len(r) >= MIN_FUZZY_LENGTH),
        _CURRENCY_SIGNS.get(last, ""),
        tuple((k, e) for k, e in leftovers if k),
        tuple((v, _english_for(entry, v, parts)) for v in entry.en_variants),
        tuple((n, n.lower(), n[0].lower()) for n in names),
        frozenset(n[0].lower() for n in names),
        len(words) if len(words) > 1 and all(w[0].isupper() for w in words) else 0)


def _derivations(word: str) -> tuple[str, str]:
    """`word` and the words derived from it (`Russian`, `Turkish`), as its first character
    and a pattern for the rest."""
    stems = {re.escape(word[1:])}
    if len(word) >= 4 and word[-1].lower() in "aeiouy":
        stems.add(re.escape(word[1:-1]))
    if len(word) >= 5 and word.lower().endswith("ey"):
        stems.add(re.escape(word[1:-2]))             # Turkey → Turkish
    lowered = word.lower()
    for tail in ("istan", "stan"):
        if lowered.endswith(tail) and len(word) > len(tail) + 2:
            stems.add(re.escape(word[1: -len(tail)]))
            break
    suffixes = "|".join(re.escape(s) for s in _DERIVED_SUFFIXES) + "|['’]s"
    return word[0], f"(?:{'|'.join(sorted(stems, key=len, reverse=True))})(?:{suffixes})?"


@lru_cache(maxsize=65536)
def _regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, kept for as many patterns as a glossary has entries (re's own cache
    holds 512, and one entry's pattern takes a millisecond to compile)."""
    return re.compile(pattern, flags)


def _presence(alternatives: Sequence[tuple[str, str]]) -> tuple[tuple[str, int], str]:
    """A pattern finding any of `alternatives` (first character, pattern of the rest) as a
    whole word in any case; and the plain alternation of the same.

    The plain one makes the regex engine try every alternative at every word: this one
    starts with the class of the characters that can start a match, so the engine skips
    to the next of them in C, and a lookbehind then tells which alternatives may go on.
    (No character beyond the BMP matches one in it in any case, so the class is exact.)
    """
    before, after = _bounds()
    plain = f"{before}(?:{'|'.join(re.escape(c) + rest for c, rest in alternatives)}){after}"
    if any(c > "\uffff" for c, _ in alternatives):
        return (plain, re.IGNORECASE), plain
    firsts = frozenset().union(*(_same_letter(c) for c, _ in alternatives))
    rests = "|".join(f"(?<={re.escape(c)}){rest}" for c, rest in alternatives)
    in_word = _in_word_class()
    fast = f"[{char_class(firsts)}](?<![{in_word}](?s:.))(?i:{rests}){after}"
    return (fast, 0), plain


@lru_cache(maxsize=256)
def _same_letter(ch: str) -> frozenset[str]:
    """The characters of the BMP that `ch` matches in a case-insensitive pattern (k: k, K
    and the Kelvin sign K)."""
    return frozenset(re.findall(f"(?i){re.escape(ch)}", bmp()))


def _english_for(entry: Entry, variant: str, parts: Sequence[str]) -> str:
    """What a stray spelling of an entry becomes: the full rendering, or for a one-word
    spelling of a many-word person name, the part it resembles (a surname stays a surname)."""
    words = [w for w in re.split(r"[\s・=\-]+", variant.strip()) if w]
    if not parts or len(words) > 1 or entry.type != "person":
        return entry.rendering
    key = romanize(variant) if any("\u30a1" <= c <= "\u30fa" for c in variant) else variant
    key = key.lower().replace(" ", "")
    best = max(parts, key=lambda p: fuzz.ratio(key, p.lower()))
    if fuzz.ratio(key, best.lower()) < 60:
        return entry.rendering
    return best


@lru_cache(maxsize=8)
def _known_words(glossary: Glossary) -> frozenset[str]:
    """Every canonical form and part in the glossary, lower-cased: never a misspelling."""
    words: set[str] = set()
    for entry in glossary.entries:
        accepted = _accepted(entry)
        words.update(f.lower() for f in accepted)
        words.update(w.lower() for f in accepted for w in _WORD.findall(f))
    return frozenset(words)


def _accepted(entry: Entry) -> tuple[str, ...]:
    return tuple(dict.fromkeys((entry.rendering, *entry.alternatives)))


def enforce(source: str, translation: str | None, hits: Sequence[Hit], *,
            glossary: Glossary | None = None) -> Enforced:
    """The normalized translation of a segment whose source has `hits`.

    With `translation` None (no MT yet) the result is a pre-translation of the source. Pass
    the `glossary` so that a word that is another entry's name is never taken for a
    misspelling (`Iraq` in a segment that also names Iran).
    """
    entries = list(dict.fromkeys(h.entry for h in hits))
    if translation is None:
        return pretranslate(source, hits, entries)
    known = _known_words(glossary) if glossary is not None else frozenset()
    return _enforce(translation, entries, [_forms(e) for e in entries], known)


class Enforcer:
    """`enforce` and `present_in` over many segments whose hits come from one glossary.

    The forms of its entries are looked up by identity, once per entry: hashing an entry
    (all its fields) costs about as much as looking for a name in a short text.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.stamp = normalized_stamp(glossary)
        self._known = _known_words(glossary)
        # id → (entry, forms): the entry kept here keeps its id from being reused.
        self._forms: dict[int, tuple[Entry, _Forms]] = {}

    def entries(self, hits: Sequence[Hit]) -> list[Entry]:
        """The entries of `hits`, each once, in order (as `dict.fromkeys`: the glossary's
        entries are its only equal ones)."""
        return list({id(h.entry): h.entry for h in hits}.values())

    def forms(self, entries: Sequence[Entry]) -> list[_Forms]:
        out = []
        for entry in entries:
            found = self._forms.get(id(entry))
            if found is None or found[0] is not entry:
                found = self._forms[id(entry)] = (entry, _forms(entry))
            out.append(found[1])
        return out

    def enforce(self, translation: str, entries: Sequence[Entry]) -> Enforced:
        """`enforce` of a translation whose source names `entries` (from `entries`)."""
        return _enforce(translation, entries, self.forms(entries), self._known)

    def missing(self, text: str, entries: Sequence[Entry]) -> list[Entry]:
        """The `entries` that `text` does not name (`present_in`)."""
        return [e for e, f in zip(entries, self.forms(entries), strict=True)
                if not _present(f, text)]


def _enforce(text: str, entries: Sequence[Entry], forms: Sequence[_Forms],
             known: frozenset[str]) -> Enforced:
    """`enforce` of `text` for `entries`, whose forms are `forms`."""
    proposals: list[_Proposal] = []
    if not text.isascii() and _FOREIGN.search(text):
        proposals.extend(_leftovers(text, forms))
    words = _Words(text, known)
    for entry_forms in forms:
        if entry_forms.variants:
            proposals.extend(_variant_rewrites(text, entry_forms))
        if not words.capitalized:
            continue
        if entry_forms.window:
            proposals.extend(_whole_name_misses(words, entry_forms, known))
        if words.misspellable and not entry_forms.initials.isdisjoint(words.misspellable):
            proposals.extend(_word_misses(words, entry_forms))
        if entry_forms.romanized and words.romanizable:
            proposals.extend(_romanized(words, entry_forms))
    changes = _select(proposals, _protected_spans(text, forms)) if proposals else []
    if changes:
        text = _apply(text, changes)
    named = [_present(f, text) for f in forms]
    present = [e for e, ok in zip(entries, named, strict=True) if ok]
    missing = [e for e, ok in zip(entries, named, strict=True) if not ok]
    return Enforced(text, changes, missing, present, pretranslated=False)


class _Words:
    """The capitalized words of a translation, where enforcement looks for misspellings,
    indexed by their first letter (a misspelling starts like the name)."""

    __slots__ = ("text", "capitalized", "_by_initial", "misspellable", "romanizable")

    def __init__(self, text: str, known: frozenset[str]) -> None:
        self.text = text
        self.capitalized = _capitalized_words(text)
        self._by_initial: dict[str, list[int]] | None = None
        # Words that may be a misspelling, as (start, [(stem, end, stem lower-cased)…]): the
        # word and, for a plural, the word without its -s; long enough and not a name.
        self.misspellable: dict[str, list[tuple[int, list[tuple[str, int, str]]]]] = {}
        self.romanizable: list[tuple[int, int, str, str]] = []
        for start, end, word in self.capitalized:
            lowered = word.lower()
            if lowered in known:
                if not word.endswith("s") or len(word) <= MIN_FUZZY_LENGTH:
                    continue           # a name: none of the below
                stems = []
            else:
                if len(lowered) >= MIN_FUZZY_LENGTH:
                    self.romanizable.append((start, end, word, lowered))
                if len(word) < MIN_FUZZY_LENGTH:
                    continue
                stems = [(word, end, lowered)]
            if word.endswith("s") and len(word) > MIN_FUZZY_LENGTH:
                stem = word[:-1]
                if (stem_lowered := stem.lower()) not in known:
                    stems.append((stem, end - 1, stem_lowered))
            if stems:
                self.misspellable.setdefault(word[0].lower(), []).append((start, stems))

    @property
    def by_initial(self) -> dict[str, list[int]]:
        """Where in `capitalized` the words starting with each letter (lower-cased) are."""
        if self._by_initial is None:
            self._by_initial = {}
            for i, (_, _, word) in enumerate(self.capitalized):
                self._by_initial.setdefault(word[0].lower(), []).append(i)
        return self._by_initial


def _capitalized_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the words (`_WORD`) of `text` that start with a capital."""
    if _ASTRAL.search(text):     # capitals beyond the BMP are not in the scanner's class
        return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)
                if m.group()[0].isupper()]
    return [(*m.span(), m.group()) for m in _capitalized_word().finditer(text)]


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@lru_cache(maxsize=1)
def _capitalized_word() -> re.Pattern[str]:
    """A word as `_WORD` finds them, scanning left to right, that starts with a capital of
    the BMP: one where no letter, nor a letter and a hyphen, comes before it.

    The pattern starts with the class of capitals, so the regex engine skips to the next
    one in C (built once, ~10 ms).
    """
    letters = frozenset(re.findall(_LETTER, bmp()))
    capitals = char_class(frozenset(c for c in letters if c.isupper()))
    return re.compile(f"[{capitals}](?<!{_LETTER}.)(?<!{_LETTER}[-‐].)"
                      f"{_LETTER}*(?:[-‐]{_LETTER}+)*")


def pretranslate(source: str, hits: Sequence[Hit], entries: list[Entry]) -> Enforced:
    changes = [Change(h.start, h.end, h.surface, h.entry.rendering, h.entry, "pretranslation")
               for h in sorted(hits, key=lambda h: h.start)]
    return Enforced(_apply(source, changes), changes, [], entries, pretranslated=True)


def _apply(text: str, changes: Sequence[Change]) -> str:
    pieces = []
    last = 0
    for change in changes:
        pieces.append(text[last:change.start])
        pieces.append(change.after)
        last = change.end
    pieces.append(text[last:])
    return "".join(pieces)


def _word_bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] not in WORD_CHARS) and \
        (end == len(text) or text[end] not in WORD_CHARS)


def _word_pattern(form: str) -> re.Pattern[str]:
    before, after = _bounds()
    return _regex(f"{before}{re.escape(form)}{after}", re.IGNORECASE)


def contains_word(text: str, form: str) -> bool:
    """Whether `text` holds `form` (in any case) as a whole word: between characters that
    are not `WORD_CHARS`."""
    if text.isascii() and form.isascii():
        # ASCII folds one letter to one letter and no ASCII letter matches another character
        # in ASCII text: a search of the lower-cased text is the pattern's search, without
        # compiling it.
        lowered, wanted, in_word = text.lower(), form.lower(), _in_word_any_case()
        at = lowered.find(wanted)
        while at != -1:
            end = at + len(wanted)
            if (not at or text[at - 1] not in in_word) and \
                    (end == len(text) or text[end] not in in_word):
                return True
            at = lowered.find(wanted, at + 1)
        return False
    return _word_pattern(form).search(text) is not None


def _protected_spans(text: str, entries: Sequence[_Forms]) -> list[tuple[int, int]]:
    """Where a canonical form already stands: no rewrite may touch it (nothing applies twice)."""
    spans = []
    for forms in entries:
        for form in forms.accepted:
            start = text.find(form)
            while start != -1:
                end = start + len(form)
                if _word_bounded(text, start, end):
                    spans.append((start, end))
                start = text.find(form, start + 1)
    return spans


def _leftovers(text: str, entries: Sequence[_Forms]) -> list[_Proposal]:
    """Japanese or Cyrillic source spellings of a name left in the English (MT copies what it
    cannot translate), found as in the sources: on word boundaries, the longest of overlapping
    ones first (`アゼルバイジャン人` is the Azerbaijanis, not Azerbaijan and a stray `人`)."""
    folded = Folded(text)
    out: list[_Proposal] = []
    for forms in entries:
        for key, after in forms.leftovers:
            at = folded.text.find(key)
            while at != -1:
                start, end = folded.span(at, at + len(key))
                if _leftover_bounded(text, start, end):
                    pad_before = " " if start and text[start - 1] in WORD_CHARS else ""
                    pad_after = " " if end < len(text) and text[end] in WORD_CHARS else ""
                    out.append((0, start - end, start,
                                Change(start, end, text[start:end],
                                       pad_before + after + pad_after, forms.entry,
                                       "leftover")))
                at = folded.text.find(key, at + len(key))
    return out


def _leftover_bounded(text: str, start: int, end: int) -> bool:
    """As in the sources: a leftover starting (ending) with a letter or digit is a word of its
    own (camelCase joins count: `…иВладимираПутина`), one with katakana does not go on a
    katakana word."""
    first, last = text[start], text[end - 1]
    if start:
        before = text[start - 1]
        if first in WORD_CHARS and not starts_word(text, start) or \
                first in KATAKANA_CHARS and before in KATAKANA_WORD:
            return False
    if end < len(text):
        after = text[end]
        if last in WORD_CHARS and not ends_word(text, end) or \
                last in KATAKANA_WORD and after in KATAKANA_WORD:
            return False
    return True


def _variant_rewrites(text: str, forms: _Forms) -> list[_Proposal]:
    out: list[_Proposal] = []
    for variant, target in forms.variants:
        start = text.find(variant)
        while start != -1:
            end = start + len(variant)
            if _word_bounded(text, start, end):
                out.append((1, 0, start, Change(start, end, variant, target, forms.entry,
                                                "en_variant")))
            start = text.find(variant, start + 1)
    return out


def _near_miss_score(word: str, name: str, known: frozenset[str]) -> float:
    """How close `word` is to `name` if it is a misspelling of it (and not the name, another
    name, or a word derived from it), else 0."""
    if word == name or len(word) < MIN_FUZZY_LENGTH or word[0].lower() != name[0].lower():
        return 0.0
    lowered, target = word.lower(), name.lower()
    if lowered == target or lowered in known:
        return 0.0
    if lowered.startswith(target) or target.startswith(lowered):
        return 0.0   # Russian, Azerbaijani, Kazakh: derived or shortened, not misspelt
    return fuzz.ratio(lowered, target, score_cutoff=NEAR_MISS)


def _whole_name_misses(words: _Words, forms: _Forms, known: frozenset[str]) -> list[_Proposal]:
    """A many-word name misspelt (`Abulfas Elchibei`): consecutive capitalized words
    separated by single spaces, the first starting like the name."""
    out: list[_Proposal] = []
    text, capitalized = words.text, words.capitalized
    rendering, size = forms.rendering, forms.window
    for i in words.by_initial.get(rendering[0].lower(), ()):
        window = capitalized[i:i + size]
        if len(window) < size or \
                any(text[a[1]:b[0]] != " " for a, b in zip(window, window[1:], strict=False)):
            continue
        start, end = window[0][0], window[-1][1]
        score = _near_miss_score(text[start:end], rendering, known)
        if score:
            out.append((2, -score, start, Change(start, end, text[start:end], rendering,
                                                 forms.entry, "near_miss")))
    return out


def _word_misses(words: _Words, forms: _Forms) -> list[_Proposal]:
    """A word misspelling a one-word name or a part of one (`Elchibei`)."""
    out: list[_Proposal] = []
    candidates = [(start, initial, stems) for initial in forms.initials
                  for start, stems in words.misspellable.get(initial, ())]
    if len(forms.initials) > 1:
        candidates.sort(key=lambda w: w[0])
    for start, initial, stems in candidates:
        # A plural keeps its ending (Medvedyevs → Medvedevs): the closer of word and stem wins.
        best: tuple[float, str, int, str] | None = None
        for stem, stop, lowered in stems:
            for name, target, name_initial in forms.names_lowered:
                if name_initial != initial or lowered == target or \
                        lowered.startswith(target) or target.startswith(lowered):
                    continue   # another initial; the name; derived (Russian) or shortened
                score = fuzz.ratio(lowered, target, score_cutoff=NEAR_MISS)
                if score and (best is None or score > best[0]):
                    best = (score, stem, stop, name)
        if best is not None:
            score, stem, stop, name = best
            out.append((3, -score, start, Change(start, stop, stem, name, forms.entry,
                                                 "near_miss")))
    return out


def _romanized(words: _Words, forms: _Forms) -> list[_Proposal]:
    """Katakana transliterated back letter by letter (`Eruchibei` for エルチベイ)."""
    out: list[_Proposal] = []
    for start, end, word, lowered in words.romanizable:
        for roman, english in forms.romanized:
            target = english.lower()
            if lowered.startswith(target) or target.startswith(lowered):
                continue   # the English name itself, or a word derived from it
            if fuzz.ratio(lowered, roman, score_cutoff=NEAR_MISS):
                out.append((4, 0, start, Change(start, end, word, english, forms.entry,
                                                "romanized")))
                break
    return out


def _select(proposals: list[_Proposal], protected: Sequence[tuple[int, int]]) -> list[Change]:
    """Non-overlapping changes, by priority (Japanese, longest first; variants, whole names,
    parts, romanizations), none touching a canonical form already in the text."""
    taken: list[tuple[int, int]] = list(protected)
    chosen: list[Change] = []
    for *_, change in sorted(proposals, key=lambda p: p[:3]):
        if change.before == change.after:
            continue
        if any(change.start < e and s < change.end for s, e in taken):
            continue
        taken.append((change.start, change.end))
        chosen.append(change)
    chosen.sort(key=lambda c: c.start)
    return chosen


def normalized_stamp(glossary: Glossary) -> str:
    """What a normalized text is stored with: the fingerprint of the glossary it was made
    with and the version of these rules. Another stamp means another text."""
    return f"{glossary.fingerprint}+rules{RULES_VERSION}"
