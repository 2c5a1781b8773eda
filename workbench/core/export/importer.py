"""Reviewed finals and statuses from a bilingual workbook back into the project.

All or nothing: every sheet is checked first (header, merged cells, added, deleted or
duplicated rows, status words) and any problem stops the import with an ExportError naming
sheet and row. Then each row is merged three ways, by segment id, against what was exported
(the hidden `_workbench` sheet) and what the project holds now:

- the row is as exported: unchanged (even if the project moved on since);
- the row was edited and the project still holds what was exported: updated;
- the row was edited and so was the project (differently), or the segment's source no
  longer matches, or the segment left the project: a conflict, reported and not applied.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import ExportError
from workbench.core.export.ooxml import column_letter
from workbench.core.export.xlsx import COLUMNS, MANIFEST_COLUMNS, MANIFEST_SHEET
from workbench.core.project import STATUSES, Project

ORIGIN = "import"
_MAX_LISTED = 20
_XSTRING_ESCAPE = re.compile(r"_x(000[0-8BCEFbcef]|001[0-9A-Fa-f]|FFF[EFef]|005[Ff])_")


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
class ImportReport:
    """What an import changed (or, with dry_run, would change)."""

    updated: list[str]
    unchanged: int
    conflicts: list[Conflict]
    dry_run: bool


@dataclass(frozen=True)
class _Exported:
    sheet: str
    row: int
    id: str
    doc: str
    final: str
    status: str


@dataclass(frozen=True)
class SheetRow:
    """One segment row of a bilingual workbook as the reviewer left it."""

    sheet: str
    row: int
    id: str
    source: str
    final: str
    status: str


def read_xlsx(path: Path) -> list[SheetRow]:
    """The segment rows of a bilingual workbook, checked: ExportError names sheet and row."""
    return _read(Path(path))[1]


def _read(path: Path) -> tuple[dict[str, _Exported], list[SheetRow]]:
    book = _load(path)
    exported = _read_manifest(book, path)
    return exported, _read_sheets(book, path, exported)


def import_xlsx(project: Project, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Merge a reviewed bilingual workbook into the project (one transaction, origin "import").

    Raises ExportError, applying nothing, when a sheet is malformed.
    """
    exported, rows = _read(Path(path))
    current = {r.id: r for doc in sorted({e.doc for e in exported.values()})
               for r in project.segments(doc)}

    updated: list[str] = []
    changes: list[tuple[str, str | None, str | None]] = []
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
        changes.append((row.id, row.final if row.final != now_final else None,
                        status if status != now.status else None))
        updated.append(row.id)
    if changes and not dry_run:
        project.update_many(changes, origin=ORIGIN)
    return ImportReport(updated, unchanged, conflicts, dry_run)


