"""What both faces call to bring a project up to date: normalized text, checks, MT.

The CLI and the TUI do not orchestrate the core themselves: refreshing the glossary-enforced
text of stale segments, re-reading and checking a document, and translating documents with
an engine all happen here, once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.core.batch import gc_paused
from workbench.core.checks import CheckReport, IgnoreList, check_records
from workbench.core.enforce import Enforcer, normalized_stamp, pretranslate
from workbench.core.glossary.model import Glossary
from workbench.core.mt.engine import Engine
from workbench.core.mt.packages import Progress
from workbench.core.project import Project
from workbench.core.records import SegmentRecord, cut_record


def refresh_normalized(project: Project, glossary: Glossary) -> int:
    """Recompute the normalized text of segments that are stale for this glossary (new MT,
    another glossary version, older rules) and store it; returns how many. One query when
    none is."""
    stamp = normalized_stamp(glossary)
    stale = project.stale_normalized(stamp)
    if not stale:
        return 0
    all_hits = glossary.find_all([r.source for r in stale])
    enforcer = Enforcer(glossary)
    with gc_paused():
        rows = [(r.id, enforcer.enforce(r.mt, enforcer.entries(hits), r.source).text
                 if r.mt is not None
                 else pretranslate(r.source, hits, enforcer.entries(hits)).text)
                for r, hits in zip(stale, all_hits, strict=True)]
    return project.set_normalized(rows, stamp)


@dataclass(frozen=True)
class TranslateReport:
    """What `translate_project` did: newly translated, taken from the cache, already done."""

    translated: int
    cached: int
    skipped: int
    cancelled: bool
    engine_id: str
    seconds: float
    truncated: int = 0
    docs: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        """Newly translated segments per second."""
        return self.translated / self.seconds if self.seconds > 0 else 0.0


def translate_project(project: Project, docs: Sequence[str] | None = None, *, engine: Engine,
                      progress: Progress | None = None,
                      cancel: threading.Event | None = None) -> TranslateReport:
    """Machine-translate the active segments of `docs` (all documents when None).

    Segments whose MT already comes from this engine are skipped; texts the engine has
    translated before come from the cache; the rest are translated in batches, each stored
    (`set_mt`, `cache_mt`) as soon as it is done, so a cancel keeps the work finished so far.
    `progress(done, total)` counts segments still to translate when the run started.
    """
    start = time.monotonic()
    engine_id = engine.engine_id
    names = list(docs) if docs is not None else [d.name for d in project.documents()]
    segments = [s for doc in names for s in project.segments(doc)]
    todo = [s for s in segments if not (s.mt is not None and s.mt_engine == engine_id)]
    skipped = len(segments) - len(todo)
    cached = project.cached_mt((s.source for s in todo), engine_id)
    hits = [(s.id, cached[s.source], engine_id) for s in todo if s.source in cached]
    if hits:
        project.set_mt(hits)
    ids_by_source: dict[str, list[str]] = {}
    for s in todo:
        if s.source not in cached:
            ids_by_source.setdefault(s.source, []).append(s.id)
    sources = list(ids_by_source)
    total = sum(len(ids) for ids in ids_by_source.values())
    done = 0
    truncated_before = engine.truncated
    if progress is not None:
        progress(0, total)
    for batch in engine.translate_batches(sources, cancel=cancel) if sources else ():
        pairs = [(sources[i], text) for i, text in batch]
        project.cache_mt(pairs, engine_id)
        project.set_mt([(seg_id, text, engine_id) for source, text in pairs
                        for seg_id in ids_by_source[source]])
        done += sum(len(ids_by_source[source]) for source, _ in pairs)
        if progress is not None:
            progress(done, total)
    return TranslateReport(translated=done, cached=len(hits), skipped=skipped,
                           cancelled=done < total, engine_id=engine_id,
                           seconds=time.monotonic() - start,
                           truncated=engine.truncated - truncated_before, docs=names)


@dataclass(frozen=True)
class DocumentState:
    """A document as it stands after a refresh: its segments and what the checks found."""

    doc: str
    records: list[SegmentRecord]
    report: CheckReport


def refresh_document(project: Project, doc: str, glossary: Glossary, *,
                     check_limit: int | None = None) -> DocumentState:
    """Bring Normalized up to date with `glossary`, re-read `doc` and check it (issues
    marked ignored left out); with `check_limit`, each text is checked up to that many
    characters (the review checks a segment of megabytes as far as it shows it)."""
    refresh_normalized(project, glossary)
    records = project.segments(doc)
    checked = records if check_limit is None else \
        [cut_record(r, check_limit) or r for r in records]
    report = check_records(checked, glossary).without(IgnoreList(project).ids())
    return DocumentState(doc, records, report)


def project_records(project: Project, docs: Sequence[str] = ()) -> list[SegmentRecord]:
    """The segments of the named documents (as `resolve_document` takes names), or all."""
    if not docs:
        return project.segments()
    return [r for doc in dict.fromkeys(project.resolve_document(d) for d in docs)
            for r in project.segments(doc)]


def check_project(project: Project, glossary: Glossary, docs: Sequence[str] = ()
                  ) -> CheckReport:
    """Every check over the project's current segments and translations (or `docs`); the
    issues marked ignored are in the report's `ignored`, not its `issues`."""
    report = check_records(project_records(project, docs), glossary)
    return report.without(IgnoreList(project).ids())
