"""`workbench check` as a reviewer runs it on the demo project: the new checks, ignoring a
false positive, and a missing spelling dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.ingest import sync
from workbench.core.project import Project

MEDVEDEV = "Dmitry MedvedevはAzerbaijanに迎えている"


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, ["-C", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def finalize(root: Path, fragment: str, final: str | None = None,
             status: str = "reviewed") -> str:
    """Give the segment whose source holds `fragment` a final (its source if None)."""
    with Project.open(root) as project:
        sync(project)
        record = next(r for r in project.segments() if fragment in r.source)
        project.update(record.id, final=record.source if final is None else final,
                       status=status)
        return record.id


def issues(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> list[dict[str, str]]:
    code, out, err = run(capsys, root, "check", "--format", "json", "--fail-on", "never", *args)
    assert code == 0, err
    return list(json.loads(out)["issues"])


def test_a_half_japanese_final_accepted_as_reviewed_fails_the_check(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    finalize(demo_project, "メドベージェフはアゼルバイジャンに迎えている", MEDVEDEV)
    code, out, _ = run(capsys, demo_project, "check")
    assert code == 1
    row = next(line for line in out.splitlines() if "japanese-left" in line)
    assert row.split()[:3] == ["error", "#8", "japanese-left:"]
    assert "Japanese left in the English: は, に迎えている" in row


def test_the_same_cyrillic_text_on_both_sides_has_the_same_numbers(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    finalize(demo_project, "отметила15-летие")            # the reference copied as it is
    found = [i for i in issues(capsys, demo_project) if "15" in i["message"]]
    assert found == []
    finalize(demo_project, "отметила15-летие", "^ “The Russian community of Azerbaijan "
             "celebrated its anniversary with a conference” – CentrAsia.")
    found = [i for i in issues(capsys, demo_project) if i["check"] == "number-mismatch"]
    assert [i["message"] for i in found] == ["the source has 15 but the target does not"]


def test_an_issue_is_ignored_by_its_id_and_comes_back_when_its_text_changes(
        demo_project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_USER", "ana")
    segment = finalize(demo_project, "双方は情報交換を強化し",
                       "The the two sides will strengthen the exchange of information.")
    [issue] = [i for i in issues(capsys, demo_project) if i["check"] == "repeated-word"]
    code, out, _ = run(capsys, demo_project, "check", "--fail-on", "never")
    assert code == 0 and issue["id"] in out                # the table shows each id
    code, out, err = run(capsys, demo_project, "check", "--ignore", issue["id"],
                         "--fail-on", "never")
    assert code == 0 and f"ignored {issue['id']}: repeated-word in" in err
    assert issue["id"] not in out and "(1 ignored)" in out
    assert [i for i in issues(capsys, demo_project) if i["check"] == "repeated-word"] == []
    code, out, _ = run(capsys, demo_project, "check", "--show-ignored", "--fail-on", "never")
    row = next(line for line in out.splitlines() if issue["id"] in line)
    assert "repeated-word" in row and " ana " in row
    code, out, _ = run(capsys, demo_project, "check", "--format", "json", "--show-ignored",
                       "--fail-on", "never")
    [ignored] = json.loads(out)["ignored"]
    assert (ignored["id"], ignored["by"]) == (issue["id"], "ana")
    with Project.open(demo_project) as project:
        project.update(segment, final="The the sides will strengthen the exchange.")
    [back] = [i for i in issues(capsys, demo_project) if i["check"] == "repeated-word"]
    assert back["id"] != issue["id"]
    code, out, _ = run(capsys, demo_project, "check", "--show-ignored", "--fail-on", "never")
    assert "1 ignored issue is no longer found (fixed, or its segment changed)" in out


def test_an_unknown_issue_id_is_an_input_error(demo_project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, demo_project, "check", "--ignore", "0123456789")
    assert code == 2 and "no issue with id '0123456789' in this check" in err


def test_without_a_dictionary_spelling_is_skipped_with_a_note(
        demo_project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WORKBENCH_HUNSPELL", str(tmp_path / "en_US.dic"))
    finalize(demo_project, "メドベージェフはアゼルバイジャンに迎えている", MEDVEDEV)
    code, out, err = run(capsys, demo_project, "check")
    assert code == 1 and "japanese-left" in out               # the other checks ran
    assert "note: " in err and "spelling not checked" in err
    assert "apt install hunspell-en-us" in err

