"""The state database: ordered migrations, a newer state refused, thread-safe sharing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from workbench.core.batch import gc_paused
from workbench.core.errors import ProjectError
from workbench.core.ingest import sync
from workbench.core.project import STATE_DIR, STATE_FILE, Project
from workbench.core.state import MIGRATIONS, SCHEMA_VERSION


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
