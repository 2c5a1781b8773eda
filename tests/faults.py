"""Helpers of the fault suite (tests marked `fault`): a small worked project, running the
command line in-process or as a process with a deadline, and asserting the one-line error."""

from __future__ import annotations

import io
import os
import resource
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from projects import DOC, add_work, make_project

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.ingest import sync
from workbench.core.project import Project

REPO = Path(__file__).resolve().parents[1]
DEADLINE = 10.0
"""Seconds of work any command may take on any input of the suite (no runaway)."""
HANG = 60.0
"""Seconds after which a command is taken to hang (wall clock, generous: the machines that
run the suite are shared, so the work itself is measured in CPU seconds)."""


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str
    cpu: float = 0.0
    """CPU seconds the command used (run as a process)."""


def run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Result:
    """`workbench -C root ARGS…` in this process."""
    code = run_cli(cli, ["-C", str(root), *args])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def run_process(root: Path, *args: str, timeout: float = HANG,
                prefix: tuple[str, ...] = ()) -> Result:
    """`workbench -C root ARGS…` as its own process, killed (and failing the test) if it
    runs past `timeout` seconds; fails too if it works more than DEADLINE CPU seconds."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([*prefix, sys.executable, "-m", "workbench", "-C", str(root), *args],
                          capture_output=True, text=True, timeout=timeout, env=env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < DEADLINE, f"{args} worked {cpu:.1f} s"
    return Result(done.returncode, done.stdout, done.stderr, cpu)


def assert_one_error(result: Result, *fragments: str) -> str:
    """Exit 2 and exactly one line on stderr, `error: …`, holding every fragment; no
    traceback anywhere."""
    assert "Traceback" not in result.err + result.out
    lines = result.err.splitlines()
    assert result.code == 2, result.err
    assert len(lines) == 1, f"not one line: {result.err!r}"
    assert lines[0].startswith("error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


def worked_project(root: Path) -> Path:
    """The awkward project of tests/projects.py, ingested and worked on (state closed)."""
    make_project(root)
    with Project.open(root) as project:
        assert not sync(project).errors
        add_work(project)
    return root


def done_segments(root: Path) -> list[tuple[str, str | None, str]]:
    """(id, final, status) of the document's segments, read without writing anything."""
    with Project.open(root, write=False) as project:
        return [(r.id, r.final, r.status) for r in project.segments(DOC)]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def rewrite_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one member of a zip archive (a workbook's XML part) in place."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            dst.writestr(info, change(data) if info.filename == part else data)
    path.write_bytes(buffer.getvalue())


def can_unshare() -> bool:
    """Whether this machine lets a process take its own mount namespace (for a read-only
    bind mount or a small full disk that only that process sees)."""
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True,
                              timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
