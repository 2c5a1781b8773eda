"""What every check shares: the target of a segment and how an issue about it is made."""

from __future__ import annotations

from workbench.core.records import Issue, SegmentRecord


def target_of(record: SegmentRecord) -> str | None:
    """What a segment says in English: final, else normalized, else MT (None: nothing yet).

    A normalized text without MT is a pre-translation, not a translation.
    """
    if record.final is not None:
        return record.final
    if record.mt is None:
        return None
    return record.normalized if record.normalized is not None else record.mt


def make_issue(check: str, severity: str, record: SegmentRecord, message: str,
               target: str = "", term: str = "") -> Issue:
    """An issue located at `record`."""
    return Issue(check, severity, record.doc, record.id or None, record.ordinal, message,
                 record.source, target, term)


def by_status(record: SegmentRecord) -> str:
    """An error once the segment is reviewed or approved, a warning before."""
    return "error" if record.done else "warning"
