"""Bead precision, recall and F1, strict and lax, as vecalign's `score.py` defines them.

Strict: a test bead counts when it equals a gold bead. Lax: when it shares a source sentence
with a gold bead and a target sentence with that bead's targets. Precision is over every
test bead (a 1-0 or 0-1 bead included); recall swaps the roles with the beads that have both
sides, so a missed deletion costs precision, not recall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BeadPair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of a test alignment against a gold one."""

    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def __str__(self) -> str:
        return (f"strict P {self.precision_strict:.3f} R {self.recall_strict:.3f} "
                f"F1 {self.f1_strict:.3f}; lax P {self.precision_lax:.3f} "
                f"R {self.recall_lax:.3f} F1 {self.f1_lax:.3f}")


def _counts(gold: Iterable[BeadPair], test: Iterable[BeadPair]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lax hits, lax misses) of the test beads."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    targets_of: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            targets_of[s].update(tgt)
    strict = strict_miss = lax = lax_miss = 0
    for src, tgt in {(tuple(s), tuple(t)) for s, t in test if s or t}:
        if (src, tgt) in gold_set:
            strict += 1
            lax += 1
            continue
        strict_miss += 1
        near: set[int] = set()
        for s in src:
            near |= targets_of[s]
        if near.intersection(tgt):
            lax += 1
        else:
            lax_miss += 1
    return strict, strict_miss, lax, lax_miss


def _ratio(hit: int, miss: int) -> float:
    return hit / (hit + miss) if hit + miss else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Sequence[Sequence[BeadPair]], test: Sequence[Sequence[BeadPair]]) -> Score:
    """Scores over several documents (gold and test alignments, one of each per document)."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for g, t in zip(gold, test, strict=True):
        for k, v in enumerate(_counts(g, t)):
            p[k] += v
        both_t = [(s, x) for s, x in t if s and x]
        both_g = [(s, x) for s, x in g if s and x]
        for k, v in enumerate(_counts(both_t, both_g)):
            r[k] += v
    ps, pl = _ratio(p[0], p[1]), _ratio(p[2], p[3])
    rs, rl = _ratio(r[0], r[1]), _ratio(r[2], r[3])
    return Score(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))
