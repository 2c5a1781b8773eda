"""`workbench enforce FILE` as a user runs it: TSV, TMX and .ja.txt/.en.txt input, tsv and
json output, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.formats.tmx import tmx_bytes
from workbench.core.records import SegmentRecord

LINES = [("ナザルバエフ大統領はカザフスタンを訪問した。", "President Nazarbaev visited Kazakstan."),
         ("チェチェンのアスラン・マスハドフ", "Chechen rebel president Aslan Maskhadov's office"),
         ("トー・ラム書記長", "General Secretary To Lam")]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tsv(tmp_path: Path, text: str, name: str = "mt.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tsv_lines_become_normalized_english_one_line_each(
        demo_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "ja\ten\n" + "\n".join(f"{a}\t{b}" for a, b in LINES[:2]) + "\n\n" + \
        "\t".join(LINES[2]) + "\n"
    code, out, err = run(capsys, "-C", str(demo_project), "enforce", str(tsv(tmp_path, body)))
    assert code == 0
    assert out.split("\n") == ["en", "President Nazarbayev visited Kazakhstan.",
                               "Chechen rebel president Aslan Maskhadov's office", "",
                               "General Secretary To Lam", ""]
    assert "3 lines: 2 rewrites, 1 suggested" in err


def test_json_gives_each_change_with_its_reason(
        demo_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tsv(tmp_path, "\n".join(f"{a}\t{b}" for a, b in LINES) + "\n")
    code, out, _ = run(capsys, "-C", str(demo_project), "enforce", str(path), "--format", "json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in rows] == [1, 2, 3]
    first = rows[0]
    assert first["normalized"] == "President Nazarbayev visited Kazakhstan."
    assert [(c["before"], c["after"], c["reason"]) for c in first["changes"]] == [
        ("Nazarbaev", "Nazarbayev", "en_variant"), ("Kazakstan", "Kazakhstan", "near_miss")]
    assert all(c["why"] and 0 < c["confidence"] <= 1 for c in first["changes"])
    assert rows[1]["changes"] == [] and rows[1]["missing"] == []
    assert [(s["before"], s["after"]) for s in rows[2]["suggestions"]] == [("To Lam", "Tô Lâm")]


def test_a_tmx_and_a_txt_pair(demo_project: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    records = [SegmentRecord.of(id=f"s{i}", doc="mt", ordinal=i, source=a, line_start=i,
                                line_end=i, final=b, status="reviewed")
               for i, (a, b) in enumerate(LINES, 1)]
    (tmp_path / "mt.tmx").write_bytes(tmx_bytes(records))
    code, out, _ = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / "mt.tmx"))
    assert code == 0 and out.splitlines()[0] == "President Nazarbayev visited Kazakhstan."
    (tmp_path / "doc.ja.txt").write_text("".join(a + "\n" for a, _ in LINES), "utf-8")
    (tmp_path / "doc.en.txt").write_text("".join(b + "\n" for _, b in LINES), "utf-8")
    for given in ("doc.en.txt", "doc.ja.txt"):
        code, out, _ = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / given))
        assert code == 0 and len(out.splitlines()) == 3
        assert out.splitlines()[0] == "President Nazarbayev visited Kazakhstan."


def test_output_to_a_file_and_input_from_stdin(demo_project: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("\t".join(LINES[0]) + "\n"))
    target = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "-C", str(demo_project), "enforce", "-", "-o", str(target))
    assert code == 0 and out == "" and f"wrote {target}" in err
    assert json.loads(target.read_text("utf-8"))["normalized"] == \
        "President Nazarbayev visited Kazakhstan."


@pytest.mark.parametrize("body, line, what", [
    ("ナザルバエフ\tNazarbaev\nno tab on this line\n", 2, "no tab"),
    ("ナザルバエフ\tNazarbaev\textra\n", 1, "2 tabs"),
])
def test_a_bad_line_is_one_error_naming_file_and_line(
        demo_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str,
        line: int, what: str) -> None:
    path = tsv(tmp_path, body)
    code, out, err = run(capsys, "-C", str(demo_project), "enforce", str(path))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {path}:{line}: {what}")


def test_other_bad_input(demo_project: Path, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / "none.tsv"))
    assert code == 2 and "none.tsv: no such file" in err
    (tmp_path / "alone.en.txt").write_text("Nazarbaev\n", "utf-8")
    code, _, err = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / "alone.en.txt"))
    assert code == 2 and "no alone.ja.txt beside it" in err
    (tmp_path / "short.ja.txt").write_text("ナザルバエフ\nロシア\n", "utf-8")
    (tmp_path / "short.en.txt").write_text("Nazarbaev\n", "utf-8")
    code, _, err = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / "short.ja.txt"))
    assert code == 2 and "2 Japanese lines but 1 English lines" in err
    (tmp_path / "broken.tmx").write_text("<tmx><body><tu>", "utf-8")
    code, _, err = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / "broken.tmx"))
    assert code == 2 and "broken.tmx" in err and "not a readable TMX" in err
    (tmp_path / "binary.tsv").write_bytes(b"\x00\x01\x02\xff" * 50)
    code, _, err = run(capsys, "-C", str(demo_project), "enforce", str(tmp_path / "binary.tsv"))
    assert code == 2 and "binary.tsv" in err
    outside = tmp_path / "outside"
    outside.mkdir()
    code, _, err = run(capsys, "-C", str(outside), "enforce", str(tsv(tmp_path, "a\tb\n")))
    assert code == 2 and "not inside a project" in err
