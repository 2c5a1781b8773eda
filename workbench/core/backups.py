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
        """Documents, segments and reviewed or approved segments in the backup (zeros for
        one that cannot be read)."""
        try:
            conn = _read_backup(self.path)
        except sqlite3.DatabaseError:
            return {"documents": 0, "segments": 0, "done": 0}
        try:
            return summarize(conn)
        except sqlite3.DatabaseError:
            return {"documents": 0, "segments": 0, "done": 0}
        finally:
            conn.close()


def summarize(conn: sqlite3.Connection) -> dict[str, int]:
    """Documents, active segments and done (reviewed or approved) segments of a state."""
    docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    segments, done = conn.execute(
        "SELECT count(*), coalesce(sum(status IN ('reviewed', 'approved')), 0) "
        "FROM segments WHERE active = 1").fetchone()
    return {"documents": docs, "segments": segments, "done": done}


def _read_backup(path: Path) -> sqlite3.Connection:
    # A backup never changes: read as immutable, so no WAL files appear beside it.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


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


def restore_backup(backup: Backup, state_file: Path) -> Backup | Path | None:
    """Replace the state with `backup` (the caller holds the project's lock) and return
    where the state it replaced was kept: a new backup when it was sound, the damaged file
    moved aside otherwise (None when there was none). A restore can itself be undone."""
    _check_backup(backup)
    kept = _keep_current(state_file)
    tmp = state_file.with_name(f".{state_file.name}.restore.tmp")
    try:
        source = _read_backup(backup.path)
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
        finally:
            dest.close()
            source.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
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
    return kept


def _keep_current(state_file: Path) -> Backup | Path | None:
    """Keep the state about to be replaced: backed up when it is sound (a failure to do so
    stops the restore), moved aside when SQLite cannot read it."""
    if not state_file.exists() or not state_file.stat().st_size:
        return None
    try:
        current = sqlite3.connect(f"{state_file.resolve().as_uri()}?mode=ro", uri=True)
        try:
            sound = current.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            worth = sound and current.execute(
                "SELECT count(*) FROM sqlite_master WHERE name = 'documents'").fetchone()[0] \
                and current.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            current.close()
    except sqlite3.DatabaseError:
        sound = worth = False
    if not sound:
        return move_aside(state_file)
    if not worth:
        return None
    folder = backup_dir(state_file.parent)
    target = folder / f"state-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}Z.sqlite"
    tmp = folder / f".{target.name}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        source = sqlite3.connect(f"{state_file.resolve().as_uri()}?mode=ro", uri=True)
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
            source.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except (OSError, sqlite3.DatabaseError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
        raise ProjectError(f"cannot back up the current state before replacing it: {reason}",
                           path=target, hint="nothing was changed; free some space or make "
                                             ".workbench/backups/ writable") from exc
    return Backup(target, datetime.now(UTC), target.stat().st_size)


def move_aside(state_file: Path) -> Path | None:
    """Move a state and its WAL files aside under one new name (kept together, they still
    open as the database they were) and return it; an empty file is simply removed."""
    if not state_file.exists():
        return None
    if not state_file.stat().st_size:
        with contextlib.suppress(FileNotFoundError):
            state_file.unlink()
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    kept = state_file.with_name(f"state-replaced-{stamp}Z.sqlite")
    try:
        for suffix in ("-wal", "-shm", ""):
            part = state_file.with_name(state_file.name + suffix)
            if part.exists():
                os.replace(part, kept.with_name(kept.name + suffix))
    except OSError as exc:
        raise ProjectError(f"cannot move the state aside: {describe_os_error(exc)}",
                           path=state_file) from exc
    return kept


def _check_backup(backup: Backup) -> None:
    """Refuse a backup SQLite finds damaged, or that holds no project state."""
    try:
        conn = _read_backup(backup.path)
        try:
            sound = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            summarize(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ProjectError(f"the backup cannot be read ({exc})", path=backup.path) from exc
    if not sound:
        raise ProjectError("the backup is damaged (SQLite's integrity check fails)",
                           path=backup.path, hint="restore another one")


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
    hint = (f"`workbench state restore` lists {len(backups)} "
            f"backup{'s' if len(backups) != 1 else ''} to go back to; " if backups else "")
    raise ProjectError(
        f"the project state {what}, but aligned/ holds reviewed work ({total}+ units in "
        f"{files}): it is not a new project", path=state_file,
        hint=hint + "`workbench state rebuild` makes a new state and takes the reviewed work "
                    "back from aligned/")
