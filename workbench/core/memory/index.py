"""The fuzzy index: which units share the most character pairs with a source.

An inverted index from each pair of neighbouring characters of `index_text` (a bigram,
hashed into 2**22 buckets) to the units holding it, as compressed sparse rows: for each
bucket in use (`keys`, ascending), `offsets` says where its postings start in `postings`,
which are unit positions in ascending order. Positions are given by length first: the
units of one band of lengths are one run of positions, so a lookup reads only the part of
each posting list whose units are long enough, and short enough, to score. A lookup
counts, per unit, the query's bigrams it holds (one `bincount`), rarest bigrams first
within a budget, and proposes the units sharing the largest part of them; the fuzzy score
itself is computed on the few proposed (`match.py`).

Built in two passes so that a million units fit in a few hundred MB: the first (fed while
a TMX file is read) counts each bucket's postings and spills each unit's buckets to a
temporary file per band, the second places them. Saved as one file, memory-mapped when
read: opening a large memory costs nothing until it is searched.
"""

from __future__ import annotations

import contextlib
import io
import json
import mmap
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.core.atomic import atomic_writer

BUCKET_BITS = 22
BUCKETS = 1 << BUCKET_BITS
FORMAT = "workbench-tm-index-6"
_PIECE_BITS = 32 - BUCKET_BITS      # units placed at once: bucket and unit in one uint32
_PIECE = 1 << _PIECE_BITS
_MASK = np.uint32(_PIECE - 1)
_CHUNK = 50_000

# Lengths of index text (characters) that start a band: about 20% apart.
BAND_STARTS: tuple[int, ...] = tuple(sorted({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12} | {
    int(12 * 1.2 ** k) for k in range(1, 30) if 12 * 1.2 ** k < 2000}))

IntArray = npt.NDArray[np.int64]
_BUDGET = 250_000
"""Postings a lookup counts at most (beyond its rarest bigrams): the common bigrams of a
language add little to which units are nearest, and most of the time."""
_MIN_GRAMS = 0.5
"""...but it always counts at least this share of the query's bigrams."""
POOL = 2000
"""Units sharing the most bigrams with a query whose index texts `nearest` compares."""
_PER_TEXT = 3
"""Units of one same text that `nearest` proposes (the newest)."""


def grams(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]:
    """The bigram buckets of each text, concatenated, and how many each text has.

    A text of one character has that character as its gram; an empty one none. One
    vectorized pass over the texts joined by NUL (which no index text holds).
    """
    n = len(texts)
    if not n:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    joined = "\0".join(texts) + "\0"
    cp = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    first, second = cp[:-1], cp[1:]
    keep = (first != 0) & (second != 0)
    singles = np.flatnonzero(lengths == 1)
    if len(singles):
        # a one-character text: its character stands before the NUL ending it
        at = np.cumsum(lengths + 1)[singles] - 2
        keep[at] = True
        second = second.copy()
        second[at] = 0x1FFFFF
    counts = np.maximum(lengths - 1, 0)
    counts[singles] = 1
    a = first[keep]
    b = second[keep]
    # Multiplicative hashing of the pair, top BUCKET_BITS bits kept (uint32 arithmetic).
    mixed = a * np.uint32(0x9E3779B1) ^ b * np.uint32(0x85EBCA77)
    mixed ^= mixed >> np.uint32(15)
    mixed *= np.uint32(0x2C1B3C6D)
    return (mixed >> np.uint32(32 - BUCKET_BITS)).astype(np.uint32), counts


def band_of(length: int) -> int:
    """The band a text of `length` characters falls in."""
    return int(np.searchsorted(BAND_STARTS, length, side="right")) - 1


