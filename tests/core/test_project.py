"""Project state: ingest, re-ingest keeping work, status counts, history, the write lock."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workbench.core.errors import ProjectError, ProjectLocked
from workbench.core.ingest import add_source, sync
from workbench.core.project import CLEAR, Project
from workbench.core.records import STATUSES

DOC = "doc.ja.txt"


def write_source(root: Path, text: str, name: str = DOC) -> Path:
    path = root / "sources" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_counts_segments_by_document(demo_project: Path) -> None:
    with Project.open(demo_project) as project:
        result = sync(project)
        assert not result.errors
        assert {r.doc for r in result.documents} == {
            "azerbaijan-russia-relations", "kazakhstan-foreign-policy",
            "vietnam-azerbaijan-strategic-partnership",
            "diplomatic-bluebook-2025-russia-central-asia-caucasus"}
        assert all(r.new_document and r.segments > 10 for r in result.documents)
        docs = project.documents()
        assert [d.segments for d in docs] == [
            len(project.segments(d.name)) for d in docs]
        assert all(d.by_status["new"] == d.segments for d in docs)


def test_second_sync_of_unchanged_sources_changes_nothing(demo_project: Path) -> None:
    with Project.open(demo_project) as project:
        sync(project)
        before = project.segments()
        again = sync(project)
        assert all(r.unchanged for r in again.documents)
        assert project.segments() == before


def test_reingest_keeps_translations_of_unchanged_segments(empty_project: Path) -> None:
    path = write_source(empty_project, "一文目です。二文目です。\n三文目です。\n")
    with Project.open(empty_project) as project:
        sync(project)
        first, second, third = project.segments("doc")
        project.update(first.id, final="Sentence one.", status="reviewed", by="ana")
        project.update(second.id, final="Sentence two.", status="reviewed", by="ana")
        project.set_mt([(third.id, "Sentence three.", "echo")])

        path.write_text("一文目です。二文目を直しました。\n三文目です。\n四文目です。\n",
                        encoding="utf-8")
        report = sync(project).documents[0]
        assert not report.unchanged
        assert [r.source for r in report.dropped] == ["二文目です。"]
        assert [r.id for r in report.dropped_translations] == [second.id]
        assert len(report.added) == 2
        assert report.kept == 2

        now = {s.source: s for s in project.segments("doc")}
        assert list(now) == ["一文目です。", "二文目を直しました。", "三文目です。", "四文目です。"]
        assert now["一文目です。"].final == "Sentence one."
        assert now["一文目です。"].status == "reviewed"
        assert now["三文目です。"].mt == "Sentence three."
        assert now["二文目を直しました。"].status == "new"
        assert [s.ordinal for s in now.values()] == [1, 2, 3, 4]

        # Putting the old sentence back revives its work instead of starting over.
        path.write_text("一文目です。二文目です。\n三文目です。\n", encoding="utf-8")
        sync(project)
        revived = {s.source: s for s in project.segments("doc")}
        assert revived["二文目です。"].final == "Sentence two."


def test_a_removed_source_is_set_aside_and_comes_back_with_its_work(empty_project: Path) -> None:
    path = write_source(empty_project, "一文目です。二文目です。\n")
    write_source(empty_project, "別の文書です。\n", "other.ja.txt")
    with Project.open(empty_project) as project:
        sync(project)
        first = project.segments("doc")[0]
        project.update(first.id, final="Sentence one.", status="reviewed")
        text = path.read_bytes()
        path.unlink()
        # a sync of the files named keeps documents it was not asked about
        assert [r.doc for r in sync(project, [empty_project / "sources" / "other.ja.txt"],
                                             force=True).documents] == ["other"]
        report = {r.doc: r for r in sync(project).documents}["doc"]
        assert report.removed and [r.id for r in report.dropped_translations] == [first.id]
        assert [d.name for d in project.documents()] == ["other"]
        assert project.segments("doc") == []
        path.write_bytes(text)
        sync(project)
        back = project.segments("doc")[0]
        assert (back.final, back.status) == ("Sentence one.", "reviewed")
        assert [d.name for d in project.documents()] == ["doc", "other"]


def test_update_records_history_and_rejects_unknown_status(empty_project: Path) -> None:
    write_source(empty_project, "一文目です。\n")
    with Project.open(empty_project) as project:
        sync(project)
        (seg,) = project.segments("doc")
        project.update(seg.id, final="One.", by="ana", origin="tui")
        project.update(seg.id, final="One!", status="reviewed", by="ben", origin="tui")
        project.update(seg.id, final="One!", status="reviewed", by="ben")  # no change, no entry
        entries = project.history(seg.id)
        assert [(e.field, e.old, e.new, e.by) for e in entries] == [
            ("final", None, "One.", "ana"),
            ("final", "One.", "One!", "ben"),
            ("status", "new", "reviewed", "ben")]
        record = project.segment(seg.id)
        assert (record.final, record.status, record.updated_by) == ("One!", "reviewed", "ben")
        project.update(seg.id, final="", by="ben")  # translates to nothing: a final too
        assert project.segment(seg.id).final == ""
        project.update(seg.id, final=CLEAR, by="ben")
        assert project.segment(seg.id).final is None
        assert project.history(seg.id)[-1].new is None
        with pytest.raises(ProjectError, match="unknown status"):
            project.update(seg.id, status="finished")
        assert project.segment(seg.id).status == "reviewed"


def test_status_counts(empty_project: Path) -> None:
    write_source(empty_project, "一。二。三。四。\n")
    with Project.open(empty_project) as project:
        sync(project)
        segs = project.segments("doc")
        project.update(segs[0].id, status="reviewed")
        project.update(segs[1].id, status="approved")
        project.update(segs[2].id, status="rejected")
        (doc,) = project.documents()
        assert doc.by_status == {"new": 1, "draft": 0, "reviewed": 1, "approved": 1,
                                 "rejected": 1}
        assert set(doc.by_status) == set(STATUSES)
        assert doc.percent_done == 50.0


def test_mt_cache_round_trip(empty_project: Path) -> None:
    with Project.open(empty_project) as project:
        project.cache_mt([("猫。", "Cat."), ("犬。", "Dog.")], "engine-a")
        assert project.cached_mt(["猫。", "犬。", "鳥。"], "engine-a") == {
            "猫。": "Cat.", "犬。": "Dog."}
        assert project.cached_mt(["猫。"], "engine-b") == {}


def test_state_is_committed_at_once(empty_project: Path) -> None:
    write_source(empty_project, "一文目です。\n")
    with Project.open(empty_project) as project:
        sync(project)
        (seg,) = project.segments("doc")
        project.update(seg.id, final="One.", status="reviewed")
        # Another connection sees it while the first is still open: nothing waits for close.
        db = empty_project / ".workbench" / "state.sqlite"
        with sqlite3.connect(db) as other:
            row = other.execute("SELECT final, status FROM segments WHERE id=?",
                                (seg.id,)).fetchone()
        assert row == ("One.", "reviewed")


def test_second_writer_is_refused_and_reader_is_not(empty_project: Path) -> None:
    with Project.open(empty_project):
        with pytest.raises(ProjectLocked) as info:
            Project.open(empty_project)
        assert info.value.pid == os.getpid()
        assert f"project is open in another workbench (pid {os.getpid()})" in str(info.value)
        with Project.open(empty_project, write=False) as reader:
            assert not reader.writable
    with Project.open(empty_project):  # released on close
        pass


HOLDER = textwrap.dedent("""
    import sys, time
    from workbench.core.project import Project
    project = Project.open(sys.argv[1])
    print("locked", flush=True)
    time.sleep(60)
