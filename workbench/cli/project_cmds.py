"""Project commands: ingest sources, show review status, show a document's segments."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from workbench.cli._common import EXIT_ERROR, EXIT_OK, Context, err, out, report_sync
from workbench.core.glossary.folder import start_glossary
from workbench.core.ingest import ingest as ingest_sources
from workbench.core.project import init_project, source_path
from workbench.core.records import STATUSES
from workbench.core.relocate import refuse_local_state, use_state
from workbench.core.segment import SegmentedDocument, segment_file
from workbench.core.settings import check_state_url, redact_url
from workbench.core.team import ReviewerProgress, progress

ENCODING_HELP = ("Read the file in this encoding instead of detecting it "
                 "(utf-8, utf-16, cp932/shift_jis, euc-jp, …).")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--encoding", help=ENCODING_HELP)
@click.option("--force", is_flag=True, help="Re-read sources even if their bytes are unchanged.")
@click.pass_obj
def ingest(ctx: Context, paths: tuple[Path, ...], encoding: str | None, force: bool) -> int:
    """Read sources into the project state.

    With no PATHS, every changed file in sources/ is read. A PATH inside sources/ is
    re-read; a PATH elsewhere is copied into sources/ (as UTF-8) and read. Segments
    whose text did not change keep their translations; the report says what was
    added and dropped.
    """
    project = ctx.open_project(sync=False)
    result, copied = ingest_sources(project, paths, encoding=encoding, force=force)
    for original, copy in copied:
        err.print(f"copied {original} to {copy.relative_to(project.root)}")
    report_sync(result, quiet_unchanged=False)
    return EXIT_ERROR if result.errors else EXIT_OK


@click.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--state", "state_url", metavar="URL",
              help="Keep the state in this PostgreSQL database (postgresql://USER@HOST/DB, "
                   "no password: PGPASSWORD or ~/.pgpass) so a team reviews at once.")
@click.pass_obj
def init(ctx: Context, folder: Path | None, state_url: str | None) -> int:
    """Make FOLDER (default: the current folder, or -C) a project.

    Creates whichever of sources/, glossary/ (with an empty names.tsv to fill in) and
    aligned/ is missing; nothing that exists is touched. With --state, the project's state
    is in that PostgreSQL database (written to workbench.toml once the database answers).
    """
    root = folder if folder is not None else Path(ctx.project_dir)
    if state_url is not None:
        check_state_url(state_url)
        refuse_local_state(root)
    made = init_project(root)
    names = start_glossary(root / "glossary")
    if state_url is not None:
        settings = use_state(root.resolve(), state_url)
        out.print(f"the state is in {redact_url(state_url)} "
                  f"(written to {settings.name})")
    created = [f"{p.name}/" for p in made] + ([f"glossary/{names.name}"] if names else [])
    if created:
        out.print(f"created {', '.join(created)} in {root}")
    else:
        out.print(f"{root} is a project already; nothing to create")
    out.print("next: put Japanese .txt files in sources/, then run `workbench`"
              + (f" (in {root})" if root != Path(".") else "") + ".")
    return EXIT_OK


@click.command()
@click.pass_obj
def status(ctx: Context) -> int:
    """Per document: segments, counts by status, and % done (reviewed or approved)."""
    project = ctx.open_project(fallback_read_only=True)
    docs = project.documents()
    if not docs:
        out.print("no documents yet: put Japanese .txt files in sources/ and run "
                  "`workbench ingest`.")
        return EXIT_OK
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("document", no_wrap=True)
    table.add_column("segments", justify="right")
    for name in STATUSES:
        table.add_column(name, justify="right")
    table.add_column("done %", justify="right")
    totals = dict.fromkeys(STATUSES, 0)
    for doc in docs:
        for name in STATUSES:
            totals[name] += doc.by_status[name]
        table.add_row(doc.name, str(doc.segments),
                      *(str(doc.by_status[s]) for s in STATUSES), f"{doc.percent_done:.0f}%")
    total = sum(totals.values())
    done = totals["reviewed"] + totals["approved"]
    table.add_section()
    table.add_row("total", str(total), *(str(totals[s]) for s in STATUSES),
                  f"{100 * done / total if total else 0:.0f}%")
    out.print(table)
    people = progress(project)
    if any(p.reviewer is not None and p.assigned for p in people):
        out.print()
        out.print(reviewer_table(people))
    return EXIT_OK


def reviewer_table(people: list[ReviewerProgress]) -> Table:
    """Per reviewer: segments assigned, done of those, left, and segments they changed."""
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name, justify in (("reviewer", "left"), ("assigned", "right"), ("done", "right"),
                          ("left", "right"), ("done %", "right"), ("changed", "right")):
        table.add_column(name, justify=justify, no_wrap=name == "reviewer")  # type: ignore[arg-type]
    for p in people:
        table.add_row(p.reviewer if p.reviewer is not None else "(unassigned)",
                      str(p.assigned), str(p.done), str(p.assigned - p.done),
                      f"{p.percent_done:.0f}%" if p.assigned else "-", str(p.changed))
    return table


@click.command()
@click.argument("doc")
@click.option("--explain", is_flag=True,
              help="Also show every deletion made by cleanup (line, reason, text).")
@click.option("--format", "fmt", type=click.Choice(["text", "tsv", "json"]), default="text",
              show_default=True,
              help="text: one segment per line and nothing else; tsv/json add id, ordinal, "
                   "kind and line span.")
@click.option("--encoding", help=ENCODING_HELP)
@click.pass_obj
def segment(ctx: Context, doc: str, explain: bool, fmt: str, encoding: str | None) -> int:
    """Show how DOC (a path, or a document name of the project) is cleaned and segmented."""
    path = source_path(doc, Path(ctx.project_dir))
    result = segment_file(path, encoding=encoding)
    if fmt == "json":
        click.echo(json.dumps(_as_json(result, explain), ensure_ascii=False, indent=1))
    elif fmt == "tsv":
        _print_tsv(result, explain)
    elif explain:
        _print_explained(result)
    else:
        for seg in result.segments:
            click.echo(seg.source)
    return EXIT_OK


def _as_json(result: SegmentedDocument, explain: bool) -> dict[str, object]:
    data: dict[str, object] = {
        "doc": result.doc, "layout": result.layout, "encoding": result.encoding,
        "segments": [{"id": s.id, "ordinal": s.ordinal, "kind": s.kind,
                      "line_start": s.line_start, "line_end": s.line_end, "source": s.source}
                     for s in result.segments]}
    if explain:
        data["deletions"] = [{"line": d.line, "reason": d.reason, "text": d.text}
                             for d in result.deletions]
    return data


def _tsv(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _print_tsv(result: SegmentedDocument, explain: bool) -> None:
    if explain:
        click.echo("type\tid\tordinal\tkind\tline_start\tline_end\ttext")
        for _, row in _interleaved(result):
            click.echo(row)
        return
    click.echo("id\tordinal\tkind\tline_start\tline_end\tsource")
    for s in result.segments:
        click.echo(f"{s.id}\t{s.ordinal}\t{s.kind}\t{s.line_start}\t{s.line_end}\t"
                   f"{_tsv(s.source)}")


def _interleaved(result: SegmentedDocument) -> list[tuple[int, str]]:
    rows = [(s.line_start, f"segment\t{s.id}\t{s.ordinal}\t{s.kind}\t{s.line_start}\t"
             f"{s.line_end}\t{_tsv(s.source)}") for s in result.segments]
    rows += [(d.line, f"deleted\t\t\t{d.reason}\t{d.line}\t{d.line}\t{_tsv(d.text)}")
             for d in result.deletions]
    return sorted(rows, key=lambda r: (r[0], not r[1].startswith("deleted")))


def _print_explained(result: SegmentedDocument) -> None:
    """Segments and deletions in line order, deletions marked with `-`."""
    entries: list[tuple[int, int, str]] = []
    for s in result.segments:
        span = f"{s.line_start}" if s.line_start == s.line_end else f"{s.line_start}-{s.line_end}"
        kind = "" if s.kind == "text" else f"[{s.kind}] "
        entries.append((s.line_start, 1, f"  {span:>9}  {kind}{s.source}"))
    for d in result.deletions:
        entries.append((d.line, 0, f"- {d.line:>9}  ({d.reason}) {d.text!r}"))
    for _, _, line in sorted(entries, key=lambda e: (e[0], e[1])):
        click.echo(line)
    click.echo(f"# {result.doc}: {len(result.segments)} segments, {len(result.deletions)} "
               f"deletions, layout {result.layout}, encoding {result.encoding}")


COMMANDS: list[click.Command] = [init, ingest, status, segment]
