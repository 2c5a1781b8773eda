"""Moving a project's state between its SQLite file and a PostgreSQL database.

`move_state` copies every table (`state_copy`), compares the two sides row for row by count
and checksum, and only then points the project at the copy (workbench.toml). The state it
leaves is not deleted: a SQLite state left for PostgreSQL goes into `.workbench/backups/`
(where `workbench state restore` finds it); a PostgreSQL database left for SQLite is left as
it is. A copy into any other SQLite file is just that: a copy, the project unchanged.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from workbench.core.backups import backup_dir
from workbench.core.errors import ProjectError
from workbench.core.lock import ProjectLock
from workbench.core.project import (
    LOCK_FILE,
    STATE_DIR,
    STATE_FILE,
    Project,
    prepare_state_dir,
)
from workbench.core.settings import check_state_url, is_postgres_url, write_state_url
from workbench.core.state import StateDB, open_sqlite
from workbench.core.state_copy import CopyReport, copy_state, has_data

SQLITE = "sqlite"
"""The target that names the project's own SQLite state (`.workbench/state.sqlite`)."""


@dataclass(frozen=True)
class MoveReport:
    """What a copy did: both sides summarized; whether the project now uses the copy; where
    the state it left went (a SQLite file set aside), if anywhere."""

    copy: CopyReport
    switched: bool
    set_aside: Path | None = None


def move_state(project: Project, target: str) -> MoveReport:
    """Copy the project's state to `target` (a `postgresql://` URL, `sqlite` for the
    project's own state file, or another SQLite file) and switch the project to it unless
    it is another file. The project must be open for writing; this closes it."""
    if not project.writable:
        raise ProjectError("the project is open read-only", path=project.root)
    try:
        return _move(project, target)
    finally:
        project.close()


def _move(project: Project, target: str) -> MoveReport:
    own_file = (project.state_dir / STATE_FILE).resolve()
    if is_postgres_url(target):
        url = check_state_url(target)
        if url == project.settings.state_url:
            raise ProjectError("the project's state is already there", path=project.root)
        from workbench.core.state_pg import open_postgres

        report = _copy_to(project.db, open_postgres(url, write=True))
        left = project.db.path if project.db.dialect == "sqlite" else None
        write_state_url(project.root, url)
        project.close()
        return MoveReport(report, True, _set_aside(left) if left is not None else None)
    path = own_file if target == SQLITE else Path(target).resolve()
    if path != own_file:
        if path.exists() and path.stat().st_size:
            raise ProjectError("the file exists", path=path,
                               hint="give a new file to copy the state into.")
        return MoveReport(_copy_to(project.db, open_sqlite(path, write=True)), False)
    if project.db.dialect == "sqlite":
        raise ProjectError("the project's state is already there", path=path)
    prepare_state_dir(project.root, project.state_dir)
    lock = ProjectLock(project.state_dir / LOCK_FILE)
    lock.acquire(project.root)     # no SQLite workbench opens it while it is being made
    tmp = path.with_name(f".{path.name}.copy.tmp")
    try:
        _remove_sqlite(tmp)
        report = _copy_to(project.db, open_sqlite(tmp, write=True))
        aside = _set_aside(path) if path.exists() else None
        os.replace(tmp, path)
        write_state_url(project.root, None)
        report = replace(report, target=replace(report.target, where=str(path)))
    finally:
        _remove_sqlite(tmp)
        lock.release()
    return MoveReport(report, True, aside)


def use_state(root: Path, url: str) -> Path:
    """Point the project at `root` to the PostgreSQL database at `url` once it answers (its
    schema brought up to date: a new database gets every table, one a team already uses
    keeps its work); return the settings file written."""
    from workbench.core.state_pg import open_postgres

    db = open_postgres(check_state_url(url), write=True)
    try:
        db.migrate()
    finally:
        db.close()
    return write_state_url(root, url)


def refuse_local_state(root: Path) -> None:
    """Refuse to point a project elsewhere while its SQLite state holds work."""
    state_file = root / STATE_DIR / STATE_FILE
    if not state_file.exists() or not state_file.stat().st_size:
        return
    db = open_sqlite(state_file, write=False)
    try:
        holds = has_data(db)
    finally:
        db.close()
    if holds:
        raise ProjectError("the project already has a state here", path=state_file,
                           hint="`workbench state copy --to URL` moves it to PostgreSQL with "
                                "its work.")


def _copy_to(source: StateDB, target: StateDB) -> CopyReport:
    try:
        report = copy_state(source, target)
    finally:
        target.close()
    if not report.identical:
        raise ProjectError(
            f"the copy in {report.target.where} differs from the state it was made from "
            f"(checksum {report.source.checksum} vs {report.target.checksum})",
            hint="the project still uses its state as it was; nothing was switched.")
    return report


def _set_aside(state_file: Path) -> Path:
    """Move a SQLite state (with its WAL) into the backups, named as a backup is."""
    folder = backup_dir(state_file.parent)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    kept = folder / f"state-{stamp}Z.sqlite"
    tmp = folder / f".{kept.name}.tmp"
    db = open_sqlite(state_file, write=True)
    try:
        db.backup_to(tmp)
    finally:
        db.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, kept)
    _remove_sqlite(state_file)
    return kept


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
