"""State commands: where the project state lives (`state copy`)."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from workbench.cli._common import EXIT_OK, Context, out
from workbench.core.relocate import SQLITE, move_state
from workbench.core.settings import redact_url
from workbench.core.state_copy import CopyReport


@click.group()
def state() -> None:
    """The project state: where it lives and moving it."""


@state.command("copy")
@click.option("--to", "target", required=True, metavar="URL|sqlite|FILE",
              help="A postgresql:// URL (no password in it), `sqlite` for the project's own "
                   "state file, or another .sqlite file to copy into.")
@click.pass_obj
def copy(ctx: Context, target: str) -> int:
    """Copy the whole state to PostgreSQL or SQLite, check it, and switch the project to it.

    Every table is copied; the rows of each and a checksum of all of them are printed for
    both sides, and the project is switched (workbench.toml) only when they agree. A SQLite
    state left behind is kept in .workbench/backups/; a copy into another file leaves the
    project as it is. Run it while nobody is reviewing: writes made during the copy stay
    behind.
    """
    project = ctx.open_project(sync=False)
    report = move_state(project, target)
    out.print(summary_table(report.copy))
    if not report.switched:
        out.print(escape(f"copied; the project still uses {report.copy.source.where}"))
        return EXIT_OK
    where = "its own SQLite state" if target == SQLITE else redact_url(target)
    out.print(escape(f"the project now uses {where}"))
    if report.set_aside is not None:
        out.print(escape(f"the state it left is kept as {report.set_aside}"))
    return EXIT_OK


def summary_table(report: CopyReport) -> Table:
    """Rows per table and the checksum, source beside target."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("table")
    table.add_column(escape(report.source.where), justify="right")
    table.add_column(escape(report.target.where), justify="right")
    for name in sorted(set(report.source.counts) | set(report.target.counts)):
        table.add_row(escape(name), str(report.source.counts.get(name, "-")),
                      str(report.target.counts.get(name, "-")))
    table.add_section()
    table.add_row("checksum", report.source.checksum, report.target.checksum)
    return table


COMMANDS: list[click.Command] = [state]
