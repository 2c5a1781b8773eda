"""xlsx → edit with openpyxl → import → state: merges, conflicts, and every malformed sheet."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from projects import DOC

from workbench.core.errors import ExportError
from workbench.core.exchange import export_documents, import_xlsx
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.records import SegmentRecord

FINAL = COLUMNS.index("final") + 1   # 1-based columns, as openpyxl counts them
STATUS = COLUMNS.index("status") + 1
SOURCE = COLUMNS.index("source") + 1
ID = COLUMNS.index("id") + 1


def export_xlsx(project: Project, out: Path) -> Path:
    (path,) = export_documents(project, [DOC], ["xlsx"], out_dir=out)
    return path


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open the workbook with openpyxl as a reviewer's spreadsheet would, change, save."""
    book = load_workbook(path)
    change(book[DOC])
    book.save(path)
    return path


def state(project: Project) -> list[tuple[str | None, str]]:
    return [(r.final, r.status) for r in project.segments(DOC)]


@pytest.fixture
def workbook(tricky: Project, tmp_path: Path) -> Path:
    return export_xlsx(tricky, tmp_path / "out")


def test_two_edited_finals_update_exactly_those_two(tricky: Project,
                                                    workbook: Path) -> None:
    before = tricky.segments(DOC)

    def two_finals(sheet: Any) -> None:
        sheet.cell(row=3, column=FINAL).value = "An emoji sentence, reviewed again 😀."
        sheet.cell(row=7, column=FINAL).value = "A sentence not yet translated."
        sheet.cell(row=7, column=STATUS).value = "reviewed"

    report = import_xlsx(tricky, edit(workbook, two_finals))
    after = tricky.segments(DOC)
    assert report.updated == [before[1].id, before[5].id]
    assert report.unchanged == 4 and report.conflicts == [] and not report.dry_run
    assert after[1].final == "An emoji sentence, reviewed again 😀."
    assert (after[5].final, after[5].status) == ("A sentence not yet translated.", "reviewed")
    assert [(a.final, a.status) for i, a in enumerate(after) if i not in (1, 5)] == \
        [(b.final, b.status) for i, b in enumerate(before) if i not in (1, 5)]
    changes = [h for h in tricky.history() if h.origin == "import"]
    assert sorted((h.segment_id, h.field) for h in changes) == sorted(
        [(before[1].id, "final"), (before[5].id, "final"), (before[5].id, "status")])


def test_dry_run_reports_and_changes_nothing(tricky: Project, workbook: Path) -> None:
    edit(workbook, lambda s: setattr(s.cell(row=2, column=STATUS), "value", "rejected"))
    before = state(tricky)
    report = import_xlsx(tricky, workbook, dry_run=True)
    assert report.dry_run and len(report.updated) == 1
    assert state(tricky) == before
    assert import_xlsx(tricky, workbook).updated == report.updated
    assert state(tricky)[0] == (before[0][0], "rejected")


def test_the_report_says_where_each_change_is_and_what_it_is(tricky: Project,
                                                             workbook: Path) -> None:
    def edits(sheet: Any) -> None:
        sheet.cell(row=2, column=STATUS).value = "rejected"
        sheet.cell(row=7, column=FINAL).value = "A sentence not yet translated."

    report = import_xlsx(tricky, edit(workbook, edits), dry_run=True)
    assert [str(c) for c in report.changes] == [
        f"{DOC} #1: status approved → rejected",
        f"{DOC} #6: status new → draft; final '' → 'A sentence not yet translated.'"]
    assert [c.segment_id for c in report.changes] == report.updated


@pytest.mark.parametrize("row, final, status", [
    (7, None, "approved"),        # never translated, marked approved
    (2, None, None),              # an approved final cleared
    (4, "   ", "reviewed"),       # blank
])
def test_a_row_marked_done_with_an_empty_final_is_refused(
        tricky: Project, workbook: Path, row: int, final: str | None, status: str | None
        ) -> None:
    def empty_done(sheet: Any) -> None:
        sheet.cell(row=row, column=FINAL).value = final
        if status is not None:
            sheet.cell(row=row, column=STATUS).value = status
        sheet.cell(row=3, column=FINAL).value = "An edit that must not be applied alone."

    before = state(tricky)
    with pytest.raises(ExportError, match="marked done with no English; nothing was imported")\
            as exc:
        import_xlsx(tricky, edit(workbook, empty_done))
    assert f"sheet '{DOC}' row {row}: " in str(exc.value) and "with an empty final" in \
        str(exc.value)
    assert state(tricky) == before


