"""Who reviews what: assignments of segment ranges to reviewers, "mine", progress by reviewer.

An assignment gives the segments numbered FROM to TO of a document (all of it when no range
is given) to a reviewer; a later assignment over the same segments takes them over, and one
to nobody (`reviewer=None`) hands them back. The owner of a segment is the reviewer of the
latest assignment that covers it, so the table only ever grows and tells who had what when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.core.errors import ProjectError
from workbench.core.project import Project, check_user
from workbench.core.records import DONE_STATUSES, SegmentRecord
from workbench.core.state import now

OWNER_SQL = ("(SELECT a.reviewer FROM assignments a WHERE a.doc = s.doc AND s.ordinal >= "
             "a.first_ordinal AND (a.last_ordinal IS NULL OR s.ordinal <= a.last_ordinal) "
             "ORDER BY a.seq DESC LIMIT 1)")
"""The reviewer who owns segment `s` (NULL when none does), as a correlated subquery."""
_RANGE = re.compile(r"^(?P<first>\d+)?(?:(?P<dash>-)(?P<last>\d+)?)?$")


@dataclass(frozen=True)
class Assignment:
    """Segments `first`..`last` (None: to the end) of `doc`, given to `reviewer`."""

    seq: int
    doc: str
    first: int
    last: int | None
    reviewer: str | None
    assigned_by: str | None
    assigned_at: str

    def describe(self) -> str:
        if self.last is None and self.first == 1:
            return self.doc
        if self.last is None:
            span = f"{self.first}-"
        else:
            span = f"{self.first}" if self.first == self.last else f"{self.first}-{self.last}"
        return f"{self.doc}:{span}"


@dataclass(frozen=True)
class ReviewerProgress:
    """A reviewer's segments (assigned to them) and how many are done; `changed`: active
    segments whose last change is theirs, assigned or not. `reviewer` None: unassigned."""

    reviewer: str | None
    assigned: int
    done: int
    changed: int

    @property
    def percent_done(self) -> float:
        return 100.0 * self.done / self.assigned if self.assigned else 0.0


def parse_target(project: Project, target: str) -> tuple[str, int, int | None]:
    """`DOC`, `DOC:N`, `DOC:FROM-TO` or `DOC:FROM-` as (document, first, last)."""
    ref, _, span = target.rpartition(":") if ":" in target else (target, "", "")
    doc = project.resolve_document(ref)
    if not span:
        return doc, 1, None
    m = _RANGE.match(span)
    if not m or (m.group("first") is None and m.group("last") is None):
        raise ProjectError(f"not a segment range: {span!r}",
                           hint="write DOC, DOC:N, DOC:FROM-TO or DOC:FROM- (segment numbers).")
    first = int(m.group("first") or 1)
    last = None if m.group("dash") and m.group("last") is None else \
        int(m.group("last") or first)
    count = project.active_count(doc)
    if first < 1 or (last is not None and last < first):
        raise ProjectError(f"segment range {span} is empty",
                           hint="FROM must be at least 1 and no larger than TO.")
    if first > count:
        raise ProjectError(f"{doc} has {count} segments; there is no #{first}",
                           hint=f"give numbers from 1 to {count}.")
    return doc, first, last


def assign(project: Project, doc: str, first: int, last: int | None,
           reviewer: str | None) -> Assignment:
    """Give segments `first`..`last` of `doc` to `reviewer` (None: to nobody)."""
    if reviewer is not None:
        reviewer = check_user(reviewer)
    at = now()
    with project.db.transaction() as tx:
        seq = tx.insert(
            "INSERT INTO assignments (doc, first_ordinal, last_ordinal, reviewer, assigned_by, "
            "assigned_at) VALUES (?, ?, ?, ?, ?, ?)",
            (doc, first, last, reviewer, project.user, at))
    return Assignment(seq, doc, first, last, reviewer, project.user, at)


def assignments(project: Project) -> list[Assignment]:
    """Every assignment made, oldest first."""
    return [Assignment(*row) for row in project.db.query(
        "SELECT seq, doc, first_ordinal, last_ordinal, reviewer, assigned_by, assigned_at "
        "FROM assignments ORDER BY seq")]


def owned_by_assignment(project: Project) -> dict[int, int]:
    """How many active segments each assignment (by seq) owns now (later ones take over)."""
    return {int(seq): int(n) for seq, n in project.db.query(
        f"SELECT owner, count(*) FROM (SELECT {OWNER_SQL.replace('a.reviewer', 'a.seq', 1)} "
        "AS owner FROM segments s WHERE s.active = 1) t WHERE owner IS NOT NULL "
        "GROUP BY owner")}


def mine(project: Project, reviewer: str | None = None,
         doc: str | None = None) -> list[SegmentRecord]:
    """The active segments assigned to `reviewer` (default: the project's user), in order."""
    who = reviewer if reviewer is not None else project.user
    sql = f"SELECT s.id FROM segments s WHERE s.active = 1 AND {OWNER_SQL} = ?"
    args: list[object] = [who]
    if doc is not None:
        sql += " AND s.doc = ?"
        args.append(doc)
    records = project.records(r[0] for r in project.db.query(sql, args))
    return sorted(records, key=lambda r: (r.doc, r.ordinal))


def assigned_ids(project: Project, reviewer: str | None = None,
                 doc: str | None = None) -> frozenset[str]:
    """The ids of `mine`: what a "mine" filter lets through."""
    return frozenset(r.id for r in mine(project, reviewer, doc))


def progress(project: Project) -> list[ReviewerProgress]:
    """Per reviewer (assigned or having changed a segment), then the unassigned segments."""
    done = ", ".join(f"'{s}'" for s in sorted(DONE_STATUSES))
    owned = {owner: (n, d) for owner, n, d in project.db.query(
        f"SELECT owner, count(*), sum(CASE WHEN status IN ({done}) THEN 1 ELSE 0 END) FROM "
        f"(SELECT s.status, {OWNER_SQL} AS owner FROM segments s WHERE s.active = 1) t "
        "GROUP BY owner")}
    changed: dict[str, int] = dict(project.db.query(
        "SELECT updated_by, count(*) FROM segments WHERE active = 1 AND updated_by IS NOT NULL "
        "GROUP BY updated_by"))
    people = sorted({o for o in owned if o is not None} | set(changed))
    rows = [ReviewerProgress(p, int(owned.get(p, (0, 0))[0]), int(owned.get(p, (0, 0))[1] or 0),
                             int(changed.get(p, 0))) for p in people]
    if None in owned:
        n, d = owned[None]
        rows.append(ReviewerProgress(None, int(n), int(d or 0), 0))
    return rows
