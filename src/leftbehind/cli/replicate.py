"""Commands for replicating from published figures: ``audit`` (and ``simulate``, ``power``) (layer L6)."""

from __future__ import annotations

from pathlib import Path

import typer

from leftbehind.cli._app import app
from leftbehind.cli._output import echo_json, split_names


@app.command()
def audit(
    figures: Path = typer.Argument(..., help="Published-figures JSON file (docs/published-figures.md)."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as a JSON list."),
    integer: str = typer.Option("", help="Comma-separated variables of Table 1 that hold integers (GRIM/GRIMMER)."),
    outcome: str = typer.Option("", help="The outcome of the models, if the figures do not say."),
    show_all: bool = typer.Option(False, "--all", help="Also list the checks that passed."),
) -> None:
    """Check a paper's printed numbers for internal consistency (GRIM, GRIMMER, percentages, flow, stars, models)."""
    from leftbehind.audit import audit_figures, load_figures

    report = audit_figures(load_figures(figures), integer_valued=tuple(split_names(integer)),
                           outcome=outcome or None)
    if as_json:
        echo_json(report.to_dict())
    else:
        typer.echo(report.to_text(include_ok=show_all))
