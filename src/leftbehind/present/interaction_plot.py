"""Interaction plot: predicted outcome across a moderator, one line per group (layer L4).

Lines are predictions from :func:`leftbehind.models.predict.predict_at` with the other
covariates at their means and shaded 95% confidence bands from the model's own covariance
matrix. For a numeric focal variable the lines are drawn at its mean - SD, mean and mean + SD.
A centred moderator (one model of a series) is drawn on its original scale.
:func:`power_plot` draws a simulated power curve from :mod:`leftbehind.simulate.power`
(it lives here because plots are layer L4 and simulate is L3).

Examples
--------
>>> import tempfile, pathlib
>>> import numpy as np, pandas as pd
>>> from leftbehind.models.ols import fit_ols
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"g": np.repeat(["none", "away"], 40), "m": rng.uniform(1, 5, 80)})
>>> df["y"] = 10 - df.m * (df.g == "away") + rng.normal(size=80)
>>> res = fit_ols(df, "y ~ C(g, Treatment('none')) * m")
>>> out = pathlib.Path(tempfile.mkdtemp()) / "moderation"
>>> [p.name for p in interaction_plot(res, "g", "m", out, labels={"m": "School belonging"})]
['moderation.png', 'moderation.svg']
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.errors import InputError
from leftbehind.models._formula import code_variables, design_info, formula_variables
from leftbehind.models.ols import OLSResult, as_ols_result
from leftbehind.models.predict import predict_at
from leftbehind.present.labels import Labels
from leftbehind.present.plots import new_figure, save_figure


def _namer(labels: Labels | Mapping[str, str] | object | None) -> tuple[dict[str, str], Labels]:
    """Plain ``{key: text}`` overrides and a :class:`Labels` for everything they do not name."""
    if isinstance(labels, Mapping):
        return dict(labels), Labels()
    return {}, Labels.coerce(labels)


def _lines(res: OLSResult, focal: str) -> tuple[list[object], list[str], bool]:
    """Values at which to draw a line, their default labels, and whether focal is categorical."""
    info = design_info(res.sm_result.model)
    for factor, finfo in info.factor_infos.items():
        if code_variables(factor.code) == [focal] and finfo.type == "categorical":
            # the reference level (no dummy column of its own) first, then design order
            coded = [v for v in finfo.categories
                     if any(t.endswith(f"[T.{v}]") or f"[T.{v}]:" in t for t in res.terms)]
            levels = [v for v in finfo.categories if v not in coded] + coded
            return levels, [str(v) for v in levels], True
    column = res.estimation_data()[focal]
    if not pd.api.types.is_numeric_dtype(column):
        raise InputError(f"{focal!r} is neither a categorical term nor numeric", column=focal,
                         hint="use the group column or a numeric focal variable")
    mean, sd = float(column.mean()), float(column.std(ddof=1))
    values = [mean - sd, mean, mean + sd]
    names = [f"mean - 1 SD ({values[0]:.2f})", f"mean ({values[1]:.2f})", f"mean + 1 SD ({values[2]:.2f})"]
    return values, names, False


def interaction_plot(result, group_or_focal: str, moderator: str, path_stem: str | Path, *,
                     labels: Labels | Mapping[str, str] | object | None = None, covariates: str | Mapping[str, object] = "mean",
                     n_points: int = 60, level: float = 0.95) -> list[Path]:
    """Draw predicted outcome against ``moderator`` for each group and write PNG + SVG.

    Parameters
    ----------
    result
        A fitted model with a group x moderator interaction (or one model of a series).
    group_or_focal
        The group column (one line per level) or a numeric focal variable (lines at mean -/+ SD).
    moderator
        The numeric moderator on the x axis (its observed range on the estimation sample).
    path_stem
        Output path without suffix; ``.png`` and ``.svg`` are written.
    labels
        A :class:`~leftbehind.present.labels.Labels` or the data (``read_data(...)``,
        ``prepare(...)``): the title, axes, legend title and legend entries use their variable
        and value labels. Or a plain mapping keyed by group level, moderator, outcome, group or
        ``"title"``.
    covariates
        ``"mean"`` or a mapping of fixed values for other predictors.
    n_points
        Points along the moderator.
    level
        Confidence level of the bands.

    Returns
    -------
    list of Path
        The files written.
    """
    res, centre = as_ols_result(result)
    labels, lookup = _namer(labels)
    predictors = formula_variables(res.formula)[1:]
    for name, what in ((group_or_focal, "group_or_focal"), (moderator, "moderator")):
        if name not in predictors:
            raise InputError(f"{name!r} is not a predictor of the model", key=what,
                             hint=f"predictors are: {', '.join(predictors)}")
    if group_or_focal == moderator:
        raise InputError("group_or_focal and moderator must differ", key="moderator",
                         hint="put the moderator on the x axis and the group as lines")
    if n_points < 2:
        raise InputError(f"n_points must be at least 2, got {n_points}", key="n_points", hint="use e.g. 60")
    mod_values = res.estimation_data()[moderator]
    if not pd.api.types.is_numeric_dtype(mod_values):
        raise InputError(f"moderator {moderator!r} is not numeric", column=moderator,
                         hint="put a numeric variable on the x axis")
    xs = np.linspace(float(mod_values.min()), float(mod_values.max()), n_points)
    values, default_names, categorical = _lines(res, group_or_focal)
    fig, ax = new_figure()
    for value, default in zip(values, default_names):
        grid = pd.DataFrame({group_or_focal: [value] * n_points, moderator: xs})
        pred = predict_at(res, grid, covariates=covariates, level=level).to_frame()
        is_level = categorical and lookup.has_value(group_or_focal, value)
        name = labels.get(str(value), lookup.value(group_or_focal, value) if is_level else default)
        (line,) = ax.plot(xs + centre, pred["fit"], label=name, linewidth=1.8)
        ax.fill_between(xs + centre, pred["ci_low"], pred["ci_high"], color=line.get_color(),
                        alpha=0.18, linewidth=0)
    mod_label = labels.get(moderator, lookup.variable(moderator))
    out_label = labels.get(res.outcome, lookup.variable(res.outcome))
    group_label = labels.get(group_or_focal, lookup.variable(group_or_focal))
    ax.set_xlabel(mod_label)
    ax.set_ylabel(f"Predicted {out_label}")
    title = labels.get("title", f"Predicted {out_label} by {group_label} across {mod_label}")
    ax.set_title(textwrap.fill(title, width=64, break_long_words=False))
    ax.legend(title=group_label, frameon=False)
    note = f"Shaded: {level:.0%} confidence band; other covariates at their means"
    if isinstance(covariates, Mapping):
        note = f"Shaded: {level:.0%} confidence band; covariates fixed as given, others at means"
    fig.supxlabel(note, fontsize=7, alpha=0.7)
    return save_figure(fig, path_stem)


def power_plot(curve, path_stem: str | Path, *, labels: Mapping[str, str] | None = None,
               target_power: float = 0.8) -> list[Path]:
    """Draw simulated power against effect size, one line per group-size scenario.

    Parameters
    ----------
    curve
        A :class:`leftbehind.simulate.power.PowerCurveResult`.
    path_stem
        Output path without suffix; ``.png`` and ``.svg`` are written.
    labels
        Display labels keyed by scenario name, ``"effect"`` or ``"title"``.
    target_power
        Height of the dashed reference line.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from leftbehind.simulate.power import power_curve
    >>> curve = power_curve({"none": 60, "away": 30}, [0.0, 0.4, 0.8], n_reps=50)
    >>> [p.suffix for p in power_plot(curve, pathlib.Path(tempfile.mkdtemp()) / "power")]
    ['.png', '.svg']
    """
    table = curve.to_frame()
    labels = dict(labels or {})
    fig, ax = new_figure()
    for name, rows in table.groupby("scenario", sort=False):
        rows = rows.sort_values("effect")
        half = 1.96 * rows["mc_se"]
        ax.errorbar(rows["effect"], rows["power"], yerr=half, marker="o", markersize=4,
                    capsize=2, linewidth=1.6, label=labels.get(str(name), str(name)))
    ax.axhline(target_power, linestyle="--", linewidth=0.9, color="0.4")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(labels.get("effect", f"Interaction effect ({curve.target} x moderator, outcome SD per moderator SD)"))
    ax.set_ylabel("Power")
    test = "t test of the interaction" if curve.test == "t" else "joint F test of the interactions"
    ax.set_title(labels.get("title", f"Simulated power, {test} (alpha = {curve.alpha:g})"))
    ax.legend(title="Group sizes", frameon=False)
    fig.supxlabel("Bars: 95% Monte Carlo interval; dashed: target power", fontsize=7, alpha=0.7)
    return save_figure(fig, path_stem)
