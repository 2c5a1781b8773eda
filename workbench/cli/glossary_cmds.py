"""Glossary commands: `glossary lint|suggest|find|add|import|export`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click
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
from workbench.core.atomic import atomic_write_text
from workbench.core.dictionary import DictionaryUnavailable, japanese_dictionary
from workbench.core.errors import GlossaryError
from workbench.core.formats.issues import safe_cell
from workbench.core.formats.xlsx_read import check_package
from workbench.core.glossary.folder import (
    glossary_files,
    import_file,
    load_glossary,
    suggestion_columns,
)
from workbench.core.glossary.formats import SUFFIXES, write_glossary
from workbench.core.glossary.lint import lint_glossary
from workbench.core.glossary.model import Entry
from workbench.core.glossary.suggest import GUESS_MARK, suggest_names, suggestions_tsv

# ============================================================================== glossary


@click.group()
def glossary() -> None:
    """Inspect and grow the glossary (every .tsv/.csv/.xlsx/.tbx file in glossary/)."""


def _glossary_dir(ctx: Context) -> Path:
    return glossary_folder(ctx)


@glossary.command()
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.pass_obj
def lint(ctx: Context, strict: bool) -> int:
    """Report bad rows, conflicts, duplicates, variants folding alike and empty fields,
    English still a romanized guess (Jojia for ジョージア: the dictionary says Georgia),
    English naming one dated event for a generic term (G8サミット → 33rd G8 summit), and
    suggested rows still commented out as guesses (`#? `).

    Exit status: 0 clean (warnings allowed unless --strict), 1 when problems are found.
    """
    folder = _glossary_dir(ctx)
    problems = lint_glossary(folder, japanese_dictionary())
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        out.print(Text.assemble(f"{where}: ", (problem.severity, STYLES[problem.severity]),
                                f": {problem.message}"))
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
    (appending the row adds the spelling to it) and a note "variant of <entry>?". The
    others get their English from the dictionary (JMdict, JMnedict: ベトナム → Vietnam,
    石破茂 → Shigeru Ishiba), from their own Latin spelling, or as a transliteration by
    the conventions of Russian and Turkic names (ミシュスチン → Mishustin); the note says
    where it came from, how often and where the name was found. A row whose English is a
    guess is written commented out (`#? `): the glossary skips it until a reviewer checks
    the English and takes the mark off (`glossary lint` lists those rows).
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
    dictionary = japanese_dictionary()
    found = suggest_names(texts, load_glossary(folder), min_count=min_count,
                          include_loanwords=include_all, dictionary=dictionary)
    text = suggestions_tsv(found, suggestion_columns(folder), header=not no_header)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
    flagged = sum(s.variant_of is not None for s in found)
    guesses = sum(s.guess for s in found)
    err.print(f"{len(found)} names not in the glossary ({flagged} look like variants of "
              f"entries; {guesses} with English to confirm, written commented out with "
              f"`{GUESS_MARK.strip()}`)")
    try:
        dictionary.lookup("辞書")
    except DictionaryUnavailable as exc:
        err.print(label("note", f"{exc}: names were transliterated instead"))
    return EXIT_OK


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
    out.print(f"{entry.en}: {' | '.join(entry.ja)}")
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
    if not source.is_file():        # a pipe or a device would never end
        raise GlossaryError("is not a regular file", path=source)
    if source.suffix.lower() == ".xlsx":
        check_package(source)       # size, rows and XML of an untrusted workbook first
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
    entries = load_glossary(_glossary_dir(ctx)).entries
    if target.suffix.lower() in (".csv", ".tsv"):
        entries = tuple(_defused(e) for e in entries)
    write_glossary(entries, target)
    out.print(f"exported {len(entries)} entries to {target}")
    return EXIT_OK


def _defused(entry: Entry) -> Entry:
    """An entry whose cells a spreadsheet would not take for formulas (CSV injection: a
    name written `=HYPERLINK(…)` or `@SUM(…)`): each cell's start defused as `safe_cell`
    does for issue reports."""
    def first(items: tuple[str, ...]) -> tuple[str, ...]:
        return (safe_cell(items[0]), *items[1:]) if items else items

    return replace(entry, en=safe_cell(entry.en), ja=first(entry.ja), type=safe_cell(entry.type),
                   en_variants=first(entry.en_variants), forbidden=first(entry.forbidden),
                   note=safe_cell(entry.note))


COMMANDS: list[click.Command] = [glossary]
