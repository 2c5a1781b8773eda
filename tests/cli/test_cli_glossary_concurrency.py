"""Writes to a glossary from many processes at once all land (the folder's lock)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from workbench.core.glossary.formats import read_entries


def test_twenty_concurrent_adds_keep_twenty_rows(empty_project: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-m", "workbench", "-C", str(empty_project),
                               "glossary", "add", f"Name {i}", "ナマエ" + "ア" * i, "--type",
                               "person"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for i in range(20)]
    codes = [p.wait(timeout=60) for p in procs]
    assert codes == [0] * 20
    entries = read_entries(empty_project / "glossary" / "names.tsv")
    assert sorted(e.en for e in entries) == sorted(f"Name {i}" for i in range(20))
