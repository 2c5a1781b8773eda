"""Every use of Textual's private names, in one place, for the one Textual version it is
written against.

The review screen draws text line by line and edits Final without a layout of the whole
screen on each move, and wraps Japanese between characters: Textual has no public API for
either. What that takes from Textual's internals is here and nowhere else, and importing
this module checks that the installed Textual is the pinned one. On an upgrade: read the
Textual changelog for the names used below, run `pytest tests/tui`, then move the pin
(pyproject.toml and `TEXTUAL_VERSION`) together.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any

import textual
import textual.document._wrapped_document as _wrapped_module
from textual._wrap import compute_wrap_offsets
from textual.content import Content, _FormattedLine
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget
from textual.widgets import TextArea

from workbench.core.errors import WorkbenchError

TEXTUAL_VERSION = "8.2.8"
"""The Textual release this module was checked against (pyproject.toml pins the same)."""

LineBreaks = Callable[[str, int], list[int]]
"""Where to break one line of text to fit a width: offsets into the line."""


class TextualVersionError(WorkbenchError):
    """The installed Textual is not the version the review screen was built on."""


def check_version(installed: str) -> None:
    """Refuse a Textual other than the pinned one, saying how to get the right one."""
    if installed != TEXTUAL_VERSION:
        raise TextualVersionError(
            f"the review workbench needs textual {TEXTUAL_VERSION}, but {installed} is "
            "installed", hint=f"pip install 'textual=={TEXTUAL_VERSION}' (the version in "
                              "pyproject.toml); a newer Textual changes internals it relies on.")


check_version(textual.__version__)


# ---------------------------------------------------------------------- drawing
def set_virtual_size(widget: Widget, size: Size) -> None:
    """Change a scrolling widget's virtual size without a layout of the whole screen.

    Assigning `virtual_size` asks Textual for a layout (the reactive is declared so), and
    a layout repaints every widget. A Line API widget's own size does not depend on its
    virtual size, so updating the scrollbars and repainting the widget is enough; only a
    scrollbar appearing or disappearing still costs a layout.
    """
    if size != widget.virtual_size:
        widget.set_reactive(Widget.virtual_size, size)
        widget._scroll_update(size)


def line_strip(widget: Widget, piece: Content, width: int, *, x: int, y: int,
               style: Style) -> Strip:
    """One wrapped piece of a line of `widget`'s Content as a Strip, as `Content.render_strips`
    makes it; (x, y) is where the piece starts in the unwrapped text, which is what a mouse
    selection reports."""
    formatted = _FormattedLine(widget._get_style, piece, width, x=x, y=y)
    return Strip(*formatted.to_strip(style))


# ---------------------------------------------------------------------- wrapping in a TextArea
def _rebind(function: Any, namespace: dict[str, Any]) -> Any:
    """`function` with its global names looked up in `namespace` (its code unchanged)."""
    return types.FunctionType(function.__code__, namespace, function.__name__,
                              function.__defaults__, function.__closure__)


@functools.cache
def _wrapped_document_class(breaks: LineBreaks) -> type[WrappedDocument]:
    """A WrappedDocument that breaks lines with `breaks` (lines with tabs: as Textual does).

    Textual's own `wrap` and `wrap_range` are reused as they are, with the one global name
    they call to find breaks resolved to `breaks`: Textual's module is left untouched, so
    every other TextArea in the process wraps as before.
    """

    def offsets(text: str, width: int, tab_size: int = 4, fold: bool = True,
                precomputed_tab_sections: Any = None) -> list[int]:
        if "\t" in text:
            return compute_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)
        return breaks(text, width)

    namespace = {**vars(_wrapped_module), "compute_wrap_offsets": offsets}
    return type("BreakingWrappedDocument", (WrappedDocument,), {
        "wrap": _rebind(WrappedDocument.wrap, namespace),
        "wrap_range": _rebind(WrappedDocument.wrap_range, namespace),
    })


for _method in (WrappedDocument.wrap, WrappedDocument.wrap_range):
    if "compute_wrap_offsets" not in _method.__code__.co_names:
        raise TextualVersionError("textual's WrappedDocument no longer calls "
                                  "compute_wrap_offsets", hint=f"pip install "
                                  f"'textual=={TEXTUAL_VERSION}'")


class WrappingTextArea(TextArea):
    """A TextArea that soft-wraps with `line_breaks` (None: at spaces, as TextArea does), and
    whose new text never costs a layout of the whole screen."""

    def __init__(self, text: str = "", *, line_breaks: LineBreaks | None = None,
                 **options: Any) -> None:
        self._line_breaks = line_breaks   # before TextArea makes its first WrappedDocument
        super().__init__(text, **options)

    @property
    def wrapped_document(self) -> WrappedDocument:
        return self.__wrapped

    @wrapped_document.setter
    def wrapped_document(self, document: WrappedDocument) -> None:
        # TextArea makes a new, unwrapped WrappedDocument for every text it loads and
        # wraps it afterwards: swapped for ours here, before it is wrapped.
        if self._line_breaks is not None and type(document) is WrappedDocument:
            document = _wrapped_document_class(self._line_breaks)(
                document.document, document._width, document._tab_width)
        self.__wrapped = document

    def _refresh_size(self) -> None:
        # TextArea assigns virtual_size (a layout of the whole screen) on every load_text;
        # its own size never depends on it.
        if self.soft_wrap:
            set_virtual_size(self, Size(0, self.wrapped_document.height))
        else:
            width, height = self.document.get_size(self.indent_width)
            set_virtual_size(self, Size(width + self.gutter_width + 1, height))
        self._refresh_scrollbars()
