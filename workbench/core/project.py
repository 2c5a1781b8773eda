"""A project folder and its state: segments, translations, review status and history.

A project is any folder holding `sources/`, `glossary/` and `aligned/`. Its state lives in
`.workbench/state.sqlite` (see `workbench.core.state`) beside a lock file that keeps a second
writer out while a workbench has the project open; or, when `workbench.toml` names one, in a
PostgreSQL database that many workbenches write at once (`workbench.core.state_pg`), with
no lock: every reviewer's write is conditional on the version they saw (`Conflict`). A
`Project` may be shared by the threads of one workbench: every call goes through the state's
lock.
"""

from __future__ import annotations

import getpass
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core import backups
from workbench.core.atomic import atomic_write_text
from workbench.core.changes import CHANNEL, Change, ChangeFeed, Conflict
from workbench.core.errors import ProjectError
from workbench.core.lock import ProjectLock
from workbench.core.records import (
    DONE_STATUSES,
    RECORD_FIELDS,
    STATUSES,
    HistoryEntry,
    Segment,
    SegmentRecord,
)
from workbench.core.segment import document_name
from workbench.core.settings import Settings, read_settings
from workbench.core.state import (
    MIGRATIONS,
    StateDB,
    describe_os_error,
    now,
    open_sqlite,
    project_os_error,
)


class _Clear:
    """The type of CLEAR."""

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = _Clear()
"""Passed as `final` to `Project.update`: the segment has no final translation any more."""

STATE_DIR = ".workbench"
STATE_FILE = "state.sqlite"
LOCK_FILE = "lock"
SOURCE_SUFFIX = ".txt"

PROJECT_FOLDERS: tuple[str, ...] = ("sources", "glossary", "aligned")
"""The folders that make a folder a project (sources/ alone is enough to be found)."""

_COLUMNS = ", ".join((*RECORD_FIELDS, "version"))
"""The columns of a segment record, in the order `_record` reads them."""
_SEGMENT_SIZE = 7


def _record(row: Sequence[Any]) -> SegmentRecord:
    # _COLUMNS lists Segment's fields, then the record's own, in their declared order.
    return SegmentRecord(Segment(*row[:_SEGMENT_SIZE]), *row[_SEGMENT_SIZE:])


def current_user() -> str:
    """Who is reviewing: $WORKBENCH_USER, else the login name."""
    user = os.environ.get("WORKBENCH_USER")
    if user:
        return check_user(user)
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (containers): still attribute the change
        return "unknown"


def check_user(name: str) -> str:
    """A reviewer's name as given (`--user`, $WORKBENCH_USER), or a ProjectError: it is
    stored with every change and shown in lists, so it is one short printable line."""
    if not name.strip() or len(name) > 64 or not name.isprintable():
        raise ProjectError(f"not a usable reviewer name: {name!r}",
                           hint="give a short name on one line, e.g. --user alice.")
    return name.strip()


@dataclass(frozen=True)
class DocumentInfo:
    """A document of the project with its segment counts by status."""

    name: str
    path: str
    encoding: str | None
    layout: str
    segments: int
    by_status: dict[str, int]
    sha256: str = ""

    @property
    def done(self) -> int:
        return sum(n for s, n in self.by_status.items() if s in DONE_STATUSES)

    @property
    def percent_done(self) -> float:
        return 100.0 * self.done / self.segments if self.segments else 0.0


