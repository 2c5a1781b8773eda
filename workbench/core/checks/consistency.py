"""Checks that compare segments: one source spelling rendered several ways, identical
sources translated differently, and the census of how the sources spell each name."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.checks.base import target_of
from workbench.core.enforce import accepted_forms, contains_word
from workbench.core.glossary.model import Entry, Hit
from workbench.core.records import Issue, SegmentRecord


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

def inconsistent_terms(records: Sequence[SegmentRecord],
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


def inconsistent_translations(records: Sequence[SegmentRecord]) -> list[Issue]:
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


def census_issues(census: Sequence[CensusRow]) -> list[Issue]:
    out = []
    for row in census:
        if len(row.spellings) < 2:
            continue
        listing = ", ".join(f"{s} ×{n}" for s, n in row.spellings)
        out.append(Issue("variant-census", "info", ", ".join(row.docs), None, None,
                         f"{row.entry.en} is spelled {len(row.spellings)} ways: {listing}",
                         term=row.entry.en))
    return out
