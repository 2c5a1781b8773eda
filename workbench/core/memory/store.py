"""The user's translation memory: one SQLite file shared by every project, and its index.

It lives in `$XDG_DATA_HOME/workbench/` (`~/.local/share/workbench/` by default):
`memory.sqlite` holds the units (imported TMX files, and the reviewed segments of every
project opened, mirrored), `memory.index/` the fuzzy index in parts, each covering the
next run of unit ids. Units beyond the last part are few and searched one by one; past
`RECENT_LIMIT` of them a part is built for them. The database is in WAL mode, so two
workbenches read it while a third imports into it; every write is one transaction.

Unit ids are never reused (a high-water mark in `meta`), so an index part stays true of
the ids it covers: a unit deleted since only drops out when it is fetched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import MemoryStoreError, WorkbenchError
from workbench.core.memory.index import GramIndex, IndexBuilder, texts_path
from workbench.core.memory.text import index_text
from workbench.core.memory.units import Unit
from workbench.core.state import Migration, Row, StateDB, Transaction, describe_os_error, now
from workbench.core.state import open_sqlite as _open_sqlite

MEMORY_FILE = "memory.sqlite"
INDEX_DIR = "memory.index"
RECENT_LIMIT = 20_000
"""Units beyond the index that a lookup compares one by one; more are indexed first."""

MEMORY_MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001-memory", """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS origins (
    id {id},
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    penalty INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    synced INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY,
    origin INTEGER NOT NULL,
    ref TEXT,
    key INTEGER NOT NULL,
    pair INTEGER NOT NULL,
    prev_key INTEGER,
    next_key INTEGER,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    doc TEXT,
    status TEXT,
    changed_by TEXT,
    changed_at TEXT
);
CREATE INDEX IF NOT EXISTS units_key ON units (key);
CREATE UNIQUE INDEX IF NOT EXISTS units_ref ON units (origin, ref) WHERE ref IS NOT NULL
"""),
)

UNIT_COLUMNS = ("id, origin, ref, key, prev_key, next_key, source, target, doc, status, "
                "changed_by, changed_at")


def memory_folder() -> Path:
    """`$XDG_DATA_HOME/workbench`, or `~/.local/share/workbench` (XDG: an unset, empty or
    relative XDG_DATA_HOME means the default)."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else \
        Path.home() / ".local" / "share"
    return root / "workbench"


class MemoryDB(StateDB):
    """The memory's database: the state's connection and transactions, its own schema."""

    migrations = MEMORY_MIGRATIONS
    label = "translation memory"

    @classmethod
    def error_for(cls, exc: sqlite3.DatabaseError, path: Path | None) -> WorkbenchError:
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if name.startswith("SQLITE_BUSY") or "locked" in text:
            return MemoryStoreError(
                "the translation memory is busy (another workbench is writing to it)",
                path=path, hint="try again when that import is done.")
        if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or \
                "not a database" in text:
            return MemoryStoreError(
                f"the translation memory is damaged ({text})", path=path,
                hint="move the file aside (a new memory is started) and import your TMX "
                     "files again; projects add their reviewed segments when opened.")
        return MemoryStoreError(f"the translation memory cannot be used: {text}", path=path)


def _missing(db: StateDB) -> bool:
    """Whether the memory's migrations are not just those this workbench knows (missing
    ones are applied; one from a newer workbench is refused by `migrate`)."""
    return {m.name for m in MEMORY_MIGRATIONS} != set(db.applied_migrations())


@dataclass(frozen=True)
class Origin:
    """Where units came from: a TMX file (by name) or a project (by folder)."""

    id: int
    name: str
    kind: str
    penalty: int
    added_at: str
    synced: int
    """For a project: the last history entry of it mirrored here."""


