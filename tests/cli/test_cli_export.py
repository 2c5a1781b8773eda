"""`workbench export` and `workbench import` as a user runs them, on the demo project."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.project import Project

DOCS = ("azerbaijan-russia-relations", "diplomatic-bluebook-2025-russia-central-asia-caucasus",
        "kazakhstan-foreign-policy", "vietnam-azerbaijan-strategic-partnership")
FINAL = COLUMNS.index("final") + 1


def run(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, ["-C", str(project), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_writes_aligned_files_of_every_document(demo_project: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    code, out, err = run(capsys, demo_project, "export")
    assert code == 0, err
    written = sorted(p.name for p in (demo_project / "aligned").iterdir())
    # Nothing is reviewed yet: no TMX (a memory of no units), and each document says so.
    assert written == sorted(f"{d}{ext}" for d in DOCS
                             for ext in (".ja.txt", ".en.txt", ".jsonl"))
    assert len(out.splitlines()) == 12 and "exported 12 files" in err
    assert all(f"note: {d}: no units to export" in err for d in DOCS)
    assert "no TMX written" in err
    # Nothing is reviewed yet: the aligned text files are empty, the JSONL holds everything.
    assert (demo_project / "aligned" / f"{DOCS[0]}.ja.txt").read_text() == ""
    jsonl = (demo_project / "aligned" / f"{DOCS[0]}.jsonl").read_text(encoding="utf-8")
    assert len(jsonl.splitlines()) > 10


def test_export_all_of_one_document_into_another_folder(demo_project: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    out_dir = tmp_path / "elsewhere"
    code, out, _ = run(capsys, demo_project, "export", "kazakhstan", "--format", "txt",
                       "--all", "--out", str(out_dir))
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "kazakhstan-foreign-policy.en.txt", "kazakhstan-foreign-policy.ja.txt"]
    ja = (out_dir / "kazakhstan-foreign-policy.ja.txt").read_text(encoding="utf-8")
    en = (out_dir / "kazakhstan-foreign-policy.en.txt").read_text(encoding="utf-8")
    assert ja.count("\n") == en.count("\n") > 10 and en.strip() == ""
    assert not list((demo_project / "aligned").iterdir())


def test_a_tmx_with_no_units_is_not_written_and_the_export_says_so(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, demo_project, "export", "kazakhstan", "-f", "tmx", "--all")
    assert code == 0 and out == "" and "exported 0 files" in err
    assert "note: kazakhstan-foreign-policy: no units to export (no segments with a final " \
           "translation): no TMX written" in err
    assert list((demo_project / "aligned").glob("*.tmx")) == []
    with Project.open(demo_project) as project:
        first = project.segments("kazakhstan-foreign-policy")[0]
        project.update(first.id, final="Kazakhstan's foreign policy.")
    code, out, err = run(capsys, demo_project, "export", "kazakhstan", "-f", "tmx", "--all")
    assert code == 0 and "exported 1 file" in err and "no units" not in err
    assert "Kazakhstan's foreign policy." in (
        demo_project / "aligned" / "kazakhstan-foreign-policy.tmx").read_text(encoding="utf-8")


def test_unknown_document_is_an_error(demo_project: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, demo_project, "export", "no-such-doc")
    assert code == 2 and "error:" in err and "no document 'no-such-doc'" in err


def test_xlsx_edit_two_finals_import_updates_exactly_those(demo_project: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    code, out, _ = run(capsys, demo_project, "export", "--format", "xlsx")
    assert code == 0
    path = demo_project / "aligned" / "bilingual.xlsx"
    assert out.strip().endswith("aligned/bilingual.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == "Summary" and len(book.sheetnames) == 6
    sheet = book["kazakhstan-foreign-policy"]
    edited = {sheet.cell(row=3, column=1).value: "Kazakhstan's foreign policy.",
              sheet.cell(row=9, column=1).value: "Only 25 years old.\nA second line."}
    sheet.cell(row=3, column=FINAL).value = edited[sheet.cell(row=3, column=1).value]
    sheet.cell(row=9, column=FINAL).value = edited[sheet.cell(row=9, column=1).value]
    book.save(path)

    code, out, err = run(capsys, demo_project, "import", str(path), "--dry-run")
    assert code == 0 and out.startswith("would update 2 segments") and "dry run" in err
    assert "would update: kazakhstan-foreign-policy #2: status new → draft; final '' → " \
           "\"Kazakhstan's foreign policy.\"" in out
    with Project.open(demo_project, write=False) as project:
        assert not [r for r in project.segments() if r.final]

    code, out, err = run(capsys, demo_project, "import", str(path))
    assert code == 0, err
    assert out.splitlines()[0].startswith("updated 2 segments")
    with Project.open(demo_project, write=False) as project:
        finals = {r.id: r.final for r in project.segments() if r.final is not None}
        origins = {h.origin for h in project.history()}
    assert finals == edited
    assert origins == {"import"}


def test_import_conflict_exits_1_and_malformed_sheet_exits_2(demo_project: Path,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    run(capsys, demo_project, "export", "vietnam", "--format", "xlsx")
    path = demo_project / "aligned" / "vietnam-azerbaijan-strategic-partnership.xlsx"
    book = load_workbook(path)
    sheet = book[book.sheetnames[1]]
    sheet.cell(row=2, column=FINAL).value = "Edited in Excel."
    book.save(path)
    with Project.open(demo_project) as project:
        record = project.segments("vietnam-azerbaijan-strategic-partnership")[0]
        project.update(record.id, final="Edited in the workbench meanwhile.")
    code, out, err = run(capsys, demo_project, "import", str(path))
    assert code == 1
    assert "1 conflict" in out and "conflict:" in err and "row 2" in err

    sheet.cell(row=3, column=COLUMNS.index("status") + 1).value = "finished"
    book.save(path)
    code, out, err = run(capsys, demo_project, "import", str(path))
    assert code == 2 and out == ""
    assert "error:" in err and "row 3: status 'finished'" in err
    assert "nothing was imported" in err


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_demo_workbook(demo_project: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, demo_project, "export", "--format", "xlsx")[0] == 0
    proc = subprocess.run(
        ["libreoffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "csv", "--outdir", str(tmp_path),
         str(demo_project / "aligned" / "bilingual.xlsx")],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = (tmp_path / "bilingual.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("document,sheet,segments,new,draft,reviewed,approved")
    assert [line.split(",")[0] for line in lines[1:]] == [*DOCS, "total"]
