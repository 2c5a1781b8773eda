"""Misspelt names in English: capitalized words, and runs of them, matched to the spellings
of a segment's entries by transliteration skeleton (`glossary.skeleton`: `Nazarbaev` is
`Nazarbayev`, `Nagorno Karabakh` is `Nagorno-Karabakh`), else by a letter or two off the
skeleton (`Kazakstan`), and katakana romanized letter by letter (`Eruchibei`).

A correct word is never taken for a misspelling: another entry's name, an English word
(`glossary.english`: `Chechen`, `Russian`, ordinary words at the start of a sentence), a
word derived from the name (`Azerbaijani`) or longer than it (`Aliyeva`). A proper noun of
the word list is only taken for the name when it is the same skeleton (`Dmitri` for
`Dmitry`). Each proposal carries its reason and a confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from workbench.core.enforce.forms import (
    MIN_FUZZY_LENGTH,
    PIECE,
    Change,
    Forms,
    Target,
    capitalized_runs,
    capitalized_words,
    strip_accents,
)
from workbench.core.glossary.english import english_word
from workbench.core.glossary.skeleton import differences, skeleton

APPLY_AT = 0.8
"""Confidence from which a rewrite is made; a less certain one is only suggested (a QA
warning), and the text keeps what it says."""

SAME_SKELETON = 0.95
"""The confidence of a spelling with the target's skeleton (a systematic variant)."""
SHORT_SAME_SKELETON = 0.9
"""... when the skeleton has four letters (`Bakou` for `Baku`)."""
SEPARATORS_ONLY = 0.99
"""... of a spelling that differs from the target only in hyphens, spaces or capitals."""
ACCENTS_ONLY = 0.5
"""... of the target written without its accents (`To Lam` for `Tô Lâm`): English often
drops them, so this is offered, never made."""

# A proposed rewrite with what orders it: (priority, rank, start, change). Of overlapping
# proposals of one priority the lower rank wins: the longer Japanese leftover, the more
# confident rewrite (then the longer span).
Proposal = tuple[int, float, int, Change]

_FREE, _PROPER, _SEPARATORS = 0, 1, 2    # what a candidate may be rewritten for (below)
# (start, end, spelling, skeleton (letters for `_SEPARATORS`), kind, words or parts,
#  letters lower-cased)
Candidate = tuple[int, int, str, str, int, int, str]
_SPLIT = re.compile(r"([\s\-‐]+)")


