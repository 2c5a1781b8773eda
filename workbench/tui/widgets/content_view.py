"""A scrollable piece of text drawn line by line, whose update never re-lays-out the screen.

A Static in a scroll container changes height with its text, and a height change makes
Textual lay out and repaint the whole screen: on every move to the next segment. Here the
widget's size comes from the stylesheet only; new text repaints the lines that changed.
There is no scrollbar widget (one appearing or disappearing costs a layout too): the mouse
wheel scrolls, and the border says when there is more below.

Lines are wrapped for Japanese (`workbench.tui.kinsoku`).
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style

from workbench.tui.compat import line_strip, set_virtual_size
from workbench.tui.kinsoku import wrap_offsets

MORE = "▼ more"


class ContentView(ScrollView, can_focus=False):
    """Wrapped Content, rendered once per text and width; mouse selection works as in Static."""

    DEFAULT_CSS = """
    ContentView {
        overflow-x: hidden;
        overflow-y: hidden;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.content = Content("")
        self.note = ""
        self._strips: list[Strip] = []
        self._width = -1

    def update(self, content: Content, note: str = "") -> None:
        """Show `content` from its first line; `note` goes in the bottom border."""
        if (content.plain, content.spans, note) == (self.content.plain, self.content.spans,
                                                    self.note):
            if self.scroll_y:
                self.scroll_to(y=0, animate=False, immediate=True, force=True)
            return
        before = len(self._strips)
        self.content = content
        self.note = note
        self._width = -1
        self._wrap()
        if self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
            self.refresh()
        else:
            self.refresh_lines(0, max(before, len(self._strips)))
        self._show_note()

    @property
    def text(self) -> str:
        return self.content.plain

    @property
    def allow_vertical_scroll(self) -> bool:
        return self.max_scroll_y > 0

    def _wrap(self) -> list[Strip]:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._strips = self._render_strips(width) if width > 0 else []
            set_virtual_size(self, Size(width, len(self._strips)))
        return self._strips

    def _render_strips(self, width: int) -> list[Strip]:
        # As Content.render_strips, with our own line breaks.
        style = self.visual_style
        selection = self.text_selection
        selection_style = (Style.from_styles(self.screen.get_component_styles("screen--selection"))
                           if selection is not None else None)
        strips = []
        for y, line in enumerate(self.content.split(allow_blank=True)):
            if selection is not None and (span := selection.get_span(y)) is not None:
                start, end = span
                line = line.stylize(selection_style or "", start,
                                    len(line.plain) if end == -1 else end)
            offsets = wrap_offsets(line.plain, width)
            for x, piece in zip([0, *offsets], line.divide(offsets), strict=True):
                strips.append(line_strip(self, piece.rstrip_end(width), width, x=x, y=y,
                                         style=style))
        return strips

    def _show_note(self) -> None:
        more = self.scroll_y < self.max_scroll_y
        subtitle = "  ".join(part for part in (self.note, MORE if more else "") if part)
        if subtitle != self.border_subtitle:
            self.border_subtitle = subtitle

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._show_note()

    def on_resize(self, event: events.Resize) -> None:
        self._wrap()
        self._show_note()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width = -1

    def selection_updated(self, selection: Selection | None) -> None:
        self._width = -1
        self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        # selection offsets are (line, column) of the unwrapped text, as in a Static
        return selection.extract(self.content.plain), "\n"

    def render_line(self, y: int) -> Strip:
        strips = self._wrap()
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if 0 <= index < len(strips):
            return strips[index].extend_cell_length(width, self.visual_style.rich_style)
        return Strip.blank(width, self.visual_style.rich_style)
