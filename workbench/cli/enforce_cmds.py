"""`workbench enforce FILE`: the glossary enforced on existing English, line by line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench.cli._common import Context, err, glossary_folder
from workbench.core.atomic import atomic_write_text
from workbench.core.enforce import Enforced, enforce_many
from workbench.core.formats.pairs import Pair, read_pairs, read_tsv_pairs
from workbench.core.formats.txt import escape_line
from workbench.core.glossary.folder import load_glossary


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["tsv", "json"]),
              help="tsv: the normalized English, one line per input line; json: one JSON "
                   "object per input line, with each change, its reason and confidence "
                   "[default: tsv, or json for an --output ending in .json or .jsonl].")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the terminal.")
@click.option("--glossary", "glossary_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Glossary folder [default: the project's glossary/].")
@click.pass_obj
def enforce(ctx: Context, file: Path, fmt: str | None, output: Path | None,
            glossary_dir: Path | None) -> None:
    """Normalize existing English with the glossary, one line per input line.

    FILE holds Japanese sources and their English: tab-separated lines (the source, a
    tab, the English; an optional `ja TAB en` header), a TMX, or a `<doc>.ja.txt` beside
    its `<doc>.en.txt` (either may be given). `-` reads tab-separated lines from standard
    input. Each English is rewritten as `workbench review` shows it in the Normalized pane:
    listed variants, other romanizations of a name and misspellings become the canonical
    form; rewrites enforcement is not sure of are only suggested (json lists them).
    """
    glossary = load_glossary(glossary_dir or glossary_folder(ctx))
    pairs = read_tsv_pairs(sys.stdin.read(), "<stdin>") if str(file) == "-" else \
        read_pairs(file)
    rows = [p for p in pairs if p.english is not None]
    results = dict(zip((p.line for p in rows),
                       enforce_many([p.source for p in rows], [p.english or "" for p in rows],
                                    glossary), strict=True))
    fmt = fmt or ("json" if output is not None and output.suffix.lower() in
                  (".json", ".jsonl") else "tsv")
    lines = [_json_line(p, results.get(p.line)) if fmt == "json" else
             _tsv_line(p, results.get(p.line)) for p in pairs]
    text = "".join(line + "\n" for line in lines)
    if output is not None:
        atomic_write_text(output, text)
    else:
        click.echo(text, nl=False)
    changes = sum(len(r.changes) for r in results.values())
    offered = sum(len(r.suggestions) for r in results.values())
    err.print(f"{len(rows)} lines: {changes} rewrites, {offered} suggested"
              + (f"; wrote {output}" if output is not None else ""))


def _tsv_line(pair: Pair, result: Enforced | None) -> str:
    if result is None:
        return pair.as_is
    return escape_line(result.text)


def _json_line(pair: Pair, result: Enforced | None) -> str:
    if result is None:
        return json.dumps({"line": pair.line, "text": pair.as_is}, ensure_ascii=False)
    return json.dumps({
        "line": pair.line, "source": pair.source, "english": pair.english,
        "normalized": result.text,
        "changes": [c.as_dict() for c in result.changes],
        "suggestions": [c.as_dict() for c in result.suggestions],
        "missing": [e.en for e in result.missing]}, ensure_ascii=False)


COMMANDS = [enforce]
