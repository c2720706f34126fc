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


def _group_sizes(text: str) -> dict[str, int]:
    from leftbehind.errors import InputError

    sizes = {}
    for part in split_names(text):
        name, _, value = part.partition("=")
        if not value.strip().isdigit():
            raise InputError(f"cannot read group size '{part}'", key="--groups",
                             hint="write NAME=SIZE pairs, reference group first: none=368,mother=29")
        sizes[name.strip()] = int(value)
    return sizes


@app.command()
def power(
    groups: str = typer.Option(..., help="Group sizes, reference first: none=368,mother=29,father=123,both=85."),
    target: str = typer.Option(..., help="The group whose interaction with the moderator is tested."),
    effect: float | None = typer.Option(None, help="Interaction effect in residual SDs per moderator SD."),
    figures: Path | None = typer.Option(None, help="Published-figures JSON to take the effect from (with --term)."),
    term: str = typer.Option("", help="TABLE.MODEL.TERM of the published interaction, e.g. table4_interactions.school_belonging.mother_x."),
    wanted: float = typer.Option(0.8, "--power", help="The power wanted."),
    effects: str = typer.Option("", help="Comma-separated effect sizes for the power curve (default around the effect)."),
    reps: int = typer.Option(1000, help="Monte Carlo replicates per point."),
    seed: int = typer.Option(0, help="Random seed."),
    plot: Path | None = typer.Option(None, help="Write the power curve to PLOT.png and PLOT.svg."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Monte Carlo power of a group x moderator interaction, and the group size a given power needs."""
    from leftbehind.audit import load_figures
    from leftbehind.errors import InputError
    from leftbehind.simulate.power import interaction_power, published_effect

    sizes = _group_sizes(groups)
    source = "given"
    if figures is not None:
        effect, source = published_effect(load_figures(figures), term, sizes, target=target, file=str(figures))
    if effect is None:
        raise InputError("no effect size given", key="--effect",
                         hint="pass --effect 0.4, or --figures FILE --term TABLE.MODEL.TERM")
    result = interaction_power(sizes, effect, target=target, power=wanted, n_reps=reps, seed=seed,
                               effects=[float(v) for v in split_names(effects)] or None)
    if plot is not None:
        from leftbehind.present.interaction_plot import power_plot

        power_plot(result.curve, plot, labels={"title": f"Power to detect the {target} x moderator interaction",
                                               "effect": "Interaction (residual SD per moderator SD)"},
                   target_power=wanted)
    if as_json:
        echo_json({**result.to_dict(), "effect_source": source})
        return
    typer.echo(f"effect {effect:+.3f} ({source})")
    typer.echo(result.statement())
    typer.echo(result.to_frame().to_string(index=False))


@app.command()
def simulate(
    published: Path = typer.Option(..., "--published", help="Published-figures JSON (docs/published-figures.md)."),
    out: Path = typer.Option(..., "--out", help="Study folder to write (study.toml + data/)."),
    seed: int = typer.Option(2023, help="Random seed; the calibration holds for any seed."),
    force: bool = typer.Option(False, help="Write into OUT even if it holds a study already."),
) -> None:
    """Write raw questionnaires calibrated to a paper's published figures, as a study folder."""
    from rich.console import Console

    from leftbehind.errors import InputError
    from leftbehind.simulate import write_study

    if (out / "study.toml").exists() and not force:
        raise InputError(f"{out} already holds a study.toml", hint="choose another --out or pass --force")
    with Console(stderr=True).status("simulating and calibrating (a few seconds)..."):
        result = write_study(published, out, seed=seed)
    flow = result.flow
    typer.echo(f"wrote {out}/study.toml and {out}/data/ ({flow})" if not isinstance(flow, dict) else
               f"wrote {out}/study.toml and {out}/data/: " + ", ".join(f"{k} {v}" for k, v in flow.items()))
    typer.echo(f"next: leftbehind run {out}")
