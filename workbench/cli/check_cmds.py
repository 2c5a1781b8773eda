"""QA: `workbench check`, its reports, and the issues a reviewer marks as false positives."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from workbench.cli._common import EXIT_ISSUES, EXIT_OK, Context, err, out
from workbench.core.atomic import atomic_write_text
from workbench.core.checks import CATALOG, CheckReport, Ignored, IgnoreList, check_records
from workbench.core.checks.ignore import find_issues
from workbench.core.errors import WorkbenchError
from workbench.core.formats.aligned import read_aligned
from workbench.core.formats.issues import issues_csv, issues_json
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.pipeline import project_records
from workbench.core.project import Project, find_root
from workbench.core.records import SEVERITIES, Issue, SegmentRecord

FORMATS = ("table", "csv", "json", "xlsx")
_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}
_SHORT_RANGES = 16


def _checks_help() -> str:
    width = max(len(c.id) for c in CATALOG)
    lines = [f"{c.id:<{width}}  {c.severity:<9} {c.explanation}" for c in CATALOG]
    return "\n".join(lines)


@click.command(help=f"""Check translations against the glossary and for common slips.

    With no PATHS, checks the project: its sources and the current translation of each
    segment (its final text if set, else the MT with the glossary enforced, else the raw
    MT). PATHS are aligned files to check instead: `.jsonl`, `.tmx` or `<doc>.en.txt`
    beside its `<doc>.ja.txt`.

    Every issue has an id; `--ignore ID` marks one a false positive (kept in the project
    with who and when; it comes back if its segment's text changes), `--show-ignored`
    lists them.

    \b
    {_checks_help().replace(chr(10), chr(10) + '    ')}

    Exit status: 0 clean, 1 when an issue at or above --fail-on is found, 2 for bad
    input (a bad glossary row, an unreadable file, an unknown issue id).
    """)
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
@click.option("--ignore", "ignore_ids", multiple=True, metavar="ID",
              help="Mark the issue with this id a false positive (repeatable).")
@click.option("--unignore", "unignore_ids", multiple=True, metavar="ID",
              help="Report an ignored issue again (repeatable).")
@click.option("--show-ignored", is_flag=True,
              help="Also list the issues marked ignored, with who ignored them and when.")
@click.pass_obj
def check(ctx: Context, paths: tuple[Path, ...], fmt: str | None, output: Path | None,
          fail_on: str, docs: tuple[str, ...], glossary_dir: Path | None,
          ignore_ids: tuple[str, ...], unignore_ids: tuple[str, ...], show_ignored: bool
          ) -> int:
    fmt = fmt or _format_from_suffix(output)
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs --output FILE.xlsx")
    changing = bool(ignore_ids or unignore_ids)
    project: Project | None = None
    if paths:
        glossary = load_glossary(glossary_dir or _project_glossary(ctx))
        records: list[SegmentRecord] = []
        for path in paths:
            records.extend(read_aligned(path))
        if changing:
            project = ctx.open_project(sync=False)
        elif find_root(Path(ctx.project_dir)) is not None:
            try:      # the project's ignore list, if it can be read: not needed otherwise
                project = ctx.open_project(write=False, sync=False)
            except WorkbenchError:
                project = None
    else:
        project = ctx.open_project(fallback_read_only=not changing)
        glossary = load_glossary(glossary_dir or project.glossary_dir)
        records = project_records(project, docs)
        if not records:
            err.print("no segments to check: put Japanese .txt files in sources/.")
    report = check_records(records, glossary)
    ignored: dict[str, Ignored] = {}
    if project is not None:
        ignores = IgnoreList(project)
        if unignore_ids:
            n = ignores.unignore(unignore_ids)
            err.print(f"{n} issue{'s' if n != 1 else ''} reported again")
        if ignore_ids:
            for entry in ignores.ignore(find_issues(report.issues, ignore_ids)):
                err.print(escape(f"ignored {entry.issue_id}: {entry.check} in {entry.doc}"
                                 f"{_number(entry.ordinal)}: {entry.message}"))
        ignored = ignores.entries()
        report = report.without(frozenset(ignored))
    for note in report.notes:
        err.print(f"[yellow]note:[/] {escape(note)}")
    _emit(report, fmt, output, glossary, ignored if show_ignored else None)
    if fail_on != "never" and report.at_or_above(fail_on):
        return EXIT_ISSUES
    return EXIT_OK


def _number(ordinal: int | None) -> str:
    return f" #{ordinal}" if ordinal is not None else ""


def _format_from_suffix(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in ("csv", "json", "xlsx") else "table"


def _project_glossary(ctx: Context) -> Path:
    root = find_root(Path(ctx.project_dir))
    if root is None:
        raise WorkbenchError("no glossary: not inside a project", path=Path(ctx.project_dir),
                             hint="pass --glossary DIR, or run in a project folder.")
    return root / "glossary"


def _emit(report: CheckReport, fmt: str, output: Path | None, glossary: Glossary,
          ignored: dict[str, Ignored] | None) -> None:
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
                           census=[row.as_dict() for row in report.census],
                           ignored=_ignored_rows(report, ignored) if ignored is not None
                           else None)
    elif output is None:
        _print_table(report, ignored)
        return
    else:
        buffer = io.StringIO()
        from rich.console import Console

        _print_table(report, ignored,
                     Console(file=buffer, width=120, no_color=True, highlight=False))
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        err.print(f"wrote {len(report.issues)} issues to {output}")


def _ignored_rows(report: CheckReport, ignored: dict[str, Ignored]) -> list[dict[str, Any]]:
    """The ignored issues this check found, with who ignored them and when."""
    rows = []
    for issue in report.ignored:
        entry = ignored[issue.id]
        rows.append({"id": issue.id, "check": issue.check, "doc": issue.doc,
                     "ordinal": issue.ordinal, "message": issue.message, "by": entry.by,
                     "at": entry.at})
    return rows


def _print_table(report: CheckReport, ignored: dict[str, Ignored] | None,
                 console: Any = None) -> None:
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
        console.print("[bold]Issues[/]")
        console.print(_aligned(("severity", "check", "where", "id", "message"), rows))
        console.print()
    if ignored is not None:
        _print_ignored(report, ignored, console)
    counts = report.counts()
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}"
                        for s, n in counts.items())
    silenced = f" ({len(report.ignored)} ignored)" if report.ignored else ""
    console.print(f"{report.segments} segments checked: {summary}{silenced}")


def _aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns, the last one unbounded (a rich Table measures every cell and
    takes a second for a thousand issues; this is one string). The first column is a
    severity, coloured."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    lines = ["[bold]" + escape("  ".join(h.ljust(w) for h, w in zip(header, widths,
                                                                     strict=False))
                                + "  " + header[-1]) + "[/]"]
    for row in rows:
        first = f"[{_STYLE[row[0]]}]{row[0].ljust(widths[0])}[/]" if row[0] in _STYLE else \
            escape(row[0].ljust(widths[0]))
        rest = "  ".join(escape(c.ljust(w)) for c, w in zip(row[1:-1], widths[1:],
                                                             strict=True))
        lines.append(f"{first}  {rest}  {escape(row[-1])}")
    return "\n".join(lines)


def _print_ignored(report: CheckReport, ignored: dict[str, Ignored], console: Any) -> None:
    if report.ignored:
        console.print("[bold]Ignored (false positives)[/]")
        rows = [(issue.check, issue.doc + _number(issue.ordinal), ignored[issue.id].by,
                 ignored[issue.id].at, issue.id, issue.message) for issue in report.ignored]
        console.print(_aligned(("check", "where", "by", "at", "id", "message"), rows))
    gone = len(set(ignored) - {i.id for i in report.ignored})
    if gone:
        console.print(f"{gone} ignored issue{'s are' if gone != 1 else ' is'} no longer found "
                      "(fixed, or its segment changed)")
    if not report.ignored and not gone:
        console.print("no ignored issues")
    console.print()


def _table_rows(issues: Sequence[Issue]) -> list[tuple[str, str, str, str, str]]:
    """(severity, check, where, id, message) per issue, but see `_issue_rows`."""
    return [(sev, check, where, issue_id, message)
            for sev, check, where, message, issue_id in _issue_rows(issues)]


def _issue_rows(issues: Sequence[Issue]) -> list[tuple[str, str, str, str, str]]:
    """One row per issue, except untranslated segments: one row per document and severity
    with their numbers, so a project without translations yet reads in a few lines."""
    rows: list[tuple[str, str, str, str, str]] = []
    untranslated: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.check == "untranslated":
            untranslated.setdefault((issue.doc, issue.severity), []).append(issue)
            continue
        where = issue.doc + _number(issue.ordinal)
        message = f"{issue.term}: {issue.message}" if issue.term and \
            issue.term not in issue.message else issue.message
        rows.append((issue.severity, issue.check, where, message, issue.id))
    for (doc, severity), group in untranslated.items():
        if len(group) == 1:
            issue = group[0]
            rows.append((severity, issue.check, f"{doc} #{issue.ordinal}", issue.message,
                         issue.id))
            continue
        numbers = _ranges([i.ordinal for i in group if i.ordinal is not None])
        if len(numbers) <= _SHORT_RANGES:
            rows.append((severity, "untranslated", f"{doc} {numbers}",
                         f"{len(group)} segments: {group[0].message}", ""))
        else:     # a long list of numbers goes with the message, not in the column
            rows.append((severity, "untranslated", doc,
                         f"{len(group)} segments ({numbers}): {group[0].message}", ""))
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


COMMANDS: list[click.Command] = [check]
