"""The Final pane: the editor of the final translation, which saves as the reviewer types.

It owns autosave. At most JOURNAL_SECONDS after a keystroke it posts `Typed` (the screen
journals the text, so a kill loses no more than that), and AUTOSAVE_SECONDS after the last
keystroke, or on leaving the editor, `Paused` (the screen saves the text as a draft, one
history entry per pause rather than per keystroke). It wraps Japanese between characters
as the other panes do, and loads a segment without a layout of the screen
(`compat.WrappingTextArea`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import TextArea

from workbench.tui.compat import WrappingTextArea
from workbench.tui.kinsoku import wrap_offsets

JOURNAL_SECONDS = 0.2
"""Text typed into Final is journaled in the project state at most this long after it is typed."""

AUTOSAVE_SECONDS = 0.6
"""An edit of Final is saved as a draft this long after the last keystroke (or on leaving)."""


@dataclass(frozen=True)
class Edit:
    """The text of Final for one segment, typed and not saved yet."""

    segment_id: str
    text: str


CLIPBOARD = Binding.Group("Cut, copy, paste")


class FinalEditor(WrappingTextArea):
    """Soft-wrapped editor of one segment's final translation."""

    # The keys of a text box in a word processor; TextArea's others (home/end, shift+arrows
    # select, ctrl+←/→ by word, ctrl+u/ctrl+k delete) are kept as they are.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "done", "Done", id="final.done", tooltip="Save, leave Final"),
        Binding("ctrl+a", "select_all", "Select all", id="final.select-all",
                tooltip="Select all of Final"),
        Binding("ctrl+z,super+z", "undo", "Undo", id="final.undo", tooltip="Undo typing"),
        Binding("ctrl+y,super+y", "redo", "Redo", id="final.redo", tooltip="Redo typing"),
        Binding("ctrl+x,super+x", "cut", "Cut", show=False, id="final.cut",
                tooltip="Cut the selection", group=CLIPBOARD),
        Binding("ctrl+c,super+c", "copy", "Copy", show=False, id="final.copy",
                tooltip="Copy the selection", group=CLIPBOARD),
        Binding("ctrl+v", "paste", "Paste", show=False, id="final.paste", tooltip="Paste",
                group=CLIPBOARD),
        Binding("ctrl+w,ctrl+backspace,alt+backspace", "delete_word_left", "Delete word",
                show=False, id="final.delete-word", tooltip="Delete the word before"),
    ]

    @dataclass
    class Typed(Message):
        """Text was typed and is not saved yet: journal it (posted while typing)."""

        edit: Edit

    @dataclass
    class Paused(Message):
        """The reviewer stopped typing or left the editor: save the edit."""

        edit: Edit

    @dataclass
    class Done(Message):
        """The reviewer is done with Final (escape): the focus goes back to the list."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(line_breaks=wrap_offsets, soft_wrap=True, tab_behavior="focus",
                         show_line_numbers=False, id=id, classes=classes)
        self.segment_id: str | None = None
        self.saved_text = ""
        """The text as the project holds it (or as it was loaded)."""
        self._journal_timer: Timer | None = None
        self._pause_timer: Timer | None = None

    def show(self, segment_id: str | None, text: str, *, editable: bool = True) -> None:
        """Load one segment's text; nothing is pending after it."""
        self._stop_timers()
        self.segment_id = segment_id
        self.saved_text = text
        self.read_only = not editable
        if self.text != text:
            self.load_text(text)

    def pending(self) -> Edit | None:
        """The edit typed and not saved yet, if any."""
        if self.segment_id is None or self.read_only or self.text == self.saved_text:
            return None
        return Edit(self.segment_id, self.text)

    def saved(self, edit: Edit) -> None:
        """`edit` is in the project now: nothing is pending unless typed since."""
        if edit.segment_id == self.segment_id:
            self.saved_text = edit.text
        if self.pending() is None:
            self._stop_timers()

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # Enter starts a new line and `/` is typed like any character (Textual does not
        # count them as typed): the screen's ⏎ and / do nothing here, and the footer must
        # not offer them while Final is edited.
        if not self.read_only and key in ("enter", "slash"):
            return True
        return super().check_consume_key(key, character)

    def action_done(self) -> None:
        self._pause()
        self.post_message(self.Done())

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is not self or self.pending() is None:
            return
        if self._journal_timer is None:   # not reset by each key: journaled while typing
            self._journal_timer = self.set_timer(JOURNAL_SECONDS, self._journal)
        if self._pause_timer is not None:
            self._pause_timer.stop()
        self._pause_timer = self.set_timer(AUTOSAVE_SECONDS, self._pause)

    def on_blur(self, event: events.Blur) -> None:
        self._pause()

    def _journal(self) -> None:
        self._journal_timer = None
        edit = self.pending()
        if edit is not None:
            self.post_message(self.Typed(edit))

    def _pause(self) -> None:
        self._stop_timers()
        edit = self.pending()
        if edit is not None:
            self.post_message(self.Paused(edit))

    def _stop_timers(self) -> None:
        for timer in (self._journal_timer, self._pause_timer):
            if timer is not None:
                timer.stop()
        self._journal_timer = self._pause_timer = None
