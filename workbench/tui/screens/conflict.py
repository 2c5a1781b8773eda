"""The conflict dialog: another reviewer changed the segment after this one read it, and the
write was refused. Both texts side by side, and the three ways out: keep mine, take theirs,
or merge the two by hand in the box that holds mine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static, TextArea

from workbench.core.project import Conflict


@dataclass(frozen=True)
class Resolution:
    """What the reviewer chose; `text` is the merged final, for "merged"."""

    choice: Literal["mine", "theirs", "merged"]
    text: str | None = None


def conflict_title(conflict: Conflict) -> str:
    theirs = conflict.theirs
    who = theirs.updated_by or "someone"
    at = (theirs.updated_at or "").replace("T", " ").removesuffix("Z")
    return f"#{theirs.ordinal} was changed by {who}" + (f" at {at}" if at else "")


def mine_text(conflict: Conflict) -> str:
    """What the merge box starts from: my text, or theirs when I only changed the status."""
    if conflict.mine_final is not None:
        return conflict.mine_final
    return conflict.theirs.final or ""


class ConflictDialog(ModalScreen[Resolution | None]):
    """Theirs above (as the state holds it now), mine below in an editable box.

    Escape leaves it undecided: nothing is written and the refused text stays in Final;
    saving it again brings this dialog back.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "keep_mine", "Keep mine", id="conflict.mine",
                tooltip="Write mine over theirs"),
        Binding("t", "take_theirs", "Take theirs", id="conflict.theirs",
                tooltip="Drop mine, show theirs"),
        Binding("m", "merge", "Merge", id="conflict.merge", tooltip="Edit the merged text"),
        Binding("ctrl+s", "save_merged", "Save merged", id="conflict.save",
                tooltip="Write the merged text"),
        Binding("escape", "escape", "Later", id="conflict.later",
                tooltip="Decide later, write nothing"),
    ]

    def __init__(self, conflict: Conflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        conflict = self.conflict
        theirs = conflict.theirs
        mine_status = conflict.mine_status or "draft"
        with Vertical(classes="dialog", id="conflict-dialog") as box:
            box.border_title = conflict_title(conflict)
            box.border_subtitle = "k keep mine · t take theirs · m merge"
            yield Label(Content.assemble(("Theirs", "bold"), f"  [{theirs.status}]"))
            with VerticalScroll(id="conflict-theirs"):
                yield Static(theirs.final if theirs.final is not None else "(no final)",
                             markup=False)
            what = "Mine" if conflict.mine_final is not None else \
                "Mine: only the status; the text is theirs"
            yield Label(Content.assemble((what, "bold"), f"  [{mine_status}]"))
            yield TextArea(mine_text(conflict), id="conflict-mine", soft_wrap=True,
                           compact=True, tab_behavior="focus")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep mine", variant="primary", id="conflict-keep", compact=True)
                yield Button("Take theirs", id="conflict-take", compact=True)
                yield Button("Save merged", id="conflict-save", compact=True)

    def on_mount(self) -> None:
        self.query_one("#conflict-keep", Button).focus()

    @property
    def merged(self) -> str:
        return self.query_one("#conflict-mine", TextArea).text

    @on(Button.Pressed, "#conflict-keep")
    def action_keep_mine(self) -> None:
        self.dismiss(Resolution("mine"))

    @on(Button.Pressed, "#conflict-take")
    def action_take_theirs(self) -> None:
        self.dismiss(Resolution("theirs"))

    @on(Button.Pressed, "#conflict-save")
    def action_save_merged(self) -> None:
        self.dismiss(Resolution("merged", self.merged))

    def action_merge(self) -> None:
        box = self.query_one("#conflict-mine", TextArea)
        box.focus()
        box.move_cursor(box.document.end)

    def action_escape(self) -> None:
        if isinstance(self.focused, TextArea):   # leave the box, not the dialog
            self.query_one("#conflict-save", Button).focus()
        else:
            self.dismiss(None)
