"""The `workbench` command line: parse arguments, call the core, print.

Each module here holds the commands of one area and lists them in `COMMANDS`.
"""

from __future__ import annotations

import importlib
import sys

import click

from workbench import __version__
from workbench.cli._common import Context, run_cli

COMMAND_MODULES: dict[str, str] = {
    "init": "project_cmds", "ingest": "project_cmds", "status": "project_cmds",
    "segment": "project_cmds", "state": "state_cmds", "check": "check_cmds",
    "glossary": "glossary_cmds", "enforce": "enforce_cmds", "models": "mt_cmds",
    "translate": "mt_cmds", "export": "export_cmds", "import": "export_cmds",
    "review": "review_cmds", "tm": "tm_cmds", "stats": "tm_cmds", "align": "align_cmds",
    "beads": "align_cmds", "repair": "align_cmds", "assign": "team_cmds",
    "serve": "serve_cmds",
}
"""Which module of this package holds each command: a command's module (and what it
imports of the core) is loaded when the command is run or listed, not for every command."""


class LazyGroup(click.Group):
    """A group whose commands are imported from their modules on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module = importlib.import_module(f"{__name__}.{COMMAND_MODULES[cmd_name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(cmd_name)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-C", "--project", "project_dir", type=click.Path(file_okay=False, path_type=str),
              default=".", show_default=True, help="The project folder (or a folder inside it).")
@click.option("--user", metavar="NAME",
              help="Who the changes are by (default: $WORKBENCH_USER, else the login name).")
@click.version_option(__version__, prog_name="workbench")
@click.pass_context
def cli(ctx: click.Context, project_dir: str, user: str | None) -> None:
    """Review Japanese documents into English, sentence by sentence.

    With no command, opens the review workbench on the project in the current folder.
    """
    ctx.obj = Context(project_dir, user)
    if ctx.invoked_subcommand is None:
        review = cli.get_command(ctx, "review")
        if review is None:
            click.echo(ctx.get_help())
        else:
            ctx.invoke(review)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: user errors print one message and exit 2."""
    sys.exit(run_cli(cli, argv))
