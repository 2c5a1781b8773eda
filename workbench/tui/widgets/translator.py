"""Machine translation of the document under review, in the background (no display of its
own): `t` starts it and stops it; the header says how far it is. Each batch is stored as it
is done, so a stop keeps what was translated."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget
from textual.worker import Worker, WorkerState

from workbench.core.project import Project
from workbench.tui.messages import (
    TranslationFinished,
    TranslationProgressed,
    WorkFailed,
    WorkNoted,
)
from workbench.tui.workers import Background


class Translator(Widget):
    """Runs MT of one document at a time; `TranslationFinished` goes on to the screen."""

    DEFAULT_CSS = "Translator { display: none; }"

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.background = Background(self)
        self._stop: Callable[[], None] | None = None
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._stop is not None

    def start(self, doc: str) -> None:
        if self._stop is None:
            self._stop = self.background.translate(self.project, doc)
            self._note("MT: starting… (t stops)")

    def stop(self) -> None:
        """Stop after the batch in hand (what was translated is kept)."""
        if self._stop is not None and not self._stopping:
            self._stopping = True
            self._stop()
            self._note("MT: stopping…")

    def on_translation_progressed(self, message: TranslationProgressed) -> None:
        message.stop()
        if self.running and not self._stopping:
            percent = 100 * message.done / message.total if message.total else 100
            self._note(f"MT {message.done}/{message.total} ({percent:.0f}%) · t stops")

    def on_translation_finished(self, message: TranslationFinished) -> None:
        self._done()   # the message goes on to the screen

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self._done()
            self.post_message(WorkFailed("mt", event.worker.error))

    def _done(self) -> None:
        self._stop = None
        self._stopping = False
        self._note(None)

    def _note(self, note: str | None) -> None:
        self.post_message(WorkNoted("mt", note))
