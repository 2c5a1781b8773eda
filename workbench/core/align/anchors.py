"""Anchors: what ties a source sentence to a target sentence, as keys both sides can hold.

A key is a short string, the same on both sides when they state the same thing:

- `g:<canonical English>`: a glossary name, found by the matcher in the Japanese, and in the
  target in any of its accepted English forms or `en_variants` (`Russian` for Russia too);
- `n:<value>`: a number or date, read as the number check reads it (3億ドル and $300 million
  are `n:3e+08`; 2024年5月 and May 2024 are `n:2024` and `n:5`; 令和6年 is `n:2024`);
- `l:<token>`: a Latin-script token written in the Japanese (`CSTO`, `COP29`, `VNA`);
- `w:<word>`: an English content word of the segment's machine translation, or of the
  dictionary glosses of its Japanese words (`workbench.core.align.jmdict`), cut to its first
  six letters so that a word meets its kin (cooperation, cooperate: `w:cooper`).

A key is only worth as much as it is rare near where the alignment runs: `pairs` weighs each
shared key by how many sentences around hold it, so a name repeated in every sentence ties
nothing while a year stated once ties two sentences firmly.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench.core.align.language import TargetLanguage
from workbench.core.enforce import accepted_forms, present_in
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.numbers import japanese_numbers

KIND_WEIGHTS: dict[str, float] = {"g": 1.0, "n": 1.0, "l": 1.0, "w": 0.25}
"""What one shared key of each kind weighs when it is the only one of its kind around: a
name, a number or a Latin token ties two sentences; a word of an MT or a gloss only leans."""

NEIGHBOURS = 3
"""Target sentences either side of a source sentence's best match its margin is taken
over."""

STEM = 6
"""Letters of a word kept in a `w:` key."""

_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*[0-9A-Z][A-Za-z0-9]*|[A-Z][a-z]{2,}")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]+")
_ENTRY_WORD = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Keys:
    """The anchor keys of each source and each target sentence."""

    source: list[frozenset[str]]
    target: list[frozenset[str]]


WordSource = Callable[[Sequence[str]], list[set[str]]]
"""English words for Japanese sentences (a dictionary): one set of folded words each."""


def collect_keys(sources: Sequence[str], targets: Sequence[str], language: TargetLanguage,
                 *, glossary: Glossary | None = None, mt: Sequence[str | None] | None = None,
                 dictionary: WordSource | None = None) -> Keys:
    """Every anchor key of the source (Japanese) and target sentences."""
    src: list[set[str]] = [set() for _ in sources]
    tgt: list[set[str]] = [set() for _ in targets]
    for keys, text in zip(src, sources, strict=True):
        keys.update(number_key(v) for v in japanese_numbers(text))
    for keys, text in zip(tgt, targets, strict=True):
        keys.update(number_key(v) for v in language.numbers(text))
    _latin_keys(sources, targets, src, tgt)
    if glossary is not None and len(glossary):
        _name_keys(glossary, sources, targets, src, tgt)
    words: list[set[str]] = [set() for _ in sources]
    if mt is not None:
        for found, translated in zip(words, mt, strict=True):
            if translated:
                found |= language.words(translated)
    if dictionary is not None:
        for found, more in zip(words, dictionary(sources), strict=True):
            found |= more
    if any(words):
        target_words = [language.words(t) for t in targets]
        for keys, found in zip(src, words, strict=True):
            keys.update(f"w:{w[:STEM]}" for w in found)
        for keys, found in zip(tgt, target_words, strict=True):
            keys.update(f"w:{w[:STEM]}" for w in found)
    return Keys([frozenset(k) for k in src], [frozenset(k) for k in tgt])


def number_key(value: float) -> str:
    """`n:2024`, `n:3.5`; amounts from a million up to two significant figures (`n:2e+09`
    for both 19.911億 and "1.99 billion": translations round them)."""
    if abs(value) >= 1e6:
        return f"n:{value:.2g}"
    return f"n:{int(value)}" if value == int(value) else f"n:{value:g}"


def _latin_keys(sources: Sequence[str], targets: Sequence[str], src: list[set[str]],
                tgt: list[set[str]]) -> None:
    """Acronyms, codes and names written in Latin letters inside the Japanese, and the same
    tokens in the targets (only those the Japanese has: every other English word is not
    one)."""
    vocabulary: set[str] = set()
    for keys, text in zip(src, sources, strict=True):
        if text.isascii() or not re.search("[A-Za-z]", text):
            continue     # an all-Latin source (a URL, a credit) is a sentence, not a token
        found = {t.lower() for t in _LATIN_TOKEN.findall(text)}
        vocabulary |= found
        keys.update(f"l:{t}" for t in found)
    if not vocabulary:
        return
    for keys, text in zip(tgt, targets, strict=True):
        keys.update(f"l:{t}" for t in {t.lower() for t in _TOKEN.findall(text)} if t in vocabulary)


def _name_keys(glossary: Glossary, sources: Sequence[str], targets: Sequence[str],
               src: list[set[str]], tgt: list[set[str]]) -> None:
    """Glossary entries the matcher finds in each source, and the targets that name them.

    A one-word name is found as the enforcement finds it (`present_in`: any case, `Russian`
    for Russia); a longer one only in full (an accepted form or an `en_variants` spelling),
    or a person by the last word of the name: the enforcement's leniency (`United` for the
    United Nations Security Council) would tie sentences that name other things. A target is
    only tested for an entry when it holds a word starting like one of the entry's words:
    one pass over the targets' words, not one search per entry and target."""
    entries: dict[str, Entry] = {}
    for keys, hits in zip(src, glossary.find_all(sources), strict=True):
        for hit in hits:
            entries[hit.entry.en] = hit.entry
            keys.add(f"g:{hit.entry.en}")
    if not entries:
        return
    index: dict[str, list[int]] = defaultdict(list)
    for j, text in enumerate(targets):
        for word in {w.lower() for w in _ENTRY_WORD.findall(text)}:
            index[word].append(j)
    vocabulary = sorted(index)
    for en, entry in entries.items():
        forms = _full_forms(entry)
        candidates: set[int] = set()
        for form in forms:
            for word in _ENTRY_WORD.findall(form)[:1] or ():
                stem = word.lower()[:max(3, len(word) - 2)]
                at = bisect_left(vocabulary, stem)
                while at < len(vocabulary) and vocabulary[at].startswith(stem):
                    candidates.update(index[vocabulary[at]])
                    at += 1
        if not candidates:
            continue
        one_word = len(_ENTRY_WORD.findall(entry.rendering)) == 1
        pattern = None if one_word else re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            + r")(?!\w)", re.IGNORECASE)
        key = f"g:{en}"
        for j in candidates:
            if present_in(entry, targets[j]) if pattern is None else \
                    pattern.search(targets[j]):
                tgt[j].add(key)


