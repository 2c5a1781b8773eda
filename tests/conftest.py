"""Fixtures shared by every layer's tests: the demo project copied into a temp folder, an
empty project, a project of awkward segments (`tricky`), a tiny offline MT model, and the
state backends (`backend`: each test runs on SQLite and, when $WORKBENCH_TEST_PG names a
PostgreSQL server, on a fresh database of it)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argos_fixture import build_fixture
from projects import add_work, make_project, use_backend

from workbench.core.ingest import sync
from workbench.core.mt.packages import ModelInfo
from workbench.core.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEST_PG = os.environ.get("WORKBENCH_TEST_PG", "")
"""A PostgreSQL server the tests may create databases on (`.ci/postgres start` sets it)."""


def database_url(server: str, name: str) -> str:
    """`server`'s URL naming the database `name` instead."""
    head, sep, query = server.partition("?")
    scheme, _, rest = head.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/{name}{sep}{query}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty (UTF-8, C-collated) database, dropped after the test."""
    if not TEST_PG:
        pytest.skip("no PostgreSQL server: set WORKBENCH_TEST_PG (`. .ci/postgres start`)")
    import psycopg

    name = f"wbtest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(TEST_PG, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8 '
                     "LC_COLLATE 'C' LC_CTYPE 'C'")
    yield database_url(TEST_PG, name)
    with psycopg.connect(TEST_PG, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str | None:
    """None for SQLite, else the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def demo_on_backend(demo_project: Path, backend: str | None) -> Path:
    """The demo project with its state on each backend."""
    return use_backend(demo_project, backend)


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
