"""Ingest: reading the project's sources into its state, keeping the work on what did not change.

`sources/*.txt -> decode -> cleanup -> segment -> repairs -> the state`. A source is re-read
when its bytes changed since the last ingest; segments whose text is unchanged keep their id
and so their MT, final and status (the segments merged or split by a reviewer are made again,
`workbench.core.repair.replay`); the others are reported as dropped (kept inactive, never
deleted) or added. A file from outside the project is copied into sources/ as UTF-8 first.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.atomic import atomic_write_text
from workbench.core.decode import read_bytes, read_source
from workbench.core.errors import SourceError, WorkbenchError
from workbench.core.project import SOURCE_SUFFIX, Project
from workbench.core.records import SegmentRecord
from workbench.core.repair import repairs, replay
from workbench.core.segment import document_name, segment_bytes


@dataclass(frozen=True)
class IngestReport:
    """What re-reading one source changed: added and dropped segments, kept translations."""

    doc: str
    path: str
    new_document: bool
    segments: int
    added: list[str] = field(default_factory=list)
    dropped: list[SegmentRecord] = field(default_factory=list)
    kept: int = 0
    unchanged: bool = False
    removed: bool = False
    """The source file is gone: its segments are set aside (`dropped`), work and all, and
    come back with the file."""

    @property
    def dropped_translations(self) -> list[SegmentRecord]:
        """Dropped segments that had work in them (MT aside): the reviewer should know."""
        return [r for r in self.dropped if r.final or r.status != "new"]


@dataclass(frozen=True)
class SyncResult:
    """The outcome of reading sources: a report per document read, and unreadable files."""

    documents: list[IngestReport]
    errors: list[WorkbenchError]

    @property
    def changed(self) -> list[IngestReport]:
        return [r for r in self.documents if not r.unchanged]

    def __add__(self, other: SyncResult) -> SyncResult:
        return SyncResult(self.documents + other.documents, self.errors + other.errors)


def sync(project: Project, paths: Sequence[Path] | None = None, *,
         encoding: str | None = None, force: bool = False) -> SyncResult:
    """Read changed sources into the state, keeping the work on unchanged segments.

    With no `paths` (all of sources/), a document whose file is gone is set aside, and two
    files that would be one document (`report.txt` and `report.ja.txt`) are both refused
    until one is renamed. A source that cannot be read is reported in `errors` and the
    others still go in.
    """
    all_sources = paths is None
    files = list(paths) if paths is not None else project.source_files()
    reports: list[IngestReport] = []
    errors: list[WorkbenchError] = []
    known = project.document_rows()
    by_name: dict[str, list[Path]] = defaultdict(list)
    for path in project.source_files():
        by_name[document_name(path)].append(path)
    colliding = {name: found for name, found in by_name.items() if len(found) > 1}
    for path in files:
        name = document_name(path)
        if name in colliding:
            others = ", ".join(p.name for p in colliding[name] if p.name != path.name)
            errors.append(SourceError(
                f"is the same document as {others} (both are named {name!r})", path=path,
                hint="rename or remove one of them; neither is read until then."))
            continue
        try:
            data = read_bytes(path, inside=project.root)
        except WorkbenchError as exc:
            errors.append(exc)
            continue
        raw_hash = hashlib.sha256(data).hexdigest()
        prior = known.get(name)
        if prior is not None and not force and encoding is None and prior.sha256 == raw_hash:
            count = project.active_count(name)
            reports.append(IngestReport(name, prior.path, False, count, unchanged=True,
                                        kept=count))
            continue
        try:
            seg = segment_bytes(path, data, doc=name, encoding=encoding)
        except WorkbenchError as exc:
            errors.append(exc)
            continue
        rel = _relative(path, project.root)
        # The reviewers' merges and splits, made again on the segments they were made on.
        made = repairs(project, name)
        segments = replay(seg.segments, made) if made else seg.segments
        added, dropped = project.store_document(name, rel, raw_hash, seg.encoding, seg.layout,
                                                segments)
        reports.append(IngestReport(name, rel, prior is None, len(segments), added, dropped,
                                    len(segments) - len(added)))
    if all_sources:
        present = set(by_name)
        for name, prior in known.items():
            if name not in present:
                dropped = project.retire_document(name)
                reports.append(IngestReport(name, prior.path, False, 0, dropped=dropped,
                                            removed=True))
    return SyncResult(reports, errors)


def add_source(project: Project, path: Path, *, encoding: str | None = None) -> Path:
    """Copy a document from outside the project into sources/, as UTF-8.

    Decoding happens here, once, so the project's sources read the same anywhere.
    """
    decoded = read_source(path, encoding)
    name = document_name(path)
    target = project.sources_dir / f"{name}.ja{SOURCE_SUFFIX}"
    # Any file that is the same document (report.txt for report.ja.txt) would collide.
    same = [p for p in project.source_files() if document_name(p) == name and
            p.resolve() != Path(path).resolve()]
    if same:
        raise SourceError(f"a document named {name!r} is already in sources/ ({same[0].name})",
                          path=path,
                          hint=f"rename the file, or replace {_relative(same[0], project.root)}.")
    atomic_write_text(target, decoded.text)
    return target


def ingest(project: Project, paths: Sequence[Path] = (), *, encoding: str | None = None,
           force: bool = False) -> tuple[SyncResult, list[tuple[Path, Path]]]:
    """`workbench ingest`: with no `paths`, every changed file of sources/; a path inside
    sources/ is re-read, one elsewhere is copied into sources/ (as UTF-8) and read.
    Returns the result and the (original, copy) of every file copied in."""
    if not paths:
        return sync(project, None, encoding=encoding, force=force), []
    inside: list[Path] = []
    copied: list[tuple[Path, Path]] = []
    sources = project.sources_dir.resolve()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise SourceError("no such file", path=path)
        if path.absolute().parent.resolve() == sources:
            inside.append(path)
        else:
            copied.append((path, add_source(project, path, encoding=encoding)))
    # --encoding is the encoding of the files given; a copy is UTF-8 already.
    result = sync(project, inside, encoding=encoding, force=True) + \
        sync(project, [c for _, c in copied], force=True)
    return result, copied


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root.resolve()).as_posix()
    except ValueError:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return str(path.resolve())
