"""Translation memory commands: TMX in and out, what the memory holds, concordance, matches,
and the project analysis (`workbench stats`)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from workbench.cli._common import EXIT_OK, Context, err, out

if TYPE_CHECKING:
    from workbench.core.memory.lookup import ProjectMemory
    from workbench.core.project import Project

# workbench.core.memory is imported inside the commands: it pulls in numpy and lxml,
# which `workbench status` should not pay for.
_SHOWN_SKIPS = 20
_JAPANESE_CONTEXT = 16
"""Characters of context shown either side of a hit in a source (two columns each)."""
_ENGLISH_CONTEXT = 36


@click.group()
def tm() -> None:
    """The translation memory shared by all your projects: import and export TMX, see what
    it holds, search it, look segments up in it.

    It lives in $XDG_DATA_HOME/workbench/ (~/.local/share/workbench/). Every project
    opened adds its reviewed and approved segments to it.
    """


@tm.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--penalty", type=click.IntRange(0, 100), default=0, show_default=True,
              help="Percentage points taken off every match from this file (a memory you "
                   "trust less).")
def tm_import(file: Path, penalty: int) -> int:
    """Add the units of a TMX file (from any CAT tool) to the memory.

    Units with Japanese and English are taken whatever else they hold; the others are
    reported with their line and skipped. A file that is not well-formed adds nothing.
    """
    from workbench.core.memory.store import MemoryStore
    from workbench.core.memory.tmx import import_tmx

    def progress(read: int) -> None:
        if sys.stderr.isatty() and read % 100_000 == 0:
            err.print(f"read {read:,} units…")

    with MemoryStore() as store:
        report = import_tmx(store, file, penalty=penalty, progress=progress)
    for note in report.notes[:_SHOWN_SKIPS]:
        err.print(f"note: {escape(f'{file}:{note.line}: {note.reason}')}")
    for skip in report.skipped[:_SHOWN_SKIPS]:
        err.print(f"[yellow]skipped:[/] {escape(f'{file}:{skip.line}: {skip.reason}')}")
    if len(report.skipped) > _SHOWN_SKIPS:
        reasons = ", ".join(f"{n} {reason}" for reason, n in report.reasons().items())
        err.print(f"… {len(report.skipped) - _SHOWN_SKIPS} more skipped ({escape(reasons)})")
    out.print(f"imported {report.added:,} units from {escape(report.origin)}"
              + (f" (penalty {penalty})" if penalty else "")
              + f": {report.read:,} read, {report.duplicates:,} already in the memory, "
                f"{len(report.skipped):,} skipped, in {report.seconds:.1f} s")
    return EXIT_OK


@tm.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--origin", help="Only the units of this origin (a TMX file name or a project "
                               "folder, as `workbench tm stats` lists them).")
def tm_export(file: Path, origin: str | None) -> int:
    """Write the memory (or one origin of it) as a TMX 1.4b file."""
    from workbench.core.memory.store import MemoryStore
    from workbench.core.memory.tmx import export_tmx

    with MemoryStore() as store:
        count = export_tmx(store, file, origin=origin)
    out.print(f"exported {count:,} units to {escape(str(file))}")
    return EXIT_OK


@tm.command(name="stats")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print it.")
def tm_stats(fmt: str) -> int:
    """What the memory holds: units per origin, its files and index."""
    from workbench.core.memory.store import MemoryStore

    with MemoryStore() as store:
        counts = store.counts_by_origin()
        origins = sorted(store.origins().values(), key=lambda o: o.added_at)
        total = sum(counts.values())
        covered = store.covered()
        recent = len(store.recent())
        path = store.path
        size = sum(p.stat().st_size for p in store.folder.rglob("*") if p.is_file())
    if fmt == "json":
        click.echo(json.dumps({
            "path": str(path), "units": total, "bytes": size, "indexed_up_to": covered,
            "not_indexed": recent,
            "origins": [{"name": o.name, "kind": o.kind, "units": counts.get(o.id, 0),
                         "penalty": o.penalty, "added_at": o.added_at} for o in origins]},
            ensure_ascii=False, indent=1))
        return EXIT_OK
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in (("origin", "left"), ("kind", "left"), ("units", "right"),
                          ("penalty", "right"), ("added", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for o in origins:
        table.add_row(escape(o.name), o.kind, f"{counts.get(o.id, 0):,}", str(o.penalty),
                      o.added_at)
    out.print(table)
    out.print(f"{total:,} units in {escape(str(path))} ({size / 1e6:.1f} MB with its index; "
              f"{recent:,} not indexed yet)")
    return EXIT_OK


@tm.command(name="remove")
@click.argument("origin")
def tm_remove(origin: str) -> int:
    """Remove the units of one ORIGIN (a TMX file name or a project folder) from the memory."""
    from workbench.core.memory.store import MemoryStore

    with MemoryStore() as store:
        removed = store.remove_origin(origin)
        store.reindex()
    out.print(f"removed {removed:,} units of {escape(origin)}")
    return EXIT_OK


def _open_memory(ctx: Context) -> tuple[Project | None, ProjectMemory | None]:
    """The project here (if any) and its memory; outside a project, neither."""
    from workbench.core.memory.lookup import ProjectMemory
    from workbench.core.project import find_root

    if find_root(Path(ctx.project_dir)) is None:
        return None, None
    project = ctx.open_project(fallback_read_only=True)
    memory = ProjectMemory.open(project)
    click.get_current_context().call_on_close(memory.close)
    if memory.store_error:
        err.print(f"[yellow]warning:[/] {escape(memory.store_error)}")
    return project, memory


@tm.command(name="search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="At most this many occurrences from the project, and from the memory.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print them.")
@click.pass_obj
def tm_search(ctx: Context, text: str, limit: int, fmt: str) -> int:
    """Concordance: every occurrence of TEXT (Japanese or English, any length) in the
    project's documents and in the memory, with its context."""
    from workbench.core.memory.concordance import concordance
    from workbench.core.memory.store import MemoryStore

    project, memory = _open_memory(ctx)
    if memory is not None:
        found = concordance(text, memory=memory, limit=limit)
    else:
        with MemoryStore() as store:
            found = concordance(text, store=store, limit=limit)
    if fmt == "json":
        click.echo(json.dumps([{
            "where": o.where, "origin": o.origin, "document": o.doc, "number": o.ordinal,
            "segment_id": o.segment_id, "status": o.status, "source": o.source,
            "target": o.target, "source_spans": o.source_spans,
            "target_spans": o.target_spans, "before": o.before, "after": o.after}
            for o in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not found:
        out.print(f"no occurrence of {escape(text)!s}")
        return EXIT_OK
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("where", no_wrap=True)
    table.add_column("source", overflow="fold")
    table.add_column("English", overflow="fold")
    for o in found:
        table.add_row(escape(o.where), _kwic(o.source, o.source_spans, _JAPANESE_CONTEXT),
                      _kwic(o.target or "", o.target_spans, _ENGLISH_CONTEXT))
    out.print(table)
    ours = sum(1 for o in found if o.segment_id and o.ordinal is not None)
    out.print(f"{len(found)} occurrence{'s' if len(found) != 1 else ''}: {ours} in the "
              f"project, {len(found) - ours} in the memory")
    return EXIT_OK


def _kwic(text: str, spans: Sequence[tuple[int, int]], width: int) -> str:
    """An excerpt around the first span, every span in it in bold (on one line)."""
    text = text.replace("\n", " ")
    if not spans:
        return escape(text if len(text) <= 2 * width else text[:2 * width] + "…")
    start = max(0, spans[0][0] - width)
    end = min(len(text), spans[0][1] + width)
    pieces = ["…" if start else ""]
    at = start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(escape(text[at:s]) + f"[bold reverse]{escape(text[s:e])}[/]")
        at = e
    pieces.append(escape(text[at:end]) + ("…" if end < len(text) else ""))
    return "".join(pieces)


@tm.command(name="lookup")
@click.argument("doc")
@click.argument("numbers", nargs=-1, type=int)
@click.option("--threshold", type=click.IntRange(1, 101), default=70, show_default=True,
              help="The lowest match score shown.")
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True,
              help="Matches shown per segment.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="How to print them.")
@click.pass_obj
def tm_lookup(ctx: Context, doc: str, numbers: tuple[int, ...], threshold: int, limit: int,
              fmt: str) -> int:
    """The memory's matches for the segments of DOC (or those NUMBERS of it)."""
    from workbench.core.errors import ProjectError
    from workbench.core.memory.lookup import queries

    project, memory = _open_memory(ctx)
    if project is None or memory is None:
        raise ProjectError("not a workbench project (no sources/ folder here or above)",
                           path=Path(ctx.project_dir).resolve())
    name = project.resolve_document(doc)
    records = project.segments(name)
    wanted = set(numbers)
    rows = []
    for record, query in zip(records, queries(records), strict=True):
        if wanted and record.ordinal not in wanted:
            continue
        rows.append((record, memory.lookup(query, threshold=threshold, limit=limit)))
    if fmt == "json":
        click.echo(json.dumps([{
            "number": r.ordinal, "segment_id": r.id, "source": r.source,
            "matches": [{"score": m.score, "kind": m.kind, "origin": m.origin,
                         "document": m.unit.doc, "source": m.source, "target": m.target,
                         "repairs": [[x.kind, x.old, x.new] for x in m.repairs],
                         "changed_by": m.unit.changed_by, "changed_at": m.unit.changed_at,
                         "source_diff": [[s.start, s.end, s.kind] for s in m.source_diff]}
                        for m in found]} for r, found in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    for record, found in rows:
        out.print(f"[bold]#{record.ordinal}[/] {escape(record.source)}")
        for m in found:
            where = escape(m.origin + (f" ({m.unit.doc} #{m.unit.ordinal})"
                                       if m.unit.ordinal is not None else ""))
            out.print(f"  [bold]{escape(m.label())}[/] {where}")
            out.print(f"    {_marked(m.source, [(s.start, s.end) for s in m.source_diff])}")
            out.print(f"    → {escape(m.target)}")
            for repair in m.repairs:
                out.print(f"      repaired: {escape(repair.old)} → {escape(repair.new)}")
        if not found:
            out.print("  [dim]no match[/]")
    return EXIT_OK


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    pieces = []
    at = 0
    for s, e in spans:
        pieces.append(escape(text[at:s]) + f"[reverse]{escape(text[s:e])}[/]")
        at = e
    pieces.append(escape(text[at:]))
    return "".join(pieces)


@click.command()
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True,
              help="table: segments per band; csv and json add the Japanese characters of "
                   "each band.")
@click.pass_obj
def stats(ctx: Context, docs: tuple[str, ...], fmt: str) -> int:
    """Analysis of DOCs (default: all) against the memory: per document and in total,
    segments, Japanese characters, English words (of the final translations), repetitions,
    and the segments in each band of memory match (101%, 100%, 95–99, 85–94, 75–84, 50–74,
    no match)."""
    from workbench.core.memory.analysis import analyse

    project, memory = _open_memory(ctx)
    if project is None or memory is None:
        from workbench.core.errors import ProjectError

        raise ProjectError("not a workbench project (no sources/ folder here or above)",
                           path=Path(ctx.project_dir).resolve())
    names = [project.resolve_document(d) for d in docs] or None
    rows = analyse(project, memory, names)
    if fmt == "json":
        click.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        fields = list(rows[0].row())
        writer.writerow(fields)
        for r in rows:
            writer.writerow([r.row()[f] for f in fields])
        return EXIT_OK
    shown = [k for k in rows[0].row() if not k.endswith(" chars") or k == "ja chars"]
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in shown:
        table.add_column(name, justify="left" if name == "document" else "right",
                         no_wrap=name == "document")
    for i, r in enumerate(rows):
        if i == len(rows) - 1:
            table.add_section()
        values = r.row()
        table.add_row(*(escape(str(values[k])) for k in shown))
    out.print(table)
    return EXIT_OK


COMMANDS: list[click.Command] = [tm, stats]
