"""Glossary and QA commands: `check`, and `glossary lint|suggest|find|add|import|export`."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from workbench.cli._common import EXIT_ISSUES, EXIT_OK, Context, err, out, project_glossary
from workbench.core.atomic import atomic_write_text
from workbench.core.checks import CheckReport, check_records
from workbench.core.errors import GlossaryError
from workbench.core.formats.aligned import read_aligned
from workbench.core.formats.issues import issues_csv, issues_json
from workbench.core.glossary.folder import (
    glossary_files,
    import_file,
    load_glossary,
    suggestion_columns,
)
from workbench.core.glossary.formats import SUFFIXES, render_tsv, write_glossary
from workbench.core.glossary.lint import lint_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.glossary.suggest import Suggestion, suggest_names
from workbench.core.project import Project
from workbench.core.records import SEVERITIES, Issue, SegmentRecord

FORMATS = ("table", "csv", "json", "xlsx")
_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


# ============================================================================== check


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="Output format [default: table, or from the --output suffix].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of the terminal.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default="error",
              show_default=True, help="Exit 1 when an issue of this severity or worse is found.")
@click.option("--doc", "docs", multiple=True,
              help="Check only this document of the project (repeatable).")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Glossary folder [default: the project's glossary/].")
@click.pass_obj
def check(ctx: Context, paths: tuple[Path, ...], fmt: str | None, output: Path | None,
          fail_on: str, docs: tuple[str, ...], glossary_dir: Path | None) -> int:
    """Check translations against the glossary and for common slips.

    With no PATHS, checks the project: its sources and the current translation of each
    segment (its final text if set, else the MT with the glossary enforced, else the raw
    MT). PATHS are aligned files to check instead: `.jsonl`, `.tmx` or `<doc>.en.txt`
    beside its `<doc>.ja.txt`.

    \b
    error    term-missing, off-canonical, forbidden; untranslated when reviewed
    warning  identical, number-mismatch, inconsistent-term, inconsistent-translation,
             suggested-rewrite (a rewrite enforcement is not sure of); untranslated drafts
    info     variant-census (spellings of one name in the sources); new untranslated

    Exit status: 0 clean, 1 when an issue at or above --fail-on is found, 2 for bad
    input (a bad glossary row, an unreadable file).
    """
    fmt = fmt or _format_from_suffix(output)
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE.xlsx")
    if paths:
        glossary = load_glossary(glossary_dir or project_glossary(ctx))
        records: list[SegmentRecord] = []
        for path in paths:
            records.extend(read_aligned(path))
    else:
        project = ctx.open_project(fallback_read_only=True)
        glossary = load_glossary(glossary_dir or project.glossary_dir)
        records = _project_records(project, docs)
        if not records:
            err.print("no segments to check: put Japanese .txt files in sources/.")
    report = check_records(records, glossary)
    _emit(report, fmt, output, glossary)
    if fail_on != "never" and report.at_or_above(fail_on):
        return EXIT_ISSUES
    return EXIT_OK


def _format_from_suffix(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in ("csv", "json", "xlsx") else "table"


def _project_records(project: Project, docs: Sequence[str]) -> list[SegmentRecord]:
    if not docs:
        return project.segments()
    return [r for doc in dict.fromkeys(project.resolve_document(d) for d in docs)
            for r in project.segments(doc)]


def _emit(report: CheckReport, fmt: str, output: Path | None, glossary: Glossary) -> None:
    if fmt == "xlsx":
        assert output is not None
        from workbench.core.exchange import write_issues_xlsx

        write_issues_xlsx(report.issues, output, glossary=glossary)
        err.print(f"wrote {len(report.issues)} issues to {output}")
        return
    if fmt == "csv":
        text = issues_csv(report.issues)
    elif fmt == "json":
        text = issues_json(report.issues, segments=report.segments,
                           census=[row.as_dict() for row in report.census])
    elif output is None:
        _print_table(report)
        return
    else:
        buffer = io.StringIO()
        from rich.console import Console

        _print_table(report, Console(file=buffer, width=120, no_color=True, highlight=False))
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        err.print(f"wrote {len(report.issues)} issues to {output}")


def _print_table(report: CheckReport, console: Any = None) -> None:
    console = console or out
    census = [row for row in report.census if len(row.spellings) > 1]
    if census:
        table = Table(title="Variant census: names spelled more than one way in the sources",
                      title_justify="left", box=None, pad_edge=False, header_style="bold")
        table.add_column("name")
        table.add_column("spellings (count)")
        for row in census:
            table.add_row(escape(row.entry.en),
                          escape("  ".join(f"{s} ×{n}" for s, n in row.spellings)))
        console.print(table)
        console.print()
    rows = _table_rows([i for i in report.issues if i.check != "variant-census"])
    if rows:
        table = Table(title="Issues", title_justify="left", box=None, pad_edge=False,
                      header_style="bold")
        for name in ("severity", "check", "where", "term", "message"):
            table.add_column(name, overflow="fold")
        for severity, check_name, where, term, message in rows:
            style = _STYLE[severity]
            table.add_row(f"[{style}]{severity}[/]", check_name, escape(where), escape(term),
                          escape(message))
        console.print(table)
        console.print()
    counts = report.counts()
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}"
                        for s, n in counts.items())
    console.print(f"{report.segments} segments checked: {summary}")


def _table_rows(issues: Sequence[Issue]) -> list[tuple[str, str, str, str, str]]:
    """One row per issue, except untranslated segments: one row per document and severity
    with their numbers, so a project without translations yet reads in a few lines."""
    rows: list[tuple[str, str, str, str, str]] = []
    untranslated: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.check == "untranslated":
            untranslated.setdefault((issue.doc, issue.severity), []).append(issue)
            continue
        where = issue.doc + (f" #{issue.ordinal}" if issue.ordinal is not None else "")
        rows.append((issue.severity, issue.check, where, issue.term, issue.message))
    for (doc, severity), group in untranslated.items():
        if len(group) == 1:
            issue = group[0]
            rows.append((severity, issue.check, f"{doc} #{issue.ordinal}", "", issue.message))
            continue
        numbers = _ranges([i.ordinal for i in group if i.ordinal is not None])
        rows.append((severity, "untranslated", f"{doc} {numbers}", "",
                     f"{len(group)} segments: {group[0].message}"))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    rows.sort(key=lambda r: order[r[0]])
    return rows


def _ranges(numbers: Sequence[int]) -> str:
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"#{a}" if a == b else f"#{a}-{b}" for a, b in spans)


# ============================================================================== glossary


@click.group()
def glossary() -> None:
    """Inspect and grow the glossary (every .tsv/.csv/.xlsx/.tbx file in glossary/)."""


def _glossary_dir(ctx: Context) -> Path:
    return project_glossary(ctx)


@glossary.command()
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.pass_obj
def lint(ctx: Context, strict: bool) -> int:
    """Report bad rows, conflicts, duplicates, variants folding alike and empty fields.

    Exit status: 0 clean (warnings allowed unless --strict), 1 when problems are found.
    """
    folder = _glossary_dir(ctx)
    problems = lint_glossary(folder)
    for problem in problems:
        style = _STYLE[problem.severity]
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        out.print(f"{escape(where)}: [{style}]{problem.severity}[/]: {escape(problem.message)}")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    files = len(glossary_files(folder))
    err.print(f"{files} file{'s' if files != 1 else ''}: {errors} errors, {warnings} warnings")
    return EXIT_ISSUES if errors or (strict and warnings) else EXIT_OK


@glossary.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False,
                                                    path_type=Path))
@click.option("--min-count", type=click.IntRange(1), default=1, show_default=True,
              help="Only names found at least this many times.")
@click.option("--all", "include_all", is_flag=True,
              help="Include common katakana loanwords (パートナー, システム, …).")
@click.option("--no-header", is_flag=True, help="Leave out the header row (to append).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the TSV to this file instead of the terminal.")
@click.pass_obj
def suggest(ctx: Context, paths: tuple[Path, ...], min_count: int, include_all: bool,
            no_header: bool, output: Path | None) -> int:
    """Names in the sources that the glossary lacks, as glossary TSV to review (in the
    columns of glossary/names.tsv, so the rows append to it as they are).

    Katakana runs, capitalized Latin or Cyrillic words and kanji names before a title
    (石破総理大臣) that no entry covers, grouped by folded form, most frequent first. A
    spelling close to an existing variant comes first with `en` set to that entry
    (appending the row adds the spelling to it) and a note "variant of <entry>?"; the
    others get a romanized guess as `en`, or the name itself where there is no reading to
    romanize, and the note says so. The note says how often and where each was found.
    Review, fix `en` and `type`, then append to glossary/names.tsv (--no-header) or save
    as a file of its own in glossary/.
    """
    if paths:
        from workbench.core.segment import segment_file

        folder = _glossary_dir(ctx)
        texts = [(d.doc, s.source) for d in (segment_file(p) for p in paths)
                 for s in d.segments]
    else:
        project = ctx.open_project(fallback_read_only=True)
        folder = project.glossary_dir
        texts = [(r.doc, r.source) for r in project.segments()]
    found = suggest_names(texts, load_glossary(folder), min_count=min_count,
                          include_loanwords=include_all)
    text = _suggestions_tsv(found, suggestion_columns(folder), header=not no_header)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
    flagged = sum(s.variant_of is not None for s in found)
    err.print(f"{len(found)} names not in the glossary ({flagged} look like variants of "
              f"entries)")
    return EXIT_OK


def _suggestions_tsv(found: Sequence[Suggestion], columns: Sequence[str], header: bool) -> str:
    entries = [s.as_entry() for s in found]
    return render_tsv(entries, columns, header=header)


@glossary.command()
@click.argument("text")
@click.pass_obj
def find(ctx: Context, text: str) -> int:
    """Show the glossary hits in TEXT (or in the file TEXT names), with their spans."""
    path = Path(text)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
    hits = load_glossary(_glossary_dir(ctx)).find(text)
    for hit in hits:
        click.echo(f"{hit.start}-{hit.end}\t{hit.surface}\t{hit.entry.en}\t"
                   f"(variant {hit.variant}, {hit.entry.where})")
    err.print(f"{len(hits)} hits")
    return EXIT_OK


@glossary.command()
@click.argument("en")
@click.argument("ja", nargs=-1, required=True)
@click.option("--type", "kind", default="", help="person, place, organisation, …")
@click.option("--note", default="", help="A note for reviewers.")
@click.pass_obj
def add(ctx: Context, en: str, ja: tuple[str, ...], kind: str, note: str) -> int:
    """Add EN with its Japanese spellings JA to glossary/names.tsv (or add the spellings
    to the entry EN already has)."""
    from workbench.core.glossary.folder import add_entry

    entry = add_entry(_glossary_dir(ctx), en, ja, type=kind, note=note)
    out.print(f"{escape(entry.en)}: {escape(' | '.join(entry.ja))}")
    return EXIT_OK


@glossary.command(name="import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", help="File name in glossary/ [default: SOURCE's name, as .tsv].")
@click.option("--force", is_flag=True, help="Replace a glossary file of that name.")
@click.pass_obj
def import_(ctx: Context, source: Path, name: str | None, force: bool) -> int:
    """Bring a glossary file (TSV, CSV, XLSX or TBX) into glossary/ as TSV.

    The result is checked with the glossary already there first: a spelling that names
    something else there is an error and nothing is written.
    """
    target, rows = import_file(_glossary_dir(ctx), source, name=name, force=force)
    out.print(f"imported {len(rows)} entries into {target}")
    return EXIT_OK


@glossary.command(name="export")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_(ctx: Context, target: Path) -> int:
    """Write the merged glossary to TARGET (.tsv, .csv, .xlsx or .tbx by its suffix)."""
    if target.suffix.lower() not in SUFFIXES:
        raise GlossaryError(f"unknown format; use one of {', '.join(SUFFIXES)}", path=target)
    merged = load_glossary(_glossary_dir(ctx))
    write_glossary(merged.entries, target)
    out.print(f"exported {len(merged)} entries to {target}")
    return EXIT_OK


COMMANDS: list[click.Command] = [check, glossary]
