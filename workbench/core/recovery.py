"""Getting a project's state back: from a backup (`restore`), or, as a last resort, a new
state built from the sources with the reviewed work taken back from aligned/ (`rebuild`).

Both run under the project's lock without opening the state (it may not open), and neither
deletes anything: the state being replaced is kept (a restore backs it up first; a rebuild
moves it aside as `.workbench/state-replaced-<time>.sqlite`).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core import backups
from workbench.core.errors import ProjectError, WorkbenchError
from workbench.core.formats.aligned import read_aligned
from workbench.core.ingest import SyncResult, sync
from workbench.core.project import STATE_DIR, STATE_FILE, Project, find_root, take_lock
from workbench.core.records import SegmentRecord

ORIGIN = "rebuild"
RECOVERY_FORMATS: tuple[str, ...] = (".jsonl", ".tmx", ".en.txt")
"""Where a document's work is taken back from, best first: the JSONL holds every field (MT,
drafts, who and when), the TMX the units with English, the text pair only finals."""


def _root(start: Path) -> Path:
    found = find_root(Path(start))
    if found is None:
        raise ProjectError("not a workbench project (no sources/ folder here or above)",
                           path=Path(start).resolve())
    return found


def state_file(root: Path) -> Path:
    return root / STATE_DIR / STATE_FILE


# ---------------------------------------------------------------------------------- restore
def find_backup(root: Path, ref: str) -> backups.Backup:
    """A backup of the project by its number in `list_backups` (1 is the newest) or name."""
    found = backups.list_backups(_root(root) / STATE_DIR)
    if not found:
        raise ProjectError("the project has no backup yet", path=_root(root) / STATE_DIR)
    if ref.isdigit() and 1 <= int(ref) <= len(found):
        return found[int(ref) - 1]
    for backup in found:
        if ref in (backup.name, backup.name.removesuffix(".sqlite")):
            return backup
    raise ProjectError(f"no backup {ref!r}", path=backups.backup_dir(_root(root) / STATE_DIR),
                       hint=f"give a number from 1 to {len(found)} or a name that "
                            "`workbench state restore` lists")


def restore(start: Path, backup: backups.Backup) -> backups.Backup | Path | None:
    """Make `backup` the project's state, under its lock; return where the state it
    replaced is kept (`backups.restore_backup`), so a restore can itself be undone."""
    root = _root(start)
    lock = take_lock(root)
    try:
        return backups.restore_backup(backup, state_file(root))
    finally:
        lock.release()


# ---------------------------------------------------------------------------------- rebuild
@dataclass(frozen=True)
class Recovered:
    """What one document got back: from which file, how many of its units were applied,
    and how many match no sentence of the sources any more."""

    doc: str
    source: str
    units: int
    applied: int
    unmatched: int


@dataclass(frozen=True)
class RebuildReport:
    """A rebuild: where the replaced state was kept, the ingest, and the work recovered."""

    kept_as: Path | None
    ingest: SyncResult
    documents: list[Recovered]
    orphans: list[str]
    """Aligned files of documents that are not in sources/ any more (nothing applied)."""


def state_summary(path: Path) -> dict[str, int] | None:
    """Documents, segments and done segments of a sound state file; None when it is
    missing, empty or damaged."""
    if not path.is_file() or not path.stat().st_size:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError:
        return None
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            return None
        return backups.summarize(conn)
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def rebuild(start: Path, *, force: bool = False) -> RebuildReport:
    """A new state: the sources ingested again, and each document's finals and statuses
    taken back from its aligned files (JSONL, else TMX, else the text pair), by segment id
    or, when the id changed, by the source sentence. The old state is moved aside, never
    deleted; a sound one with work in it is only replaced with `force`."""
    root = _root(start)
    lock = take_lock(root)
    try:
        current = state_file(root)
        summary = state_summary(current)
        if summary and summary["segments"] and not force:
            raise ProjectError(
                f"the project state is sound ({summary['documents']} documents, "
                f"{summary['done']} of {summary['segments']} segments done): nothing to "
                "rebuild", path=current,
                hint="`workbench state restore` goes back to a backup; `workbench state "
                     "rebuild --force` starts it over anyway, keeping the current one aside")
        kept = backups.move_aside(current)
    except BaseException:
        lock.release()
        raise
    project = Project.open_locked(root, lock, new_state=True)
    try:
        ingest = sync(project)
        documents, orphans = _recover(project)
    finally:
        project.close()
    return RebuildReport(kept, ingest, documents, orphans)


def _recover(project: Project) -> tuple[list[Recovered], list[str]]:
    aligned = project.aligned_dir
    docs = [d.name for d in project.documents()]
    found: list[Recovered] = []
    for doc in docs:
        for suffix in RECOVERY_FORMATS:
            path = aligned / f"{doc}{suffix}"
            if path.is_file():
                found.append(_apply(project, doc, path))
                break
    known = set(docs)
    orphans = sorted({p.name for p in aligned.glob("*") if p.is_file() and
                      _doc_of(p.name) not in known and _doc_of(p.name) is not None})
    return found, orphans


def _doc_of(name: str) -> str | None:
    for suffix in (".jsonl", ".tmx", ".en.txt", ".ja.txt"):
        if name.endswith(suffix) and not name.startswith("."):
            return name[: -len(suffix)]
    return None


def _apply(project: Project, doc: str, path: Path) -> Recovered:
    """Give the document's segments the work recorded in `path`; by id, else by sentence."""
    try:
        units = [u for u in read_aligned(path, as_work=True)
                 if u.final is not None or u.status != "new"]
    except WorkbenchError as exc:
        return Recovered(doc, f"{path.name} (unreadable: {exc.detail})", 0, 0, 0)
    records = project.segments(doc)
    by_id = {r.id: r for r in records}
    by_source: dict[str, list[SegmentRecord]] = defaultdict(list)
    for r in records:
        by_source[r.source].append(r)
    taken: set[str] = set()
    changes: dict[str | None, list[tuple[str, str | None, str | None]]] = defaultdict(list)
    mt: list[tuple[str, str, str]] = []
    unmatched = 0
    for unit in units:
        target = by_id.get(unit.id) if unit.id else None
        if target is None or target.id in taken:
            target = next((r for r in by_source.get(unit.source, ()) if r.id not in taken),
                          None)
        if target is None:
            unmatched += 1
            continue
        taken.add(target.id)
        changes[unit.updated_by].append((target.id, unit.final, unit.status))
        if unit.mt and unit.mt_engine:
            mt.append((target.id, unit.mt, unit.mt_engine))
    if mt:
        project.set_mt(mt)
    for who, group in changes.items():
        project.update_many(group, by=who, origin=ORIGIN)
    return Recovered(doc, path.name, len(units), len(taken), unmatched)


def recovered_total(documents: Sequence[Recovered]) -> int:
    return sum(d.applied for d in documents)
