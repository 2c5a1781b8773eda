"""Alignment and segment repair: bring a translation in, list its beads, mend boundaries."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from workbench.cli._common import EXIT_ISSUES, EXIT_OK, Context, err, label, out
from workbench.core.errors import ProjectError
from workbench.core.project import Project
from workbench.core.records import SegmentRecord

if TYPE_CHECKING:
    from workbench.core.align.document import AlignedBead, AlignReport

# workbench.core.align is imported inside the commands: it pulls in numpy and pysbd, which
# `workbench status` should not pay for.
FORMATS = ("text", "tsv", "json")


def _tsv(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _numbers(ordinals: tuple[int, ...]) -> str:
    return ",".join(str(o) for o in ordinals) or "-"


@click.command()
@click.argument("doc")
@click.argument("translation", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-n", "--dry-run", is_flag=True,
              help="Show the beads and what would change, without changing anything.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a table and a report; tsv: segments, confidence, source, target; "
                   "json: an array of {segments, target, confidence} in document order.")
@click.option("--encoding", help="Read TRANSLATION in this encoding instead of detecting it.")
@click.option("--language", default="en", show_default=True,
              help="The language of TRANSLATION.")
@click.option("--dictionary/--no-dictionary", default=None,
              help="Use JMdict words as anchors (default: when jamdict is installed).")
@click.pass_obj
def align(ctx: Context, doc: str, translation: Path, dry_run: bool, fmt: str,
          encoding: str | None, language: str, dictionary: bool | None) -> int:
    """Align TRANSLATION, an existing translation of DOC, with DOC's segments.

    Each segment gets the sentences of the translation that go with it as its final
    (status draft, in the history as aligned:<file>); segments that go with one sentence
    together are merged first. Reviewed and approved finals are never overwritten: a
    different translation for one is reported as a conflict (exit 1). Sentences with no
    segment are kept with the document (`workbench beads DOC --orphans`). The same file
    again changes nothing; a newer one says which sentences moved.
    """
    from workbench.core.align.document import align_document

    project = ctx.open_project(fallback_read_only=dry_run)
    report = align_document(project, doc, translation, language=language, encoding=encoding,
                            dictionary=dictionary, dry_run=dry_run or not project.writable)
    if fmt == "json":
        click.echo(json.dumps([b.as_json() for b in report.beads], ensure_ascii=False,
                              indent=1))
    elif fmt == "tsv":
        click.echo("segments\tconfidence\tsource\ttarget")
        for bead in report.beads:
            click.echo(f"{','.join(map(str, bead.segments))}\t{bead.confidence:.3f}\t"
                       f"{_tsv(''.join(bead.sources))}\t{_tsv(' ||| '.join(bead.target))}")
    else:
        _print_beads(report.beads)
    _print_report(report)
    return EXIT_ISSUES if report.conflicts else EXIT_OK


def _print_beads(beads: list[AlignedBead]) -> None:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("segments", justify="right", no_wrap=True)
    table.add_column("conf", justify="right")
    table.add_column("source", no_wrap=True, max_width=30)
    table.add_column("translation", no_wrap=True, max_width=60)
    for bead in beads:
        style = "" if bead.confidence >= 0.5 else "yellow"
        table.add_row(_numbers(bead.segments), f"{bead.confidence:.2f}",
                      _short("".join(bead.sources), 30),
                      _short(" ".join(bead.target), 60) or Text("(none)", style="dim"),
                      style=style)
    out.print(table)


def _print_report(report: AlignReport) -> None:
    kinds = Counter(f"{len(b.segments)}-{len(b.target)}" for b in report.beads)
    shown = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    low = sum(1 for b in report.beads if b.confidence < 0.5)
    err.print(f"{report.doc} ← {report.file}: {len(report.beads)} beads ({shown}); "
              f"{low} below 0.5 confidence; {report.ratio:.2f} characters of translation per "
              "source character")
    for warning in report.warnings:
        err.print(label("warning", warning))
    if report.deletions:
        reasons = Counter(d.reason for d in report.deletions)
        err.print("cleanup removed " + ", ".join(f"{n} {r}" for r, n in reasons.items()))
    if report.reused:
        err.print("the same file as the last alignment: its beads are kept as they were")
    would = "would " if report.dry_run else ""
    done = [f"{would}set {len(report.updated)} final{'s' if len(report.updated) != 1 else ''}"]
    if report.merged:
        done.append(f"{would}merge " + ", ".join("+".join(map(str, m))
                                                for m in report.merged[:8])
                    + (", …" if len(report.merged) > 8 else ""))
    if report.cleared:
        done.append(f"{would}take back {len(report.cleared)} earlier aligned final(s)")
    err.print("; ".join(done) + f"; {len(report.orphans)} sentence(s) with no segment, "
              f"{len(report.untranslated)} segment(s) with none")
    if report.moved or report.new_sentences or report.gone_sentences:
        err.print(f"since the last alignment: {len(report.moved)} sentence(s) moved, "
                  f"{report.new_sentences} new, {report.gone_sentences} gone")
        for move in report.moved[:20]:
            err.print(f"  moved: #{_numbers(move.before)} → #{_numbers(move.after)}  "
                             f"{_short(move.sentence, 60)}")
    for conflict in report.conflicts:
        err.print(f"conflict: #{conflict.ordinal} is {conflict.status}: "
                         f"{_short(conflict.final, 40)!r} kept, the file says "
                         f"{_short(conflict.proposed, 40)!r}")
    if report.dry_run:
        err.print("dry run: nothing was changed")


@click.command()
@click.argument("doc")
@click.option("--orphans", is_flag=True, help="Only sentences of the translation with no "
                                             "segment.")
@click.option("--below", type=float, default=None,
              help="Only beads with a confidence below this (0 to 1).")
@click.option("--limit", type=int, default=None, help="Show at most this many beads.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: a table; tsv and json: every field.")
@click.pass_obj
def beads(ctx: Context, doc: str, orphans: bool, below: float | None, limit: int | None,
          fmt: str) -> int:
    """The beads of DOC's last alignment, least confident first: what to review."""
    from workbench.core.align.beads import least_sure

    project = ctx.open_project(fallback_read_only=True)
    name = project.resolve_document(doc)
    found = [b for b in least_sure(project, name)
             if (not orphans or b.orphan) and (below is None or b.confidence < below)]
    found = found[:limit] if limit is not None else found
    if fmt == "json":
        click.echo(json.dumps([{"bead": b.position, "segments": list(b.ordinals),
                                "after": b.after_ordinal, "target": list(b.target),
                                "line": b.line, "confidence": round(b.confidence, 3)}
                               for b in found], ensure_ascii=False, indent=1))
        return EXIT_OK
    if fmt == "tsv":
        click.echo("bead\tsegments\tafter\tconfidence\tline\ttarget")
        for b in found:
            click.echo(f"{b.position}\t{','.join(map(str, b.ordinals))}\t"
                       f"{b.after_ordinal or ''}\t{b.confidence:.3f}\t{b.line or ''}\t"
                       f"{_tsv(' ||| '.join(b.target))}")
        return EXIT_OK
    if not found:
        out.print(f"no beads of {name}" + (" to show" if orphans or below is not None else
                                          ": align a translation first (`workbench align`)"))
        return EXIT_OK
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column, justify in (("bead", "right"), ("segments", "right"), ("conf", "right"),
                            ("line", "right"), ("translation", "left")):
        table.add_column(column, justify=justify, no_wrap=column != "translation")  # type: ignore[arg-type]
    for b in found:
        where = _numbers(b.ordinals) if not b.orphan else \
            f"after {b.after_ordinal}" if b.after_ordinal else "start"
        table.add_row(str(b.position), where, f"{b.confidence:.2f}", str(b.line or ""),
                      " ".join(b.target) or Text("(none)", style="dim"))
    out.print(table)
    return EXIT_OK


