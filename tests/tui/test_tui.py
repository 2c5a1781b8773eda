"""The review TUI, driven through Textual's Pilot: each action, what it changes in the
project state (read back through a second, read-only connection) and on screen."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from driving import (
    GLOSSARY,
    drive,
    pane,
    review_screen,
    reviewing,
    screen_text,
    settle,
    stored,
    type_text,
)
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.ingest import sync
from workbench.core.pipeline import TranslateReport
from workbench.core.project import Project
from workbench.core.records import SegmentRecord
from workbench.core.session import Row
from workbench.tui.app import ReviewApp
from workbench.tui.screens.dialogs import ChoiceDialog, GlossaryDialog
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.widgets.detail import TextPane
from workbench.tui.widgets.segment_list import SegmentList


# ---------------------------------------------------------------- opening and showing
@drive
async def test_enter_right_after_down_accepts_the_segment_down_went_to(
        project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        for key in ("down", "enter"):     # one burst, as a fast typist's keys arrive
            app.post_message(events.Key(key, None))
        await settle(pilot)
        assert app.review.segment_list.cursor == 2
    assert [r.status for r in stored(project_dir)] == ["new", "reviewed", "new", "new"]


@drive
async def test_keys_pressed_while_the_document_is_read_wait_for_it(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    read = Project.segments

    def slow_read(self: Project, *args: Any, **kwargs: Any) -> list[SegmentRecord]:
        release.wait(10)            # a big document: the frame is up, the rows are not
        return read(self, *args, **kwargs)

    monkeypatch.setattr(Project, "segments", slow_read)
    project = Project.open(project_dir)
    sync(project)
    app = ReviewApp(project, "relations")
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert not app.session.loaded
            await pilot.press("down", "enter")     # the second segment, accepted
            release.set()
            await settle(pilot)
            assert app.review.segment_list.cursor == 2
    finally:
        project.close()
    assert [r.status for r in stored(project_dir)] == ["new", "reviewed", "new", "new"]


@drive
async def test_opens_on_first_document_with_all_panes(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, _):
        text = screen_text(app)
        assert "relations" in text.splitlines()[0]
        assert "0/4 done" in text
        assert "エルチベイの1年間" in pane(app, "source")
        assert "Abulfaz Elchibey" in pane(app, "normalized")
        assert "pre-translation" in pane(app, "normalized")
        assert "workbench models install" in pane(app, "mt")
        assert app.review.editor.text.startswith("Abulfaz Elchibey")
        assert "エルチベイ → Abulfaz Elchibey" in pane(app, "glossary")


@drive
async def test_normalized_shows_rewrites_and_flags_missing_names(project_dir: Path) -> None:
    with Project.open(project_dir) as project:
        sync(project)
        first, second = project.segments("relations")[:2]
        project.set_mt([
            (first.id, "During Elchibei's one-year rule, relations between Azerbaijan and "
                       "Russia were damaged.", "test"),
            (second.id, "His politics were called anti-Russian.", "test")])
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        normalized = app.review.query_one("#normalized", TextPane)
        assert "Elchibey's one-year rule" in normalized.text
        assert normalized.note == "1 rewritten"
        await pilot.press("down")
        assert "missing: Abulfaz Elchibey" in pane(app, "normalized")
        assert "MT ✗ Norm ✗  エルチベイ → Abulfaz Elchibey" in pane(app, "glossary")
        assert "MT ✓ Norm ✓  ロシア → Russia" in pane(app, "glossary")
        assert "term-missing" in pane(app, "qa")


@drive
async def test_without_a_document_argument_opens_the_first_unfinished(project_dir: Path) -> None:
    async with reviewing(project_dir) as (app, _):
        assert app.session.doc == "other"


# ---------------------------------------------------------------- accepting and marking
@drive
async def test_accept_normalized_commits_at_once_and_moves_on(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        normalized = pane(app, "normalized").splitlines()[0]
        await pilot.press("enter")
        first = stored(project_dir)[0]
        assert (first.status, first.final) == ("reviewed", normalized)
        assert "Elchibey" in first.final
        assert app.review.segment_list.cursor == 1
        assert "1/4 done" in screen_text(app)
        assert "✓    1 エルチベイの1年間" in screen_text(app)
        with Project.open(project_dir, write=False) as project:
            assert [h.origin for h in project.history(first.id)] == ["tui", "tui"]


@drive
async def test_accept_mt_takes_the_raw_mt(project_dir: Path, installed_model: Any) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        mt = stored(project_dir)[0].mt
        assert mt and pane(app, "mt") == mt
        await pilot.press("m")
        assert stored(project_dir)[0].final == mt
        assert stored(project_dir)[0].status == "reviewed"


@drive
async def test_accept_mt_without_mt_says_so_and_changes_nothing(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("m")
        assert stored(project_dir)[0].status == "new"
        assert any("no MT" in n.message for n in app._notifications)


@drive
async def test_mark_reviewed_approved_rejected(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (_, pilot):
        await pilot.press("r", "p", "x")
        statuses = [r.status for r in stored(project_dir)]
        assert statuses == ["reviewed", "approved", "rejected", "new"]
        finals = [r.final for r in stored(project_dir)]
        assert finals[0] and finals[1] and "Abulfaz Elchibey" in finals[1]
        assert finals[2] is None  # rejecting keeps no text the reviewer never wrote


@drive
async def test_edit_final_is_saved_as_a_draft_while_typing(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("e")
        assert app.review.editor.has_focus
        await pilot.press("end")
        await type_text(pilot, " (edited)")
        await pilot.pause(0.9)  # the autosave delay, no key pressed
        first = stored(project_dir)[0]
        assert first.status == "draft" and first.final and first.final.endswith("(edited)")
        await pilot.press("escape")
        assert app.review.segment_list.has_focus
        await pilot.press("r")
        assert stored(project_dir)[0].status == "reviewed"
        assert stored(project_dir)[0].final.endswith("(edited)")


@drive
async def test_marking_from_the_palette_while_typing_keeps_the_mark(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("e")
        await type_text(pilot, "xyz")
        app.review.action_mark("reviewed")  # as the palette does; the autosave never ran
        await settle(pilot)
        first = stored(project_dir)[0]
        assert first.status == "reviewed" and first.final and first.final.endswith("xyz")


@drive
async def test_leaving_an_edited_segment_saves_it(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("e")
        await type_text(pilot, "xyz")
        await pilot.press("escape", "down")
        assert stored(project_dir)[0].final.endswith("xyz")
        assert app.review.segment_list.cursor == 1


@drive
async def test_undo_puts_the_segment_back(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("p")
        assert stored(project_dir)[0].status == "approved"
        await pilot.press("z")
        assert stored(project_dir)[0].status == "new"
        assert stored(project_dir)[0].final is None  # no final before, none after
        assert app.review.segment_list.cursor == 0
        assert "0/4 done" in screen_text(app)


# ---------------------------------------------------------------- moving
@drive
async def test_next_previous_and_next_untranslated(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        listing = app.review.segment_list
        await pilot.press("down", "down")
        assert listing.cursor == 2
        assert "1993年" in pane(app, "source")
        await pilot.press("k")
        assert listing.cursor == 1
        await pilot.press("enter")  # segment 2 reviewed, now on 3
        await pilot.press("up", "up", "u")
        assert listing.cursor == 2  # from 1, skipping the reviewed 2
        await pilot.press("u")
        assert listing.cursor == 3
        await pilot.press("u")
        assert listing.cursor == 0  # wraps round, skipping the reviewed segment 2


@drive
async def test_keys_faster_than_the_screen_are_not_lost(project_dir: Path) -> None:
    """A move the screen has not shown yet must not pull the cursor back (key repeat)."""
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        listing = app.review.segment_list
        listing.action_step(1)
        listing.action_step(1)  # two keys handled before the screen hears of the first
        app.review.list_moved(SegmentList.Highlighted(1))  # the screen catches up: stale
        listing.action_step(1)
        await settle(pilot)
        assert listing.cursor == 3
        assert "バクー" in pane(app, "source")


def with_issues(root: Path) -> Path:
    """Segment 2 misses a glossary name (an error), segment 3 a number (a warning); 1 and 4
    are new, with notes only (not translated yet), which need no reviewer."""
    with Project.open(root) as project:
        sync(project)
        records = project.segments("relations")
        project.update(records[1].id, final="His politics were called anti-Russian.",
                       status="reviewed")
        project.update(records[2].id, final="Heydar Aliyev took power.", status="reviewed")
    return root


def listed(app: ReviewApp) -> list[int]:
    """The ordinals of the segments the list shows."""
    return [app.session.record_at(i).ordinal for i in range(len(app.session))]


@drive
async def test_next_with_issues_goes_to_each_in_turn(project_dir: Path) -> None:
    async with reviewing(with_issues(project_dir), doc="relations") as (app, pilot):
        listing = app.review.segment_list
        assert listing.cursor == 0
        await pilot.press("i")
        assert listing.cursor == 1
        assert "term-missing" in pane(app, "qa")
        await pilot.press("i")
        assert listing.cursor == 2
        assert "number-mismatch" in pane(app, "qa")
        await pilot.press("i")
        assert listing.cursor == 1      # round again; 4 has notes only


@drive
async def test_filter_by_issue_from_the_menu_and_the_palette(project_dir: Path) -> None:
    async with reviewing(with_issues(project_dir), doc="relations") as (app, pilot):
        await pilot.press("f")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.dismiss("any issue")
        await settle(pilot)
        assert listed(app) == [2, 3]
        assert "filter: any issue" in screen_text(app)
        await pilot.press("f")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.dismiss("issue number-mismatch")
        await settle(pilot)
        assert listed(app) == [3]
        assert "1993年" in pane(app, "source")
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["filter: issue term-missing"].callback()
        await settle(pilot)
        assert listed(app) == [2]
        commands["filter: all segments"].callback()
        await settle(pilot)
        assert listed(app) == [1, 2, 3, 4]


@drive
async def test_the_issue_filter_follows_a_fix(project_dir: Path) -> None:
    """A segment fixed while the list shows only segments with issues leaves the list when
    the document is checked again."""
    async with reviewing(with_issues(project_dir), doc="relations") as (app, pilot):
        app.review.filter_chosen("issue term-missing")
        await settle(pilot)
        assert listed(app) == [2]
        await pilot.press("e", "ctrl+a")
        await type_text(pilot, "Abulfaz Elchibey's politics were called anti-Russian.")
        await pilot.press("escape")
        app.review.refresh_document()
        await settle(pilot)
        assert listed(app) == []
        assert "No segment matches the filter." in pane(app, "source")


# ---------------------------------------------------------------- filter and search
@drive
async def test_filter_by_status(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("enter", "f")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.dismiss("status reviewed")
        await settle(pilot)
        assert len(app.session) == 1
        assert "filter: status reviewed" in screen_text(app)
        await pilot.press("f")
        app.screen.dismiss("all segments")
        await settle(pilot)
        assert len(app.session) == 4


@drive
async def test_filter_menu_is_keyboard_driven(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("f", "down", "enter")  # all → status: new
        await settle(pilot)
        assert app.session.filter.status == "new"
        assert len(app.session) == 4


@drive
async def test_search_source_and_target(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("slash")
        await type_text(pilot, "バクー")
        await pilot.press("enter")
        await settle(pilot)
        assert len(app.session) == 1
        assert "バクー" in pane(app, "source")
        assert app.review.segment_list.has_focus
        await pilot.press("slash", "ctrl+a", "ctrl+k")
        await type_text(pilot, "heydar")
        await pilot.press("enter")
        await settle(pilot)
        assert [r.ordinal for r in map(app.session.record_at, range(len(app.session)))] == [3]
        await pilot.press("escape")
        await settle(pilot)
        assert len(app.session) == 4


# ---------------------------------------------------------------- glossary
@drive
async def test_add_term_applies_to_every_segment(project_dir: Path) -> None:
    with (project_dir / "glossary" / "names.tsv").open("a", encoding="utf-8") as f:
        f.write("Moscow\tモスクワ\tplace\n")      # places are now the commonest type
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("down", "down", "down")
        assert "バクー" in pane(app, "source")
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryDialog)
        await type_text(pilot, "バクー")
        await pilot.press("tab")
        await type_text(pilot, "Baku")
        await pilot.press("enter")
        await settle(pilot)
        assert "Baku\tバクー\tplace" in (project_dir / "glossary" / "names.tsv").read_text("utf-8")
        assert "Baku" in pane(app, "normalized")
        assert "バクー → Baku" in pane(app, "glossary")
        assert all(r.normalized is not None for r in stored(project_dir))
        assert "Baku" in stored(project_dir)[3].normalized


@drive
async def test_add_term_takes_the_text_selected_with_the_mouse(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("down", "down", "down")
        source = app.review.query_one("#source", TextPane)
        # drag over バクー: three wide characters from the first column (border, padding)
        await pilot.mouse_down(source, offset=(2, 1))
        await pilot.hover(source, offset=(6, 1))
        await pilot.mouse_up(source, offset=(6, 1))
        await pilot.press("g")
        assert isinstance(app.screen, GlossaryDialog)
        assert app.screen.query_one("#term-ja", Input).value == "バクー"
        await type_text(pilot, "Baku")  # the English field has the focus
        await pilot.press("enter")
        await settle(pilot)
        assert "Baku" in pane(app, "normalized")
        await pilot.press("g", "escape")
        assert isinstance(app.screen, ReviewScreen)


@drive
async def test_a_glossary_changed_outside_is_reloaded_and_applied(project_dir: Path) -> None:
    names = project_dir / "glossary" / "names.tsv"
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("down", "down", "down")
        assert "バクー" in pane(app, "normalized")
        watcher = app.review.glossary_watcher
        watcher.poll()                           # nothing has changed
        assert not watcher.busy
        # saved in another program, with a bad row: reported, the glossary in use is kept
        names.write_text(GLOSSARY + "Baku\tバクー\n", encoding="utf-8")
        watcher.poll()
        await settle(pilot)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("names.tsv:6" in m and "columns" in m for m in errors)
        assert "バクー" in pane(app, "normalized") and app.session.glossary.get("Russia")
        watcher.poll()                           # a broken file is tried once per change
        assert not watcher.busy
        # fixed: every segment gets the new name
        names.write_text(GLOSSARY + "Baku\tバクー\tplace\n", encoding="utf-8")
        watcher.poll()
        await settle(pilot)
        assert "Baku" in pane(app, "normalized")
        assert "バクー → Baku" in pane(app, "glossary")
        assert "Baku" in (stored(project_dir)[3].normalized or "")
        assert any("reloaded" in n.message.lower() for n in app._notifications)


# ---------------------------------------------------------------- MT
@drive
async def test_translate_document_in_a_worker(project_dir: Path, installed_model: Any) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        records = stored(project_dir)
        assert all(r.mt for r in records)
        assert pane(app, "mt") == records[0].mt
        assert "MT finished" in " ".join(n.message for n in app._notifications)


@drive
async def test_translation_keeps_the_ui_responsive_and_can_be_cancelled(
        project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started, released = threading.Event(), threading.Event()

    def slow_translate(project: Project, docs: list[str], *, engine: Any, progress: Any,
                       cancel: threading.Event) -> TranslateReport:
        progress(0, 4)
        started.set()
        cancel.wait(10)
        released.set()
        return TranslateReport(0, 0, 0, cancelled=cancel.is_set(), engine_id="test",
                               seconds=0.0)

    import workbench.core.mt.engine as engine
    import workbench.core.mt.packages as packages
    import workbench.core.pipeline as pipeline

    monkeypatch.setattr(packages, "find_model", lambda: "model")
    monkeypatch.setattr(engine, "Engine", lambda model: "engine")
    monkeypatch.setattr(pipeline, "translate_project", slow_translate)
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("t")
        await asyncio.to_thread(started.wait, 5)
        await pilot.pause()
        assert "MT 0/4" in screen_text(app)
        await pilot.press("down", "down")  # the UI thread is free while MT runs
        assert app.review.segment_list.cursor == 2
        await pilot.press("t")  # again: cancel
        await settle(pilot)
        assert released.is_set()
        assert "MT cancelled" in " ".join(n.message for n in app._notifications)
        assert "MT 0/4" not in screen_text(app)


# ---------------------------------------------------------------- documents and files
@drive
async def test_switch_document(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("d")
        assert isinstance(app.screen, ChoiceDialog)
        app.screen.dismiss("other")
        await settle(pilot)
        assert app.session.doc == "other"
        assert "モスクワ" in pane(app, "source")
        assert screen_text(app).splitlines()[0].lstrip().startswith("other")


@drive
async def test_save_and_quit_write_aligned_files(project_dir: Path) -> None:
    aligned = project_dir / "aligned" / "relations.en.txt"
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert "Abulfaz Elchibey" in aligned.read_text("utf-8")
        await pilot.press("down", "r")
        await pilot.press("q")
        assert not app.is_running or isinstance(app.screen, ReviewScreen)
    assert len(aligned.read_text("utf-8").splitlines()) == 2


@drive
async def test_export_commands_are_in_the_palette(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"export: TMX", "export: XLSX", "export: line-aligned text"} <= set(titles)
        await pilot.press("enter")
        review_screen(app).start_export(["tmx"])
        await settle(pilot)
        assert "Abulfaz Elchibey" in (project_dir / "aligned" / "relations.tmx").read_text()


@drive
async def test_palette_lists_every_action_with_its_key(project_dir: Path) -> None:
    async with reviewing(project_dir, doc="relations") as (app, _):
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for binding in [*ReviewScreen.BINDINGS, *ReviewApp.BINDINGS]:
            assert binding.id, binding  # type: ignore[union-attr]
            assert binding.tooltip in commands  # type: ignore[union-attr]
            assert commands[binding.tooltip].startswith("key: ")  # type: ignore[union-attr]
        assert commands["Accept Normalized, go on"] == "key: ⏎, a"


# ---------------------------------------------------------------- layout
@drive
async def test_80x24_footer_shows_the_key_actions(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, _):
        footer = screen_text(app).splitlines()[-1]
        for label in ("⏎ Accept", "e Edit", "r Review", "u To do", "i Issues", "/ Search",
                      "g Add term", "t MT", "^p palette"):
            assert label in footer


@drive
async def test_80x24_panels_toggle_in_place_of_the_list(project_dir: Path) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        assert "Glossary" not in screen_text(app)
        assert "Segments" in screen_text(app)
        await pilot.press("v")
        assert "Glossary" in screen_text(app)
        assert "Segments" not in screen_text(app)


SNAPSHOTS = Path(__file__).with_name("test_tui_snapshots")


def assert_snapshot(app: App[Any], name: str) -> None:
    """Compare the screen as text with tests/test_tui_snapshots/NAME.txt.

    WORKBENCH_UPDATE_SNAPSHOTS=1 rewrites the file (then read the diff before committing).
    """
    actual = "\n".join(line.rstrip() for line in screen_text(app).splitlines()) + "\n"
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("WORKBENCH_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


@drive
async def test_snapshot_80x24_without_a_model(project_dir: Path, no_model: None) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, _):
        assert_snapshot(app, "80x24-first-segment")


@drive
async def test_snapshot_120x36_after_accepting(project_dir: Path, no_model: None) -> None:
    async with reviewing(project_dir, size=(120, 36), doc="relations") as (app, pilot):
        await pilot.press("enter", "up")
        assert_snapshot(app, "120x36-accepted")


@drive
async def test_snapshot_glossary_dialog(project_dir: Path, no_model: None) -> None:
    async with reviewing(project_dir, size=(80, 24), doc="relations") as (app, pilot):
        await pilot.press("down", "down", "down", "g")
        await type_text(pilot, "バクー")
        await pilot.press("tab")
        await type_text(pilot, "Baku")
        assert_snapshot(app, "80x24-add-term")


@drive
async def test_rows_line_up_with_wide_characters(project_dir: Path) -> None:
    """Japanese rows (two cells a character) end in the same column as Latin rows."""
    async with reviewing(project_dir, size=(120, 36), doc="relations") as (app, _):
        region = app.review.segment_list.content_region
        rows = app.screen._compositor.render_strips()[region.y:region.y + 4]
        assert all(strip.cell_length == 120 for strip in rows)
        assert {strip.crop(region.x, region.right).cell_length for strip in rows} == \
            {region.width}


# ---------------------------------------------------------------- the virtual list
class _Rows:
    def __init__(self, count: int) -> None:
        self.count = count
        self.asked: set[int] = set()

    def __len__(self) -> int:
        return self.count

    def row(self, position: int) -> Row:
        self.asked.add(position)
        return Row("new", position + 1, "東京は日本の首都です。" * 3, "!" if position % 7 else "")


class _ListApp(App[None]):
    def __init__(self, rows: _Rows) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield SegmentList(self.rows)


@drive
async def test_virtual_list_renders_only_visible_rows() -> None:
    rows = _Rows(50_000)
    app = _ListApp(rows)
    async with app.run_test(size=(60, 20)) as pilot:
        listing = app.query_one(SegmentList)
        listing.reset(0)
        listing.focus()
        await pilot.pause()
        assert max(rows.asked) < 25
        await pilot.press("end")
        await pilot.pause()
        assert listing.cursor == 49_999
        assert len(rows.asked) < 60
        await pilot.press("pageup", "up")
        assert listing.cursor == 49_999 - 19 - 1  # a page is the height less one line


# ---------------------------------------------------------------- the command line
def test_review_refuses_a_project_open_elsewhere(project_dir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(project_dir):
        assert run_cli(cli, ["-C", str(project_dir), "review"]) == 2
    assert "project is open in another workbench (pid" in capsys.readouterr().err


def test_workbench_alone_opens_the_review_app(project_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_run(self: ReviewApp, **_: Any) -> None:
        opened.append(self.session.doc)

    monkeypatch.setattr(ReviewApp, "run", fake_run)
    monkeypatch.chdir(project_dir)
    assert CliRunner().invoke(cli, []).exit_code == 0
    assert CliRunner().invoke(cli, ["review", "relations"]).exit_code == 0
    assert opened == ["other", "relations"]


def test_the_source_title_says_the_kind_and_the_lines() -> None:
    from workbench.core.session import SegmentView
    from workbench.tui.widgets.panes import source_title

    def title(kind: str, start: int, end: int) -> str:
        record = SegmentRecord.of(id="id", doc="doc", ordinal=1, source="脚注。", line_start=start,
                                  line_end=end, kind=kind)
        return source_title(SegmentView(record, [], None, []))  # type: ignore[arg-type]

    assert title("text", 3, 3) == "Source · line 3"
    assert title("footnote", 4, 6) == "Source · footnote · lines 4–6"