def test_untouched_workbook_is_all_unchanged(tricky: Project, workbook: Path) -> None:
    edit(workbook, lambda s: None)   # re-saved by openpyxl: shared strings, its own styles
    report = import_xlsx(tricky, workbook)
    assert (report.updated, report.unchanged, report.conflicts) == ([], 6, [])


def test_status_only_change_keeps_the_final(tricky: Project, workbook: Path) -> None:
    edit(workbook, lambda s: setattr(s.cell(row=4, column=STATUS), "value", "approved"))
    before = tricky.segments(DOC)[2]
    import_xlsx(tricky, workbook)
    after = tricky.segments(DOC)[2]
    assert (after.final, after.status) == (before.final, "approved")
    assert [h.field for h in tricky.history(after.id) if h.origin == "import"] == ["status"]


def test_a_final_typed_for_a_new_segment_makes_it_a_draft(tricky: Project,
                                                          workbook: Path) -> None:
    at = next(i for i, r in enumerate(tricky.segments(DOC)) if r.status == "new")
    edit(workbook, lambda s: setattr(s.cell(row=at + 2, column=FINAL), "value", "Typed in."))
    import_xlsx(tricky, workbook)
    after = tricky.segments(DOC)[at]
    assert (after.final, after.status) == ("Typed in.", "draft")   # as an edit in the TUI


def test_cleared_final_is_imported_as_empty(tricky: Project, workbook: Path) -> None:
    def clear_and_reopen(sheet: Any) -> None:
        sheet.cell(row=2, column=FINAL).value = None
        sheet.cell(row=2, column=STATUS).value = "draft"
    edit(workbook, clear_and_reopen)
    import_xlsx(tricky, workbook)
    assert tricky.segments(DOC)[0].final == ""


def test_sorted_rows_still_merge_by_id(tricky: Project, workbook: Path) -> None:
    def reverse_and_edit(sheet: Any) -> None:
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
        for r, values in enumerate(reversed(rows), 2):
            for c, value in enumerate(values, 1):
                sheet.cell(row=r, column=c).value = value
        sheet.cell(row=2, column=FINAL).value = "Now the last segment, translated."

    edit(workbook, reverse_and_edit)
    report = import_xlsx(tricky, workbook)
    assert report.updated == [tricky.segments(DOC)[5].id]
    assert tricky.segments(DOC)[5].final == "Now the last segment, translated."


# ---------------------------------------------------------------------- conflicts
def test_edited_source_is_a_conflict_not_applied(tricky: Project,
                                                 workbook: Path) -> None:
    def source_and_final(sheet: Any) -> None:
        sheet.cell(row=3, column=SOURCE).value = "別の文です。"
        sheet.cell(row=3, column=FINAL).value = "Another sentence."
        sheet.cell(row=4, column=FINAL).value = "Leaders met."

    before = tricky.segments(DOC)
    report = import_xlsx(tricky, edit(workbook, source_and_final))
    assert [(c.row, c.segment_id) for c in report.conflicts] == [(3, before[1].id)]
    assert "source" in report.conflicts[0].reason
    assert report.updated == [before[2].id]
    assert tricky.segments(DOC)[1].final == before[1].final


def test_change_in_project_since_export_is_a_conflict(tricky: Project,
                                                      workbook: Path) -> None:
    records = tricky.segments(DOC)
    tricky.update(records[0].id, final="Changed in the workbench meanwhile.", by="colleague")
    tricky.update(records[1].id, final="Also changed meanwhile.", by="colleague")

    def edit_first_only(sheet: Any) -> None:
        sheet.cell(row=2, column=FINAL).value = "Changed in Excel."

    report = import_xlsx(tricky, edit(workbook, edit_first_only))
    assert [c.segment_id for c in report.conflicts] == [records[0].id]
    assert "since the export by colleague" in report.conflicts[0].reason
    assert report.conflicts[0].project_final == "Changed in the workbench meanwhile."
    # The untouched row does not revert the newer work in the project.
    assert [r.final for r in tricky.segments(DOC)[:2]] == [
        "Changed in the workbench meanwhile.", "Also changed meanwhile."]