class IndexBuilder:
    """Builds a GramIndex from units fed in chunks (pass one), then `finish` (pass two)."""

    def __init__(self, spill_dir: Path | None = None) -> None:
        self._counts = np.zeros(BUCKETS, np.int64)
        self._dir = spill_dir
        self._files = contextlib.ExitStack()
        self._spills: dict[int, tuple[IO[bytes], IO[bytes]]] = {}
        self._ids: dict[int, list[IntArray]] = {}
        self._sizes: dict[int, list[IntArray]] = {}
        self._lengths: dict[int, list[IntArray]] = {}
        self._last = -1

    def add(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        """Units by ascending id (above any added before) and their index texts."""
        if not len(ids):
            return
        if ids[0] <= self._last:
            raise ValueError("units must come in ascending id order")
        self._last = ids[-1]
        buckets, sizes = grams(texts)
        self._counts += np.bincount(buckets, minlength=BUCKETS)
        id_array = np.asarray(ids, np.int64)
        chars = np.fromiter(map(len, texts), np.int64, len(texts))
        units = np.frombuffer("".join(texts).encode("utf-16-le", "surrogatepass"), np.uint16)
        if len(units) == int(chars.sum()):
            lengths = chars                 # every character one UTF-16 unit (the rule)
        else:
            lengths = np.fromiter((len(t.encode("utf-16-le", "surrogatepass")) // 2
                                   for t in texts), np.int64, len(texts))
        text_starts = np.cumsum(lengths) - lengths
        bands = np.searchsorted(BAND_STARTS, chars, side="right") - 1
        starts = np.cumsum(sizes) - sizes
        for band in np.unique(bands).tolist():
            mine = np.flatnonzero(bands == band)
            spill = self._spills.get(band)
            if spill is None:
                spill = self._spills[band] = (self._temporary(), self._temporary())
            if len(mine) == len(ids):
                buckets.tofile(spill[0])
                units.tofile(spill[1])
            else:
                buckets[_ranges(starts[mine], sizes[mine])].tofile(spill[0])
                units[_ranges(text_starts[mine], lengths[mine])].tofile(spill[1])
            self._ids.setdefault(band, []).append(id_array[mine])
            self._sizes.setdefault(band, []).append(sizes[mine])
            self._lengths.setdefault(band, []).append(lengths[mine])

    def _temporary(self) -> IO[bytes]:
        return self._files.enter_context(
            tempfile.TemporaryFile(dir=self._dir))   # noqa: SIM115 (closed by finish)

    def finish(self, stamp: dict[str, Any] | None = None, *, texts_to: Path | None = None
               ) -> GramIndex:
        """Place the postings (pass two) and return the index; its texts are written to
        `texts_to` (and mapped from there) or kept in memory."""
        try:
            total = int(self._counts.sum())
            # 32-bit offsets while they fit: a million units place ~50M postings.
            offsets = np.zeros(BUCKETS + 1, np.uint32 if total < 1 << 32 else np.int64)
            offsets[1:] = np.cumsum(self._counts)
            self._counts = np.zeros(0, np.int64)
            postings = np.empty(total, np.int32)
            fill = offsets[:-1].copy()
            ids: list[IntArray] = []
            sizes: list[IntArray] = []
            lengths: list[IntArray] = []
            band_positions = [0]
            position = 0
            with contextlib.ExitStack() as stack:
                out: IO[bytes] = stack.enter_context(texts_to.open("wb")) if texts_to else \
                    stack.enter_context(io.BytesIO())
                for band in range(len(BAND_STARTS)):
                    if band in self._spills:
                        band_sizes = np.concatenate(self._sizes[band])
                        ids.append(np.concatenate(self._ids[band]))
                        sizes.append(band_sizes)
                        lengths.append(np.concatenate(self._lengths[band]))
                        spill, texts = self._spills[band]
                        spill.seek(0)
                        for at in range(0, len(band_sizes), _PIECE):
                            piece = band_sizes[at:at + _PIECE]
                            _place(np.fromfile(spill, np.uint32, int(piece.sum())), piece,
                                   position, postings, fill)
                            position += len(piece)
                        texts.seek(0)
                        shutil.copyfileobj(texts, out, 1 << 20)
                    band_positions.append(position)
                if texts_to is None:
                    assert isinstance(out, io.BytesIO)
                    text_units = np.frombuffer(out.getvalue(), np.uint16)
                else:
                    out.flush()
                    os.fsync(out.fileno())
        finally:
            self._files.close()
            self._spills.clear()
        if texts_to is not None:
            text_units = _map(texts_to, np.uint16)
        all_ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        all_sizes = np.concatenate(sizes) if sizes else np.zeros(0, np.int64)
        text_offsets = np.zeros(len(all_ids) + 1, np.int64)
        if lengths:
            np.cumsum(np.concatenate(lengths), out=text_offsets[1:])
        used = np.flatnonzero(offsets[1:] != offsets[:-1])
        compact = np.empty(len(used) + 1, np.int64)
        compact[:-1] = offsets[used]
        compact[-1] = offsets[-1]
        del offsets
        return GramIndex(all_ids, np.minimum(all_sizes, 65535).astype(np.uint16),
                         used.astype(np.uint32), compact,
                         postings, np.asarray(band_positions, np.int64), text_offsets,
                         text_units, stamp)


def _ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """The indices of the runs `[start, start + length)`, one after the other."""
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + \
        np.arange(int(lengths.sum()))


def _map(path: Path, dtype: Any) -> Any:
    """A read-only array over the file at `path` (empty when it is)."""
    if not path.stat().st_size:
        return np.zeros(0, dtype)
    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapped, dtype)