class MemoryStore:
    """The memory database and its index; one may be shared by the threads of a workbench."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else memory_folder()
        try:
            (self.folder / INDEX_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise MemoryStoreError(f"cannot create the translation memory's folder: "
                                   f"{describe_os_error(exc)}", path=self.folder,
                                   hint="set XDG_DATA_HOME to a folder you can write.") from exc
        self.path = self.folder / MEMORY_FILE
        db = _open_sqlite(self.path, write=True, kind=MemoryDB)
        try:
            self.memory_id = self._prepare(db)
        except BaseException:
            db.close()
            raise
        self.db = db
        self._lock = threading.RLock()
        self._parts: list[GramIndex] = []
        self._parts_seen: tuple[tuple[str, int, int], ...] | None = None
        self._recent: tuple[int, int, list[Unit]] | None = None
        self._recent_without: tuple[int, int, str, list[Unit]] | None = None
        self._origins: tuple[int, dict[int, Origin]] | None = None

    def _prepare(self, db: StateDB) -> str:
        """Make the schema on first use and return the memory's id. Writes nothing when
        all is there: opening the memory while another workbench imports into it (holding
        its write lock for a while) only reads. Two first uses at once take turns."""
        if "migrations" in db.tables() and db.scalar(
                "SELECT count(*) FROM meta WHERE key IN ('memory_id', 'revision', "
                "'last_id')") == 3 and not _missing(db):
            return str(db.scalar("SELECT value FROM meta WHERE key = 'memory_id'"))
        fd = os.open(self.folder / "memory.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            db.migrate()
            with db.transaction() as tx:
                for key, value in (("memory_id", uuid.uuid4().hex), ("revision", "0"),
                                   ("last_id", "0")):
                    tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                               "ON CONFLICT (key) DO NOTHING", (key, value))
        finally:
            os.close(fd)
        return str(db.scalar("SELECT value FROM meta WHERE key = 'memory_id'"))

    @property
    def index_dir(self) -> Path:
        return self.folder / INDEX_DIR

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ bookkeeping
    def revision(self) -> int:
        """Counts the writes to the memory: a lookup made at another revision is stale."""
        return int(self.db.scalar("SELECT value FROM meta WHERE key = 'revision'") or 0)

    @staticmethod
    def touch(tx: Transaction) -> None:
        """Note a write (inside its transaction)."""
        tx.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                   "WHERE key = 'revision'")

    @staticmethod
    def reserve_ids(tx: Transaction, count: int) -> int:
        """The first of `count` new unit ids (never used before, even by a deleted unit)."""
        last = int(tx.scalar("SELECT value FROM meta WHERE key = 'last_id'") or 0)
        last = max(last, int(tx.scalar("SELECT coalesce(max(id), 0) FROM units") or 0))
        tx.execute("UPDATE meta SET value = ? WHERE key = 'last_id'", (str(last + count),))
        return last + 1

    def origins(self) -> dict[int, Origin]:
        revision = self.revision()
        cached = self._origins
        if cached is None or cached[0] != revision:
            found = {r[0]: Origin(*r) for r in self.db.query(
                "SELECT id, name, kind, penalty, added_at, synced FROM origins")}
            cached = self._origins = (revision, found)
        return cached[1]

    def origin(self, tx: Transaction, name: str, kind: str, penalty: int | None = None
               ) -> Origin:
        """The origin of that name, made if new; `penalty` (when given) is set on it."""
        tx.execute("INSERT INTO origins (name, kind, penalty, added_at) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (name) DO NOTHING", (name, kind, penalty or 0, now()))
        if penalty is not None:
            tx.execute("UPDATE origins SET penalty = ? WHERE name = ?", (penalty, name))
        row = tx.query_one("SELECT id, name, kind, penalty, added_at, synced FROM origins "
                           "WHERE name = ?", (name,))
        assert row is not None
        return Origin(*row)

    # ------------------------------------------------------------------ reading units
    def _unit(self, row: Row, origins: dict[int, Origin]) -> Unit:
        (unit_id, origin_id, ref, _key, prev_key, next_key, source, target, doc, status, by,
         at) = row
        origin = origins.get(origin_id)
        return Unit(unit_id, source, target, origin.name if origin else "?", doc, ref, None,
                    prev_key, next_key, status, by, at, origin.penalty if origin else 0)

    def exact(self, key: int, context: tuple[int, int], limit: int) -> list[Unit]:
        """Up to `limit` units whose source has this key (`source_key`): those with these
        neighbours (`context_key`s) first, then the newest."""
        origins = self.origins()
        return [self._unit(r, origins) for r in self.db.query(
            f"SELECT {UNIT_COLUMNS} FROM units WHERE key = ? ORDER BY "
            "(prev_key = ? AND next_key = ?) DESC, changed_at DESC, id DESC LIMIT ?",
            (key, *context, limit))]

    def units(self, ids: Iterable[int]) -> list[Unit]:
        """The units of these ids that still exist, in no particular order."""
        wanted = list(ids)
        origins = self.origins()
        found: list[Unit] = []
        for at in range(0, len(wanted), 500):
            chunk = wanted[at:at + 500]
            found.extend(self._unit(r, origins) for r in self.db.query(
                f"SELECT {UNIT_COLUMNS} FROM units WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk))
        return found

    def scan(self, needle: str, limit: int, *, after: int = 0) -> list[Unit]:
        """Units whose source holds `needle`, or whose target does in any case, newest
        first (a scan of the table: for what the index cannot narrow down)."""
        origins = self.origins()
        lowered = needle.lower()
        return [self._unit(r, origins) for r in self.db.query(
            f"SELECT {UNIT_COLUMNS} FROM units WHERE id > ? AND (instr(source, ?) > 0 OR "
            "instr(lower(target), ?) > 0) ORDER BY id DESC LIMIT ?",
            (after, needle, lowered, limit))]

    def count(self) -> int:
        return int(self.db.scalar("SELECT count(*) FROM units") or 0)

    def counts_by_origin(self) -> dict[int, int]:
        return dict(self.db.query("SELECT origin, count(*) FROM units GROUP BY origin"))

    def iter_units(self, origin: int | None = None, batch: int = 5000) -> Iterator[Unit]:
        """Every unit (of one origin), by id, read a batch at a time."""
        last = 0
        origins = self.origins()
        where = "" if origin is None else " AND origin = ?"
        while True:
            args: list[Any] = [last] + ([] if origin is None else [origin]) + [batch]
            rows = self.db.query(f"SELECT {UNIT_COLUMNS} FROM units WHERE id > ?{where} "
                                 "ORDER BY id LIMIT ?", args)
            if not rows:
                return
            for row in rows:
                yield self._unit(row, origins)
            last = rows[-1][0]

    # ------------------------------------------------------------------ the index
    def parts(self) -> list[GramIndex]:
        """The index parts on disk that belong to this memory and follow one another from
        the first unit; re-read when the folder changed."""
        with self._lock:
            listing = self._listing()
            if listing != self._parts_seen:
                self._parts = self._read_parts(listing)
                self._parts_seen = listing
            return list(self._parts)

    def covered(self) -> int:
        """The last unit id the index covers (0: none)."""
        parts = self.parts()
        return int(parts[-1].stamp["last"]) if parts else 0

    def _listing(self) -> tuple[tuple[str, int, int], ...]:
        try:
            entries = sorted(os.scandir(self.index_dir), key=lambda e: e.name)
        except OSError:
            return ()
        return tuple((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries
                     if e.name.startswith("part-") and e.name.endswith(".idx"))

    def _read_parts(self, listing: Sequence[tuple[str, int, int]]) -> list[GramIndex]:
        found = []
        for name, _, _ in listing:
            part = GramIndex.load(self.index_dir / name)
            if part is not None and part.stamp.get("memory") == self.memory_id:
                found.append(part)
        # Of two parts from one id (a part and the one that replaces it), the later wins.
        found.sort(key=lambda p: (int(p.stamp["first"]), -int(p.stamp["last"])))
        chain: list[GramIndex] = []
        last = 0
        for part in found:
            if int(part.stamp["first"]) == last + 1:
                chain.append(part)
                last = int(part.stamp["last"])
        return chain

    def recent(self, without: str | None = None) -> list[Unit]:
        """The units the index does not cover yet (compared one by one); none of the
        origin `without`."""
        if without is not None:
            kept = self._recent_without
            every = self.recent()
            cached = self._recent
            assert cached is not None
            if kept is None or kept[:3] != (cached[0], cached[1], without):
                kept = self._recent_without = (cached[0], cached[1], without,
                                               [u for u in every if u.origin != without])
            return kept[3]
        revision = self.revision()
        covered = self.covered()
        cached = self._recent
        if cached is None or cached[:2] != (revision, covered):
            origins = self.origins()
            units = [self._unit(r, origins) for r in self.db.query(
                f"SELECT {UNIT_COLUMNS} FROM units WHERE id > ? ORDER BY id LIMIT ?",
                (covered, RECENT_LIMIT + 1))]
            cached = self._recent = (revision, covered, units)
        return cached[2]

    @contextlib.contextmanager
    def index_lock(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the lock that one builder of index parts takes; yields False (holding
        nothing) when `wait` is False and another process holds it."""
        fd = os.open(self.index_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def save_part(self, builder: IndexBuilder, first: int, last: int) -> Path:
        """Finish `builder` (units `first`..`last`) and add it to the index: its texts
        first, then the part itself (what makes it count)."""
        path = self.index_dir / f"part-{first:012d}-{last:012d}-{uuid.uuid4().hex[:8]}.idx"
        part = builder.finish({"memory": self.memory_id, "first": first, "last": last},
                              texts_to=texts_path(path))
        part.save(path)
        return path

    def index_recent(self, *, force: bool = False) -> bool:
        """Index the units beyond the index when there are more than RECENT_LIMIT (or any,
        with `force`); False when another process is building the index right now."""
        with self.index_lock(wait=False) as held:
            if not held:
                return False
            covered = self.covered()
            top = int(self.db.scalar("SELECT coalesce(max(id), 0) FROM units") or 0)
            beyond = int(self.db.scalar("SELECT count(*) FROM units WHERE id > ?",
                                        (covered,)) or 0)
            if not beyond or (beyond <= RECENT_LIMIT and not force):
                return True
            builder = IndexBuilder(self.index_dir)
            for ids, texts in self._index_texts(covered):
                builder.add(ids, texts)
            self.save_part(builder, covered + 1, top)
        return True

    def _index_texts(self, after: int, batch: int = 20_000
                     ) -> Iterator[tuple[list[int], list[str]]]:
        last = after
        while True:
            rows = self.db.query("SELECT id, source FROM units WHERE id > ? ORDER BY id "
                                 "LIMIT ?", (last, batch))
            if not rows:
                return
            yield [r[0] for r in rows], [index_text(r[1]) for r in rows]
            last = rows[-1][0]

    def reindex(self) -> None:
        """Build the whole index again as one part (after many units were removed)."""
        with self.index_lock():
            top = int(self.db.scalar("SELECT coalesce(max(id), 0) FROM units") or 0)
            builder = IndexBuilder(self.index_dir)
            for ids, texts in self._index_texts(0):
                builder.add(ids, texts)
            old = [self.index_dir / name for name, _, _ in self._listing()]
            if top:
                self.save_part(builder, 1, top)
            for path in old:
                for stale in (path, texts_path(path)):
                    with contextlib.suppress(OSError):
                        stale.unlink()

    def remove_origin(self, name: str) -> int:
        """Delete the units of one origin and the origin; returns how many."""
        with self.db.transaction() as tx:
            row = tx.query_one("SELECT id FROM origins WHERE name = ?", (name,))
            if row is None:
                raise MemoryStoreError(f"no origin {name!r} in the translation memory",
                                       path=self.path,
                                       hint="`workbench tm stats` lists the origins.")
            removed = tx.execute("DELETE FROM units WHERE origin = ?", (row[0],))
            tx.execute("DELETE FROM origins WHERE id = ?", (row[0],))
            self.touch(tx)
        return removed
