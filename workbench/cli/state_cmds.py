"""State commands: `state restore` (list or restore the state's backups) and `state rebuild`
(a new state with the reviewed work taken back from aligned/)."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from workbench.cli._common import EXIT_OK, Context, err, label, out, report_sync
from workbench.core import backups, recovery
from workbench.core.project import STATE_DIR, find_root


@click.group()
def state() -> None:
    """Back up, restore and rebuild the project state (.workbench/state.sqlite)."""


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


COMMANDS: list[click.Command] = [state]
