"""Repetitions: segments of the project whose sources are the same.

`fill_repetitions` is what happens when a segment becomes reviewed or approved, in review
and through `workbench import` alike: every other segment with the same source that is
still `new` or `draft` takes its final translation and becomes reviewed, its history saying
`propagated from #n`. Reviewed, approved and rejected segments are never touched.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from workbench.core.project import Project
from workbench.core.records import SegmentRecord

FILLABLE = ("new", "draft")
"""The statuses a repetition may be filled in."""
FILLED_STATUS = "reviewed"
ORIGIN_PREFIX = "propagated from"


@dataclass(frozen=True)
class Filled:
    """A segment filled from a repetition: as it was, as it is, and from which segment."""

    before: SegmentRecord
    after: SegmentRecord
    source: SegmentRecord


def propagation_origin(source: SegmentRecord, target_doc: str) -> str:
    """The history origin of a filled segment: `propagated from #5` (from another
    document: `propagated from <doc> #5`)."""
    where = f"#{source.ordinal}" if source.doc == target_doc else \
        f"{source.doc} #{source.ordinal}"
    return f"{ORIGIN_PREFIX} {where}"


def fill_repetitions(project: Project, records: Iterable[SegmentRecord], *,
                     exclude: Collection[str] = ()) -> list[Filled]:
    """Fill the new and draft repetitions of each reviewed or approved record with its
    final translation, in one transaction; `exclude` names segments to leave alone (those
    changed by the same import). Returns what was filled."""
    sources: dict[str, SegmentRecord] = {}
    for record in records:
        if record.done and record.final is not None:
            sources[record.source] = record       # the last change of a source wins
    if not sources:
        return []
    wanted = list(sources)
    fillable = ", ".join("?" * len(FILLABLE))
    targets: list[tuple[str, str, str]] = []
    for at in range(0, len(wanted), 400):
        chunk = wanted[at:at + 400]
        targets += project.db.query(
            f"SELECT id, doc, source FROM segments WHERE active = 1 AND status IN ({fillable}) "
            f"AND source IN ({', '.join('?' * len(chunk))}) ORDER BY doc, ordinal",
            (*FILLABLE, *chunk))
    skip = set(exclude) | {r.id for r in sources.values()}
    groups: dict[tuple[str, str], list[str]] = {}
    for segment_id, doc, source in targets:
        if segment_id not in skip:
            groups.setdefault((source, propagation_origin(sources[source], doc)),
                              []).append(segment_id)
    filled: list[Filled] = []
    if not groups:
        return filled
    with project.db.transaction():
        for (source, origin), ids in groups.items():
            record = sources[source]
            before = {i: project.segment(i) for i in ids}
            after = project.update_many([(i, record.final, FILLED_STATUS) for i in ids],
                                        by=record.updated_by, origin=origin)
            filled += [Filled(before[a.id], a, record) for a in after]
    return filled


@dataclass(frozen=True)
class Repetition:
    """A segment whose source occurs more than once among those looked at."""

    first: SegmentRecord
    """Its first occurrence (in the order given)."""
    count: int
    """How many segments have that source."""
    position: int
    """Which occurrence this one is (1: the first)."""


def repetitions(records: Sequence[SegmentRecord]) -> dict[str, Repetition]:
    """Every segment (by id) whose source occurs more than once in `records`."""
    groups: dict[str, list[SegmentRecord]] = {}
    for record in records:
        groups.setdefault(record.source, []).append(record)
    out: dict[str, Repetition] = {}
    for group in groups.values():
        if len(group) > 1:
            for i, record in enumerate(group, 1):
                out[record.id] = Repetition(group[0], len(group), i)
    return out
