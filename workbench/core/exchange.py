"""Exchange: exports of reviewed work and imports of reviewed workbooks, over the formats.

Files go to the project's `aligned/` folder unless told otherwise:

- `<doc>.ja.txt` and `<doc>.en.txt`: line i of one is the translation of line i of the other
  (reviewed and approved segments; every segment with `include_all`); newlines escaped; a
  merged segment (`workbench.core.repair`) is one line on both sides;
- `<doc>.tmx`: TMX 1.4b, srclang ja, one unit per segment of those that has English;
- `<doc>.jsonl`: every field of every segment, one JSON object a line;
- `<doc>.xlsx` (one document) or `bilingual.xlsx` (several): the reviewer's workbook.

Every file is written atomically and the same state gives the same bytes. Blocking work here
runs off the UI thread in the TUI.

An import merges a workbook three ways, by segment id, against what was exported (the
hidden `_workbench` sheet) and what the project holds now:

- the row is as exported: unchanged (even if the project moved on since);
- the row was edited and the project still holds what was exported: updated;
- the row was edited and so was the project (differently), or the segment's source no
  longer matches, or the segment left the project: a conflict, reported and not applied.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.atomic import atomic_write_bytes, clean_stale_temps
from workbench.core.batch import gc_paused
from workbench.core.checks import check_segments
from workbench.core.decode import read_bytes
from workbench.core.enforce import accepted_forms
from workbench.core.errors import ExportError, SourceError, WorkbenchError
from workbench.core.formats.aligned import parse_aligned
from workbench.core.formats.jsonl import jsonl_bytes
from workbench.core.formats.tmx import tmx_bytes
from workbench.core.formats.txt import txt_bytes
from workbench.core.formats.units import MAX_ALIGNED_BYTES, english, select
from workbench.core.formats.xlsx import (
    Annotations,
    DocumentTable,
    TermRow,
    bilingual_workbook,
    issues_workbook,
)
from workbench.core.formats.xlsx_read import read_workbook
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Entry, Glossary, Hit
from workbench.core.memory.analysis import summary_figures
from workbench.core.memory.lookup import ProjectMemory
from workbench.core.memory.repetitions import fill_repetitions
from workbench.core.project import Project
from workbench.core.records import DONE_STATUSES, Issue, SegmentRecord
from workbench.core.repair import merged_parts
from workbench.core.state import describe_os_error

ORIGIN = "import"


FORMATS: tuple[str, ...] = ("txt", "tmx", "jsonl", "xlsx")
ALIGNED_FORMATS: tuple[str, ...] = ("txt", "tmx", "jsonl")
MULTI_DOC_WORKBOOK = "bilingual.xlsx"


def aligned_paths(out_dir: Path, doc: str, fmt: str) -> list[Path]:
    """The files one format of one document is written to."""
    if fmt == "txt":
        return [out_dir / f"{doc}.ja.txt", out_dir / f"{doc}.en.txt"]
    if fmt in ("tmx", "jsonl", "xlsx"):
        return [out_dir / f"{doc}.{fmt}"]
    raise ExportError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")


def xlsx_name(docs: Sequence[str]) -> str:
    """The workbook's file name: the document's for one, `bilingual.xlsx` for several."""
    return f"{docs[0]}.xlsx" if len(docs) == 1 else MULTI_DOC_WORKBOOK


def export_documents(project: Project, docs: Sequence[str] | None = None,
                     formats: Sequence[str] = ("txt",), *, include_all: bool = False,
                     out_dir: Path | None = None, glossary: Glossary | None = None,
                     force: bool = False, analysis: bool = True) -> list[Path]:
    """Write the chosen formats of the chosen documents (all by default); return the paths.

    txt/tmx/jsonl are per document; xlsx is one workbook for all the documents, with the
    memory analysis on its summary (unless `analysis` is False). A file whose bytes would
    not change is left alone (its path is still returned). A document whose files would
    lose reviewed units the state does not account for is not written (see `DroppedWork`)
    unless `force`; the others are, and then the refusal is raised.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format {unknown[0]!r}; one of {', '.join(FORMATS)}")
    names = _documents(project, docs)
    out = Path(out_dir) if out_dir is not None else project.aligned_dir
    clean_stale_temps(out)
    written: list[Path] = []
    refused: list[DroppedWork] = []
    for doc in names:
        records = project.segments(doc)
        merged = merged_parts(project, doc)
        planned = [_Planned(fmt, _aligned(out, doc, fmt, records, include_all, merged))
                   for fmt in ALIGNED_FORMATS if fmt in formats]
        dropped = [] if force else _dropped_work(project, doc, planned)
        if dropped:
            refused.extend(dropped)
            continue
        for plan in planned:
            plan.write()
            written.extend(path for path, _ in plan.files)
    if "xlsx" in formats and names:
        glossary = glossary or load_glossary(project.glossary_dir)
        figures = None
        if analysis:
            with ProjectMemory.open(project, glossary) as memory:
                figures = summary_figures(project, names, memory)
        written.append(write_bilingual_xlsx(project, names, out / xlsx_name(names),
                                            glossary=glossary, analysis=figures))
    _refuse(refused)
    return written


