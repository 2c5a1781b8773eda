"""The review command: the Textual workbench on the project (also `workbench` alone)."""

from __future__ import annotations

import click

from workbench.cli._common import EXIT_ERROR, EXIT_OK, Context, glossary_folder
from workbench.core.errors import ProjectLocked, WorkbenchError
from workbench.core.glossary.lint import checked_glossary
from workbench.core.state import describe_os_error

LOCKED_IN_TAB = (
    "\n\nA project whose state is a SQLite file is written by one workbench at a time, and "
    "another tab or terminal has it open. Close that one, or, for several reviewers at once, "
    "move the state to PostgreSQL: workbench state copy --to postgresql://USER@HOST/DB")


@click.command()
@click.argument("doc", required=False)
@click.option("--tab", is_flag=True, hidden=True,
              help="Show why the project cannot be opened on screen, not on stderr (what "
                   "`workbench serve` runs in each browser tab).")
@click.pass_obj
def review(ctx: Context, doc: str | None, tab: bool = False) -> int:
    """Open the review workbench on the project, at DOC or the first unfinished document.

    Every accepted or edited segment is saved as it happens; aligned/ files are
    refreshed on ctrl+s and on exit. Keys: press ctrl+p for the command palette, f1 for
    the list of keys.
    """
    try:
        checked_glossary(glossary_folder(ctx))     # a glossary lint refuses is not applied
        project = ctx.open_project()
        name = project.resolve_document(doc) if doc else None
        # textual is imported here, not at CLI start-up: `workbench status` stays fast
        from workbench.tui.app import ReviewApp

        app = ReviewApp(project, name)
    except WorkbenchError as exc:
        if not tab:
            raise
        from workbench.cli.notice import show_notice

        message = f"{exc.detail}.{LOCKED_IN_TAB}" if isinstance(exc, ProjectLocked) else str(exc)
        show_notice("The workbench cannot open this project here", message)
        return EXIT_ERROR
    app.run()
    error = app.finish_error
    if isinstance(error, OSError):
        raise WorkbenchError(f"aligned/ was not refreshed on exit: {describe_os_error(error)}",
                             path=error.filename or project.aligned_dir,
                             hint="every change is saved in the project state; `workbench "
                                  "export` writes aligned/ once the cause is fixed.") from error
    if error is not None:
        raise error
    return EXIT_OK


COMMANDS: list[click.Command] = [review]
