"""The passes of the dynamic programme over the band of the grid (`workbench.core.align.dp`
says what a bead costs and why).

Row i of the grid holds the cells (i, j): after i source and j target sentences. A row is a
handful of numpy operations over its window whatever its width: each bead type's cost
vector, the best predecessor for every cell at once, and the 0-1 beads along the row as a
running minimum (Viterbi) or a running log-sum-exp (soft) over cumulated costs. What a bead
shares with its sentences (`similarity`) does not depend on the length model, so it is
worked out once and kept for the second pass; the last forward pass keeps its cost vectors
for the backward pass, which then costs no cost computation at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.align.anchors import Evidence

BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2), (1, 3),
                                      (3, 1))
"""Bead types (source sentences, target sentences)."""

HARD_BREAK = 4.0
"""What a bead costs more for holding a heading, caption, footnote or label with another
sentence: a translator does not run a heading into a sentence."""
PARAGRAPH_BREAK = 1.5
"""What a bead costs more for holding sentences of two paragraphs."""

LEFT_OUT = 0.5
"""What a 1-0 or 0-1 bead costs more, in typical similarities times `weight`, when its
sentence holds anchors the other side holds nearby (it is likely translated after all);
not for a source standing alone between hard breaks (a heading, a caption: translations
leave those out)."""

TAIL_SHARE = 0.1
TAIL_WIDTH = 3.0
"""The length model's tail: TAIL_SHARE of the beads have TAIL_WIDTH times the variance."""
_NARROW = math.log(1 - TAIL_SHARE)
_WIDE = math.log(TAIL_SHARE)

INSERT = 100
"""The bead type a Viterbi pass keeps for a 0-1 bead (the others are indices of types)."""

Path = list[tuple[int, int, int, int]]
"""Beads as (i0, j0, i1, j1): from cell (i0, j0) to cell (i1, j1), in order."""

_SQRT2 = math.sqrt(2.0)


