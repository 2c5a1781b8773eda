"""Shared fixtures: the repo's demo project copied into a temp folder, paths to ../shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def demo_project(tmp_path: Path) -> Path:
    """A fresh copy of the demo project (sources/ and glossary/, empty aligned/)."""
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copytree(REPO / "glossary", root / "glossary")
    (root / "aligned").mkdir()
    return root


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A project folder with empty sources/, glossary/ and aligned/."""
    root = tmp_path / "proj"
    for sub in ("sources", "glossary", "aligned"):
        (root / sub).mkdir(parents=True)
    return root
