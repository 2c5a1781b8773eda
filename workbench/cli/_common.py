"""What every command shares: opening the project, printing, turning errors into exit codes.

Text is printed as it is: the consoles interpret no markup (`[red]`) and no emoji codes
(`:100:`), so a file named `[red]red.txt` or a message `badutf8.txt:100:` shows as written.
Styles are given explicitly (`label`), never spelled inside the text.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from workbench.core.errors import ProjectLocked, ReadOnlyProject, WorkbenchError
from workbench.core.ingest import SyncResult
from workbench.core.ingest import sync as sync_sources
from workbench.core.project import Project, find_root
from workbench.core.state import describe_os_error

EXIT_OK = 0
EXIT_ISSUES = 1
EXIT_ERROR = 2
EXIT_BUG = 70
"""An unexpected exception: a bug of the workbench, not something the user did (EX_SOFTWARE)."""

STYLES = {"error": "red", "warning": "yellow", "conflict": "yellow", "note": "yellow",
          "info": "cyan"}


def _console(*, stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    # Piped output is not cut to 80 columns: tables stay whole for grep, diff and CI logs.
    width = None if stream.isatty() else 200
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=True, markup=False,
                   emoji=False)


out = _console(stderr=False)
err = _console(stderr=True)


def label(name: str, text: str) -> Text:
    """`name: text` with the name styled by what it is (error, warning, note…), the text
    as it is."""
    return Text.assemble((f"{name}:", STYLES.get(name, "")), " ", text)


def print_error(exc: WorkbenchError) -> None:
    """`error: …` on one line, then one indented line per further finding (`details`)."""
    err.print(label("error", str(exc)))
    for detail in exc.details:
        err.print(f"  {detail}")


@dataclass
class Context:
    """Per-invocation state handed to every command through click's context object."""

    project_dir: str
    user: str | None = None
    """`--user`: who the changes are by (None: $WORKBENCH_USER or the login name)."""
    _opened: list[Project] = field(default_factory=list)

    def open_project(self, *, write: bool = True, sync: bool = True,
                     fallback_read_only: bool = False, writes_files: bool = False) -> Project:
        """Open the project; with `sync`, bring changed sources into the state first.

        With `fallback_read_only`, a project locked by another workbench, or one whose
        folder cannot be written, is opened read-only (with a note) instead of failing: for
        commands that only read the state (`writes_files`: and write the project's files,
        which a read-only folder refuses: that is said at once).
        """
        try:
            project = Project.open(Path(self.project_dir), write=write, user=self.user)
        except (ProjectLocked, ReadOnlyProject) as exc:
            if not fallback_read_only or writes_files and isinstance(exc, ReadOnlyProject):
                raise
            why = exc.detail if isinstance(exc, ProjectLocked) else \
                "the project folder cannot be written"
            err.print(label("note", f"{why}; showing the state read-only."))
            project = Project.open(Path(self.project_dir), write=False, user=self.user)
        self._opened.append(project)
        click.get_current_context().call_on_close(project.close)
        if sync and project.writable:
            report_sync(sync_sources(project), quiet_unchanged=True)
            refresh_normalized_text(project)
        return project


def glossary_folder(ctx: Context) -> Path:
    """The glossary folder of the project the command runs in (found without opening it)."""
    root = find_root(Path(ctx.project_dir))
    if root is None:
        raise WorkbenchError("no glossary: not inside a project", path=Path(ctx.project_dir),
                             hint="pass --glossary DIR, or run in a project folder.")
    return root / "glossary"


def refresh_normalized_text(project: Project) -> None:
    """Bring the glossary-normalized text of new or re-translated segments up to date.

    The normalized text derives from the MT and the glossary; every command that opens
    the project for writing refreshes it here, so exports and the TUI never show a stale
    one. A broken glossary is reported and leaves it as it was (`workbench glossary lint`
    says what to fix); the commands that need the glossary stop on it themselves.
    """
    from workbench.core.glossary.lint import checked_glossary
    from workbench.core.pipeline import refresh_normalized

    try:
        glossary = checked_glossary(project.glossary_dir)
    except WorkbenchError as exc:
        err.print(label("warning", f"glossary not applied: {exc}"))
        return
    refresh_normalized(project, glossary)


def report_sync(result: SyncResult, *, quiet_unchanged: bool) -> None:
    """Print what an ingest changed; unreadable sources are printed as errors."""
    for rep in result.documents:
        if rep.removed:
            worked = len(rep.dropped_translations)
            err.print(f"removed {rep.doc}: {rep.path} is gone; its {len(rep.dropped)} "
                      "segments are set aside"
                      + (f" ({worked} with work in them)" if worked else "")
                      + " and come back with the file")
            continue
        if rep.unchanged:
            if not quiet_unchanged:
                out.print(f"{rep.doc}: unchanged ({rep.segments} segments)")
            continue
        if rep.new_document:
            err.print(f"ingested {rep.path}: {rep.segments} segments")
            continue
        kept_work = rep.dropped_translations
        err.print(f"re-ingested {rep.path}: {len(rep.added)} added, {len(rep.dropped)} dropped, "
                  f"{rep.kept} kept ({rep.segments} segments)")
        for record in kept_work:
            err.print(f"  dropped with work in it: #{record.ordinal} [{record.status}] "
                      f"{excerpt(record.source)}")
    for exc in result.errors:
        print_error(exc)


def excerpt(text: str, width: int = 40) -> str:
    """The start of a text on one line, cut with `…` past `width` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_cli(command: click.Command, argv: list[str] | None) -> int:
    """Run a click command. A user's error (WorkbenchError, a file the system refuses)
    prints `error: …` on one line, no traceback, exit 2; anything else is a bug of the
    workbench: one line saying so (WORKBENCH_DEBUG=1 shows the traceback), exit 70."""
    try:
        result = command.main(args=argv, prog_name="workbench", standalone_mode=False)
    except WorkbenchError as exc:
        print_error(exc)
        return EXIT_ERROR
    except click.exceptions.Abort:
        err.print("aborted")
        return 130
    except click.UsageError as exc:
        command_path = exc.ctx.command_path if exc.ctx is not None else "workbench"
        err.print(label("error", f"{exc.format_message()} (`{command_path} --help` shows "
                                 "the usage)"))
        return EXIT_ERROR
    except click.ClickException as exc:
        err.print(label("error", exc.format_message()))
        return EXIT_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        # A write the system refused (a full disk, a read-only folder) outside the paths
        # that say so themselves: still one line naming the file.
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(label("error", f"{where}{describe_os_error(exc)}"))
        return EXIT_ERROR
    except Exception as exc:
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        err.print(label("error", f"unexpected {type(exc).__name__}: {excerpt(str(exc), 200)} "
                                 "(a bug in workbench; WORKBENCH_DEBUG=1 shows where)"))
        return EXIT_BUG
    return result if isinstance(result, int) else EXIT_OK
