"""An accepted segment is on disk the moment it is accepted: kill -9 right after loses nothing."""

from __future__ import annotations

import signal
from pathlib import Path

from driving import kill_9_when_ready

from workbench.core.project import Project

DRIVER = """
import asyncio, sys
from workbench.core.project import Project
from workbench.tui.app import ReviewApp
from workbench.core.ingest import sync
import workbench.tui.screens.review_qa as review_qa

review_qa.ASK_BEFORE_JAPANESE_LEFT = False    # the pre-translation accepted as it is

async def main() -> None:
    project = Project.open(sys.argv[1])
    sync(project)
    app = ReviewApp(project, "doc")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the segments are read in a worker
        await pilot.pause()
        await pilot.press("enter", "e", *"edited", "escape")
        print("done", flush=True)
        await asyncio.sleep(60)  # killed here, the app still running

asyncio.run(main())
"""


def test_accept_and_edit_survive_kill_9(empty_project: Path, tmp_path: Path) -> None:
    (empty_project / "sources" / "doc.ja.txt").write_text(
        "エルチベイの政治は「反ロシア」と呼ばれています。\nバクーは首都です。\n", encoding="utf-8")
    (empty_project / "glossary" / "names.tsv").write_text(
        "en\tja\ttype\nAbulfaz Elchibey\tエルチベイ\tperson\n", encoding="utf-8")
    assert kill_9_when_ready(DRIVER, str(empty_project), ready="done",
                             packages=tmp_path / "no-models") == -signal.SIGKILL
    with Project.open(empty_project) as project:  # the lock died with the process
        first, second = project.segments("doc")
        assert first.status == "reviewed"
        assert first.final is not None and "Abulfaz Elchibey" in first.final
        assert second.status == "draft"
        assert second.final is not None and second.final.endswith("edited")


TYPING = """
import asyncio, sys
from workbench.core.project import Project
from workbench.tui.app import ReviewApp

async def main() -> None:
    project = Project.open(sys.argv[1])
    app = ReviewApp(project, "doc")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "e", "end", *"typed")
        await asyncio.sleep(float(sys.argv[2]))   # killed this long after the last key
        print("typed", flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


def kill_while_typing(root: Path, tmp_path: Path, after: float) -> None:
    kill_9_when_ready(TYPING, str(root), str(after), ready="typed",
                      packages=tmp_path / "no-models")


def test_text_typed_under_half_a_second_before_a_kill_is_back_on_reopening(
        empty_project: Path, tmp_path: Path) -> None:
    """Typed text is journaled within 0.2 s (the draft itself is saved when typing pauses,
    0.6 s): killed 0.45 s after the last key, the next workbench puts it back as a draft."""
    from workbench.core.ingest import sync
    from workbench.core.session import ReviewSession

    (empty_project / "sources" / "doc.ja.txt").write_text(
        "エルチベイの政治は「反ロシア」と呼ばれています。\nバクーは首都です。\n", encoding="utf-8")
    with Project.open(empty_project) as project:
        sync(project)
    kill_while_typing(empty_project, tmp_path, 0.45)
    with Project.open(empty_project) as project:
        second = project.segments("doc")[1]
        assert second.final is None or not second.final.endswith("typed")   # not saved yet
        session = ReviewSession.open(project)
        assert session.recovered is not None and session.recovered.id == second.id
        second = project.segment(second.id)
        assert second.status == "draft" and second.final and second.final.endswith("typed")
        assert project.history(second.id)[-1].origin == "tui-recovered"
        assert ReviewSession.open(project).recovered is None     # put back once


def test_a_journal_older_than_a_later_change_is_not_put_back(empty_project: Path) -> None:
    from workbench.core.ingest import sync
    from workbench.core.session import ReviewSession

    (empty_project / "sources" / "doc.ja.txt").write_text("バクーは首都です。\n", "utf-8")
    with Project.open(empty_project) as project:
        sync(project)
        session = ReviewSession.open(project)
        segment = project.segments("doc")[0]
        session.journal(segment.id, "Baku is the capital (typed)")
        project.update(segment.id, final="Baku is the capital.", status="reviewed")  # later
        assert ReviewSession.open(project).recovered is None
        assert project.segment(segment.id).final == "Baku is the capital."