def log_erfc(x: np.ndarray) -> np.ndarray:
    """log(erfc(x)) for x >= 0, without underflow (Numerical Recipes' erfcc, error < 1.2e-7,
    taken in logs)."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return np.log(t) - x * x + poly


@dataclass
class Pass:
    """What a forward pass kept, row by row: least costs, the bead types that reach each
    cell at that cost, free energies, and the cost vectors (for the backward pass)."""

    least: list[np.ndarray]
    back: list[np.ndarray]
    free: list[np.ndarray]
    costs: list[np.ndarray]


class Grid:
    """One alignment problem: lengths, evidence, window of each row, costs and passes."""

    def __init__(self, src: np.ndarray, tgt: np.ndarray, evidence: Evidence | None,
                 lo: Sequence[int] | np.ndarray, hi: Sequence[int] | np.ndarray, *,
                 similarity_weight: float,
                 source_breaks: Sequence[float] | None = None,
                 target_breaks: Sequence[float] | None = None) -> None:
        self.n, self.m = len(src), len(tgt)
        self.s_cum = np.concatenate(([0.0], np.cumsum(src)))
        self.t_cum = np.concatenate(([0.0], np.cumsum(tgt)))
        self.lo = [int(x) for x in lo]
        self.hi = [int(x) for x in hi]
        self.weight = similarity_weight
        # Break costs, cumulated: a bead over sentences [k, l) crosses breaks k .. l - 2.
        breaks = np.zeros(self.n) if source_breaks is None else \
            np.asarray(source_breaks, dtype=float)
        self.sb_cum = np.concatenate(([0.0], np.cumsum(breaks)))
        before = np.concatenate(([HARD_BREAK], breaks[:-1]))
        self.alone = (before >= HARD_BREAK) & (breaks >= HARD_BREAK)
        self.tb_cum = np.concatenate(([0.0], np.cumsum(
            np.zeros(self.m) if target_breaks is None else np.asarray(target_breaks, float))))
        self.evidence = evidence if evidence is not None and not evidence.empty else None
        self.typical = 0.0
        if self.evidence is not None:
            ev = self.evidence
            self.by_source = [_sparse(row) for row in ev.by_source]
            self.by_target = [_sparse(row) for row in ev.by_target]
            self.w_cum = np.concatenate(([0.0], np.cumsum(ev.source_mass)))
            # Target masses with three zeros before the first (a window may start at -3).
            self.v_pad = np.concatenate(([0.0] * 3, np.asarray(ev.target_mass, dtype=float)))
            self.typical = ev.typical
        self._similar: list[np.ndarray | None] = [None] * (self.n + 1)
        self.ratio = self.variance = 1.0
        self.priors: dict[tuple[int, int], float] = {}
        self.types: list[tuple[int, int]] = []

    def set_model(self, ratio: float, variance: float,
                  priors: dict[tuple[int, int], float]) -> None:
        """The length model and the bead priors the next pass uses."""
        self.ratio, self.variance, self.priors = ratio, variance, priors
        prior = {b: -math.log(p) for b, p in priors.items() if p > 0}
        self.types = [b for b in BEADS if b in prior and b[0] > 0]
        self.A = np.array([a for a, _ in self.types])
        self.B = np.array([b for _, b in self.types])
        self.prior = np.array([prior[t] for t in self.types])
        self.by_a = {a: np.flatnonzero(np.equal(self.A, a)) for a in (1, 2, 3)}
        # insert[c]: the cost of a 0-1 bead into column c (holding target c - 1); more for
        # a target whose anchors the source holds nearby.
        self.insert = np.full(self.m + 1, prior.get((0, 1), math.inf))
        if self.evidence is not None:
            held = np.asarray(self.evidence.target_mass) > 0
            self.insert[1:] += held * self.weight * LEFT_OUT * self.typical
        self.insert_cum = np.concatenate(([0.0], np.cumsum(self.insert[1:])))

    # ------------------------------------------------------------------ costs
    def costs(self, i: int) -> np.ndarray:
        """The cost of each bead type (a row per type of `types`) ending in each cell of
        row i: inf where the bead would start before the grid."""
        lo, hi = self.lo[i], self.hi[i]
        j = np.arange(lo, hi + 1)
        A, B = self.A, self.B
        first = j[None, :] - B[:, None]               # the bead's first target column
        start = np.maximum(first, 0)
        back = np.minimum(A, i)
        ls = (self.s_cum[i] - self.s_cum[i - back])[:, None]
        lt = self.t_cum[j][None, :] - self.t_cum[start]
        mean = np.maximum((ls + lt / self.ratio) / 2, 1.0)
        delta = np.abs(ls * self.ratio - lt) / np.sqrt(self.variance * mean)
        # Gale and Church's two-sided tail, with a share of a wider one: a translation now and
        # then says much more or much less, and the other evidence should then decide.
        cost = -np.logaddexp(_NARROW + log_erfc(delta / _SQRT2),
                             _WIDE + log_erfc(delta / (TAIL_WIDTH * _SQRT2)))
        cost[B == 0] = 0.0
        fixed = self.prior + np.where(A > 1, self.sb_cum[i - 1] - self.sb_cum[i - back], 0.0)
        cost += fixed[:, None]
        wide = B > 1
        if wide.any():
            cost[wide] += self.tb_cum[np.maximum(j - 1, 0)][None, :] - \
                self.tb_cum[start[wide]]
        similar = self._similarity(i)
        if similar is not None:
            cost += similar
        cost[first < 0] = math.inf
        cost[np.greater(A, i)] = math.inf
        return cost

    def _similarity(self, i: int) -> np.ndarray | None:
        """The similarity cost of each bead type ending in row i: `weight` times the bead's
        size times how far its similarity (the weighted Dice coefficient of what its
        sentences hold) falls short of the typical one; for a 1-0 bead, what leaving out a
        sentence whose anchors the target holds nearby costs. Kept: it is the same every
        pass."""
        if self.evidence is None:
            return None
        kept = self._similar[i]
        if kept is not None:
            return kept
        lo, hi = self.lo[i], self.hi[i]
        base = lo - 3
        width = hi - lo + 3                 # columns base .. hi - 1: targets of the beads
        ends = np.arange(lo, hi + 1) - base
        rows = list(range(max(i - 3, 0), i))
        k = len(rows)
        held = np.zeros((2 * k, width))     # what each source shares with each column, as
        for r, s in enumerate(rows):        # the source weighs it and as the target does
            _fill(held[r], self.by_source[s], base)
            _fill(held[k + r], self.by_target[s], base)
        source_cum = np.zeros((k, width + 1))
        np.cumsum(held[:k], axis=1, out=source_cum[:, 1:])
        mass = self.v_pad[base + 3:hi + 3]
        if len(mass) < width:
            mass = np.concatenate((np.zeros(width - len(mass)), mass))
        mass_cum = np.concatenate(([0.0], np.cumsum(mass)))
        w_mass = np.array([self.w_cum[s + 1] - self.w_cum[s] for s in rows])
        shared = np.cumsum(held[k:][::-1], axis=0)      # row a - 1: the last a sources
        capped = np.zeros((k, width + 1))
        np.cumsum(np.minimum(shared, mass), axis=1, out=capped[:, 1:])
        kept = np.zeros((len(self.types), len(ends)))
        for t, (a, b) in enumerate(self.types):
            if a > k:
                continue
            if not b:
                kept[t] = self.weight * LEFT_OUT * self.typical \
                    if w_mass[-1] > 0 and not self.alone[i - 1] else 0.0
                continue
            num = capped[a - 1, ends] - capped[a - 1, ends - b]
            den = mass_cum[ends] - mass_cum[ends - b] + w_mass[k - a:].sum()
            cum = source_cum[k - a:]
            num += np.minimum(cum[:, ends] - cum[:, ends - b], w_mass[k - a:, None]).sum(axis=0)
            with np.errstate(invalid="ignore", divide="ignore"):
                similarity = np.where(den > 0, num / den, self.typical)
            kept[t] = self.weight * (a + b) / 2 * (self.typical - similarity)
        self._similar[i] = kept
        return kept

    # ------------------------------------------------------------------ passes
    def _arrivals(self, i: int, cost: np.ndarray, rows: list[np.ndarray]) -> np.ndarray:
        """Per bead type (a row each), the value of reaching each cell of row i by it: the
        value of its start cell in `rows` plus its cost (inf where it cannot)."""
        lo, hi = self.lo[i], self.hi[i]
        j = np.arange(lo, hi + 1)
        out = np.full(cost.shape, math.inf)
        for a, picked in self.by_a.items():
            if a > i or not len(picked):
                continue
            prev = rows[i - a]
            plo = self.lo[i - a]
            # The start row with inf either side, so that every start column has a value.
            padded = np.concatenate((_INF3, prev, np.full(max(0, hi - plo - len(prev) + 1),
                                                          math.inf)))
            at = j[None, :] - self.B[picked][:, None] - plo + 3
            out[picked] = padded[at] + cost[picked]
        return out

    def forward(self, *, soft: bool, keep: bool, rows: int | None = None) -> Pass:
        """Row by row from the start: the least cost of reaching each cell and the bead
        type that reaches it there (Viterbi); with `soft`, the free energy too (-log of the
        summed exp(-cost) over every path to the cell); with `keep`, the cost rows. With
        `rows`, only that many rows after the first."""
        least: list[np.ndarray] = []
        back: list[np.ndarray] = []
        free: list[np.ndarray] = []
        kept: list[np.ndarray] = []
        for i in range(self.n + 1 if rows is None else min(rows, self.n) + 1):
            lo, hi = self.lo[i], self.hi[i]
            width = hi - lo + 1
            if i == 0:
                best = np.full(width, math.inf)
                sbest = best.copy()
                came = np.full(width, -1, dtype=np.int8)
                if lo == 0:
                    best[0] = sbest[0] = 0.0
                cost = np.zeros((0, width))
            else:
                cost = self.costs(i)
                reach = self._arrivals(i, cost, least)
                came = reach.argmin(axis=0).astype(np.int8)
                best = reach[came, np.arange(width)]
                came[~np.isfinite(best)] = -1
                if soft:
                    sbest = -np.logaddexp.reduce(-self._arrivals(i, cost, free), axis=0)
            if width > 1 and math.isfinite(self.insert_cum[-1]):
                # 0-1 beads along the row: ramp[k] is the cost of k of them from its start.
                ramp = self.insert_cum[lo:hi + 1] - self.insert_cum[lo]
                along = ramp + np.minimum.accumulate(best - ramp)
                came[along < best - 1e-9 * (1.0 + np.abs(along))] = INSERT
                best = np.minimum(best, along)
                if soft:
                    sbest = ramp - np.logaddexp.accumulate(ramp - sbest)
            least.append(best)
            back.append(came)
            if soft:
                free.append(sbest)
            if keep:
                kept.append(cost)
        return Pass(least, back, free, kept)

    def backward(self, done: Pass) -> list[np.ndarray]:
        """Row by row from the end, on the costs a forward pass kept: the free energy of
        going from each cell to the end."""
        rows: list[np.ndarray] = [np.zeros(0)] * (self.n + 1)
        for i in range(self.n, -1, -1):
            lo, hi = self.lo[i], self.hi[i]
            width = hi - lo + 1
            j = np.arange(lo, hi + 1)
            parts = []
            if i == self.n:
                end = np.full(width, math.inf)
                if hi == self.m:
                    end[-1] = 0.0
                parts.append(end[None, :])
            for a, picked in self.by_a.items():
                if i + a > self.n or not len(picked):
                    continue
                # From cell (i, j) to (i + a, j + b): the rest of the way, and the bead.
                ahead = rows[i + a][None, :] + done.costs[i + a][picked]
                nlo = self.lo[i + a]
                at = j[None, :] + self.B[picked][:, None] - nlo
                extra = max(0, int(at.max()) - ahead.shape[1] + 1)
                padded = np.concatenate((np.full((len(picked), 3), math.inf), ahead,
                                         np.full((len(picked), extra), math.inf)), axis=1)
                parts.append(np.take_along_axis(padded, at + 3, axis=1))
            best = -np.logaddexp.reduce(-np.concatenate(parts), axis=0)
            if width > 1 and math.isfinite(self.insert_cum[-1]):
                # 0-1 beads along the row, towards its end.
                ramp = self.insert_cum[lo:hi + 1] - self.insert_cum[lo]
                best = -np.logaddexp.accumulate((-(best + ramp))[::-1])[::-1] - ramp
            rows[i] = best
        return rows

    def path(self, done: Pass) -> Path:
        """The cheapest path, from the bead types the Viterbi pass kept (to the end, or to
        the cheapest cell of the last row a shorter pass reached)."""
        out = []
        i = len(done.least) - 1
        j = self.m if i == self.n else self.lo[i] + int(np.argmin(done.least[i]))
        while i or j:
            came = int(done.back[i][j - self.lo[i]])
            a, b = (0, 1) if came == INSERT or came < 0 else self.types[came]
            out.append((i - a, j - b, i, j))
            i, j = i - a, j - b
        return out[::-1]

    def confidence(self, path: Path, done: Pass) -> list[float]:
        """The probability of each bead of `path` over every path in the band: the paths
        through it (forward to its start, its cost, backward from its end) over all."""
        after = self.backward(done)
        total = done.free[self.n][self.m - self.lo[self.n]]
        out = []
        for i0, j0, i1, j1 in path:
            # On the cheapest path a bead costs what it adds to the least cost.
            cost = done.least[i1][j1 - self.lo[i1]] - done.least[i0][j0 - self.lo[i0]]
            before = done.free[i0][j0 - self.lo[i0]]
            out.append(float(min(1.0, math.exp(total - before - cost
                                               - after[i1][j1 - self.lo[i1]]))))
        return out


_INF3 = np.full(3, math.inf)


def _fill(out: np.ndarray, row: tuple[np.ndarray, np.ndarray], base: int) -> None:
    """A sparse row's weights into `out`, whose first cell is column `base`."""
    cols, weights = row
    if len(cols):
        a, b = np.searchsorted(cols, [base, base + len(out)])
        out[cols[a:b] - base] = weights[a:b]


def _sparse(row: Sequence[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    return (np.array([j for j, _ in row], dtype=np.int64),
            np.array([w for _, w in row], dtype=np.float64))