def _first_at_least(values: npt.NDArray[np.int32], starts: IntArray, ends: IntArray,
                    bound: int) -> IntArray:
    """For each ascending run `values[start:end]`, where `bound` would go in it: one
    bisection of all the runs at once (a lookup reads a few dozen posting lists)."""
    low, high = starts.copy(), ends.copy()
    last = len(values) - 1
    while True:
        open_ = low < high
        if not open_.any():
            return low
        middle = (low + high) // 2
        below = open_ & (values[np.minimum(middle, last)] < bound)
        low = np.where(below, middle + 1, low)
        high = np.where(open_ & ~below, middle, high)


def texts_path(path: Path) -> Path:
    """Where the index texts of the part saved at `path` are."""
    return path.with_suffix(".txt")


def _place(buckets: npt.NDArray[np.uint32], sizes: IntArray, base: int,
           postings: npt.NDArray[np.int32], fill: npt.NDArray[Any]) -> None:
    """Put the postings of up to _PIECE units (positions from `base`) in their buckets."""
    if not len(buckets):
        return
    local = np.repeat(np.arange(len(sizes), dtype=np.uint32), sizes)
    keys = (buckets << np.uint32(_PIECE_BITS)) | local
    keys.sort()
    bucket = (keys >> np.uint32(_PIECE_BITS)).astype(np.int64)
    new_run = np.concatenate(([True], bucket[1:] != bucket[:-1]))
    run_starts = np.flatnonzero(new_run)
    lengths = np.diff(np.append(run_starts, len(keys)))
    rank = np.arange(len(keys)) - np.repeat(run_starts, lengths)
    postings[fill[bucket].astype(np.int64) + rank] = (keys & _MASK).astype(np.int32) + base
    fill[bucket[run_starts]] += lengths.astype(fill.dtype)


