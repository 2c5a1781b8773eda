"""The glossary checks of one segment: names missing, off-canonical or forbidden renderings,
and rewrites enforcement is not sure enough to make."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.checks.base import make_issue
from workbench.core.enforce import Enforcer, contains_word
from workbench.core.glossary.model import Hit
from workbench.core.records import Issue, SegmentRecord


def name_issues(record: SegmentRecord, target: str, hits: Sequence[Hit],
                enforcer: Enforcer, rewritten: set[str] | None = None) -> list[Issue]:
    """term-missing, off-canonical, suggested-rewrite and forbidden issues of `target`; the
    words of every rendering rewritten or offered go into `rewritten` (a misspelt name is
    reported once, here)."""
    out: list[Issue] = []
    entries = enforcer.entries(hits)
    if hits:
        # A stored normalized text made with this glossary has had its rewrites made: what
        # is left to find is what it does not name, and the rewrites it was only offered.
        result = enforcer.review(target, entries, record.source) \
            if _enforced(record, enforcer.stamp) else \
            enforcer.enforce(target, entries, record.source)
        for change in result.changes:
            if rewritten is not None:
                rewritten.update(change.before.split())
            out.append(make_issue("off-canonical", "error", record,
                                  f"{change.before!r} should read {change.after!r} "
                                  f"({change.why}; {change.confidence:.2f} sure)", target,
                                  change.entry.en))
        for change in result.suggestions:
            if rewritten is not None:
                rewritten.update(change.before.split())
            out.append(make_issue("suggested-rewrite", "warning", record,
                                  f"{change.before!r} may be {change.after!r} "
                                  f"({change.why}; only {change.confidence:.2f} sure)", target,
                                  change.entry.en))
        missing = result.missing
    else:
        missing = []
    for entry in missing:
        # (The hits of one glossary share its entry objects: `is` is `==` here, and fast.)
        surfaces = ", ".join(dict.fromkeys(h.surface for h in hits if h.entry is entry))
        out.append(make_issue("term-missing", "error", record,
                              f"{surfaces} is not named: expected {entry.rendering!r}",
                              target, entry.en))
    for entry in entries:
        for form in entry.forbidden:
            if contains_word(target, form):
                out.append(make_issue("forbidden", "error", record,
                                      f"{form!r} is forbidden: write {entry.rendering!r}",
                                      target, entry.en))
    return out


def _enforced(record: SegmentRecord, stamp: str) -> bool:
    """Whether the segment's target is its normalized text, made with this glossary and
    these rules (`stamp`)."""
    return record.final is None and record.normalized is not None and \
        record.normalized_glossary == stamp
