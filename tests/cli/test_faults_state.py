"""Nothing lost: a lost, emptied, damaged or older state never empties aligned/, backups
bring a project back, a rebuild takes the reviewed work back from aligned/, an import
applied twice changes nothing, and temp files a killed export left are cleaned up."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from faults import (
    assert_one_error,
    done_segments,
    files_of,
    run,
    worked_project,
)
from openpyxl import load_workbook
from projects import DOC, SOURCES

from workbench.core import backups
from workbench.core.errors import ExportError
from workbench.core.exchange import export_documents, refresh_aligned
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.project import STATE_DIR, STATE_FILE, Project

pytestmark = pytest.mark.fault
Cap = pytest.CaptureFixture[str]


@pytest.fixture
def exported(tmp_path: Path, capsys: Cap) -> Path:
    """A worked project whose aligned/ holds its reviewed work (txt, tmx, jsonl)."""
    root = worked_project(tmp_path / "proj")
    assert run(capsys, root, "export").code == 0
    return root


def state_file(root: Path) -> Path:
    return root / STATE_DIR / STATE_FILE


def damage(state: Path) -> None:
    """Overwrite every page of a state but the first (the schema survives, the tables
    do not): what SQLite calls `database disk image is malformed`."""
    data = state.read_bytes()
    state.write_bytes(data[:4096] + os.urandom(len(data) - 4096))


def reviewed_lines(root: Path) -> list[str]:
    return (root / "aligned" / f"{DOC}.en.txt").read_text(encoding="utf-8").splitlines()


# ------------------------------------------------------------------ a zeroed or lost state
@pytest.mark.parametrize("how", ["zeroed", "deleted"])
def test_an_emptied_state_is_refused_and_aligned_stays(exported: Path, capsys: Cap,
                                                       how: str) -> None:
    before = files_of(exported / "aligned")
    state = state_file(exported)
    if how == "zeroed":
        state.write_bytes(b"")
    else:
        for suffix in ("", "-wal", "-shm"):
            state.with_name(state.name + suffix).unlink(missing_ok=True)
    for command in (["status"], ["export"], ["check"], ["import", "x.xlsx"]):
        line = assert_one_error(run(capsys, exported, *command), "aligned/ holds reviewed work",
                                "workbench state rebuild")
        assert "not a new project" in line
    assert files_of(exported / "aligned") == before


def test_export_never_drops_reviewed_units_the_state_does_not_know(exported: Path,
                                                                   capsys: Cap) -> None:
    """A state replaced by a fresh one (every segment `new`, never worked on) must not
    rewrite the reviewed aligned files empty: refused with what would go, --force writes."""
    before = files_of(exported / "aligned")
    for suffix in ("", "-wal", "-shm"):
        state_file(exported).with_name(STATE_FILE + suffix).unlink(missing_ok=True)
    with _fresh(exported) as project:
        with pytest.raises(ExportError) as caught:
            export_documents(project, formats=("txt", "tmx", "jsonl"))
        assert "would be dropped" in str(caught.value)
        assert any(f"{DOC}.en.txt: would drop 3 reviewed units" in d
                   for d in caught.value.details)
        with pytest.raises(ExportError):
            refresh_aligned(project)      # the workbench's save and exit: the same guard
    assert files_of(exported / "aligned") == before
    result = run(capsys, exported, "export", "--force")
    assert result.code == 0
    assert reviewed_lines(exported) == []


def _fresh(root: Path) -> Project:
    """The project with a new, empty state (as a user who deleted it and ingested again)."""
    from workbench.core.ingest import sync
    from workbench.core.project import take_lock

    project = Project.open_locked(root, take_lock(root), new_state=True)
    sync(project)
    return project


def test_a_unit_leaves_when_the_state_says_why(exported: Path, capsys: Cap) -> None:
    """Un-reviewing a segment, or editing its source sentence, drops it from aligned/
    without --force: the state accounts for both."""
    with Project.open(exported) as project:
        first = project.segments(DOC)[0]
        project.update(first.id, status="draft")
    assert run(capsys, exported, "export").code == 0
    assert first.final not in "\n".join(reviewed_lines(exported))
    source = exported / "sources" / f"{DOC}.ja.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(SOURCES[1], "絵文字の文。"),
                      encoding="utf-8")
    result = run(capsys, exported, "export")
    assert result.code == 0, result.err
    assert not any("emoji" in line for line in reviewed_lines(exported))


def test_a_state_older_than_aligned_is_refused(exported: Path, capsys: Cap) -> None:
    """Work reviewed after the last backup is in aligned/: restoring that backup and
    exporting must not drop it silently."""
    with Project.open(exported) as project:
        backup = backups.take_backup(project.db, project.state_dir)
        record = project.segments(DOC)[5]
        project.update(record.id, final="Reviewed after the backup.", status="reviewed")
    assert backup is not None
    assert run(capsys, exported, "export").code == 0
    assert "Reviewed after the backup." in reviewed_lines(exported)
    assert run(capsys, exported, "state", "restore", backup.name).code == 0
    with Project.open(exported) as project:
        project.update(record.id, final="An older draft.", status="draft")   # older edit
        with project.db.transaction() as tx:
            tx.execute("UPDATE segments SET updated_at = '2000-01-01T00:00:00Z' WHERE id = ?",
                       (record.id,))
    result = run(capsys, exported, "export")
    assert result.code == 2 and "would drop 1 reviewed unit" in result.err
    assert "Reviewed after the backup." in reviewed_lines(exported)


# ------------------------------------------------------------------ backups and restore
def test_a_backup_restores_a_project_to_its_last_state(exported: Path, capsys: Cap) -> None:
    expected = done_segments(exported)
    with Project.open(exported) as project:
        taken = backups.take_backup(project.db, project.state_dir)
    assert taken is not None
    # The state is damaged on disk (a crash, a bad sector): every command refuses it.
    damage(state_file(exported))
    for suffix in ("-wal", "-shm"):
        state_file(exported).with_name(STATE_FILE + suffix).unlink(missing_ok=True)
    assert_one_error(run(capsys, exported, "status"), "the project state is damaged",
                     "workbench state restore")
    listing = run(capsys, exported, "state", "restore")
    assert listing.code == 0
    row = next(line.split() for line in listing.out.splitlines() if taken.name in line)
    assert row[0] == "1" and row[5:8] == ["1", "6", "4"]    # documents, segments, done
    restored = run(capsys, exported, "state", "restore", "1")
    assert restored.code == 0 and taken.name in restored.out
    assert "damaged state it replaced is kept as" in restored.err
    assert done_segments(exported) == expected
    assert run(capsys, exported, "status").code == 0


def test_a_restore_backs_up_the_state_it_replaces(exported: Path, capsys: Cap) -> None:
    with Project.open(exported) as project:
        old = backups.take_backup(project.db, project.state_dir)
        record = project.segments(DOC)[5]
        project.update(record.id, final="Newer work.", status="reviewed")
    newer = done_segments(exported)
    assert old is not None
    result = run(capsys, exported, "state", "restore", old.name)
    assert result.code == 0 and "`workbench state restore 1` brings it back" in result.err
    assert done_segments(exported) != newer
    assert run(capsys, exported, "state", "restore", "1").code == 0
    assert done_segments(exported) == newer


def test_backups_are_taken_on_open_and_rotated(tmp_path: Path) -> None:
    root = worked_project(tmp_path / "proj")
    state_dir = root / STATE_DIR
    assert backups.list_backups(state_dir) == []    # it was opened new: nothing to keep
    with Project.open(root):
        pass
    assert len(backups.list_backups(state_dir)) == 1        # taken when the project opened
    with Project.open(root) as project:
        assert backups.backup_if_due(project.db, state_dir) is None     # not due yet
        for _ in range(backups.BACKUPS_KEPT + 2):
            backups.take_backup(project.db, state_dir)
    kept = backups.list_backups(state_dir)
    assert len(kept) == backups.BACKUPS_KEPT
    assert kept == sorted(kept, key=lambda b: b.taken, reverse=True)
    assert not [p for p in (state_dir / "backups").iterdir() if p.name.endswith(("-wal", "-shm"))]


def test_an_unknown_or_damaged_backup_is_refused(exported: Path, capsys: Cap) -> None:
    assert_one_error(run(capsys, exported, "state", "restore", "9"), "no backup '9'")
    (exported / STATE_DIR / "backups" / "state-20000101T000000Z.sqlite").write_bytes(
        b"SQLite format 3\x00" + os.urandom(4000))
    found = backups.list_backups(exported / STATE_DIR)
    damaged = len(found)    # the oldest
    before = done_segments(exported)
    result = run(capsys, exported, "state", "restore", str(damaged))
    assert_one_error(result, "backup")
    assert done_segments(exported) == before


# ------------------------------------------------------------------ rebuild
@pytest.mark.parametrize("keep", [".jsonl", ".tmx", ".en.txt"])
def test_rebuild_takes_the_work_back_from_aligned(exported: Path, capsys: Cap,
                                                  keep: str) -> None:
    """The last resort: a lost state rebuilt from the sources, with each document's finals
    and statuses taken back from its JSONL (everything), else TMX, else the text pair."""
    expected = done_segments(exported)
    for path in (exported / "aligned").iterdir():
        if not path.name.endswith(keep) and not (keep == ".en.txt" and
                                                 path.name.endswith(".ja.txt")):
            path.unlink()
    state_file(exported).write_bytes(b"")
    result = run(capsys, exported, "state", "rebuild")
    assert result.code == 0, result.err
    assert f"{DOC}: " in result.out and f"from {DOC}{keep}" in result.out
    after = {i: (final, status) for i, final, status in done_segments(exported)}
    for seg_id, final, status in expected:
        if keep == ".jsonl":
            assert after[seg_id] == (final, status), seg_id      # drafts and all
        elif status in ("reviewed", "approved") and final:
            # a text pair says nothing of approval: its lines come back reviewed
            wanted = status if keep == ".tmx" else "reviewed"
            assert after[seg_id] == (final, wanted), seg_id
    assert run(capsys, exported, "export").code == 0      # nothing the guard would refuse


def test_rebuild_refuses_a_sound_state_unless_forced(exported: Path, capsys: Cap) -> None:
    before = done_segments(exported)
    assert_one_error(run(capsys, exported, "state", "rebuild"), "the project state is sound",
                     "--force")
    assert done_segments(exported) == before
    result = run(capsys, exported, "state", "rebuild", "--force")
    assert result.code == 0 and "the replaced state is kept as" in result.err
    kept = [p for p in (exported / STATE_DIR).iterdir() if p.name.startswith("state-replaced-")
            and p.suffix == ".sqlite"]
    assert len(kept) == 1 and sqlite3.connect(kept[0]).execute(
        "SELECT count(*) FROM segments").fetchone()[0] == 6
    assert done_segments(exported) == before


# ------------------------------------------------------------------ import twice
def test_importing_the_same_workbook_twice_changes_nothing_the_second_time(
        exported: Path, capsys: Cap) -> None:
    assert run(capsys, exported, "export", "-f", "xlsx").code == 0
    book_path = exported / "aligned" / f"{DOC}.xlsx"
    book = load_workbook(book_path)
    sheet = book[DOC]
    final = COLUMNS.index("final") + 1
    sheet.cell(row=7, column=final).value = "Typed into a new row."      # becomes a draft
    sheet.cell(row=2, column=final).value = "Edited in the sheet."
    book.save(book_path)
    first = run(capsys, exported, "import", str(book_path))
    assert first.code == 0 and first.out.startswith("updated 2 segments, 4 unchanged, 0 conf")
    second = run(capsys, exported, "import", str(book_path))
    assert second.code == 0, second.err
    assert second.out.splitlines()[0] == "updated 0 segments, 6 unchanged, 0 conflicts"


# ------------------------------------------------------------------ stale temp files
def test_stale_temp_files_of_ours_are_cleaned_by_later_exports(exported: Path,
                                                               capsys: Cap) -> None:
    aligned = exported / "aligned"
    old = aligned / f".bilingual.xlsx.{'ab12_xyz'}.tmp"
    young = aligned / f".{DOC}.tmx.{'k9m3p0qz'}.tmp"
    theirs = aligned / ".notes.tmp"
    mine_but_not_temp = aligned / "draft.tmp"
    for path in (old, young, theirs, mine_but_not_temp):
        path.write_bytes(b"x" * 1000)
    an_hour_ago = time.time() - 2 * 3600
    for path in (old, theirs, mine_but_not_temp):
        os.utime(path, (an_hour_ago, an_hour_ago))
    assert run(capsys, exported, "export").code == 0
    assert not old.exists()
    assert young.exists() and theirs.exists() and mine_but_not_temp.exists()
