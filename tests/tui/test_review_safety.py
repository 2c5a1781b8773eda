"""Nothing lost, no traceback: a full disk while accepting, a damaged state, a segment too long
to show, an error refreshing aligned/ on exit, backups while the workbench stays open."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from driving import drive, pane, reviewing, screen_text, settle, stored, type_text

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core import backups
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.session import VIEW_LIMIT
from workbench.core.state import state_error
from workbench.tui import app as app_module
from workbench.tui.app import ReviewApp
from workbench.tui.widgets.detail import TextPane


def disk_full(path: Path) -> Exception:
    """What a write meets on a full disk: SQLite's error as the state reports it, or the
    operating system's."""
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    return state_error(error, path)


FAILURES = {
    "sqlite-full": lambda root: disk_full(root / ".workbench" / "state.sqlite"),
    "enospc": lambda root: OSError(errno.ENOSPC, "No space left on device"),
}


@pytest.mark.parametrize("failure", FAILURES)
@drive
async def test_a_full_disk_during_an_accept_is_reported_and_loses_nothing(
        project_dir: Path, failure: str, monkeypatch: pytest.MonkeyPatch) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("enter")                   # accepted while there is room
        error = FAILURES[failure](project_dir)
        update = Project.update

        def full(*args: Any, **kwargs: Any) -> Any:
            raise error

        monkeypatch.setattr(Project, "update", full)
        await pilot.press("enter", "r")
        assert app.is_running
        notices = [n.message for n in app._notifications if n.severity == "error"]
        assert any("disk is full" in n for n in notices), notices
        assert len(notices) == 1                     # the same error is not repeated
        assert app.review.segment_list.cursor == 1   # still on the segment that failed
        assert "1/4 done" in screen_text(app)
        await pilot.press("e")                        # an edit that cannot be saved stays
        await type_text(pilot, " (kept)")
        await pilot.press("escape", "down")
        await settle(pilot)
        assert app.review.segment_list.cursor == 1
        assert app.review.editor.text.endswith(" (kept)")
        monkeypatch.setattr(Project, "update", update)   # room again
        await pilot.press("down")
        await settle(pilot)
        assert app.review.segment_list.cursor == 2
    first, second = stored(project_dir)[:2]
    assert first.status == "reviewed" and first.final and "Abulfaz Elchibey" in first.final
    assert second.status == "draft" and second.final and second.final.endswith(" (kept)")


