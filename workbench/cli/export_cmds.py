"""Export and import commands: aligned files, TMX, JSONL and Excel tables out; Excel back in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from workbench.cli._common import EXIT_ISSUES, EXIT_OK, Context, err, glossary_folder, label, out
from workbench.core.glossary.lint import checked_glossary

# workbench.core.export is imported inside the commands: it pulls in lxml and
# translate-toolkit, which `workbench status` should not pay for.
FORMAT_CHOICES = ("txt", "tmx", "jsonl", "xlsx")
DEFAULT_FORMATS = ("txt", "tmx", "jsonl")


@click.command()
@click.argument("docs", nargs=-1, metavar="[DOC]...")
@click.option("-f", "--format", "formats", type=click.Choice(FORMAT_CHOICES), multiple=True,
              help="What to write; repeat for several. Default: txt, tmx and jsonl. "
                   "txt: <doc>.ja.txt + <doc>.en.txt, line-aligned; tmx: <doc>.tmx (TMX 1.4b); "
                   "jsonl: <doc>.jsonl, every field of every segment; xlsx: one bilingual "
                   "workbook for the documents (<doc>.xlsx, or bilingual.xlsx for several).")
@click.option("--all", "include_all", is_flag=True,
              help="Not only reviewed and approved segments: txt keeps every segment (an "
                   "empty English line where there is no final translation), tmx every "
                   "segment that has one.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write into this folder instead of the project's aligned/.")
@click.option("--force", is_flag=True,
              help="Replace aligned files even when they would lose reviewed units the "
                   "project state does not account for (after a lost or replaced state).")
@click.option("--no-analysis", is_flag=True,
              help="Leave the memory analysis off the workbook's summary (it looks every "
                   "segment up in the memory: about a minute per 50,000 segments).")
@click.pass_obj
def export(ctx: Context, docs: tuple[str, ...], formats: tuple[str, ...], include_all: bool,
           out_dir: Path | None, force: bool, no_analysis: bool) -> int:
    """Write aligned files (txt, TMX, JSONL) or an Excel bilingual table of DOCs (default: all).

    Files are written atomically and deterministically: the same state gives the same
    bytes, and a file whose bytes would not change is left untouched. A file that would
    lose reviewed units the state does not account for (a unit may leave only when its
    segment was set aside or un-reviewed since) is not written unless --force.
    """
    from workbench.core.exchange import export_documents

    glossary = checked_glossary(glossary_folder(ctx))
    project = ctx.open_project(fallback_read_only=True, writes_files=out_dir is None)
    if not project.documents():
        err.print("no documents yet: put Japanese .txt files in sources/ and run "
                  "`workbench ingest`.")
        return EXIT_OK
    wanted = formats or DEFAULT_FORMATS
    paths = export_documents(project, list(docs) or None, wanted,
                             include_all=include_all, out_dir=out_dir, glossary=glossary,
                             force=force, analysis=not no_analysis)
    for path in paths:
        out.print(_shown(path))
    _say_what_had_no_units(project, docs, wanted, include_all)
    err.print(f"exported {len(paths)} file{'s' if len(paths) != 1 else ''}")
    return EXIT_OK


def _say_what_had_no_units(project: Any, docs: tuple[str, ...], formats: tuple[str, ...],
                           include_all: bool) -> None:
    """A document with nothing to export in txt or TMX is named (no TMX is written for it)."""
    from workbench.core.formats.units import english, select

    if not {"txt", "tmx"} & set(formats):
        return
    names = list(dict.fromkeys(project.resolve_document(d) for d in docs)) if docs else \
        [d.name for d in project.documents()]
    which = "segments with a final translation" if include_all else \
        "reviewed or approved segments with a final translation"
    for doc in names:
        units = [r for r in select(project.segments(doc), include_all) if english(r)]
        if units:
            continue
        written = "no TMX written" if "tmx" in formats else ""
        if "txt" in formats:
            written += ("; " if written else "") + "the .txt pair holds no English"
        err.print(label("note", f"{doc}: no units to export (no {which}): {written}"))


@click.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-n", "--dry-run", is_flag=True,
              help="Check the workbook and report what would change, without changing "
                   "anything.")
@click.pass_obj
def import_(ctx: Context, file: Path, dry_run: bool) -> int:
    """Merge final translations and statuses from an edited bilingual workbook (.xlsx).

    Rows are matched by segment id. A row edited in the workbook is applied when the
    project still holds what was exported; a row whose source no longer matches, or that
    was also changed in the project since, is a conflict: reported, not applied (exit 1).
    A malformed sheet (renamed or missing columns, added or deleted rows, merged cells, an
    unknown status) stops the import before anything is applied (exit 2).
    """
    from workbench.core.exchange import import_xlsx

    project = ctx.open_project()
    report = import_xlsx(project, file, dry_run=dry_run)
    verb = "would update" if dry_run else "updated"
    out.print(f"{verb} {len(report.updated)} segment{'s' if len(report.updated) != 1 else ''}, "
              f"{report.unchanged} unchanged, {len(report.conflicts)} "
              f"conflict{'s' if len(report.conflicts) != 1 else ''}")
    for change in report.changes:
        out.print(f"  {verb}: {change}")
    if report.filled:
        out.print(f"filled {len(report.filled)} repetition"
                  f"{'s' if len(report.filled) != 1 else ''} of the segments reviewed")
    for conflict in report.conflicts:
        err.print(label("conflict", str(conflict)))
    if dry_run:
        err.print("dry run: nothing was changed")
    return EXIT_ISSUES if report.conflicts else EXIT_OK


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is below it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


COMMANDS: list[click.Command] = [export, import_]
