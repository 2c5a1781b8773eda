"""What thread workers report back to the UI thread, named for what already happened.

Plain dataclasses: a worker builds one from what it computed and posts it; only the UI
thread's handler applies it to the session and the widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from workbench.core.glossary.model import Glossary
from workbench.core.pipeline import TranslateReport
from workbench.core.records import Issue, SegmentRecord

if TYPE_CHECKING:   # the memory pulls in numpy: imported when it is opened, after first paint
    from workbench.core.align.beads import AlignmentView
    from workbench.core.memory.concordance import Occurrence
    from workbench.core.memory.lookup import ProjectMemory
    from workbench.core.memory.units import Match, Query

GlossaryStamp = tuple[tuple[str, int, int], ...]


@dataclass
class DocumentLoaded(Message):
    """A document's segments were read."""

    doc: str
    records: Sequence[SegmentRecord]
    alignment: AlignmentView | None = None
    """What the document's last alignment says (None: it has none)."""


@dataclass
class DocumentRefreshed(Message):
    """A document was brought up to date with the glossary (normalized text) and checked;
    `revision` is the session's revision when the work started."""

    doc: str
    revision: int
    records: Sequence[SegmentRecord]
    issues: Sequence[Issue]
    note: str = ""


@dataclass
class GlossaryLoaded(Message):
    """The glossary was read again (a term was added, or its files changed); `stamp` is
    the files as they were read."""

    glossary: Glossary
    stamp: GlossaryStamp
    note: str


@dataclass
class ModelChecked(Message):
    """The MT model was looked up: `problem` says how to install one when there is none."""

    problem: str | None


@dataclass
class TranslationProgressed(Message):
    """MT of `doc` finished `done` of `total` segments (only the latest one matters)."""

    doc: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TranslationProgressed)


@dataclass
class TranslationFinished(Message):
    """MT of a document ended, completed or cancelled."""

    doc: str
    report: TranslateReport


@dataclass
class FilesWritten(Message):
    """Aligned files or an export were written (`paths` empty: all were up to date)."""

    what: str
    paths: list[Path] = field(default_factory=list)


@dataclass
class WorkNoted(Message):
    """Background work of `kind` says what it is doing (None: it is done)."""

    kind: str
    note: str | None


@dataclass
class WorkFailed(Message):
    """Background work of `kind` failed; `error` says why (shown, never a traceback)."""

    kind: str
    error: BaseException


@dataclass
class MemoryOpened(Message):
    """The translation memory was opened (the project's reviewed work mirrored into the
    user's memory); `repeated` are the project's sources that occur more than once."""

    memory: ProjectMemory
    repeated: frozenset[str]


@dataclass
class MatchesFound(Message):
    """The memory's matches of one segment (`query`), as of the session's `revision`;
    `provenance` says where the segment's last change came from (a repetition, a match)."""

    query: Query
    matches: list[Match]
    revision: int
    provenance: str | None = None


@dataclass
class ConcordanceFound(Message):
    """Every occurrence of `text` in the project's documents and the memory."""

    text: str
    occurrences: list[Occurrence]


@dataclass
class OthersChanged(Message):
    """Other reviewers of a shared project wrote these segments (read after the change
    feed announced them)."""

    records: Sequence[SegmentRecord]
