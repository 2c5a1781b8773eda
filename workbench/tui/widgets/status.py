"""The one-line header: document, progress, position, filter and background work."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.widgets import Static


@dataclass(frozen=True)
class Status:
    """What the header shows; the screen builds one per change."""

    doc: str
    progress: str
    position: str
    filter: str = ""
    work: str = ""


class StatusHeader(Static):
    """Document and progress on the left, filter and background work on the right.

    One line of fixed size, updated without a layout (it is redrawn on every move).
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

    def show(self, status: Status, *, force: bool = False) -> None:
        if status == self.status and not force:
            return
        self.status = status
        left = Content.assemble(
            (status.doc, "bold"), "  ", (status.progress, "$success"), "  ",
            (status.position, "$text-muted"))
        right = Content("  ").join(
            [Content.styled(f"filter: {status.filter}", "$warning")] * bool(status.filter)
            + [Content.styled(status.work, "$accent")] * bool(status.work))
        gap = self.content_region.width - left.cell_length - right.cell_length
        if right and gap < 2:  # too narrow: the right side wins, the document name is cut
            left = left.truncate(max(0, self.content_region.width - right.cell_length - 2),
                                 ellipsis=True)
            gap = 2
        self.update(Content.assemble(left, " " * max(gap, 0), right) if right else left,
                    layout=False)

    def on_resize(self, event: events.Resize) -> None:
        if self.status is not None:
            self.show(self.status, force=True)