""")


def _hold_lock(root: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_lock_names_the_other_process_and_a_killed_holder_leaves_no_stale_lock(
        empty_project: Path) -> None:
    proc = _hold_lock(empty_project)
    try:
        with pytest.raises(ProjectLocked) as info:
            Project.open(empty_project)
        assert info.value.pid == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert (empty_project / ".workbench" / "lock").read_text().strip() == str(proc.pid)
    deadline = time.monotonic() + 5
    while True:
        try:
            with Project.open(empty_project) as project:
                assert project.writable
            break
        except ProjectLocked:
            assert time.monotonic() < deadline, "lock of a killed process was not recovered"
            time.sleep(0.05)


def test_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not a workbench project"):
        Project.open(tmp_path)


def test_unreadable_source_is_reported_and_others_still_ingest(empty_project: Path) -> None:
    write_source(empty_project, "一文目です。\n")
    (empty_project / "sources" / "picture.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with Project.open(empty_project) as project:
        result = sync(project)
        assert [r.doc for r in result.documents] == ["doc"]
        (error,) = result.errors
        assert "picture.txt" in str(error)


def test_add_source_converts_to_utf8(empty_project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "shiftjis.txt"
    outside.write_bytes("ロシアとアゼルバイジャンの関係。\n".encode("cp932"))
    with Project.open(empty_project) as project:
        target = add_source(project, outside)
        assert target == empty_project / "sources" / "shiftjis.ja.txt"
        assert target.read_text(encoding="utf-8") == "ロシアとアゼルバイジャンの関係。\n"
        sync(project)
        sources = [s.source for s in project.segments("shiftjis")]
        assert sources == ["ロシアとアゼルバイジャンの関係。"]


def test_record_fields_follow_the_selected_columns() -> None:
    """Records are built from rows by position: the columns selected must list the fields
    of Segment and then those of SegmentRecord, in their declared order."""
    from dataclasses import fields

    from workbench.core.project import _COLUMNS
    from workbench.core.records import Segment, SegmentRecord

    names = [f.name for f in fields(Segment)] + [f.name for f in fields(SegmentRecord)][1:]
    assert names == [c.strip() for c in _COLUMNS.split(",")]
