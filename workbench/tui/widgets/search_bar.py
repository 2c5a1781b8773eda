"""The search box over the segment list: shown by `/`, hidden and out of the focus chain
otherwise, so a key never lands in it unseen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

SEARCH_DELAY = 0.15
"""The list is filtered this long after the last keystroke in the box."""


class SearchBar(Input):
    """Search source and target; `Searched` is posted as the reviewer types (debounced),
    `Closed` when they leave the box (enter keeps the search, escape clears it)."""

    DEFAULT_CSS = """
    SearchBar {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
        &.-shown { display: block; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close(True)", "Clear search", show=False, id="search.clear",
                tooltip="Clear the search, leave"),
    ]

    @dataclass
    class Searched(Message):
        """The reviewer wants the list to show only segments containing `query`."""

        query: str

    @dataclass
    class Closed(Message):
        """The reviewer left the search box."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="search source and target; enter to keep, esc to clear",
                         id=id, disabled=True)
        self._timer: Timer | None = None

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # `/` is typed here (Textual does not count it as typed): the footer must not offer
        # the screen's / while the box has the focus.
        return key == "slash" or super().check_consume_key(key, character)

    def open(self) -> None:
        """Show the box and type into it."""
        self.disabled = False
        self.add_class("-shown")
        self.focus()

    def action_close(self, clear: bool = False) -> None:
        """Hide the box (a kept search stays in force); `clear` drops the search."""
        if clear and self.value:
            self.value = ""
            self._search()
        self._stop_timer()
        self.remove_class("-shown")
        self.disabled = True
        self.post_message(self.Closed())

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._stop_timer()
        self._timer = self.set_timer(SEARCH_DELAY, self._search)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._search()
        self.action_close(clear=not self.value.strip())

    def _search(self) -> None:
        self._stop_timer()
        self.post_message(self.Searched(self.value.strip()))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
