"""Errors as a reviewer reads them in the workbench: what failed and what to do, one notice,
never a traceback; the workbench keeps running."""

from __future__ import annotations

from workbench.core.errors import WorkbenchError
from workbench.core.state import describe_os_error


def error_text(error: BaseException) -> str:
    """The message and, on the next line, what to do."""
    if isinstance(error, WorkbenchError):
        return str(error).replace("\n  ", "\n")
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{describe_os_error(error)}"
    return f"unexpected error: {type(error).__name__}: {error}"