def _full_forms(entry: Entry) -> list[str]:
    """The English forms that name an entry for an anchor: accepted forms, `en_variants`,
    and a person's last name."""
    forms = [*accepted_forms(entry), *entry.en_variants]
    words = _ENTRY_WORD.findall(entry.rendering)
    if entry.type == "person" and len(words) > 1 and len(words[-1]) >= 4:
        forms.append(words[-1])
    return [f for f in dict.fromkeys(forms) if f.strip()]


@dataclass(frozen=True)
class Occurrences:
    """Where each key occurs, sorted: source rows and target rows per key (only keys both
    sides hold)."""

    source: dict[str, list[int]]
    target: dict[str, list[int]]

    @classmethod
    def of(cls, keys: Keys) -> Occurrences:
        src: dict[str, list[int]] = defaultdict(list)
        tgt: dict[str, list[int]] = defaultdict(list)
        for i, found in enumerate(keys.source):
            for key in found:
                src[key].append(i)
        for j, found in enumerate(keys.target):
            for key in found:
                if key in src:
                    tgt[key].append(j)
        return cls({k: v for k, v in src.items() if k in tgt}, dict(tgt))


def _count(rows: list[int], lo: int, hi: int) -> int:
    return bisect_right(rows, hi) - bisect_left(rows, lo)


RADIUS = 25
"""Sentences either side over which a key's rarity is counted."""


@dataclass(frozen=True)
class Evidence:
    """What the sentences near each other share, for the similarity of a bead.

    Each key a sentence holds that the other side also holds nearby weighs its kind's
    weight times log(1 + W / c) / log(1 + W), c the sentences holding it among the W around
    (on either side, whichever is more): 1 for a key found once, less the more often it
    recurs. `source_mass[s]` and `target_mass[t]` are what each sentence holds in all;
    `by_source[s]` and `by_target[s]` the (target t, weight) that s shares with each t,
    weighed as s and as t weigh it. A bead's similarity is the share of what its sentences
    hold that the other side of the bead holds too (`workbench.core.align.dp`).
    """

    by_source: list[list[tuple[int, float]]]
    by_target: list[list[tuple[int, float]]]
    source_mass: list[float]
    target_mass: list[float]
    typical: float
    """The mean similarity of each source sentence with the target it shares most with:
    what a bead is measured against (better than typical lowers its cost)."""

    @property
    def empty(self) -> bool:
        return not any(self.source_mass) and not any(self.target_mass)