class Candidates:
    """The capitalized words of a translation and the runs of them (joined by a space or a
    hyphen) where a name may be misspelt, each with its skeleton and what it may be taken
    for: anything (`_FREE`), only a same-skeleton spelling of the name (`_PROPER`: an English
    proper noun), or only a spelling with other hyphens or spaces (`_SEPARATORS`: a run of
    English words).

    `verdicts` remembers what each word is (across the segments of one glossary: most words
    recur), so that a known name or an English word costs one look-up.
    """

    __slots__ = ("text", "known", "verdicts", "_matches", "_seen", "_runs", "_singles",
                 "_quiet")

    def __init__(self, text: str, known: frozenset[str],
                 verdicts: dict[str, Verdict] | None = None) -> None:
        self.text = text
        self.known = known
        self.verdicts = verdicts if verdicts is not None else {}
        scanner = capitalized_runs(text)
        # The runs, scanned as far as `quiet` needed (`_seen`) and the rest still to scan.
        self._matches = scanner.finditer(text) if scanner is not None else None
        self._seen: list[tuple[int, str]] = []
        self._runs: list[list[tuple[int, int, str]]] | None = None
        self._singles: list[Candidate] | None = None
        self._quiet: bool | None = None

    def quiet(self, forms: Sequence[Forms]) -> bool:
        """Whether no word may be a misspelt name of `forms`: every capitalized word is an
        English word or a name, and every run of several is a name, or English words and
        names that spell no name of `forms` with other hyphens or spaces (the usual case,
        told by a look-up a word)."""
        if self._quiet is None:
            self._quiet = self._look(forms)
        return self._quiet

    def _look(self, forms: Sequence[Forms]) -> bool:
        if self._matches is None or self._runs is not None:
            return False
        verdicts, known = self.verdicts, self.known
        spaced = [item for f in forms for item in f.by_letters.items()]
        seen = self._seen
        for match in self._matches:
            run = match.group()
            seen.append((match.start(), run))
            if " " in run or "-" in run or "‐" in run:
                lowered = run.lower()
                if lowered in known:
                    continue
                words = lowered.replace("-", " ").replace("‐", " ").split()
                if not all(w in known or english_word(w) == "common" for w in words):
                    return False
                if spaced:
                    # A name of several words in its letters is written there as it is, or
                    # may be spelt with other hyphens or spaces.
                    letters = strip_accents("".join(words))
                    if any(name in letters and any(t.english not in run for t in targets)
                           for name, targets in spaced):
                        return False
                continue
            verdict = verdicts.get(run, _UNSEEN)
            if verdict is _UNSEEN:
                verdict = verdicts[run] = _verdict(run, known)
            if verdict is not None:
                return False
        return True

    def runs(self) -> list[list[tuple[int, int, str]]]:
        """The pieces (start, end, letters) of each run: capitalized words one space apart,
        a hyphenated one in its parts."""
        if self._runs is None:
            if self._matches is not None:
                found = self._seen
                found.extend((m.start(), m.group()) for m in self._matches)
            else:     # letters beyond the BMP: word by word
                found = []
                for start, end, word in capitalized_words(self.text):
                    if found and self.text[found[-1][0] + len(found[-1][1]):start] == " ":
                        found[-1] = (found[-1][0], self.text[found[-1][0]:end])
                    else:
                        found.append((start, word))
            self._runs = [[(start, start + len(run), run)] if run.isalpha() else
                          [(start + m.start(), start + m.end(), m.group())
                           for m in PIECE.finditer(run)]
                          for start, run in found]
        return self._runs

    def singles(self) -> list[Candidate]:
        """The one-word candidates: each capitalized word (or hyphenated part of one) that
        may be a misspelling, and for a plural its stem (`Medvedyevs`: `Medvedyev`)."""
        if self._singles is None:
            out: list[Candidate] = []
            verdicts = self.verdicts
            for run in self.runs():
                for start, end, word in run:
                    verdict = verdicts.get(word, _UNSEEN)
                    if verdict is _UNSEEN:
                        verdict = verdicts[word] = _verdict(word, self.known)
                    if verdict is not None:
                        key, kind, stem = verdict
                        lowered = word.lower()
                        out.append((start, end, word, key, kind, 1, lowered))
                        if stem:
                            out.append((start, end - 1, word[:-1], stem, kind, 1, lowered[:-1]))
            self._singles = out
        return self._singles

    def upto(self, most: int, longest: int,
             spaced: frozenset[str] | set[str] = frozenset()) -> list[Candidate]:
        """The candidates of at most `most` words (or hyphenated parts) and `longest`
        characters: `singles`, and the runs of several that start with a capital and are
        not a name of the glossary. A run of known names and English words only may differ
        from a name in its hyphens and spaces alone (`Nagorno Karabakh`): its key is its
        letters, one of `spaced` (the letters of the names of several words)."""
        out = self.singles()
        if most < 2:
            return out
        text, known = self.text, self.known
        # A run that is a name written right has no misspelt name in it.
        runs = [run for run in self.runs()
                if len(run) > 1 and text[run[0][0]:run[-1][1]].lower() not in known]
        if not runs:
            return out
        out = list(out)
        for pieces in runs:
            for i, (start, _, word) in enumerate(pieces[:-1]):
                if not word[0].isupper():
                    continue
                plain = _plain(word, known)
                letters = word.lower()
                for j in range(i + 1, min(i + most, len(pieces))):
                    stop = pieces[j][1]
                    if stop - start > longest:
                        break
                    piece = pieces[j][2]
                    plain = plain and _plain(piece, known)
                    letters += piece.lower()
                    spelling = text[start:stop]
                    if spelling.lower() in known:
                        continue
                    if plain:
                        key = strip_accents(letters)
                        if key in spaced:
                            out.append((start, stop, spelling, key, _SEPARATORS, j - i + 1,
                                        letters))
                    else:
                        out.append((start, stop, spelling, skeleton(spelling).key, _FREE,
                                    j - i + 1, letters))
        return out


