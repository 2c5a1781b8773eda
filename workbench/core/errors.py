"""The project's own exception types: errors a user can cause and can fix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class WorkbenchError(Exception):
    """An error the user can fix; the CLI prints it as one line without a traceback, exit 2.

    `str()` is that line: `path:line: message (hint)`. `details` are further findings of
    the same error (every bad row of a workbook), each a line of its own.
    """

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None,
                 hint: str | None = None, details: Sequence[str] = ()) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.detail = message
        self.details = tuple(details)
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        text = where + message
        if hint:
            text += f" ({hint.rstrip('.')})"
        super().__init__(text)


class SourceError(WorkbenchError):
    """A source document cannot be read (missing, binary, undecodable)."""


class GlossaryError(WorkbenchError):
    """A glossary file has a bad row or conflicting entries."""


class ProjectError(WorkbenchError):
    """The project folder is missing, locked by another process, or its state is damaged."""


class ReadOnlyProject(ProjectError):
    """The project's state cannot be written (a read-only or immutable file or folder, a
    read-only disk): commands that only read still work on it."""


class ProjectLocked(ProjectError):
    """Another live workbench process holds the project's write lock."""

    def __init__(self, path: Path, pid: int | None) -> None:
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"project is open in another workbench ({who})", path=path,
                         hint="close that workbench first, or use a read-only command such as "
                              "`workbench status`.")
        self.pid = pid


class ModelError(WorkbenchError):
    """No usable machine-translation model, or a malformed model package."""


class ExportError(WorkbenchError):
    """An export or an import cannot proceed (bad sheet, conflicting rows)."""


class MemoryStoreError(WorkbenchError):
    """The translation memory cannot be read or written, or a file to import is bad."""
