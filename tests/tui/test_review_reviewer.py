"""What a reviewer meets in a session: keys that go where they are meant, the QA panel
following an edit, the editor's keys, coming back where they left off, the notices."""

from __future__ import annotations

from pathlib import Path

import pytest
from driving import drive, pane, reviewing, screen_text, settle, stored, type_text
from textual.widgets import Input

from workbench.core.session import ReviewSession
from workbench.tui.screens.dialogs import GlossaryDialog


@drive
async def test_j_after_the_panels_and_a_palette_export_moves_on(project_dir: Path) -> None:
    """`v`, `v`, then `export: XLSX` from the palette: the next `j` moves to the next
    segment; it is never typed into the hidden search box."""
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("v", "v", "ctrl+p")
        await type_text(pilot, "export: XLSX")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert (project_dir / "aligned" / "relations.xlsx").exists()
        await pilot.press("j")
        await settle(pilot)
        assert app.query_one("#search", Input).value == ""
        assert app.session.filter.query == ""
        assert "filter:" not in screen_text(app).splitlines()[0]
        assert app.review.segment_list.cursor == 1


@drive
async def test_the_qa_panel_follows_an_edit_of_final(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        assert "untranslated" in pane(app, "qa")
        await pilot.press("e")
        await type_text(pilot, " (checked)")
        await pilot.pause(0.9)    # saved as a draft: it has a final translation now
        assert stored(project_dir)[0].status == "draft"
        assert "untranslated" not in pane(app, "qa")
        # the pre-translation typed into Final still holds Japanese: a draft's warning
        assert "japanese-left" in pane(app, "qa") and "marked" not in pane(app, "qa")


@drive
async def test_ctrl_a_in_final_selects_all_of_it(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        editor = app.review.editor
        await pilot.press("e", "ctrl+a")
        assert editor.selected_text == editor.text != ""
        await pilot.press("X")
        assert editor.text == "X"
        await pilot.press("home", "ctrl+a", "backspace")
        assert editor.text == ""


@drive
async def test_reopening_starts_where_the_reviewer_left_off(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("down", "down")
        assert "1993年" in pane(app, "source")
    async with reviewing(project_dir) as (app, _):     # no document named
        assert app.session.doc == "relations"
        assert app.review.segment_list.cursor == 2
        assert "1993年" in pane(app, "source")
    async with reviewing(project_dir, doc="other") as (app, pilot):
        assert app.review.segment_list.cursor == 0
        app.review.document_chosen("relations")     # the place in each document is kept
        await settle(pilot)
        assert app.review.segment_list.cursor == 2
    monkeypatch.setenv("WORKBENCH_USER", "someone-else")   # each reviewer has their own
    async with reviewing(project_dir) as (app, _):
        assert app.session.doc == "other"       # the first unfinished document
        assert app.review.segment_list.cursor == 0


def test_a_position_written_by_hand_or_gone_is_ignored(project_dir: Path) -> None:
    from workbench.core.ingest import sync
    from workbench.core.project import Project, current_user
    from workbench.core.session import POSITION_KEY

    with Project.open(project_dir) as project:
        sync(project)
        for value in ("not json", '{"doc": "gone", "at": {"gone": "x"}}', '[1, 2]',
                      '{"doc": "relations", "at": {"relations": "no-such-segment"}}'):
            with project.db.transaction() as tx:
                tx.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO "
                           "UPDATE SET value = excluded.value",
                           (POSITION_KEY + current_user(), value))
            session = ReviewSession.open(project)
            session.set_records(project.segments(session.doc))
            assert session.start_position() == 0


@drive
async def test_an_added_term_is_announced_as_typed(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryDialog)
        await type_text(pilot, "ロシア連邦")
        await pilot.press("tab")
        await type_text(pilot, "Russian Federation")
        await pilot.press("enter")
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        assert "Added ロシア連邦 → Russian Federation: applied to every segment." in notices
        names = (project_dir / "glossary" / "names.tsv").read_text("utf-8")
        assert "Russian Federation\tロシア連邦" in names


@drive
async def test_in_final_the_footer_offers_the_editors_keys(project_dir: Path) -> None:
    """Enter and `/` are typed into Final, so the footer does not offer ⏎ Accept or / Search
    there; it offers what the editor does, and escape leaves it."""
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        assert "⏎ Accept" in screen_text(app).splitlines()[-1]
        await pilot.press("e")
        footer = screen_text(app).splitlines()[-1]
        assert "⏎ Accept" not in footer and "/ Search" not in footer
        assert "esc Done" in footer and "^a Select all" in footer
        await pilot.press("enter", "slash")
        assert app.review.editor.text.endswith("\n/")
        assert stored(project_dir)[0].status == "new"
        await pilot.press("escape")
        assert app.review.segment_list.has_focus
        assert stored(project_dir)[0].final.endswith("\n/")


@drive
async def test_mt_without_a_model_says_how_to_get_one_and_can_be_tried_again(
        project_dir: Path, no_model: None) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("no ja→en translation model" in m for m in errors)
        assert "workbench models install" in pane(app, "mt")
        assert "MT" not in screen_text(app).splitlines()[0]     # nothing runs
        assert not app.review.translator.running
        await pilot.press("t")
        await settle(pilot)
        assert not app.review.translator.running
