"""The dynamic programme over beads: which source sentences go with which target sentences.

A bead joins a sources and b targets, (a, b) one of 1-1, 1-2, 2-1, 1-0, 0-1, 2-2, 1-3, 3-1.
Its cost, in nats, is what makes it unlikely:

- its prior (how often translators make such a bead);
- its lengths, as Gale and Church model them: the target length is the source length times
  a ratio, with a variance growing with the length. The ratio and the variance are the
  document pair's own: first guessed from the totals, then measured on the 1-1 beads of a
  first alignment, which is then made again with them;
- its similarity: the share of the anchor weight its sentences hold that the other side of
  the bead holds too (a weighted Dice coefficient over `workbench.core.align.anchors`'
  evidence), measured against the typical similarity of a sentence and its best match,
  times `similarity_weight` and the bead's size (a bead of four sentences is two beads'
  worth, so joining sentences is neither cheaper nor dearer by itself).

The programme runs row by row over a band of the grid (row i: after i source sentences),
each row a few numpy operations whatever its width. The band follows a chain of strong
anchors (keys that occur once on both sides nearby) and, between them, the lengths; a short
document gets the whole grid. A bead's confidence is the probability that it is right given
every alignment the band holds (the forward-backward sum over paths, in log space): near 1
when no other way of cutting comes close, low where two are alike.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.core.align.anchors import Evidence

BEADS: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1), (2, 2), (1, 3),
                                      (3, 1))
"""Bead types (source sentences, target sentences)."""

PRIORS: dict[tuple[int, int], float] = {(1, 1): 0.80, (1, 2): 0.07, (2, 1): 0.07,
                                        (1, 0): 0.02, (0, 1): 0.02, (2, 2): 0.01,
                                        (1, 3): 0.005, (3, 1): 0.005}
"""How often each bead type is expected, before looking at the sentences."""

MEASURED: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
"""The bead types whose priors a first alignment measures; the rarer ones keep theirs (a
few of them in a first alignment would make more of them in the next)."""

VARIANCE_PER_RATIO2 = 6.8
"""Gale and Church's variance of the length difference per source character (6.8, for a
ratio of 1); scaled by the ratio squared as the first guess for a document pair."""

FULL_GRID_CELLS = 400_000
"""Up to this many cells (source × target sentences) the whole grid is searched."""


@dataclass(frozen=True)
class Band:
    """The columns searched in each row of the grid (`lo`, `hi`, inclusive), and where the
    path is expected to pass (`center`)."""

    lo: np.ndarray
    hi: np.ndarray
    center: np.ndarray

    @property
    def cells(self) -> int:
        return int((self.hi - self.lo + 1).sum())


@dataclass(frozen=True)
class Params:
    """The aligner's settings. `ratio` (target characters per source character) and
    `variance` are measured on the document pair when None."""

    ratio: float | None = None
    variance: float | None = None
    similarity_weight: float = 4.0
    priors: dict[tuple[int, int], float] = field(default_factory=lambda: dict(PRIORS))
    band_min: int = 12
    band_max: int = 300
    confidence: bool = True
    prior_strength: float = 50.0
    """How many beads the priors count as when the bead types of a first alignment are
    mixed in (0: the priors stay as they are)."""


@dataclass(frozen=True)
class Bead:
    """Source sentences (0-based, in order) aligned with target sentences, and how sure."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    confidence: float


@dataclass(frozen=True)
class Alignment:
    """The beads in document order, and the length model they were made with."""

    beads: list[Bead]
    ratio: float
    variance: float
    cells: int
    """Grid cells searched in one pass (how wide the band was)."""