def _plain(word: str, known: frozenset[str]) -> bool:
    """Whether a word is a name of the glossary or an ordinary English word."""
    return word.lower() in known or english_word(word) == "common"


# What a word is: None (never a misspelling), or its skeleton, kind and its stem's skeleton.
Verdict = tuple[str, int, str] | None
_UNSEEN: Verdict = ("", -1, "")


def _verdict(word: str, known: frozenset[str]) -> Verdict:
    """What a capitalized word may be taken for (`Candidates`)."""
    if len(word) < 4 or not word[0].isupper() or word.isupper() and len(word) < 6:
        return None    # too short to tell, a lower-case part, an acronym
    lowered = word.lower()
    if lowered in known:
        return None
    found = english_word(word)
    if found == "common":
        return None
    stem = ""
    if word.endswith("s") and len(word) > MIN_FUZZY_LENGTH and lowered[:-1] not in known:
        stem = skeleton(word[:-1]).key
    return skeleton(word).key, _PROPER if found else _FREE, stem


def name_proposals(candidates: Candidates, forms: Sequence[Forms]) -> list[Proposal]:
    """Rewrites of misspelt names of the entries whose `forms` are given."""
    most = longest = 0
    for entry_forms in forms:
        if entry_forms.pieces > most:
            most = entry_forms.pieces
        if entry_forms.longest > longest:
            longest = entry_forms.longest
    spaced = {letters for f in forms for letters in f.by_letters}
    found_in = candidates.upto(most, longest + 3, spaced) if most else ()
    if not found_in:
        return []
    out: list[Proposal] = []
    text = candidates.text
    for start, end, spelling, key, kind, pieces, letters in found_in:
        # the best match: (confidence, how, entry's forms, target)
        best: tuple[float, str | tuple[int, int], Forms, Target] | None = None
        for entry_forms in forms:
            index = entry_forms.by_letters if kind == _SEPARATORS else entry_forms.by_key
            for target in index.get(key, ()):
                same = _same_skeleton(spelling, letters, kind, pieces, target)
                if same is not None and (best is None or same[0] > best[0]):
                    best = (same[0], same[1], entry_forms, target)
        if best is None and kind == _FREE and len(key) >= MIN_FUZZY_LENGTH:
            size, count = len(key), len(letters)
            for entry_forms in forms:
                for target in entry_forms.by_initial.get(key[0], ()):
                    if target.pieces == pieces and (abs(len(target.key) - size) <= 2 or
                                                    abs(len(target.letters) - count) <= 2):
                        near = _near_miss(key, letters, target)
                        if near is not None and (best is None or near[0] > best[0]):
                            best = (near[0], (near[1], near[2]), entry_forms, target)
        if best is not None:
            confidence, how, entry_forms, target = best
            change = _trimmed(text, Change(
                start, end, spelling, target.english, entry_forms.entry,
                "near_miss" if isinstance(how, tuple) else "transliteration",
                _why(spelling, how, entry_forms, target), confidence))
            out.append((2, -confidence - (end - start) * 1e-6, change.start, change))
    return out


def _same_skeleton(spelling: str, letters: str, kind: int, pieces: int,
                   target: Target) -> tuple[float, str] | None:
    """A spelling with the target's skeleton, another system's spelling of it: (confidence,
    how it differs). One of more words or parts than the target must have no word shorter
    than three letters (not `Azerbaijan I` for `Azerbaijani`)."""
    english = target.english
    if spelling == english or pieces > target.pieces and \
            any(len(p) < 3 for p in PIECE.findall(spelling)):
        return None
    if letters == target.letters:
        if spelling.isupper():
            return None     # a capitalized heading, not a misspelling
        return SEPARATORS_ONLY, "hyphen/space" if spelling.lower() != english.lower() \
            else "capitals"
    if strip_accents(english) == spelling:
        return ACCENTS_ONLY, "written without accents"
    if kind == _SEPARATORS:
        return None
    return (SAME_SKELETON if len(target.key) > 4 else SHORT_SAME_SKELETON), "transliteration"


