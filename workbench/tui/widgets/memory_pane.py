"""The TM pane: the translation memory's best matches for the segment on screen.

Each match shows its number (the key that takes it into Final), its score, where it comes
from, its source with what differs from this segment's highlighted, its English and what
was repaired in it. Lookups run in a worker (`workers.look_up`): the segment on screen
first, then the next ones, so that moving down finds them here already (a key held down
looks nothing up until it is let go: moving stays as fast as without a memory). Results are kept
by lookup and by the session's revision: a result from before the reviewer's last change is
shown until the fresh one comes (it differs at most by that change).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from workbench.core.glossary.model import Glossary
from workbench.core.project import Project
from workbench.tui.errors import error_text
from workbench.tui.messages import MatchesFound, MemoryOpened
from workbench.tui.widgets.content_view import ContentView
from workbench.tui.workers import Background

if TYPE_CHECKING:
    from workbench.core.memory.lookup import ProjectMemory
    from workbench.core.memory.units import Match, Query

CACHE_SIZE = 2000
"""Lookups kept (a few documents' worth of moves)."""
QUIET_SECONDS = 0.1
"""Moves closer together than this (a key held down) look nothing up until they stop: a
lookup in a worker still takes the UI thread's turns at the interpreter."""
MUTED = "$text-muted"
DIFF_STYLES = {"changed": "bold $error", "extra": "bold $error underline",
               "name": "bold $accent", "number": "bold $accent"}
"""How the differing spans of a match's source are shown, by kind (`units.Span`)."""


@dataclass(frozen=True)
class Found:
    """What a lookup found, as of the session's revision."""

    matches: list[Match]
    revision: int
    provenance: str | None


def score_style(match: Match) -> str:
    return "bold $success" if match.same_source else "bold $warning"


def source_with_diff(match: Match) -> Content:
    """The match's source, its spans that differ from the segment's highlighted."""
    content = Content(match.source)
    for span in match.source_diff:
        content = content.stylize(DIFF_STYLES.get(span.kind, "bold $error"), span.start,
                                  span.end)
    return content


def match_lines(number: int, match: Match) -> list[Content]:
    """One match: `1 98% repaired · origin`, its source (differences highlighted), its
    English, and the repairs made to it."""
    from workbench.core.memory.review import origin_label

    head = [(f"{number} ", "bold $accent"), (f"{match.score}%", score_style(match))]
    if match.repaired:
        head.append((" repaired", "bold $secondary"))
    if match.unit.penalty:
        head.append((f" (penalty {match.unit.penalty})", MUTED))
    head.append((f" · {origin_label(match.unit)}", MUTED))
    if match.unit.changed_at:
        head.append((f" · {match.unit.changed_at[:10]}", MUTED))
    lines = [Content.assemble(*head), source_with_diff(match), Content(match.target)]
    if match.repairs:
        lines.append(Content.styled("repaired: " + ", ".join(
            f"{r.old} → {r.new}" for r in match.repairs), "$secondary"))
    return lines


def memory_content(matches: Sequence[Match], provenance: str | None = None) -> Content:
    """The pane's text: where the segment's Final came from, then the matches, best first."""
    lines: list[Content] = []
    if provenance:
        lines.append(Content.styled(f"this segment: {provenance}", "italic $secondary"))
    if not matches:
        lines.append(Content.styled("No match of 70% or more in the memory.", MUTED))
    for number, match in enumerate(matches, 1):
        lines += match_lines(number, match)
    return Content("\n").join(lines)


class MemoryPane(ContentView):
    """The matches of the current segment; owns the memory and its workers."""

    @dataclass
    class Shown(Message):
        """The pane shows the matches of `query` (the screen names the best in Final)."""

        query: Query
        matches: list[Match]
        provenance: str | None

    def __init__(self, project: Project, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="pane")
        self.border_title = "TM"
        self.project = project
        self.memory: ProjectMemory | None = None
        self.error: str | None = None
        """Why the memory could not be opened at all."""
        self.background = Background(self)
        self.current: Query | None = None
        """The lookup of the segment on screen."""
        self.shown: Found | None = None
        """What the pane shows for `query` (None: nothing yet)."""
        self._cache: OrderedDict[Query, Found] = OrderedDict()
        self._opening = False
        self._synced = 0
        self._last_show = 0.0
        self._timer: Timer | None = None

    # ------------------------------------------------------------------ the memory
    def open(self, glossary: Glossary) -> None:
        """Open the memory in a worker (once); the screen calls this after first paint."""
        if self.memory is None and not self._opening and self.error is None:
            self._opening = True
            self.background.open_memory(self.project, glossary)

    def on_memory_opened(self, message: MemoryOpened) -> None:
        # not stopped: the screen marks the repetitions it carries
        self._opening = False
        self.memory = message.memory
        if message.memory.store_error:
            self.notify(f"Matches from this project only: {message.memory.store_error}",
                        title="Translation memory", severity="warning", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # not stopped: the screen reports the error (once in a while, however often it fails)
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        if event.worker.group == "memory-open":
            self._opening = False
            self.error = error_text(event.worker.error)
            self.update(Content.styled("The translation memory could not be opened.\n"
                                       f"{self.error}", "$error"))

    def close(self) -> None:
        """Mirror the last reviewed work into the user's memory, and close it."""
        memory, self.memory = self.memory, None
        if memory is not None:
            for worker in self.workers:
                worker.cancel()
            memory.sync()
            memory.close()

    def on_unmount(self, event: events.Unmount) -> None:
        self.close()

    # ------------------------------------------------------------------ lookups
    def show(self, wanted: Sequence[Query], revision: int, glossary: Glossary) -> None:
        """Show the matches of `wanted[0]` (the segment on screen) and look up what is not
        known yet of it and of the segments after it, in a worker."""
        if not wanted:
            self.clear()
            return
        self.current = wanted[0]
        found = self._cache.get(self.current)
        if found is not None:
            self._cache.move_to_end(self.current)
            self._display(found)
        elif self.memory is None:
            self._say("Opening the translation memory…" if self.error is None
                            else f"The translation memory could not be opened.\n{self.error}")
        else:
            self._say("Looking up…")
        if self.memory is None:
            return
        missing = [q for q in wanted if (f := self._cache.get(q)) is None or
                   f.revision != revision]
        now = time.monotonic()
        hurried = now - self._last_show < QUIET_SECONDS
        self._last_show = now
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not missing:
            return
        if hurried:
            self._timer = self.set_timer(QUIET_SECONDS, lambda: self._look_up(
                missing, revision, glossary))
        else:
            self._look_up(missing, revision, glossary)

    def _look_up(self, missing: Sequence[Query], revision: int, glossary: Glossary) -> None:
        self._timer = None
        if self.memory is None:
            return
        sync = revision != self._synced
        self._synced = revision
        self.background.look_up(self.memory, glossary, missing, revision, sync)

    def clear(self) -> None:
        self.current = None
        self.shown = None
        self.update(Content(""))

    def _say(self, text: str) -> None:
        self.shown = None
        self.update(Content.styled(text, MUTED))

    def on_matches_found(self, message: MatchesFound) -> None:
        message.stop()
        known = self._cache.get(message.query)
        if known is not None and known.revision > message.revision:
            return
        found = Found(message.matches, message.revision, message.provenance)
        self._cache[message.query] = found
        self._cache.move_to_end(message.query)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        if message.query == self.current:
            self._display(found)

    def _display(self, found: Found) -> None:
        if found == self.shown:
            return
        self.shown = found
        count = len(found.matches)
        self.update(memory_content(found.matches, found.provenance),
                    f"{count} match{'es' if count != 1 else ''}" if count else "")
        if self.current is not None:
            self.post_message(self.Shown(self.current, found.matches, found.provenance))

    def match(self, query: Query, number: int) -> Match | None:
        """Match `number` (from 1) as shown for `query`; None if not shown."""
        if self.current != query or self.shown is None:
            return None
        matches = self.shown.matches
        return matches[number - 1] if 0 < number <= len(matches) else None
