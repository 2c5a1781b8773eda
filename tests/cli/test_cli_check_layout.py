"""`workbench check` read at 80 columns: no name broken mid-word, no count cut off; every
error one line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from workbench.cli import check_cmds, cli
from workbench.cli._common import run_cli
from workbench.core.checks import check_records
from workbench.core.glossary.folder import load_glossary
from workbench.core.ingest import sync
from workbench.core.project import Project

BLUEBOOK = "diplomatic-bluebook-2025-russia-central-asia-caucasus"


def check_at(width: int, root: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> list[str]:
    buffer = io.StringIO()
    monkeypatch.setattr(check_cmds, "out", Console(file=buffer, width=width, markup=False,
                                                   emoji=False, highlight=False,
                                                   soft_wrap=True, no_color=True))
    assert run_cli(cli, ["-C", str(root), "check", "--fail-on", "never"]) == 0
    capsys.readouterr()
    return buffer.getvalue().splitlines()


@pytest.fixture
def reviewed(demo_project: Path) -> Path:
    """The demo with a reviewed translation in every document, names misspelt."""
    with Project.open(demo_project) as project:
        sync(project)
        for doc in project.documents():
            for record in project.segments(doc.name)[::40]:
                project.update(record.id, final="Elchibei met Putin in Khodjaly in 2025.",
                               status="reviewed")
    return demo_project


@pytest.mark.parametrize("width", [80, 60])
def test_check_reads_at_narrow_widths(reviewed: Path, width: int,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    lines = check_at(width, reviewed, monkeypatch, capsys)
    assert max(cell_len(line) for line in lines) <= width
    assert not any("…" in line for line in lines), "something was cut"
    # Every document name stands whole on its own line, above its issues.
    for doc in ("azerbaijan-russia-relations", BLUEBOOK, "kazakhstan-foreign-policy"):
        assert doc in lines
    # Every spelling of the census stands whole with its count on one line.
    with Project.open(reviewed, write=False) as project:
        report = check_records(project.segments(), load_glossary(reviewed / "glossary"))
    text = "\n".join(lines)
    for row in report.census:
        if len(row.spellings) > 1:
            for spelling, count in row.spellings:
                assert f"{spelling} ×{count}" in text, (spelling, count)
    # One issue a line: severity, number and check together, only the message wraps.
    issue = next(line for line in lines if "term-missing" in line)
    assert issue.split()[0] == "error" and issue.split()[1].startswith("#")


def test_the_census_is_two_columns_when_there_is_room(reviewed: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    lines = check_at(120, reviewed, monkeypatch, capsys)
    putin = next(line for line in lines if line.startswith("Vladimir Putin "))
    assert "プーチン ×11" in putin


def test_an_error_and_its_hint_are_one_line(demo_project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = run_cli(cli, ["-C", str(demo_project), "segment", "nonesuch-document"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("error: ") and "(documents: azerbaijan-russia-relations, " in err