def _near_miss(key: str, letters: str, target: Target) -> tuple[float, int, int] | None:
    """A spelling a letter or two off the target, as written or by skeleton (`Kazakstan`,
    `Masklhadov`), one for a name of fewer than ten letters: (confidence, letters off,
    letters off by skeleton). A longer word that starts like the name is derived from it
    (`Aliyeva`), a shorter one a part of it, unless one letter shorter than a long name."""
    best = 0.0
    distances = [99, 99]
    for i, (mine, theirs) in enumerate(((key, target.key), (letters, target.letters))):
        if mine.startswith(theirs) or \
                theirs.startswith(mine) and (len(theirs) - len(mine) > 1 or len(theirs) < 7):
            return None
        most = 1 if len(theirs) < 10 else 2
        if abs(len(theirs) - len(mine)) > most:
            continue
        distance = distances[i] = OSA.distance(mine, theirs, score_cutoff=most)
        if distance <= most:
            best = max(best, SAME_SKELETON - distance / len(theirs))
    if not best:
        return None
    if distances[1] == 99:
        distances[1] = OSA.distance(letters, target.letters)
    return round(best, 2), min(distances), distances[0]


def _why(spelling: str, how: str | tuple[int, int], forms: Forms, target: Target) -> str:
    """Why a spelling was taken for the target, as a reviewer reads it."""
    if isinstance(how, tuple):
        distance, by_skeleton = how
        rules = _differences(spelling, target.english) if by_skeleton <= 1 else ()
        why = f"{distance} letter{'s' if distance > 1 else ''} off" + \
            (f" after transliteration: {', '.join(rules)}" if rules else "")
    elif how == "transliteration":
        rules = _differences(spelling, target.english)
        why = "transliteration" + (f": {', '.join(rules)}" if rules else "")
    else:
        why = how
    if target.derived:
        return f"{why} (derived from {forms.rendering})"
    return why


@lru_cache(maxsize=4096)
def _differences(spelling: str, english: str) -> tuple[str, ...]:
    """`differences`, remembered: a misspelling recurs through a document."""
    return tuple(differences(spelling, english))


def _trimmed(text: str, change: Change) -> Change:
    """A rewrite of several words cut to the words it changes (`Ilham Aliev` → `Ilham
    Aliyev` is `Aliev` → `Aliyev`), when both have the same words and separators."""
    if " " not in change.before and "-" not in change.before and "‐" not in change.before:
        return change
    before = _SPLIT.split(change.before)
    after = _SPLIT.split(change.after)
    if len(before) == 1 or len(before) != len(after) or before[1::2] != after[1::2]:
        return change
    differ = [i for i in range(0, len(before), 2) if before[i] != after[i]]
    if not differ:
        return change
    lo, hi = differ[0], differ[-1]
    skip = sum(len(p) for p in before[:lo])
    start = change.start + skip
    end = start + sum(len(p) for p in before[lo:hi + 1])
    return Change(start, end, text[start:end], "".join(after[lo:hi + 1]), change.entry,
                  change.reason, change.why, change.confidence)


def romanized_proposals(candidates: Candidates, forms: Forms,
                        named: set[int] | frozenset[int] = frozenset()) -> list[Proposal]:
    """Katakana transliterated back letter by letter (`Eruchibei` for エルチベイ), in words
    that are no other spelling of a name (`named`: where those start)."""
    out: list[Proposal] = []
    for start, end, word, _, kind, _, _ in candidates.singles():
        if kind != _FREE or len(word) < MIN_FUZZY_LENGTH or start in named:
            continue
        lowered = word.lower()
        for roman, english in forms.romanized:
            if abs(len(roman) - len(lowered)) * 3 > len(roman):
                continue     # too far apart in length to be 85% alike
            target = english.lower()
            if lowered.startswith(target) or target.startswith(lowered):
                continue   # the English name itself, or a word derived from it
            score = fuzz.ratio(lowered, roman, score_cutoff=85)
            if score:
                confidence = round(score / 100 * SAME_SKELETON, 2)
                out.append((4, -confidence, start,
                            Change(start, end, word, english, forms.entry, "romanized",
                                   "katakana romanized letter by letter", confidence)))
                break
    return out
