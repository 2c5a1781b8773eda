"""A killed export leaves the previous file whole: the write goes to a temp file first."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from openpyxl import load_workbook

from workbench.core.formats.ooxml import Column, Sheet, Workbook


def _previous_workbook(path: Path) -> bytes:
    book = Workbook()
    book.add(Sheet(book.sheet_name("old"), [Column("text", 20)], [("previous export",)]))
    book.save(path)
    return path.read_bytes()


def test_kill_mid_export_leaves_the_old_workbook(tmp_path: Path) -> None:
    target = tmp_path / "bilingual.xlsx"
    old = _previous_workbook(target)
    # A child process streams a big sheet into the same path and says when it is halfway.
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from workbench.core.formats.ooxml import Column, Sheet, Workbook

        def rows():
            for i in range(100_000):
                if i == 5_000:
                    print("halfway", flush=True)
                    time.sleep(60)
                yield (f"row {{i}} " * 10,)

        book = Workbook()
        book.add(Sheet(book.sheet_name("new"), [Column("text", 20)], rows()))
        book.save(Path({str(target)!r}))
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "halfway"
        temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert temps, "the new workbook is being written beside the old one"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    assert load_workbook(target)["old"]["A2"].value == "previous export"
