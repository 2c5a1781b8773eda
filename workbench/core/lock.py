"""The lock that keeps a second workbench from writing a SQLite project (`.workbench/lock`).

A project whose state is on PostgreSQL has none: its writers meet in the database instead.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from workbench.core.errors import ProjectLocked


class ProjectLock:
    """An exclusive advisory lock on `.workbench/lock` holding the owner's pid.

    flock is released by the kernel when its holder dies, so the lock of a killed
    workbench (kill -9) never has to be cleaned up by hand: the pid left in the file is
    only read to name the live owner in the error message.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, project_root: Path) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            raise ProjectLocked(project_root, pid) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            os.fsync(fd)
        except OSError:
            pass    # the pid only names the owner in messages; the flock is what counts
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        raw = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(raw) if raw else None
    except (OSError, ValueError):
        return None
