"""`workbench align`, `workbench beads` and `workbench repair` as a user runs them."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.project import Project

DOC = "vietnam-azerbaijan-strategic-partnership"
GOLD = Path(__file__).resolve().parents[1] / "core" / "align_data" / f"{DOC}.tsv"


def run(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, ["-C", str(project), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def translation(tmp_path: Path) -> Path:
    """The English of the VNA statement as a hard-wrapped file, a paragraph a bead."""
    paragraphs = [line.split("\t", 1)[1].replace(" ||| ", " ")
                  for line in GOLD.read_text(encoding="utf-8").splitlines()
                  if line and not line.startswith("#")]
    path = tmp_path / "vna.en.txt"
    path.write_text("\n\n".join(textwrap.fill(p, 72) for p in paragraphs if p.strip()) + "\n",
                    encoding="utf-8")
    return path


def test_align_json_is_the_beads_in_document_order(demo_project: Path, translation: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, demo_project, "align", "vietnam", str(translation),
                         "--dry-run", "--format", "json")
    assert code == 0, err
    beads = json.loads(out)
    assert [b["segments"] for b in beads][:3] == [[1], [2], [3]]
    assert beads[2]["target"] == ["The Vietnam News Agency (VNA) respectfully introduces the "
                                  "full text of the joint statement."]
    assert len(beads[6]["target"]) == 2 and beads[-1] == {"segments": [38], "target": [],
                                                          "confidence": beads[-1]["confidence"]}
    assert all(0 <= b["confidence"] <= 1 for b in beads)
    assert "dry run: nothing was changed" in err and "would set 37 finals" in err
    with Project.open(demo_project, write=False) as project:
        assert not any(r.final for r in project.segments(DOC))


def test_align_applies_and_a_second_run_changes_nothing(demo_project: Path, translation: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    code, out, err = run(capsys, demo_project, "align", DOC, str(translation))
    assert code == 0, err
    assert "set 37 finals" in err and "segments" in out.splitlines()[0]
    code, _, err = run(capsys, demo_project, "status")
    assert code == 0
    code, out, err = run(capsys, demo_project, "align", DOC, str(translation), "--format", "tsv")
    assert code == 0
    assert out.splitlines()[0] == "segments\tconfidence\tsource\ttarget"
    assert "its beads are kept as they were" in err and "set 0 finals" in err


def test_a_conflict_is_reported_and_exits_1(demo_project: Path, translation: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with Project.open(demo_project) as project:
        from workbench.core.ingest import sync

        sync(project)
        third = project.segments(DOC)[2]
        project.update(third.id, final="VNA presents it.", status="reviewed")
    code, _, err = run(capsys, demo_project, "align", DOC, str(translation))
    assert code == 1
    assert "conflict: #3 is reviewed: 'VNA presents it.' kept" in err


def test_beads_lists_the_least_sure_first(demo_project: Path, translation: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, demo_project, "beads", DOC)
    assert code == 0 and "align a translation first" in out
    run(capsys, demo_project, "align", DOC, str(translation))
    code, out, _ = run(capsys, demo_project, "beads", DOC, "--format", "json", "--limit", "5")
    found = json.loads(out)
    assert len(found) == 5
    assert [b["confidence"] for b in found] == sorted(b["confidence"] for b in found)
    code, out, _ = run(capsys, demo_project, "beads", DOC, "--orphans")
    assert code == 0 and "no beads" in out


def test_repair_merge_split_shift_undo_list(demo_project: Path, translation: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, demo_project, "align", DOC, str(translation))
    code, out, err = run(capsys, demo_project, "repair", "merge", "vietnam", "5")
    assert code == 0, err
    assert out.startswith("merged into #5 [draft] ベトナムとアゼルバイジャンの関係は")
    code, out, err = run(capsys, demo_project, "repair", "split", "vietnam", "5",
                         "--after", "基盤としています。")
    assert code == 0, err
    assert [line.split()[1] for line in out.splitlines()] == ["#5", "#6"]
    code, out, _ = run(capsys, demo_project, "repair", "shift", "vietnam", "7", "down")
    assert code == 0 and "now #8" in out and "The statement was adopted" in out
    code, out, _ = run(capsys, demo_project, "repair", "list", "vietnam")
    assert [line.split()[4] for line in out.splitlines()] == ["merge", "split", "shift"]
    first = ("ベトナムとアゼルバイジャンの関係は、国際法、特に国連憲章の規範と原則の遵守を"
             "基盤としています。")
    assert out.splitlines()[1].endswith(f"split at {len(first)}")
    code, out, _ = run(capsys, demo_project, "repair", "undo", "vietnam")
    assert code == 0 and out.startswith("undid the shift")


@pytest.mark.parametrize(("args", "message"), [
    (("align", DOC, "missing.txt"), "missing.txt: no such file"),
    (("align", "nosuchdoc", "x.txt"), "no document 'nosuchdoc' in the project"),
    (("repair", "merge", DOC, "99"), "has no segment #99"),
    (("repair", "merge", DOC, "38"), "there is no next segment"),
    (("repair", "split", DOC, "4", "--after", "存在しない"), "#4 does not contain"),
    (("repair", "split", DOC, "4", "--at", "0"), "both parts must hold text"),
    (("repair", "shift", DOC, "1", "up"), "is the first of"),
    (("repair", "shift", DOC, "38", "up"), "no translated sentence to move"),
    (("repair", "attach", DOC, "3", "up"), "no target sentence without a segment"),
    (("repair", "undo", DOC), "no repair of"),
])
def test_bad_input_is_one_line_and_exit_2(demo_project: Path, args: tuple[str, ...],
                                          message: str, capsys: pytest.CaptureFixture[str]
                                          ) -> None:
    code, _, err = run(capsys, demo_project, *args)
    assert code == 2
    assert message in err and "Traceback" not in err
