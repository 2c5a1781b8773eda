"""Reviewing an aligned translation at 80x24: least sure first with the alignment's
confidence, English with no Japanese shown by its segment, and the repairs (merge, split at
a cursor, a sentence up or down, taking loose English), each undone in one step and on disk
at once (kill -9 loses none)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from driving import drive, kill_9_when_ready, pane, reviewing, screen_text, settle, stored

from workbench.core.align.document import align_document
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.tui.screens.dialogs import ChoiceDialog
from workbench.tui.screens.split import SplitDialog, index, likely_split, location

ENGLISH = ("During Abulfaz Elchibey's one year in power, relations between Azerbaijan and "
           "Russia were damaged. Elchibey's policy has been called \"anti-Russian\". It was a "
           "hard time for both. In 1993 Heydar Aliyev took power. Baku is the capital of "
           "Azerbaijan.\n")
LOOSE = "The embassy opened later."


@pytest.fixture
def aligned(project_dir: Path, tmp_path: Path) -> Path:
    """relations aligned with an English edition; #3 gets two sentences. The alignment also
    keeps one English sentence with no Japanese, after #2."""
    translation = tmp_path / "relations.en.txt"
    translation.write_text(ENGLISH, encoding="utf-8")
    with Project.open(project_dir) as project:
        sync(project)
        align_document(project, "relations", translation, dictionary=False)
        second = project.segments("relations")[1]
        with project.db.transaction() as tx:
            tx.execute("INSERT INTO alignment_beads (doc, position, segments, after, target, "
                       "line, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       ("relations", 99, "", second.id, json.dumps([LOOSE]), 1, 0.2))
    return project_dir


def finals(root: Path) -> list[str | None]:
    return [r.final for r in stored(root)]


@drive
async def test_least_sure_first_shows_confidence_and_loose_english(aligned: Path) -> None:
    async with reviewing(aligned, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("f")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.dismiss("least sure first")
        await settle(pilot)
        session = app.session
        order = [session.record_at(i).ordinal for i in range(len(session))]
        assert order[0] == 2 and sorted(order) == [1, 2, 3, 4]   # #2 holds the 0.20
        sure = [session.sureness(session.record_at(i)) for i in range(len(session))]
        assert sure == sorted(sure)
        text = screen_text(app)
        assert "filter: least sure first" in text
        rows = text.splitlines()[2:6]
        assert "0.20" in rows[0] and rows[0].rstrip().endswith("+"), rows
        assert "aligned 0.20" not in text     # #2's own bead is surer than its loose English
        assert "English with no Japanese" in pane(app, "source") and LOOSE in pane(app, "source")
        await pilot.press("down")
        await settle(pilot)
        assert "aligned 0." in screen_text(app)          # the bead's confidence, in Source
        assert "English with no Japanese" not in pane(app, "source")


@drive
async def test_a_sentence_up_and_down_and_undo(aligned: Path) -> None:
    async with reviewing(aligned, size=(80, 24), doc="relations") as (app, pilot):
        before = finals(aligned)
        assert before[2] == "It was a hard time for both. In 1993 Heydar Aliyev took power."
        await pilot.press("down", "down", "left_square_bracket")
        await settle(pilot)
        after = finals(aligned)
        assert after[1] == before[1] + " It was a hard time for both."
        assert after[2] == "In 1993 Heydar Aliyev took power."
        assert pane(app, "final") == after[2]          # still on #3, shown as it now is
        assert app.review.segment_list.cursor == 2
        await pilot.press("z")
        await settle(pilot)
        assert finals(aligned) == before
        await pilot.press("down", "right_square_bracket")   # #4 is the last: said, not done
        await settle(pilot)
        assert finals(aligned) == before
        assert any("last" in n.message for n in app._notifications)


@drive
async def test_merge_then_split_at_the_cursor_gives_the_parts_back(aligned: Path) -> None:
    async with reviewing(aligned, size=(80, 24), doc="relations") as (app, pilot):
        ids = [r.id for r in stored(aligned)]
        await pilot.press("J")
        await settle(pilot)
        merged = stored(aligned)
        assert len(merged) == 3 and len(app.session) == 3
        assert "関係は損なわれました。エルチベイの政治" in pane(app, "source")
        assert "#1 · 1/3" in screen_text(app)
        await pilot.press("s")
        assert isinstance(app.screen, SplitDialog)
        # the cursor starts after the sentence end nearest the middle: where they were joined
        assert app.screen.split_at == merged[0].source.index("。") + 1
        await pilot.press("enter")
        await settle(pilot)
        assert [r.id for r in stored(aligned)] == ids
        assert "#1 · 1/4" in screen_text(app)
        await pilot.press("z", "z", "z")     # the split, the merge: a step each; no more
        await settle(pilot)
        assert [r.id for r in stored(aligned)] == ids
        assert any("Nothing to undo" in n.message for n in app._notifications)


@drive
async def test_taking_loose_english_and_escaping_a_split(aligned: Path) -> None:
    async with reviewing(aligned, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("s", "escape")
        await settle(pilot)
        assert len(stored(aligned)) == 4
        await pilot.press("o")             # #1 has none
        assert finals(aligned)[0] is not None and LOOSE not in finals(aligned)[0]
        await pilot.press("down", "o")
        await settle(pilot)
        assert finals(aligned)[1].endswith(" " + LOOSE)    # type: ignore[union-attr]
        assert "English with no Japanese" not in pane(app, "source")
        assert not app.session.orphans(app.session.record_at(1))
        await pilot.press("z")
        await settle(pilot)
        assert LOOSE not in finals(aligned)[1]   # type: ignore[operator]
        assert LOOSE in pane(app, "source")


def test_likely_split_and_locations() -> None:
    assert likely_split("一文。二文目です。三。") == 3
    assert likely_split("区切りなし") == 2
    text = "ab\ncde"
    for i in range(len(text) + 1):
        assert index(text, location(text, i)) == i


DRIVER = """
import asyncio, sys
from workbench.core.project import Project
from workbench.tui.app import ReviewApp

async def main() -> None:
    project = Project.open(sys.argv[1])
    app = ReviewApp(project, "relations")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("J", "down", "left_square_bracket")
        await pilot.pause()
        print("done", flush=True)
        await asyncio.sleep(60)  # killed here, the app still running

asyncio.run(main())
"""


@drive
async def test_repairs_survive_kill_9_and_reopen(aligned: Path, tmp_path: Path) -> None:
    kill_9_when_ready(DRIVER, str(aligned), ready="done", packages=tmp_path / "no-models")
    after = finals(aligned)
    assert len(after) == 3
    assert after[0] is not None and after[0].endswith("It was a hard time for both.")
    assert after[1] == "In 1993 Heydar Aliyev took power."
    async with reviewing(aligned, size=(80, 24), doc="relations") as (app, pilot):
        assert len(app.session) == 3
        await pilot.press("home", "z")     # a new session has nothing of the old to undo
        await settle(pilot)
        assert len(stored(aligned)) == 3
