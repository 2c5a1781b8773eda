"""The review screen's background work, apart from its layout.

Each job runs in a thread worker, computes from what it was handed (never the session or a
widget: only the UI thread touches those) and returns or posts a past-tense message
(`workbench.tui.messages`). Jobs of one kind share a worker group; in an exclusive group a
newer job cancels the older one, whose result is then dropped. A job with a loop checks
`is_cancelled` in it, so quitting never waits for more than one step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

from workbench.core.changes import ChangeFeed
from workbench.core.errors import WorkbenchError
from workbench.core.glossary.folder import add_entry, glossary_stamp, load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.project import Project
from workbench.core.session import VIEW_LIMIT
from workbench.tui.messages import (
    ConcordanceFound,
    DocumentLoaded,
    DocumentRefreshed,
    FilesWritten,
    GlossaryLoaded,
    MatchesFound,
    MemoryOpened,
    ModelChecked,
    OthersChanged,
    TranslationFinished,
    TranslationProgressed,
)

if TYPE_CHECKING:
    from workbench.core.memory.lookup import ProjectMemory
    from workbench.core.memory.units import Query

Job = Callable[[], Message | None]


def cancelled() -> bool:
    """Whether the worker running this code was cancelled (a newer job, or quitting)."""
    return get_current_worker().is_cancelled


class Background:
    """Starts jobs in thread workers owned by `owner`, which receives their messages."""

    def __init__(self, owner: DOMNode) -> None:
        self.owner = owner

    def start(self, group: str, job: Job, *, exclusive: bool = True) -> Worker[None]:
        def run() -> None:
            message = job()
            if message is not None and not cancelled():
                self.owner.post_message(message)

        return self.owner.run_worker(run, name=group, group=group, thread=True,
                                     exclusive=exclusive, exit_on_error=False)

    # one method per kind of work, one group each
    def load(self, project: Project, doc: str) -> Worker[None]:
        return self.start("load", lambda: load_document(project, doc))

    def refresh(self, project: Project, doc: str, glossary: Glossary, revision: int,
                note: str = "") -> Worker[None]:
        return self.start("refresh", lambda: refresh_document(project, doc, glossary, revision,
                                                              note))

    def add_term(self, folder: Path, ja: str, en: str, type: str) -> Worker[None]:
        return self.start("glossary", lambda: add_term(folder, ja, en, type))

    def reload_glossary(self, folder: Path) -> Worker[None]:
        return self.start("glossary", lambda: GlossaryLoaded(
            load_glossary(folder), glossary_stamp(folder), "Reloaded the changed glossary"))

    def check_model(self) -> Worker[None]:
        return self.start("model", check_model)

    def translate(self, project: Project, doc: str) -> Callable[[], None]:
        """Start MT of `doc`; returns what stops it (after the batch in hand)."""
        stop = threading.Event()
        worker = self.start("mt", lambda: translate(project, doc, stop, self.owner.post_message))

        def cancel() -> None:
            stop.set()
            worker.cancel()

        return cancel

    def write_aligned(self, project: Project, docs: Sequence[str]) -> Worker[None]:
        return self.start("aligned", lambda: write_aligned(project, docs))

    def export(self, project: Project, doc: str, formats: Sequence[str],
               glossary: Glossary) -> Worker[None]:
        # not exclusive: an export asked for while another runs is written too
        return self.start("export", lambda: export(project, doc, formats, glossary),
                          exclusive=False)

    def back_up(self, project: Project, every: float) -> Worker[None]:
        return self.start("backup", lambda: back_up(project, every))

    def open_memory(self, project: Project, glossary: Glossary) -> Worker[None]:
        return self.start("memory-open", lambda: open_memory(project, glossary))

    def concordance(self, project: Project, memory: ProjectMemory | None, text: str
                    ) -> Worker[None]:
        return self.start("concordance", lambda: concordance(project, memory, text))

    def look_up(self, memory: ProjectMemory, glossary: Glossary, wanted: Sequence[Query],
                revision: int, sync: bool) -> Worker[None]:
        return self.start("memory", lambda: look_up(memory, glossary, wanted, revision, sync,
                                                    self.owner.post_message))

    def watch_changes(self, project: Project, feed: ChangeFeed) -> Worker[None]:
        return self.start("changes", lambda: watch_changes(project, feed,
                                                           self.owner.post_message))


# ---------------------------------------------------------------------- the jobs
def load_document(project: Project, doc: str) -> DocumentLoaded:
    """The document's segments, and what its last alignment says of them."""
    from workbench.core.align.beads import read_alignment

    records = project.segments(doc)
    alignment = read_alignment(project, doc, {r.id: r.ordinal for r in records})
    return DocumentLoaded(doc, records, alignment or None)


