"""The review app: holds the project open (and locked) for its whole life.

Every action of the review screen is a Binding with an id; the command palette lists
each of them with its key, plus the filters, the documents and the exports.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from workbench.core.project import Project
from workbench.core.records import STATUSES
from workbench.core.session import ANY_ISSUE, ReviewSession
from workbench.tui.screens.review import ReviewScreen

EXPORT_LABELS: dict[str, str] = {
    "txt": "line-aligned text", "tmx": "TMX", "jsonl": "JSONL", "xlsx": "XLSX"}


class ReviewApp(App[None]):
    """Review one project: the document list is in the palette, the segments on screen."""

    CSS_PATH = "app.tcss"
    TITLE = "workbench"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit", show=False,
                tooltip="Quit (nothing to save: every change is already stored)"),
        Binding("f1,question_mark", "toggle_keys", "Keys", id="app.keys", show=False,
                tooltip="Show or hide the list of keys"),
    ]

    def __init__(self, project: Project, doc: str | None = None) -> None:
        super().__init__()
        self.session = ReviewSession.open(project, doc)
        self.review = ReviewScreen(self.session)
        self.finish_error: Exception | None = None
        """Why aligned/ could not be refreshed on exit (the CLI reports it)."""

    def get_default_screen(self) -> Screen:
        return self.review

    def on_mount(self) -> None:
        if self.session.glossary_error:
            self.notify(self.session.glossary_error, title="Glossary not loaded",
                        severity="error", timeout=15)

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def on_unmount(self) -> None:
        # Quitting never asks: changes are committed as they happen. Only a pending edit
        # of Final and the aligned/ files are left to write.
        try:
            self.review.finish()
        except Exception as exc:  # reported after the terminal is restored
            self.finish_error = exc

    # ------------------------------------------------------------------ palette
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        review = self.review
        owned = [(review, b) for b in review.BINDINGS] + [(self, b) for b in self.BINDINGS]
        for owner, binding in owned:
            if not isinstance(binding, Binding):
                continue
            keys = ", ".join(self.get_key_display(binding.with_key(k))
                             for k in binding.key.split(","))
            yield SystemCommand(binding.tooltip or binding.description, f"key: {keys}",
                                partial(owner.run_action, binding.action))
        yield SystemCommand("filter: all segments", "Clear the status and issue filter",
                            partial(review.filter_chosen, "all"))
        for status in STATUSES:
            yield SystemCommand(f"filter: status {status}", f"Show only {status} segments",
                                partial(review.filter_chosen, f"status:{status}"))
        yield SystemCommand("filter: any issue", "Show only segments with QA issues",
                            partial(review.filter_chosen, f"issue:{ANY_ISSUE}"))
        for check in self.session.issue_checks():
            yield SystemCommand(f"filter: issue {check}", f"Show only segments failing {check}",
                                partial(review.filter_chosen, f"issue:{check}"))
        for info in self.session.documents:
            yield SystemCommand(f"document: {info.name}",
                                f"{info.done}/{info.segments} done ({info.percent_done:.0f}%)",
                                partial(review.document_chosen, info.name))
        from workbench.core.exchange import FORMATS

        for fmt in FORMATS:
            label = EXPORT_LABELS.get(fmt, fmt)
            yield SystemCommand(f"export: {label}",
                                f"Write this document as {label} into aligned/",
                                partial(review.start_export, [fmt]))

