"""Quick commands on any data file, no study file needed (layer L6).

``alpha``, ``efa``, ``ols``, ``slopes``, ``nested`` and ``describe`` read a CSV, XLSX, SPSS,
Stata or Parquet file and print a table, or stable JSON with ``--json``. Their names, options
and JSON keys are a public interface: scripts rely on them. They read the file with
:func:`leftbehind.survey.read_data`, as ``leftbehind run`` does: user-missing codes of a ``.sav``
or ``.dta`` file are missing here too, and the file's variable and value labels name the rows.
"""

from __future__ import annotations

from pathlib import Path

import typer

from leftbehind.cli._app import app
from leftbehind.cli._output import echo_json, split_names

DATA = typer.Argument(..., help="Data file: .csv .xlsx .sav .dta .parquet")
JSON = typer.Option(False, "--json", help="Print stable JSON instead of a table.")
SE = typer.Option("classical", "--se", help="classical | HC1 | HC3 | cluster:COLUMN | CR2:COLUMN")


def _read(path: Path):
    from leftbehind.survey import read_data

    return read_data(path)


def _frame(path: Path):
    return _read(path).frame


def _labels(data):
    from leftbehind.present.labels import Labels

    return Labels.from_data(data)


def _with_labels(frame, names: list[str]):
    """``frame`` with a first column ``label`` when any of ``names`` (its index) is labelled."""
    if all(name == str(index) for name, index in zip(names, frame.index)):
        return frame
    return frame.assign(label=names)[["label", *frame.columns]]


def _items(frame, text: str, option: str = "--items") -> list[str]:
    from leftbehind.errors import InputError

    names = split_names(text)
    if not names:
        raise InputError(f"{option} names no column", hint=f"give a comma-separated list, e.g. {option} a,b,c")
    missing = [n for n in names if n not in frame.columns]
    if missing:
        import difflib

        close = difflib.get_close_matches(missing[0], [str(c) for c in frame.columns], n=3)
        hint = f"did you mean {', '.join(close)}?" if close else f"columns are: {', '.join(map(str, frame.columns[:12]))}"
        raise InputError(f"no such column in {option}", column=missing[0], hint=hint)
    return names


def _print_frame(frame, *, digits: int = 3) -> None:
    from leftbehind.present.numfmt import fmt

    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype.kind == "f":
            shown[column] = [fmt(v, digits) for v in shown[column]]
    typer.echo(shown.to_string())


@app.command()
def alpha(data: Path = DATA, items: str = typer.Option(..., help="Comma-separated item columns."),
          as_json: bool = JSON) -> None:
    """Cronbach's alpha with a 95% CI, alpha if item deleted and item-rest correlations."""
    from leftbehind.measures import cronbach_alpha

    read = _read(data)
    result = cronbach_alpha(read.frame, _items(read.frame, items))
    if as_json:
        echo_json(result.to_dict())
        return
    lo, hi = result.ci95
    labels = _labels(read)
    typer.echo(f"Cronbach's alpha = {result.alpha:.4f}  95% CI [{lo:.4f}, {hi:.4f}]  n = {result.n}")
    _print_frame(_with_labels(result.items, [labels.variable(str(i)) for i in result.items.index]))


@app.command()
def efa(data: Path = DATA, items: str = typer.Option(..., help="Comma-separated item columns."),
        factors: int = typer.Option(1, "--factors", min=1, help="Number of factors."),
        method: str = typer.Option("minres", help="minres | ml | pa"),
        rotation: str = typer.Option("oblimin", help="none | varimax | oblimin | promax"),
        scores: Path | None = typer.Option(None, "--scores", help="Write regression factor scores to this CSV."),
        suggest: bool = typer.Option(False, "--suggest", help="Only suggest the number of factors (Kaiser, parallel analysis)."),
        as_json: bool = JSON) -> None:
    """Exploratory factor analysis: loadings, communalities, variance explained, KMO, Bartlett."""
    from leftbehind._atomic import write_text_atomic
    from leftbehind.measures import efa as run_efa

    read = _read(data)
    frame = read.frame
    if suggest:
        from leftbehind.measures import suggest_n_factors

        advice = suggest_n_factors(frame, _items(frame, items))
        if as_json:
            echo_json(advice.to_dict())
        else:
            typer.echo(f"n = {advice.n}: Kaiser (eigenvalues > 1) suggests {advice.kaiser} factor(s), parallel "
                       f"analysis {advice.parallel} ({advice.n_iter} random data sets, {advice.quantile:.0%} quantile)")
            _print_frame(advice.to_frame())
        return
    result = run_efa(frame, _items(frame, items), n_factors=factors, method=method, rotation=rotation)
    if scores is not None:
        write_text_atomic(scores, result.scores(frame).to_csv(index_label="row"))
    if as_json:
        echo_json(result.to_dict())
        return
    typer.echo(f"EFA ({method}, {rotation}) on n = {result.n}; KMO = {result.kmo:.3f}")
    table = result.loadings.assign(communality=result.communalities)
    labels = _labels(read)
    _print_frame(_with_labels(table, [labels.variable(str(i)) for i in table.index]))


