"""The `workbench` command line: parse arguments, call the core, print.

Each module here holds the commands of one area and lists them in `COMMANDS`.
"""

from __future__ import annotations

import sys

import click

from workbench import __version__
from workbench.cli import (
    align_cmds,
    check_cmds,
    enforce_cmds,
    export_cmds,
    glossary_cmds,
    mt_cmds,
    project_cmds,
    review_cmds,
    serve_cmds,
    state_cmds,
    team_cmds,
    tm_cmds,
)
from workbench.cli._common import Context, run_cli


@click.group(invoke_without_command=True,
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
        review = cli.commands.get("review")
        if review is None:
            click.echo(ctx.get_help())
        else:
            ctx.invoke(review)


for _module in (project_cmds, state_cmds, check_cmds, glossary_cmds, enforce_cmds, mt_cmds,
                export_cmds, review_cmds, tm_cmds, align_cmds, team_cmds, serve_cmds):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: user errors print one message and exit 2."""
    sys.exit(run_cli(cli, argv))
