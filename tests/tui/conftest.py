"""Fixtures of the review TUI's tests: a small project with two documents and a glossary."""

from __future__ import annotations

from pathlib import Path

import pytest
from driving import GLOSSARY, OTHER, RELATIONS

from workbench.core.errors import ModelError


@pytest.fixture
def project_dir(empty_project: Path, argos_packages_dir: Path) -> Path:
    """Two small documents and a glossary; no MT model installed."""
    (empty_project / "sources" / "relations.ja.txt").write_text(RELATIONS, encoding="utf-8")
    (empty_project / "sources" / "other.ja.txt").write_text(OTHER, encoding="utf-8")
    (empty_project / "glossary" / "names.tsv").write_text(GLOSSARY, encoding="utf-8")
    return empty_project


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """No MT model, with a message that does not name a temporary folder."""
    import workbench.core.mt.packages as packages

    def find_model() -> None:
        raise ModelError("no ja→en translation model is installed", hint=packages.INSTALL_HINT)

    monkeypatch.setattr(packages, "find_model", find_model)


@pytest.fixture(autouse=True)
def accept_japanese_left(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
                         ) -> None:
    """The fixture project has no MT: its tests accept the half-Japanese pre-translation
    without the question before it (tests/tui/test_review_qa.py asks it)."""
    if "asks_before_japanese_left" not in request.keywords:
        monkeypatch.setattr("workbench.tui.screens.review_qa.ASK_BEFORE_JAPANESE_LEFT", False)

