"""The project commands as a user runs them: ingest, status, segment; exit codes and errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import cli
from workbench.cli._common import run_cli

BLUEBOOK = "diplomatic-bluebook-2025-russia-central-asia-caucasus"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_status_lists_the_four_documents_with_counts(demo_project: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-C", str(demo_project), "status")
    assert code == 0
    assert err.count("ingested sources/") == 4
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    for name in ("azerbaijan-russia-relations", "kazakhstan-foreign-policy",
                 "vietnam-azerbaijan-strategic-partnership", BLUEBOOK):
        assert int(rows[name][1]) > 10
        assert rows[name][-1] == "0%"
    assert "total" in rows
    # A second status has nothing to ingest.
    code, _, err = run(capsys, "-C", str(demo_project), "status")
    assert code == 0 and err == ""


def test_segment_text_is_one_segment_per_line(demo_project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-C", str(demo_project), "segment", BLUEBOOK)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "1 概観"
    assert all(line and line == line.strip() for line in lines)
    # The same by path, and by a unique prefix of the name.
    path = demo_project / "sources" / f"{BLUEBOOK}.ja.txt"
    assert run(capsys, "segment", str(path))[1] == out
    assert run(capsys, "-C", str(demo_project), "segment", "diplomatic")[1] == out


def test_segment_explain_shows_deletions_with_lines(demo_project: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-C", str(demo_project), "segment", BLUEBOOK, "--explain")
    assert code == 0
    deleted = [line for line in out.splitlines() if line.startswith("-")]
    assert any(re.search(r"\b21\b.*'や'", line) for line in deleted)  # a ruby line
    assert any("DIPLOMATIC BLUEBOOK 2025140" in line for line in deleted)  # page furniture
    assert "deletions" in out.splitlines()[-1]


def test_segment_json_and_tsv_carry_ids_and_spans(demo_project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "-C", str(demo_project), "segment", BLUEBOOK, "--format", "json",
                    "--explain")
    data = json.loads(out)
    first = data["segments"][0]
    assert first["source"] == "1 概観" and first["line_start"] == 2 and first["ordinal"] == 1
    assert len(first["id"]) >= 12
    assert data["deletions"]
    _, tsv, _ = run(capsys, "-C", str(demo_project), "segment", BLUEBOOK, "--format", "tsv")
    header, row = tsv.splitlines()[:2]
    assert header.split("\t") == ["id", "ordinal", "kind", "line_start", "line_end", "source"]
    assert row.split("\t")[0] == first["id"]


def test_encodings_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "ロシアとアゼルバイジャンの関係。両国は協力した。\n"
    sjis = tmp_path / "sjis.txt"
    sjis.write_bytes(text.encode("shift_jis"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(text.encode("utf-16"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "picture.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))

    expected = ["ロシアとアゼルバイジャンの関係。", "両国は協力した。"]
    for path in (sjis, utf16):
        code, out, _ = run(capsys, "segment", str(path))
        assert (code, out.splitlines()) == (0, expected)
    assert run(capsys, "segment", str(empty))[:2] == (0, "")

    code, out, err = run(capsys, "segment", str(png))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "picture.txt" in err and "Traceback" not in err

    code, _, err = run(capsys, "segment", str(tmp_path / "missing.txt"))
    assert code == 2 and "missing.txt" in err


def test_ingest_copies_an_outside_file_and_reports(empty_project: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "report.txt"
    outside.write_bytes("一文目です。二文目です。\n".encode("euc-jp"))
    code, out, err = run(capsys, "-C", str(empty_project), "ingest", str(outside))
    assert code == 0
    assert "copied" in err and "2 segments" in err
    assert (empty_project / "sources" / "report.ja.txt").exists()

    code, out, err = run(capsys, "-C", str(empty_project), "ingest")
    assert code == 0 and "report: unchanged (2 segments)" in out


def test_ingest_with_an_encoding_reads_the_outside_file_in_it(
        empty_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the README's example: the copy in sources/ is UTF-8, and is read as such
    outside = tmp_path / "report-sjis.txt"
    outside.write_bytes("ナザルバエフ大統領はアスタナを訪れた。\n".encode("cp932"))
    code, _, err = run(capsys, "-C", str(empty_project), "ingest", str(outside),
                       "--encoding", "cp932")
    assert code == 0 and "1 segments" in err and "error" not in err
    code, out, _ = run(capsys, "-C", str(empty_project), "segment", "report-sjis")
    assert out == "ナザルバエフ大統領はアスタナを訪れた。\n"


def test_the_readmes_init_and_ingest_examples_together_report_the_name_collision(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`workbench init` + `cp ~/incoming/*.txt sources/`, then `workbench ingest
    ~/incoming/report-sjis.txt --encoding cp932`: report-sjis.txt and its copy would be one
    document. The copy is refused, and two such files put in sources/ by hand are both
    refused, on every command, until one is renamed."""
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "report-sjis.txt").write_bytes("ナザルバエフ大統領はアスタナを訪れた。\n"
                                               .encode("cp932"))
    project = tmp_path / "bluebook-2026"
    assert run(capsys, "init", str(project))[0] == 0
    (project / "sources" / "report-sjis.txt").write_bytes(
        (incoming / "report-sjis.txt").read_bytes())
    code, _, err = run(capsys, "-C", str(project), "ingest")
    assert code == 0 and "ingested sources/report-sjis.txt: 1 segments" in err
    code, _, err = run(capsys, "-C", str(project), "ingest", str(incoming / "report-sjis.txt"),
                       "--encoding", "cp932")
    assert code == 2
    assert "a document named 'report-sjis' is already in sources/ (report-sjis.txt)" in err
    assert sorted(p.name for p in (project / "sources").iterdir()) == ["report-sjis.txt"]
    # by hand: both files are refused and named, each time, and the document is kept
    (project / "sources" / "report-sjis.ja.txt").write_text("別の文です。\n", encoding="utf-8")
    for _ in range(2):
        code, out, err = run(capsys, "-C", str(project), "status")
        assert "report-sjis.ja.txt: is the same document as report-sjis.txt" in err
        assert "report-sjis.txt: is the same document as report-sjis.ja.txt" in err
        assert "re-ingested" not in err and "report-sjis " in out