def refresh_aligned(project: Project, docs: Sequence[str] | None = None) -> list[Path]:
    """Bring aligned/ up to date with reviewed work (txt, tmx, jsonl); return files rewritten.

    For save and exit in the TUI: deterministic, and a file whose bytes would not change is
    not touched, so an unchanged document costs one read of its files. Reviewed units the
    state does not account for are never dropped here (`DroppedWork` is raised instead).
    """
    out = project.aligned_dir
    clean_stale_temps(out)
    changed: list[Path] = []
    refused: list[DroppedWork] = []
    for doc in _documents(project, docs):
        records = project.segments(doc)
        merged = merged_parts(project, doc)
        planned = [_Planned(fmt, _aligned(out, doc, fmt, records, False, merged))
                   for fmt in ALIGNED_FORMATS]
        dropped = _dropped_work(project, doc, planned)
        if dropped:
            refused.extend(dropped)
            continue
        for plan in planned:
            changed.extend(plan.write())
    _refuse(refused)
    return changed


# ------------------------------------------------------------------------ the export guard
@dataclass(frozen=True)
class DroppedWork:
    """An aligned file that an export would rewrite without reviewed units it holds, when
    the state does not say why (a lost, replaced or older state would empty aligned/)."""

    doc: str
    path: Path
    units: tuple[SegmentRecord, ...]

    def __str__(self) -> str:
        shown = ", ".join(f"{'#' if u.id else 'line '}{u.ordinal} {_excerpt(u.source)!r}"
                          for u in self.units[:3])
        more = f" and {len(self.units) - 3} more" if len(self.units) > 3 else ""
        return f"{self.path}: would drop {_units(len(self.units))}: {shown}{more}"


def _units(n: int) -> str:
    return f"{n} reviewed unit{'s' if n != 1 else ''}"