@click.group()
def repair() -> None:
    """Mend segment boundaries: merge, split, move a translated sentence, undo.

    Segments are named by document and number (as `workbench status` and the review
    show them). Each repair keeps the work, is saved at once, and comes back after a new
    ingest of the same source.
    """


def _segment(project: Project, doc: str, number: int) -> SegmentRecord:
    name = project.resolve_document(doc)
    for record in project.segments(name):
        if record.ordinal == number:
            return record
    raise ProjectError(f"{name} has no segment #{number}", path=project.root,
                       hint=f"its segments are numbered 1 to {project.active_count(name)}.")


def _show(records: list[SegmentRecord], verb: str) -> None:
    for record in records:
        out.print(f"{verb} #{record.ordinal} [{record.status}] "
                         f"{_short(record.source, 50)}  →  {_short(record.final or '', 60)}")


@repair.command(name="merge")
@click.argument("doc")
@click.argument("number", type=int)
@click.pass_obj
def merge_(ctx: Context, doc: str, number: int) -> int:
    """Merge segment NUMBER of DOC with the next one (their finals and MT joined)."""
    from workbench.core.repair import merge

    project = ctx.open_project()
    done = merge(project, _segment(project, doc, number).id)
    _show(done.segments, "merged into")
    return EXIT_OK


