"""State commands: `state restore` (list or restore the state's backups), `state rebuild` (a new
state with the reviewed work taken back from aligned/) and `state copy` (move it between
SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from workbench.cli._common import EXIT_OK, Context, err, label, out, report_sync
from workbench.core import backups, recovery
from workbench.core.project import STATE_DIR, find_root
from workbench.core.relocate import SQLITE, move_state
from workbench.core.settings import redact_url
from workbench.core.state_copy import CopyReport


@click.group()
def state() -> None:
    """The project state: back it up, restore it, rebuild it, move it (SQLite or PostgreSQL)."""


def _root(ctx: Context) -> Path:
    root = find_root(Path(ctx.project_dir))
    return root if root is not None else Path(ctx.project_dir)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(n, 1) / 1024:.0f} kB"


@state.command()
@click.argument("backup", required=False)
@click.pass_obj
def restore(ctx: Context, backup: str | None) -> int:
    """List the backups of the state, or restore BACKUP (its number in the list, 1 the
    newest, or its name).

    A writing workbench backs the state up when it opens the project (at most every ten
    minutes; the last five are kept in .workbench/backups/). A restore runs under the
    project's lock and backs the current state up first, so it can be undone the same way.
    """
    root = _root(ctx)
    if backup is None:
        found = backups.list_backups(root / STATE_DIR)
        if not found:
            out.print("no backups yet: one is taken when a command that writes opens the "
                      "project (`workbench status` does).")
            return EXIT_OK
        table = Table(box=None, pad_edge=False, header_style="bold")
        for name, right in (("#", True), ("taken", False), ("size", True),
                            ("documents", True), ("segments", True), ("done", True),
                            ("name", False)):
            table.add_column(name, justify="right" if right else "left", no_wrap=True)
        for i, b in enumerate(found, 1):
            summary = b.summary()
            table.add_row(str(i), b.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                          _size(b.size), str(summary["documents"]), str(summary["segments"]),
                          str(summary["done"]), b.name)
        out.print(table)
        err.print("restore one with `workbench state restore N`")
        return EXIT_OK
    chosen = recovery.find_backup(root, backup)
    summary = chosen.summary()
    kept = recovery.restore(root, chosen)
    out.print(f"restored {chosen.name} (taken "
              f"{chosen.taken.astimezone().strftime('%Y-%m-%d %H:%M:%S')}: "
              f"{summary['documents']} documents, {summary['segments']} segments, "
              f"{summary['done']} done)")
    if isinstance(kept, backups.Backup):
        err.print(f"the state it replaced is backup {kept.name} (`workbench state restore 1` "
                  "brings it back)")
    elif kept is not None:
        err.print(f"the damaged state it replaced is kept as {kept}")
    return EXIT_OK


@state.command()
@click.option("--force", is_flag=True,
              help="Rebuild even though the current state is sound (it is kept aside).")
@click.pass_obj
def rebuild(ctx: Context, force: bool) -> int:
    """Start a new state and take the reviewed work back from aligned/: the last resort
    when the state is lost or damaged and no backup will do.

    The sources are ingested again; each document's finals and statuses (and MT) come
    back from its aligned/<doc>.jsonl, else its .tmx, else its .en.txt, matched by segment
    id or by the source sentence. The old state is moved aside, never deleted.
    """
    report = recovery.rebuild(_root(ctx), force=force)
    if report.kept_as is not None:
        err.print(f"the replaced state is kept as {report.kept_as}")
    report_sync(report.ingest, quiet_unchanged=True)
    total = recovery.recovered_total(report.documents)
    out.print(f"recovered the work on {total} segment{'s' if total != 1 else ''} from aligned/")
    for doc in report.documents:
        if not doc.units:
            continue
        line = f"  {doc.doc}: {doc.applied} of {doc.units} from {doc.source}"
        if doc.unmatched:
            line += f" ({doc.unmatched} match no sentence of the sources any more)"
        out.print(line)
    for name in report.orphans:
        err.print(label("warning", f"aligned/{name}: its document is not in sources/; nothing "
                                   "taken from it"))
    return EXIT_OK


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
        out.print(f"copied; the project still uses {report.copy.source.where}")
        return EXIT_OK
    where = "its own SQLite state" if target == SQLITE else redact_url(target)
    out.print(f"the project now uses {where}")
    if report.set_aside is not None:
        out.print(f"the state it left is kept as {report.set_aside}")
    return EXIT_OK


def summary_table(report: CopyReport) -> Table:
    """Rows per table and the checksum, source beside target."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("table")
    table.add_column((report.source.where), justify="right")
    table.add_column((report.target.where), justify="right")
    for name in sorted(set(report.source.counts) | set(report.target.counts)):
        table.add_row((name), str(report.source.counts.get(name, "-")),
                      str(report.target.counts.get(name, "-")))
    table.add_section()
    table.add_row("checksum", report.source.checksum, report.target.checksum)
    return table


COMMANDS: list[click.Command] = [state]