def align(source_lengths: Sequence[float], target_lengths: Sequence[float],
          evidence: Evidence | None = None, band: Band | None = None,
          params: Params | None = None, *, source_breaks: Sequence[float] | None = None,
          target_breaks: Sequence[float] | None = None) -> Alignment:
    """Align sentences given their lengths (characters) and what they share (`evidence`).

    `band` bounds the search (None: the whole grid). `source_breaks[k]` is what a bead
    holding sentences k and k + 1 costs more (they are in different paragraphs; one is a
    heading); the same for `target_breaks`.
    """
    params = params or Params()
    n, m = len(source_lengths), len(target_lengths)
    if n == 0 or m == 0:
        beads = [Bead((i,), (), 1.0) for i in range(n)] + [Bead((), (j,), 1.0)
                                                            for j in range(m)]
        return Alignment(beads, params.ratio or 0.0, params.variance or 0.0, 0)
    src = np.asarray(source_lengths, dtype=np.float64)
    tgt = np.asarray(target_lengths, dtype=np.float64)
    band = band or make_band(source_lengths, target_lengths, [], params, full=True)
    ratio = params.ratio or float(tgt.sum() / max(src.sum(), 1.0))
    variance = params.variance or VARIANCE_PER_RATIO2 * ratio * ratio
    grid = _Grid(src, tgt, evidence, band, params, source_breaks, target_breaks)
    path = grid.viterbi(ratio, variance)
    measured = _measure(path, src, tgt)
    if measured is not None:
        new_ratio = params.ratio or measured[0]
        new_variance = params.variance or measured[1]
        priors = _mixed_priors(path, params)
        if abs(new_ratio / ratio - 1) > 0.02 or abs(new_variance / variance - 1) > 0.25 or \
                priors != params.priors:
            ratio, variance = new_ratio, new_variance
            grid.set_priors(priors)
            path = grid.viterbi(ratio, variance)
    confidence = grid.confidence(path, ratio, variance) if params.confidence else \
        [1.0] * len(path)
    beads = [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), c)
             for (i0, j0, i1, j1), c in zip(path, confidence, strict=True)]
    return Alignment(beads, ratio, variance, band.cells)


def make_band(source_lengths: Sequence[float], target_lengths: Sequence[float],
              chain: Sequence[tuple[int, int]], params: Params | None = None, *,
              full: bool = False) -> Band:
    """The band: around the line through the chain's anchors (source sentence i with
    target sentence j), interpolated between them by length; as wide as `band_min` plus a
    tenth of the rows between two anchors, up to `band_max`. A grid of up to
    FULL_GRID_CELLS cells (or any, with `full`) is searched whole."""
    params = params or Params()
    n, m = len(source_lengths), len(target_lengths)
    s_cum = np.concatenate(([0.0], np.cumsum(np.asarray(source_lengths, dtype=np.float64))))
    t_cum = np.concatenate(([0.0], np.cumsum(np.asarray(target_lengths, dtype=np.float64))))
    points = [(0, 0), *((i + 1, j + 1) for i, j in chain), (n, m)]
    center = np.zeros(n + 1)
    half = np.zeros(n + 1)
    for (i0, j0), (i1, j1) in zip(points, points[1:], strict=False):
        if i1 < i0 or j1 < j0:
            continue
        rows = np.arange(i0, i1 + 1)
        span = s_cum[i1] - s_cum[i0]
        frac = (s_cum[rows] - s_cum[i0]) / span if span > 0 else np.zeros(len(rows))
        wanted = t_cum[j0] + frac * (t_cum[j1] - t_cum[j0])
        center[rows] = np.clip(np.searchsorted(t_cum, wanted), j0, j1)
        half[rows] = min(params.band_max, params.band_min + 0.1 * max(i1 - i0, j1 - j0))
    center = np.maximum.accumulate(center)
    if full or (n + 1) * (m + 1) <= FULL_GRID_CELLS:
        return Band(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64),
                    center)
    lo = np.clip(center - half, 0, m).astype(np.int64)
    hi = np.clip(center + half, 0, m).astype(np.int64)
    lo = np.maximum.accumulate(lo)
    hi = np.maximum.accumulate(hi)
    lo[0], hi[-1] = 0, m
    # Each row must reach the next one: a row starts at most where the one before ends.
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return Band(lo, hi, center)


