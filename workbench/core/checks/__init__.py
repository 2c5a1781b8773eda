"""QA checks over segments -> Issue records: glossary names, numbers, the English as text,
length against the document, spelling, and consistency across segments.

The target of a segment is its `final` translation if set, else its normalized text (the MT
with the glossary enforced), else its raw MT. A segment whose normalized text is a
pre-translation (no MT yet) has no target. `CATALOG` lists every check with its severity and
what it finds; a clean run (exit 0) means no error.

Two checks need more than the segment: the length check a model of the document's
translations (built from the records checked together), and the spelling check a dictionary
(loaded by `check_records`, or handed in a `CheckContext`; `check_segments` alone, as the
TUI calls it for one segment on the UI thread, never loads one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice

from workbench.core.batch import gc_paused
from workbench.core.checks import form
from workbench.core.checks.base import target_of
from workbench.core.checks.catalog import CATALOG, CHECKS, CheckInfo, explain
from workbench.core.checks.consistency import (
    CensusRow,
    census_issues,
    inconsistent_terms,
    inconsistent_translations,
    variant_census,
)
from workbench.core.checks.ignore import Ignored, IgnoreList, split_ignored
from workbench.core.checks.length import LengthModel, build_models, length_issues
from workbench.core.checks.names import name_issues
from workbench.core.checks.words import speller_for, spelling_issues
from workbench.core.enforce import Enforcer
from workbench.core.glossary.model import Glossary, Hit
from workbench.core.numbers import number_mismatch
from workbench.core.records import SEVERITIES, Issue, SegmentRecord
from workbench.core.spelling import Speller, SpellingUnavailable

__all__ = [
    "CATALOG",
    "CHECKS",
    "SEVERITIES",
    "CensusRow",
    "CheckContext",
    "CheckInfo",
    "CheckReport",
    "IgnoreList",
    "Ignored",
    "Issue",
    "check_context",
    "check_records",
    "check_segments",
    "explain",
    "target_of",
    "variant_census",
]


@dataclass(frozen=True)
class CheckContext:
    """What the checks need beyond the segments: a speller (None: spelling is not checked)
    and length models by document (None: built from the records checked)."""

    speller: Speller | None = None
    lengths: Mapping[str, LengthModel] | None = None
    notes: tuple[str, ...] = ()
    """What could not be checked and why (no dictionary installed: how to install it)."""


def check_context(glossary: Glossary, *, spelling: bool = True) -> CheckContext:
    """A context with the spelling dictionary loaded (known words: the glossary's names and
    glossary/words.txt); a missing dictionary is a note saying how to install it."""
    if not spelling:
        return CheckContext()
    try:
        return CheckContext(speller=speller_for(glossary))
    except SpellingUnavailable as exc:
        return CheckContext(notes=(str(exc),))


@dataclass(frozen=True)
class CheckReport:
    """The issues of a batch check plus the variant census of the sources."""

    issues: list[Issue]
    census: list[CensusRow]
    segments: int
    ignored: list[Issue] = field(default_factory=list)
    """Issues found but marked ignored (not in `issues`)."""
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Issues per severity, every severity present."""
        found = Counter(i.severity for i in self.issues)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def at_or_above(self, severity: str) -> list[Issue]:
        """Issues of `severity` or worse."""
        rank = SEVERITIES.index(severity)
        return [i for i in self.issues if SEVERITIES.index(i.severity) <= rank]

    def without(self, ignored: frozenset[str] | set[str]) -> CheckReport:
        """The report with the issues of these ids moved to `ignored`."""
        kept, silenced = split_ignored(self.issues, ignored)
        return replace(self, issues=kept, ignored=self.ignored + silenced)


def check_segments(records: Sequence[SegmentRecord], glossary: Glossary,
                   context: CheckContext | None = None) -> list[Issue]:
    """The per-segment checks of `records` (names, numbers, the text, length; spelling
    only with a speller in `context`)."""
    return _per_segment(records, glossary.find_all([r.source for r in records]), glossary,
                        context or CheckContext())


def _per_segment(records: Sequence[SegmentRecord], hits: Sequence[Sequence[Hit]],
                 glossary: Glossary, context: CheckContext) -> list[Issue]:
    """The per-segment issues of `records`, whose sources have `hits`.

    The cyclic garbage collector is paused meanwhile (`gc_paused`).
    """
    out: list[Issue] = []
    enforcer = Enforcer(glossary)
    speller = context.speller
    with gc_paused():
        targets = [target_of(r) for r in records]
        lengths = context.lengths if context.lengths is not None else \
            build_models(records, targets)
        not_english: set[int] = set()     # targets with no English to measure
        for index, (record, target, found) in enumerate(zip(records, targets, hits,
                                                            strict=True)):
            if record.untranslated:
                out.append(form.untranslated(record))
            if not target or target.isspace():
                continue
            copied = form.identical(record, target)
            if copied is not None:
                out.append(copied)
            rewritten: set[str] = set()
            out.extend(name_issues(record, target, found, enforcer, rewritten))
            message = number_mismatch(record.source, target)
            if message:
                out.append(Issue("number-mismatch", "warning", record.doc, record.id or None,
                                 record.ordinal, message, record.source, target))
            if copied is not None or _english_issues(out, record, target, speller, rewritten):
                not_english.add(index)    # a copy, or Japanese left: no English to look at
        out.extend(length_issues(records, targets, lengths, not_english))
    return out


def _english_issues(out: list[Issue], record: SegmentRecord, target: str,
                    speller: Speller | None, rewritten: set[str]) -> bool:
    """The checks of the English as text but its length, added to `out`. With Japanese left
    in it, that is the one thing said (its spelling, ending or length would be noise);
    returns whether so.

    The hot loop of a check: each check's test for the usual clean text (a scan in C) is
    made here, and the check itself called only when that finds something.
    """
    if target[0].isspace() or target[-1].isspace() or "  " in target or \
            (form.LOOK_CLOSER_ASCII if target.isascii() else form.LOOK_CLOSER).search(target):
        text = form.text_issues(record, target)
        if text:
            out.extend(text)
            if any(i.check == "japanese-left" for i in text):
                return True
    if not (target[-1:] == "." and target[:1].isupper() and
            record.segment.source.endswith(("。", "．"))):
        out.extend(form.sentence_form(record, target))
    words = target.split()
    if len(words) > 1 and (words[1][:1] == words[0][:1].lower() or
                           any(map(str.startswith, islice(words, 1, None), words))):
        issue = form.repeated_word(record, target, words)
        if issue is not None:
            out.append(issue)
    if speller is not None and not speller.knows_all(words):
        out.extend(spelling_issues(record, target, speller, words, rewritten))
    return False


def check_records(records: Sequence[SegmentRecord], glossary: Glossary,
                  context: CheckContext | None = None) -> CheckReport:
    """Every check over `records` (a project's or an aligned file's): per-segment issues,
    consistency across segments and the variant census of their sources. With no context,
    the spelling dictionary is loaded (once per process) if it is installed."""
    context = context or check_context(glossary)
    hits = glossary.find_all([r.source for r in records])
    issues = _per_segment(records, hits, glossary, context)
    issues.extend(inconsistent_terms(records, hits))
    issues.extend(inconsistent_translations(records))
    census = variant_census(records, hits)
    issues.extend(census_issues(census))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    issues.sort(key=lambda i: (i.doc, i.ordinal if i.ordinal is not None else -1,
                               order[i.severity], i.check))
    return CheckReport(issues, census, len(records), notes=context.notes)
