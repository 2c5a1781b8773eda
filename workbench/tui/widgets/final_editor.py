"""The Final pane: a TextArea that loads a new segment without re-laying-out the screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import TextArea

from workbench.tui.widgets.content_view import set_virtual_size


class FinalEditor(TextArea):
    """Soft-wrapped editor of the final translation."""

    def _refresh_size(self) -> None:
        # TextArea assigns virtual_size (a layout of the whole screen) on every load_text;
        # its own size never depends on it. Textual is pinned, so overriding this is safe.
        if self.soft_wrap:
            set_virtual_size(self, Size(0, self.wrapped_document.height))
        else:
            width, height = self.document.get_size(self.indent_width)
            set_virtual_size(self, Size(width + self.gutter_width + 1, height))
        self._refresh_scrollbars()
