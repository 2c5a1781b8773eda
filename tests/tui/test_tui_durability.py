"""An accepted segment is on disk the moment it is accepted: kill -9 right after loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from workbench.core.project import Project

DRIVER = """
import asyncio, sys
from workbench.core.project import Project
from workbench.tui.app import ReviewApp
from workbench.core.ingest import sync

async def main() -> None:
    project = Project.open(sys.argv[1])
    sync(project)
    app = ReviewApp(project, "doc")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the segments are read in a worker
        await pilot.pause()
        await pilot.press("enter", "e", *"edited", "escape")
        print("done", flush=True)
        await asyncio.sleep(60)  # killed here, the app still running

asyncio.run(main())
"""


def test_accept_and_edit_survive_kill_9(empty_project: Path, tmp_path: Path) -> None:
    (empty_project / "sources" / "doc.ja.txt").write_text(
        "エルチベイの政治は「反ロシア」と呼ばれています。\nバクーは首都です。\n", encoding="utf-8")
    (empty_project / "glossary" / "names.tsv").write_text(
        "en\tja\ttype\nAbulfaz Elchibey\tエルチベイ\tperson\n", encoding="utf-8")
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(tmp_path / "no-models")}
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(empty_project)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "done", proc.stderr.read() if proc.stderr else ""
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    with Project.open(empty_project) as project:  # the lock died with the process
        first, second = project.segments("doc")
        assert first.status == "reviewed"
        assert first.final is not None and "Abulfaz Elchibey" in first.final
        assert second.status == "draft"
        assert second.final is not None and second.final.endswith("edited")
