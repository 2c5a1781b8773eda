"""A one-message Textual app: what a browser tab shows when its workbench cannot open (the
project is locked by another workbench, there is nothing to review, the database is down)
instead of a closed connection."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Static


class NoticeApp(App[None]):
    """Shows a title and a message until the reviewer presses q, escape or enter."""

    TITLE = "workbench"
    CSS = """
    Screen { align: center middle; }
    #notice { width: 90%; max-width: 100; height: auto; border: round $error;
              padding: 1 2; }
    #notice-title { text-style: bold; color: $error; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,enter", "quit", "Close", id="notice.close",
                tooltip="Close this message (the tab's session ends)"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.notice_title = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="notice"):
            yield Static(self.notice_title, id="notice-title", markup=False)
            yield Static(self.message, id="notice-message", markup=False)
        yield Footer()


def show_notice(title: str, message: str) -> None:
    """Run a NoticeApp until it is closed."""
    NoticeApp(title, message).run()
