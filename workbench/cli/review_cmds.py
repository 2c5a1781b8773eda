"""The review command: the Textual workbench on the project (also `workbench` alone)."""

from __future__ import annotations

import click

from workbench.cli._common import EXIT_OK, Context
from workbench.core.errors import WorkbenchError
from workbench.core.state import describe_os_error


@click.command()
@click.argument("doc", required=False)
@click.pass_obj
def review(ctx: Context, doc: str | None) -> int:
    """Open the review workbench on the project, at DOC or the first unfinished document.

    Every accepted or edited segment is saved as it happens; aligned/ files are
    refreshed on ctrl+s and on exit. Keys: press ctrl+p for the command palette, f1 for
    the list of keys.
    """
    project = ctx.open_project()
    name = project.resolve_document(doc) if doc else None
    # textual is imported here, not at CLI start-up: `workbench status` stays fast
    from workbench.tui.app import ReviewApp

    app = ReviewApp(project, name)
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
