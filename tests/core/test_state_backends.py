"""One contract, every state backend: each test runs on SQLite and on PostgreSQL (when
$WORKBENCH_TEST_PG names a server; `. .ci/postgres start` makes a throwaway one)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from projects import use_backend

from workbench.core.errors import ProjectError
from workbench.core.exchange import export_documents
from workbench.core.ingest import sync
from workbench.core.project import CLEAR, Conflict, Project
from workbench.core.relocate import move_state
from workbench.core.state import MIGRATIONS, SCHEMA_VERSION
from workbench.core.state_copy import copy_state, summarize
from workbench.core.state_pg import to_pyformat
from workbench.core.team import assign, mine, progress


def worked(root: Path) -> list[str]:
    """Ingest the project and give it work of every kind; the ids of its first document."""
    with Project.open(root, user="alice") as project:
        sync(project)
        records = project.segments()
        ids = [r.id for r in records]
        project.set_mt([(i, f"MT {n} ‘quoted’ 100% ?", "echo") for n, i in enumerate(ids)])
        project.update_many([(i, f"final {n}\nline two ? %s", "reviewed" if n % 3 else "draft")
                             for n, i in enumerate(ids[:60])])
        project.update(ids[1], final="", status="approved", by="bob")
        project.update(ids[2], final=CLEAR)
        project.set_normalized([(i, f"norm {i}") for i in ids[:10]], "g1")
        project.cache_mt([("東京", "Tokyo"), ("大阪", "Osaka")], "echo")
        assign(project, records[0].doc, 1, 20, "alice")
        assign(project, records[0].doc, 10, None, "bob")
        return [r.id for r in records if r.doc == records[0].doc]


def exports(root: Path, out: Path) -> dict[str, bytes]:
    with Project.open(root, write=False) as project:
        export_documents(project, None, ["txt", "tmx", "jsonl", "xlsx"], include_all=True,
                         out_dir=out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# ---------------------------------------------------------------------------- schema
def test_every_migration_applies_and_is_recorded(demo_on_backend: Path) -> None:
    with Project.open(demo_on_backend) as project:
        db = project.db
        assert db.applied_migrations() == sorted(m.name for m in MIGRATIONS)
        assert db.scalar("SELECT value FROM meta WHERE key = 'schema'") == str(SCHEMA_VERSION)
        assert {"segments", "history", "documents", "mt_cache", "meta", "migrations",
                "assignments"} <= db.tables()
        assert ("version", "integer") in db.columns("segments")
    with Project.open(demo_on_backend) as project:     # nothing applied twice
        assert project.db.scalar("SELECT count(*) FROM migrations") == len(MIGRATIONS)


def test_a_state_from_a_newer_workbench_is_refused(demo_on_backend: Path) -> None:
    with Project.open(demo_on_backend) as project, project.db.transaction() as tx:
        tx.execute("INSERT INTO migrations (name, applied_at) VALUES ('9999-future', 'x')")
    for write in (True, False):
        with pytest.raises(ProjectError, match="newer workbench"):
            Project.open(demo_on_backend, write=write)


def test_a_failed_transaction_leaves_nothing(demo_on_backend: Path) -> None:
    with Project.open(demo_on_backend) as project:
        sync(project)
        first = project.segments()[0]
        with pytest.raises(ProjectError, match="unknown status"):
            project.update_many([(first.id, "kept?", "reviewed"), (first.id, None, "bogus")])
        assert project.segment(first.id).final is None
        assert project.history() == []


# ---------------------------------------------------------------------------- project
def test_the_project_operations_give_the_same_state(demo_on_backend: Path) -> None:
    ids = worked(demo_on_backend)
    with Project.open(demo_on_backend, write=False) as project:
        records = {r.id: r for r in project.segments()}
        assert records[ids[0]].final == "final 0\nline two ? %s"
        assert (records[ids[1]].final, records[ids[1]].status, records[ids[1]].updated_by) \
            == ("", "approved", "bob")
        assert records[ids[2]].final is None and records[ids[2]].version == 2
        assert records[ids[3]].mt == "MT 3 ‘quoted’ 100% ?"
        assert len(project.history()) == 60 * 2 + 2 + 1
        assert [h.field for h in project.history(ids[1])] == ["final", "status", "final",
                                                             "status"]
        assert len(project.stale_normalized("g1")) == len(records) - 10
        assert project.cached_mt(["東京", "京都"], "echo") == {"東京": "Tokyo"}
        docs = project.documents()
        assert [d.name for d in docs] == sorted(d.name for d in docs)
        assert sum(d.segments for d in docs) == len(records)
        assert project.records([ids[5], "nope", ids[4]])[0].id in (ids[4], ids[5])


def test_reingest_keeps_work_and_a_removed_document_comes_back(demo_on_backend: Path) -> None:
    ids = worked(demo_on_backend)
    with Project.open(demo_on_backend) as project:
        doc = project.segment(ids[0]).doc
        source = project.document_source(doc)
        text = source.read_text(encoding="utf-8")
        source.unlink()
        sync(project)
        assert all(r.doc != doc for r in project.segments())
        source.write_text(text, encoding="utf-8")
        sync(project)
        assert project.segment(ids[0]).final == "final 0\nline two ? %s"


def test_threads_share_one_project(demo_on_backend: Path) -> None:
    with Project.open(demo_on_backend) as project:
        sync(project)
        ids = [r.id for r in project.segments()[:24]]
        errors: list[BaseException] = []

        def work(chunk: list[str]) -> None:
            try:
                for seg_id in chunk:
                    project.update(seg_id, final=f"final {seg_id}", status="reviewed")
                    project.set_mt([(seg_id, "mt", "engine")])
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(ids[i::3],)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert all(project.segment(i).final == f"final {i}" for i in ids)


# ---------------------------------------------------------------------------- conflicts
def test_a_stale_write_is_refused_with_both_texts(demo_on_backend: Path) -> None:
    with Project.open(demo_on_backend, user="alice") as alice:
        sync(alice)
        seen = alice.segments()[0]
        with Project.open(demo_on_backend, write=False) as reader:
            assert reader.segment(seen.id).version == seen.version
        theirs = alice.update(seen.id, final="Bob's text", status="reviewed", by="bob",
                              expected_version=seen.version)
        assert theirs.version == seen.version + 1
        with pytest.raises(Conflict) as caught:
            alice.update(seen.id, final="Alice's text", expected_version=seen.version)
        conflict = caught.value
        assert (conflict.mine_final, conflict.theirs.final, conflict.theirs.updated_by) == \
            ("Alice's text", "Bob's text", "bob")
        assert "Alice's text" in str(conflict) and "Bob's text" in str(conflict)
        assert alice.segment(seen.id).final == "Bob's text"
        assert len(alice.history(seen.id)) == 2
        # the same text as theirs is no conflict: nothing would be overwritten
        assert alice.update(seen.id, final="Bob's text",
                            expected_version=seen.version).version == theirs.version
        # written on their version, it lands
        assert alice.update(seen.id, final="merged", expected_version=theirs.version
                            ).final == "merged"


def test_a_conflict_in_a_batch_writes_nothing_of_it(demo_on_backend: Path) -> None:
    with Project.open(demo_on_backend) as project:
        sync(project)
        a, b = project.segments()[:2]
        project.update(b.id, final="theirs", by="bob")
        with pytest.raises(Conflict):
            project.update_many([(a.id, "mine a", "reviewed"), (b.id, "mine b", None)],
                                expected={a.id: a.version, b.id: b.version})
        assert project.segment(a.id).final is None
        assert project.segment(b.id).final == "theirs"


# ---------------------------------------------------------------------------- team
def test_assignments_mine_and_progress(demo_on_backend: Path) -> None:
    ids = worked(demo_on_backend)
    with Project.open(demo_on_backend, user="alice") as project:
        assert [r.id for r in mine(project)] == ids[:9]
        assert [r.ordinal for r in mine(project, "bob")][:2] == [10, 11]
        doc = project.segment(ids[0]).doc
        assign(project, doc, 5, 5, None)
        assert [r.ordinal for r in mine(project)] == [1, 2, 3, 4, 6, 7, 8, 9]
        by = {p.reviewer: p for p in progress(project)}
        assert by["alice"].assigned == 8 and by["bob"].assigned == len(ids) - 9
        assert by["alice"].changed == 59 and by["bob"].changed == 1 and by[None].assigned > 0


# ---------------------------------------------------------------------------- copies
def test_copy_sqlite_to_backend_and_back_keeps_every_byte_of_the_exports(
        demo_project: Path, backend: str | None, tmp_path: Path) -> None:
    worked(demo_project)
    before = exports(demo_project, tmp_path / "before")
    with Project.open(demo_project) as project:
        original = summarize(project.db)
    target = backend or str(tmp_path / "elsewhere.sqlite")
    report = move_state(Project.open(demo_project), target)
    assert report.copy.identical and report.copy.source.checksum == original.checksum
    assert report.copy.target.counts == original.counts
    assert original.counts["segments"] == 460 and original.counts["history"] > 100
    assert original.counts["assignments"] == 2 and original.counts["mt_cache"] == 2
    if backend is None:     # a copy into another file: the project stays where it was
        assert not report.switched
        assert exports(demo_project, tmp_path / "same") == before
        return
    assert report.switched and report.set_aside is not None and report.set_aside.exists()
    assert exports(demo_project, tmp_path / "moved") == before
    back = move_state(Project.open(demo_project), "sqlite")
    assert back.switched and back.copy.target.checksum == original.checksum
    assert back.copy.target.where.endswith(".workbench/state.sqlite")
    assert exports(demo_project, tmp_path / "after") == before


def test_work_done_on_the_server_comes_back_with_the_state(demo_project: Path,
                                                           pg_url: str) -> None:
    ids = worked(demo_project)
    move_state(Project.open(demo_project), pg_url)
    with Project.open(demo_project, user="carol") as project:
        assert project.db.dialect == "postgresql"
        project.update(ids[-1], final="added on the server")
        assign(project, project.segment(ids[0]).doc, 3, 4, "carol")
    move_state(Project.open(demo_project), "sqlite")
    with Project.open(demo_project, user="carol") as project:
        assert project.db.dialect == "sqlite"
        assert project.segment(ids[-1]).final == "added on the server"
        assert project.history(ids[-1])[-1].by == "carol"
        assert [r.ordinal for r in mine(project)] == [3, 4]
        # the keys drawn after the copy follow the copied ones
        assert project.update(ids[0], final="next").version > 0
        seqs = [h.seq for h in project.history()]
        assert seqs == sorted(set(seqs))


def test_a_copy_refuses_a_target_that_holds_a_state(demo_on_backend: Path,
                                                    tmp_path: Path) -> None:
    worked(demo_on_backend)
    with Project.open(demo_on_backend) as project:
        from workbench.core.state import open_sqlite

        target = open_sqlite(tmp_path / "t.sqlite", write=True)
        copy_state(project.db, target)
        with pytest.raises(ProjectError, match="already holds a workbench state"):
            copy_state(project.db, target)
        target.close()


def test_placeholders_become_pyformat_outside_quoted_text() -> None:
    assert to_pyformat("SELECT '?', \"a?\", x FROM t WHERE a = ? AND b LIKE '%x' AND c % 2 = ?") \
        == "SELECT '?', \"a?\", x FROM t WHERE a = %s AND b LIKE '%x' AND c %% 2 = %s"


def test_the_backend_is_chosen_by_the_settings(demo_project: Path, pg_url: str) -> None:
    use_backend(demo_project, pg_url)
    with Project.open(demo_project) as project:
        assert project.shared and project.db.dialect == "postgresql"
        assert not (demo_project / ".workbench" / "state.sqlite").exists()
    (demo_project / "workbench.toml").unlink()
    with Project.open(demo_project) as project:
        assert not project.shared and project.db.dialect == "sqlite"
