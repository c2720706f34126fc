"""The Typer applications (plain help text: Rich help rendering alone takes half a second) that the command modules attach their commands to (layer L6).

Command modules import only Typer at module level; the layers below are imported inside the
command functions, so ``leftbehind --help`` stays fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="leftbehind",
    help="Mixed-methods workbench for studies of children in migrant families.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
qual_app = typer.Typer(
    help="The interview arm: the qualitative store, coding and grounded-theory analyses.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(qual_app, name="qual")