def test_same_edit_in_both_places_is_unchanged(tricky: Project,
                                               workbook: Path) -> None:
    record = tricky.segments(DOC)[0]
    tricky.update(record.id, final="Agreed wording.")
    edit(workbook, lambda s: setattr(s.cell(row=2, column=FINAL), "value", "Agreed wording."))
    report = import_xlsx(tricky, workbook)
    assert (report.updated, report.conflicts, report.unchanged) == ([], [], 6)


def test_segment_gone_from_the_source_is_a_conflict(tricky: Project,
                                                    workbook: Path) -> None:
    gone = tricky.segments(DOC)[2]
    path = tricky.sources_dir / f"{DOC}.ja.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(gone.source, "書き換えた文。"),
                    encoding="utf-8")
    sync(tricky)
    edit(workbook, lambda s: setattr(s.cell(row=4, column=FINAL), "value", "Leaders met."))
    report = import_xlsx(tricky, workbook)
    assert [c.segment_id for c in report.conflicts] == [gone.id]
    assert "no longer in the project" in report.conflicts[0].reason
    assert report.updated == []


# ---------------------------------------------------------------------- malformed sheets
def _rename_column(sheet: Any) -> None:
    sheet.cell(row=1, column=FINAL).value = "translation"


def _delete_column(sheet: Any) -> None:
    sheet.delete_cols(COLUMNS.index("MT") + 1)


def _extra_column(sheet: Any) -> None:
    sheet.cell(row=1, column=len(COLUMNS) + 1).value = "notes"


def _extra_row_without_id(sheet: Any) -> None:
    sheet.cell(row=sheet.max_row + 1, column=FINAL).value = "An added row."


def _extra_row_unknown_id(sheet: Any) -> None:
    row = sheet.max_row + 1
    sheet.cell(row=row, column=ID).value = "0123456789abcdef"
    sheet.cell(row=row, column=STATUS).value = "new"


def _duplicated_row(sheet: Any) -> None:
    row = sheet.max_row + 1
    for c in range(1, len(COLUMNS) + 1):
        sheet.cell(row=row, column=c).value = sheet.cell(row=2, column=c).value


def _deleted_row(sheet: Any) -> None:
    sheet.delete_rows(5)


def _merged_cells(sheet: Any) -> None:
    sheet.merge_cells(start_row=4, start_column=FINAL, end_row=5, end_column=FINAL)


def _wrong_status(sheet: Any) -> None:
    sheet.cell(row=6, column=STATUS).value = "done"


def _empty_status(sheet: Any) -> None:
    sheet.cell(row=6, column=STATUS).value = None


