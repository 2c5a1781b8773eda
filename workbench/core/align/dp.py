"""The dynamic programme over beads: which source sentences go with which target sentences.

A bead joins a sources and b targets, (a, b) one of 1-1, 1-2, 2-1, 1-0, 0-1, 2-2, 1-3, 3-1.
Its cost, in nats, is what makes it unlikely:

- its prior (how often translators make such a bead);
- its lengths, as Gale and Church model them: the target length is the source length times
  a ratio, with a variance growing with the length (and a tenth of beads three times as
  loose: a translation that says much more or much less is left to the other evidence).
  The ratio and the variance are the document pair's own: first guessed from the totals,
  then measured on the 1-1 beads of a first alignment, which is then made again with them
  and with the bead priors that alignment shows;
- its similarity: the share of the anchor weight its sentences hold that the other side of
  the bead holds too (a weighted Dice coefficient over `workbench.core.align.anchors`'
  evidence), measured against the typical similarity of a sentence and its best match,
  times `similarity_weight` and the bead's size (a bead of four sentences is two beads'
  worth, so joining sentences is neither cheaper nor dearer by itself).

The programme runs row by row over a band of the grid (`workbench.core.align.grid`; row i:
after i source sentences). A short pair gets the whole grid; a long one a band around a
first alignment by length alone (`coarse_band`). A bead's confidence is the probability
that it is right given every alignment the band holds (the forward-backward sum over paths,
in log space): near 1 when no other way of cutting comes close, low where two are alike.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.core.align.anchors import Evidence
from workbench.core.align.grid import Grid, Path

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

MODEL_PRIOR = 20
"""How many 1-1 beads the first guess of the length model counts as."""

MEASURE_ROWS = 3000
"""Source sentences a first alignment measures the length model and the priors on."""

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
    grid = Grid(src, tgt, evidence, band.lo, band.hi,
                similarity_weight=params.similarity_weight, source_breaks=source_breaks,
                target_breaks=target_breaks)
    grid.set_model(ratio, variance, params.priors)
    path = grid.path(grid.forward(soft=False, keep=False, rows=MEASURE_ROWS))
    # The length model and the priors of this pair, measured on a first alignment (of its
    # first MEASURE_ROWS source sentences: enough to measure, and a long pair's first pass
    # costs no more than a short one's).
    measured = _measure(path, src, tgt)
    if measured is not None:
        # Shrunk towards the first guess by MODEL_PRIOR beads' worth: a few 1-1 beads that
        # happen to fit well say little about how loose the translation is.
        found, (new_ratio, new_variance) = measured
        share = found / (found + MODEL_PRIOR)
        ratio = params.ratio or ratio + share * (new_ratio - ratio)
        variance = params.variance or variance + share * (new_variance - variance)
    grid.set_model(ratio, variance, _mixed_priors(path, params))
    done = grid.forward(soft=params.confidence, keep=params.confidence)
    path = grid.path(done)
    confidence = grid.confidence(path, done) if params.confidence else [1.0] * len(path)
    beads = [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), c)
             for (i0, j0, i1, j1), c in zip(path, confidence, strict=True)]
    return Alignment(beads, ratio, variance, band.cells)


def coarse_band(source_lengths: Sequence[float], target_lengths: Sequence[float],
                params: Params | None = None, *, blocks: int = 2000, margin: int = 40) -> Band:
    """A band for a long pair, found by length alone on a shrunk copy of it: consecutive
    sentences of each side taken together in about `blocks` blocks, and those aligned
    within a tenth of them of the line the totals draw (as vecalign shrinks a document
    before aligning it). The band holds the blocks' path, a block and `margin` sentences
    either side: room for the anchors to put right what lengths alone get wrong."""
    params = params or Params()
    n, m = len(source_lengths), len(target_lengths)
    size = max(1, round(n / blocks))
    tsize = max(1, round(size * m / n))
    src = np.add.reduceat(np.asarray(source_lengths, dtype=np.float64), np.arange(0, n, size))
    tgt = np.add.reduceat(np.asarray(target_lengths, dtype=np.float64),
                          np.arange(0, m, tsize))
    half = max(20, len(src) // 10)
    wide = make_band(list(src), list(tgt), [], Params(band_min=half, band_max=half))
    ratio = params.ratio or float(tgt.sum() / max(src.sum(), 1.0))
    grid = Grid(src, tgt, None, wide.lo, wide.hi, similarity_weight=0.0)
    grid.set_model(ratio, params.variance or VARIANCE_PER_RATIO2 * ratio * ratio,
                   {k: p for k, p in params.priors.items() if k in MEASURED})
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    for i0, j0, i1, j1 in grid.path(grid.forward(soft=False, keep=False)):
        rows = slice(i0 * size, min(i1 * size, n) + 1)
        lo[rows] = np.minimum(lo[rows], j0 * tsize)
        hi[rows] = np.maximum(hi[rows], min(j1 * tsize, m))
    center = (lo + hi) / 2
    reach = max(size, tsize) + margin
    lo = np.maximum.accumulate(np.clip(lo - reach, 0, m))
    hi = np.maximum.accumulate(np.clip(hi + reach, 0, m))
    lo[0], hi[-1] = 0, m
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return Band(lo, hi, center)


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


def _mixed_priors(path: Path, params: Params
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


def _measure(path: Path, src: np.ndarray, tgt: np.ndarray
             ) -> tuple[int, tuple[float, float]] | None:
    """How many 1-1 beads `path` has, and their ratio and variance (robust: the middle 80%
    of log ratios; the variance from the median squared residual)."""
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
    return len(ls), (new_ratio, max(new_variance, 0.5 * new_ratio))


