"""The concordance: a Japanese or English string searched in every document of the project
and in the translation memory, each hit with its context; choosing a hit in the project
goes to that segment.

The search runs in a worker as the reviewer types (after a short pause); a newer search
cancels the older one. One character is enough (露).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from workbench.core.project import Project
from workbench.tui.errors import error_text
from workbench.tui.messages import ConcordanceFound
from workbench.tui.workers import Background

if TYPE_CHECKING:
    from workbench.core.memory.concordance import Occurrence
    from workbench.core.memory.lookup import ProjectMemory

SEARCH_DELAY = 0.25
"""The search starts this long after the last keystroke."""
CONTEXT = 14
"""Characters of the sentences before and after a project hit shown beside it."""
HIT_STYLE = "bold reverse $accent"
MUTED = "$text-muted"


def highlighted(text: str, spans: tuple[tuple[int, int], ...]) -> Content:
    content = Content(text.replace("\n", " "))   # the spans are of the text as stored
    for start, end in spans:
        content = content.stylize(HIT_STYLE, start, end)
    return content


def occurrence_prompt(found: Occurrence) -> Content:
    """A hit: where it is (and its status), its source with the context either side, its
    English; the searched string highlighted in both."""
    from workbench.core.memory.units import THIS_PROJECT

    where = [(found.where, "bold"), (f" · {found.status}" if found.status else "", MUTED)]
    if found.origin != THIS_PROJECT:
        where.insert(0, ("TM ", "bold $secondary"))
    source = highlighted(found.source, found.source_spans)
    if found.before:
        source = Content.assemble(("…" + found.before[-CONTEXT:] + " ", MUTED), source)
    if found.after:
        source = Content.assemble(source, (" " + found.after[:CONTEXT] + "…", MUTED))
    lines = [Content.assemble(*where), source]
    if found.target:
        lines.append(highlighted(found.target, found.target_spans))
    return Content("\n").join(lines)


class ConcordanceScreen(ModalScreen[tuple[str, str] | None]):
    """Type a string; the hits come as you type; enter on a project hit goes there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close", id="concordance.close",
                tooltip="Close the concordance"),
        Binding("down", "to_results", "Results", show=False, id="concordance.results",
                tooltip="Go to the results"),
    ]

    def __init__(self, project: Project, memory: ProjectMemory | None, text: str = "") -> None:
        super().__init__()
        self.project = project
        self.memory = memory
        self.text = text
        self.found: list[Occurrence] = []
        self.background = Background(self)
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="concordance") as box:
            box.border_title = "Concordance"
            box.border_subtitle = "⏎ goes to a hit · esc closes"
            yield Input(self.text, placeholder="Japanese or English, one character is enough",
                        id="concordance-text", compact=True)
            yield Label("", id="concordance-summary")
            yield OptionList(id="concordance-hits")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.text.strip():
            self.search()

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(SEARCH_DELAY, self.search)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search()
        self.action_to_results()

    def search(self) -> None:
        text = self.query_one(Input).value.strip()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not text:
            self.show([], "")
            return
        self.query_one("#concordance-summary", Label).update(
            Content.styled(f"searching {text}…", MUTED))
        self.background.concordance(self.project, self.memory, text)

    def on_concordance_found(self, message: ConcordanceFound) -> None:
        if message.text == self.query_one(Input).value.strip():
            self.show(message.occurrences, message.text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.query_one("#concordance-summary", Label).update(
                Content.styled(error_text(event.worker.error), "$error"))

    def show(self, found: list[Occurrence], text: str) -> None:
        from workbench.core.memory.units import THIS_PROJECT

        self.found = found
        hits = self.query_one(OptionList)
        hits.clear_options()
        hits.add_options([Option(occurrence_prompt(o), id=str(i)) for i, o in enumerate(found)])
        in_project = sum(o.origin == THIS_PROJECT for o in found)
        summary = (f"{in_project} in the documents, {len(found) - in_project} in the memory"
                   if text else "")
        if text and self.memory is None:
            summary += " (the memory is still opening)"
        self.query_one("#concordance-summary", Label).update(Content.styled(summary, MUTED))

    def action_to_results(self) -> None:
        hits = self.query_one(OptionList)
        if hits.option_count:
            hits.focus()
            if hits.highlighted is None:
                hits.highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        from workbench.core.memory.units import THIS_PROJECT

        found = self.found[int(event.option.id or 0)]
        if found.origin != THIS_PROJECT or found.doc is None or found.segment_id is None:
            self.notify("A unit of the memory: not a segment of this project.")
            return
        self.dismiss((found.doc, found.segment_id))
