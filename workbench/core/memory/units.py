"""The records of the translation memory: units, what a lookup asks, what it finds."""

from __future__ import annotations

from dataclasses import dataclass

THIS_PROJECT = "this project"
"""The origin of the open project's own reviewed and approved segments."""

KINDS: tuple[str, ...] = ("project", "tmx")
"""Where units come from: a project's reviewed segments, or an imported TMX file."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A source and its reviewed English, with where, when and by whom it was made.

    `id` is the unit's number in the memory (a position among the open project's own
    units for those). `prev_key`/`next_key` are the keys of the neighbouring sources
    (`context_key`; None when not known), what a 101% match compares.
    """

    id: int
    source: str
    target: str
    origin: str
    doc: str | None = None
    ref: str | None = None
    """The segment id, for a project's segment."""
    ordinal: int | None = None
    """The segment's number in its document, for the open project's own segments."""
    prev_key: int | None = None
    next_key: int | None = None
    status: str | None = None
    changed_by: str | None = None
    changed_at: str | None = None
    penalty: int = 0


@dataclass(frozen=True, slots=True)
class Query:
    """What a lookup matches: a source and its neighbours in the document (None at either
    end). `segment_id` keeps the segment's own unit out of its matches."""

    source: str
    prev: str | None = None
    next: str | None = None
    segment_id: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a source that differs from the other: `kind` is "changed" (replaced
    by something else), "extra" (only on this side), or "name" / "number" (the same place
    holds another name or number)."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Repair:
    """One change made to a match's English: a name or a number of its source is another
    in the segment's."""

    kind: str          # "name" | "number"
    old: str           # as it stood in the match's English
    new: str           # what replaced it
    source_old: str    # the name or number in the match's source
    source_new: str    # ... and in the segment's


@dataclass(frozen=True)
class Match:
    """A unit found for a segment, scored as CAT tools do: 101 (same source and the same
    neighbours), 100 (same source, as folded), or a fuzzy percentage; minus the penalty
    of the memory it comes from."""

    unit: Unit
    score: int
    target: str
    """The English to offer: the unit's, with `repairs` made."""
    repairs: tuple[Repair, ...] = ()
    source_diff: tuple[Span, ...] = ()
    """Spans of the unit's source that differ from the segment's."""
    segment_diff: tuple[Span, ...] = ()
    """Spans of the segment's source that differ from the unit's."""
    same_source: bool = False
    """The unit's source folds like the segment's (a 100% or 101% match before penalty)."""

    @property
    def kind(self) -> str:
        """"context" (101%), "exact" (100%) or "fuzzy"."""
        if not self.same_source:
            return "fuzzy"
        return "context" if self.score + self.unit.penalty >= 101 else "exact"

    @property
    def repaired(self) -> bool:
        """The English was changed to fit the segment (another name or number)."""
        return bool(self.repairs)

    @property
    def source(self) -> str:
        return self.unit.source

    @property
    def origin(self) -> str:
        return self.unit.origin

    def label(self) -> str:
        """How the match is named in a list: `101%`, `98% repaired`, `100% (penalty 10)`."""
        text = f"{self.score}%"
        if self.repaired:
            text += " repaired"
        if self.unit.penalty:
            text += f" (penalty {self.unit.penalty})"
        return text
