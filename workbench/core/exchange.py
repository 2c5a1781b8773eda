"""Exchange: exports of reviewed work and imports of reviewed workbooks, over the formats.

Files go to the project's `aligned/` folder unless told otherwise:

- `<doc>.ja.txt` and `<doc>.en.txt`: line i of one is the translation of line i of the other
  (reviewed and approved segments; every segment with `include_all`); newlines escaped;
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

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.atomic import atomic_write_bytes
from workbench.core.batch import gc_paused
from workbench.core.checks import check_segments
from workbench.core.enforce import accepted_forms
from workbench.core.errors import ExportError
from workbench.core.formats.jsonl import jsonl_bytes
from workbench.core.formats.tmx import tmx_bytes
from workbench.core.formats.txt import txt_bytes
from workbench.core.formats.units import english, select
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
from workbench.core.project import Project
from workbench.core.records import DONE_STATUSES, Issue, SegmentRecord

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
                     out_dir: Path | None = None, glossary: Glossary | None = None
                     ) -> list[Path]:
    """Write the chosen formats of the chosen documents (all by default); return the paths.

    txt/tmx/jsonl are per document; xlsx is one workbook for all the documents. A file
    whose bytes would not change is left alone (its path is still returned).
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ExportError(f"unknown format {unknown[0]!r}; one of {', '.join(FORMATS)}")
    names = _documents(project, docs)
    out = Path(out_dir) if out_dir is not None else project.aligned_dir
    written: list[Path] = []
    for doc in names:
        records = project.segments(doc)
        for fmt in (f for f in ALIGNED_FORMATS if f in formats):
            for path, data in _aligned(out, doc, fmt, records, include_all):
                _write_if_changed(path, data)
                written.append(path)
    if "xlsx" in formats and names:
        glossary = glossary or load_glossary(project.glossary_dir)
        written.append(write_bilingual_xlsx(project, names, out / xlsx_name(names),
                                            glossary=glossary))
    return written


def refresh_aligned(project: Project, docs: Sequence[str] | None = None) -> list[Path]:
    """Bring aligned/ up to date with reviewed work (txt, tmx, jsonl); return files rewritten.

    For save and exit in the TUI: deterministic, and a file whose bytes would not change is
    not touched, so an unchanged document costs one read of its files.
    """
    out = project.aligned_dir
    changed: list[Path] = []
    for doc in _documents(project, docs):
        records = project.segments(doc)
        for fmt in ALIGNED_FORMATS:
            for path, data in _aligned(out, doc, fmt, records, False):
                if _write_if_changed(path, data):
                    changed.append(path)
    return changed


def write_bilingual_xlsx(project: Project, docs: Sequence[str], path: Path, *,
                         glossary: Glossary, issues: Sequence[Issue] | None = None) -> Path:
    """The reviewer's workbook of `docs` at `path`, with glossary highlights and issues.

    `issues` are the QA findings to show; None runs the per-segment checks here.
    """
    with gc_paused():
        tables = [DocumentTable(doc, project.segments(doc)) for doc in docs]
        notes = annotate(glossary, [r for t in tables for r in t.records], issues=issues)
        return bilingual_workbook(tables, notes).save(Path(path))


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
    return issues_workbook(issues, terms).save(Path(path))


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
             include_all: bool) -> list[tuple[Path, bytes]]:
    paths = aligned_paths(out, doc, fmt)
    if fmt == "txt":
        ja, en = txt_bytes(select(records, include_all))
        return [(paths[0], ja), (paths[1], en)]
    if fmt == "tmx":
        units = [r for r in select(records, include_all) if english(r)]
        # A TMX without a unit is no memory: none is written (the CLI says so).
        return [(paths[0], tmx_bytes(units))] if units else []
    return [(paths[0], jsonl_bytes(records))]


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write `data` atomically unless `path` already holds exactly these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write_bytes(path, data)
    return True


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
        if row.final == now_final and row.status == now.status:
            unchanged += 1
            continue
        if now_final != base.final or now.status != base.status:
            who = f" by {now.updated_by}" if now.updated_by else ""
            when = f" at {now.updated_at}" if now.updated_at else ""
            conflicts.append(Conflict(row.sheet, row.row, row.id,
                                      f"changed in the project since the export{who}{when}",
                                      row.final, now_final))
            continue
        status = row.status
        if row.final != now_final and status == "new":
            status = "draft"     # a final typed in the sheet is an edit, as in the workbench
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
    if changes and not dry_run:
        project.update_many(changes, origin=ORIGIN)
    return ImportReport(updated, unchanged, conflicts, dry_run, described)


def _same_text(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