def init_project(root: Path) -> list[Path]:
    """Make `root` a project folder: create whichever of sources/, glossary/ and aligned/
    is missing (and `root` itself). Nothing that exists is touched; returns what was made.
    A folder inside another project is refused: its commands would find that project."""
    found = find_root(root)
    if found is not None and found != root.resolve():
        raise ProjectError(f"is inside the project {found}", path=root.resolve(),
                           hint="workbench commands run here already work on that project; "
                                "give init a folder outside it for a new one.")
    made = []
    for name in PROJECT_FOLDERS:
        folder = root / name
        if not folder.is_dir():
            try:
                folder.mkdir(parents=True)
            except OSError as exc:
                raise ProjectError(f"cannot create {name}/: {describe_os_error(exc)}",
                                   path=root) from exc
            made.append(folder)
    return made


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` that is a project (has sources/)."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "sources").is_dir():
            return folder
    return None


def take_lock(root: Path) -> ProjectLock:
    """Take the write lock of the SQLite project at `root` (its folder found already),
    making its `.workbench/` folder if need be. A project that cannot be written is
    ReadOnlyProject (commands that only read open it without the lock); a locked one is
    ProjectLocked."""
    state_dir = root / STATE_DIR
    try:
        prepare_state_dir(root, state_dir)
    except OSError as exc:
        raise project_os_error(exc, state_dir, "cannot write the project state") from exc
    lock = ProjectLock(state_dir / LOCK_FILE)
    try:
        lock.acquire(root)
    except OSError as exc:
        raise project_os_error(exc, state_dir / LOCK_FILE,
                               "cannot take the project lock") from exc
    return lock


class Project:
    """An open project: the folder, its state and (when writable) its lock."""

    def __init__(self, root: Path, db: StateDB, lock: ProjectLock | None,
                 settings: Settings | None = None, user: str | None = None) -> None:
        self.root = root
        self.db = db
        self._lock = lock
        self.settings = settings or Settings()
        self.user = user or current_user()
        """Who this workbench's changes are by (`--user`, $WORKBENCH_USER, the login)."""

    # ------------------------------------------------------------------ opening
    @classmethod
    def open(cls, root: Path | str = ".", *, write: bool = True,
             user: str | None = None) -> Project:
        """Open the project at `root` (or the nearest one above it), its changes by `user`.

        The one place the state's backend is chosen: PostgreSQL when workbench.toml names a
        URL (no lock: many workbenches write at once), else SQLite in `.workbench/`.
        `write=True` takes the SQLite project's lock (a second writer gets ProjectLocked
        naming the pid of the first), brings the state's schema up to date and backs it up
        when the last backup is old. `write=False` reads the state without locking (WAL lets
        it read while another workbench writes) and never creates anything.
        """
        path = Path(root)
        found = find_root(path)
        if found is None:
            raise ProjectError(
                "not a workbench project (no sources/ folder here or above)", path=path.resolve(),
                hint="`workbench init` makes this folder a project; then put Japanese .txt "
                     "files in sources/.")
        settings = read_settings(found)
        user = check_user(user) if user is not None else current_user()
        if settings.state_url is not None:
            return cls(found, _open_shared_state(settings.state_url, write), None, settings,
                       user)
        db_path = found / STATE_DIR / STATE_FILE
        if not write:
            backups.refuse_emptied_state(found, db_path)
            db = open_sqlite(db_path, write=False)
            try:
                _check_readable(db)
            except BaseException:
                db.close()
                raise
            return cls(found, db, None, settings, user)
        return cls.open_locked(found, take_lock(found), settings=settings, user=user)

    @classmethod
    def open_locked(cls, root: Path, lock: ProjectLock, *, new_state: bool = False,
                    settings: Settings | None = None, user: str | None = None) -> Project:
        """Open for writing the SQLite project at `root` whose lock the caller took
        (`take_lock`); the project owns the lock from here and releases it on close, or on
        a failure here.

        `new_state` takes a missing state as a new project even when aligned/ holds reviewed
        work: for `workbench state rebuild`, which moved the old one aside itself.
        """
        db_path = root / STATE_DIR / STATE_FILE
        try:
            if not new_state:
                backups.refuse_emptied_state(root, db_path)
            db = open_sqlite(db_path, write=True)
            try:
                db.migrate()
            except BaseException:
                db.close()
                raise
        except BaseException:
            lock.release()
            raise
        project = cls(root, db, lock, settings or read_settings(root),
                      user if user is not None else current_user())
        backups.backup_if_due(project.db, root / STATE_DIR)
        return project

    @property
    def writable(self) -> bool:
        return self.db.writable

    @property
    def shared(self) -> bool:
        """Whether other workbenches may write this project while this one has it open."""
        return self.settings.shared

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def glossary_dir(self) -> Path:
        return self.root / "glossary"

    @property
    def aligned_dir(self) -> Path:
        return self.root / "aligned"

    # ------------------------------------------------------------------ documents
    def source_files(self) -> list[Path]:
        """The documents of the project: `sources/*.txt`, sorted by name."""
        return sorted(p for p in self.sources_dir.glob(f"*{SOURCE_SUFFIX}")
                      if p.is_file() or p.is_symlink())

    def document_rows(self) -> dict[str, DocumentInfo]:
        """The documents table alone (no counts), by name: what ingest compares with."""
        return {r[0]: DocumentInfo(r[0], r[1], r[3], r[4], 0, {}, r[2]) for r in self.db.query(
            "SELECT name, path, sha256, encoding, layout FROM documents")}

    def documents(self) -> list[DocumentInfo]:
        """Every document in the state with its active segments counted by status."""
        counts: dict[str, Counter[str]] = {}
        for doc, status, n in self.db.query(
                "SELECT doc, status, count(*) FROM segments WHERE active = 1 "
                "GROUP BY doc, status"):
            counts.setdefault(doc, Counter())[status] = n
        docs = []
        for name, path, sha, encoding, layout in self.db.query(
                "SELECT name, path, sha256, encoding, layout FROM documents ORDER BY name"):
            by_status = counts.get(name, Counter())
            docs.append(DocumentInfo(name, path, encoding, layout, sum(by_status.values()),
                                     {s: by_status.get(s, 0) for s in STATUSES}, sha))
        return docs

    def resolve_document(self, ref: str) -> str:
        """A document name from what a user typed: a name, a file name, a path, or a
        unique prefix of a name."""
        names = [d.name for d in self.documents()]
        for path in self.source_files():
            if document_name(path) not in names:
                names.append(document_name(path))
        candidate = document_name(Path(ref))
        for wanted in (ref, candidate):
            if wanted in names:
                return wanted
        prefixed = [n for n in names if n.startswith(ref)]
        if len(prefixed) == 1:
            return prefixed[0]
        known = ", ".join(sorted(names)) or "none yet (put .txt files in sources/)"
        what = f"{ref!r} names several documents" if prefixed else \
            f"no document {ref!r} in the project"
        raise ProjectError(what, path=self.root, hint=f"documents: {known}")

    def document_source(self, ref: str) -> Path:
        """The source file of a document named as `resolve_document` takes it."""
        name = self.resolve_document(ref)
        known = self.document_rows().get(name)
        if known is not None:
            return self.root / known.path
        for path in self.source_files():
            if document_name(path) == name:
                return path
        raise ProjectError(f"no source file for {name!r}", path=self.sources_dir)

    def store_document(self, name: str, rel_path: str, sha256: str, encoding: str | None,
                       layout: str, segments: Sequence[Segment]
                       ) -> tuple[list[str], list[SegmentRecord]]:
        """Make `segments` the active segments of document `name`; return the ids added and
        the records dropped (kept inactive, work and all, never deleted)."""
        with self.db.transaction() as tx:
            old = {r[0]: (r[-1], _record(r[:-1])) for r in tx.query(
                f"SELECT {_COLUMNS}, active FROM segments WHERE doc = ?", (name,))}
            new_ids = {s.id for s in segments}
            added = [s.id for s in segments if s.id not in old or not old[s.id][0]]
            dropped = [rec for i, (active, rec) in old.items() if active and i not in new_ids]
            tx.execute("UPDATE segments SET active = 0 WHERE doc = ?", (name,))
            tx.executemany(
                "INSERT INTO segments (id, doc, ordinal, source, line_start, line_end, kind, "
                "active) VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET "
                "ordinal = excluded.ordinal, line_start = excluded.line_start, "
                "line_end = excluded.line_end, kind = excluded.kind, active = 1",
                [(s.id, s.doc, s.ordinal, s.source, s.line_start, s.line_end, s.kind)
                 for s in segments])
            tx.execute(
                "INSERT INTO documents (name, path, sha256, encoding, layout, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "path = excluded.path, sha256 = excluded.sha256, encoding = excluded.encoding, "
                "layout = excluded.layout, ingested_at = excluded.ingested_at",
                (name, rel_path, sha256, encoding, layout, now()))
        return added, dropped

    def retire_document(self, name: str) -> list[SegmentRecord]:
        """Set aside a document whose source file is gone (its segments stay, inactive, and
        an ingest of the same text brings them back with their work); return them."""
        with self.db.transaction() as tx:
            dropped = [_record(r) for r in tx.query(
                f"SELECT {_COLUMNS} FROM segments WHERE doc = ? AND active = 1 "
                "ORDER BY ordinal", (name,))]
            tx.execute("UPDATE segments SET active = 0 WHERE doc = ?", (name,))
            tx.execute("DELETE FROM documents WHERE name = ?", (name,))
        return dropped

    def active_count(self, doc: str) -> int:
        return int(self.db.scalar(
            "SELECT count(*) FROM segments WHERE doc = ? AND active = 1", (doc,)) or 0)

    # ------------------------------------------------------------------ reading
    def segments(self, doc: str | None = None, *, statuses: Iterable[str] | None = None
                 ) -> list[SegmentRecord]:
        """Active segments in document order (all documents when `doc` is None)."""
        sql = f"SELECT {_COLUMNS} FROM segments WHERE active = 1"
        args: list[Any] = []
        if doc is not None:
            sql += " AND doc = ?"
            args.append(doc)
        if statuses is not None:
            wanted = list(statuses)
            sql += f" AND status IN ({', '.join('?' * len(wanted))})"
            args.extend(wanted)
        sql += " ORDER BY doc, ordinal"
        return [_record(row) for row in self.db.query(sql, args)]

    def records(self, segment_ids: Iterable[str]) -> list[SegmentRecord]:
        """The segments with these ids as the state holds them now (unknown ids left out),
        e.g. the ones a change feed announced."""
        found: list[SegmentRecord] = []
        for chunk in _chunks(list(dict.fromkeys(segment_ids)), 500):
            found += [_record(r) for r in self.db.query(
                f"SELECT {_COLUMNS} FROM segments WHERE id IN ({', '.join('?' * len(chunk))})",
                chunk)]
        return found

    def changes(self) -> ChangeFeed:
        """A subscription to the segment writes of other workbenches (`core.changes`)."""
        return ChangeFeed(self.db.listen(CHANNEL), self.db.session_id)

    def every_segment(self, doc: str) -> list[tuple[SegmentRecord, bool]]:
        """Every segment the state holds for a document, set-aside ones (their source
        sentence changed or was removed) too, each with whether it is active."""
        return [(_record(r[:-1]), bool(r[-1])) for r in self.db.query(
            f"SELECT {_COLUMNS}, active FROM segments WHERE doc = ? ORDER BY ordinal", (doc,))]

    def segment(self, segment_id: str) -> SegmentRecord:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM segments WHERE id = ?", (segment_id,))
        if row is None:
            raise ProjectError(f"no segment with id {segment_id}", path=self.root)
        return _record(row)

    def history(self, segment_id: str | None = None) -> list[HistoryEntry]:
        """Recorded changes, oldest first; of one segment or of the whole project."""
        sql = "SELECT seq, segment_id, field, old, new, by, at, origin FROM history"
        if segment_id is None:
            rows = self.db.query(sql + " ORDER BY seq")
        else:
            rows = self.db.query(sql + " WHERE segment_id = ? ORDER BY seq", (segment_id,))
        return [HistoryEntry(*r) for r in rows]

    # ------------------------------------------------------------------ writing
    def update(self, segment_id: str, *, final: str | _Clear | None = None,
               status: str | None = None, by: str | None = None, origin: str = "cli",
               expected_version: int | None = None) -> SegmentRecord:
        """Set a segment's final translation and/or status, recording both in the history.

        With `expected_version` (the version the writer read), a segment another reviewer
        changed since is not overwritten: `Conflict` is raised with both texts. Committed
        (and synced to disk) before it returns.
        """
        expected = None if expected_version is None else {segment_id: expected_version}
        return self.update_many([(segment_id, final, status)], by=by, origin=origin,
                                expected=expected)[0]

    def update_many(self, changes: Iterable[tuple[str, str | _Clear | None, str | None]], *,
                    by: str | None = None, origin: str = "cli",
                    expected: Mapping[str, int] | None = None) -> list[SegmentRecord]:
        """Apply (id, final, status) changes in one transaction.

        None leaves a field alone; `CLEAR` as the final removes it (the segment has no
        final translation again, as after an undo of its first accept). An empty string
        is a final translation like any other: the reviewer says it translates to nothing.
        A segment named in `expected` is written only if its version is still the one
        given there; otherwise `Conflict` is raised and nothing of the batch is written.
        Each write is announced on the change feed when it commits.
        """
        who = by or self.user
        at = now()
        out = []
        with self.db.transaction() as tx:
            for segment_id, final, status in changes:
                if status is not None and status not in STATUSES:
                    raise ProjectError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
                wanted = None if expected is None else expected.get(segment_id)
                while True:
                    row = tx.query_one(f"SELECT {_COLUMNS} FROM segments WHERE id = ?",
                                       (segment_id,))
                    if row is None:
                        raise ProjectError(f"no segment with id {segment_id}", path=self.root)
                    record = _record(row)
                    new_final = None if isinstance(final, _Clear) else \
                        record.final if final is None else final
                    history: list[tuple[str, str | None, str | None]] = []
                    if new_final != record.final:
                        history.append(("final", record.final, new_final))
                    if status is not None and status != record.status:
                        history.append(("status", record.status, status))
                    if not history:
                        break       # already as asked: nothing to overwrite
                    if wanted is not None and record.version != wanted:
                        raise Conflict(record, wanted, final if isinstance(final, str) else None,
                                       status)
                    # conditional on the version just read: on PostgreSQL another workbench
                    # may commit between the read and this write; then read it again
                    row = tx.query_one(
                        "UPDATE segments SET final = ?, status = coalesce(?, status), "
                        "updated_by = ?, updated_at = ?, version = version + 1 "
                        f"WHERE id = ? AND version = ? RETURNING {_COLUMNS}",
                        (new_final, status, who, at, segment_id, record.version))
                    if row is None:
                        continue
                    record = _record(row)
                    tx.executemany(
                        "INSERT INTO history (segment_id, field, old, new, by, at, origin) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(segment_id, f, o, n, who, at, origin) for f, o, n in history])
                    tx.notify(CHANNEL, Change(record.id, record.doc, record.version, who,
                                              origin).payload())
                    break
                out.append(record)
        return out

    def set_mt(self, rows: Iterable[tuple[str, str, str]]) -> int:
        """Store machine translations as (segment id, text, engine id).

        The normalized text of those segments becomes stale (cleared) since it derives
        from the MT.
        """
        data = list(rows)
        with self.db.transaction() as tx:
            tx.executemany(
                "UPDATE segments SET mt = ?, mt_engine = ?, normalized = NULL, "
                "normalized_glossary = NULL WHERE id = ?", [(t, e, i) for i, t, e in data])
        return len(data)

    def set_normalized(self, rows: Iterable[tuple[str, str]], glossary_fingerprint: str) -> int:
        """Store glossary-enforced translations as (segment id, text) for one glossary version."""
        data = [(text, glossary_fingerprint, i) for i, text in rows]
        with self.db.transaction() as tx:
            tx.executemany(
                "UPDATE segments SET normalized = ?, normalized_glossary = ? WHERE id = ?", data)
        return len(data)

    def stale_normalized(self, glossary_fingerprint: str) -> list[SegmentRecord]:
        """Active segments whose normalized text is missing or made with another glossary."""
        return [_record(r) for r in self.db.query(
            f"SELECT {_COLUMNS} FROM segments WHERE active = 1 AND "
            "(normalized IS NULL OR normalized_glossary IS DISTINCT FROM ?) "
            "ORDER BY doc, ordinal", (glossary_fingerprint,))]

    # ------------------------------------------------------------------ MT cache
    def cached_mt(self, sources: Iterable[str], engine: str) -> dict[str, str]:
        """Translations already made by `engine` for these source texts."""
        wanted = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        for chunk in _chunks(wanted, 500):
            rows = self.db.query(
                f"SELECT source, mt FROM mt_cache WHERE engine = ? AND source IN "
                f"({', '.join('?' * len(chunk))})", [engine, *chunk])
            found.update(dict(rows))
        return found

    def cache_mt(self, pairs: Iterable[tuple[str, str]], engine: str) -> None:
        """Remember (source text, translation) pairs made by `engine`."""
        at = now()
        with self.db.transaction() as tx:
            tx.executemany(
                "INSERT INTO mt_cache (source, engine, mt, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (source, engine) DO UPDATE SET mt = excluded.mt, "
                "created_at = excluded.created_at",
                [(s, engine, t, at) for s, t in pairs])


def source_path(ref: str, start: Path) -> Path:
    """A file as given (a path that exists, or names a .txt), else the source file of the
    document `ref` names in the project at or above `start` (`Project.resolve_document`)."""
    candidate = Path(ref)
    if candidate.exists() or candidate.suffix == ".txt" or "/" in ref:
        return candidate
    root = find_root(start)
    if root is None:
        raise ProjectError("no such file, and no project here to look the name up in",
                           path=candidate)
    with Project.open(root, write=False) as project:
        return project.document_source(ref)


def prepare_state_dir(root: Path, state_dir: Path) -> None:
    """Make `.workbench/` (git-ignored) and any missing project folder."""
    state_dir.mkdir(exist_ok=True)
    ignore = state_dir / ".gitignore"
    if not ignore.exists():     # the state is the workbench's own: never committed
        atomic_write_text(ignore, "*\n")
    for sub in PROJECT_FOLDERS:
        (root / sub).mkdir(exist_ok=True)


def _open_shared_state(url: str, write: bool) -> StateDB:
    """The PostgreSQL state (psycopg is imported only here), migrated when written."""
    from workbench.core.state_pg import open_postgres

    db = open_postgres(url, write=write)
    try:
        if write:
            db.migrate()
        else:
            _check_readable(db)
    except BaseException:
        db.close()
        raise
    return db


def _check_readable(db: StateDB) -> None:
    """A state read without writing must already have every migration this workbench knows
    (a reader changes nothing): one from a newer workbench, or an older one, is refused
    with what to do."""
    if db.path is None and db.dialect == "sqlite":
        return      # no state yet: an empty one in memory
    applied = set(db.applied_migrations())
    known = {m.name for m in MIGRATIONS}
    if applied - known:
        raise ProjectError("the project state was written by a newer workbench", path=db.path,
                           hint="upgrade workbench to read this project.")
    if known - applied:
        raise ProjectError("the project state is older than this workbench", path=db.path,
                           hint="run a command that writes (e.g. `workbench ingest`) once to "
                                "bring it up to date.")


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


RECORD_COLUMNS = _COLUMNS
"""The columns of a segment record in `segments`, in the order `record_from_row` reads."""


def record_from_row(row: Sequence[Any]) -> SegmentRecord:
    """A segment record from a row of RECORD_COLUMNS (for modules that write segments in
    their own transactions: segment repairs)."""
    return _record(row)


def segment_to_record(segment: Segment) -> SegmentRecord:
    """A fresh record for a segment that is not in any state yet (for previews and tests)."""
    return SegmentRecord(segment)