@repair.command(name="split")
@click.argument("doc")
@click.argument("number", type=int)
@click.option("--at", "offset", type=int, help="The character offset in the source where "
                                              "the second segment starts.")
@click.option("--after", "after", help="Split just after the first occurrence of this text.")
@click.pass_obj
def split_(ctx: Context, doc: str, number: int, offset: int | None, after: str | None) -> int:
    """Split segment NUMBER of DOC in two (its final and MT shared out by sentence)."""
    from workbench.core.repair import split

    project = ctx.open_project()
    record = _segment(project, doc, number)
    if (offset is None) == (after is None):
        raise click.UsageError("give the place to split at: --at OFFSET or --after TEXT")
    if after is not None:
        found = record.source.find(after)
        if found < 0:
            raise ProjectError(f"#{number} does not contain {after!r}",
                               hint=f"its source: {record.source}")
        offset = found + len(after)
    assert offset is not None
    done = split(project, record.id, offset)
    _show(done.segments, "made")
    return EXIT_OK


@repair.command(name="shift")
@click.argument("doc")
@click.argument("number", type=int)
@click.argument("direction", type=click.Choice(["up", "down"]))
@click.pass_obj
def shift_(ctx: Context, doc: str, number: int, direction: str) -> int:
    """Move a translated sentence of segment NUMBER to the segment before (up: its first
    sentence) or after it (down: its last)."""
    from workbench.core.repair import shift

    project = ctx.open_project()
    done = shift(project, _segment(project, doc, number).id, direction)
    _show(done.segments, "now")
    return EXIT_OK


@repair.command(name="attach")
@click.argument("doc")
@click.argument("bead", type=int)
@click.argument("direction", type=click.Choice(["up", "down"]))
@click.pass_obj
def attach_(ctx: Context, doc: str, bead: int, direction: str) -> int:
    """Give the translated sentences of BEAD, one of the last alignment with no segment
    (`workbench beads DOC --orphans`), to the segment before (up) or after it (down)."""
    from workbench.core.repair import shift_orphan

    project = ctx.open_project()
    done = shift_orphan(project, project.resolve_document(doc), bead, direction)
    _show(done.segments, "now")
    return EXIT_OK


@repair.command(name="undo")
@click.argument("doc")
@click.pass_obj
def undo_(ctx: Context, doc: str) -> int:
    """Take back the last repair of DOC."""
    from workbench.core.repair import undo

    project = ctx.open_project()
    done = undo(project, project.resolve_document(doc))
    out.print(f"undid the {done.repair.op} of {done.repair.at} by {done.repair.by}")
    _show(done.segments, "back:")
    return EXIT_OK


@repair.command(name="list")
@click.argument("doc")
@click.pass_obj
def list_(ctx: Context, doc: str) -> int:
    """The repairs of DOC in force, oldest first."""
    from workbench.core.repair import repairs

    project = ctx.open_project(fallback_read_only=True)
    name = project.resolve_document(doc)
    found = repairs(project, name)
    if not found:
        out.print(f"no repairs of {name}")
    for r in found:
        detail = f" at {r.detail['offset']}" if r.op == "split" else \
            f" {r.detail.get('direction', '')}: {_short(r.detail.get('sentence', ''), 50)}" \
            if r.op == "shift" else ""
        out.print(f"{r.seq:>4}  {r.at}  {r.by}  {r.origin}  {r.op}{detail}")
    return EXIT_OK


COMMANDS: list[click.Command] = [align, beads, repair]
