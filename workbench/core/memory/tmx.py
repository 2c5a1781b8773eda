"""TMX into the memory and out of it.

An import reads the file as a stream, takes every unit with Japanese and English (whatever
its declared source language, whatever other languages it holds), reports the others with
their line, and adds the new units and their part of the fuzzy index in one transaction:
a file that turns out to be broken halfway adds nothing. A unit already in the memory (the
same source, as folded, with the same English) is counted, not added again; units with one
source and different English are all kept (a lookup shows them newest first).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from workbench.core.chars import JAPANESE
from workbench.core.errors import MemoryStoreError
from workbench.core.formats.tmx_stream import (
    NEXT_KEY_PROP,
    PREV_KEY_PROP,
    TmxEntry,
    TmxOut,
    TmxSyntaxError,
    key_prop,
    language,
    read_entries,
    write_entries,
)
from workbench.core.glossary.fold import fold_key
from workbench.core.memory.index import IndexBuilder
from workbench.core.memory.store import MemoryStore
from workbench.core.memory.text import context_key, fold_hash, folded_index_text, pair_key
from workbench.core.memory.units import Unit
from workbench.core.state import Transaction, describe_os_error

_JAPANESE = re.compile(f"[{JAPANESE}]")
_LATIN = re.compile("[A-Za-z]")
_BATCH = 5000
_INDEX_BATCH = 50_000


@dataclass(frozen=True)
class Skipped:
    """A unit of the file that was not taken, and why."""

    line: int
    reason: str


@dataclass
class TmxImport:
    """What an import of a TMX file did."""

    path: Path
    origin: str
    penalty: int
    read: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)
    """Units taken with something to say (English as their source, other languages)."""
    seconds: float = 0.0

    def reasons(self) -> dict[str, int]:
        """How many units were skipped for each reason."""
        counts: dict[str, int] = {}
        for skip in self.skipped:
            counts[skip.reason] = counts.get(skip.reason, 0) + 1
        return counts


def check(entry: TmxEntry) -> str | None:
    """Why a unit cannot be a Japanese→English unit; None when it can."""
    if entry.ja is None:
        shown = ", ".join(entry.languages) or "none"
        return f"no Japanese (languages: {shown})"
    if entry.en is None:
        shown = ", ".join(entry.languages) or "none"
        return f"no English (languages: {shown})"
    if not entry.ja.strip():
        return "the Japanese is empty"
    if not entry.en.strip():
        return "the English is empty"
    if not _JAPANESE.search(entry.ja):
        return "the Japanese side holds no Japanese"
    if _JAPANESE.search(entry.en) and not _LATIN.search(entry.en):
        return "the English side is in Japanese"
    return None


def _note(entry: TmxEntry) -> str | None:
    codes = entry.languages
    if len(codes) == 2 and language(codes[0]) == "ja":
        return None       # the usual unit: nothing to say
    others = sorted({code for code in entry.languages if language(code) not in ("ja", "en")})
    first = language(entry.languages[0]) if entry.languages else ""
    notes = []
    if first == "en":
        notes.append("English first (read as Japanese → English)")
    if others:
        notes.append(f"also holds {', '.join(others)} (left out)")
    return "; ".join(notes) or None


def _context(entry: TmxEntry, keys: dict[str, int]) -> tuple[int | None, int | None]:
    """The neighbour keys a unit records; a side left out of a unit that records the
    other is the document's edge, and a unit that records neither has none known. `keys`
    holds the keys of the sources just read: a unit's neighbour is most often the unit
    before it."""
    prev = entry.prev_key if entry.prev_key is not None else \
        _key(entry.prev, keys) if entry.prev is not None else None
    following = entry.next_key if entry.next_key is not None else \
        _key(entry.next, keys) if entry.next is not None else None
    if prev is None and following is None:
        return None, None
    return (0 if prev is None else prev), (0 if following is None else following)


def _key(text: str, keys: dict[str, int]) -> int:
    key = keys.get(text)
    return context_key(text) if key is None else key


class _Seen:
    """The pair keys (`pair_key`) in the memory or taken by this import, as sorted arrays:
    a few MB for a million of them, where a set of Python ints would take ~70."""

    def __init__(self) -> None:
        self._base = np.zeros(0, np.int64)
        self._runs: list[npt.NDArray[np.int64]] = []

    def add(self, pairs: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
        """Which of `pairs` are new (and the first of equal ones); remembers them."""
        order = np.argsort(pairs, kind="stable")
        ranked = pairs[order]
        fresh = np.ones(len(ranked), bool)
        fresh[1:] = ranked[1:] != ranked[:-1]
        for run in (self._base, *self._runs):
            if len(run) and len(ranked):
                at = np.minimum(np.searchsorted(run, ranked), len(run) - 1)
                fresh &= run[at] != ranked
        if fresh.any():
            self._runs.append(ranked[fresh])
            if sum(map(len, self._runs)) > max(65_536, len(self._base) // 8):
                self._base = np.sort(np.concatenate([self._base, *self._runs]))
                self._runs = []
        mask = np.empty(len(pairs), bool)
        mask[order] = fresh
        return mask


def import_tmx(store: MemoryStore, path: Path, *, penalty: int = 0,
               progress: Callable[[int], None] | None = None) -> TmxImport:
    """Add the units of a TMX file to the memory (its origin: the file's name).

    MemoryStoreError, with the line, when the file is not well-formed TMX: then nothing
    is added. `penalty` is taken off every score of a match from this file.
    """
    path = Path(path)
    if not path.is_file():
        raise MemoryStoreError("no such file" if not path.exists() else "not a file",
                               path=path)
    if not 0 <= penalty <= 100:
        raise MemoryStoreError(f"a penalty is 0 to 100, not {penalty}", path=path)
    report = TmxImport(path, path.name, penalty)
    started = time.perf_counter()
    try:
        with store.index_lock(), store.db.transaction() as tx:
            origin = store.origin(tx, path.name, "tmx", penalty).id
            covered = store.covered()
            batch = _Batch(store, tx, origin, report)
            for beyond_ids, beyond_texts in _beyond(store, covered):
                batch.builder.add(beyond_ids, beyond_texts)
            tx.execute("PRAGMA cache_size = -65536")  # 64 MB: the key index grows at random
            neighbours: dict[str, int] = {}
            for entry in read_entries(path):
                report.read += 1
                if progress is not None and report.read % 10_000 == 0:
                    progress(report.read)
                reason = check(entry)
                if reason is not None:
                    report.skipped.append(Skipped(entry.line, reason))
                    continue
                ja, en = entry.ja.strip(), entry.en.strip()   # type: ignore[union-attr]
                folded = fold_key(ja)
                prev_key, next_key = _context(entry, neighbours)
                key = fold_hash(folded)
                if len(neighbours) > 4:
                    neighbours.clear()
                neighbours[entry.ja] = key        # type: ignore[index]
                pair = pair_key(folded, en)
                batch.append(pair, (
                    origin, key, pair, prev_key, next_key, ja, en,
                    entry.props.get("x-document"), entry.props.get("x-status"),
                    entry.changed_by, entry.changed_at), folded_index_text(folded),
                    entry.line, _note(entry))
            batch.flush(final=True)
            report.added = batch.next_id - batch.first_id
            tx.execute("UPDATE meta SET value = ? WHERE key = 'last_id'",
                       (str(batch.next_id - 1),))
            if report.added:
                store.touch(tx)
            top = int(tx.scalar("SELECT coalesce(max(id), 0) FROM units") or 0)
        store.db.query("PRAGMA cache_size = -2000")      # back to SQLite's default
        store.db.query("PRAGMA shrink_memory")
        # Placed once the units are in: a part must never cover ids not written.
        if top > covered:
            store.save_part(batch.builder, covered + 1, top)
    except TmxSyntaxError as exc:
        raise MemoryStoreError(f"{exc}; nothing was imported", path=path,
                               line=exc.line) from exc
    except OSError as exc:
        raise MemoryStoreError(f"cannot read the file: {describe_os_error(exc)}; nothing was "
                               "imported", path=path) from exc
    report.seconds = time.perf_counter() - started
    return report


_INSERT = ("INSERT INTO units (id, origin, key, pair, prev_key, next_key, source, target, doc, "
           "status, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


class _Batch:
    """Units read but not stored yet: a batch is told apart from units already in the
    memory at once, numbered, inserted and handed to the index builder."""

    def __init__(self, store: MemoryStore, tx: Transaction, origin: int,
                 report: TmxImport) -> None:
        self.tx = tx
        self.report = report
        self.builder = IndexBuilder(store.index_dir)
        self.seen = _Seen()
        last = 0
        while True:      # the memory's pairs, a slice at a time
            rows = tx.query("SELECT id, pair FROM units WHERE id > ? ORDER BY id LIMIT ?",
                            (last, 100_000))
            if not rows:
                break
            self.seen.add(np.fromiter((r[1] for r in rows), np.int64, len(rows)))
            last = rows[-1][0]
        self.first_id = self.next_id = store.reserve_ids(tx, 0)
        self.pairs: list[int] = []
        self.rows: list[tuple[object, ...]] = []
        self.texts: list[str] = []
        self.notes: list[tuple[int, Skipped]] = []
        self.ids: list[int] = []
        self.index_texts: list[str] = []

    def append(self, pair: int, row: tuple[object, ...], text: str, line: int,
               note: str | None) -> None:
        self.pairs.append(pair)
        self.rows.append(row)
        self.texts.append(text)
        if note:
            self.notes.append((len(self.rows) - 1, Skipped(line, note)))
        if len(self.rows) >= _BATCH:
            self.flush()

    def flush(self, *, final: bool = False) -> None:
        if self.rows:
            fresh = self.seen.add(np.asarray(self.pairs, np.int64))
            keep = range(len(self.rows)) if fresh.all() else np.flatnonzero(fresh).tolist()
            self.report.duplicates += len(self.rows) - len(keep)
            numbers = range(self.next_id, self.next_id + len(keep))
            rows, texts = self.rows, self.texts
            self.tx.executemany(_INSERT, [(n, *rows[i]) for n, i in zip(numbers, keep,
                                                                        strict=True)])
            self.ids.extend(numbers)
            self.index_texts.extend(texts[i] for i in keep)
            self.report.notes.extend(note for at, note in self.notes if fresh[at])
            self.next_id += len(keep)
            self.pairs, self.rows, self.texts, self.notes = [], [], [], []
        if self.ids and (final or len(self.ids) >= _INDEX_BATCH):
            self.builder.add(self.ids, self.index_texts)
            self.ids, self.index_texts = [], []


def _beyond(store: MemoryStore, covered: int) -> Iterator[tuple[list[int], list[str]]]:
    """Units not in the index yet: they go into the part an import adds."""
    last = covered
    while True:
        rows = store.db.query("SELECT id, source FROM units WHERE id > ? ORDER BY id LIMIT ?",
                              (last, _INDEX_BATCH))
        if not rows:
            return
        yield [r[0] for r in rows], [folded_index_text(fold_key(r[1])) for r in rows]
        last = rows[-1][0]


def export_tmx(store: MemoryStore, path: Path, *, origin: str | None = None) -> int:
    """Write the memory (or the units of one origin) as TMX 1.4b; returns how many units.

    Each unit keeps its origin, document and status as props, and the keys of its
    neighbours (`x-prev-key`, `x-next-key`), so an import of the file gives 101% matches
    again."""
    origin_id = None
    if origin is not None:
        found = [o for o in store.origins().values() if o.name == origin]
        if not found:
            raise MemoryStoreError(f"no origin {origin!r} in the translation memory",
                                   path=store.path, hint="`workbench tm stats` lists them.")
        origin_id = found[0].id
    try:
        return write_entries(Path(path), (_out(u) for u in store.iter_units(origin_id)))
    except OSError as exc:
        raise MemoryStoreError(f"cannot write the file: {describe_os_error(exc)}",
                               path=path) from exc


def _out(unit: Unit) -> TmxOut:
    props = [("x-origin", unit.origin)]
    if unit.doc:
        props.append(("x-document", unit.doc))
    if unit.status:
        props.append(("x-status", unit.status))
    for kind, key in ((PREV_KEY_PROP, unit.prev_key), (NEXT_KEY_PROP, unit.next_key)):
        value = key_prop(key)
        if value is not None:
            props.append((kind, value))
    return TmxOut(unit.source, unit.target, tuple(props), unit.changed_by, unit.changed_at)
