"""The Typer applications (plain help text: Rich help rendering alone takes half a second) that the command modules attach their commands to (layer L6).

Command modules import only Typer at module level; the layers below are imported inside the
command functions, so ``leftbehind --help`` stays fast.
"""

from __future__ import annotations

import typer


def _help_when_no_command(ctx: typer.Context) -> None:
    """A group called without a command prints its help and exits 2 (a usage error), whatever
    the click version (before click 8.2 ``no_args_is_help`` exited 0)."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(2)


app = typer.Typer(
    name="leftbehind",
    help="Mixed-methods workbench for studies of children in migrant families.",
    callback=_help_when_no_command,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
qual_app = typer.Typer(
    help="The interview arm: the qualitative store, coding and grounded-theory analyses.",
    callback=_help_when_no_command,
    invoke_without_command=True,
    rich_markup_mode=None,
)
app.add_typer(qual_app, name="qual")
