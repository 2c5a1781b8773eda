"""Enforcing a segment's names on its English: gathering the proposed rewrites (Japanese
leftovers, listed variants, misspelt names, romanized katakana), choosing among them,
applying the confident ones and offering the rest; and pre-translation."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.core.batch import gc_paused
from workbench.core.chars import KATAKANA_CHARS, KATAKANA_WORD, WORD_CHARS, ends_word, starts_word
from workbench.core.enforce.forms import (
    FOREIGN,
    Change,
    Forms,
    forms_of,
    known_words,
    present,
    word_bounded,
)
from workbench.core.enforce.names import (
    APPLY_AT,
    Candidates,
    Proposal,
    Verdict,
    name_proposals,
    romanized_proposals,
)
from workbench.core.glossary.fold import Folded
from workbench.core.glossary.model import Entry, Glossary, Hit

RULES_VERSION = "4"
"""Bump when enforcement rules change, so that normalized texts made by the old ones are
made again (`normalized_stamp`). 2: word boundaries as in the matcher, the longest Japanese
leftover and the closest misspelling win. 3: Cyrillic leftovers too, bounded as the matcher
bounds words (camelCase joins). 4: transliteration skeletons, runs of words, English words
and derived forms never rewritten, quotes the source quotes kept, unsure rewrites only
suggested."""


@dataclass(frozen=True)
class Enforced:
    """The normalized translation of a segment and what it took to get there: the rewrites
    made, and the ones only suggested (not sure enough: the text keeps its spelling)."""

    text: str
    changes: list[Change]
    missing: list[Entry]
    present: list[Entry]
    pretranslated: bool
    suggestions: list[Change] = field(default_factory=list)


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
    known = known_words(glossary) if glossary is not None else frozenset()
    return _enforce(translation, entries, [forms_of(e) for e in entries], known, source)


class Enforcer:
    """`enforce` and `present_in` over many segments whose hits come from one glossary.

    The forms of its entries are looked up by identity, once per entry: hashing an entry
    (all its fields) costs about as much as looking for a name in a short text.
    """

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self.stamp = normalized_stamp(glossary)
        self._known = known_words(glossary)
        # id → (entry, forms): the entry kept here keeps its id from being reused.
        self._forms: dict[int, tuple[Entry, Forms]] = {}
        self._verdicts: dict[str, Verdict] = {}

    def entries(self, hits: Sequence[Hit]) -> list[Entry]:
        """The entries of `hits`, each once, in order (as `dict.fromkeys`: the glossary's
        entries are its only equal ones)."""
        return list({id(h.entry): h.entry for h in hits}.values())

    def forms(self, entries: Sequence[Entry]) -> list[Forms]:
        """The forms of `entries`, each worked out once."""
        out = []
        for entry in entries:
            found = self._forms.get(id(entry))
            if found is None or found[0] is not entry:
                found = self._forms[id(entry)] = (entry, forms_of(entry))
            out.append(found[1])
        return out

    def enforce(self, translation: str, entries: Sequence[Entry], source: str = "") -> Enforced:
        """`enforce` of a translation whose source (`source`) names `entries`."""
        return _enforce(translation, entries, self.forms(entries), self._known, source,
                        verdicts=self._verdicts)

    def review(self, normalized: str, entries: Sequence[Entry], source: str = "") -> Enforced:
        """What a normalized text made with this glossary and these rules (`stamp`) still
        holds: the entries it does not name and the rewrites it was only offered. (Its
        leftovers and listed variants were rewritten when it was made: not looked for.)"""
        return _enforce(normalized, entries, self.forms(entries), self._known, source,
                        made=True, verdicts=self._verdicts)

    def missing(self, text: str, entries: Sequence[Entry]) -> list[Entry]:
        """The `entries` that `text` does not name (`present_in`)."""
        return [e for e, f in zip(entries, self.forms(entries), strict=True)
                if not present(f, text)]


def enforce_many(sources: Sequence[str], translations: Sequence[str],
                 glossary: Glossary) -> list[Enforced]:
    """`enforce` of many segments (one scan of the glossary's matcher for all sources):
    existing translations and other tools' output, normalized in batch."""
    enforcer = Enforcer(glossary)
    with gc_paused():
        return [enforcer.enforce(translation, enforcer.entries(hits), source)
                for source, translation, hits in zip(sources, translations,
                                                     glossary.find_all(sources), strict=True)]


def _enforce(text: str, entries: Sequence[Entry], forms: Sequence[Forms],
             known: frozenset[str], source: str, made: bool = False,
             verdicts: dict[str, Verdict] | None = None) -> Enforced:
    """`enforce` of `text` for `entries`, whose forms are `forms` (`made`: a text enforced
    already, `Enforcer.review`)."""
    proposals: list[Proposal] = []
    if not made and not text.isascii() and FOREIGN.search(text):
        proposals.extend(_leftovers(text, forms))
    if not made:
        for entry_forms in forms:
            if entry_forms.variants:
                proposals.extend(_variant_rewrites(text, entry_forms))
    candidates = Candidates(text, known, verdicts)
    if not candidates.quiet(forms):
        names = name_proposals(candidates, forms)
        proposals.extend(names)
        if candidates.singles():
            spelt = {p[3].start for p in names if p[3].confidence >= APPLY_AT}
            for entry_forms in forms:
                if entry_forms.romanized:
                    proposals.extend(romanized_proposals(candidates, entry_forms, spelt))
    changes: list[Change] = []
    suggestions: list[Change] = []
    if proposals:
        for change in _select(proposals, _protected_spans(text, forms),
                              _quoted_spans(text) if _quotes(source) else []):
            (changes if change.confidence >= APPLY_AT else suggestions).append(change)
    if changes:
        text = _apply(text, changes)
    missing: list[Entry] = []
    named: list[Entry] = []
    for entry, entry_forms in zip(entries, forms, strict=True):
        (named if present(entry_forms, text) else missing).append(entry)
    return Enforced(text, changes, missing, named, False, suggestions)


def pretranslate(source: str, hits: Sequence[Hit], entries: list[Entry]) -> Enforced:
    """The source with each hit in its canonical English (a segment with no MT yet)."""
    changes = [Change(h.start, h.end, h.surface, h.entry.rendering, h.entry, "pretranslation",
                      "pre-translation")
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


def _protected_spans(text: str, entries: Sequence[Forms]) -> list[tuple[int, int]]:
    """Where a canonical form already stands: no rewrite may touch it (nothing applies twice)."""
    spans = []
    for forms in entries:
        for form in forms.accepted:
            start = text.find(form)
            while start != -1:
                end = start + len(form)
                if word_bounded(text, start, end):
                    spans.append((start, end))
                start = text.find(form, start + 1)
    return spans


_SOURCE_QUOTES = re.compile("[「『“\"«‘]")
# Quoted text in English: curly and straight double quotes, guillemets, Japanese brackets,
# and single quotes that open after a non-letter (not an apostrophe) and close before one.
_ENGLISH_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|«[^«»]*»|「[^「」]*」|『[^『』]*』"
                             r"|(?<!\w)‘[^‘’]*’(?!\w)|(?<!\w)'[^']*'(?!\w)")


def _quotes(source: str) -> bool:
    """Whether the source quotes something (a title, a slogan, a name as written)."""
    return _SOURCE_QUOTES.search(source) is not None


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The quoted spans of an English text: when its source quotes too, what is inside is
    a quotation, kept as it is written."""
    return [m.span() for m in _ENGLISH_QUOTED.finditer(text)]


def _leftovers(text: str, entries: Sequence[Forms]) -> list[Proposal]:
    """Japanese or Cyrillic source spellings of a name left in the English (MT copies what it
    cannot translate), found as in the sources: on word boundaries, the longest of overlapping
    ones first (`アゼルバイジャン人` is the Azerbaijanis, not Azerbaijan and a stray `人`)."""
    folded = Folded(text)
    out: list[Proposal] = []
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
                                       "leftover", "source spelling left in the English")))
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


def _variant_rewrites(text: str, forms: Forms) -> list[Proposal]:
    out: list[Proposal] = []
    for variant, target in forms.variants:
        start = text.find(variant)
        while start != -1:
            end = start + len(variant)
            if word_bounded(text, start, end):
                out.append((1, 0, start, Change(start, end, variant, target, forms.entry,
                                                "en_variant", "a listed variant")))
            start = text.find(variant, start + 1)
    return out


def _select(proposals: list[Proposal], protected: Sequence[tuple[int, int]],
            quoted: Sequence[tuple[int, int]]) -> list[Change]:
    """Non-overlapping changes, by priority (Japanese, longest first; variants; misspelt
    names, most confident first; romanizations), none touching a canonical form already in
    the text, and only Japanese inside a quotation the source quotes too."""
    taken: list[tuple[int, int]] = list(protected)
    chosen: list[Change] = []
    for priority, _, _, change in sorted(proposals, key=lambda p: p[:3]):
        if change.before == change.after:
            continue
        if any(change.start < e and s < change.end for s, e in taken):
            continue
        if priority and any(change.start < e and s < change.end for s, e in quoted):
            continue
        taken.append((change.start, change.end))
        chosen.append(change)
    chosen.sort(key=lambda c: c.start)
    return chosen


def normalized_stamp(glossary: Glossary) -> str:
    """What a normalized text is stored with: the fingerprint of the glossary it was made
    with and the version of these rules. Another stamp means another text."""
    return f"{glossary.fingerprint}+rules{RULES_VERSION}"
