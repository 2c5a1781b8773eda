"""What the review screen asks of the memory, with no UI in it: the lookups of the segment
on screen and of those after it, how a match taken into Final is named in the history, and
where a segment's last change came from (a repetition, a match).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from workbench.core.memory.repetitions import ORIGIN_PREFIX
from workbench.core.memory.units import THIS_PROJECT, Match, Query, Unit
from workbench.core.project import Project
from workbench.core.records import SegmentRecord

AHEAD = 8
"""Segments after the current one looked up while the reviewer reads it."""
TAKEN_PREFIX = "memory"
"""The history origin of a match taken into Final: `memory 98% client.tmx`."""


def query_at(records: Sequence[SegmentRecord], index: int) -> Query:
    """The lookup of `records[index]`, with its neighbours in the document."""
    record = records[index]
    prev = records[index - 1].source if index else None
    following = records[index + 1].source if index + 1 < len(records) else None
    return Query(record.source, prev, following, record.id)


def queries_from(records: Sequence[SegmentRecord], view: Sequence[int], position: int,
                 ahead: int = AHEAD) -> list[Query]:
    """The lookup of the segment at `position` of the (filtered) list `view` (indices into
    `records`), then of the `ahead` segments after it in the list: what to prefetch."""
    end = min(len(view), position + 1 + ahead)
    return [query_at(records, view[p]) for p in range(max(position, 0), end)]


def origin_label(unit: Unit) -> str:
    """Where a unit comes from, short: `this project · doc #3`, a project's folder name
    (and document), a TMX file's name."""
    if unit.origin == THIS_PROJECT:
        return f"{THIS_PROJECT} · {unit.doc} #{unit.ordinal}" if unit.doc else THIS_PROJECT
    name = PurePath(unit.origin).name or unit.origin
    return f"{name} · {unit.doc}" if unit.doc else name


def taken_origin(match: Match) -> str:
    """The history origin of a segment whose Final was taken from `match`."""
    return f"{TAKEN_PREFIX} {match.score}% {origin_label(match.unit)}"


def provenance(project: Project, segment_id: str) -> str | None:
    """Where the segment's last change came from, when not from a reviewer's own typing:
    `propagated from #5` (a repetition filled), `memory 98% client.tmx` (a match taken)."""
    origin = project.db.scalar(
        "SELECT origin FROM history WHERE segment_id = ? ORDER BY seq DESC LIMIT 1",
        (segment_id,))
    if isinstance(origin, str) and origin.startswith((ORIGIN_PREFIX, TAKEN_PREFIX + " ")):
        return origin
    return None


def repeated_sources(project: Project) -> frozenset[str]:
    """The sources that occur more than once among the project's active segments (all its
    documents): the repetitions the segment list marks."""
    rows = project.db.query("SELECT source FROM segments WHERE active = 1 GROUP BY source "
                            "HAVING count(*) > 1")
    return frozenset(r[0] for r in rows)
