"""The plain records a review session hands the faces: the filter over its list and the
list's rows, everything shown of one segment, where a reviewer was, and the steps undo takes
back (`workbench.core.session` is what makes them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.enforce import Enforced
from workbench.core.glossary.model import Hit
from workbench.core.records import Issue, SegmentRecord

if TYPE_CHECKING:
    from workbench.core.align.beads import StoredBead
    from workbench.core.memory.repetitions import Filled

ANY_ISSUE = "*"
"""The issue filter that lets through any segment with an error or a warning."""


@dataclass(frozen=True)
class Filter:
    """Which segments the list shows (by status, issue check, text, reviewer, alignment),
    and in which order."""

    status: str | None = None
    issue: str | None = None
    """A check name, or ANY_ISSUE for segments with any issue."""
    query: str = ""
    mine: bool = False
    """Only the segments assigned to the session's reviewer (`ReviewSession.assigned`)."""
    least_sure: bool = False
    """Only the segments the document's alignment speaks of, the least sure first."""

    @property
    def active(self) -> bool:
        return bool(self.status or self.issue or self.query or self.mine or self.least_sure)

    def describe(self) -> str:
        parts = ["least sure first"] if self.least_sure else []
        if self.mine:
            parts.append("mine")
        if self.status:
            parts.append(f"status {self.status}")
        if self.issue:
            parts.append("any issue" if self.issue == ANY_ISSUE else f"issue {self.issue}")
        if self.query:
            parts.append(f"“{self.query}”")
        return ", ".join(parts)


@dataclass(frozen=True)
class FilterChoice:
    """One entry of the filter menu: its label, the filter and what it shows."""

    label: str
    filter: Filter
    help: str


@dataclass(frozen=True)
class Row:
    """What the segment list shows for one segment (hashable: it keys the row cache)."""

    status: str
    number: int
    text: str
    marks: str
    note: str = ""
    """Shown before the text: the alignment's confidence, in the least-sure view."""
    repeated: bool = False
    """Its source occurs more than once in the project (`ReviewSession.repeated`)."""


@dataclass(frozen=True)
class SegmentView:
    """Everything the panes show for one segment, computed when the reviewer moves to it.

    For a segment with a text over VIEW_LIMIT characters, `shown` is the record with its
    texts cut there: hits, enforcement and issues are of that, and it cannot be edited.
    """

    record: SegmentRecord
    hits: list[Hit]
    enforced: Enforced
    issues: list[Issue]
    shown: SegmentRecord | None = None
    confidence: float | None = None
    """How sure the document's alignment is of the segment's translation (None: no bead)."""
    orphans: tuple[StoredBead, ...] = ()
    """Target sentences the alignment left with no segment, next to this one."""

    @property
    def cut(self) -> bool:
        """Whether a text of the segment is too long to work on whole (see VIEW_LIMIT)."""
        return self.shown is not None

    @property
    def display(self) -> SegmentRecord:
        """The record as the panes show it (cut, for a segment too long to show whole)."""
        return self.shown or self.record

    @property
    def normalized(self) -> str | None:
        """The glossary-enforced text to accept: of a cut segment, the whole stored one
        (None until the document's refresh has made it)."""
        return self.record.normalized if self.cut else self.enforced.text

    @property
    def final_text(self) -> str:
        """What the Final editor starts from: the final translation, else Normalized."""
        shown = self.display
        return shown.final if shown.final is not None else self.enforced.text


@dataclass(frozen=True)
class Position:
    """Where a reviewer was: the document, and the segment they were on in each document."""

    doc: str
    at: dict[str, str]


@dataclass(frozen=True)
class UndoStep:
    """One change the session made, remembered for undo (with the repetitions it filled:
    undone with it)."""

    before: SegmentRecord
    after: SegmentRecord
    filled: tuple[Filled, ...] = ()


@dataclass(frozen=True)
class RepairStep:
    """A segment repair the session made (`Repair.seq` of `doc`), remembered for undo."""

    doc: str
    seq: int
    op: str
