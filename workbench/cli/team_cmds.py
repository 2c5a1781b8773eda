"""Team commands: who reviews which segments (`assign`)."""

from __future__ import annotations

import click
from rich.table import Table

from workbench.cli._common import EXIT_OK, Context, out
from workbench.core.project import Project
from workbench.core.team import assign as assign_segments
from workbench.core.team import assignments, owned_by_assignment, parse_target


@click.command()
@click.argument("target", required=False, metavar="DOC[:FROM-TO]")
@click.argument("user", required=False)
@click.option("--nobody", is_flag=True, help="Hand the segments back: assigned to no one.")
@click.pass_obj
def assign(ctx: Context, target: str | None, user: str | None, nobody: bool) -> int:
    """Give segments of a document to a reviewer (USER), or list the assignments.

    DOC alone gives the whole document; DOC:N one segment, DOC:FROM-TO a range of segment
    numbers, DOC:FROM- the rest of it. A later assignment over the same segments takes them
    over. `workbench status` shows each reviewer's progress; the workbench can show a
    reviewer only their own segments.
    """
    project = ctx.open_project()
    if target is None:
        if user is not None or nobody:
            raise click.UsageError("give DOC[:FROM-TO] to assign")
        return _list(project)
    if nobody == (user is not None):
        raise click.UsageError("give a USER to assign to, or --nobody (not both)")
    doc, first, last = parse_target(project, target)
    made = assign_segments(project, doc, first, last, None if nobody else user)
    span = [r for r in project.segments(doc)
            if r.ordinal >= first and (last is None or r.ordinal <= last)]
    done = sum(r.done for r in span)
    who = made.reviewer if made.reviewer is not None else "nobody"
    out.print(f"{made.describe()} is {who}'s now: {len(span)} segments, {done} done")
    return EXIT_OK


def _list(project: Project) -> int:
    made = assignments(project)
    if not made:
        out.print("no assignments yet: `workbench assign DOC[:FROM-TO] USER` makes one.")
        return EXIT_OK
    owned = owned_by_assignment(project)
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("segments", "reviewer", "owns now", "assigned by", "at"):
        table.add_column(name, justify="right" if name == "owns now" else "left")
    for a in made:
        table.add_row(a.describe(), a.reviewer or "(nobody)",
                      str(owned.get(a.seq, 0)), a.assigned_by or "", a.assigned_at)
    out.print(table)
    return EXIT_OK


COMMANDS: list[click.Command] = [assign]
