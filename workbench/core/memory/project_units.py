"""The open project's reviewed and approved segments as units, read from its state.

The project needs no table of its own for them: its segments are the units (source,
final translation, document, neighbours, reviewer, date, status), read again when the
state changes: a changed segment is updated in place, a newly reviewed one joins the
recent units (compared one by one) and past a few thousand of those the index is built
again. Segments set aside by a re-ingest keep counting (without neighbours): their work
is still good English for that source.

`mirror_project` copies the same units into the user's memory (origin: the project's
folder), so that other projects find them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from workbench.core.glossary.fold import fold_key
from workbench.core.memory.index import GramIndex
from workbench.core.memory.store import MemoryStore, Origin
from workbench.core.memory.text import context_key, index_text, pair_key, source_key
from workbench.core.memory.units import THIS_PROJECT, Unit
from workbench.core.project import Project
from workbench.core.records import DONE_STATUSES

REBUILD_AFTER = 2000
"""Recent units from which the project's index is built again."""
_DONE = tuple(sorted(DONE_STATUSES))
_COLUMNS = "id, doc, ordinal, source, final, status, updated_by, updated_at, active"


def project_origin(project: Project) -> str:
    """The name a project's units have in the user's memory: its folder."""
    return str(project.root.resolve())


def _signature(project: Project) -> tuple[Any, ...]:
    """What changes when the project's units may have: its history (every change of a
    segment's work), and its documents (an ingest). Two small reads."""
    db = project.db
    documents = db.query_one("SELECT count(*), max(ingested_at) FROM documents")
    return (db.scalar("SELECT coalesce(max(seq), 0) FROM history"),
            *(documents or (0, None)))


def _neighbours(project: Project, docs: Iterable[str] | None = None
                ) -> dict[str, tuple[str | None, str | None]]:
    """The sources before and after each active segment (of `docs`, or all)."""
    if docs is None:
        rows = project.db.query("SELECT id, doc, source FROM segments WHERE active = 1 "
                                "ORDER BY doc, ordinal")
    else:
        wanted = sorted(set(docs))
        rows = []
        for doc in wanted:
            rows += project.db.query("SELECT id, doc, source FROM segments WHERE active = 1 "
                                     "AND doc = ? ORDER BY ordinal", (doc,))
    out: dict[str, tuple[str | None, str | None]] = {}
    for i, (segment_id, doc, _source) in enumerate(rows):
        prev = rows[i - 1][2] if i and rows[i - 1][1] == doc else None
        following = rows[i + 1][2] if i + 1 < len(rows) and rows[i + 1][1] == doc else None
        out[segment_id] = (prev, following)
    return out


def _done_rows(project: Project, ids: Sequence[str] | None = None) -> list[tuple[Any, ...]]:
    marks = ", ".join("?" * len(_DONE))
    sql = (f"SELECT {_COLUMNS} FROM segments WHERE status IN ({marks}) "
           "AND final IS NOT NULL")
    if ids is None:
        return project.db.query(sql + " ORDER BY doc, ordinal", _DONE)
    rows = []
    for at in range(0, len(ids), 500):
        chunk = list(ids[at:at + 500])
        rows += project.db.query(sql + f" AND id IN ({', '.join('?' * len(chunk))})",
                                 (*_DONE, *chunk))
    return rows


def _unit(position: int, row: Sequence[Any],
          neighbours: dict[str, tuple[str | None, str | None]]) -> Unit:
    segment_id, doc, ordinal, source, final, status, by, at, active = row
    prev_key = next_key = None
    if active and segment_id in neighbours:
        prev, following = neighbours[segment_id]
        prev_key, next_key = context_key(prev), context_key(following)
    return Unit(position, source, final, THIS_PROJECT, doc, segment_id, ordinal, prev_key,
                next_key, status, by, at)


