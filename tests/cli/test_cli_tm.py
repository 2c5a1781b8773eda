"""`workbench tm …` and `workbench stats` as a user runs them, on the demo project."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from memory_samples import TAKEN, line_of, write_foreign_tmx
from openpyxl import load_workbook

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.ingest import sync
from workbench.core.memory.analysis import BUCKETS
from workbench.core.memory.store import MemoryStore
from workbench.core.project import Project

VIETNAM = "vietnam-azerbaijan-strategic-partnership"
KAZAKHSTAN = "kazakhstan-foreign-policy"


def run(capsys: pytest.CaptureFixture[str], folder: Path, *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, ["-C", str(folder), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_tm_import_reports_what_it_skipped(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = write_foreign_tmx(tmp_path)
    code, out, err = run(capsys, tmp_path, "tm", "import", str(path), "--penalty", "5")
    assert code == 0, err
    assert f"imported {TAKEN} units from othercat.tmx (penalty 5): 11 read, 0 already" in out
    assert f"{path}:{line_of('まだ訳のない文')}: the English is empty" in err
    assert f"{path}:{line_of('Die Minister')}: no Japanese (languages: de-DE, en-US)" in err
    code, out, _ = run(capsys, tmp_path, "tm", "import", str(path))
    assert "imported 0 units" in out and f"{TAKEN} already in the memory" in out


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such file"),
    ("<tmx><body><tu><tuv xml:lang='ja'><seg>途中で</seg>", "not well-formed XML"),
    ("<html><body/></html>", "not a TMX file (its root is <html>)"),
])
def test_a_bad_tmx_is_one_line_exit_2_and_adds_nothing(tmp_path: Path, content: str | None,
                                                       message: str,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    path = tmp_path / "bad.tmx"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, tmp_path, "tm", "import", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {path}") and message in err and len(err.splitlines()) == 1
    with MemoryStore() as store:
        assert store.count() == 0


def test_a_penalty_out_of_range_is_refused(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, tmp_path, "tm", "import", str(write_foreign_tmx(tmp_path)),
                       "--penalty", "150")
    assert code == 2 and "150" in err


def test_tm_stats_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, tmp_path, "tm", "import", str(write_foreign_tmx(tmp_path)))
    code, out, _ = run(capsys, tmp_path, "tm", "stats")
    assert code == 0 and "othercat.tmx" in out and f"{TAKEN} units in" in out
    code, out, _ = run(capsys, tmp_path, "tm", "stats", "--format", "json")
    data = json.loads(out)
    assert data["units"] == TAKEN and data["origins"][0]["name"] == "othercat.tmx"
    assert data["not_indexed"] == 0
    target = tmp_path / "all.tmx"
    code, out, _ = run(capsys, tmp_path, "tm", "export", str(target))
    assert code == 0 and f"exported {TAKEN} units" in out
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    code, out, _ = run(capsys, tmp_path, "tm", "import", str(target))
    assert f"imported {TAKEN} units" in out
    code, _, err = run(capsys, tmp_path, "tm", "export", str(target), "--origin", "nope")
    assert code == 2 and "no origin 'nope'" in err


def test_tm_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, tmp_path, "tm", "import", str(write_foreign_tmx(tmp_path)))
    code, out, _ = run(capsys, tmp_path, "tm", "remove", "othercat.tmx")
    assert code == 0 and f"removed {TAKEN} units" in out
    code, _, err = run(capsys, tmp_path, "tm", "remove", "othercat.tmx")
    assert code == 2 and "no origin" in err


def test_tm_search_finds_every_occurrence_across_documents(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for needle in ("外交", "露"):
        code, out, err = run(capsys, demo_project, "tm", "search", needle, "--limit", "500",
                             "--format", "json")
        assert code == 0, err
        found = json.loads(out)
        with Project.open(demo_project, write=False) as project:
            expected = [(r.doc, r.ordinal) for r in project.segments() if needle in r.source]
        assert [(o["document"], o["number"]) for o in found] == expected
        assert len({o["document"] for o in found}) >= 2
        assert all(o["source"][a:b] == needle for o in found for a, b in o["source_spans"])
    code, out, _ = run(capsys, demo_project, "tm", "search", "外交")
    assert code == 0 and f"{KAZAKHSTAN} #2" in out and "in the project" in out


def test_tm_search_outside_a_project_searches_the_memory(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    run(capsys, tmp_path, "tm", "import", str(write_foreign_tmx(tmp_path)))
    code, out, _ = run(capsys, tmp_path, "tm", "search", "外交", "--format", "json")
    assert code == 0
    assert [o["source"] for o in json.loads(out)] == ["外交関係は安定している。"]


def test_reviewed_work_shows_as_matches_in_another_project(
        demo_project: Path, empty_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(demo_project) as project:
        sync(project)
        record = project.segments(KAZAKHSTAN)[1]
        project.update(record.id, final="Foreign policy of Kazakhstan.", status="reviewed")
    run(capsys, demo_project, "stats")     # a command opening the project's memory mirrors it
    (empty_project / "sources" / "mine.ja.txt").write_text(
        f"はじめに。\n\n{record.source}\n", encoding="utf-8")
    code, out, err = run(capsys, empty_project, "tm", "lookup", "mine", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows[1]["matches"][0]["score"] == 100
    assert rows[1]["matches"][0]["target"] == "Foreign policy of Kazakhstan."
    assert rows[1]["matches"][0]["origin"] == str(demo_project.resolve())
    code, out, _ = run(capsys, empty_project, "tm", "lookup", "mine", "2")
    assert "100%" in out and "Foreign policy of Kazakhstan." in out


def test_stats_of_the_demo(demo_project: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, demo_project, "stats", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["document"] for r in rows][-1] == "total"
    total = rows[-1]
    assert total["segments"] == 460
    # 7 repeated sources covering 17 segments: 10 of them repeat one before
    assert total["repetitions"]["segments"] == 10
    assert sum(b["segments"] for b in total["buckets"].values()) == 450
    code, out, _ = run(capsys, demo_project, "stats", "--format", "csv", VIETNAM)
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["document"] for r in table] == [VIETNAM, "total"]
    assert set(BUCKETS) <= set(table[0]) and table[0]["segments"] == "38"
    code, out, _ = run(capsys, demo_project, "stats")
    assert code == 0 and "repetitions" in out and "101%" in out and "no match" in out
    # an imported TMX moves segments into the memory bands
    run(capsys, tmp_path, "tm", "import", str(write_foreign_tmx(tmp_path)))
    code, out, _ = run(capsys, demo_project, "stats", "--format", "json", "nope")
    assert code == 2


def test_the_workbook_summary_shows_the_analysis(demo_project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, demo_project, "export", "-f", "xlsx")
    assert code == 0, err
    book = load_workbook(demo_project / "aligned" / "bilingual.xlsx", read_only=True)
    rows = list(book["Summary"].iter_rows(values_only=True))
    header = rows[0]
    assert "repetitions" in header and all(name in header for name in BUCKETS)
    total = dict(zip(header, rows[-1], strict=True))
    assert total["document"] == "total" and total["repetitions"] == 10
    assert sum(total[name] for name in BUCKETS) == 450
    code, _, _ = run(capsys, demo_project, "export", "-f", "xlsx", "--no-analysis")
    book = load_workbook(demo_project / "aligned" / "bilingual.xlsx", read_only=True)
    assert "repetitions" not in next(book["Summary"].iter_rows(values_only=True))


def test_workbench_import_reports_filled_repetitions(demo_project: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.core.formats.xlsx import COLUMNS

    run(capsys, demo_project, "export", "-f", "xlsx", KAZAKHSTAN, "-o", str(tmp_path))
    path = tmp_path / f"{KAZAKHSTAN}.xlsx"
    book = load_workbook(path)
    sheet = book[KAZAKHSTAN[:31]]
    sheet.cell(row=3, column=COLUMNS.index("final") + 1).value = "Kazakhstan's foreign policy."
    sheet.cell(row=3, column=COLUMNS.index("status") + 1).value = "reviewed"
    book.save(path)
    code, out, err = run(capsys, demo_project, "import", str(path))
    assert code == 0, err
    assert "filled 2 repetitions" in out
    with Project.open(demo_project, write=False) as project:
        same = [r for r in project.segments(KAZAKHSTAN) if r.source == "カザフスタンの外交政策。"]
    assert [r.status for r in same] == ["reviewed"] * 3
