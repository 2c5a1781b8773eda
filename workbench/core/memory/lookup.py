"""What a project sees of the translation memory: its own reviewed segments and the user's
memory (imported TMX, other projects), looked up together.

`ProjectMemory` is what the faces hold: `lookup` is thread-safe and cached by the state of
both memories (a lookup made before a segment was reviewed is made again), so a worker can
`prefetch` the next segments while the reviewer reads this one. The user's memory is
optional: where it cannot be opened (a read-only home), the project's own units still
match and `store_error` says why the rest is missing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.core.enforce import Enforced, enforce
from workbench.core.errors import WorkbenchError
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.memory.match import LIMIT, THRESHOLD, Matcher, Source
from workbench.core.memory.project_units import ProjectUnits, mirror_project, project_origin
from workbench.core.memory.store import RECENT_LIMIT, MemoryStore
from workbench.core.memory.units import Match, Query, Unit
from workbench.core.project import Project
from workbench.core.records import SegmentRecord


def queries(records: Sequence[SegmentRecord]) -> list[Query]:
    """A lookup for each of a document's segments (in order), with its neighbours."""
    out = []
    for i, record in enumerate(records):
        prev = records[i - 1].source if i else None
        following = records[i + 1].source if i + 1 < len(records) else None
        out.append(Query(record.source, prev, following, record.id))
    return out


class ProjectMemory:
    """The project's units and the user's memory, matched with the project's glossary."""

    def __init__(self, project: Project, glossary: Glossary, store: MemoryStore | None,
                 *, store_error: str | None = None, cache_size: int = 4096) -> None:
        self.project = project
        self.store = store
        self.store_error = store_error
        self.units = ProjectUnits(project)
        self._origin = project_origin(project)
        self._glossary = glossary
        self._matcher = self._make_matcher(glossary)
        self._cache: OrderedDict[tuple[Query, int, int], tuple[tuple[int, int], list[Match]]] = \
            OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @classmethod
    def open(cls, project: Project, glossary: Glossary | None = None, *,
             store: MemoryStore | None = None, folder: Path | None = None,
             sync: bool = True) -> ProjectMemory:
        """The memory of `project` (its glossary read when not given), with the user's
        memory at `folder` (the default folder when None); `sync` mirrors the project's
        reviewed work into the user's memory first."""
        if glossary is None:
            try:
                glossary = load_glossary(project.glossary_dir)
            except WorkbenchError:
                glossary = Glossary([])
        error = None
        if store is None:
            try:
                store = MemoryStore(folder)
            except WorkbenchError as exc:
                error = str(exc)
        memory = cls(project, glossary, store, store_error=error)
        if sync:
            memory.sync()
        return memory

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    def __enter__(self) -> ProjectMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ state
    @property
    def origin_name(self) -> str:
        """The project's name in the user's memory (its folder)."""
        return self._origin

    @property
    def glossary(self) -> Glossary:
        return self._glossary

    def set_glossary(self, glossary: Glossary) -> None:
        """Match with another glossary (names and their placeholders change)."""
        with self._lock:
            self._glossary = glossary
            self._matcher = self._make_matcher(glossary)
            self._cache.clear()

    def _make_matcher(self, glossary: Glossary) -> Matcher:
        sources = [Source(self.units, _own_segment)]
        if self.store is not None:
            sources.append(Source(self.store, without=self._origin))
        return Matcher(sources, glossary)

    def revision(self) -> tuple[int, int]:
        """Changes when either memory does."""
        self.units.refresh()
        return self.units.revision, self.store.revision() if self.store is not None else 0

    def sync(self) -> int:
        """Mirror the project's reviewed work into the user's memory (where other projects
        find it); returns the units written. A busy or missing memory is noted in
        `store_error` and tried again at the next sync."""
        if self.store is None:
            return 0
        try:
            written = mirror_project(self.store, self.project)
        except WorkbenchError as exc:
            self.store_error = str(exc)
            return 0
        self.store_error = None
        if len(self.store.recent()) > RECENT_LIMIT:
            self.store.index_recent()
        return written

    # ------------------------------------------------------------------ lookups
    def lookup(self, query: Query, *, threshold: int = THRESHOLD, limit: int = LIMIT
               ) -> list[Match]:
        """The best matches of a segment (see `Matcher.lookup`); cached until either
        memory changes."""
        revision = self.revision()
        key = (query, threshold, limit)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached[0] == revision:
                self._cache.move_to_end(key)
                return cached[1]
            matcher = self._matcher
        found = matcher.lookup(query, threshold=threshold, limit=limit)
        with self._lock:
            self._cache[key] = (revision, found)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def best_score(self, query: Query, *, threshold: int = 50) -> int:
        """The score of the best match of a segment (0: none of `threshold`% or more)."""
        self.units.refresh()
        with self._lock:
            matcher = self._matcher
        return matcher.best_score(query, threshold=threshold)

    def prefetch(self, wanted: Iterable[Query], *, threshold: int = THRESHOLD,
                 limit: int = LIMIT) -> None:
        """Look these up now (in a worker) so that `lookup` finds them cached."""
        for query in wanted:
            self.lookup(query, threshold=threshold, limit=limit)

    def taken(self, match: Match, source: str) -> Enforced:
        """A match's English as it goes into Final for the segment `source`: with the
        glossary enforced on it, as on MT (a repaired match is repaired first)."""
        return enforce(source, match.target, self._glossary.find(source),
                       glossary=self._glossary)

    def own_units(self) -> list[Unit]:
        """The project's reviewed and approved segments, as units."""
        return self.units.all()


def _own_segment(unit: Unit, query: Query) -> bool:
    """A segment does not match its own unit."""
    return query.segment_id is not None and unit.ref == query.segment_id
