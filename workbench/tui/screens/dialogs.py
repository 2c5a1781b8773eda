"""Modal dialogs: add a glossary term, pick one of a few choices (document, filter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class NewTerm:
    """A glossary entry as the reviewer typed it."""

    ja: str
    en: str
    type: str


class GlossaryDialog(ModalScreen[NewTerm | None]):
    """Japanese (prefilled from the selection), canonical English and type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="glossary-dialog.cancel",
                tooltip="Close without a choice"),
    ]

    def __init__(self, ja: str, types: Sequence[str], source: str, en: str = "") -> None:
        super().__init__()
        self.ja = ja
        self.en = en
        self.types = list(dict.fromkeys(types)) or ["term"]
        self.source = source

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="glossary-dialog") as box:
            box.border_title = "Add to glossary"
            yield Label(self.source, classes="dialog-context")
            with Grid(classes="dialog-form"):
                yield Label("Japanese")
                yield Input(self.ja, placeholder="as written in the source", id="term-ja",
                            compact=True)
                yield Label("English")
                yield Input(self.en, placeholder="the canonical English", id="term-en",
                            compact=True)
                yield Label("Type")
                yield Select([(t, t) for t in self.types], value=self.types[0],
                             allow_blank=False, id="term-type", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="term-add", compact=True)
                yield Button("Cancel", id="term-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#term-en" if self.ja else "#term-ja", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#term-add")
    def submit(self) -> None:
        ja = self.query_one("#term-ja", Input).value.strip()
        en = self.query_one("#term-en", Input).value.strip()
        if not ja:
            self.query_one("#term-ja", Input).focus()
            self.notify("Type the Japanese term.", severity="warning")
            return
        if not en:
            self.query_one("#term-en", Input).focus()
            self.notify("Type the canonical English.", severity="warning")
            return
        kind = self.query_one("#term-type", Select).value
        self.dismiss(NewTerm(ja, en, str(kind)))

    @on(Button.Pressed, "#term-cancel")
    def cancel(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str | None]):
    """Pick one option by keyboard or mouse; escape picks nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="choice-dialog.cancel",
                tooltip="Close without a choice"),
    ]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]],
                 current: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="choice-dialog") as box:
            box.border_title = self.title_text
            yield OptionList(*(Option(label, id=key) for key, label in self.choices))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        keys = [key for key, _ in self.choices]
        if self.current in keys:
            options.highlighted = keys.index(self.current)
        options.focus()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
