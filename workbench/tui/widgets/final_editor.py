"""The Final pane: a TextArea that loads a new segment without re-laying-out the screen, and
wraps Japanese between characters as the other panes do."""

from __future__ import annotations

from typing import Any

import textual.document._wrapped_document as wrapped_document
from textual._wrap import compute_wrap_offsets
from textual.geometry import Size
from textual.widgets import TextArea

from workbench.tui.widgets.content_view import set_virtual_size, wrap_offsets


def _wrap_offsets(text: str, width: int, tab_size: int, fold: bool = True,
                  precomputed_tab_sections: Any = None) -> list[int]:
    # TextArea wraps with Rich's rule (at spaces only), which leaves `Elchibey` alone on a
    # line before a long run of Japanese. Lines without tabs get the kinsoku-aware breaks.
    if "\t" in text:
        return compute_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)
    return wrap_offsets(text, width)


# The only caller of this name is TextArea's WrappedDocument (Textual is pinned).
wrapped_document.compute_wrap_offsets = _wrap_offsets


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
