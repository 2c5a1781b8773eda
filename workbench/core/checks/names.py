"""The glossary checks of one segment: names missing, off-canonical or forbidden renderings."""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.checks.base import make_issue
from workbench.core.enforce import Enforcer, contains_word
from workbench.core.glossary.model import Hit
from workbench.core.records import Issue, SegmentRecord

_REASONS = {"en_variant": "a variant spelling", "near_miss": "a misspelling",
            "leftover": "a source spelling left in the English",
            "romanized": "a romanized leftover",
            "pretranslation": "pre-translation"}


def name_issues(record: SegmentRecord, target: str, hits: Sequence[Hit],
                enforcer: Enforcer, rewritten: set[str] | None = None) -> list[Issue]:
    """term-missing, off-canonical and forbidden issues of `target`; the words of every
    off-canonical rendering go into `rewritten` (a misspelt name is reported once, here)."""
    out: list[Issue] = []
    entries = enforcer.entries(hits)
    if _enforced(record, enforcer.stamp):
        # The stored normalized text is this MT with this glossary enforced: enforcing it
        # again changes nothing, so only what it does not name is left to find.
        missing = enforcer.missing(target, entries)
    elif hits:
        result = enforcer.enforce(target, entries)
        for change in result.changes:
            if rewritten is not None:
                rewritten.update(change.before.split())
            out.append(make_issue("off-canonical", "error", record,
                                  f"{change.before!r} should read {change.after!r} "
                                  f"({_REASONS[change.reason]})", target, change.entry.en))
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
