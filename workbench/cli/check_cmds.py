"""`workbench check`: QA of the project or of aligned files, as a report for people or CI,
and the issues a reviewer marks as false positives.

The report for people reads at 80 columns: the census in two columns that wrap between
spellings (never inside one, never cutting a count), and the issues one per line under
their document, only the message wrapping, each with its id (for `--ignore`) last.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from workbench.cli._common import (
    EXIT_ISSUES,
    EXIT_OK,
    STYLES,
    Context,
    err,
    glossary_folder,
    label,
    out,
)
from workbench.cli.layout import hanging, two_columns, wrap_words
from workbench.core.atomic import atomic_write_text
from workbench.core.checks import CATALOG, CheckReport, Ignored, IgnoreList, check_records
from workbench.core.checks.ignore import find_issues
from workbench.core.errors import WorkbenchError
from workbench.core.formats.aligned import read_aligned
from workbench.core.formats.issues import issues_csv, issues_json
from workbench.core.glossary.lint import checked_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.pipeline import project_records
from workbench.core.project import Project, find_root
from workbench.core.records import SEVERITIES, Issue, SegmentRecord

FORMATS = ("table", "csv", "json", "xlsx")
REPORT_FILE_WIDTH = 120
"""Columns of a text report written to a file (`-o report.txt`)."""


def _checks_help() -> str:
    width = max(len(c.id) for c in CATALOG)
    return "\n".join(f"{c.id:<{width}}  {c.severity:<9} {c.explanation}" for c in CATALOG)


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
        glossary = checked_glossary(glossary_dir or glossary_folder(ctx))
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
        glossary = checked_glossary(glossary_dir or glossary_folder(ctx))
        project = ctx.open_project(fallback_read_only=not changing)
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
                err.print(f"ignored {entry.issue_id}: {entry.check} in {entry.doc}"
                          f"{_number(entry.ordinal)}: {entry.message}")
        ignored = ignores.entries()
        report = report.without(frozenset(ignored))
    for note in report.notes:
        err.print(label("note", note))
    _emit(report, fmt, output, glossary, ignored if show_ignored else None)
    if fail_on != "never" and report.at_or_above(fail_on):
        return EXIT_ISSUES
    return EXIT_OK


def _number(ordinal: int | None) -> str:
    return f" #{ordinal}" if ordinal is not None else ""


def _format_from_suffix(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return suffix if suffix in ("csv", "json", "xlsx") else "table"


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
        print_report(report, out, ignored)
        return
    else:
        buffer = io.StringIO()
        print_report(report, Console(file=buffer, width=REPORT_FILE_WIDTH, no_color=True,
                                     highlight=False, markup=False, emoji=False,
                                     soft_wrap=True), ignored)
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        err.print(f"wrote {len(report.issues)} issues to {output}")


def _ignored_rows(report: CheckReport, ignored: dict[str, Ignored]) -> list[dict[str, Any]]:
    """The ignored issues this check found, with who ignored them and when."""
    return [{"id": issue.id, "check": issue.check, "doc": issue.doc, "ordinal": issue.ordinal,
             "message": issue.message, "by": ignored[issue.id].by, "at": ignored[issue.id].at}
            for issue in report.ignored]


def print_report(report: CheckReport, console: Console,
                 ignored: dict[str, Ignored] | None = None) -> None:
    """The census, the issues under their documents (with `ignored`, the ignored ones
    too), and the counts, at the console's width."""
    width = console.width
    census = [row for row in report.census if len(row.spellings) > 1]
    if census:
        for line in wrap_words("Variant census: names spelled more than one way in the "
                               "sources", width):
            console.print(Text(line, style="bold"))
        rows = [(row.entry.en, [f"{s} ×{n}" for s, n in row.spellings]) for row in census]
        for line in two_columns(rows, width):
            console.print(line)
        console.print()
    issues = [i for i in report.issues if i.check != "variant-census"]
    if issues:
        console.print(Text("Issues", style="bold"))
        for shown in issue_lines(issues, width):
            console.print(shown)
        console.print()
    if ignored is not None:
        _print_ignored(report, ignored, console)
    counts = report.counts()
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}"
                        for s, n in counts.items())
    silenced = f" ({len(report.ignored)} ignored)" if report.ignored else ""
    console.print(f"{report.segments} segments checked: {summary}{silenced}")


def _print_ignored(report: CheckReport, ignored: dict[str, Ignored], console: Console) -> None:
    """The ignored issues this check found: id, who and when, then what, under each other."""
    width = console.width
    if report.ignored:
        console.print(Text("Ignored (false positives)", style="bold"))
        for issue in report.ignored:
            entry = ignored[issue.id]
            head = f"  {issue.id}  "
            text = (f"{issue.check} in {issue.doc}{_number(issue.ordinal)}, by {entry.by} "
                    f"at {entry.at}: {issue.message}")
            for line in hanging(head, text, width, len(head)):
                console.print(Text(line))
    gone = len(set(ignored) - {i.id for i in report.ignored})
    if gone:
        console.print(f"{gone} ignored issue{'s are' if gone != 1 else ' is'} no longer found "
                      "(fixed, or its segment changed)")
    if not report.ignored and not gone:
        console.print("no ignored issues")
    console.print()


_SEVERITY_WIDTH = max(len(s) for s in SEVERITIES) + 1


def issue_lines(issues: Sequence[Issue], width: int) -> list[Text]:
    """Each document's name on a line, then its issues one per line: severity, number,
    `check: message · id`; only the message wraps (under itself). Untranslated segments are one
    line per document and severity, with their numbers."""
    by_doc: dict[str, list[tuple[str, int | None, str]]] = {}
    untranslated: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.check == "untranslated":
            untranslated.setdefault((issue.doc, issue.severity), []).append(issue)
            continue
        term = f" [{issue.term}]" if issue.term and issue.term not in issue.message else ""
        by_doc.setdefault(issue.doc, []).append(
            (issue.severity, issue.ordinal, f"{issue.check}{term}: {issue.message} · {issue.id}"))
    for (doc, severity), group in untranslated.items():
        if len(group) == 1:
            by_doc.setdefault(doc, []).append(
                (severity, group[0].ordinal,
                 f"untranslated: {group[0].message} · {group[0].id}"))
            continue
        numbers = _ranges([i.ordinal for i in group if i.ordinal is not None])
        by_doc.setdefault(doc, []).append(
            (severity, None, f"untranslated: {len(group)} segments, {group[0].message}: "
                             f"{numbers}"))
    ordinals = [o for rows in by_doc.values() for _, o, _ in rows if o is not None]
    number_width = len(f"#{max(ordinals)}") + 1 if ordinals else 0
    order = {s: i for i, s in enumerate(SEVERITIES)}
    indent = 2 + _SEVERITY_WIDTH + number_width
    lines: list[Text] = []
    for doc in sorted(by_doc):
        lines.append(Text(doc or "(the whole project)", style="bold"))
        rows = sorted(by_doc[doc], key=lambda r: (order[r[0]], r[1] or 0))
        for severity, ordinal, text in rows:
            number = f"#{ordinal}" if ordinal is not None else ""
            head = f"  {severity:<{_SEVERITY_WIDTH}}{number:<{number_width}}"
            for i, line in enumerate(hanging(head, text, width, indent)):
                shown = Text(line)
                if i == 0:
                    shown.stylize(STYLES.get(severity, ""), 2, 2 + len(severity))
                lines.append(shown)
    return lines


def _ranges(numbers: Sequence[int]) -> str:
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"#{a}" if a == b else f"#{a}-{b}" for a, b in spans)


COMMANDS: list[click.Command] = [check]
