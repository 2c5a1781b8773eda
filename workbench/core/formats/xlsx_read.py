"""A bilingual workbook read back: its segment rows and the hidden export record, checked.

Every sheet is checked (header, merged cells, added, deleted or duplicated rows, status
words) and any problem is an ExportError naming sheet and row, all problems at once.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import ExportError
from workbench.core.formats.ooxml import MAX_CELL_CHARS, column_letter
from workbench.core.formats.xlsx import COLUMNS, MANIFEST_COLUMNS, MANIFEST_SHEET
from workbench.core.records import STATUSES

_MAX_LISTED = 20
_XSTRING_ESCAPE = re.compile(r"_x(000[0-8BCEFbcef]|001[0-9A-Fa-f]|FFF[EFef]|005[Ff])_")


@dataclass(frozen=True)
class ExportedRow:
    """A row as it was exported (the hidden record): what an edit is compared with."""

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


MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""The most a workbook may unpack to: twice a 100,000-segment bilingual workbook."""
MAX_ROWS = 500_000
"""Rows of all sheets together (a 100,000-segment workbook has some 200,000)."""
MAX_CELLS = 5_000_000
MAX_PARTS = 10_000
_SCAN_CHUNK = 1 << 20


def read_xlsx(path: Path) -> list[SheetRow]:
    """The segment rows of a bilingual workbook, checked: ExportError names sheet and row."""
    return read_workbook(Path(path))[1]


def read_workbook(path: Path) -> tuple[dict[str, ExportedRow], list[SheetRow]]:
    """The export record (by segment id) and the segment rows of a bilingual workbook."""
    book = _load(path)
    exported = _read_manifest(book, path)
    return exported, _read_sheets(book, path, exported)


def check_package(path: Path) -> None:
    """Refuse, before any XML is parsed, a workbook that is not a plain one: an archive that
    would unpack past MAX_UNPACKED_BYTES (a "zip bomb"), holds more than MAX_ROWS rows or
    MAX_CELLS cells, or whose XML declares a DOCTYPE or entities (never in a workbook; an
    entity nest expands without end). Counting streams the parts through zlib once: a second
    or two for the largest workbook allowed, at once for a bomb (its sizes are declared)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            if len(parts) > MAX_PARTS:
                raise ExportError(f"holds {len(parts)} files; a workbook has a few dozen",
                                  path=path, hint=_NOT_A_WORKBOOK)
            unpacked = sum(p.file_size for p in parts)
            if unpacked > MAX_UNPACKED_BYTES:
                raise ExportError(f"unpacks to {unpacked / 2**20:,.0f} MiB; workbooks are read "
                                  f"up to {MAX_UNPACKED_BYTES / 2**20:,.0f} MiB", path=path,
                                  hint="split the documents over several exports")
            rows = cells = 0
            for part in parts:
                if not part.filename.endswith((".xml", ".rels", ".vml")):
                    continue
                found = _scan_part(archive, part)
                if found["doctype"]:
                    raise ExportError(f"{part.filename} declares a DOCTYPE or XML entities: "
                                      "refused (a workbook never needs them)", path=path,
                                      hint=_NOT_A_WORKBOOK)
                rows += found["rows"]
                cells += found["cells"]
                if rows > MAX_ROWS or cells > MAX_CELLS:
                    raise ExportError(f"holds more than {MAX_ROWS:,} rows or {MAX_CELLS:,} "
                                      "cells; workbooks are read up to that", path=path,
                                      hint="split the documents over several exports")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            ValueError, zlib.error) as exc:
        raise ExportError(f"not a readable Excel workbook ({exc})", path=path,
                          hint=_NOT_A_WORKBOOK) from None
    except OSError as exc:
        raise ExportError(f"cannot be read: {exc.strerror or exc}", path=path) from None


def _scan_part(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> dict[str, int]:
    found = {"rows": 0, "cells": 0, "doctype": 0}
    tail = b""
    with archive.open(part) as fh:
        while chunk := fh.read(_SCAN_CHUNK):
            data = tail + chunk
            found["rows"] += data.count(b"<row ") + data.count(b"<row>")
            found["cells"] += data.count(b"<c ") + data.count(b"<c>")
            found["doctype"] += data.count(b"<!DOCTYPE") + data.count(b"<!ENTITY")
            tail = data[-8:]    # shorter than any token: none is counted twice
    return found


_NOT_A_WORKBOOK = ("import takes an .xlsx written by `workbench export --format xlsx`, edited "
                   "and saved as .xlsx")


def _load(path: Path) -> Any:
    from openpyxl import load_workbook  # imported here: it is slow to import

    _regular_file(path)
    check_package(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # openpyxl warns about what it leaves out
            return load_workbook(path, data_only=False)
    except Exception as exc:   # openpyxl raises many types for a damaged file
        raise ExportError(f"not a readable Excel workbook ({type(exc).__name__}: {exc})",
                          path=path, hint=_NOT_A_WORKBOOK) from None


def _regular_file(path: Path) -> None:
    """Refuse what is not a regular file (a folder, a FIFO, a device) before opening it."""
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise ExportError("no such file", path=path) from None
    except OSError as exc:
        raise ExportError(f"cannot be read: {exc.strerror or exc}", path=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise ExportError("is not a regular file (a folder, a pipe or a device)", path=path)


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


_KINDS = {"f": "a formula", "e": "an error value", "b": "a TRUE/FALSE value", "d": "a date"}


def _cell_text(cell: Any, sheet: str, problems: _Problems) -> str:
    """The text of an imported cell; a formula, an error value, a logical value or a date
    (what Excel makes of `=1+1`, `#REF!`, `True` or `2025-01-31` typed in) is a problem
    named by its cell, as is text over Excel's limit: the import takes text only."""
    kind = _KINDS.get(cell.data_type)
    value = cell.value
    if kind is not None and value is not None:
        shown = value if cell.data_type != "b" else str(value).upper()
        problems.add(sheet, cell.row, f"cell {cell.coordinate} holds {kind} ({shown}), not "
                     "text: format the cell as text and type it again")
        return ""
    text = _text(value)
    if len(text) > MAX_CELL_CHARS:
        problems.add(sheet, cell.row, f"cell {cell.coordinate} holds {len(text):,} characters; "
                     f"a cell holds at most {MAX_CELL_CHARS:,}")
        return ""
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
        if len(self.items) == 1:
            raise ExportError(f"{self.items[0]}; nothing was imported", path=self.path,
                              hint="fix the sheet, or export a fresh one, and import again")
        shown = self.items[:_MAX_LISTED]
        more = len(self.items) - len(shown)
        raise ExportError(f"{len(self.items)} problems in the workbook; nothing was imported",
                          path=self.path, hint="fix the sheet, or export a fresh one, and "
                                               "import again",
                          details=shown + ([f"… and {more} more"] if more else []))