def _same_text(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load(path: Path) -> Any:
    from openpyxl import load_workbook  # imported here: it is slow to import

    if not path.is_file():
        raise ExportError("no such file", path=path)
    try:
        return load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise ExportError(f"not a readable Excel workbook ({exc})", path=path,
                          hint="import takes an .xlsx written by `workbench export --format "
                               "xlsx`, edited and saved as .xlsx.") from None


def _text(value: Any) -> str:
    """A cell's value as the text a reviewer sees.

    SpreadsheetML spells control characters _xHHHH_ and a literal `_x` as `_x005F_x`;
    openpyxl decodes neither in inline strings, so they are decoded here. (It strips the
    `_x005F_` of shared strings itself, so in a workbook re-saved by Excel a literal
    `_x000B_` typed as text would read as the control character: rare enough to accept.)
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "_x" in text:
        text = _XSTRING_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


class _Problems:
    """Malformed-sheet findings, raised together so a reviewer fixes them in one go."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, sheet: str, row: int | None, message: str) -> None:
        where = f"sheet {sheet!r}" + (f" row {row}" if row is not None else "")
        self.items.append(f"{where}: {message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        shown = self.items[:_MAX_LISTED]
        more = len(self.items) - len(shown)
        lines = "\n  ".join(shown + ([f"… and {more} more"] if more else []))
        noun = "problem" if len(self.items) == 1 else "problems"
        raise ExportError(f"{len(self.items)} {noun} in the workbook; nothing was imported:"
                          f"\n  {lines}", path=self.path,
                          hint="fix the sheet (or export a fresh one) and import again.")


def _read_manifest(book: Any, path: Path) -> dict[str, _Exported]:
    if MANIFEST_SHEET not in book.sheetnames:
        raise ExportError(f"no {MANIFEST_SHEET!r} sheet: not a bilingual workbook written by "
                          "`workbench export --format xlsx`, or that hidden sheet was deleted",
                          path=path, hint="export a fresh workbook and copy the edits into it.")
    ws = book[MANIFEST_SHEET]
    problems = _Problems(path)
    header = tuple(_text(c) for c in next(ws.iter_rows(max_row=1, values_only=True), ()))
    if header[:len(MANIFEST_COLUMNS)] != MANIFEST_COLUMNS:
        problems.add(MANIFEST_SHEET, 1, "the hidden export record was edited")
        problems.raise_if_any()
    out: dict[str, _Exported] = {}
    for n, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        cells = [_text(v) for v in values[:len(MANIFEST_COLUMNS)]]
        if not any(cells):
            continue
        sheet, row, seg_id, doc, final, status = cells
        if not row.isdigit() or not seg_id or seg_id in out:
            problems.add(MANIFEST_SHEET, n, "the hidden export record was edited")
            continue
        out[seg_id] = _Exported(sheet, int(row), seg_id, doc, final, status)
    problems.raise_if_any()
    return out


def _read_sheets(book: Any, path: Path, exported: dict[str, _Exported]) -> list[SheetRow]:
    problems = _Problems(path)
    by_sheet: dict[str, list[_Exported]] = {}
    for e in exported.values():
        by_sheet.setdefault(e.sheet, []).append(e)
    rows: list[SheetRow] = []
    id_col, src_col = COLUMNS.index("id"), COLUMNS.index("source")
    final_col, status_col = COLUMNS.index("final"), COLUMNS.index("status")
    for name, expected in by_sheet.items():
        if name not in book.sheetnames:
            problems.add(name, None, "the sheet is missing (renamed or deleted?)")
            continue
        ws = book[name]
        for merged in sorted(ws.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)):
            problems.add(name, merged.min_row, f"merged cells {merged.coord}: unmerge them")
        header = [_text(v) for v in next(ws.iter_rows(max_row=1, values_only=True), ())]
        if not _header_ok(name, header, problems):
            continue  # rows cannot be read under a wrong header
        wanted = {e.id: e for e in expected}
        seen: dict[str, int] = {}
        for n, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
            cells = [_text(v) for v in values[:len(COLUMNS)]]
            cells += [""] * (len(COLUMNS) - len(cells))
            extra = [_text(v) for v in values[len(COLUMNS):]]
            if not any(cells) and not any(extra):
                continue
            seg_id = cells[id_col].strip()
            if not seg_id:
                problems.add(name, n, "no segment id (an added row? only edit final and status)")
                continue
            if seg_id not in wanted:
                where = exported.get(seg_id)
                problems.add(name, n, f"segment {seg_id} was not exported to this sheet"
                             + (f" (it belongs on sheet {where.sheet!r})" if where else
                                " (an added or pasted row?)"))
                continue
            if seg_id in seen:
                problems.add(name, n, f"segment {seg_id} appears twice (also row {seen[seg_id]})")
                continue
            seen[seg_id] = n
            if any(extra):
                problems.add(name, n, "cells right of the last column; remove them")
            status = cells[status_col].strip()
            if status not in STATUSES:
                problems.add(name, n, f"status {status!r} is not one of {', '.join(STATUSES)}")
            rows.append(SheetRow(name, n, seg_id, cells[src_col], cells[final_col], status))
        for e in expected:
            if e.id not in seen:
                problems.add(name, e.row, f"segment {e.id} (exported on this row) is missing: "
                             "a deleted row?")
    problems.raise_if_any()
    return rows


def _header_ok(sheet: str, header: list[str], problems: _Problems) -> bool:
    before = len(problems.items)
    got = [h.strip() for h in header]
    while got and not got[-1]:
        got.pop()
    for i, title in enumerate(COLUMNS):
        found = got[i] if i < len(got) else ""
        if found.casefold() != title.casefold():
            what = f"is {found!r}" if found else "is empty"
            missing = "" if title in got else " (missing)"
            problems.add(sheet, 1, f"column {column_letter(i)} should be {title!r}{missing} "
                         f"but {what}")
    for i in range(len(COLUMNS), len(got)):
        problems.add(sheet, 1, f"unexpected column {column_letter(i)} {got[i]!r}")
    return len(problems.items) == before
