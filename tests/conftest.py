"""Fixtures shared by every layer's tests: the demo project copied into a temp folder, an
empty project, a project of awkward segments (`tricky`), and a tiny offline MT model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argos_fixture import build_fixture
from projects import add_work, make_project

from workbench.core.ingest import sync
from workbench.core.mt.packages import ModelInfo
from workbench.core.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
              ) -> Path:
    """XDG_DATA_HOME in a temporary folder for every test: the user's translation memory
    (and anything else kept there) never touches the real home."""
    folder = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    return folder


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


@pytest.fixture
def tricky(tmp_path: Path) -> Iterator[Project]:
    """An open project with the awkward segments above, worked on."""
    root = make_project(tmp_path / "proj")
    with Project.open(root) as project:
        result = sync(project)
        assert not result.errors
        add_work(project)
        yield project


@pytest.fixture(scope="session")
def fixture_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The echo ja→en `.argosmodel` (built once per test session)."""
    folder = tmp_path_factory.mktemp("argos-fixture")
    return build_fixture(folder / "translate-ja_en-fixture.argosmodel")


@pytest.fixture
def argos_packages_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty packages folder, set as ARGOS_PACKAGES_DIR for the test."""
    folder = tmp_path / "argos-packages"
    folder.mkdir()
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    yield folder


@pytest.fixture
def installed_model(argos_packages_dir: Path, fixture_package: Path) -> ModelInfo:
    """The echo package installed into the test's ARGOS_PACKAGES_DIR."""
    from workbench.core.mt.packages import install_model

    return install_model(fixture_package)
