"""Concordance: every occurrence of a Japanese or English string in the project's
documents and in the user's memory, with its context.

The search folds as the glossary does (width, case, ー, ・, ヴ: プーチン finds プチン and
ﾌﾟｰﾁﾝ), over the sources and final translations of every segment of every document, and
the sources and English of the memory's units. Any length works, one character too (露):
the memory's index narrows a Japanese search down to the units holding its character
pairs; a single character or a Latin string is looked for in the whole table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.core.chars import JAPANESE
from workbench.core.glossary.fold import Folded, fold_key
from workbench.core.memory.lookup import ProjectMemory
from workbench.core.memory.store import MemoryStore
from workbench.core.memory.text import folded_index_text
from workbench.core.memory.units import THIS_PROJECT, Unit
from workbench.core.project import Project

LIMIT = 200
_JAPANESE = re.compile(f"[{JAPANESE}]")
_FETCH = 2000


@dataclass(frozen=True)
class Occurrence:
    """Where a string was found: a segment of a document (with the sources before and
    after it) or a unit of the memory; the spans of the string in its source and English."""

    origin: str
    source: str
    target: str | None
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    doc: str | None = None
    ordinal: int | None = None
    segment_id: str | None = None
    status: str | None = None
    before: str | None = None
    after: str | None = None
    changed_at: str | None = None

    @property
    def where(self) -> str:
        """`doc #12` for a segment, the memory's origin (and document) for a unit."""
        if self.origin == THIS_PROJECT:
            return f"{self.doc} #{self.ordinal}"
        return f"{self.origin} ({self.doc})" if self.doc else self.origin


def find_spans(text: str, needle: str) -> tuple[tuple[int, int], ...]:
    """Every occurrence of `needle` (already folded) in `text`, as folded, mapped back."""
    if not text or not needle:
        return ()
    folded = Folded(text)
    spans = []
    at = folded.text.find(needle)
    while at != -1:
        spans.append(folded.span(at, at + len(needle)))
        at = folded.text.find(needle, at + len(needle))
    return tuple(spans)


def concordance(text: str, *, project: Project | None = None,
                memory: ProjectMemory | None = None, store: MemoryStore | None = None,
                limit: int = LIMIT) -> list[Occurrence]:
    """Occurrences of `text` in the project's documents (in document order), then in the
    user's memory (newest first), at most `limit` of each."""
    needle = fold_key(text.strip())
    if not needle:
        return []
    found: list[Occurrence] = []
    project = project or (memory.project if memory is not None else None)
    if project is not None:
        found += _in_project(project, needle, limit)
    if store is None and memory is not None:
        store = memory.store
    if store is not None:
        skip = memory.origin_name if memory is not None else None   # the project, mirrored
        found += _in_memory(store, text.strip(), needle, limit, skip)
    return found


def _in_project(project: Project, needle: str, limit: int) -> list[Occurrence]:
    found: list[Occurrence] = []
    records = project.segments()
    for i, record in enumerate(records):
        spans = find_spans(record.source, needle)
        target_spans = find_spans(record.final or "", needle)
        if not spans and not target_spans:
            continue
        before = records[i - 1].source if i and records[i - 1].doc == record.doc else None
        after = records[i + 1].source if i + 1 < len(records) and \
            records[i + 1].doc == record.doc else None
        found.append(Occurrence(THIS_PROJECT, record.source, record.final, spans, target_spans,
                                record.doc, record.ordinal, record.id, record.status, before,
                                after, record.updated_at))
        if len(found) >= limit:
            break
    return found


def _in_memory(store: MemoryStore, raw: str, needle: str, limit: int,
               skip: str | None) -> list[Occurrence]:
    pairs = folded_index_text(needle)
    if _JAPANESE.search(needle) and len(pairs) >= 2 and pairs == needle.replace(" ", ""):
        ids: list[int] = []
        for part in store.parts():
            ids += part.containing(pairs).tolist()
        ids.sort(reverse=True)
        candidates: list[Unit] = []
        for at in range(0, len(ids), _FETCH):
            candidates += sorted(store.units(ids[at:at + _FETCH]), key=lambda u: -u.id)
            if len(candidates) >= limit * 4:
                break
        candidates = store.recent()[::-1] + candidates
    else:
        candidates = store.scan(raw, limit * 4)
        if needle != raw:
            candidates += store.scan(needle, limit * 4)
        candidates += store.recent()[::-1]
    found: list[Occurrence] = []
    done: set[int] = set()
    for unit in candidates:
        if unit.id in done or unit.origin == skip:
            continue
        done.add(unit.id)
        spans = find_spans(unit.source, needle)
        target_spans = find_spans(unit.target, needle)
        if spans or target_spans:
            found.append(Occurrence(unit.origin, unit.source, unit.target, spans, target_spans,
                                    unit.doc, None, unit.ref, unit.status,
                                    changed_at=unit.changed_at))
            if len(found) >= limit:
                break
    return found
