"""Keeps the review's glossary in step with its files (no display of its own).

It looks at the glossary files every GLOSSARY_POLL_SECONDS (saved from an editor or a
spreadsheet, or changed by `workbench glossary add`), adds the terms a reviewer enters, and
reads the glossary again in a worker; the screen applies what `GlossaryLoaded` brings to
every segment. A broken file fails the worker (reported with its file and line) and the
glossary in use is kept; it is tried again when the files change again.
"""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.worker import Worker, WorkerState

from workbench.core.glossary.folder import glossary_stamp
from workbench.tui.messages import GlossaryLoaded, GlossaryStamp, WorkFailed, WorkNoted
from workbench.tui.workers import Background

GLOSSARY_POLL_SECONDS = 2.0
"""How often the glossary files are looked at for changes made outside the workbench."""


class GlossaryWatcher(Widget):
    """Polls the glossary folder and reads it again when it changes; adds terms to it."""

    DEFAULT_CSS = "GlossaryWatcher { display: none; }"

    def __init__(self, folder: Path, stamp: GlossaryStamp) -> None:
        super().__init__()
        self.folder = folder
        self.stamp = stamp
        """The files as they were last read (or tried)."""
        self.busy = False
        self.background = Background(self)

    def on_mount(self) -> None:
        self.set_interval(GLOSSARY_POLL_SECONDS, self.poll)

    def poll(self) -> None:
        """Read the glossary again if its files changed since they were last read."""
        stamp = glossary_stamp(self.folder)
        if self.busy or stamp == self.stamp:
            return
        self.stamp = stamp    # tried once per change, not every poll
        self._start("glossary changed: applying…")
        self.background.reload_glossary(self.folder)

    def add(self, ja: str, en: str, type: str) -> None:
        """Add an entry to the glossary files, then read them again."""
        self._start(f"adding {ja} → {en}…")
        self.background.add_term(self.folder, ja, en, type)

    def _start(self, note: str) -> None:
        self.busy = True
        self.post_message(WorkNoted("glossary", note))

    def on_glossary_loaded(self, message: GlossaryLoaded) -> None:
        # not stopped: it bubbles on to the screen, which applies it
        self.busy = False
        self.stamp = message.stamp   # our own change is not read a second time

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.busy = False   # the next change is tried; the glossary in use is kept
            self.post_message(WorkFailed("glossary", event.worker.error))
