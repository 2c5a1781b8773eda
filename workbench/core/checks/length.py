"""The length check: a target far shorter or longer than its source, against a model of
each document's own translations (not a constant ratio: a name-heavy table and a speech
expand differently).

A source counts its Japanese characters and its other characters apart: a Latin name or a
number is carried into English about as long as it is, a Japanese character becomes some
number of English characters, estimated per document as the median over its translated
segments. How far a target is from its expected length is measured in log space against the
document's spread (the median absolute deviation), so a document whose translations vary a
lot is judged more loosely than a uniform one.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from workbench.core.chars import JAPANESE
from workbench.core.checks.base import make_issue
from workbench.core.records import Issue, SegmentRecord

MIN_SAMPLES = 8
"""Translated segments a document needs for a model of its own (else all documents pooled)."""
MIN_JAPANESE = 10
"""Japanese letters a source needs to say anything about its length (headings are noise)."""
TOLERANCE = 3.5
"""How many spreads (robust standard deviations) from the norm a target may be."""
MIN_SPREAD = 0.12
"""The least spread assumed (log scale): no document is so uniform that 1.5× is news."""
POOLED = ""
"""The key of the model of all documents together."""

_JA = re.compile(f"[{JAPANESE}]")
_MAD_TO_SIGMA = 1.4826
_MAX_FITTED = 2000


@dataclass(frozen=True)
class LengthModel:
    """English characters per Japanese letter in one document, and how far a target may be
    from what that predicts (factors worked out once from the document's spread)."""

    per_letter: float
    center: float      # median log(actual / expected) over the document
    spread: float      # its robust standard deviation
    samples: int
    low: float         # the shortest unremarkable target, as a factor of the expected length
    high: float        # the longest

    @classmethod
    def of(cls, per_letter: float, center: float, spread: float, samples: int) -> LengthModel:
        room = TOLERANCE * spread
        return cls(per_letter, center, spread, samples, math.exp(center - room),
                   math.exp(center + room))

    def bounds(self, japanese: int, carried: int) -> tuple[float, float]:
        """The shortest and longest target this model finds unremarkable."""
        expected = self.per_letter * japanese + carried
        return expected * self.low, expected * self.high


def source_counts(source: str) -> tuple[int, int]:
    """(Japanese characters, characters carried as they are) of a source, from its length in
    UTF-8 alone: a Japanese character (kana, kanji, Japanese punctuation) takes three bytes,
    ASCII (a Latin name, digits, spaces) one, and a Cyrillic or accented letter two (counted
    half each way)."""
    japanese = (len(source.encode("utf-8", "surrogatepass")) - len(source)) // 2
    return japanese, len(source) - japanese


def build_models(records: Sequence[SegmentRecord], targets: Sequence[str | None]
                 ) -> dict[str, LengthModel]:
    """A model per document with enough translated segments, and one of all of them pooled
    (POOLED) for the documents with too few."""
    # A model needs no more than a few thousand samples: a long list is sampled evenly (a
    # document of it keeps its share).
    step = len(records) // (_MAX_FITTED * 4) + 1
    by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for record, target in zip(records[::step], targets[::step], strict=True):
        if not target or not (target.isascii() or _JA.search(target) is None):
            continue
        japanese, carried = source_counts(record.segment.source)
        if japanese >= MIN_JAPANESE:
            by_doc[record.segment.doc].append((japanese, carried, len(target)))
    models = {doc: model for doc, samples in by_doc.items()
              if (model := _fit(samples)) is not None}
    pooled = _fit([s for samples in by_doc.values() for s in samples])
    if pooled is not None:
        models[POOLED] = pooled
    return models


def _fit(samples: Sequence[tuple[int, int, int]]) -> LengthModel | None:
    if len(samples) < MIN_SAMPLES:
        return None
    per_letter = median(max(length - carried, 1) / japanese
                        for japanese, carried, length in samples)
    logs = [math.log(length / (per_letter * japanese + carried))
            for japanese, carried, length in samples]
    center = median(logs)
    spread = _MAD_TO_SIGMA * median(abs(x - center) for x in logs)
    return LengthModel.of(per_letter, center, max(spread, MIN_SPREAD), len(samples))


def length_issues(records: Sequence[SegmentRecord], targets: Sequence[str | None],
                  models: Mapping[str, LengthModel], skip: frozenset[int] | set[int] = frozenset()
                  ) -> list[Issue]:
    """The targets outside the bounds of their document's model (or the pooled one), but
    those at the indices `skip` (no English to measure). One pass over the segments with the
    arithmetic inline: it runs on every segment of a check."""
    if not models:
        return []
    pooled = models.get(POOLED)
    out = []
    for i, (record, target) in enumerate(zip(records, targets, strict=True)):
        if not target:
            continue
        segment = record.segment
        model = models.get(segment.doc, pooled)
        if model is None:
            continue
        source = segment.source
        japanese = (len(source.encode("utf-8", "surrogatepass")) - len(source)) // 2
        if japanese < MIN_JAPANESE:
            continue
        expected = model.per_letter * japanese + len(source) - japanese
        length = len(target)
        if expected * model.low <= length <= expected * model.high or i in skip:
            continue
        if not target.isascii() and _JA.search(target) is not None:
            continue
        low, high = model.bounds(*source_counts(source))
        which = "short" if length < low else "long"
        scope = "this document's" if segment.doc in models else "the project's"
        out.append(make_issue("length", "warning", record,
                              f"the target is {length} characters, too {which}: {scope} "
                              f"translations of a source this long run to {low:.0f}–{high:.0f}",
                              target))
    return out
