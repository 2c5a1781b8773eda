"""False positives: issues a reviewer marks as ignored, kept in the project state.

An issue is ignored by its id (`Issue.id`), which changes with the segment's source or target
text: edit the segment and the finding, if it is still there, is a new one and comes back.
Who ignored it and when is kept with it (`ignored_issues`, migration 0007-ignored-issues).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.core.errors import ProjectError
from workbench.core.project import Project, current_user
from workbench.core.records import Issue
from workbench.core.state import now

TABLE = "ignored_issues"


@dataclass(frozen=True)
class Ignored:
    """One ignored finding: what it said when it was ignored, by whom and when."""

    issue_id: str
    check: str
    doc: str
    segment_id: str | None
    ordinal: int | None
    message: str
    by: str
    at: str


class IgnoreList:
    """The ignored issues of a project."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def ignore(self, issues: Issue | Iterable[Issue], by: str | None = None) -> list[Ignored]:
        """Mark `issues` ignored by `by` (the current user by default), now; an issue
        ignored already keeps who ignored it first."""
        found = [issues] if isinstance(issues, Issue) else list(issues)
        who, at = by or current_user(), now()
        rows = [(i.id, i.check, i.doc, i.segment_id, i.ordinal, i.message, who, at)
                for i in found]
        with self.project.db.transaction() as tx:
            tx.executemany(
                f"INSERT INTO {TABLE} (issue_id, check_name, doc, segment_id, ordinal, message,"
                " ignored_by, ignored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (issue_id) DO NOTHING", rows)
        entries = self.entries()
        return [entries[i.id] for i in found]

    def unignore(self, issue_ids: Iterable[str]) -> int:
        """Forget these ignored issues (they are reported again); returns how many were."""
        ids = list(dict.fromkeys(issue_ids))
        with self.project.db.transaction() as tx:
            return sum(tx.execute(f"DELETE FROM {TABLE} WHERE issue_id = ?", (i,))
                       for i in ids)

    def entries(self) -> dict[str, Ignored]:
        """Every ignored issue by id (none for a state made before the list existed)."""
        if TABLE not in self.project.db.tables():
            return {}
        rows = self.project.db.query(
            f"SELECT issue_id, check_name, doc, segment_id, ordinal, message, ignored_by, "
            f"ignored_at FROM {TABLE} ORDER BY ignored_at, issue_id")
        return {r[0]: Ignored(*r) for r in rows}

    def ids(self) -> frozenset[str]:
        return frozenset(self.entries())


def split_ignored(issues: Sequence[Issue], ignored: frozenset[str] | set[str]
                  ) -> tuple[list[Issue], list[Issue]]:
    """(issues still to report, issues ignored): ids are worked out only when something is
    ignored at all."""
    if not ignored:
        return list(issues), []
    kept: list[Issue] = []
    silenced: list[Issue] = []
    for issue in issues:
        (silenced if issue.id in ignored else kept).append(issue)
    return kept, silenced


def find_issues(issues: Sequence[Issue], wanted: Iterable[str]) -> list[Issue]:
    """The issues with these ids, in the order asked; an id no issue has is an error that
    says where the ids are shown."""
    by_id = {i.id: i for i in issues}
    out = []
    for issue_id in wanted:
        issue = by_id.get(issue_id.strip())
        if issue is None:
            raise ProjectError(f"no issue with id {issue_id!r} in this check",
                               hint="`workbench check` shows each issue's id; an issue whose "
                                    "segment changed has a new one.")
        out.append(issue)
    return out