MALFORMED = {
    "renamed column": (_rename_column, "row 1: column F should be 'final'"),
    "deleted column": (_delete_column, "row 1: column D should be 'MT'"),
    "extra column": (_extra_column, "row 1: unexpected column J 'notes'"),
    "added row without id": (_extra_row_without_id, "row 8: no segment id"),
    "added row with unknown id": (_extra_row_unknown_id,
                                  "row 8: segment 0123456789abcdef was not exported"),
    "duplicated row": (_duplicated_row, "row 8: segment .* appears twice \\(also row 2\\)"),
    "deleted row": (_deleted_row, "row 5: segment .* is missing: a deleted row"),
    "merged cells": (_merged_cells, "row 4: merged cells F4:F5"),
    "wrong status word": (_wrong_status, "row 6: status 'done' is not one of new, draft"),
    "empty status": (_empty_status, "row 6: status '' is not one of"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_sheet_is_refused_whole(tricky: Project, workbook: Path,
                                          kind: str) -> None:
    damage, message = MALFORMED[kind]

    def valid_edit_then_damage(sheet: Any) -> None:
        sheet.cell(row=2, column=FINAL).value = "A valid edit that must not be applied."
        damage(sheet)

    before = state(tricky)
    edit(workbook, valid_edit_then_damage)
    with pytest.raises(ExportError) as caught:
        import_xlsx(tricky, workbook)
    assert re.search(f"sheet '{DOC}' {message}", shown(caught.value))
    assert "nothing was imported" in str(caught.value)
    assert state(tricky) == before
    assert not [h for h in tricky.history() if h.origin == "import"]


def shown(exc: ExportError) -> str:
    """The error as the command line prints it: its line, then one line per problem."""
    return "\n".join([str(exc), *exc.details])


def test_renamed_sheet_is_named(tricky: Project, workbook: Path) -> None:
    book = load_workbook(workbook)
    book[DOC].title = "my edits"
    book.save(workbook)
    with pytest.raises(ExportError, match=f"sheet '{DOC}': the sheet is missing"):
        import_xlsx(tricky, workbook)


def test_workbook_not_from_an_export_is_refused(tricky: Project,
                                                tmp_path: Path, workbook: Path) -> None:
    book = load_workbook(workbook)
    del book["_workbench"]
    book.save(workbook)
    with pytest.raises(ExportError, match="no '_workbench' sheet"):
        import_xlsx(tricky, workbook)
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"not a zip at all")
    with pytest.raises(ExportError, match="not a readable Excel workbook"):
        import_xlsx(tricky, garbage)
    with pytest.raises(ExportError, match="no such file"):
        import_xlsx(tricky, tmp_path / "absent.xlsx")


def test_every_problem_is_listed_at_once(tricky: Project, workbook: Path) -> None:
    def two_problems(sheet: Any) -> None:
        _wrong_status(sheet)
        _merged_cells(sheet)

    edit(workbook, two_problems)
    with pytest.raises(ExportError, match="2 problems") as caught:
        import_xlsx(tricky, workbook)
    assert "merged cells F4:F5" in shown(caught.value) and "'done'" in shown(caught.value)


def test_control_characters_survive_the_round_trip(tmp_path: Path) -> None:
    """SpreadsheetML spells them _xHHHH_; an untouched row must not read as edited."""
    from projects import make_project

    root = make_project(tmp_path / "ctl", sources=("制御文字の文。",))
    with Project.open(root) as project:
        sync(project)
        (record,) = project.segments(DOC)
        project.update(record.id, final="form\x0cfeed and _x0041_ text", status="draft")
        path = export_xlsx(project, tmp_path / "out")
        report = import_xlsx(project, path)
        assert (report.updated, report.unchanged) == ([], 1)
        edit(path, lambda s: setattr(s.cell(row=2, column=STATUS), "value", "reviewed"))
        import_xlsx(project, path)
        after: SegmentRecord = project.segments(DOC)[0]
        assert (after.final, after.status) == ("form\x0cfeed and _x0041_ text", "reviewed")


def test_a_write_made_while_the_import_runs_is_not_overwritten(
        tricky: Project, workbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another reviewer (on a shared state) writes a row between the import's comparison and
    its write: the import is refused whole with the conflict, their text kept."""
    target = tricky.segments(DOC)[5]
    real = tricky.db.transaction
    written: list[bool] = []

    def meanwhile() -> Any:
        # the import's write opens the first transaction: bob's commits just before it
        if not written:
            written.append(True)
            tricky.update_many([(target.id, "written meanwhile", "reviewed")], by="bob")
        return real()

    monkeypatch.setattr(tricky.db, "transaction", meanwhile)

    def edits(sheet: Any) -> None:
        sheet.cell(row=3, column=FINAL).value = "An emoji sentence, edited."
        sheet.cell(row=7, column=FINAL).value = "From the sheet."

    from workbench.core.project import Conflict

    before = state(tricky)
    with pytest.raises(Conflict, match="written meanwhile"):
        import_xlsx(tricky, edit(workbook, edits))
    monkeypatch.undo()
    after = state(tricky)
    assert after[5] == ("written meanwhile", "reviewed")
    assert after[:5] == before[:5]
