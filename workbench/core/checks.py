"""QA checks over segments: glossary names, consistency, numbers and empty or copied targets.

The target of a segment is its `final` translation if set, else its normalized text (the
MT with the glossary enforced), else its raw MT. A segment whose normalized text is a
pre-translation (no MT yet) has no target. Each check has one severity, so that a clean
run means something:

| check                   | severity | finds                                                   |
|-------------------------|----------|---------------------------------------------------------|
| term-missing            | error    | a name in the source that the target does not name      |
| off-canonical           | error    | a rendering the glossary rewrites (en_variants, near    |
|                         |          | misses, Japanese or romanized leftovers)                |
| forbidden               | error    | a rendering the glossary forbids                        |
| untranslated            | error    | a reviewed or approved segment with no final English    |
|                         | warning  | a draft or rejected segment with no final English       |
|                         | info     | a new segment with no final English yet (MT is checked) |
| identical               | warning  | a target that is the Japanese source copied             |
| number-mismatch         | warning  | numbers of the source missing from the target, or digits |
|                         |          | of the target missing from the source (kanji numerals:  |
|                         |          | 二〇二四, 千九百九十三; 3億ドル = $300 million)            |
| inconsistent-term       | warning  | one source spelling rendered by different English forms |
| inconsistent-translation| warning  | identical source segments translated differently        |
| suggested-rewrite       | warning  | a rewrite enforcement is not sure enough to make        |
|                         |          | (`To Lam` may be `Tô Lâm`), with why and how sure       |
| variant-census          | info     | a name spelled more than one way in the sources         |
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.batch import gc_paused
from workbench.core.chars import JAPANESE, could_be, nfkc
from workbench.core.enforce import Enforcer, accepted_forms, contains_word
from workbench.core.glossary.model import Entry, Glossary, Hit
from workbench.core.numbers import number_mismatch
from workbench.core.records import DONE_STATUSES, SEVERITIES, Issue, SegmentRecord

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "CensusRow",
    "CheckReport",
    "Issue",
    "check_records",
    "check_segments",
    "target_of",
]

CHECKS: dict[str, str] = {
    "term-missing": "error",
    "off-canonical": "error",
    "forbidden": "error",
    "untranslated": "error|warning|info",
    "identical": "warning",
    "number-mismatch": "warning",
    "inconsistent-term": "warning",
    "inconsistent-translation": "warning",
    "suggested-rewrite": "warning",
    "variant-census": "info",
}
"""Every check and its severity (untranslated depends on the segment's review status)."""


@dataclass(frozen=True)
class CensusRow:
    """How the sources spell one name: each spelling with its count, and where."""

    entry: Entry
    spellings: tuple[tuple[str, int], ...]   # most frequent first
    docs: tuple[str, ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.spellings)

    def as_dict(self) -> dict[str, object]:
        """The row as reports write it (JSON)."""
        return {"en": self.entry.en, "type": self.entry.type, "docs": list(self.docs),
                "spellings": [{"spelling": s, "count": n} for s, n in self.spellings]}


@dataclass(frozen=True)
class CheckReport:
    """The issues of a batch check plus the variant census of the sources."""

    issues: list[Issue]
    census: list[CensusRow]
    segments: int

    def counts(self) -> dict[str, int]:
        """Issues per severity, every severity present."""
        found = Counter(i.severity for i in self.issues)
        return {s: found.get(s, 0) for s in SEVERITIES}

    def at_or_above(self, severity: str) -> list[Issue]:
        """Issues of `severity` or worse."""
        rank = SEVERITIES.index(severity)
        return [i for i in self.issues if SEVERITIES.index(i.severity) <= rank]


def target_of(record: SegmentRecord) -> str | None:
    """What a segment says in English: final, else normalized, else MT (None: nothing yet).

    A normalized text without MT is a pre-translation, not a translation.
    """
    if record.final is not None:
        return record.final
    if record.mt is None:
        return None
    return record.normalized if record.normalized is not None else record.mt


def check_segments(records: Sequence[SegmentRecord], glossary: Glossary) -> list[Issue]:
    """The per-segment checks (names, numbers, empty or copied targets) of `records`."""
    return _per_segment(records, glossary.find_all([r.source for r in records]), glossary)


def _per_segment(records: Sequence[SegmentRecord], hits: Sequence[Sequence[Hit]],
                 glossary: Glossary) -> list[Issue]:
    """The per-segment issues of `records`, whose sources have `hits`.

    The cyclic garbage collector is paused meanwhile (`gc_paused`).
    """
    out: list[Issue] = []
    enforcer = Enforcer(glossary)
    with gc_paused():
        for record, found in zip(records, hits, strict=True):
            out.extend(_segment_issues(record, found, enforcer))
    return out


def check_records(records: Sequence[SegmentRecord], glossary: Glossary) -> CheckReport:
    """Every check over `records` (a project's or an aligned file's): per-segment issues,
    consistency across segments and the variant census of their sources."""
    hits = glossary.find_all([r.source for r in records])
    issues = _per_segment(records, hits, glossary)
    issues.extend(_inconsistent_terms(records, hits))
    issues.extend(_inconsistent_translations(records))
    census = variant_census(records, hits)
    issues.extend(_census_issues(census))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    issues.sort(key=lambda i: (i.doc, i.ordinal if i.ordinal is not None else -1,
                               order[i.severity], i.check))
    return CheckReport(issues, census, len(records))


# -------------------------------------------------------------------------------- per segment


def _issue(check: str, severity: str, record: SegmentRecord, message: str, target: str = "",
           term: str = "") -> Issue:
    return Issue(check, severity, record.doc, record.id or None, record.ordinal, message,
                 record.source, target, term)


def _segment_issues(record: SegmentRecord, hits: Sequence[Hit],
                    enforcer: Enforcer) -> list[Issue]:
    target = target_of(record)
    out: list[Issue] = []
    if record.untranslated:
        out.append(_untranslated(record))
    if not target or target.isspace():
        return out
    if _has_japanese(record.source) and _same_text(record.source, target):
        out.append(_issue("identical", "warning", record,
                          "the target is the Japanese source, untranslated", target))
    entries = enforcer.entries(hits)
    if hits:
        # A stored normalized text made with this glossary has had its rewrites made: what
        # is left to find is what it does not name, and the rewrites it was only offered.
        result = enforcer.review(target, entries, record.source) \
            if _enforced(record, enforcer.stamp) else \
            enforcer.enforce(target, entries, record.source)
        for change in result.changes:
            out.append(_issue("off-canonical", "error", record,
                              f"{change.before!r} should read {change.after!r} "
                              f"({change.why}; {change.confidence:.2f} sure)", target,
                              change.entry.en))
        for change in result.suggestions:
            out.append(_issue("suggested-rewrite", "warning", record,
                              f"{change.before!r} may be {change.after!r} "
                              f"({change.why}; only {change.confidence:.2f} sure)", target,
                              change.entry.en))
        missing = result.missing
    else:
        missing = []
    for entry in missing:
        # (The hits of one glossary share its entry objects: `is` is `==` here, and fast.)
        surfaces = ", ".join(dict.fromkeys(h.surface for h in hits if h.entry is entry))
        out.append(_issue("term-missing", "error", record,
                          f"{surfaces} is not named: expected {entry.rendering!r}",
                          target, entry.en))
    for entry in entries:
        for form in entry.forbidden:
            if contains_word(target, form):
                out.append(_issue("forbidden", "error", record,
                                  f"{form!r} is forbidden: write {entry.rendering!r}",
                                  target, entry.en))
    message = number_mismatch(record.source, target)
    if message:
        out.append(_issue("number-mismatch", "warning", record, message, target))
    return out


def _enforced(record: SegmentRecord, stamp: str) -> bool:
    """Whether the segment's target is its normalized text, made with this glossary and
    these rules (`stamp`)."""
    return record.final is None and record.normalized is not None and \
        record.normalized_glossary == stamp


def _untranslated(record: SegmentRecord) -> Issue:
    """A segment with no final English (`SegmentRecord.untranslated`): an error once it is
    marked done, a note while it is new (its MT, if any, is still checked)."""
    what = "no final translation" if record.final is None else "an empty final translation"
    if record.status in DONE_STATUSES:
        return _issue("untranslated", "error", record, f"{what}, but marked {record.status}",
                      record.final or "")
    if record.status == "new":
        return _issue("untranslated", "info", record, f"{what} yet", record.final or "")
    return _issue("untranslated", "warning", record, f"{what} ({record.status})",
                  record.final or "")


_JAPANESE = re.compile(f"[{JAPANESE}]")


def _has_japanese(text: str) -> bool:
    return _JAPANESE.search(text) is not None


def _same_text(a: str, b: str) -> bool:
    """Whether `a`, which has Japanese in it, and `b` are the same text but for width and
    spacing (NFKC)."""
    if a == b:
        return True
    # NFKC keeps Japanese Japanese, so `b` must have something that NFKC makes Japanese.
    if b.isascii() or not could_be(_JAPANESE, b):
        return False
    return " ".join(nfkc(a).split()) == " ".join(nfkc(b).split())



# -------------------------------------------------------------------------------- consistency


def _inconsistent_terms(records: Sequence[SegmentRecord],
                        hits: Sequence[Sequence[Hit]]) -> list[Issue]:
    """One source spelling rendered by different full English forms in different segments
    (`CSTO` here, `Collective Security Treaty Organization` there). A person's surname
    after the full name is normal English and not counted."""
    used: dict[tuple[Entry, str], Counter[str]] = defaultdict(Counter)
    where: dict[tuple[Entry, str], list[SegmentRecord]] = defaultdict(list)
    for record, found in zip(records, hits, strict=True):
        target = target_of(record)
        if not target:
            continue
        for hit in found:
            key = (hit.entry, hit.surface)
            forms = [f for f in accepted_forms(hit.entry) if contains_word(target, f)]
            if forms:
                used[key][max(forms, key=len)] += 1
                where[key].append(record)
    out = []
    for (entry, surface), counts in used.items():
        if len(counts) < 2:
            continue
        first = where[(entry, surface)][0]
        listing = ", ".join(f"{f!r} ×{n}" for f, n in counts.most_common())
        out.append(Issue("inconsistent-term", "warning", first.doc, None, None,
                         f"{surface} is rendered {len(counts)} ways: {listing}",
                         surface, "", entry.en))
    return out


def _inconsistent_translations(records: Sequence[SegmentRecord]) -> list[Issue]:
    """Identical sources with different targets."""
    targets: dict[str, dict[str, SegmentRecord]] = defaultdict(dict)
    for record in records:
        target = target_of(record)
        if target and target.strip():
            targets[record.source].setdefault(" ".join(target.split()), record)
    out = []
    for source, by_target in targets.items():
        if len(by_target) < 2:
            continue
        first = next(iter(by_target.values()))
        where = ", ".join(f"#{r.ordinal}" for r in by_target.values())
        out.append(Issue("inconsistent-translation", "warning", first.doc, first.id or None,
                         first.ordinal,
                         f"the same source is translated {len(by_target)} ways ({where})",
                         source, " | ".join(by_target)))
    return out


def variant_census(records: Sequence[SegmentRecord],
                   hits: Sequence[Sequence[Hit]]) -> list[CensusRow]:
    """Every name found in the sources with the spellings used for it, most used first."""
    spellings: dict[Entry, Counter[str]] = defaultdict(Counter)
    docs: dict[Entry, dict[str, None]] = defaultdict(dict)
    for record, found in zip(records, hits, strict=True):
        for hit in found:
            spellings[hit.entry][hit.surface] += 1
            docs[hit.entry][record.doc] = None
    rows = [CensusRow(entry, tuple(counts.most_common()), tuple(docs[entry]))
            for entry, counts in spellings.items()]
    rows.sort(key=lambda r: (-len(r.spellings), -r.total, r.entry.en))
    return rows


def _census_issues(census: Sequence[CensusRow]) -> list[Issue]:
    out = []
    for row in census:
        if len(row.spellings) < 2:
            continue
        listing = ", ".join(f"{s} ×{n}" for s, n in row.spellings)
        out.append(Issue("variant-census", "info", ", ".join(row.docs), None, None,
                         f"{row.entry.en} is spelled {len(row.spellings)} ways: {listing}",
                         term=row.entry.en))
    return out


