"""The split dialog: the segment's source with a cursor; the segment is split where the
cursor is (the first piece ends there)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

SENTENCE_ENDS = "。！？!?"


def likely_split(source: str) -> int:
    """Where the cursor starts: after the sentence end nearest the middle (a segment that
    holds two sentences), else the middle."""
    ends = [i + 1 for i, ch in enumerate(source[:-1]) if ch in SENTENCE_ENDS]
    middle = len(source) // 2
    return min(ends, key=lambda i: abs(i - middle)) if ends else middle


def location(text: str, index: int) -> tuple[int, int]:
    """The (row, column) of a character index, as a text area counts them."""
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1)


def index(text: str, at: tuple[int, int]) -> int:
    """The character index of a (row, column) location."""
    lines = text.split("\n")
    row, column = at
    return sum(len(line) + 1 for line in lines[:row]) + column


class SplitDialog(ModalScreen[int | None]):
    """Move the cursor in the source; enter splits there, escape does nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "split", "Split", id="split.split", tooltip="Split at the cursor"),
        Binding("escape", "dismiss(None)", "Cancel", id="split.cancel",
                tooltip="Close without splitting"),
    ]

    def __init__(self, ordinal: int, source: str) -> None:
        super().__init__()
        self.ordinal = ordinal
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="split-dialog") as box:
            box.border_title = f"Split #{self.ordinal}"
            box.border_subtitle = "←/→ move · ⏎ split here · esc cancels"
            yield Label("The first piece ends at the cursor.", classes="dialog-context")
            yield TextArea(self.source, read_only=True, soft_wrap=True, compact=True,
                           id="split-source")

    def on_mount(self) -> None:
        area = self.query_one("#split-source", TextArea)
        area.focus()
        area.move_cursor(location(self.source, likely_split(self.source)))

    @property
    def split_at(self) -> int:
        """The character offset of the cursor in the source."""
        return index(self.source, self.query_one("#split-source", TextArea).cursor_location)

    def action_split(self) -> None:
        offset = self.split_at
        if 0 < offset < len(self.source):
            self.dismiss(offset)
        else:
            self.notify("Put the cursor inside the sentence: each piece needs some text.",
                        severity="warning")
