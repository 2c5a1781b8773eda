"""Reviewing next to others: a write another reviewer made stale asks what to keep (both
texts shown, nothing overwritten silently, no traceback), others' changes appear without
moving the cursor, "mine" from the filter menu. On SQLite, the other reviewer is a second
writer on the same state; the live feed itself is driven on PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from driving import drive, pane, reviewing, screen_text, settle, stored, type_text
from projects import use_backend
from textual.widgets import TextArea

from workbench.core.changes import Change
from workbench.core.project import Project
from workbench.core.team import assign
from workbench.tui.app import ReviewApp
from workbench.tui.screens.conflict import ConflictDialog
from workbench.tui.screens.dialogs import ChoiceDialog


def bob_writes(app: ReviewApp, position: int, final: str, status: str = "draft") -> str:
    """Another reviewer writes the segment at `position` of the list behind the app's back."""
    record = app.session.record_at(position)
    app.session.project.update(record.id, final=final, status=status, by="bob")
    return record.id


@drive
async def test_an_accept_over_a_newer_write_asks_and_take_theirs_shows_theirs(
        project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        bob_writes(app, 0, "Bob's English.", "reviewed")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, ConflictDialog)
        text = screen_text(app)
        assert "#1 was changed by bob" in text and "Bob's English." in text
        assert "Abulfaz Elchibey" in app.screen.query_one("#conflict-mine", TextArea).text
        assert stored(project_dir)[0].final == "Bob's English."     # nothing overwritten
        await pilot.press("t")
        await settle(pilot)
        assert not isinstance(app.screen, ConflictDialog)
        assert app.review.segment_list.cursor == 0
        assert pane(app, "final") == "Bob's English."
        assert "1/4 done" in screen_text(app)
        await pilot.press("enter")      # now over the version shown: accepted as any other
        await settle(pilot)
        assert stored(project_dir)[0].updated_by != "bob"