class GramIndex:
    """Units (by id), the bigram buckets they hold and their index texts; immutable."""

    def __init__(self, ids: IntArray, sizes: npt.NDArray[np.uint16],
                 keys: npt.NDArray[np.uint32], offsets: IntArray,
                 postings: npt.NDArray[np.int32], bands: IntArray, text_offsets: IntArray,
                 texts: npt.NDArray[np.uint16], stamp: dict[str, Any] | None = None,
                 keep: Any = None) -> None:
        self.ids = ids
        """Unit id at each position (positions go by band of length, then by id)."""
        self.sizes = sizes
        """How many bigrams each unit holds."""
        self.keys = keys
        self.offsets = offsets
        self.postings = postings
        self.bands = bands
        """Where each band's positions start (and, last, how many there are)."""
        self.text_offsets = text_offsets
        self.texts = texts
        """The index texts, UTF-16: each position's from `text_offsets` on."""
        self.stamp = dict(stamp or {})
        self._keep = keep     # the memory map the arrays live in, when read from a file

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(cls, units: Iterable[tuple[int, str]], *, spill_dir: Path | None = None,
              stamp: dict[str, Any] | None = None) -> GramIndex:
        """An index of (id, index text) pairs given in ascending id order, in memory."""
        builder = IndexBuilder(spill_dir)
        ids: list[int] = []
        texts: list[str] = []
        for unit_id, text in units:
            ids.append(unit_id)
            texts.append(text)
            if len(ids) >= _CHUNK:
                builder.add(ids, texts)
                ids, texts = [], []
        builder.add(ids, texts)
        return builder.finish(stamp)

    def text(self, position: int) -> str:
        """The index text of the unit at `position`."""
        start, end = self.text_offsets[position], self.text_offsets[position + 1]
        return self.texts[start:end].tobytes().decode("utf-16-le", "surrogatepass")

    # ------------------------------------------------------------------ files
    def save(self, path: Path) -> None:
        """Write the index to `path` atomically (its texts must be at `texts_path(path)`
        already: `finish(texts_to=...)`)."""
        header = json.dumps({"format": FORMAT, "stamp": self.stamp, "units": len(self.ids),
                             "keys": len(self.keys), "postings": len(self.postings),
                             "bucket_bits": BUCKET_BITS, "bands": list(BAND_STARTS)})
        head = header.encode()
        head += b" " * (-(len(head) + 8) % 64)
        with atomic_writer(path, "wb") as out:
            out.write(len(head).to_bytes(8, "little"))
            out.write(head)
            for array in (self.ids, self.bands, self.keys, self.offsets, self.postings,
                          self.sizes, self.text_offsets):
                np.ascontiguousarray(array).tofile(out)
                out.write(b"\0" * (-array.nbytes % 8))

    @classmethod
    def load(cls, path: Path) -> GramIndex | None:
        """The index saved at `path`, memory-mapped; None if there is none or it is not one
        this workbench wrote (it is only a cache: it is built again)."""
        try:
            with path.open("rb") as fh:
                if os.fstat(fh.fileno()).st_size < 8:
                    return None
                mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            texts = _map(texts_path(path), np.uint16)
        except (OSError, ValueError):
            return None
        try:
            length = int.from_bytes(mapped[:8], "little")
            header = json.loads(mapped[8:8 + length])
            if header.get("format") != FORMAT or header.get("bucket_bits") != BUCKET_BITS or \
                    header.get("bands") != list(BAND_STARTS):
                return None
            at = 8 + length
            arrays: list[Any] = []
            units, keys = header["units"], header["keys"]
            for dtype, count in ((np.int64, units), (np.int64, len(BAND_STARTS) + 1),
                                 (np.uint32, keys), (np.int64, keys + 1),
                                 (np.int32, header["postings"]), (np.uint16, units),
                                 (np.int64, units + 1)):
                array = np.frombuffer(mapped, dtype, count, at)
                arrays.append(array)
                at += array.nbytes + (-array.nbytes % 8)
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            return None
        ids, bands, keys_array, offsets, postings, sizes, text_offsets = arrays
        if len(texts) != int(text_offsets[-1]):
            return None
        return cls(ids, sizes, keys_array, offsets, postings, bands, text_offsets, texts,
                   header.get("stamp"), keep=mapped)

    # ------------------------------------------------------------------ searching
    def nearest(self, text: str, limit: int, *, min_length: int = 0,
                max_length: int = 1 << 30, pool: int | None = None,
                compared: Callable[[Sequence[str]], list[str]] | None = None
                ) -> list[tuple[int, float]]:
        """Up to `limit` (unit id, similarity) of the units whose index texts are nearest
        to `text` (normalized Levenshtein similarity, best first): the `pool` units sharing
        the most bigrams with it (`candidates`), compared whole, or what `compared` makes
        of the texts (the caller's stand-ins for what it will score)."""
        positions = [p for p, _ in self.candidates(text, pool or POOL, min_length=min_length,
                                                   max_length=max_length)]
        if not positions:
            return []
        # Units with one text are compared once; of each text the newest few are proposed.
        found = self.texts_at(positions)
        keys = list(dict.fromkeys(found))
        texts = keys
        if compared is not None:
            text, *texts = compared([text, *keys])
        best = process.extract(text, texts, scorer=Levenshtein.normalized_similarity,
                               limit=limit)
        score_of = {keys[i]: score for _, score, i in best}
        chosen: dict[str, list[int]] = {}
        for position, key in zip(positions, found, strict=True):
            if key in score_of:
                chosen.setdefault(key, []).append(int(self.ids[position]))
        out: list[tuple[int, float]] = []
        for _, score, i in best:
            out += [(unit, score) for unit in sorted(chosen[keys[i]], reverse=True)[:_PER_TEXT]]
            if len(out) >= limit:
                break
        return out[:limit]

    def texts_at(self, positions: Sequence[int]) -> list[str]:
        """The index texts of many positions: one gather and one decode for them all."""
        at = np.asarray(positions, np.int64)
        starts, ends = self.text_offsets[at], self.text_offsets[at + 1]
        lengths = ends - starts
        units = self.texts[_ranges(starts, lengths)]
        if np.any((units >= 0xD800) & (units < 0xE000)):
            return [self.text(p) for p in positions]   # two units for one character
        joined = units.tobytes().decode("utf-16-le")
        bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
        return [joined[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]

    def candidates(self, text: str, limit: int, *, min_length: int = 0,
                   max_length: int = 1 << 30) -> list[tuple[int, float]]:
        """Up to `limit` (position, share) of the units of `min_length`..`max_length`
        characters that share the largest part of their bigrams with `text`, best first.

        The share is the bigrams shared over the larger of the two counts, estimated from
        the query's rarer bigrams when counting all of them would read too many postings.
        """
        if not len(self.ids) or not text:
            return []
        buckets, _ = grams([text])
        if not len(buckets):
            return []
        low = int(self.bands[band_of(max(min_length, 0))])
        high = int(self.bands[band_of(max_length) + 1])
        if high <= low:
            return []
        rows = np.asarray(self._rows(buckets), np.int64)
        if not len(rows):
            return []
        postings = self.postings
        starts = _first_at_least(postings, self.offsets[rows], self.offsets[rows + 1], low)
        ends = _first_at_least(postings, starts, self.offsets[rows + 1], high)
        slices = [postings[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
                  if b > a]
        if not slices:
            return []
        slices.sort(key=len)
        used = 0
        total = 0
        needed = max(1, int(len(slices) * _MIN_GRAMS))
        for piece in slices:
            if used >= needed and total + len(piece) > _BUDGET:
                break
            used += 1
            total += len(piece)
        hits = np.bincount(np.concatenate(slices[:used]) - low, minlength=high - low)
        # A unit holding a quarter of the bigrams counted is far from any fuzzy match.
        found = np.flatnonzero(hits >= max(1, used // 4))
        # Scaled to the query's bigrams: a unit holding every counted one is a full share.
        shared = hits[found] * (len(buckets) / used)
        share = shared / np.maximum(self.sizes[found + low], len(buckets))
        if len(found) > limit:
            best = np.argpartition(-share, limit - 1)[:limit]
            found, share = found[best], share[best]
        order = np.argsort(-share, kind="stable")
        return list(zip((found[order] + low).tolist(), share[order].tolist(), strict=True))

    def _rows(self, buckets: npt.NDArray[np.uint32]) -> list[int]:
        """Where the distinct buckets given are among `keys` (those in use only)."""
        wanted = np.unique(buckets)
        at = np.searchsorted(self.keys, wanted)
        inside = at < len(self.keys)
        at, wanted = at[inside], wanted[inside]
        return at[self.keys[at] == wanted].tolist()

    def containing(self, text: str) -> IntArray:
        """Ids of the units holding every bigram of `text` (those that contain it, and a few
        that only hold its pairs elsewhere: the caller checks)."""
        buckets, _ = grams([text])
        if not len(self.ids) or not len(buckets):
            return np.zeros(0, np.int64)
        offsets = self.offsets
        rows = self._rows(buckets)
        if len(rows) < len(np.unique(buckets)):
            return np.zeros(0, np.int64)      # a bigram no unit holds
        lists = sorted((self.postings[offsets[at]:offsets[at + 1]] for at in rows), key=len)
        found = lists[0]
        for other in lists[1:]:
            if not len(found):
                break
            at = np.minimum(np.searchsorted(other, found), len(other) - 1)
            found = found[other[at] == found] if len(other) else found[:0]
        return self.ids[found]
