"""The review command: the Textual workbench on the project (also `workbench` alone)."""

from __future__ import annotations

import click

from workbench.cli._common import EXIT_OK, Context, glossary_folder
from workbench.core.glossary.lint import checked_glossary


@click.command()
@click.argument("doc", required=False)
@click.pass_obj
def review(ctx: Context, doc: str | None) -> int:
    """Open the review workbench on the project, at DOC or the first unfinished document.

    Every accepted or edited segment is saved as it happens; aligned/ files are
    refreshed on ctrl+s and on exit. Keys: press ctrl+p for the command palette, f1 for
    the list of keys.
    """
    checked_glossary(glossary_folder(ctx))     # a glossary lint refuses is not applied
    project = ctx.open_project()
    name = project.resolve_document(doc) if doc else None
    # textual is imported here, not at CLI start-up: `workbench status` stays fast
    from workbench.tui.app import ReviewApp

    app = ReviewApp(project, name)
    app.run()
    if app.finish_error is not None:
        raise app.finish_error
    return EXIT_OK


COMMANDS: list[click.Command] = [review]
