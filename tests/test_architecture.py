"""House rules that keep the code easy to change: a UI-free core, a documented CLI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

import workbench.core
from workbench.cli import cli

REPO = Path(__file__).resolve().parents[1]


def core_modules() -> list[str]:
    return [f"workbench.core.{m.name}" for m in pkgutil.iter_modules(workbench.core.__path__)]


def test_core_imports_without_textual_or_rich() -> None:
    modules = core_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')"
        " or m.startswith(('workbench.tui', 'workbench.cli')))\n"
        "print(','.join(bad))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "", f"core pulled in UI modules: {proc.stdout.strip()}"


def test_cli_starts_without_heavy_imports() -> None:
    """`workbench status` must not pay for torch, argostranslate, pandas or textual."""
    code = ("import sys; import workbench.cli\n"
            "heavy = [m for m in ('torch', 'argostranslate', 'ctranslate2', 'pandas', 'textual',"
            " 'stanza') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == ""


def all_commands(group: click.Group, prefix: str = "workbench") -> list[tuple[str, click.Command]]:
    found: list[tuple[str, click.Command]] = []
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(all_commands(command, path))
    return found


@pytest.mark.parametrize(("path", "command"), all_commands(cli), ids=lambda v: str(v))
def test_every_command_has_help_and_is_in_the_readme(path: str, command: click.Command) -> None:
    assert command.help and command.help.strip(), f"{path} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{path} {param.opts[0]} has no help text"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{path}" in readme, f"{path} is not documented in README.md"