def _read_manifest(book: Any, path: Path) -> dict[str, ExportedRow]:
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
    out: dict[str, ExportedRow] = {}
    for n, values in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        cells = [_text(v) for v in values[:len(MANIFEST_COLUMNS)]]
        cells += [""] * (len(MANIFEST_COLUMNS) - len(cells))
        if not any(cells):
            continue
        sheet, row, seg_id, doc, final, status = cells
        if not row.isdigit() or not seg_id or seg_id in out:
            problems.add(MANIFEST_SHEET, n, "the hidden export record was edited")
            continue
        out[seg_id] = ExportedRow(sheet, int(row), seg_id, doc, final, status)
    problems.raise_if_any()
    return out


_READ = ("id", "source", "final", "status")
"""The columns an import takes (their cells must hold text); the others are for reading."""


def _read_sheets(book: Any, path: Path, exported: dict[str, ExportedRow]) -> list[SheetRow]:
    problems = _Problems(path)
    by_sheet: dict[str, list[ExportedRow]] = {}
    for e in exported.values():
        by_sheet.setdefault(e.sheet, []).append(e)
    rows: list[SheetRow] = []
    read = [COLUMNS.index(c) for c in _READ]
    id_col, src_col, final_col, status_col = read
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
        for n, row_cells in enumerate(ws.iter_rows(min_row=2), 2):
            cells = [""] * len(COLUMNS)
            for i in read:
                if i < len(row_cells):
                    cells[i] = _cell_text(row_cells[i], name, problems)
            others = [c.value for i, c in enumerate(row_cells) if i not in read]
            extra = [_text(c.value) for c in row_cells[len(COLUMNS):]]
            if not any(cells) and all(v is None or v == "" for v in others):
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