def test_a_source_file_removed_leaves_status_and_comes_back(
        empty_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = empty_project / "sources" / "gone.ja.txt"
    source.write_text("消える文です。\n", encoding="utf-8")
    assert run(capsys, "-C", str(empty_project), "status")[0] == 0
    source.unlink()
    code, out, err = run(capsys, "-C", str(empty_project), "status")
    assert code == 0 and "removed gone: sources/gone.ja.txt is gone" in err
    assert "gone" not in out


def test_ingest_of_a_bad_file_exits_2_and_keeps_the_rest(
        empty_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty_project / "sources" / "good.txt").write_text("よい文です。\n", encoding="utf-8")
    (empty_project / "sources" / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    code, _, err = run(capsys, "-C", str(empty_project), "ingest")
    assert code == 2
    assert "bad.txt" in err and "ingested sources/good.txt: 1 segments" in err


def test_second_process_is_refused_with_the_pid(empty_project: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from workbench.core.project import Project; "
         "p = Project.open(sys.argv[1]); print('locked', flush=True); time.sleep(60)",
         str(empty_project)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        proc = subprocess.run([sys.executable, "-m", "workbench", "-C", str(empty_project),
                               "ingest"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2
        assert f"project is open in another workbench (pid {holder.pid})" in proc.stderr
        assert "Traceback" not in proc.stderr
        # Read-only commands still answer.
        proc = subprocess.run([sys.executable, "-m", "workbench", "-C", str(empty_project),
                               "status"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "read-only" in proc.stderr
    finally:
        holder.kill()
        holder.wait()


def test_not_a_project_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    code, _, err = run(capsys, "-C", str(tmp_path), "status")
    assert code == 2 and "not a workbench project" in err


def test_init_makes_a_project_and_touches_nothing_that_exists(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "report"
    code, out, _ = run(capsys, "init", str(root))
    assert code == 0 and "created sources/, glossary/, aligned/, glossary/names.tsv" in out
    assert (root / "glossary" / "names.tsv").read_text("utf-8") == \
        "en\tja\ttype\ten_variants\tforbidden\tderived\tnote\n"
    (root / "glossary" / "names.tsv").write_text("en\tja\nRussia\tロシア\n", encoding="utf-8")
    (root / "sources" / "a.ja.txt").write_text("ロシアの首都。\n", encoding="utf-8")
    code, out, _ = run(capsys, "-C", str(root), "init")
    assert code == 0 and "nothing to create" in out
    assert (root / "glossary" / "names.tsv").read_text("utf-8") == "en\tja\nRussia\tロシア\n"
    code, out, _ = run(capsys, "-C", str(root), "status")
    assert code == 0 and re.search(r"^a\s+1\s+1\b", out, re.M)
    # the state never lands in a commit of the project
    assert (root / ".workbench" / ".gitignore").read_text("utf-8") == "*\n"


def test_init_inside_a_project_is_refused(demo_project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(demo_project / "sources" / "more"))
    assert code == 2 and f"is inside the project {demo_project.resolve()}" in err
    assert not (demo_project / "sources" / "more").exists()
