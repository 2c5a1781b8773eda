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
from textual.worker import Worker

from workbench.core import backups
from workbench.core.project import Project
from workbench.core.session import ReviewSession
from workbench.tui.keys import APP_KEYS, key_sections
from workbench.tui.screens.keys import KeysScreen
from workbench.tui.screens.review import ReviewScreen
from workbench.tui.workers import Background

EXPORT_LABELS: dict[str, str] = {
    "txt": "line-aligned text", "tmx": "TMX", "jsonl": "JSONL", "xlsx": "XLSX"}

BACKUP_CHECK_SECONDS = 60.0
"""How often the app asks for a state backup; one is taken when the newest is older than
`backups.BACKUP_EVERY`."""


class ReviewApp(App[None]):
    """Review one project: the document list is in the palette, the segments on screen."""

    CSS_PATH = "app.tcss"
    TITLE = "workbench"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS: ClassVar[list[BindingType]] = list(APP_KEYS)

    def __init__(self, project: Project, doc: str | None = None) -> None:
        super().__init__()
        self.session = ReviewSession.open(project, doc)
        self.review = ReviewScreen(self.session)
        self.finish_error: Exception | None = None
        """Why aligned/ could not be refreshed on exit (the CLI reports it)."""
        self.background = Background(self)
        self._backup: Worker[None] | None = None

    def get_default_screen(self) -> Screen:
        return self.review

    def on_mount(self) -> None:
        if self.session.glossary_error:
            self.notify(self.session.glossary_error, title="Glossary not loaded",
                        severity="error", timeout=15)
        if self.session.recovered is not None:
            record = self.session.recovered
            self.notify(f"#{record.ordinal} of {record.doc}: the text typed last time, before "
                        "the workbench stopped, is saved as a draft.", title="Edit recovered",
                        timeout=15)
        self.set_interval(BACKUP_CHECK_SECONDS, self.back_up)

    def back_up(self) -> None:
        """A state backup in a worker when the newest is older than BACKUP_EVERY (never two
        at once: a slow disk finishes the one in hand)."""
        if self._backup is None or self._backup.is_finished:
            self._backup = self.background.back_up(self.session.project, backups.BACKUP_EVERY)

    async def action_quit(self) -> None:
        """Quit, unless an edit of Final was refused because another reviewer changed its
        segment: the conflict dialog asks what to keep first (nothing is lost on exit)."""
        review = self.review
        if review.is_mounted and not review.flush_edit() and review.conflict_open:
            return
        await super().action_quit()

    def action_toggle_keys(self) -> None:
        if isinstance(self.screen, KeysScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(KeysScreen(*key_sections(self.BINDINGS,
                                                      self.COMMAND_PALETTE_BINDING)))

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
        for choice in self.session.filter_choices():
            yield SystemCommand(f"filter: {choice.label}", choice.help,
                                partial(review.set_filter, choice.filter))
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