class ProjectUnits:
    """The pool of the open project's units (see `match.Pool`); thread-safe."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._lock = threading.RLock()
        self._units: list[Unit | None] = []
        self._by_ref: dict[str, int] = {}
        self._by_key: dict[int, list[int]] = {}
        self._index: GramIndex | None = None
        self._indexed = 0
        self._signature: tuple[Any, ...] | None = None
        self.revision = 0
        """Counts the changes seen: a lookup made at another revision is stale."""

    def refresh(self) -> bool:
        """Read what changed in the project since the last call; whether anything did."""
        with self._lock:
            signature = _signature(self.project)
            if signature == self._signature:
                return False
            old = self._signature
            if old is None or old[1:] != signature[1:] or signature[0] < old[0]:
                self._rebuild()
            else:
                self._update(int(old[0]))
            self._signature = signature
            self.revision += 1
            return True

    def _rebuild(self) -> None:
        neighbours = _neighbours(self.project)
        units = [_unit(i, row, neighbours) for i, row in enumerate(_done_rows(self.project))]
        self._units = list(units)
        self._by_ref = {u.ref: u.id for u in units if u.ref}
        self._by_key = {}
        for unit in units:
            self._by_key.setdefault(source_key(unit.source), []).append(unit.id)
        self._index = GramIndex.build((u.id, index_text(u.source)) for u in units) \
            if units else None
        self._indexed = len(units)

    def _update(self, since: int) -> None:
        changed = [r[0] for r in self.project.db.query(
            "SELECT DISTINCT segment_id FROM history WHERE seq > ?", (since,))]
        rows = {r[0]: r for r in _done_rows(self.project, changed)}
        neighbours = _neighbours(self.project, {r[1] for r in rows.values()})
        for segment_id in changed:
            position = self._by_ref.get(segment_id)
            row = rows.get(segment_id)
            if row is None:
                if position is not None:
                    self._units[position] = None     # no longer done
                continue
            if position is None:
                position = len(self._units)
                self._units.append(None)
                self._by_ref[segment_id] = position
                self._by_key.setdefault(source_key(row[3]), []).append(position)
            self._units[position] = _unit(position, row, neighbours)
        if len(self._units) - self._indexed > REBUILD_AFTER:
            self._rebuild()

    # The pool, as of the last `refresh` (a lookup refreshes once, then asks these).
    def exact(self, key: int, context: tuple[int, int], limit: int) -> list[Unit]:
        with self._lock:
            found = [u for i in self._by_key.get(key, ()) if (u := self._units[i]) is not None]
        found.sort(key=lambda u: u.changed_at or "", reverse=True)
        found.sort(key=lambda u: (u.prev_key, u.next_key) == context, reverse=True)
        return found[:limit]

    def units(self, ids: Iterable[int]) -> list[Unit]:
        with self._lock:
            return [u for i in ids if i < len(self._units) and (u := self._units[i]) is not None]

    def parts(self) -> list[GramIndex]:
        return [self._index] if self._index is not None else []

    def recent(self, without: str | None = None) -> list[Unit]:
        with self._lock:
            return [u for u in self._units[self._indexed:] if u is not None]

    def all(self) -> list[Unit]:
        """Every unit, in document order (those reviewed since the last read at the end)."""
        self.refresh()
        with self._lock:
            return [u for u in self._units if u is not None]


def mirror_project(store: MemoryStore, project: Project) -> int:
    """Bring the project's units in the user's memory up to date with its state (what its
    history holds since the last mirror); returns how many units were written or removed."""
    name = project_origin(project)
    top = int(project.db.scalar("SELECT coalesce(max(seq), 0) FROM history") or 0)
    known = next((o for o in store.origins().values() if o.name == name), None)
    if known is not None and known.synced == top:
        return 0
    with store.db.transaction() as tx:
        origin = store.origin(tx, name, "project")
        full = origin.synced == 0 or origin.synced > top
        if full:
            rows = _done_rows(project)
            done = {r[0] for r in rows}
            stale = [r[0] for r in tx.query(
                "SELECT ref FROM units WHERE origin = ? AND ref IS NOT NULL", (origin.id,))
                if r[0] not in done]
        else:
            changed = [r[0] for r in project.db.query(
                "SELECT DISTINCT segment_id FROM history WHERE seq > ?", (origin.synced,))]
            rows = _done_rows(project, changed)
            done = {r[0] for r in rows}
            stale = [i for i in changed if i not in done]
        written = _write(store, tx, origin, rows, project)
        for at in range(0, len(stale), 500):
            chunk = stale[at:at + 500]
            written += tx.execute(
                f"DELETE FROM units WHERE origin = ? AND ref IN ({', '.join('?' * len(chunk))})",
                (origin.id, *chunk))
        tx.execute("UPDATE origins SET synced = ? WHERE id = ?", (top, origin.id))
        store.touch(tx)
    return written


def _write(store: MemoryStore, tx: Any, origin: Origin, rows: Sequence[Sequence[Any]],
           project: Project) -> int:
    if not rows:
        return 0
    neighbours = _neighbours(project, {r[1] for r in rows})
    first = store.reserve_ids(tx, len(rows))
    values = []
    for i, row in enumerate(rows):
        unit = _unit(first + i, row, neighbours)
        values.append((unit.id, origin.id, unit.ref, source_key(unit.source),
                       pair_key(fold_key(unit.source), unit.target), unit.prev_key,
                       unit.next_key, unit.source, unit.target, unit.doc, unit.status,
                       unit.changed_by, unit.changed_at))
    tx.executemany(
        "INSERT INTO units (id, origin, ref, key, pair, prev_key, next_key, source, target, "
        "doc, status, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (origin, ref) WHERE ref IS NOT NULL DO UPDATE SET "
        "pair = excluded.pair, prev_key = excluded.prev_key, next_key = excluded.next_key, "
        "target = excluded.target, doc = excluded.doc, status = excluded.status, "
        "changed_by = excluded.changed_by, changed_at = excluded.changed_at", values)
    return len(values)
