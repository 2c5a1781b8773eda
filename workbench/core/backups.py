"""Backups of the project state, and the guard against a state that vanished or was emptied.

A writer backs the state up when it opens the project and the newest backup is older than
`BACKUP_EVERY` (the TUI asks again while it stays open): SQLite's online backup API copies a
consistent state while others read it. The newest `BACKUPS_KEPT` are kept in
`.workbench/backups/`. `workbench state restore` lists and restores them.

A state that is missing or empty while `aligned/` holds reviewed work is not a new project:
it was deleted or truncated, and treating it as new would re-ingest everything as `new` and
then rewrite the reviewed `aligned/` files empty. Such a state is refused with the way back.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import ProjectError
from workbench.core.state import describe_os_error

if TYPE_CHECKING:
    from workbench.core.state import StateDB

BACKUP_DIR = "backups"
BACKUP_EVERY = 10 * 60
"""Seconds between automatic backups while the project is being written."""
BACKUPS_KEPT = 5
_NAME = re.compile(r"^state-(\d{8}T\d{6}(?:\d{6})?)Z\.sqlite$")


@dataclass(frozen=True)
class Backup:
    """One backup of the state: its file, when it was taken, its size and what it holds."""

    path: Path
    taken: datetime
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    def summary(self) -> dict[str, int]:
        """Documents, segments and reviewed or approved segments in the backup."""
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            segments, done = conn.execute(
                "SELECT count(*), coalesce(sum(status IN ('reviewed', 'approved')), 0) "
                "FROM segments WHERE active = 1").fetchone()
        except sqlite3.DatabaseError:
            return {"documents": 0, "segments": 0, "done": 0}
        finally:
            conn.close()
        return {"documents": docs, "segments": segments, "done": done}


def backup_dir(state_dir: Path) -> Path:
    return state_dir / BACKUP_DIR


def list_backups(state_dir: Path) -> list[Backup]:
    """The backups of a state, newest first."""
    folder = backup_dir(state_dir)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        m = _NAME.match(path.name)
        if not m or not path.is_file():
            continue
        stamp = m.group(1)
        fmt = "%Y%m%dT%H%M%S%f" if len(stamp) > 15 else "%Y%m%dT%H%M%S"
        found.append(Backup(path, datetime.strptime(stamp, fmt).replace(tzinfo=UTC),
                            path.stat().st_size))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def take_backup(db: StateDB, state_dir: Path, *, keep: int = BACKUPS_KEPT) -> Backup | None:
    """Copy the state into a new backup and drop the oldest beyond `keep`. An empty state
    (no document) is not worth a backup: None. A failure to write one (a full disk) is not
    the reviewer's problem now: None as well; the state itself is untouched."""
    if not db.scalar("SELECT count(*) FROM documents"):
        return None
    folder = backup_dir(state_dir)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"state-{stamp}Z.sqlite"
    tmp = folder / f".{target.name}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        db.backup_to(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (OSError, ProjectError):
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    for old in list_backups(state_dir)[keep:]:
        with contextlib.suppress(OSError):
            old.path.unlink()
    return Backup(target, datetime.now(UTC), target.stat().st_size)


def backup_if_due(db: StateDB, state_dir: Path, every: float = BACKUP_EVERY) -> Backup | None:
    """`take_backup` when the newest backup is older than `every` seconds (or none exists)."""
    newest = list_backups(state_dir)
    if newest and time.time() - newest[0].path.stat().st_mtime < every:
        return None
    return take_backup(db, state_dir)


def restore_backup(backup: Backup, state_file: Path) -> None:
    """Replace the state with `backup` (the caller holds the project's lock). The state
    being replaced is backed up first, so a restore can itself be undone."""
    if state_file.exists() and state_file.stat().st_size:
        try:
            current = sqlite3.connect(state_file)
            try:
                if current.execute("SELECT count(*) FROM sqlite_master WHERE name = 'documents'"
                                   ).fetchone()[0]:
                    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
                    keep = backup_dir(state_file.parent) / f"state-{stamp}Z.sqlite"
                    keep.parent.mkdir(exist_ok=True)
                    dest = sqlite3.connect(keep)
                    current.backup(dest)
                    dest.close()
            finally:
                current.close()
        except sqlite3.DatabaseError:
            pass    # a damaged state is what is being replaced; nothing to keep of it
    tmp = state_file.with_name(f".{state_file.name}.restore.tmp")
    try:
        source = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                state_file.with_name(state_file.name + suffix).unlink()
        os.replace(tmp, state_file)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ProjectError(f"cannot restore the backup: {describe_os_error(exc)}",
                           path=state_file) from exc
    except sqlite3.DatabaseError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ProjectError(f"the backup cannot be read: {exc}", path=backup.path) from exc


def reviewed_in_aligned(aligned_dir: Path) -> dict[str, int]:
    """Reviewed units in the aligned files, per file: lines of a `.en.txt`, units of a
    `.tmx`, reviewed or approved rows of a `.jsonl` (counted, not parsed: this runs on
    every open of a project with no state)."""
    found: dict[str, int] = {}
    if not aligned_dir.is_dir():
        return found
    for path in sorted(aligned_dir.iterdir()):
        name = path.name
        try:
            if name.endswith(".en.txt"):
                count = sum(1 for line in path.read_text("utf-8", "replace").splitlines()
                            if line.strip())
            elif name.endswith(".tmx"):
                count = path.read_bytes().count(b"<tu ") + path.read_bytes().count(b"<tu>")
            elif name.endswith(".jsonl"):
                data = path.read_bytes()
                count = data.count(b'"status": "reviewed"') + data.count(b'"status": "approved"')
            else:
                continue
        except OSError:
            continue
        if count:
            found[name] = count
    return found


def state_is_empty(state_file: Path) -> bool:
    """Whether the state file is missing, empty, or holds no segment table."""
    try:
        if not state_file.exists() or state_file.stat().st_size == 0:
            return True
    except OSError:
        return False
    try:
        conn = sqlite3.connect(f"{state_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return not conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'segments'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False    # damaged, not empty: opening it says so


def refuse_emptied_state(root: Path, state_file: Path) -> None:
    """Refuse a missing or empty state when aligned/ holds reviewed work (see the module)."""
    if not state_is_empty(state_file):
        return
    reviewed = reviewed_in_aligned(root / "aligned")
    if not reviewed:
        return
    total = max(reviewed.values())
    files = ", ".join(sorted(reviewed)[:3]) + (" …" if len(reviewed) > 3 else "")
    what = "is missing" if not state_file.exists() else "is empty"
    backups = list_backups(state_file.parent)
    hint = (f"`workbench state restore` lists {len(backups)} backup(s) to go back to; "
            if backups else "")
    raise ProjectError(
        f"the project state {what}, but aligned/ holds reviewed work ({total}+ units in "
        f"{files}): it is not a new project", path=state_file,
        hint=hint + "`workbench state rebuild` makes a new state and takes the reviewed work "
                    "back from aligned/ (its JSONL or TMX files).")
