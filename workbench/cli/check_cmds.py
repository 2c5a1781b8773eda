"""`workbench check`: QA of the project or of aligned files, as a report for people or CI.

The report for people reads at 80 columns: the census in two columns that wrap between
spellings (never inside one, never cutting a count), and the issues one per line under
their document, only the message wrapping.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

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
    out,
)
from workbench.cli.layout import hanging, two_columns, wrap_words
from workbench.core.atomic import atomic_write_text
from workbench.core.checks import CheckReport, check_records
from workbench.core.formats.aligned import read_aligned
from workbench.core.formats.issues import issues_csv, issues_json
from workbench.core.glossary.lint import checked_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.project import Project
from workbench.core.records import SEVERITIES, Issue, SegmentRecord

FORMATS = ("table", "csv", "json", "xlsx")
REPORT_FILE_WIDTH = 120
"""Columns of a text report written to a file (`-o report.txt`)."""


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
        glossary = checked_glossary(glossary_dir or glossary_folder(ctx))
        records: list[SegmentRecord] = []
        for path in paths:
            records.extend(read_aligned(path))
    else:
        glossary = checked_glossary(glossary_dir or glossary_folder(ctx))
        project = ctx.open_project(fallback_read_only=True)
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
        print_report(report, out)
        return
    else:
        buffer = io.StringIO()
        print_report(report, Console(file=buffer, width=REPORT_FILE_WIDTH, no_color=True,
                                     highlight=False, markup=False, emoji=False,
                                     soft_wrap=True))
        text = buffer.getvalue()
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        err.print(f"wrote {len(report.issues)} issues to {output}")


def print_report(report: CheckReport, console: Console) -> None:
    """The census, the issues under their documents, and the counts, at the console's width."""
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
    counts = report.counts()
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}"
                        for s, n in counts.items())
    console.print(f"{report.segments} segments checked: {summary}")


_SEVERITY_WIDTH = max(len(s) for s in SEVERITIES) + 1


def issue_lines(issues: Sequence[Issue], width: int) -> list[Text]:
    """Each document's name on a line, then its issues one per line: severity, number,
    `check: message`; only the message wraps (under itself). Untranslated segments are one
    line per document and severity, with their numbers."""
    by_doc: dict[str, list[tuple[str, int | None, str]]] = {}
    untranslated: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.check == "untranslated":
            untranslated.setdefault((issue.doc, issue.severity), []).append(issue)
            continue
        term = f" [{issue.term}]" if issue.term and issue.term not in issue.message else ""
        by_doc.setdefault(issue.doc, []).append(
            (issue.severity, issue.ordinal, f"{issue.check}{term}: {issue.message}"))
    for (doc, severity), group in untranslated.items():
        if len(group) == 1:
            by_doc.setdefault(doc, []).append(
                (severity, group[0].ordinal, f"untranslated: {group[0].message}"))
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
