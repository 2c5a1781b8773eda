"""The list of keys (f1): the workbench's own keys, one line each, grouped by where they work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_WIDTH = 9
"""Cells for the keys of one entry; the tooltips that follow are kept under 28."""

Section = tuple[str, Sequence[Binding]]
"""A titled group of keys."""


def entry(binding: Binding, display: Callable[[Binding], str]) -> Content:
    """`keys  what they do`: as many of the binding's keys as fit KEY_WIDTH."""
    keys: list[str] = []
    for key in binding.key.split(","):
        shown = display(binding.with_key(key.strip()))
        if keys and len(" ".join([*keys, shown])) > KEY_WIDTH:
            break
        keys.append(shown)
    text = " ".join(keys)
    return Content.assemble((f"{text:>{KEY_WIDTH}} ", "bold $accent"),
                            binding.tooltip or binding.description)


def group_entry(bindings: Sequence[Binding], display: Callable[[Binding], str]) -> Content:
    """One line for a group of bindings (`Binding.Group`): the first key of each, then
    the group's description."""
    keys = " ".join(display(b.with_key(b.key.split(",")[0].strip())) for b in bindings)
    description = bindings[0].group.description if bindings[0].group else ""
    return Content.assemble((f"{keys:>{KEY_WIDTH}} ", "bold $accent"), description)


def section_content(sections: Sequence[Section], display: Callable[[Binding], str]) -> Content:
    """The sections one under the other; the bindings of a group on one line."""
    lines: list[Content] = []
    for title, bindings in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(title, "bold $text-muted"))
        runs: list[list[Binding]] = []
        for binding in bindings:
            if runs and binding.group is not None and runs[-1][0].group is binding.group:
                runs[-1].append(binding)
            else:
                runs.append([binding])
        lines.extend(entry(run[0], display) if len(run) == 1 else group_entry(run, display)
                     for run in runs)
    return Content("\n").join(lines)


class KeysScreen(ModalScreen[None]):
    """Two columns of sections of keys; any of escape, f1, ? or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss(None)", "Close", id="keys.close",
                tooltip="Close the list of keys"),
    ]

    def __init__(self, left: Sequence[Section], right: Sequence[Section]) -> None:
        super().__init__()
        self.left = left
        self.right = right

    def compose(self) -> ComposeResult:
        display = self.app.get_key_display
        with VerticalScroll(id="keys", classes="dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc closes"
            with Grid(id="keys-columns"):
                yield Static(section_content(self.left, display))
                yield Static(section_content(self.right, display))
