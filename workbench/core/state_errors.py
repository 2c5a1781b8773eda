"""What an error of the project state or of the system means for the user: the real cause
(a full disk, a read-only folder, a damaged file) and a safe way out, never a guess."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from workbench.core.errors import ProjectError, ReadOnlyProject


def state_error(exc: sqlite3.DatabaseError, path: Path | None) -> ProjectError:
    """What a database error means for the user, with the real cause and a safe way out.

    A state is only ever called damaged when SQLite itself says it is; a full disk or a
    read-only file is said to be just that, and deleting the state is never suggested.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if code == sqlite3.SQLITE_FULL or "full" in text and "disk" in text:
        return ProjectError("the disk is full: the change was not saved", path=path,
                            hint="free some space and try again; nothing already saved is "
                                 "lost.")
    if name.startswith("SQLITE_READONLY") or "readonly" in text.replace("-", "").replace(" ", ""):
        return read_only_error(path)
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        cause = _io_cause(path)
        return ProjectError(f"the project state could not be read or written: {cause}",
                            path=path, hint="the state itself is not damaged by this; fix the "
                                            "cause and try again.")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or \
            "not a database" in text:
        return ProjectError(f"the project state is damaged: {text}", path=path,
                            hint="`workbench state restore` lists the backups to go back to; "
                                 "`workbench state rebuild` starts a new state and takes the "
                                 "reviewed work back from aligned/.")
    if name == "SQLITE_BUSY" or "locked" in text:
        return ProjectError("the project state is busy (another process is writing it)",
                            path=path, hint="try again in a moment.")
    return ProjectError(f"project state error: {text}", path=path)


def _io_cause(path: Path | None) -> str:
    """A best guess at why SQLite got an I/O error: a full disk, a read-only folder."""
    if path is None:
        return "I/O error"
    import os
    import shutil

    folder = path.parent
    try:
        if shutil.disk_usage(folder).free < 1 << 20:
            return "the disk is full"
    except OSError:
        pass
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return "the file or its folder is read-only"
    return "disk I/O error (a full or failing disk, or a file changed under the workbench)"


def read_only_error(path: Path | None) -> ReadOnlyProject:
    """The state (or its folder) cannot be written: said so, with what still works."""
    return ReadOnlyProject("the project state cannot be written (a read-only or immutable "
                           "file or folder)", path=path,
                           hint="make .workbench/ and its files writable; read-only commands "
                                "(status, check, segment, export -o DIR) work as it is.")


READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
"""What the system says when a file or folder cannot be written (the user can fix it)."""


def project_os_error(exc: OSError, path: Path, what: str) -> ProjectError:
    """An OSError met while writing the project's own files, as the error the user sees:
    read-only (commands that only read still work), a full disk, or the system's reason."""
    if exc.errno in READ_ONLY_ERRNOS:
        return read_only_error(path)
    return ProjectError(f"{what}: {describe_os_error(exc)}", path=path)


def describe_os_error(exc: OSError) -> str:
    """A one-line reason for an OSError a user can act on."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "read-only file or folder" if exc.errno == errno.EROFS else "permission denied"
    return exc.strerror or str(exc)
