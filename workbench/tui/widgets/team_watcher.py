"""Brings what other reviewers of a shared project write onto this reviewer's screen (no
display of its own).

On a shared (PostgreSQL) project a thread worker blocks on the project's change feed and
posts `OthersChanged` with the segments written elsewhere, within a second of their commit;
the screen mirrors them without moving the cursor. On a SQLite project no one else writes
while the workbench has it open, and nothing is watched.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.worker import Worker, WorkerState

from workbench.core.changes import ChangeFeed
from workbench.core.project import Project
from workbench.tui.messages import WorkFailed
from workbench.tui.workers import Background


class TeamWatcher(Widget):
    """Owns the change feed of a shared project for the life of the screen."""

    DEFAULT_CSS = "TeamWatcher { display: none; }"

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.feed: ChangeFeed | None = None
        self.background = Background(self)

    def on_mount(self) -> None:
        if self.project.shared:
            self.start()

    def start(self) -> None:
        """Subscribe (the subscription is made here, so no write committed after the
        screen is up is missed) and watch in a worker."""
        self.feed = self.project.changes()
        self.background.watch_changes(self.project, self.feed)

    def stop(self) -> None:
        """End the subscription: the worker's wait returns within a quarter of a second."""
        if self.feed is not None:
            self.feed.close()
            self.feed = None

    def on_unmount(self) -> None:
        self.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # the connection to the server lost: said once; the reviewer's own writes still
        # work (or fail with their own error) and a restart watches again
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.stop()
            self.post_message(WorkFailed("changes", event.worker.error))