def refresh_document(project: Project, doc: str, glossary: Glossary, revision: int,
                     note: str = "") -> DocumentRefreshed | None:
    """Normalized text up to date with `glossary`, then the document re-read and checked."""
    from workbench.core.pipeline import refresh_document as refresh

    state = refresh(project, doc, glossary, check_limit=VIEW_LIMIT)
    if cancelled():
        return None
    return DocumentRefreshed(doc, revision, state.records, state.report.issues, note)


def add_term(folder: Path, ja: str, en: str, type: str) -> GlossaryLoaded:
    """Add the entry (under the folder's lock) and read the glossary with it."""
    add_entry(folder, en, [ja], type)
    return GlossaryLoaded(load_glossary(folder), glossary_stamp(folder), f"Added {ja} → {en}")


def check_model() -> ModelChecked:
    from workbench.core.mt.packages import find_model

    try:
        find_model()
    except WorkbenchError as exc:
        return ModelChecked(model_note(exc))
    return ModelChecked(None)


def model_note(exc: WorkbenchError) -> str:
    """What the MT pane says when there is no usable model: the problem, then the way out."""
    detail = exc.detail[:1].upper() + exc.detail[1:]
    return f"{detail}.\nTo get one, {exc.hint}" if exc.hint else detail


def translate(project: Project, doc: str, stop: threading.Event,
              post: Callable[[Message], object]) -> None:
    """Machine-translate one document in batches, each stored as it is done; `stop` (or
    the worker's cancel) ends it after the batch in hand. Posts its progress, then
    `TranslationFinished` (cancelled or not: what was translated is kept)."""
    from workbench.core.mt.engine import Engine
    from workbench.core.mt.packages import find_model
    from workbench.core.pipeline import translate_project

    def progress(done: int, total: int) -> None:
        post(TranslationProgressed(doc, done, total))
        if cancelled():
            stop.set()

    engine = Engine(find_model())
    report = translate_project(project, [doc], engine=engine, cancel=stop, progress=progress)
    post(TranslationFinished(doc, report))


def write_aligned(project: Project, docs: Sequence[str]) -> FilesWritten | None:
    """Bring each document's aligned/ files up to date with its reviewed work."""
    from workbench.core.exchange import refresh_aligned

    paths: list[Path] = []
    for doc in docs:
        if cancelled():
            return None
        paths += refresh_aligned(project, [doc])
    return FilesWritten("aligned", paths)


def export(project: Project, doc: str, formats: Sequence[str],
           glossary: Glossary) -> FilesWritten | None:
    """Write one document in each of `formats` into aligned/."""
    from workbench.core.exchange import export_documents

    paths: list[Path] = []
    for fmt in formats:
        if cancelled():
            return None
        paths += export_documents(project, [doc], [fmt], glossary=glossary)
    return FilesWritten(", ".join(formats), paths)


def back_up(project: Project, every: float) -> None:
    """A backup of the state if the newest is older than `every` seconds."""
    from workbench.core.backups import backup_if_due

    backup_if_due(project.db, project.state_dir, every)


def open_memory(project: Project, glossary: Glossary) -> MemoryOpened:
    """The project's memory (the user's, with the project's reviewed work mirrored into it)
    and the project's repeated sources."""
    from workbench.core.memory.lookup import ProjectMemory
    from workbench.core.memory.review import repeated_sources

    return MemoryOpened(ProjectMemory.open(project, glossary), repeated_sources(project))


def look_up(memory: ProjectMemory, glossary: Glossary, wanted: Sequence[Query], revision: int,
            sync: bool, post: Callable[[Message], object]) -> None:
    """The matches of each of `wanted` in turn (the segment on screen first, then those to
    prefetch), each posted as found; first the reviewer's new work is mirrored into the
    user's memory (`sync`) and the glossary changed if it was."""
    from workbench.core.memory.review import provenance

    if memory.glossary is not glossary:
        memory.set_glossary(glossary)
    if sync:
        memory.sync()
    for query in wanted:
        if cancelled():
            return
        matches = memory.lookup(query)
        origin = provenance(memory.project, query.segment_id) if query.segment_id else None
        post(MatchesFound(query, matches, revision, origin))


def concordance(project: Project, memory: ProjectMemory | None, text: str) -> ConcordanceFound:
    """Where `text` occurs: the project's documents, then the user's memory (if open)."""
    from workbench.core.memory.concordance import concordance as find

    return ConcordanceFound(text, find(text, project=project, memory=memory))


def watch_changes(project: Project, feed: ChangeFeed,
                  post: Callable[[Message], object]) -> None:
    """Post the segments other workbenches write, each time the feed announces some,
    until the feed is closed or the worker cancelled (a wait lasts at most a second)."""
    while not feed.closed and not cancelled():
        changes = feed.wait(1.0)
        if changes and not cancelled():
            post(OthersChanged(project.records(c.segment_id for c in changes)))