@drive
async def test_a_damaged_state_met_while_reviewing_is_one_notice(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    state = project_dir / ".workbench" / "state.sqlite"

    def damaged(self: Project, *args: Any, **kwargs: Any) -> Any:
        raise state_error(sqlite3.DatabaseError("database disk image is malformed"), state)

    with Project.open(project_dir) as project:
        sync(project)
    monkeypatch.setattr(Project, "segments", damaged)
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        assert app.is_running
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and "damaged: database disk image is malformed" in errors[0]
        assert "Traceback" not in errors[0]
        assert "could not be read" in pane(app, "source")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


def test_a_damaged_state_file_stops_review_with_an_error(
        project_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(project_dir) as project:
        sync(project)
    state = project_dir / ".workbench" / "state.sqlite"
    with sqlite3.connect(state) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(state.read_bytes())
    for page in range(2, len(data) // 4096):       # every page but the schema's
        data[page * 4096 + 8: page * 4096 + 4000] = b"\xde\xad" * 1996
    state.write_bytes(bytes(data))
    assert run_cli(cli, ["-C", str(project_dir), "review"]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err


def test_an_error_writing_aligned_on_exit_is_reported(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def run(self: ReviewApp, **_: Any) -> None:   # as on_unmount records a failed refresh
        self.finish_error = OSError(errno.ENOSPC, "No space left on device",
                                    str(project_dir / "aligned" / "relations.en.txt"))

    monkeypatch.setattr(ReviewApp, "run", run)
    assert run_cli(cli, ["-C", str(project_dir), "review", "relations"]) == 2
    err = capsys.readouterr().err
    assert "aligned/ was not refreshed on exit: the disk is full" in err
    assert "relations.en.txt" in err and "Traceback" not in err


@drive
async def test_quitting_records_an_error_refreshing_aligned(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import workbench.core.exchange as exchange

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("enter")
        monkeypatch.setattr(exchange, "refresh_aligned", full)
        await pilot.press("q")
    assert isinstance(app.finish_error, OSError)
    assert stored(project_dir)[0].status == "reviewed"


@drive
async def test_a_segment_too_long_to_show_is_cut_and_still_accepted_whole(
        empty_project: Path, argos_packages_dir: Path) -> None:
    unit = "エルチベイはロシアとの関係を損なった、"
    huge = unit * (60 * VIEW_LIMIT // len(unit)) + "。"
    (empty_project / "sources" / "huge.ja.txt").write_text(huge + "\nバクーは首都です。\n",
                                                           encoding="utf-8")
    (empty_project / "glossary" / "names.tsv").write_text(
        "en\tja\ttype\nAbulfaz Elchibey\tエルチベイ\tperson\nRussia\tロシア\tplace\n", "utf-8")
    async with reviewing(empty_project, size=(100, 30), doc="huge") as (app, pilot):
        source = pane(app, "source")
        assert len(source) < VIEW_LIMIT + 200
        assert app.review.query_one("#source", TextPane).note == f"cut to {VIEW_LIMIT:,} chars"
        assert f"[cut: the first {VIEW_LIMIT:,} of {len(huge):,} characters shown" in source
        assert "[cut:" in pane(app, "normalized") and "Too long to edit here" in pane(app,
                                                                                      "final")
        assert app.review.editor.read_only
        await pilot.press("e")
        assert not app.review.editor.has_focus
        assert any("too long to edit" in n.message for n in app._notifications)
        await pilot.press("down", "up", "enter")       # moves and an accept, whole
        await settle(pilot)
        first = stored(empty_project, "huge")[0]
        assert first.status == "reviewed" and first.final is not None
        assert len(first.final) > 50 * VIEW_LIMIT and first.final.count("Abulfaz Elchibey") > 1000
        assert app.review.segment_list.cursor == 1


@drive
async def test_the_state_is_backed_up_in_a_worker_while_open(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    backup_if_due = backups.backup_if_due

    def recorded(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return backup_if_due(*args, **kwargs)

    monkeypatch.setattr(backups, "backup_if_due", recorded)
    monkeypatch.setattr(backups, "BACKUP_EVERY", 0)
    monkeypatch.setattr(app_module, "BACKUP_CHECK_SECONDS", 0.1)
    with Project.open(project_dir) as project:
        sync(project)            # a project with documents: an empty one is not backed up
    taken = len(backups.list_backups(project_dir / ".workbench"))
    async with reviewing(project_dir, doc="relations") as (_, pilot):
        threads.clear()          # opening the project backs up too, before the app runs
        await pilot.pause(0.5)
        await settle(pilot)
    assert threads and threading.main_thread().name not in threads
    assert len(backups.list_backups(project_dir / ".workbench")) > taken


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_20_mb_sentence_opens_and_quits_within_10_s(empty_project: Path,
                                                      tmp_path: Path) -> None:
    """The workbench in a terminal on a document whose one sentence is 20 MB: the frame
    and the start of the sentence show, `q` quits, all within ten seconds."""
    unit = "エルチベイの政治は反ロシアと呼ばれていますが、アゼルバイジャンとロシアの関係"
    text = unit * (20_000_000 // len(unit.encode())) + "。\nバクーは首都です。\n"
    (empty_project / "sources" / "huge.ja.txt").write_text(text, encoding="utf-8")
    (empty_project / "glossary" / "names.tsv").write_text(
        "en\tja\ttype\nAbulfaz Elchibey\tエルチベイ\tperson\n", encoding="utf-8")
    with Project.open(empty_project) as project:   # ingested beforehand, as after `ingest`
        sync(project)
        from workbench.core.glossary.folder import load_glossary
        from workbench.core.pipeline import refresh_normalized

        refresh_normalized(project, load_glossary(project.glossary_dir))
    env = {**os.environ, "TERM": "xterm-256color",
           "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")}
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "-C", str(empty_project),
                             "review", "huge"], stdin=slave, stdout=slave, stderr=slave,
                            env=env, start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while b"cut to 5,000 chars" not in seen and time.monotonic() - start < 10:
            if select.select([master], [], [], 0.2)[0]:
                seen += os.read(master, 1 << 16)
        assert b"cut to 5,000 chars" in seen, seen[-2000:]
        os.write(master, b"q")
        while proc.poll() is None and time.monotonic() - start < 10:
            if select.select([master], [], [], 0.2)[0]:
                with contextlib.suppress(OSError):
                    seen += os.read(master, 1 << 16)
        assert proc.poll() == 0, seen[-2000:]
    finally:
        proc.kill()
        proc.wait()
        os.close(master)
    assert time.monotonic() - start < 10
