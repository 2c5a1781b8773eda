"""The one-line header: document, progress, position, filter and background work."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.widgets import Static

MIN_NAME = 12
"""Cells of the document name kept before the right side of the header gives way."""


@dataclass(frozen=True)
class Status:
    """Where the reviewer is; the screen builds one per change."""

    doc: str
    progress: str
    position: str
    filter: str = ""


class StatusHeader(Static):
    """Document, progress and position on the left, filter and background work on the right.

    One line of fixed size, updated without a layout (it is redrawn on every move). When it
    is too narrow the document name gives way first, then the right side; the position
    (`#12 · 12/167`) always shows.
    """

    DEFAULT_CSS = """
    StatusHeader {
        dock: top;
        width: 1fr;
        height: 1;
        background: $panel;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    status: Status | None = None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.work: dict[str, str] = {}
        """What runs in the background, by kind (`mt`, `checks`, `glossary`)."""

    def show(self, status: Status | None = None, *, force: bool = False) -> None:
        status = status or self.status
        if status is None or (status == self.status and not force):
            return
        self.status = status
        width = self.content_region.width
        right = Content("  ").join(
            [Content.styled(f"filter: {status.filter}", "$warning")] * bool(status.filter)
            + [Content.styled(note, "$accent") for note in self.work.values()])
        fixed = Content.assemble("  ", (status.progress, "$success"), "  ",
                                 (status.position, "$text-muted"))
        room = width - fixed.cell_length - (right.cell_length + 2 if right else 0)
        if room < min(len(status.doc), MIN_NAME) and right:
            right = right.truncate(max(0, width - fixed.cell_length - MIN_NAME - 2),
                                   ellipsis=True)
            room = width - fixed.cell_length - (right.cell_length + 2 if right else 0)
        doc = Content.styled(status.doc, "bold")
        if doc.cell_length > room:
            doc = doc.truncate(max(1, room), ellipsis=True)
        left = Content.assemble(doc, fixed)
        gap = width - left.cell_length - right.cell_length
        self.update(Content.assemble(left, " " * max(gap, 2), right) if right else left,
                    layout=False)

    def working(self, kind: str, note: str | None) -> None:
        """Say what background work of `kind` is doing (None: it is done)."""
        if note is None:
            if self.work.pop(kind, None) is None:
                return
        else:
            self.work[kind] = note
        self.show(force=True)

    def on_resize(self, event: events.Resize) -> None:
        self.show(force=True)
