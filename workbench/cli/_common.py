"""What every command shares: opening the project, printing, turning errors into exit codes."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from workbench.core.errors import ProjectLocked, WorkbenchError
from workbench.core.ingest import SyncResult
from workbench.core.ingest import sync as sync_sources
from workbench.core.project import Project, find_root

EXIT_OK = 0
EXIT_ISSUES = 1
EXIT_ERROR = 2

# Piped output is not cut to 80 columns: tables stay whole for grep, diff and CI logs.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Context:
    """Per-invocation state handed to every command through click's context object."""

    project_dir: str
    _opened: list[Project] = field(default_factory=list)

    def open_project(self, *, write: bool = True, sync: bool = True,
                     fallback_read_only: bool = False) -> Project:
        """Open the project; with `sync`, bring changed sources into the state first.

        With `fallback_read_only`, a project locked by another workbench is opened
        read-only (with a note) instead of failing: for commands that only read.
        """
        try:
            project = Project.open(Path(self.project_dir), write=write)
        except ProjectLocked as exc:
            if not fallback_read_only:
                raise
            err.print(f"[yellow]note:[/] {escape(exc.detail)}; showing the state read-only.")
            project = Project.open(Path(self.project_dir), write=False)
        self._opened.append(project)
        click.get_current_context().call_on_close(project.close)
        if sync and project.writable:
            report_sync(sync_sources(project), quiet_unchanged=True)
            refresh_normalized_text(project)
        return project


def project_glossary(ctx: Context) -> Path:
    """The glossary folder of the project the command runs in (for commands that read
    files, not the project: `check PATH…`, `enforce FILE`)."""
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
    from workbench.core.glossary.folder import load_glossary
    from workbench.core.pipeline import refresh_normalized

    try:
        glossary = load_glossary(project.glossary_dir)
    except WorkbenchError as exc:
        err.print(f"[yellow]warning:[/] glossary not applied: {escape(str(exc))}")
        return
    refresh_normalized(project, glossary)


def report_sync(result: SyncResult, *, quiet_unchanged: bool) -> None:
    """Print what an ingest changed; unreadable sources are printed as errors."""
    for rep in result.documents:
        if rep.removed:
            worked = len(rep.dropped_translations)
            err.print(escape(f"removed {rep.doc}: {rep.path} is gone; its {len(rep.dropped)} "
                             "segments are set aside")
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
            err.print(escape(f"  dropped with work in it: #{record.ordinal} [{record.status}] "
                             f"{_excerpt(record.source)}"))
    for exc in result.errors:
        err.print(f"[red]error:[/] {escape(str(exc))}")


def _excerpt(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_cli(command: click.Command, argv: list[str] | None) -> int:
    """Run a click command; WorkbenchError prints `error: …` (no traceback) and gives 2."""
    try:
        result = command.main(args=argv, prog_name="workbench", standalone_mode=False)
    except WorkbenchError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        return EXIT_ERROR
    except click.exceptions.Abort:
        err.print("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    return result if isinstance(result, int) else EXIT_OK


