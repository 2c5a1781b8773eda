"""The review screen's parts on their own: the Final editor's autosave, Japanese wrapping
installed per editor, the Textual version check, the keys' ids, the workers' threads."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import textual._wrap
import textual.document._wrapped_document as wrapped_document
from driving import drive, reviewing, settle
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from workbench.core.session import ReviewSession
from workbench.tui import keys
from workbench.tui.kinsoku import NO_LINE_START, wrap_offsets
from workbench.tui.screens import dialogs
from workbench.tui.screens.conflict import ConflictDialog
from workbench.tui.screens.keys import KeysScreen
from workbench.tui.screens.split import SplitDialog
from workbench.tui.widgets.final_editor import JOURNAL_SECONDS, Edit, FinalEditor
from workbench.tui.widgets.search_bar import SearchBar
from workbench.tui.widgets.segment_list import SegmentList

JAPANESE = "Abulfaz Elchibeyの1年間の統治の間に、アゼルバイジャンとロシアの関係は損なわれました。"


class EditorApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FinalEditor(id="final")
        yield TextArea(JAPANESE, id="plain", soft_wrap=True)


# ---------------------------------------------------------------- the Final editor
@drive
async def test_typing_without_a_pause_is_journaled_every_fifth_of_a_second() -> None:
    """Continuous typing is journaled while it goes on (not only when it stops), and saved
    once, when it stops."""
    posted: dict[int, tuple[float, Message]] = {}   # a message is seen by each node it visits
    app = EditorApp()
    async with app.run_test(size=(60, 20), message_hook=lambda m: posted.setdefault(
            id(m), (time.monotonic(), m))) as pilot:
        editor = app.query_one(FinalEditor)
        editor.show("seg-1", "Baku")
        editor.focus()
        await pilot.press("end")
        start = time.monotonic()
        for char in " is the capital of Azerbaijan":
            await pilot.press(char if char != " " else "space")
            await pilot.pause(0.04)
        typing_ended = time.monotonic()
        await pilot.pause(1.0)
        before_exit = time.monotonic()   # leaving the editor (the app closing) saves too
    typed = sorted(t for t, m in posted.values() if isinstance(m, FinalEditor.Typed))
    paused = [(t, m) for t, m in posted.values()
              if isinstance(m, FinalEditor.Paused) and t < before_exit]
    assert typing_ended - start > 1.0
    assert typed and typed[0] - start < JOURNAL_SECONDS + 0.5    # not only once typing stops
    assert len([t for t in typed if t < typing_ended]) >= 3
    assert len(paused) == 1 and paused[0][0] > typing_ended
    assert paused[0][1].edit == Edit("seg-1", "Baku is the capital of Azerbaijan")  # type: ignore[attr-defined]


@drive
async def test_an_editor_shows_a_segment_with_nothing_pending() -> None:
    app = EditorApp()
    async with app.run_test(size=(60, 20)) as pilot:
        editor = app.query_one(FinalEditor)
        editor.show("seg-1", "Baku")
        assert editor.pending() is None
        editor.move_cursor(editor.document.end)
        editor.insert("!")
        assert editor.pending() == Edit("seg-1", "Baku!")
        editor.saved(Edit("seg-1", "Baku!"))
        assert editor.pending() is None
        editor.show("seg-2", "long", editable=False)
        editor.insert("?")
        assert editor.pending() is None and editor.read_only
        await pilot.pause()


@drive
async def test_japanese_wrapping_is_the_editors_alone() -> None:
    """The Final editor breaks between Japanese characters; a plain TextArea in the same
    process keeps Textual's own wrapping (nothing of Textual's is patched)."""
    assert wrapped_document.compute_wrap_offsets is textual._wrap.compute_wrap_offsets
    app = EditorApp()
    async with app.run_test(size=(30, 20)) as pilot:
        editor = app.query_one(FinalEditor)
        editor.show("seg-1", JAPANESE)
        await pilot.pause()
        plain = app.query_one("#plain", TextArea)
        mine = editor.wrapped_document.lines[0]
        theirs = plain.wrapped_document.lines[0]
        width = editor.wrap_width
        assert mine[0].startswith("Abulfaz Elchibeyの")    # filled, broken between characters
        assert all(cell_len(line.rstrip()) <= width for line in mine)
        assert not any(line.startswith(("、", "。")) for line in mine)
        assert theirs[0].rstrip() == "Abulfaz"            # Textual's: at the space
    assert wrapped_document.compute_wrap_offsets is textual._wrap.compute_wrap_offsets


@given(st.text(alphabet=st.sampled_from(list("あいうアイウ漢字、。ー」「 abc Elchibey1")),
               min_size=1, max_size=120), st.integers(min_value=2, max_value=40))
def test_kinsoku_breaks_fit_and_never_start_a_line_with_a_closing_mark(text: str,
                                                                      width: int) -> None:
    offsets = wrap_offsets(text, width)
    assert offsets == sorted(set(offsets)) and all(0 < o < len(text) for o in offsets)
    for start, end in zip([0, *offsets], [*offsets, len(text)], strict=True):
        piece = text[start:end]
        assert cell_len(piece.rstrip()) <= max(width, 2)
        if start and piece[0] in NO_LINE_START:
            # only where the run before it could not have been broken elsewhere
            assert cell_len(text[offsets[offsets.index(start) - 1] if
                                 offsets.index(start) else 0:start]) >= width - 1


# ---------------------------------------------------------------- Textual and keys
def test_another_textual_version_is_refused_with_what_to_do() -> None:
    code = ("import textual; textual.__version__ = '99.0.0'\n"
            "from workbench.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code, "review"], capture_output=True,
                          text=True, cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 2
    assert "needs textual 8.2.8, but 99.0.0 is installed" in proc.stderr
    assert "pip install 'textual==8.2.8'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_every_binding_has_an_id_and_a_short_tooltip() -> None:
    bindings = [*keys.REVIEW_KEYS, *keys.REPAIR_KEYS, *keys.APP_KEYS, *SegmentList.BINDINGS,
                *FinalEditor.BINDINGS, *SearchBar.BINDINGS, *KeysScreen.BINDINGS,
                *dialogs.GlossaryDialog.BINDINGS, *dialogs.ChoiceDialog.BINDINGS,
                *ConflictDialog.BINDINGS, *SplitDialog.BINDINGS]
    ids = []
    for binding in bindings:
        assert isinstance(binding, Binding)
        assert binding.id and binding.tooltip, binding
        assert len(binding.tooltip) < 28, binding.tooltip    # one line in the list of keys
        ids.append(binding.id)
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the workers
@drive
async def test_saving_does_not_cancel_an_export(project_dir: Path) -> None:
    """`write_aligned` and `export` are separate kinds of work: one never drops the other."""
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("enter")
        app.review.start_export(["tmx"])
        app.review.action_save()
        await settle(pilot)
        titles = {n.title for n in app._notifications}
        assert {"tmx", "aligned"} <= titles
        assert (project_dir / "aligned" / "relations.tmx").exists()


@drive
async def test_only_the_ui_thread_touches_the_session(project_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      installed_model: Any) -> None:
    """Thread workers (reading, checking, MT, the glossary, files) compute from what they
    were handed and post a message; the session is read and changed on the UI thread only."""
    off_thread: set[str] = set()
    main = threading.main_thread()
    getattribute = ReviewSession.__getattribute__

    def watched(self: ReviewSession, name: str) -> Any:
        if threading.current_thread() is not main:
            off_thread.add(name)
        return getattribute(self, name)

    monkeypatch.setattr(ReviewSession, "__getattribute__", watched)
    async with reviewing(project_dir, doc="relations") as (app, pilot):
        await pilot.press("t")
        await settle(pilot)
        app.review.term_entered(dialogs.NewTerm("バクー", "Baku", "place"))
        await settle(pilot)
        app.review.start_export(["tmx", "xlsx"])
        app.review.action_save()
        await settle(pilot)
        assert any("Added バクー → Baku" in n.message for n in app._notifications)
    assert off_thread == set()
