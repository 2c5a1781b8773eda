"""`workbench check` and `workbench glossary …` as a user runs them: output and exit codes."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.glossary.folder import load_glossary
from workbench.core.ingest import sync
from workbench.core.project import Project

AZ = "azerbaijan-russia-relations"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def finalize(root: Path, fragment: str, final: str, status: str = "reviewed") -> None:
    """Give the segment whose source holds `fragment` a final translation."""
    with Project.open(root) as project:
        sync(project)
        record = next(r for r in project.segments() if fragment in r.source)
        project.update(record.id, final=final, status=status)


# ------------------------------------------------------------------------------ check


def test_check_on_a_fresh_project_prints_the_census_and_passes(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-C", str(demo_project), "check")
    assert code == 0
    assert "Variant census" in out
    line = next(x for x in out.splitlines() if x.startswith("Abulfaz Elchibey"))
    assert "エルチベイ ×3" in line and "アバルファズ・エルチビー ×1" in line
    # untranslated segments: one line under their document
    lines = out.splitlines()
    at = lines.index(AZ)
    assert lines[at + 1].split() == ["info", "untranslated:", "141", "segments,", "no", "final",
                                     "translation", "yet:", "#1-141"]
    assert "0 errors, 0 warnings" in out
    # info is at or above info: the same project fails when asked to
    assert run(capsys, "-C", str(demo_project), "check", "--fail-on", "info")[0] == 1


def test_check_fails_on_a_reviewed_translation_with_name_errors(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    finalize(demo_project, "エルチビー電源", "Elchibei came to power after the fall of Khodjaly.")
    code, out, _ = run(capsys, "-C", str(demo_project), "check")
    assert code == 1
    assert "'Elchibei' should read 'Elchibey'" in out
    assert "'Khodjaly' should read 'Khojaly'" in out
    assert "term-missing" in out and "Ayaz Mutallibov" in out
    assert run(capsys, "-C", str(demo_project), "check", "--fail-on", "never")[0] == 0
    assert run(capsys, "-C", str(demo_project), "check", "--doc", "kazakhstan")[0] == 0


def test_check_formats(demo_project: Path, capsys: pytest.CaptureFixture[str],
                       tmp_path: Path) -> None:
    finalize(demo_project, "エルチビー電源", "Elchibei came to power after Khodjaly.")
    code, out, _ = run(capsys, "-C", str(demo_project), "check", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["counts"]["error"] >= 2 and data["segments"] > 400
    census = {c["en"]: c for c in data["census"]}
    assert {s["spelling"] for s in census["Abulfaz Elchibey"]["spellings"]} == {
        "エルチベイ", "アバルファズ・エルチビー"}
    code, out, _ = run(capsys, "-C", str(demo_project), "check", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 1 and rows[0].keys() >= {"severity", "check", "doc", "message"}
    assert any(r["check"] == "off-canonical" and r["term"] == "Khojaly" for r in rows)
    report = tmp_path / "report.json"
    code, out, err = run(capsys, "-C", str(demo_project), "check", "-o", str(report))
    assert code == 1 and out == "" and "wrote" in err
    assert json.loads(report.read_text(encoding="utf-8"))["counts"]["error"] >= 2
    book = tmp_path / "issues.xlsx"
    code, _, _ = run(capsys, "-C", str(demo_project), "check", "--format", "xlsx", "-o",
                     str(book))
    assert code == 1 and zipfile.is_zipfile(book)
    code, _, err = run(capsys, "-C", str(demo_project), "check", "--format", "xlsx")
    assert code == 2 and "needs --output" in err


def test_check_aligned_files(demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    aligned = demo_project / "aligned"
    (aligned / "d.ja.txt").write_text("エルチベイの政治\n二〇二四年に\n", encoding="utf-8")
    (aligned / "d.en.txt").write_text("Elchibey's politics\nin 2025\n", encoding="utf-8")
    code, out, _ = run(capsys, "-C", str(demo_project), "check", str(aligned / "d.en.txt"))
    assert code == 0 and "number-mismatch" in out and "the source has 2024" in out
    code, _, err = run(capsys, "-C", str(demo_project), "check", str(aligned / "none.tmx"))
    assert code == 2 and "no such file" in err


def test_a_bad_glossary_row_is_an_input_error(demo_project: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = demo_project / "glossary" / "extra.tsv"
    path.write_text("en\tja\ttype\nIran\tイラン||イーラーン\tplace\n", encoding="utf-8")
    code, out, err = run(capsys, "-C", str(demo_project), "check")
    assert code == 2 and out == ""
    assert f"error: {path}:2: empty variant in `ja` of 'Iran'" in err


# ------------------------------------------------------------------------------ glossary


def test_suggestions_append_to_names_tsv_as_they_are(demo_project: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    names = demo_project / "glossary" / "names.tsv"
    code, out, err = run(capsys, "-C", str(demo_project), "glossary", "suggest", "--no-header")
    assert code == 0 and out and "with English to confirm" in err
    with names.open("a", encoding="utf-8") as f:        # `… --no-header >> glossary/names.tsv`
        f.write(out)
    code, out, err = run(capsys, "-C", str(demo_project), "glossary", "lint")
    assert code == 0 and " 0 errors" in err
    # Only English from the dictionary (or a name's own Latin spelling) became canonical; a
    # guess was appended commented out, and lint lists it until a reviewer confirms it.
    glossary = load_glossary(demo_project / "glossary")
    assert glossary.get("Georgia") is not None and glossary.get("Vietnam") is not None
    assert glossary.get("Jojia") is None and glossary.get("Mishustin") is None
    assert glossary.find("ミシュスチン") == []
    assert "suggested row for 'ミシュスチン' is still a guess ('Mishustin')" in out
    assert run(capsys, "-C", str(demo_project), "glossary", "lint", "--strict")[0] == 1
    code, out, _ = run(capsys, "-C", str(demo_project), "glossary", "suggest", "--no-header")
    lines = out.splitlines()          # what is left is the guesses, still to confirm
    assert lines and all(line.startswith("#? ") for line in lines)
    # a names.tsv of three columns gets rows of three columns
    names.write_text("en\tja\ttype\nRussia\tロシア\tplace\n", encoding="utf-8")
    code, out, _ = run(capsys, "-C", str(demo_project), "glossary", "suggest", "--no-header")
    assert {line.count("\t") for line in out.splitlines()} == {2}


def test_suggest_lists_names_the_glossary_lacks(demo_project: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-C", str(demo_project), "glossary", "suggest")
    assert code == 0 and "names not in the glossary" in err
    rows = list(csv.DictReader(io.StringIO(out), delimiter="\t"))
    assert list(rows[0]) == ["en", "ja", "type", "en_variants", "forbidden", "derived",
                             "note"]  # names.tsv's
    spellings = {r["ja"] for r in rows}
    assert {"インドネシア", "シリア", "ボリビア", "ミシュスチン"} <= spellings
    assert "パートナーシップ" not in spellings and "エルチベイ" not in spellings
    assert all(r["en"] and "x in " in r["note"] and "context: " in r["note"] for r in rows)
    # the output is a valid glossary file as it stands
    (demo_project / "glossary" / "suggested.tsv").write_text(out, encoding="utf-8")
    assert len(load_glossary(demo_project / "glossary")) > 217
    code, out, _ = run(capsys, "-C", str(demo_project), "glossary", "suggest", "--no-header",
                       "--min-count", "2")
    assert code == 0 and not out.startswith("en\t")
    assert all(int(line.split("\t")[-1].split("x")[0]) >= 2 for line in out.splitlines())


def test_lint(demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "-C", str(demo_project), "glossary", "lint")
    dated = out.count("names one dated event")      # the demo's G8サミット → 33rd G8 summit…
    assert code == 0 and dated == len(out.splitlines()) >= 4
    assert f"0 errors, {dated} warnings" in err
    extra = demo_project / "glossary" / "extra.csv"
    extra.write_text("en,ja,type\nPersia,イラン,place\nMoscow,モスクワ,\n", encoding="utf-8")
    code, out, err = run(capsys, "-C", str(demo_project), "glossary", "lint")
    assert code == 1 and f"1 errors, {dated + 2} warnings" in err
    conflict = next(line for line in out.splitlines() if ": error: " in line)
    assert "'イラン'" in conflict and "'Persia'" in conflict and "'Iran'" in conflict
    assert f"{extra}:2" in conflict and str(demo_project / "glossary" / "names.tsv") in conflict
    duplicate = next(line for line in out.splitlines() if "duplicate `en` 'Moscow'" in line)
    assert ": warning: " in duplicate and f"{extra}:3" in duplicate
    assert f"{extra}:3: warning: empty `type` for 'Moscow'" in out


def test_add_find_import_export(demo_project: Path, capsys: pytest.CaptureFixture[str],
                                tmp_path: Path) -> None:
    root = ["-C", str(demo_project), "glossary"]
    code, out, _ = run(capsys, *root, "add", "Indonesia", "インドネシア", "--type", "place")
    assert code == 0 and "Indonesia: インドネシア" in out
    code, out, _ = run(capsys, *root, "find", "インドネシアとインド")
    assert out.splitlines()[0].startswith("0-6\tインドネシア\tIndonesia")
    assert out.splitlines()[1].startswith("7-10\tインド\tIndia")
    tbx = tmp_path / "all.tbx"
    assert run(capsys, *root, "export", str(tbx))[0] == 0
    assert "<termEntry" in tbx.read_text(encoding="utf-8")
    code, out, _ = run(capsys, *root, "import", str(tbx), "--name", "copy.tsv")
    assert code == 0 and f"imported {len(load_glossary(demo_project / 'glossary'))}" in out
    assert load_glossary(demo_project / "glossary").get("Indonesia") is not None
    (demo_project / "glossary" / "copy.tsv").unlink()
    conflict = tmp_path / "conflict.csv"
    conflict.write_text("en,ja,type\nPersia,イラン,place\n", encoding="utf-8")
    code, _, err = run(capsys, *root, "import", str(conflict))
    assert code == 2 and "also a variant of 'Iran'" in err
    assert not (demo_project / "glossary" / "conflict.tsv").exists()
    other = tmp_path / "more.csv"
    other.write_text("en,ja,type\nSyria,シリア,place\n", encoding="utf-8")
    assert run(capsys, *root, "import", str(other))[0] == 0
    assert load_glossary(demo_project / "glossary").get("Syria") is not None
    code, _, err = run(capsys, *root, "import", str(other))
    assert code == 2 and "already exists" in err


@pytest.mark.parametrize("command", [["check"], ["glossary"], ["glossary", "lint"],
                                     ["glossary", "suggest"], ["glossary", "find"],
                                     ["glossary", "add"], ["glossary", "import"],
                                     ["glossary", "export"]])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "Usage: workbench" in out and len(out.splitlines()) > 4