def _ols(frame, formula: str, se: str, *, standardize: bool = False):
    from leftbehind.models import fit_ols, parse_se
    from leftbehind.models.small_clusters import with_cr2

    cr2 = se.strip().lower().startswith("cr2")  # CR2:COLUMN = the cluster fit, small-sample corrected
    kind, cluster = parse_se("cluster" + se.strip()[3:] if cr2 else se)
    fit = fit_ols(frame, formula, se=kind, cluster=cluster, standardize=standardize)
    return with_cr2(fit) if cr2 else fit


@app.command()
def ols(data: Path = DATA, formula: str = typer.Option(..., help='R-style formula, e.g. "y ~ C(g) * x + z".'),
        se: str = SE, beta: bool = typer.Option(False, "--beta", help="Add standardized coefficients (beta)."),
        as_json: bool = JSON) -> None:
    """Ordinary least squares with R-style formulas and classical, robust or cluster SEs.

    Terms are named by the file's labels: ``C(care)[T.2.0]`` shows as the value label of code 2."""
    read = _read(data)
    result = _ols(read.frame, formula, se, standardize=beta)
    names = [_labels(read).term(str(term)) for term in result.coefficients.index]
    if as_json:
        payload = result.to_dict()
        for (term, row), name in zip(result.coefficients.iterrows(), names):
            if beta:
                payload["coefficients"][term]["beta"] = row.get("beta")
            payload["coefficients"][term]["label"] = name
        echo_json(payload)
        return
    typer.echo(f"{formula}   n = {result.n}   R² = {result.r2:.4f}   adj. R² = {result.adj_r2:.4f}   SE: {result.se_type}")
    _print_frame(_with_labels(result.coefficients, names))


@app.command()
def slopes(data: Path = DATA, formula: str = typer.Option(..., help="Formula with an interaction."),
           focal: str = typer.Option(..., help="Focal term (a variable or a dummy term name)."),
           moderator: str = typer.Option(..., help="The moderating variable."),
           at: str = typer.Option("", help="Comma-separated moderator values (default mean-SD, mean, mean+SD)."),
           se: str = SE, as_json: bool = JSON) -> None:
    """Simple slopes of the focal term at moderator values, and the Johnson-Neyman region."""
    from leftbehind.models import johnson_neyman, simple_slopes
    from leftbehind.report.survey_tables import describe_region

    read = _read(data)
    fit = _ols(read.frame, formula, se)
    values = [float(v) for v in split_names(at)] or None
    table = simple_slopes(fit, focal, moderator, at=values)
    jn = johnson_neyman(fit, focal, moderator)
    if as_json:
        echo_json({**table.to_dict(), "jn_bounds": list(jn.bounds), "johnson_neyman": jn.to_dict()})
        return
    labels = _labels(read)
    shown = labels.term(focal)
    named = shown if shown == focal else f"{shown} ({focal})"
    typer.echo(f"Simple slopes of {named} at values of {labels.variable(moderator)}")
    _print_frame(table.to_frame())
    typer.echo(f"Johnson-Neyman: {named} is {describe_region(jn)}")


@app.command()
def nested(data: Path = DATA,
           block: list[str] = typer.Option(..., "--block", help='First a full formula "y ~ a", then "+ b + c" blocks.'),
           se: str = SE, as_json: bool = JSON) -> None:
    """Nested regression blocks with R², ΔR² and the F-change test."""
    from leftbehind.models import nested_models, parse_se

    kind, cluster = parse_se(se)
    result = nested_models(_frame(data), list(block), se=kind, cluster=cluster)
    if as_json:
        echo_json(result.to_dict())
        return
    typer.echo(f"n = {result.n}")
    _print_frame(result.to_frame())


@app.command()
def describe(data: Path = DATA, by: str = typer.Option(..., help="Grouping column."),
             variables: str = typer.Option(..., "--vars", help="Comma-separated variables."),
             categorical: str = typer.Option("", help="Which of --vars are categorical (overrides the guess)."),
             continuous: str = typer.Option("", help="Which of --vars are continuous (overrides the guess)."),
             overall: bool = typer.Option(False, help="Add an overall column."),
             tests: bool = typer.Option(False, help="Add ANOVA / chi-square tests of group differences."),
             as_json: bool = JSON) -> None:
    """Descriptives by group laid out like a paper's Table 1: mean (SD) or % per group, N.

    A variable is guessed categorical when it is text, when each of its answers has a value label,
    or when it holds at most 10 whole numbers; --categorical and --continuous override the guess.
    Groups and levels are shown by their value labels."""
    from leftbehind.report.survey_tables import descriptives_block
    from leftbehind.survey import describe_by_group, guess_kinds

    read = _read(data)
    frame = read.frame
    names = _items(frame, variables, "--vars")
    _items(frame, by, "--by")
    conts, cats = guess_kinds(frame, names, value_labels=read.value_labels, categorical=split_names(categorical),
                              continuous=split_names(continuous))
    result = describe_by_group(frame, by, continuous=conts, categorical=cats, overall=overall, tests=tests,
                               value_labels=read.value_labels)
    if as_json:
        echo_json(result.to_dict())
        return
    typer.echo(descriptives_block(result, labels=_labels(read)).to_markdown())