@drive
async def test_an_edit_over_a_newer_write_can_be_kept_or_merged(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("e")
        await type_text(pilot, " (mine)")
        bob_writes(app, 0, "Bob's first.")
        await pilot.press("escape")             # saving the edit meets bob's
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("k")
        await settle(pilot)
        first = stored(project_dir)[0]
        assert first.final is not None and first.final.endswith(" (mine)")
        assert (first.version, first.status) == (2, "draft")
        assert app.review.editor.pending() is None

        await pilot.press("down", "e")
        await type_text(pilot, " (mine too)")
        bob_writes(app, 1, "Bob's second.")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("m")                  # the box with mine, edited into a merge
        box = app.screen.query_one("#conflict-mine", TextArea)
        assert app.focused is box and box.text.endswith(" (mine too)")
        box.select_all()
        await pilot.press("backspace")
        await type_text(pilot, "Bob's second, merged.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        second = stored(project_dir)[1]
        assert (second.final, second.version) == ("Bob's second, merged.", 2)
        assert pane(app, "final") == "Bob's second, merged."
        assert app.review.segment_list.cursor == 1


@drive
async def test_a_conflict_left_for_later_writes_nothing_and_asks_again_on_leaving(
        project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("e")
        await type_text(pilot, " (mine)")
        bob_writes(app, 0, "Bob's.")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")              # later: nothing written, the text kept
        await settle(pilot)
        assert not isinstance(app.screen, ConflictDialog)
        assert app.review.editor.text.endswith(" (mine)")
        assert stored(project_dir)[0].final == "Bob's."
        await pilot.press("e")
        await type_text(pilot, "!")
        await pilot.pause(0.9)                   # an autosave does not ask again
        assert not isinstance(app.screen, ConflictDialog)
        await pilot.press("escape", "down")      # leaving the segment does
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)
        await pilot.press("t")
        await settle(pilot)
        assert app.review.segment_list.cursor == 0
        assert app.review.editor.text == "Bob's."


@drive
async def test_quitting_with_a_refused_edit_asks_first(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("e")
        await type_text(pilot, " (mine)")
        bob_writes(app, 0, "Bob's.")
        await app.action_quit()
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ConflictDialog)
        await pilot.press("k")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
    assert app.finish_error is None
    assert stored(project_dir)[0].final.endswith(" (mine)")  # type: ignore[union-attr]


@drive
async def test_others_changes_replace_rows_without_moving_the_cursor(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watcher on a feed that announces bob's writes (SQLite never announces any: the
    feed is the one thing made up here)."""
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("down")
        await settle(pilot)
        announced: list[Change] = []

        class Feed:
            closed = False

            def wait(self, timeout: float) -> list[Change]:
                time.sleep(0.05)
                found = announced[:]
                announced.clear()
                return found

            def close(self) -> None:
                self.closed = True

        monkeypatch.setattr(Project, "changes", lambda self: Feed())
        app.review.team_watcher.start()
        first = bob_writes(app, 0, "Bob's first.", "reviewed")
        second = bob_writes(app, 1, "Bob's second.", "approved")
        announced += [Change(first, "relations", 1, "bob", "tui"),
                      Change(second, "relations", 1, "bob", "tui")]
        for _ in range(40):
            await pilot.pause(0.05)
            if pane(app, "final") == "Bob's second.":
                break
        assert app.review.segment_list.cursor == 1
        assert pane(app, "final") == "Bob's second."
        assert "2/4 done" in screen_text(app)
        rows = screen_text(app).splitlines()[2:4]      # both rows redrawn
        assert rows[0].startswith("✓") and rows[1].startswith("✔"), rows
        app.review.team_watcher.stop()


@drive
async def test_a_change_to_the_segment_being_edited_leaves_the_typing_alone(
        project_dir: Path) -> None:
    from workbench.tui.messages import OthersChanged

    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("e")
        await type_text(pilot, " (typing)")
        seg = bob_writes(app, 0, "Bob's.")
        app.review.post_message(OthersChanged(app.session.project.records([seg])))
        await pilot.pause(0.1)
        assert app.review.editor.text.endswith(" (typing)")
        await pilot.press("escape")             # its save meets bob's write
        await settle(pilot)
        assert isinstance(app.screen, ConflictDialog)


@drive
async def test_mine_is_in_the_filter_menu(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        project = app.session.project
        assign(project, "relations", 2, 3, project.user)
        await pilot.press("f")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.dismiss("mine")
        await settle(pilot)
        session = app.session
        assert [session.record_at(i).ordinal for i in range(len(session))] == [2, 3]
        assert "filter: mine" in screen_text(app)
        await pilot.press("slash")
        await type_text(pilot, "1993")
        await pilot.press("enter")
        await settle(pilot)
        assert session.filter.mine and session.filter.query == "1993"
        assert [session.record_at(i).ordinal for i in range(len(session))] == [3]


@drive
async def test_two_reviewers_on_postgresql_see_each_other_within_a_second(
        project_dir: Path, pg_url: str) -> None:
    use_backend(project_dir, pg_url)
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        with Project.open(project_dir, user="bob") as bob:
            target = bob.segments("relations")[0]
            await pilot.pause(0.3)          # the watcher is listening
            start = time.monotonic()
            bob.update(target.id, final="Bob's.", status="reviewed")
            while pane(app, "final") != "Bob's." and time.monotonic() - start < 3:
                await pilot.pause(0.02)
            assert time.monotonic() - start < 1.0
            assert "1/4 done" in screen_text(app)
            await pilot.press("e")
            await type_text(pilot, " (alice)")
            bob.update(target.id, final="Bob's again.")
            await pilot.pause(0.5)          # announced, and not shown over the typing
            assert app.review.editor.text.endswith(" (alice)")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ConflictDialog)
            assert "Bob's again." in screen_text(app)
