"""The importer, by property: any edits a reviewer makes to an exported workbook are either
applied exactly (and importing the same file again changes nothing) or refused whole."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from projects import DOC, add_work, make_project

from workbench.core.errors import ExportError
from workbench.core.exchange import export_documents, import_xlsx
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.records import DONE_STATUSES, STATUSES

pytestmark = pytest.mark.fault
FINAL = COLUMNS.index("final") + 1
STATUS = COLUMNS.index("status") + 1
ID = COLUMNS.index("id") + 1
ROWS = range(2, 8)      # the six segments of the project, one a row

# What a reviewer types: any text a cell can hold (no control characters, which XML cannot
# carry, and no `_xHHHH_` look-alikes, a documented limit of shared strings).
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40).filter(
    lambda t: "_x" not in t)
EDIT = st.one_of(
    st.tuples(st.just("final"), st.sampled_from(ROWS), TEXT),
    st.tuples(st.just("status"), st.sampled_from(ROWS), st.sampled_from(STATUSES)),
)
DAMAGE = st.one_of(
    st.tuples(st.just("status word"), st.sampled_from(ROWS), st.sampled_from(
        ["done", "Reviewed!", "ok", "?"])),
    st.tuples(st.just("formula"), st.sampled_from(ROWS), st.just("=1+1")),
    st.tuples(st.just("logical"), st.sampled_from(ROWS), st.booleans()),
    st.tuples(st.just("delete row"), st.sampled_from(ROWS), st.none()),
    st.tuples(st.just("add row"), st.just(9), TEXT),
    st.tuples(st.just("rename header"), st.sampled_from([FINAL, STATUS, ID]), st.just("x")),
    st.tuples(st.just("merge"), st.sampled_from(range(2, 7)), st.none()),
)


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    """A worked project and its exported workbook, copied afresh for every example."""
    folder = Path(tempfile.mkdtemp(prefix="import-property-"))
    root = make_project(folder / "proj")
    with Project.open(root) as project:
        sync(project)
        add_work(project)
        export_documents(project, [DOC], ["xlsx"], out_dir=folder / "out")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def apply(sheet: Any, change: tuple[str, int, Any]) -> None:
    kind, where, value = change
    if kind in ("final", "formula", "logical"):
        sheet.cell(row=where, column=FINAL).value = value
    elif kind in ("status", "status word"):
        sheet.cell(row=where, column=STATUS).value = value
    elif kind == "delete row":
        sheet.delete_rows(where)
    elif kind == "add row":
        sheet.cell(row=where, column=FINAL).value = value or "added"
    elif kind == "rename header":
        sheet.cell(row=1, column=where).value = value
    elif kind == "merge":
        sheet.merge_cells(start_row=where, start_column=FINAL, end_row=where + 1,
                          end_column=FINAL)


def work(project: Project) -> list[tuple[str, str]]:
    return [(r.final or "", r.status) for r in project.segments(DOC)]


@settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(EDIT, max_size=6), damage=st.lists(DAMAGE, max_size=2))
def test_edits_are_applied_exactly_or_refused_whole(template: Path, tmp_path_factory: Any,
                                                    edits: list[tuple[str, int, Any]],
                                                    damage: list[tuple[str, int, Any]]) -> None:
    folder = tmp_path_factory.mktemp("example")
    shutil.copytree(template, folder, dirs_exist_ok=True)
    path = folder / "out" / f"{DOC}.xlsx"
    book = load_workbook(path)
    for change in edits + damage:
        apply(book[DOC], change)
    book.save(path)
    typed: dict[int, dict[str, str]] = {}
    for kind, row, value in edits:
        typed.setdefault(row, {})[kind] = value

    with Project.open(folder / "proj") as project:
        before = work(project)
        # Text typed with a leading `=` is a formula to a spreadsheet: refused like one.
        formula = any(str(v.get("final", "")).startswith("=") for v in typed.values())
        if damage or formula:
            with pytest.raises(ExportError, match="nothing was imported"):
                import_xlsx(project, path)
            assert work(project) == before
            return
        expected = []
        for row, (old_final, old_status) in zip(ROWS, before, strict=True):
            final = typed.get(row, {}).get("final", old_final)
            status = typed.get(row, {}).get("status", old_status)
            if final != old_final and final and status == "new":
                status = "draft"        # a final typed in is an edit, as in the workbench
            expected.append((final, status))
        # An edited row marked done with no English is refused, and so is the workbook.
        if any((final, status) != old and status in DONE_STATUSES and not final.strip()
               for (final, status), old in zip(expected, before, strict=True)):
            with pytest.raises(ExportError, match="marked done with no English"):
                import_xlsx(project, path)
            assert work(project) == before
            return
        report = import_xlsx(project, path)
        assert report.conflicts == []
        assert work(project) == expected
        again = import_xlsx(project, path)
        assert (again.updated, again.conflicts, again.unchanged) == ([], [], len(ROWS))
        assert work(project) == expected