def _weight(key: str, count: int) -> float:
    width = 2 * RADIUS + 1
    return KIND_WEIGHTS[key[0]] * math.log(1 + width / max(count, 1)) / math.log(1 + width)


def evidence(keys: Keys, centers: Sequence[float], occurrences: Occurrences | None = None
             ) -> Evidence:
    """The `Evidence` of the sentences, `centers[i]` the target position expected after
    source sentence i (the middle of the band's row i)."""
    occurrences = occurrences or Occurrences.of(keys)
    src_rows, tgt_rows = occurrences.source, occurrences.target
    n, m = len(keys.source), len(keys.target)
    by_source: list[dict[int, float]] = [{} for _ in range(n)]
    by_target: list[dict[int, float]] = [{} for _ in range(n)]
    source_mass = [0.0] * n
    target_mass = [0.0] * m
    for i, found in enumerate(keys.source):
        center = int(round(centers[min(i + 1, n)]))
        lo, hi = center - RADIUS, center + RADIUS
        for key in found:
            rows = tgt_rows.get(key)
            if not rows:
                continue
            a, b = bisect_left(rows, lo), bisect_right(rows, hi)
            if a == b:
                continue
            weight = _weight(key, max(b - a, _count(src_rows[key], i - RADIUS, i + RADIUS)))
            source_mass[i] += weight
            shared = by_source[i]
            for j in rows[a:b]:
                shared[j] = shared.get(j, 0.0) + weight
    # The source row each target sits at: where the band's middle passes it.
    row_of = [min(bisect_left(centers, j + 1), n) for j in range(m)]
    for j, found in enumerate(keys.target):
        r = row_of[j]
        lo, hi = r - RADIUS - 1, r + RADIUS
        for key in found:
            rows = src_rows.get(key)
            if not rows:
                continue
            a, b = bisect_left(rows, lo), bisect_right(rows, hi)
            if a == b:
                continue
            weight = _weight(key, max(b - a, _count(tgt_rows[key], j - RADIUS, j + RADIUS)))
            target_mass[j] += weight
            for i in rows[a:b]:
                back = by_target[i]
                back[j] = back.get(j, 0.0) + weight
    typical = _typical(by_source, by_target, source_mass, target_mass)
    return Evidence([sorted(d.items()) for d in by_source], [sorted(d.items()) for d in by_target],
                    source_mass, target_mass, typical)


def _typical(by_source: list[dict[int, float]], by_target: list[dict[int, float]],
             source_mass: list[float], target_mass: list[float]) -> float:
    best = []
    for i, shared in enumerate(by_source):
        if not shared:
            continue
        back = by_target[i]
        best.append(max((min(w, source_mass[i]) + min(back.get(j, 0.0), target_mass[j]))
                        / (source_mass[i] + target_mass[j]) for j, w in shared.items()))
    return sum(best) / len(best) if best else 0.0


def strong_pairs(keys: Keys, centers: Sequence[float], half: int,
                 occurrences: Occurrences | None = None) -> list[tuple[int, int, float]]:
    """(source, target, weight) of the keys that occur once on each side within `half`
    sentences of where the band expects them: the candidates the anchor chain is made of."""
    occurrences = occurrences or Occurrences.of(keys)
    src_rows, tgt_rows = occurrences.source, occurrences.target
    n = len(keys.source)
    found: dict[tuple[int, int], float] = {}
    for i, held in enumerate(keys.source):
        center = int(round(centers[min(i + 1, n)]))
        for key in held:
            rows = tgt_rows.get(key)
            if not rows:
                continue
            a, b = bisect_left(rows, center - half), bisect_right(rows, center + half)
            if b - a != 1 or _count(src_rows[key], i - half, i + half) != 1:
                continue
            found[(i, rows[a])] = found.get((i, rows[a]), 0.0) + KIND_WEIGHTS[key[0]]
    return [(i, j, w) for (i, j), w in found.items()]
