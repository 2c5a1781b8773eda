"""The length check: a target far shorter or longer than its source, against a model of
each document's own translations (not a constant ratio: a name-heavy table and a speech
expand differently).

A source counts its Japanese letters and its other letters and digits apart: a Latin name or
a number is carried into English about as long as it is, a Japanese letter becomes some
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
# Counted in UTF-8 by bytes.translate, in C: a lead byte of a 3-byte character starts a
# Japanese one (kana, kanji and Japanese punctuation alike), of a 2-byte one a Cyrillic or an
# accented Latin letter, carried into English as it is, like an ASCII letter or digit.
_LEAD3 = bytes(range(0xE0, 0xF0))
_NOT_LEAD3 = bytes(b for b in range(256) if b not in _LEAD3)
_CARRIED_BYTES = bytes(range(0xC0, 0xE0)) + b"0123456789" + \
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_NOT_CARRIED = bytes(b for b in range(256) if b not in _CARRIED_BYTES)
_MAD_TO_SIGMA = 1.4826


@dataclass(frozen=True)
class LengthModel:
    """English characters per Japanese letter in one document, and how much that varies."""

    per_letter: float
    center: float      # median log(actual / expected) over the document
    spread: float      # its robust standard deviation
    samples: int

    def expected(self, japanese: int, carried: int) -> float:
        return self.per_letter * japanese + carried

    def bounds(self, japanese: int, carried: int) -> tuple[float, float]:
        """The shortest and longest target this model finds unremarkable."""
        base = self.expected(japanese, carried) * math.exp(self.center)
        room = TOLERANCE * self.spread
        return base * math.exp(-room), base * math.exp(room)


def source_counts(source: str) -> tuple[int, int]:
    """(Japanese characters, letters and digits carried as they are) of a source."""
    data = source.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _NOT_LEAD3)), len(data.translate(None, _NOT_CARRIED))


def build_models(records: Sequence[SegmentRecord], targets: Sequence[str | None],
                 counts: Sequence[tuple[int, int]] | None = None) -> dict[str, LengthModel]:
    """A model per document with enough translated segments, and one of all of them pooled
    (POOLED) for the documents with too few. `counts` are the records' `source_counts`."""
    if counts is None:
        counts = [source_counts(r.source) for r in records]
    by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for doc, japanese, carried, length in [
            (r.doc, c[0], c[1], len(t)) for r, t, c in zip(records, targets, counts, strict=True)
            if c[0] >= MIN_JAPANESE and t and (t.isascii() or _JA.search(t) is None)]:
        by_doc[doc].append((japanese, carried, length))
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
    return LengthModel(per_letter, center, max(spread, MIN_SPREAD), len(samples))


def length_issue(record: SegmentRecord, target: str, models: Mapping[str, LengthModel],
                 counts: tuple[int, int] | None = None) -> Issue | None:
    """A target outside the bounds of its document's model (or the pooled one)."""
    model = models.get(record.doc) or models.get(POOLED)
    if model is None:
        return None
    japanese, carried = counts or source_counts(record.source)
    if japanese < MIN_JAPANESE or not target.isascii() and _JA.search(target) is not None:
        return None
    low, high = model.bounds(japanese, carried)
    length = len(target)
    if low <= length <= high:
        return None
    which = "short" if length < low else "long"
    scope = "this document's" if record.doc in models else "the project's"
    return make_issue("length", "warning", record,
                      f"the target is {length} characters, too {which}: {scope} translations "
                      f"of a source this long run to {low:.0f}–{high:.0f}", target)
