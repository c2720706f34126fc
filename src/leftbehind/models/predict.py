"""Predicted outcomes with confidence intervals, other covariates held at their means.

For each row of a grid of values (say every group at several moderator values) the design
row is built with the model's own patsy design, then every design column of a term that does
not involve a grid variable is replaced by its estimation-sample mean ("at means": dummies of
other factors become proportions). The standard error of ``x'b`` uses the model's covariance
matrix, so it follows the chosen variance estimator.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from leftbehind.models.ols import fit_ols
>>> rng = np.random.default_rng(2)
>>> df = pd.DataFrame({"g": np.repeat(["a", "b"], 30), "m": rng.normal(size=60),
...                    "age": rng.normal(12, 1, 60)})
>>> df["y"] = df.m * (df.g == "b") + rng.normal(size=60)
>>> res = fit_ols(df, "y ~ C(g) * m + age")
>>> grid = pd.DataFrame({"g": ["a", "b"], "m": [0.0, 0.0]})
>>> predict_at(res, grid).to_frame().columns.tolist()
['g', 'm', 'fit', 'se', 'ci_low', 'ci_high']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.models._formula import code_variables, design_info, formula_variables
from leftbehind.models._stats import num, t_table
from leftbehind.models.ols import as_ols_result


@dataclass(frozen=True, eq=False)
class PredictionResult(ResultMixin):
    """Grid values with predicted outcome ``fit``, its ``se`` and the confidence limits."""

    outcome: str
    level: float
    se_type: str
    table: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        rows = [{k: (num(v) if isinstance(v, (int, float, np.number)) else str(v)) for k, v in r.items()}
                for r in self.table.to_dict("records")]
        return {"outcome": self.outcome, "level": self.level, "se_type": self.se_type,
                "predictions": rows}


def design_rows(result, grid: pd.DataFrame, *, covariates: str | Mapping[str, object] = "mean") -> pd.DataFrame:
    """Return design rows for ``grid``: grid variables set, every other term at its mean.

    ``covariates`` is ``"mean"`` or a mapping variable -> fixed value (those variables are set
    to the value; the remaining ones stay at their means).
    """
    import patsy

    res, _ = as_ols_result(result)
    model = res.sm_result.model
    info = design_info(model)
    variables = formula_variables(res.formula)[1:]
    if isinstance(covariates, str):
        if covariates != "mean":
            raise InputError(f"covariates must be 'mean' or a mapping, got {covariates!r}",
                             key="covariates", hint="use covariates='mean' or {'age': 13}")
        fixed: dict[str, object] = {}
    else:
        fixed = dict(covariates)
    for name in list(grid.columns) + list(fixed):
        if name not in variables:
            raise InputError(f"{name!r} is not a predictor of the model", column=name,
                             hint=f"predictors are: {', '.join(variables)}")
    set_vars = set(grid.columns) | set(fixed)
    first = res.estimation_data().iloc[:1]
    data = pd.DataFrame({v: np.repeat(first[v].to_numpy(), len(grid)) for v in variables},
                        index=grid.index)
    for name in grid.columns:
        data[name] = grid[name].to_numpy()
    for name, value in fixed.items():
        data[name] = value
    try:
        (matrix,) = patsy.build_design_matrices([info], data, return_type="dataframe")
    except patsy.PatsyError as exc:
        raise InputError(f"cannot build predictions: {exc.message}", key="grid",
                         hint="grid values of a category must be levels seen in the data") from None
    matrix = matrix.set_axis(res.terms, axis=1)
    for term, cols in info.term_slices.items():
        term_vars = {v for f in term.factors for v in code_variables(f.code)}
        if not term_vars & set_vars:
            names = res.terms[cols]
            matrix.loc[:, names] = res.design_means[names].to_numpy()
    return matrix


def predict_at(result, grid: pd.DataFrame, *, covariates: str | Mapping[str, object] = "mean",
               level: float = 0.95) -> PredictionResult:
    """Predicted outcome with confidence limits at each row of ``grid``.

    Parameters
    ----------
    result
        A fitted model (or one model of a series; grid values are then on the model's scale).
    grid
        One column per variable to set (e.g. the group and the moderator), one row per point.
    covariates
        ``"mean"``: every other term at its estimation-sample mean; or a mapping of fixed values.
    level
        Confidence level of the interval.

    Returns
    -------
    PredictionResult
    """
    if not isinstance(grid, pd.DataFrame) or grid.empty:
        raise InputError("grid must be a non-empty DataFrame", key="grid",
                         hint="e.g. pd.DataFrame({'group': ['none', 'mother'], 'x': [0, 0]})")
    res, _ = as_ols_result(result)
    x = design_rows(res, grid, covariates=covariates).to_numpy(dtype=float)
    b = res.coefficients["b"].to_numpy()
    v = res.vcov.to_numpy()
    fit = x @ b
    se = np.sqrt(np.einsum("ij,jk,ik->i", x, v, x))
    tab = t_table(fit, se, res.df_resid, level=level)
    table = grid.reset_index(drop=True).copy()
    table["fit"] = fit
    table["se"] = se
    table["ci_low"] = tab["ci_low"]
    table["ci_high"] = tab["ci_high"]
    return PredictionResult(outcome=res.outcome, level=level, se_type=res.se_type, table=table)
