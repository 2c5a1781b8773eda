"""House rules that keep the code easy to change: a UI-free core, a documented CLI."""

from __future__ import annotations

import pkgutil
import re
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
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
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


def test_no_import_cycles_lazy_imports_included() -> None:
    """The package's import graph, imports inside functions included, has no circle."""
    import grimp

    graph = grimp.build_graph("workbench")
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(v: str) -> None:   # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert cycles == []


def test_import_contracts_hold() -> None:
    """`lint-imports`: the layers of pyproject.toml's [tool.importlinter] contracts."""
    proc = subprocess.run(["lint-imports", "--no-cache"], capture_output=True, text=True,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stdout[-2000:]


PRIVATE_TEXTUAL = re.compile(r"^\s*(?:from|import) textual[\w.]*\._|"
                             r"^\s*from textual[\w.]* import .*\b_[A-Za-z]", re.M)


def test_textual_internals_are_used_in_one_module_only() -> None:
    """Private Textual names only in the compatibility module, which checks the version."""
    users = sorted(str(p.relative_to(REPO)) for p in (REPO / "workbench").rglob("*.py")
                   if PRIVATE_TEXTUAL.search(p.read_text(encoding="utf-8")))
    assert len(users) <= 1, users


def test_no_module_is_much_over_600_lines() -> None:
    big = {str(p.relative_to(REPO)): n for p in (REPO / "workbench").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 650}
    assert big == {}


def test_the_cli_prints_no_console_markup() -> None:
    """The CLI's consoles interpret no markup (a name such as `[1]` or `[red]` in a file is
    printed as it is), so markup written into a message would show through as text."""
    markup = re.compile(r"rich\.markup|\[/\]|\[(?:bold|dim|red|yellow|green|cyan)[\] ]")
    users = sorted(str(p.relative_to(REPO)) for p in (REPO / "workbench" / "cli").rglob("*.py")
                   if p.name != "_common.py" and markup.search(p.read_text(encoding="utf-8")))
    assert users == []


def test_each_command_is_found_in_the_module_that_holds_it() -> None:
    """The command line imports a command's module when the command is used: the map it
    goes by names every command of every module, each in its own module."""
    import importlib

    from workbench.cli import COMMAND_MODULES

    held = {}
    for module in pkgutil.iter_modules([str(REPO / "workbench" / "cli")]):
        commands = getattr(importlib.import_module(f"workbench.cli.{module.name}"),
                           "COMMANDS", [])
        held.update({command.name: module.name for command in commands})
    assert held == COMMAND_MODULES
