"""The beads of a document's last alignment as the state keeps them, and as review goes
through them: least sure first, with the target sentences that have no segment.

Light to import (no aligner, no numpy): the review screen reads them for every document
it opens that has an alignment, and `workbench beads` lists them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.core.project import Project
from workbench.core.repair import repairs


@dataclass(frozen=True)
class StoredBead:
    """A bead kept in the state, for review: its segments as they are now (ids and
    ordinals; none for target sentences with no segment, which sit after `after`)."""

    doc: str
    position: int
    segment_ids: tuple[str, ...]
    ordinals: tuple[int, ...]
    target: tuple[str, ...]
    confidence: float
    line: int | None
    after: str | None = None
    after_ordinal: int | None = None

    @property
    def orphan(self) -> bool:
        return not self.segment_ids


def stored_beads(project: Project, doc: str,
                 ordinals: Mapping[str, int] | None = None) -> list[StoredBead]:
    """The beads of the document's last alignment, in document order; `ordinals` (segment
    id → number) saves reading the document's segments when the caller has them."""
    rows = project.db.query(
        "SELECT position, segments, after, target, line, confidence FROM alignment_beads "
        "WHERE doc = ? ORDER BY position", (doc,))
    if not rows:
        return []
    ordinal = ordinals if ordinals is not None else \
        {r.id: r.ordinal for r in project.segments(doc)}
    out = []
    for position, segments, after, target, line, confidence in rows:
        ids = tuple(segments.split())
        out.append(StoredBead(doc, position, ids, tuple(ordinal.get(i, 0) for i in ids),
                              tuple(json.loads(target)), float(confidence), line, after,
                              ordinal.get(after) if after else None))
    return out


def least_sure(project: Project, doc: str) -> list[StoredBead]:
    """The stored beads, least confident first (target sentences with no segment and
    segments with no translation among them): the order to review an alignment in."""
    return sorted(stored_beads(project, doc), key=lambda b: (b.confidence, b.position))


@dataclass(frozen=True)
class AlignmentView:
    """A document's last alignment as review shows it: how sure the alignment is of each
    segment's translation, and the target sentences it left with no segment, by the
    segment they follow (None: before the first)."""

    confidence: Mapping[str, float] = field(default_factory=dict)
    orphans: Mapping[str | None, tuple[StoredBead, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.confidence or self.orphans)

    def sureness(self, segment_id: str, first: bool = False) -> float | None:
        """The least confidence of the segment's bead and of the sentences with no segment
        next to it (`first`: it is the document's first segment, which takes those before
        it too); None when the alignment says nothing of it."""
        found = [self.confidence[segment_id]] if segment_id in self.confidence else []
        found += [b.confidence for b in self.orphans.get(segment_id, ())]
        if first:
            found += [b.confidence for b in self.orphans.get(None, ())]
        return min(found) if found else None


def read_alignment(project: Project, doc: str, ordinals: Mapping[str, int]) -> AlignmentView:
    """The document's last alignment for review (empty when it has none). A segment that a
    repair made since keeps what the alignment said of its parts: a merge the least sure
    of the two, a split's pieces the segment's; sentences that followed a merged or split
    segment follow what it became."""
    beads = stored_beads(project, doc, ordinals)
    if not beads:
        return AlignmentView()
    confidence = {i: b.confidence for b in beads for i in b.segment_ids}
    now: dict[str, str] = {}
    """Where a segment's place is now, for one a repair took out (its last piece)."""
    for repair in repairs(project, doc):
        if repair.op == "merge":
            known = [confidence[p] for p in repair.parts if p in confidence]
            if known:
                confidence[repair.result[0]] = min(known)
            now.update((p, repair.result[-1]) for p in repair.parts)
        elif repair.op == "split":
            if repair.parts[0] in confidence:
                confidence.update((r, confidence[repair.parts[0]]) for r in repair.result)
            now[repair.parts[0]] = repair.result[-1]
    orphans: dict[str | None, list[StoredBead]] = {}
    for bead in beads:
        if bead.orphan:
            after, seen = bead.after, set()
            while after is not None and after not in ordinals and after in now and \
                    after not in seen:
                seen.add(after)
                after = now[after]
            orphans.setdefault(after, []).append(bead)
    return AlignmentView({i: c for i, c in confidence.items() if i in ordinals},
                         {k: tuple(v) for k, v in orphans.items()})
