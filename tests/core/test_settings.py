"""workbench.toml: the state URL written and taken out without touching anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.errors import ProjectError
from workbench.core.settings import read_settings, redact_url, write_state_url


def test_the_url_is_set_replaced_and_removed_leaving_the_rest(tmp_path: Path) -> None:
    settings = tmp_path / "workbench.toml"
    assert read_settings(tmp_path).state_url is None
    write_state_url(tmp_path, "postgresql://a@h/one")
    assert settings.read_text(encoding="utf-8") == '[state]\nurl = "postgresql://a@h/one"\n'
    settings.write_text('# team settings\n[state]\nurl = "postgresql://a@h/one"  # here\n\n'
                        '[other]\nkeep = 1\n', encoding="utf-8")
    write_state_url(tmp_path, "postgresql://b@h/two")
    assert read_settings(tmp_path).state_url == "postgresql://b@h/two"
    assert "# team settings" in settings.read_text(encoding="utf-8")
    assert "keep = 1" in settings.read_text(encoding="utf-8")
    write_state_url(tmp_path, None)
    assert read_settings(tmp_path).state_url is None
    assert "keep = 1" in settings.read_text(encoding="utf-8")
    settings.write_text('[state]\nurl = "postgresql://a@h/one"\n', encoding="utf-8")
    write_state_url(tmp_path, None)
    assert not settings.exists()


@pytest.mark.parametrize("url", ["postgresql://a:pw@h/db", "postgresql://a@h/db?password=pw"])
def test_a_password_is_never_written(tmp_path: Path, url: str) -> None:
    with pytest.raises(ProjectError, match="holds a password"):
        write_state_url(tmp_path, url)
    assert not (tmp_path / "workbench.toml").exists()


def test_a_url_without_a_database_or_of_another_kind_is_refused(tmp_path: Path) -> None:
    for url, message in (("postgresql://a@h", "names no database"),
                         ("sqlite:///x.db", "not a PostgreSQL URL")):
        with pytest.raises(ProjectError, match=message):
            write_state_url(tmp_path, url)


def test_passwords_are_hidden_in_messages() -> None:
    assert redact_url("postgresql://a:secret@h:5433/db") == "postgresql://a:***@h:5433/db"
    assert redact_url("postgresql:///db?host=/tmp") == "postgresql:///db?host=/tmp"
