"""Commands of this area (registered in workbench.cli)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