def _excerpt(text: str, width: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _refuse(refused: Sequence[DroppedWork]) -> None:
    if not refused:
        return
    per_doc: dict[str, int] = {}
    for r in refused:       # the same units are in each format of a document: counted once
        per_doc[r.doc] = max(per_doc.get(r.doc, 0), len(r.units))
    docs = ", ".join(sorted(per_doc))
    raise ExportError(
        f"not written: {_units(sum(per_doc.values()))} of {docs} would be dropped from "
        "aligned/, and the project state does not say why: it may have been replaced, "
        "restored from an older backup or rebuilt", path=refused[0].path.parent,
        hint="`workbench state rebuild` takes them back into the state; `workbench export "
             "--force` drops them", details=[str(r) for r in refused])


class _Planned:
    """The files of one format of one document about to be written, beside what they hold
    now (read once: for the guard, and to leave a file whose bytes would not change)."""

    def __init__(self, fmt: str, files: Sequence[tuple[Path, bytes]]) -> None:
        self.fmt = fmt
        self.files = list(files)
        self.current = [_current_bytes(path) for path, _ in self.files]

    @property
    def changed(self) -> bool:
        return any(c != data for c, (_, data) in zip(self.current, self.files, strict=True))

    def write(self) -> list[Path]:
        """Write the files whose bytes change; return them."""
        out = []
        for current, (path, data) in zip(self.current, self.files, strict=True):
            if current != data:
                _write(path, data)
                out.append(path)
        return out


def _dropped_work(project: Project, doc: str, planned: Sequence[_Planned]
                  ) -> list[DroppedWork]:
    """The files of `doc` that would lose reviewed units the state does not account for.

    A unit may leave a file only when the state knows its segment and says why: the
    segment was set aside (its source sentence changed or went), or it was changed after
    the file was written and is no longer reviewed or approved. A state that never saw
    the unit, or only an older version of it, cannot say that."""
    found: list[DroppedWork] = []
    known: list[tuple[SegmentRecord, bool]] | None = None
    for plan in planned:
        if not plan.changed:
            continue
        for (path, _), current in zip(plan.files, plan.current, strict=True):
            if current is None and (path.is_file() or path.is_symlink() or path.exists()):
                raise ExportError("cannot be read to see what rewriting it would drop",
                                  path=path, hint="move it aside, or `workbench export "
                                                  "--force` replaces it")
        old = [(path, c) for (path, _), c in zip(plan.files, plan.current, strict=True)
               if c is not None]
        if len(old) != len(plan.files):
            continue        # nothing there to lose (or a txt pair missing a half)
        try:
            before = parse_aligned(plan.fmt, doc, old)
        except WorkbenchError as exc:
            raise ExportError(f"cannot be read to see what rewriting it would drop "
                              f"({exc.detail})", path=exc.path or old[-1][0], line=exc.line,
                              hint="move it aside, or `workbench export --force` replaces "
                                   "it") from None
        after = Counter(_unit_key(r) for r in parse_aligned(plan.fmt, doc, plan.files)
                        if r.done)
        leaving: list[SegmentRecord] = []
        for record in before:
            if not record.done:
                continue
            key = _unit_key(record)
            if after[key]:
                after[key] -= 1
            else:
                leaving.append(record)
        if not leaving:
            continue
        if known is None:
            known = project.every_segment(doc)
        unexplained = tuple(u for u in leaving if not _accounted_for(u, known))
        if unexplained:
            found.append(DroppedWork(doc, old[-1][0], unexplained))
    return found


def _unit_key(record: SegmentRecord) -> tuple[str, str]:
    return ("id", record.id) if record.id else ("source", record.source)


def _accounted_for(unit: SegmentRecord, known: Sequence[tuple[SegmentRecord, bool]]) -> bool:
    for record, active in known:
        if (unit.id and record.id != unit.id) or (not unit.id and record.source != unit.source):
            continue
        if not active:
            return True         # set aside: the source changed, and ingest said so
        newer = unit.updated_at is None or record.updated_at is None or \
            record.updated_at >= unit.updated_at
        if record.version > 0 and not record.done and newer:
            return True         # un-reviewed in the project since the file was written
    return False


def _current_bytes(path: Path) -> bytes | None:
    """What an aligned file holds now; None when there is none (or it is not a regular
    file: a folder, a pipe, a device; never opened, so never blocked on)."""
    try:
        return read_bytes(path, limit=MAX_ALIGNED_BYTES)
    except SourceError:
        return None


def write_bilingual_xlsx(project: Project, docs: Sequence[str], path: Path, *,
                         glossary: Glossary, issues: Sequence[Issue] | None = None,
                         analysis: dict[str, dict[str, int]] | None = None) -> Path:
    """The reviewer's workbook of `docs` at `path`, with glossary highlights and issues.

    `issues` are the QA findings to show; None runs the per-segment checks here.
    `analysis` (`summary_figures`) adds the memory analysis to the summary sheet.
    """
    with gc_paused():
        tables = [DocumentTable(doc, project.segments(doc)) for doc in docs]
        notes = annotate(glossary, [r for t in tables for r in t.records], issues=issues)
        notes.analysis = analysis or {}
        try:
            return bilingual_workbook(tables, notes).save(Path(path))
        except OSError as exc:
            raise write_error(exc, Path(path)) from exc


def write_issues_xlsx(issues: Sequence[Issue], path: Path, *,
                      glossary: Glossary | None = None) -> Path:
    """QA issues as a workbook (for `workbench check --format xlsx`), styled like the tables.

    With a glossary, its names are highlighted in the source and target cells, as in the
    bilingual workbook.
    """
    terms: dict[str, TermRow] = {}
    if glossary is not None:
        located = {i.segment_id: i.source for i in issues if i.segment_id and i.source}
        ids = list(located)
        for seg_id, row in zip(ids, TermFinder(glossary).rows([located[i] for i in ids]),
                               strict=True):
            if row is not None:
                terms[seg_id] = row
    try:
        return issues_workbook(issues, terms).save(Path(path))
    except OSError as exc:
        raise write_error(exc, Path(path)) from exc


def annotate(glossary: Glossary, records: Sequence[SegmentRecord], *,
             issues: Sequence[Issue] | None = None) -> Annotations:
    """Glossary terms of the records and their QA issues (checked here when `issues` is None)."""
    notes = Annotations()
    if issues is None:
        issues = check_segments(records, glossary) if len(glossary) else []
    for issue in issues:
        # Info findings ("no translation yet" on every new segment) would bury the rest.
        if issue.segment_id and issue.severity != "info":
            notes.issues.setdefault(issue.segment_id, []).append(issue)
    if len(glossary):
        rows = TermFinder(glossary).rows([r.source for r in records])
        notes.terms = {r.id: row for r, row in zip(records, rows, strict=True) if row}
    return notes


class TermFinder:
    """Glossary entries found in source texts, as the rows of a workbook show them."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary
        self._forms: dict[int, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}

    def _entry_forms(self, entry: Entry) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        # Entry.rendering is computed on each access: once per entry here.
        forms = self._forms.get(id(entry))
        if forms is None:
            forms = self._forms[id(entry)] = (
                entry.rendering, accepted_forms(entry),
                (*entry.en_variants, *entry.forbidden))
        return forms

    def rows(self, sources: Sequence[str]) -> list[TermRow | None]:
        """Per source: spans, names and English forms of the entries in it (None: none)."""
        return [self._row(hits) for hits in self.glossary.find_all(sources)]

    def _row(self, hits: Sequence[Hit]) -> TermRow | None:
        if not hits:
            return None
        terms: dict[tuple[str, str], None] = {}
        english: dict[str, None] = {}
        flagged: dict[str, None] = {}
        for hit in hits:
            rendering, accepted, wrong = self._entry_forms(hit.entry)
            terms[(hit.surface, rendering)] = None
            english.update(dict.fromkeys(accepted))
            flagged.update(dict.fromkeys(wrong))
        return TermRow(tuple((h.start, h.end) for h in hits), tuple(terms), tuple(english),
                       tuple(flagged))


def _documents(project: Project, docs: Sequence[str] | None) -> list[str]:
    if docs is None:
        return [d.name for d in project.documents()]
    return list(dict.fromkeys(project.resolve_document(d) for d in docs))


def _aligned(out: Path, doc: str, fmt: str, records: Sequence[SegmentRecord],
             include_all: bool, merged: dict[str, tuple[str, ...]]
             ) -> list[tuple[Path, bytes]]:
    paths = aligned_paths(out, doc, fmt)
    if fmt == "txt":
        ja, en = txt_bytes(select(records, include_all))
        return [(paths[0], ja), (paths[1], en)]
    if fmt == "tmx":
        units = [r for r in select(records, include_all) if english(r)]
        # A TMX without a unit is no memory: none is written (the CLI says so).
        return [(paths[0], tmx_bytes(units, merged))] if units else []
    return [(paths[0], jsonl_bytes(records, merged))]


def _write(path: Path, data: bytes) -> None:
    """Write `data` atomically; a refusal of the system is an ExportError naming the file."""
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise write_error(exc, path) from exc


def write_error(exc: OSError, path: Path) -> ExportError:
    """A write the system refused (a full disk, a read-only folder), named by its file;
    the file as it was is untouched (writes are atomic)."""
    return ExportError(f"cannot be written: {describe_os_error(exc)}", path=path,
                       hint="the file as it was is kept; nothing half-written is left")


@dataclass(frozen=True)
class Conflict:
    """A row that was not applied, and why."""

    sheet: str
    row: int
    segment_id: str
    reason: str
    sheet_final: str = ""
    project_final: str = ""

    def __str__(self) -> str:
        return f"sheet {self.sheet!r} row {self.row} (segment {self.segment_id}): {self.reason}"


@dataclass(frozen=True)
class Change:
    """One segment an import changes: where it is, and its final and status before and after
    (None: that field is not changed)."""

    segment_id: str
    doc: str
    ordinal: int
    final: tuple[str, str] | None
    status: tuple[str, str] | None

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"status {self.status[0]} → {self.status[1]}")
        if self.final is not None:
            parts.append(f"final {_shown(self.final[0])} → {_shown(self.final[1])}")
        return f"{self.doc} #{self.ordinal}: {'; '.join(parts)}"


def _shown(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[:width - 1] + "…")


@dataclass(frozen=True)
class ImportReport:
    """What an import changed (or, with dry_run, would change)."""

    updated: list[str]
    unchanged: int
    conflicts: list[Conflict]
    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    """The changes of `updated`, in the same order."""
    filled: list[str] = field(default_factory=list)
    """Repetitions of segments the import made reviewed or approved, filled from them."""


def import_xlsx(project: Project, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Merge a reviewed bilingual workbook into the project (one transaction, origin "import").

    Raises ExportError, applying nothing, when a sheet is malformed or an edited row would
    mark a segment reviewed or approved with no final translation.
    """
    exported, rows = read_workbook(Path(path))
    current = {r.id: r for doc in sorted({e.doc for e in exported.values()})
               for r in project.segments(doc)}

    updated: list[str] = []
    changes: list[tuple[str, str | None, str | None]] = []
    described: list[Change] = []
    empty_done: list[str] = []
    conflicts: list[Conflict] = []
    unchanged = 0
    for row in rows:
        base = exported[row.id]
        if row.final == base.final and row.status == base.status:
            unchanged += 1
            continue
        status = row.status
        if row.final != base.final and row.final and status == "new":
            status = "draft"     # a final typed in the sheet is an edit, as in the workbench
        now = current.get(row.id)
        if now is None:
            conflicts.append(Conflict(row.sheet, row.row, row.id,
                                      "the segment is no longer in the project (its source "
                                      "text changed or was removed)", row.final))
            continue
        if not _same_text(row.source, now.source):
            conflicts.append(Conflict(row.sheet, row.row, row.id,
                                      "the source in the sheet no longer matches the project",
                                      row.final, now.final or ""))
            continue
        now_final = now.final or ""
        if row.final == now_final and status == now.status:
            unchanged += 1      # the project holds the edit already (imported before)
            continue
        if now_final != base.final or now.status != base.status:
            who = f" by {now.updated_by}" if now.updated_by else ""
            when = f" at {now.updated_at}" if now.updated_at else ""
            conflicts.append(Conflict(row.sheet, row.row, row.id,
                                      f"changed in the project since the export{who}{when}",
                                      row.final, now_final))
            continue
        if status in DONE_STATUSES and not row.final.strip():
            empty_done.append(f"sheet {row.sheet!r} row {row.row}: {status} with an empty "
                              "final (write the English, or leave the status as it was)")
            continue
        changes.append((row.id, row.final if row.final != now_final else None,
                        status if status != now.status else None))
        described.append(Change(row.id, now.doc, now.ordinal,
                                (now_final, row.final) if row.final != now_final else None,
                                (now.status, status) if status != now.status else None))
        updated.append(row.id)
    if empty_done:
        lines = "\n  ".join(empty_done)
        raise ExportError(f"{len(empty_done)} row{'s' if len(empty_done) != 1 else ''} marked "
                          f"done with no English; nothing was imported:\n  {lines}", path=path,
                          hint="an empty final would be written to aligned/ as a blank line "
                               "that counts as done.")
    filled: list[str] = []
    if changes and not dry_run:
        # on the versions compared above: a reviewer's write since then is not overwritten
        with project.db.transaction():
            records = project.update_many(changes, origin=ORIGIN,
                                          expected={i: current[i].version for i, _, _ in changes})
            filled = [f.after.id for f in fill_repetitions(project, records, exclude=updated)]
    return ImportReport(updated, unchanged, conflicts, dry_run, described, filled)


def _same_text(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
