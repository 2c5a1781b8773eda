"""The bilingual workbook as a reviewer sees it: layout, formatting, highlights, summary;
the issues workbook; the small XLSX writer; and LibreOffice opening it (when installed)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from projects import DOC

from workbench.core.checks import check_segments
from workbench.core.errors import ExportError
from workbench.core.exchange import export_documents, write_issues_xlsx
from workbench.core.formats.ooxml import Column, Sheet, Workbook, column_letter
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.glossary.folder import load_glossary
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.records import STATUSES

TERM_RGB = "FF1F5FAD"
FLAGGED_RGB = "FFC00000"


@pytest.fixture
def book_path(tricky: Project, tmp_path: Path) -> Path:
    (path,) = export_documents(tricky, [DOC], ["xlsx"], out_dir=tmp_path)
    return path


def highlighted(cell_value: Any) -> list[tuple[str, str]]:
    """(text, colour) of each formatted run of a rich-text cell."""
    if not isinstance(cell_value, CellRichText):
        return []
    return [(part.text, part.font.color.rgb) for part in cell_value
            if isinstance(part, TextBlock) and part.font.b]


def test_sheets_summary_first_documents_then_hidden_record(book_path: Path) -> None:
    book = load_workbook(book_path)
    assert book.sheetnames == ["Summary", DOC, "_workbench"]
    assert book["_workbench"].sheet_state == "hidden"
    assert book.active.title == "Summary"


def test_document_sheet_layout(tricky: Project, book_path: Path) -> None:
    sheet = load_workbook(book_path)[DOC]
    assert tuple(c.value for c in sheet[1]) == COLUMNS
    assert all(c.font.b for c in sheet[1]), "bold header"
    assert sheet.freeze_panes == "C2", "header row and id/number columns frozen"
    assert sheet.auto_filter.ref == f"A1:I{len(tricky.segments(DOC)) + 1}"
    widths = {c: sheet.column_dimensions[column_letter(i)].width for i, c in enumerate(COLUMNS)}
    assert widths["source"] >= 40 and widths["final"] >= 40 and widths["no."] <= 8
    assert sum(widths.values()) <= 250, "narrow enough to print on one page width"
    for name in ("source", "MT", "normalized", "final", "glossary terms", "issues"):
        # The column's style wraps every cell, even one left empty for the reviewer.
        assert sheet.column_dimensions[column_letter(COLUMNS.index(name))].alignment.wrap_text
    assert sheet.cell(row=2, column=COLUMNS.index("source") + 1).alignment.wrap_text
    assert not sheet.column_dimensions["A"].alignment.wrap_text
    records = tricky.segments(DOC)
    for r, record in enumerate(records, 2):
        assert sheet.cell(row=r, column=1).value == record.id
        assert sheet.cell(row=r, column=2).value == record.ordinal
        assert sheet.cell(row=r, column=7).value == record.status


def test_status_is_a_validated_drop_down(tricky: Project, book_path: Path) -> None:
    sheet = load_workbook(book_path)[DOC]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"' + ",".join(STATUSES) + '"'
    assert validation.showErrorMessage and not validation.allow_blank
    last = len(tricky.segments(DOC)) + 1
    assert str(validation.sqref) == f"G2:G{last}"


def test_glossary_names_are_highlighted_in_source_and_target(book_path: Path) -> None:
    sheet = load_workbook(book_path, rich_text=True)[DOC]
    row = 4   # アゼルバイジャンとロシアの首脳が会談した。 / Leaders of Azerbaijan and Russia met.
    source = sheet.cell(row=row, column=COLUMNS.index("source") + 1).value
    final = sheet.cell(row=row, column=COLUMNS.index("final") + 1).value
    assert highlighted(source) == [("アゼルバイジャン", TERM_RGB), ("ロシア", TERM_RGB)]
    assert highlighted(final) == [("Azerbaijan", TERM_RGB), ("Russia", TERM_RGB)]
    assert str(final) == "Leaders of Azerbaijan and Russia met.\nA second line."
    terms = sheet.cell(row=row, column=COLUMNS.index("glossary terms") + 1).value
    assert terms == "アゼルバイジャン → Azerbaijan\nロシア → Russia"
    # A row without names stays plain text.
    assert isinstance(sheet.cell(row=2, column=COLUMNS.index("source") + 1).value, str)


def test_forbidden_rendering_is_flagged_and_listed_as_an_issue(tmp_path: Path) -> None:
    from projects import make_project

    glossary = "en\tja\ttype\tforbidden\nAzerbaijan\tアゼルバイジャン\tplace\tAzerbaidjan\n"
    root = make_project(tmp_path / "p", sources=("アゼルバイジャンの首都。",), glossary=glossary)
    with Project.open(root) as project:
        sync(project)
        (record,) = project.segments(DOC)
        project.update(record.id, final="The capital of Azerbaidjan.", status="reviewed")
        (path,) = export_documents(project, [DOC], ["xlsx"], out_dir=tmp_path)
    book = load_workbook(path, rich_text=True)
    sheet = book[DOC]
    final = sheet.cell(row=2, column=COLUMNS.index("final") + 1).value
    assert highlighted(final) == [("Azerbaidjan", FLAGGED_RGB)]
    issues = sheet.cell(row=2, column=COLUMNS.index("issues") + 1).value
    assert "forbidden" in str(issues) and "Azerbaidjan" in str(issues)
    summary = {row[0]: row for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["Summary"][1]]
    assert summary[DOC][header.index("term issues")] >= 1


def test_summary_counts_segments_by_status(tricky: Project, book_path: Path) -> None:
    sheet = load_workbook(book_path)["Summary"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["document", "sheet", "segments"]
    assert header[3:3 + len(STATUSES)] == list(STATUSES)
    rows = {r[0]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {DOC, "total"}
    doc = rows[DOC]
    assert (doc["segments"], doc["new"], doc["draft"], doc["reviewed"], doc["approved"]) == \
        (6, 1, 1, 3, 1)
    assert doc["done"] == round(4 / 6, 4)             # a fraction, shown as a percentage
    assert sheet.cell(row=2, column=header.index("done") + 1).number_format == "0.0%"
    assert rows["total"]["segments"] == 6


def test_long_and_clashing_document_names_get_legal_sheets(tmp_path: Path) -> None:
    from projects import make_project

    root = tmp_path / "p"
    long_name = "a-very-long-document-name-beyond-thirty-one-characters"
    make_project(root, doc=long_name + "-one")
    make_project(root, doc=long_name + "-two")
    make_project(root, doc="summary")
    with Project.open(root) as project:
        sync(project)
        (path,) = export_documents(project, None, ["xlsx"], out_dir=tmp_path / "out")
    assert path.name == "bilingual.xlsx"
    book = load_workbook(path)
    names = book.sheetnames
    assert names[0] == "Summary" and names[-1] == "_workbench"
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names) == 5
    summary = {r[0]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["summary"] == "summary~2"
    assert {summary[long_name + "-one"], summary[long_name + "-two"]} <= set(names)


def test_issues_workbook_for_check(tricky: Project, tmp_path: Path) -> None:
    glossary = load_glossary(tricky.glossary_dir)
    issues = check_segments(tricky.segments(DOC), glossary)
    assert issues, "the tricky project has findings (an empty reviewed final at least)"
    path = write_issues_xlsx(issues, tmp_path / "issues.xlsx", glossary=glossary)
    book = load_workbook(path)
    assert book.sheetnames == ["Issues", "By check"]
    sheet = book["Issues"]
    assert [c.value for c in sheet[1]] == ["document", "no.", "segment id", "severity", "check",
                                           "message", "source", "target", "term"]
    assert sheet.freeze_panes == "D2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[4], r[5]) for r in rows] == [(i.segment_id, i.check, i.message)
                                                  for i in issues]
    counts = list(book["By check"].iter_rows(min_row=2, values_only=True))
    assert counts[-1] == ("total", None, None, len(issues))


# ---------------------------------------------------------------------- the writer itself
def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 8, 25, 26, 27, 701, 702)] == \
        ["A", "I", "Z", "AA", "AB", "ZZ", "AAA"]


def test_sheet_names_are_made_legal_and_unique() -> None:
    book = Workbook()
    assert book.sheet_name("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert book.sheet_name("History") == "History~2", "a name Excel reserves"
    assert book.sheet_name("x" * 40) == "x" * 31
    assert book.sheet_name("X" * 40) == "X" * 29 + "~2"


def test_a_cell_longer_than_excel_allows_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    book.add(Sheet(book.sheet_name("s"), [Column("a", 10)], [("x" * 32768,)]))
    with pytest.raises(ExportError, match="sheet 's' cell A2: 32,768 characters, over Excel's "
                                          "limit of 32,767"):
        book.save(tmp_path / "x.xlsx")
    assert not list(tmp_path.iterdir()), "nothing left behind"


def test_values_the_writer_cannot_write_are_refused(tmp_path: Path) -> None:
    book = Workbook()
    book.add(Sheet(book.sheet_name("s"), [Column("a", 10)], [(True,)]))
    with pytest.raises(TypeError, match="bool"):
        book.save(tmp_path / "x.xlsx")


LONG = ("The leaders of Azerbaijan and Russia met in Baku and agreed to deepen cooperation in "
        "energy, transport and trade, to open a new consulate and to hold regular consultations "
        "between their foreign ministries on every question of common interest. ") * 3


def test_rows_grow_to_fit_their_wrapped_text(tricky: Project, tmp_path: Path) -> None:
    first = tricky.segments(DOC)[1]
    tricky.update(first.id, final=LONG, status="reviewed")
    (path,) = export_documents(tricky, [DOC], ["xlsx"], out_dir=tmp_path)
    sheet = load_workbook(path)[DOC]
    width = sheet.column_dimensions[column_letter(COLUMNS.index("final"))].width
    tall = sheet.row_dimensions[3]
    assert tall.customHeight and tall.height >= 15 * len(LONG) / width    # every line of it
    assert sheet.row_dimensions[4].height is None or sheet.row_dimensions[4].height < 60
    two_lines = sheet.row_dimensions[5]          # "Leaders … met.\nA second line."
    assert two_lines.height == 30


def test_the_sheets_print_landscape_on_one_page_width_with_the_header_repeated(
        book_path: Path) -> None:
    book = load_workbook(book_path)
    for name in ("Summary", DOC):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.print_options.gridLines


# ---------------------------------------------------------------------- LibreOffice
def _soffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_workbook(tricky: Project, book_path: Path,
                                           tmp_path: Path) -> None:
    out = tmp_path / "lo"
    # Each sheet to its own CSV (UTF-8, quoted), as `libreoffice --convert-to csv` does for
    # the first sheet; a separate profile so a running LibreOffice does not interfere.
    proc = subprocess.run(
        [str(_soffice()), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,"
         "false,-1", "--outdir", str(out), str(book_path)],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    sheet_csv = out / f"{book_path.stem}-{DOC}.csv"
    assert sheet_csv.exists(), proc.stdout + proc.stderr
    with sheet_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == COLUMNS
    records = tricky.segments(DOC)
    src, final = COLUMNS.index("source"), COLUMNS.index("final")
    assert [(r[src], r[final]) for r in rows[1:]] == [(x.source, x.final or "") for x in records]


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed")
def test_workbook_resaved_by_libreoffice_imports(tricky: Project, book_path: Path,
                                                 tmp_path: Path) -> None:
    """A reviewer's LibreOffice rewrites the file its own way (shared strings, its styles)."""
    from workbench.core.exchange import import_xlsx

    book = load_workbook(book_path)
    book[DOC].cell(row=3, column=COLUMNS.index("final") + 1).value = "Edited & re-saved 😀."
    book.save(book_path)
    out = tmp_path / "lo"
    proc = subprocess.run(
        [str(_soffice()), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(book_path)],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = import_xlsx(tricky, out / book_path.name)
    second = tricky.segments(DOC)[1]
    assert (report.updated, report.unchanged, report.conflicts) == ([second.id], 5, [])
    assert second.final == "Edited & re-saved 😀."


def _pdftotext() -> str | None:
    return shutil.which("pdftotext")


@pytest.mark.slow
@pytest.mark.skipif(_soffice() is None or _pdftotext() is None,
                    reason="LibreOffice or poppler-utils is not installed")
def test_libreoffice_prints_every_column_on_one_landscape_page(tricky: Project,
                                                                tmp_path: Path) -> None:
    tricky.update(tricky.segments(DOC)[1].id, final=LONG, status="reviewed")
    (book,) = export_documents(tricky, [DOC], ["xlsx"], out_dir=tmp_path)
    proc = subprocess.run(
        [str(_soffice()), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(book)],
        capture_output=True, text=True, timeout=120)
    pdf = tmp_path / "pdf" / f"{book.stem}.pdf"
    assert proc.returncode == 0 and pdf.exists(), proc.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    assert float(size[2]) > float(size[4]), "landscape"
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages == 2                          # the summary, then the document on one page
    text = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf), "-"],
                          capture_output=True, text=True).stdout
    header = next(line for line in text.splitlines() if line.lstrip().startswith("id"))
    assert header.split() == ["id", "no.", "source", "MT", "normalized", "final", "status",
                              "glossary", "terms", "issues"]


def test_a_japanese_line_counts_double_width_for_its_row_height(tmp_path: Path) -> None:
    """A line of Japanese with fewer characters than its column holds digits, but more
    than half as many, still takes two lines (each character is two digits wide)."""
    from workbench.core.formats.ooxml import Column, Sheet, Style, Workbook

    book = Workbook()
    japanese = "アゼルバイジャンとロシアの首脳はバクーで会談した。" * 2      # 50 characters
    wrapped = book.style(Style(wrap=True))
    book.add(Sheet(book.sheet_name("s"), [Column("a", 60, wrapped)], [(japanese,), ("短い",)]))
    sheet = load_workbook(book.save(tmp_path / "x.xlsx"))["s"]
    assert sheet.row_dimensions[2].height == 30
    assert not sheet.row_dimensions[3].customHeight
