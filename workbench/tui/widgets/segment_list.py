"""A virtual list of segments: one line per segment, only the visible lines are rendered.

A Line API widget (toolong's `LogLines` is the model): `render_line(y)` asks the row
source for one row and caches the rendered strip by the row's content, so moving the
cursor over 20,000 segments redraws two lines and nothing is built per row up front.
"""

from __future__ import annotations

from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from workbench.core.session import Row

STATUS_MARKS: dict[str, str] = {
    "new": " ",
    "draft": "✎",
    "reviewed": "✓",
    "approved": "✔",
    "rejected": "✗",
}
"""One narrow (non-ambiguous width) character per status, so columns line up anywhere."""
REPEAT_MARK = "↻"
"""After the status mark of a segment whose source occurs elsewhere in the project (a
repetition: reviewing one fills the others); narrow too."""


PAGE = Binding.Group("Page up/down")
ENDS = Binding.Group("First/last segment")


class RowSource(Protocol):
    """What the list reads its rows from (the review session)."""

    def __len__(self) -> int: ...

    def row(self, position: int) -> Row: ...


class SegmentList(ScrollView, can_focus=True):
    """Status mark, number, source excerpt and issue marks, one segment per line."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "segment-list--cursor",
        "segment-list--number",
        "segment-list--repeated",
        "segment-list--note",
        "segment-list--draft",
        "segment-list--reviewed",
        "segment-list--approved",
        "segment-list--rejected",
        "segment-list--error",
        "segment-list--warning",
    }

    DEFAULT_CSS = """
    SegmentList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .segment-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .segment-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .segment-list--number { color: $text-muted; }
        & > .segment-list--repeated { color: $secondary; }
        & > .segment-list--note { color: $warning; }
        & > .segment-list--draft { color: $warning; }
        & > .segment-list--reviewed { color: $success; }
        & > .segment-list--approved { color: $accent; text-style: bold; }
        & > .segment-list--rejected { color: $error; }
        & > .segment-list--error { color: $error; text-style: bold; }
        & > .segment-list--warning { color: $warning; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "step(1)", "Next segment", show=False, id="list.next",
                tooltip="Next segment"),
        Binding("up,k", "step(-1)", "Previous segment", show=False, id="list.previous",
                tooltip="Previous segment"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page-up",
                tooltip="Page up", group=PAGE),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page-down",
                tooltip="Page down", group=PAGE),
        Binding("home", "jump(0)", "First segment", show=False, id="list.first",
                tooltip="First segment", group=ENDS),
        Binding("end", "jump(-1)", "Last segment", show=False, id="list.last",
                tooltip="Last segment", group=ENDS),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """The position of the current segment in the (filtered) list."""

    class Highlighted(Message):
        """The reviewer moved the cursor with the mouse or a paging key."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, rows: RowSource, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows
        self._cache: LRUCache[tuple[Row, int, int, bool, bool], Strip] = LRUCache(1024)

    # ------------------------------------------------------------------ data
    def reset(self, cursor: int = 0) -> None:
        """The row source changed length or order (new document, new filter)."""
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self.set_reactive(SegmentList.cursor, self._clamp(cursor))
        self._scroll_cursor_into_view()
        self.refresh()

    def refresh_position(self, position: int) -> None:
        """Redraw one row whose content changed (a status, an issue mark)."""
        self.refresh_line(position)

    def _clamp(self, position: int) -> int:
        return max(0, min(position, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        context = 2 if height > 6 else 0
        if self.cursor < top + context:
            self.scroll_to(y=max(0, self.cursor - context), animate=False, immediate=True,
                           force=True)
        elif self.cursor >= top + height - context:
            self.scroll_to(y=self.cursor - height + 1 + context, animate=False, immediate=True,
                           force=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # ------------------------------------------------------------------ input
    def move_to(self, position: int) -> None:
        """Move the cursor and tell the screen (input that started in the list)."""
        if not len(self.rows):
            return
        self.cursor = self._clamp(position)
        self.post_message(self.Highlighted(self.cursor))

    def action_step(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, position: int) -> None:
        self.move_to(position if position >= 0 else len(self.rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self.move_to(round(self.scroll_y) + offset.y)

    # ------------------------------------------------------------------ rendering
    def render_line(self, y: int) -> Strip:
        position = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if position >= len(self.rows) or width <= 0:
            return Strip.blank(width, self.rich_style)
        row = self.rows.row(position)
        key = (row, width, max(4, len(str(len(self.rows)))), position == self.cursor,
               self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, key[2], key[3])
            self._cache[key] = strip
        return strip

    def _render_row(self, row: Row, width: int, number_width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        style = self.get_component_rich_style
        mark = STATUS_MARKS.get(row.status, "?")
        mark_style = base + style(f"segment-list--{row.status}", default=Style())
        number = f"{row.number:>{number_width}} "
        note = f"{row.note} " if row.note else ""
        marks_style = style("segment-list--error" if row.marks.startswith("!")
                            else "segment-list--warning")
        tail = f" {row.marks}" if row.marks else ""
        text_width = max(0, width - 2 - len(number) - len(note) - cell_len(tail))
        excerpt = set_cell_size(" ".join(row.text.split()), text_width)
        cursor = style("segment-list--cursor") if is_cursor else Style()
        segments = [
            Segment(mark, mark_style + cursor),
            Segment(REPEAT_MARK if row.repeated else " ",
                    base + style("segment-list--repeated") + cursor),
            Segment(number, base + style("segment-list--number") + cursor),
            Segment(note, base + style("segment-list--note") + cursor),
            Segment(excerpt, base + cursor),
            Segment(tail, base + marks_style + cursor),
        ]
        return Strip(segments).crop_extend(0, width, base + cursor)
