"""The state database: ordered migrations, a newer state refused, thread-safe sharing."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.core.batch import gc_paused
from workbench.core.errors import ProjectError, ReadOnlyProject
from workbench.core.ingest import sync
from workbench.core.project import STATE_DIR, STATE_FILE, Project
from workbench.core.state import MIGRATIONS, SCHEMA_VERSION, state_error


def test_a_new_state_has_every_migration(demo_project: Path) -> None:
    with Project.open(demo_project) as project:
        assert project.db.applied_migrations() == sorted(m.name for m in MIGRATIONS)
        assert project.db.scalar("SELECT value FROM meta WHERE key = 'schema'") == \
            str(SCHEMA_VERSION)


def test_a_state_of_the_first_version_is_migrated(demo_project: Path) -> None:
    """A state written before migrations were recorded (meta schema 1, no version column)
    is brought up to date on open, its work kept."""
    state = demo_project / STATE_DIR
    state.mkdir()
    conn = sqlite3.connect(state / STATE_FILE)
    conn.executescript(MIGRATIONS[0].sql.format(id="INTEGER PRIMARY KEY AUTOINCREMENT"))
    conn.execute("INSERT INTO meta VALUES ('schema', '1')")
    conn.execute("INSERT INTO documents VALUES ('d', 'sources/d.txt', 'x', 'utf-8', 'plain', "
                 "'2025-01-01T00:00:00Z')")
    conn.execute("INSERT INTO segments (id, doc, ordinal, source, line_start, line_end, kind, "
                 "final, status) VALUES ('s1', 'd', 1, 'ロシア。', 1, 1, 'text', 'Russia.', "
                 "'reviewed')")
    conn.commit()
    conn.close()
    with Project.open(demo_project) as project:
        record = project.segment("s1")
        assert (record.final, record.status, record.version) == ("Russia.", "reviewed", 0)
        project.update("s1", final="Russia!")
        assert project.segment("s1").version == 1


def test_a_state_from_a_newer_workbench_is_refused(demo_project: Path) -> None:
    with Project.open(demo_project) as project, project.db.transaction() as tx:
        tx.execute("INSERT INTO migrations (name, applied_at) VALUES ('9999-future', 'x')")
    for write in (True, False):
        with pytest.raises(ProjectError, match="newer workbench"):
            Project.open(demo_project, write=write)


def test_a_state_of_an_older_workbench_is_not_read_as_it_is(demo_project: Path) -> None:
    with Project.open(demo_project) as project:
        sync(project)
        with project.db.transaction() as tx:
            tx.execute("DELETE FROM migrations WHERE name = ?", (MIGRATIONS[-1].name,))
    with pytest.raises(ProjectError, match="older than this workbench"):
        Project.open(demo_project, write=False)


def test_threads_share_one_project(demo_project: Path) -> None:
    """Writers in several threads on one Project: every change lands, none interleaves."""
    with Project.open(demo_project) as project:
        sync(project)
        records = project.segments()[:40]
        errors: list[BaseException] = []

        def work(chunk: list[str]) -> None:
            try:
                for seg_id in chunk:
                    project.update(seg_id, final=f"final {seg_id}", status="reviewed")
                    project.set_mt([(seg_id, "mt", "engine")])
            except BaseException as exc:  # reported below
                errors.append(exc)

        ids = [r.id for r in records]
        threads = [threading.Thread(target=work, args=(ids[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert all(project.segment(i).final == f"final {i}" for i in ids)
        assert len(project.history()) == 2 * len(ids)


def test_overlapping_gc_pauses_keep_the_collector_off_until_the_last_ends() -> None:
    import gc

    assert gc.isenabled()
    first = gc_paused()
    second = gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()   # the second pause is still running
    second.__exit__(None, None, None)
    assert gc.isenabled()


# ------------------------------------------------------------------ what an error means
def _raised(action: Callable[[], object]) -> sqlite3.DatabaseError:
    with pytest.raises(sqlite3.DatabaseError) as caught:
        action()
    return caught.value


def test_a_full_database_says_the_disk_is_full(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 2")
    exc = _raised(lambda: conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    error = state_error(exc, tmp_path / "s.sqlite")
    assert "the disk is full: the change was not saved" in str(error)
    assert "nothing already saved is lost" in str(error)


def test_a_read_only_database_says_so_and_what_still_works(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    error = state_error(_raised(lambda: conn.execute("INSERT INTO t VALUES (1)")), path)
    assert isinstance(error, ReadOnlyProject)
    assert "cannot be written (a read-only or immutable file or folder)" in str(error)
    assert "status, check, segment, export -o DIR" in str(error)


@pytest.mark.parametrize("content", [b"SQLite format 3\x00" + bytes(range(256)) * 40,
                                     b"this is not a database at all" * 100])
def test_only_a_damaged_state_is_called_damaged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(content)
    exc = _raised(lambda: sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall())
    error = str(state_error(exc, path))
    assert "the project state is damaged" in error
    assert "workbench state restore" in error and "workbench state rebuild" in error


def test_a_busy_state_is_busy_not_damaged(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    error = str(state_error(_raised(lambda: other.execute("BEGIN IMMEDIATE")), path))
    assert "busy" in error and "damaged" not in error
    holder.execute("ROLLBACK")


def test_an_io_error_names_its_cause_and_never_suggests_deleting(tmp_path: Path) -> None:
    exc = sqlite3.OperationalError("disk I/O error")
    exc.sqlite_errorname = "SQLITE_IOERR_WRITE"     # type: ignore[attr-defined]
    error = str(state_error(exc, tmp_path / "s.sqlite"))
    assert "could not be read or written: disk I/O error" in error
    assert "not damaged" in error and "rebuild" not in error and "ingest" not in error


def test_every_message_of_a_sound_state_keeps_it(tmp_path: Path) -> None:
    """No error of a sound state suggests moving it aside or starting over."""
    for name in ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_BUSY"):
        exc = sqlite3.OperationalError("some error")
        exc.sqlite_errorname = name     # type: ignore[attr-defined]
        text = str(state_error(exc, tmp_path / "s.sqlite"))
        assert "move it aside" not in text and "rebuild" not in text, name


def test_a_state_folder_that_cannot_be_written_is_read_only(demo_project: Path) -> None:
    """Its state is refused for writing (ReadOnlyProject, so the reading commands fall back
    to reading it) and still read; run as a user the folder's mode binds, SQLite cannot
    make its WAL index there either and the reader takes the state as it stands. (The
    fault suite does the same on a read-only mount.)"""
    with Project.open(demo_project) as project:
        sync(project)
        count = len(project.segments())
    state_dir = demo_project / STATE_DIR
    real_access = os.access

    def read_only(path: object, mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).resolve() == state_dir.resolve():
            return False
        return real_access(path, mode, **kwargs)   # type: ignore[arg-type]

    for extra in ("-wal", "-shm"):
        (state_dir / (STATE_FILE + extra)).unlink(missing_ok=True)
    os.chmod(state_dir, 0o555)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "access", read_only)
            with pytest.raises(ReadOnlyProject):
                Project.open(demo_project)
            with Project.open(demo_project, write=False) as project:
                assert len(project.segments()) == count
    finally:
        os.chmod(state_dir, 0o755)