def chain(candidates: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The heaviest set of (source, target, weight) candidates that is in order on both
    sides (a weighted longest increasing subsequence, with a Fenwick tree of maxima)."""
    if not candidates:
        return []
    ordered = sorted(candidates, key=lambda c: (c[0], -c[1]))
    columns = sorted({c[1] for c in ordered})
    size = len(columns)
    tree_best = [0.0] * (size + 1)
    tree_at = [-1] * (size + 1)
    back = [-1] * len(ordered)
    total = [0.0] * len(ordered)
    for k, (_, j, w) in enumerate(ordered):
        pos = bisect_left(columns, j)       # candidates with a smaller target come before
        best, at = 0.0, -1
        x = pos
        while x > 0:
            if tree_best[x] > best:
                best, at = tree_best[x], tree_at[x]
            x -= x & -x
        total[k] = best + w
        back[k] = at
        x = pos + 1
        while x <= size:
            if total[k] > tree_best[x]:
                tree_best[x], tree_at[x] = total[k], k
            x += x & -x
    k = max(range(len(ordered)), key=total.__getitem__)
    out = []
    while k != -1:
        out.append((ordered[k][0], ordered[k][1]))
        k = back[k]
    return out[::-1]


def _mixed_priors(path: list[tuple[int, int, int, int]], params: Params
                  ) -> dict[tuple[int, int], float]:
    """The priors with the bead types of `path` mixed in, `prior_strength` beads' worth of
    the priors to the path's count: a translation that leaves much out, or joins many
    sentences, is aligned as what it is."""
    if params.prior_strength <= 0:
        return params.priors
    counts = dict.fromkeys(MEASURED, 0)
    for i0, j0, i1, j1 in path:
        kind = (i1 - i0, j1 - j0)
        if kind in counts:
            counts[kind] += 1
    share = sum(params.priors.get(k, 0.0) for k in MEASURED)
    total = sum(counts.values()) + params.prior_strength
    mixed = dict(params.priors)
    for k in MEASURED:
        if k in params.priors:
            mixed[k] = share * (counts[k] + params.prior_strength * params.priors[k] / share) \
                / total
    return mixed


def _measure(path: list[tuple[int, int, int, int]], src: np.ndarray, tgt: np.ndarray
             ) -> tuple[float, float] | None:
    """The ratio and variance of the 1-1 beads of `path` (robust: the middle 80% of log
    ratios; the variance from the median squared residual)."""
    ones = [(i0, j0) for i0, j0, i1, j1 in path if i1 - i0 == 1 and j1 - j0 == 1]
    if len(ones) < 5:
        return None
    ls = np.array([src[i] for i, _ in ones])
    lt = np.array([tgt[j] for _, j in ones])
    keep = (ls > 0) & (lt > 0)
    ls, lt = ls[keep], lt[keep]
    if len(ls) < 5:
        return None
    logs = np.log(lt / ls)
    low, high = np.quantile(logs, [0.1, 0.9])
    mid = (logs >= low) & (logs <= high)
    new_ratio = float(lt[mid].sum() / ls[mid].sum())
    mean = (ls + lt / new_ratio) / 2
    residual = (ls * new_ratio - lt) ** 2 / mean
    # The median of a squared standard normal is 0.455.
    new_variance = float(np.median(residual) / 0.455)
    return new_ratio, max(new_variance, 0.5 * new_ratio)


def _log_erfc(x: np.ndarray) -> np.ndarray:
    """log(erfc(x)) for x >= 0, without underflow (Numerical Recipes' erfcc, error < 1.2e-7,
    taken in logs)."""
    t = 1.0 / (1.0 + 0.5 * x)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return np.log(t) - x * x + poly


_SQRT2 = math.sqrt(2.0)


class _Grid:
    """One alignment problem: lengths, evidence, band; the passes over it."""

    def __init__(self, src: np.ndarray, tgt: np.ndarray, evidence: Evidence | None,
                 band: Band, params: Params, source_breaks: Sequence[float] | None = None,
                 target_breaks: Sequence[float] | None = None) -> None:
        self.n, self.m = len(src), len(tgt)
        self.src, self.tgt = src, tgt
        self.s_cum = np.concatenate(([0.0], np.cumsum(src)))
        self.t_cum = np.concatenate(([0.0], np.cumsum(tgt)))
        self.band = band
        self.lo = [int(x) for x in band.lo]
        self.hi = [int(x) for x in band.hi]
        self.params = params
        # Break costs, cumulated: a bead over sentences [k, l) crosses breaks k .. l - 2.
        self.source_breaks = np.zeros(self.n) if source_breaks is None else \
            np.asarray(source_breaks, dtype=np.float64)
        self.target_breaks = np.zeros(self.m) if target_breaks is None else \
            np.asarray(target_breaks, dtype=np.float64)
        self.sb_cum = np.concatenate(([0.0], np.cumsum(self.source_breaks)))
        self.tb_cum = np.concatenate(([0.0], np.cumsum(self.target_breaks)))
        self.evidence = evidence if evidence is not None and not evidence.empty else None
        if self.evidence is not None:
            ev = self.evidence
            self.by_source = [_sparse(row) for row in ev.by_source]
            self.by_target = [_sparse(row) for row in ev.by_target]
            self.w_cum = np.concatenate(([0.0], np.cumsum(ev.source_mass)))
            # Target masses with three zeros before the first (a window may start at -3).
            self.v_pad = np.concatenate(([0.0] * 3, np.asarray(ev.target_mass, dtype=float)))
            self.typical = ev.typical
        self.set_priors(params.priors)
        self.ratio = 1.0
        self.variance = 1.0

    def set_priors(self, priors: dict[tuple[int, int], float]) -> None:
        self.priors = priors
        self.prior = {b: -math.log(p) for b, p in priors.items() if p > 0}
        self.types = [b for b in BEADS if b in self.prior and b[0] > 0]
        # insert[c]: the cost of a 0-1 bead into column c (holding target c - 1); more for
        # a target whose anchors the source holds nearby.
        self.insert = np.full(self.m + 1, self.prior.get((0, 1), math.inf))
        if self.evidence is not None:
            held = np.asarray(self.evidence.target_mass) > 0
            self.insert[1:] += held * self.params.similarity_weight / 2 * self.typical

    # ------------------------------------------------------------------ costs
    def costs(self, i: int, lo: int, hi: int) -> dict[tuple[int, int], np.ndarray]:
        """The cost of each bead type ending in cell (i, j), for j in [lo, hi] (inf where
        the bead would start before the grid)."""
        j = np.arange(lo, hi + 1)
        out: dict[tuple[int, int], np.ndarray] = {}
        similarity = self._similarity(i, lo, hi)
        for a, b in self.types:
            if a > i:
                continue
            cost = np.full(len(j), self.prior[(a, b)])
            if a > 1:
                cost += self.sb_cum[i - 1] - self.sb_cum[i - a]
            if b > 1:
                cost += self.tb_cum[np.maximum(j - 1, 0)] - self.tb_cum[np.maximum(j - b, 0)]
            if b:
                valid = j >= b
                ls = self.s_cum[i] - self.s_cum[i - a]
                lt = self.t_cum[j] - self.t_cum[np.maximum(j - b, 0)]
                mean = np.maximum((ls + lt / self.ratio) / 2, 1.0)
                delta = np.abs(ls * self.ratio - lt) / np.sqrt(self.variance * mean)
                cost = cost - _log_erfc(delta / _SQRT2)
                if similarity is not None:
                    cost = cost + self.params.similarity_weight * (a + b) / 2 * (
                        self.typical - similarity(a, b))
                cost[~valid] = math.inf
            elif self.evidence is not None and self.evidence.source_mass[i - 1] > 0:
                # Left out, a sentence whose anchors the target holds nearby.
                cost = cost + self.params.similarity_weight / 2 * self.typical
            out[(a, b)] = cost
        return out

    def _similarity(self, i: int, lo: int, hi: int
                    ) -> Callable[[int, int], np.ndarray] | None:
        """A function (a, b) -> the similarity of the bead ending in each column (the
        weighted Dice coefficient of what its sentences hold); None without evidence."""
        if self.evidence is None:
            return None
        base = lo - 3
        width = hi - lo + 3                 # columns base .. hi - 1: targets of the beads
        ends = np.arange(lo, hi + 1) - base
        rows = range(max(i - 3, 0), i)
        source_cum: list[np.ndarray] = []
        target_dense: list[np.ndarray] = []
        for s in rows:
            source_cum.append(np.concatenate(([0.0], np.cumsum(
                _dense(self.by_source[s], base, width)))))
            target_dense.append(_dense(self.by_target[s], base, width))
        mass = self.v_pad[base + 3:hi + 3]
        if len(mass) < width:
            mass = np.concatenate((np.zeros(width - len(mass)), mass))
        mass_cum = np.concatenate(([0.0], np.cumsum(mass)))
        w_mass = [self.w_cum[s + 1] - self.w_cum[s] for s in rows]
        capped_cum: dict[int, np.ndarray] = {}

        def similarity(a: int, b: int) -> np.ndarray:
            num = np.zeros(len(ends))
            den = np.full(len(ends), float(sum(w_mass[len(w_mass) - a:])))
            for cum, w in zip(source_cum[len(source_cum) - a:], w_mass[len(w_mass) - a:],
                              strict=True):
                if w:
                    num += np.minimum(cum[ends] - cum[ends - b], w)
            if a not in capped_cum:
                shared = np.sum(target_dense[len(target_dense) - a:], axis=0)
                capped_cum[a] = np.concatenate(([0.0], np.cumsum(np.minimum(shared, mass))))
            cum = capped_cum[a]
            num += cum[ends] - cum[ends - b]
            den += mass_cum[ends] - mass_cum[ends - b]
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 0, num / den, self.typical)

        return similarity

    # ------------------------------------------------------------------ passes
    def _pass(self, soft: bool, reverse: bool = False) -> list[np.ndarray]:
        """Forward values of every row: the least cost (Viterbi) or the free energy (soft:
        -log of the summed exp(-cost) over paths) of reaching each cell."""
        grid = self._reversed() if reverse else self
        rows: list[np.ndarray] = []
        insert_cum = np.concatenate(([0.0], np.cumsum(grid.insert[1:])))
        for i in range(grid.n + 1):
            lo, hi = grid.lo[i], grid.hi[i]
            width = hi - lo + 1
            best = np.full(width, math.inf)
            if i == 0:
                if lo == 0:
                    best[0] = 0.0
            else:
                for (a, b), cost in grid.costs(i, lo, hi).items():
                    prev = rows[i - a]
                    plo, phi = grid.lo[i - a], grid.hi[i - a]
                    start, end = max(lo, plo + b), min(hi, phi + b)
                    if start > end:
                        continue
                    cand = np.full(width, math.inf)
                    cand[start - lo:end - lo + 1] = prev[start - b - plo:end - b - plo + 1] + \
                        cost[start - lo:end - lo + 1]
                    best = -np.logaddexp(-best, -cand) if soft else np.minimum(best, cand)
            if width > 1 and math.isfinite(insert_cum[-1]):
                # 0-1 beads along the row: ramp[k] is the cost of k of them from its start.
                ramp = insert_cum[lo:hi + 1] - insert_cum[lo]
                if soft:
                    best = ramp - np.logaddexp.accumulate(ramp - best)
                else:
                    best = ramp + np.minimum.accumulate(best - ramp)
            rows.append(best)
        return rows

    def _reversed(self) -> _Grid:
        """The same problem read from the end: row k is row n - k, column c is m - c."""
        n, m = self.n, self.m
        band = Band(np.array([m - self.hi[n - k] for k in range(n + 1)]),
                    np.array([m - self.lo[n - k] for k in range(n + 1)]),
                    m - self.band.center[::-1])
        evidence = None
        if self.evidence is not None:
            ev = self.evidence
            flip = [[(m - 1 - j, w) for j, w in row][::-1] for row in ev.by_source[::-1]]
            back = [[(m - 1 - j, w) for j, w in row][::-1] for row in ev.by_target[::-1]]
            evidence = Evidence(flip, back, ev.source_mass[::-1], ev.target_mass[::-1],
                                ev.typical)
        # The break after sentence k is the break before sentence n - 1 - k reversed.
        sb = list(np.concatenate((self.source_breaks[:-1][::-1], [0.0])))
        tb = list(np.concatenate((self.target_breaks[:-1][::-1], [0.0])))
        grid = _Grid(self.src[::-1].copy(), self.tgt[::-1].copy(), evidence, band,
                     self.params, sb, tb)
        grid.set_priors(self.priors)
        grid.ratio, grid.variance = self.ratio, self.variance
        return grid

    def viterbi(self, ratio: float, variance: float) -> list[tuple[int, int, int, int]]:
        """The cheapest path as beads (i0, j0, i1, j1), in order."""
        self.ratio, self.variance = ratio, variance
        rows = self._pass(soft=False)
        path = []
        i, j = self.n, self.m
        while i or j:
            options: list[tuple[float, int, int]] = []
            if j > self.lo[i] and math.isfinite(self.insert[j]):
                options.append((rows[i][j - 1 - self.lo[i]] + self.insert[j], 0, 1))
            for (a, b), cost in self.costs(i, j, j).items() if i else ():
                p = i - a
                if self.lo[p] <= j - b <= self.hi[p]:
                    options.append((rows[p][j - b - self.lo[p]] + cost[0], a, b))
            _, a, b = min(options)
            path.append((i - a, j - b, i, j))
            i, j = i - a, j - b
        return path[::-1]

    def confidence(self, path: list[tuple[int, int, int, int]], ratio: float,
                   variance: float) -> list[float]:
        """The probability of each bead of `path` over all paths in the band."""
        self.ratio, self.variance = ratio, variance
        forward = self._pass(soft=True)
        backward = self._pass(soft=True, reverse=True)
        total = forward[self.n][self.m - self.lo[self.n]]
        out = []
        for i0, j0, i1, j1 in path:
            a, b = i1 - i0, j1 - j0
            cost = self.insert[j1] if a == 0 else self.costs(i1, j1, j1)[(a, b)][0]
            before = forward[i0][j0 - self.lo[i0]]
            after = backward[self.n - i1][self.hi[i1] - j1]
            out.append(float(min(1.0, math.exp(total - before - cost - after))))
        return out


def _sparse(row: Sequence[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    return (np.array([j for j, _ in row], dtype=np.int64),
            np.array([w for _, w in row], dtype=np.float64))


def _dense(row: tuple[np.ndarray, np.ndarray], base: int, width: int) -> np.ndarray:
    """A sparse row's weights at columns base .. base + width - 1."""
    cols, weights = row
    out = np.zeros(width)
    if len(cols):
        a, b = np.searchsorted(cols, [base, base + width])
        out[cols[a:b] - base] = weights[a:b]
    return out
