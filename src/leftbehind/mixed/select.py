"""Choosing interviewees from survey results (layer L3).

Three strategies a mixed-methods design uses to pick follow-up informants, each returning the
chosen cases with the reason for each (to be written to the theoretical-sampling log):

- :func:`stratified`: a fixed number per group (e.g. per migration type), drawn reproducibly;
- :func:`by_residual`: the most extreme (or most typical) residuals of a fitted model;
- :func:`high_low`: high on one measure and low on another (quantile cut-offs).

:func:`choose_interviewees` runs one of them over a study run's results (what ``leftbehind
select`` does); :func:`default_model` and :func:`model_residuals` pick the fitted model whose
residuals rank the cases, named ``"TABLE:MODEL"``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"id": range(8), "g": list("aabbbbcc"), "x": range(8)}).set_index("id")
>>> chosen = stratified(frame, "g", n_per_group=1, seed=1)
>>> sorted(chosen["g"]), list(chosen.columns[-1:])
(['a', 'b', 'c'], ['reason'])
>>> high_low(frame, high="x", low="x", high_quantile=0.5, low_quantile=0.5).empty
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from leftbehind.errors import InputError

STRATEGIES = ("stratified", "extreme", "typical", "high-low")


def _check(frame, *columns: str) -> None:
    for column in columns:
        if column not in frame.columns:
            raise InputError(f"unknown column '{column}'", column=column,
                             hint=f"columns are: {', '.join(map(str, frame.columns[:15]))}")


def stratified(frame, by: str, *, n_per_group: int, seed: int = 0):
    """``n_per_group`` cases drawn at random (seeded) from every level of ``by``; all of a smaller group."""
    _check(frame, by)
    if n_per_group < 1:
        raise InputError("n_per_group must be at least 1", key="n_per_group")
    parts = []
    for level, group in frame.groupby(by, observed=True, sort=True):
        take = group.sample(n=min(n_per_group, len(group)), random_state=seed)
        parts.append(take.assign(reason=f"stratified sample: {n_per_group} per {by}; drawn from {by} = {level} "
                                        f"({len(group)} cases)"))
    return pd.concat(parts) if parts else frame.iloc[:0].assign(reason=[])


def by_residual(model, frame, *, n: int, kind: str = "extreme"):
    """Cases with the largest absolute residuals (``kind="extreme"``: half above, half below the
    model's prediction) or the smallest (``"typical"``) of a fitted model from ``leftbehind.models``.

    ``model`` needs ``residuals`` (a Series indexed like ``frame``) — :class:`OLSResult` has it.
    """
    residuals = getattr(model, "residuals", None)
    if residuals is None:
        raise InputError("the model carries no residuals", hint="fit it with leftbehind.models.fit_ols")
    if kind not in ("extreme", "typical"):
        raise InputError(f"unknown kind '{kind}'", key="kind", hint="use 'extreme' or 'typical'")
    residuals = residuals.dropna()
    if kind == "typical":
        chosen = residuals.abs().nsmallest(n).index
        reasons = {i: f"typical case: residual {residuals[i]:+.2f} of model '{model.formula}'" for i in chosen}
    else:
        above = residuals.nlargest((n + 1) // 2).index
        below = residuals.nsmallest(n // 2).index
        chosen = above.append(below)
        reasons = {i: f"extreme case: residual {residuals[i]:+.2f} ({'worse' if residuals[i] > 0 else 'better'} "
                      f"than predicted by '{model.formula}')" for i in chosen}
    out = frame.loc[chosen].copy()
    out["reason"] = [reasons[i] for i in chosen]
    return out


def high_low(frame, *, high: str, low: str, high_quantile: float = 0.75, low_quantile: float = 0.25):
    """Cases at or above the ``high_quantile`` of ``high`` and at or below the ``low_quantile`` of ``low``."""
    _check(frame, high, low)
    hi_cut = frame[high].quantile(high_quantile)
    lo_cut = frame[low].quantile(low_quantile)
    chosen = frame[(frame[high] >= hi_cut) & (frame[low] <= lo_cut)]
    if high == low and hi_cut > lo_cut:
        chosen = chosen.iloc[:0]
    return chosen.assign(reason=[f"high {high} ({v:.2f} >= {hi_cut:.2f}) and low {low} ({w:.2f} <= {lo_cut:.2f})"
                                 for v, w in zip(chosen[high], chosen[low])])


def record_selection(store, chosen, *, link_column: str = "survey_id", role: str = "child", prefix: str = "S-",
                     category: str | None = None, date: str | None = None, actor: str | None = None) -> list[str]:
    """Log each chosen survey case in the theoretical-sampling log, in one transaction.

    A case already linked to a participant (its id in ``link_column``) is logged for that
    participant; any other becomes a new participant ``prefix + id`` (a pseudonym, with the
    survey id as an attribute) awaiting interview. Returns the pseudonyms, in order.
    """
    from leftbehind.mixed.link import survey_key
    from leftbehind.qual import query, services

    people = query.participants_frame(store)
    known = {}
    if link_column in people.columns:
        known = {survey_key(v): p for p, v in zip(people["participant"], people[link_column]) if survey_key(v)}
    names = []
    with store.transaction(actor=actor):
        for case_id, reason in zip(chosen.index, chosen["reason"]):
            key = survey_key(case_id)
            name = known.get(key)
            if name is None:
                name = f"{prefix}{key}"
                services.add_participant(store, name, role=role, attributes={link_column: key}, actor=actor)
                known[key] = name
            services.add_sampling(store, "participant", name, reason=reason, category=category, date=date, actor=actor)
            names.append(name)
    return names


def default_model(tables: Mapping[str, Any]) -> str:
    """The model whose residuals rank cases when none is named: the last model of the first
    nested table (``kind == "nested"``) of ``tables``, or of the first table if none is nested.

    Parameters
    ----------
    tables
        Model tables in report order, each with ``models`` (name -> fitted model), as
        ``StudyResults.tables``.

    Returns
    -------
    str
        The reference ``"TABLE:MODEL"``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> tables = {"slopes": NS(kind="moderation", models={"m": 0}),
    ...           "blocks": NS(kind="nested", models={"Model 1": 0, "Model 2": 0})}
    >>> default_model(tables)
    'blocks:Model 2'
    >>> default_model({"only": NS(models={"a": 0, "b": 0})})
    'only:b'

    In R or Stata one names the model by hand (``fit <- fits[[length(fits)]]``;
    ``estimates restore m2``).
    """
    if not tables:
        raise InputError("the study fits no models whose residuals could rank cases",
                         key="analysis", hint="add [analysis] models to study.toml or use strategy 'stratified'")
    names = list(tables)
    table = next((t for t in names if getattr(tables[t], "kind", None) == "nested"), names[0])
    models = list(tables[table].models)
    if not models:
        raise InputError(f"table '{table}' holds no models", key="model", hint="name one as TABLE:MODEL")
    return f"{table}:{models[-1]}"


@dataclass(frozen=True)
class ModelResiduals:
    """A fitted model's residuals keyed by survey id, as :func:`by_residual` reads them."""

    residuals: pd.Series
    formula: str
    model: str
    """The ``"TABLE:MODEL"`` reference."""


def model_residuals(tables: Mapping[str, Any], model: str | None = None, *, frame: pd.DataFrame,
                    id_column: str) -> ModelResiduals:
    """The residuals of model ``"TABLE:MODEL"`` of ``tables`` (default :func:`default_model`),
    keyed by the survey id of each case that entered the fit.

    Parameters
    ----------
    tables
        Model tables as ``StudyResults.tables``; a model needs ``sample_index`` (rows of
        ``frame``), ``sm_result.resid`` and ``formula`` (an :class:`~leftbehind.models.ols.OLSResult`).
    model
        ``"TABLE:MODEL"``; ``None`` or ``""`` for the default.
    frame, id_column
        The analysis frame the models were fitted on and its survey-id column.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> from leftbehind.models import fit_ols
    >>> data = pd.DataFrame({"qid": [11, 12, 13, 14], "x": [0.0, 1, 2, 3], "y": [0.0, 2, 1, 3]})
    >>> tables = {"t": NS(models={"m": fit_ols(data, "y ~ x")})}
    >>> model_residuals(tables, frame=data, id_column="qid").residuals.round(2).to_dict()
    {11: -0.3, 12: 0.9, 13: -0.9, 14: 0.3}

    R: ``setNames(resid(lm(y ~ x, data)), data$qid)``; Stata: ``regress y x`` then
    ``predict r, residuals``.
    """
    reference = model or default_model(tables)
    table, _, name = reference.partition(":")
    if table not in tables or name not in tables[table].models:
        known = [f"{t}:{m}" for t in tables for m in tables[t].models]
        raise InputError(f"no model '{reference}'", key="model",
                         hint=f"give TABLE:MODEL, one of: {', '.join(known[:12])}")
    fit = tables[table].models[name]
    ids = frame.loc[fit.sample_index, id_column].to_numpy()
    return ModelResiduals(pd.Series(list(fit.sm_result.resid), index=ids), fit.formula, reference)


def choose_interviewees(results: Any, strategy: str = "stratified", *, n: int = 2, by: str | None = None,
                        model: str | None = None, high: str | None = None, low: str | None = None,
                        seed: int = 0) -> pd.DataFrame:
    """Choose interviewees from a study run by one of :data:`STRATEGIES`, with a reason each.

    Parameters
    ----------
    results
        A study run (``leftbehind.report.pipeline.run_study``): ``study`` (with ``survey.id`` and
        ``analysis.group``), ``analysis_frame`` and ``tables``.
    strategy
        ``"stratified"`` (``n`` per level of ``by``, default the study's group), ``"extreme"`` or
        ``"typical"`` (the ``n`` largest or smallest residuals of ``model``, ``"TABLE:MODEL"``,
        default :func:`default_model`), or ``"high-low"`` (high on ``high``, low on ``low``).
    n, by, model, high, low, seed
        As above; ``seed`` seeds the stratified draw.

    Returns
    -------
    pandas.DataFrame
        The chosen rows of the analysis frame indexed by survey id, with a ``reason`` column.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> from leftbehind.models import fit_ols
    >>> data = pd.DataFrame({"qid": [11, 12, 13, 14], "g": list("aabb"), "x": [0.0, 1, 2, 3],
    ...                      "y": [0.0, 2, 1, 3]})
    >>> run = NS(study=NS(survey=NS(id="qid"), analysis=NS(group="g")), analysis_frame=data,
    ...          tables={"t": NS(kind="nested", models={"m": fit_ols(data, "y ~ x")})})
    >>> list(choose_interviewees(run, "extreme", n=2).index)
    [12, 13]
    >>> sorted(choose_interviewees(run, n=1)["g"])
    ['a', 'b']

    R: ``head(data[order(-abs(resid(fit))), ], n)``; Stata: ``predict r, residuals`` then
    ``gsort -r``.
    """
    if strategy not in STRATEGIES:
        raise InputError(f"unknown strategy '{strategy}'", key="strategy", hint=f"use one of: {', '.join(STRATEGIES)}")
    id_column = results.study.survey.id
    source = results.analysis_frame
    frame = source.set_index(id_column, drop=False)
    if strategy == "stratified":
        return stratified(frame, by or results.study.analysis.group, n_per_group=n, seed=seed)
    if strategy in ("extreme", "typical"):
        residuals = model_residuals(results.tables, model, frame=source, id_column=id_column)
        return by_residual(residuals, frame, n=n, kind=strategy)
    if not (high and low):
        raise InputError("the high-low strategy needs a measure to be high on and one to be low on", key="high",
                         hint="e.g. --high depression --low school_belonging (high=..., low=... in Python)")
    return high_low(frame, high=high, low=low)
