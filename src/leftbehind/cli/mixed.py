"""Commands that join the survey and the interviews: ``select`` (layer L6)."""

from __future__ import annotations

from pathlib import Path

import typer

from leftbehind.cli._app import app
from leftbehind.cli._output import echo_json

STRATEGIES = ("stratified", "extreme", "typical", "high-low")


class _Residuals:
    """A fitted model's residuals keyed by survey id, as :func:`leftbehind.mixed.select.by_residual` reads them."""

    def __init__(self, residuals, formula: str) -> None:
        self.residuals, self.formula = residuals, formula


@app.command()
def select(
    study: Path = typer.Argument(..., help="Study folder with a survey (and [qual] to record the choice)."),
    strategy: str = typer.Option("stratified", help="stratified | extreme | typical | high-low"),
    n: int = typer.Option(2, "--n", min=1, help="Cases per group (stratified) or in all (extreme, typical)."),
    by: str = typer.Option("", help="Stratify by this column (default: the study's group)."),
    model: str = typer.Option("", help="TABLE:MODEL whose residuals rank cases, e.g. table4:school_belonging (default: the last nested model)."),
    high: str = typer.Option("", help="high-low: the measure to be high on."),
    low: str = typer.Option("", help="high-low: the measure to be low on."),
    seed: int = typer.Option(0, help="Random seed of the stratified draw."),
    record: bool = typer.Option(False, help="Write the choice and its reasons to the theoretical-sampling log."),
    category: str = typer.Option("", help="With --record: the category the cases are to test."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Choose interviewees from survey results; with --record, log why in the sampling log."""
    from leftbehind.errors import InputError
    from leftbehind.mixed import select as choose
    from leftbehind.report.pipeline import load, run_study

    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy '{strategy}'", key="--strategy", hint=f"use one of: {', '.join(STRATEGIES)}")
    loaded = load(study)
    if loaded.survey is None or loaded.analysis is None:
        raise InputError("choosing interviewees needs a study with [survey] and [analysis]", file=str(study))
    results = run_study(loaded)
    frame = results.analysis_frame.set_index(loaded.survey.id, drop=False)
    if strategy == "stratified":
        chosen = choose.stratified(frame, by or loaded.analysis.group, n_per_group=n, seed=seed)
    elif strategy in ("extreme", "typical"):
        first = next(iter(results.tables), "")  # default: the last model of the first declared table
        table, _, name = (model or f"{first}:{list(results.tables[first].models)[-1]}").partition(":")
        if table not in results.tables or name not in results.tables[table].models:
            raise InputError(f"no model '{model}'", key="--model",
                             hint="give TABLE:MODEL, e.g. table4:school_belonging or 'table2:Model 2'")
        fit = results.tables[table].models[name]
        import pandas as pd

        ids = results.analysis_frame.loc[fit.sample_index, loaded.survey.id].to_numpy()
        residuals = pd.Series(list(fit.sm_result.resid), index=ids)
        chosen = choose.by_residual(_Residuals(residuals, fit.formula), frame, n=n, kind=strategy)
    else:
        if not (high and low):
            raise InputError("high-low needs --high and --low", key="--high", hint="e.g. --high depression --low school_belonging")
        chosen = choose.high_low(frame, high=high, low=low)
    names = []
    if record:
        if loaded.qual is None:
            raise InputError("--record needs a [qual] section (the sampling log lives in the interview store)",
                             file=str(study), hint="add [qual] to study.toml or leave out --record")
        from leftbehind.report.outputs import study_store

        names = choose.record_selection(study_store(loaded), chosen, link_column=loaded.qual.link_column,
                                        category=category or None)
    from leftbehind.mixed.link import survey_key

    rows = [{"id": survey_key(i), "reason": r, **({"participant": names[k]} if names else {})}
            for k, (i, r) in enumerate(zip(chosen.index, chosen["reason"]))]
    if as_json:
        echo_json({"strategy": strategy, "chosen": rows})
        return
    for row in rows:
        typer.echo(f"{row['id']}: {row['reason']}" + (f" -> logged for {row['participant']}" if names else ""))
