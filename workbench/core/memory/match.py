"""Matching a segment against units: 101%, 100% and fuzzy scores as OmegaT computes them.

- 101%: the same source (as folded) and the same neighbours before and after it;
- 100%: the same source as folded (width, case, ー, ・, ヴ);
- fuzzy: `100 · (max − distance) / max` (integer division, as OmegaT's FuzzyMatcher), the
  Levenshtein distance over tokens (`text.tokens`: a character of Japanese, a Latin word,
  one placeholder for any glossary name or number), at most 99 for a source that is not
  the same. A unit's penalty (its memory's) is taken off the score before the threshold.

The candidates of a fuzzy match come from each pool's index (`index.py`: the units whose
folded text is nearest) and its recent units; only those are scored. A match whose source
differs from the segment's only in names or numbers is repaired: the English of the old
name becomes the canonical English of the new one, the old number the new one, and the
match says what it changed.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.core.enforce import accepted_forms
from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.model import Glossary
from workbench.core.memory.index import GramIndex
from workbench.core.memory.proxy import ProxyTokens
from workbench.core.memory.text import (
    NAME,
    NUMBER,
    Placeholder,
    Tokens,
    context_key,
    fold_hash,
    folded_index_text,
    tokens,
    tokens_with_spans,
)
from workbench.core.memory.units import Match, Query, Repair, Span, Unit

THRESHOLD = 70
"""The lowest score a lookup returns by default."""
LIMIT = 5
"""How many matches a lookup returns by default."""
CANDIDATES = 50
"""Units each index part proposes for scoring (the nearest by index text, `nearest`)."""
ANALYSIS_POOL = 300
"""Units an analysis compares per segment (a lookup: `index.POOL`): an analysis wants the
band of the best match of every segment of a project, and sooner than a lookup's
precision for each."""
_LENGTH_SLACK = 8
"""Characters a name may add to or take from a source (it is one token however long)."""


class Pool(Protocol):
    """Units a matcher searches: the open project's own, or the user's memory."""

    def exact(self, key: int, context: tuple[int, int], limit: int) -> list[Unit]: ...

    def units(self, ids: Iterable[int]) -> list[Unit]: ...

    def parts(self) -> list[GramIndex]: ...

    def recent(self, without: str | None = None) -> list[Unit]: ...


@dataclass(frozen=True)
class Source:
    """A pool to search and which of its units to leave out: those of one origin
    (`without`: the open project's own, mirrored) and those `skip` says (per query)."""

    pool: Pool
    skip: Callable[[Unit, Query], bool] = lambda unit, query: False
    without: str | None = None

    def leaves_out(self, unit: Unit, query: Query) -> bool:
        return unit.origin == self.without or self.skip(unit, query)


class Matcher:
    """Finds the matches of segments in pools of units, with one glossary; thread-safe."""

    def __init__(self, sources: Sequence[Source], glossary: Glossary, *,
                 cache_size: int = 100_000) -> None:
        self.sources = list(sources)
        self.glossary = glossary
        self._proxy = ProxyTokens(glossary)
        self._tokens: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ lookups
    def lookup(self, query: Query, *, threshold: int = THRESHOLD, limit: int = LIMIT
               ) -> list[Match]:
        """The best `limit` matches of at least `threshold`%, best first; of equal scores
        the newest first (units with one source and different English: all of them)."""
        best = self._scored(query, threshold, limit)
        if not best:
            return []
        query_tokens = tokens_with_spans(query.source, self.glossary.find(query.source))
        return [self._match(query_tokens, score, unit, same) for score, unit, same in best]

    def best_score(self, query: Query, *, threshold: int = 50) -> int:
        """The score of the best match (0 when none reaches `threshold`), without making
        the match (its differences, repairs) and from fewer candidates: what an analysis
        needs of each segment."""
        best = self._scored(query, threshold, 1, pool=ANALYSIS_POOL)
        return best[0][0] if best else 0

    def _scored(self, query: Query, threshold: int, limit: int, *, pool: int | None = None
                ) -> list[tuple[int, Unit, bool]]:
        folded = fold_key(query.source)
        key = fold_hash(folded)
        context = (context_key(query.prev), context_key(query.next))
        scored: list[tuple[int, Unit, bool]] = []
        seen: set[tuple[int, int]] = set()
        for index, source in enumerate(self.sources):
            for unit in source.pool.exact(key, context, 4 * limit + 8):
                if source.leaves_out(unit, query) or fold_key(unit.source) != folded:
                    continue
                seen.add((index, unit.id))
                same_context = (unit.prev_key, unit.next_key) == context
                score = (101 if same_context else 100) - unit.penalty
                if score >= threshold:
                    scored.append((score, unit, True))
        if len(scored) < limit:
            scored += self._fuzzy(query, folded, threshold, seen, pool)
        return _best(scored, limit)

    def _fuzzy(self, query: Query, folded: str, threshold: int, seen: set[tuple[int, int]],
               pool_size: int | None) -> list[tuple[int, Unit, bool]]:
        if threshold > 99:
            return []      # a fuzzy score is 99 at most
        wanted = self.token_strings([query.source])[0]
        if not wanted:
            return []
        text = folded_index_text(folded)
        ratio = max(threshold, 1) / 100
        low = int(len(text) * ratio) - _LENGTH_SLACK
        high = int(len(text) / ratio) + _LENGTH_SLACK
        found: list[tuple[int, Unit, bool]] = []
        for index, source in enumerate(self.sources):
            pool = source.pool
            ids: list[int] = []
            for part in pool.parts():
                ids += [i for i, _ in part.nearest(
                    text, CANDIDATES if pool_size is None else max(5, pool_size // 30),
                    min_length=low, max_length=high, pool=pool_size, compared=self._proxy)]
            candidates = [u for u in pool.units(ids) if (index, u.id) not in seen]
            recent = [u for u in pool.recent(source.without)
                      if (index, u.id) not in seen and not source.skip(u, query)]
            if recent:
                strings = self.token_strings([u.source for u in recent])
                near = process.extract(wanted, strings, scorer=Levenshtein.normalized_similarity,
                                       score_cutoff=max(threshold - 1, 0) / 100,
                                       limit=CANDIDATES)
                candidates += [recent[i] for _, _, i in near]
            candidates = [u for u in candidates if not source.leaves_out(u, query)]
            strings = self.token_strings([u.source for u in candidates])
            for unit, theirs in zip(candidates, strings, strict=True):
                score = similarity(wanted, theirs)
                if score == 100:
                    score = 99     # not the same source (that is an exact match)
                score -= unit.penalty
                if score >= threshold:
                    found.append((score, unit, False))
        return found

    def token_strings(self, sources: Sequence[str]) -> list[str]:
        """The token string of each source (cached: the glossary's hits cost the most)."""
        out: list[str | None] = []
        missing: dict[str, None] = {}
        with self._lock:
            for text in sources:
                found = self._tokens.get(text)
                if found is None:
                    missing[text] = None
                out.append(found)
        if missing:
            texts = list(missing)
            made = {t: tokens(t, hits) for t, hits in
                    zip(texts, self.glossary.find_all(texts), strict=True)}
            with self._lock:
                self._tokens.update(made)
                while len(self._tokens) > self._cache_size:
                    self._tokens.popitem(last=False)
            out = [made[t] if o is None else o for t, o in zip(sources, out, strict=True)]
        return [o or "" for o in out]

    # ------------------------------------------------------------------ one match
    def _match(self, query: Tokens, score: int, unit: Unit, same: bool) -> Match:
        theirs = tokens_with_spans(unit.source, self.glossary.find(unit.source))
        segment_diff, source_diff, changed = diff(query, theirs)
        target, repairs = unit.target, tuple[Repair, ...]()
        if not same and query.text == theirs.text and changed:
            repaired = repair(unit.target, changed)
            if repaired is not None:
                target, repairs = repaired
        return Match(unit, score, target, repairs, source_diff, segment_diff, same)


def similarity(a: str, b: str) -> int:
    """OmegaT's fuzzy score of two token strings: 100·(max − distance)/max, rounded down."""
    longest = max(len(a), len(b))
    if not longest:
        return 0
    return 100 * (longest - Levenshtein.distance(a, b)) // longest


def _best(scored: list[tuple[int, Unit, bool]], limit: int) -> list[tuple[int, Unit, bool]]:
    """The best `limit`: by score, then newest; one of units with the same source and
    English (the best scored)."""
    # Stable sorts, the least significant key first: id, then date, then score.
    scored.sort(key=lambda s: s[1].id, reverse=True)
    scored.sort(key=lambda s: s[1].changed_at or "", reverse=True)
    scored.sort(key=lambda s: s[0], reverse=True)
    kept: list[tuple[int, Unit, bool]] = []
    pairs: set[tuple[str, str]] = set()
    for item in scored:
        pair = (item[1].source, item[1].target)
        if pair in pairs:
            continue
        pairs.add(pair)
        kept.append(item)
        if len(kept) == limit:
            break
    return kept


# ---------------------------------------------------------------------- differences
def diff(segment: Tokens, unit: Tokens
         ) -> tuple[tuple[Span, ...], tuple[Span, ...], list[tuple[Placeholder, Placeholder]]]:
    """Spans of the segment's source and of the unit's that differ, and the pairs of
    placeholders (segment's, unit's) in the same place that stand for different things."""
    ours: list[Span] = []
    theirs: list[Span] = []
    changed: list[tuple[Placeholder, Placeholder]] = []
    ours_at = _placeholders_at(segment)
    theirs_at = _placeholders_at(unit)
    for op in Levenshtein.opcodes(segment.text, unit.text):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                mine, other = ours_at.get(i), theirs_at.get(j)
                if mine is not None and other is not None and not mine.same(other):
                    changed.append((mine, other))
                    ours.append(Span(mine.start, mine.end, mine.kind))
                    theirs.append(Span(other.start, other.end, other.kind))
            continue
        if i2 > i1:
            ours.append(Span(segment.spans[i1][0], segment.spans[i2 - 1][1],
                             "changed" if tag == "replace" else "extra"))
        if j2 > j1:
            theirs.append(Span(unit.spans[j1][0], unit.spans[j2 - 1][1],
                               "changed" if tag == "replace" else "extra"))
    return _merged(ours), _merged(theirs), changed


def _placeholders_at(found: Tokens) -> dict[int, Placeholder]:
    places = [i for i, c in enumerate(found.text) if c in (NAME, NUMBER)]
    return dict(zip(places, found.placeholders, strict=True))


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and out[-1].kind == span.kind and span.start <= out[-1].end:
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            out.append(span)
    return tuple(out)


# ---------------------------------------------------------------------- repairs
def repair(target: str, changed: Sequence[tuple[Placeholder, Placeholder]]
           ) -> tuple[str, tuple[Repair, ...]] | None:
    """The unit's English with each changed name and number put right, and what was
    changed; None when one of them cannot be found in it (the match is then offered as
    it is)."""
    edits: list[tuple[int, int, str, Repair]] = []
    taken: list[tuple[int, int]] = []
    for new, old in changed:
        found = _find_name(target, old, new, taken) if old.kind == "name" else \
            _find_number(target, old, new, taken)
        if found is None:
            return None
        start, end, replacement = found
        if target[start:end] != replacement:
            edits.append((start, end, replacement,
                          Repair(old.kind, target[start:end], replacement, old.text, new.text)))
        taken.append((start, end))
    text = target
    for start, end, replacement, _ in sorted(edits, key=lambda e: -e[0]):
        text = text[:start] + replacement + text[end:]
    return text, tuple(e[3] for e in sorted(edits, key=lambda e: e[0]))


def _free(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def _find_name(target: str, old: Placeholder, new: Placeholder,
               taken: list[tuple[int, int]]) -> tuple[int, int, str] | None:
    if old.entry is None or new.entry is None:
        return None
    forms = sorted({*accepted_forms(old.entry), *old.entry.en_variants}, key=len, reverse=True)
    for form in forms:
        for m in re.finditer(rf"(?<![\w]){re.escape(form)}(?![\w])", target):
            if _free(m.start(), m.end(), taken):
                return m.start(), m.end(), new.entry.rendering
    return None


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _number_forms(value: float) -> list[tuple[str, str]]:
    """How English may write a number, each with a format to write another one alike:
    `1992`, `1,992`, `150 million`."""
    forms: list[tuple[str, str]] = []
    for size, word in _SCALES:
        if abs(value) >= size and value / size == round(value / size, 3):
            forms.append((f"{value / size:g} {word}", f"{{:g}} {word}|{size}"))
    if value == int(value):
        forms.append((f"{int(value):,}", "{:,}|1"))
        forms.append((str(int(value)), "{}|1"))
    else:
        forms.append((f"{value:g}", "{:g}|1"))
    return forms


def _find_number(target: str, old: Placeholder, new: Placeholder,
                 taken: list[tuple[int, int]]) -> tuple[int, int, str] | None:
    if old.value is None or new.value is None:
        return None
    for form, style in _number_forms(old.value):
        pattern = rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)"
        for m in re.finditer(pattern, target):
            if _free(m.start(), m.end(), taken):
                fmt, _, size = style.partition("|")
                scaled = new.value / float(size)
                if fmt in ("{:,}", "{}"):
                    if scaled != int(scaled):
                        continue
                    scaled = int(scaled)
                return m.start(), m.end(), fmt.format(scaled)
    return None
