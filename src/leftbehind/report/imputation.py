"""Listwise deletion and multiple imputation side by side, for ``[missing] method = "mice"`` (L5).

:func:`impute_study_models` takes a study and its analysis frame *before* listwise deletion
(questionnaires cleaned, derived variables, scale and factor scores added: ``frame`` of
:func:`leftbehind.report.pipeline.score_measures`), imputes the model variables (plus
``[missing] auxiliary``) by chained equations, fits every nested block on each completed data
set, pools by Rubin's rules and tests each block against the one before with D1. It also fits
the same blocks on the complete cases. :func:`imputation_tables` lays the results out as two
:class:`~leftbehind.present.table.Table` objects: ``missingness`` (per variable) and
``listwise_vs_mi`` (each block as a listwise and an MI column).

How the integrator calls it (in ``run_study``, after ``score_measures``)::

    if study.missing.method == "mice":
        imputed = impute_study_models(study, frame, listwise=nested)
        tables.update(imputation_tables(imputed, labels=study_labels(results)))

or, without touching ``run_study``, on its results: ``impute_results(run_study(path))``
(returns ``None`` when ``[missing] method = "listwise"``).

Scale scores are imputed as variables of their own (not item by item). A cluster column
(``se = "cluster"``) is never imputed; rows missing it are dropped before imputation.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from leftbehind.spec.study import Study
>>> rng = np.random.default_rng(0)
>>> frame = pd.DataFrame({"dep": rng.normal(10, 3, 60), "group": rng.choice(["none", "away"], 60),
...                       "age": rng.normal(13, 1, 60)})
>>> frame.loc[::7, "age"] = np.nan
>>> study = Study(study={"title": "t"}, survey={"files": ["q.csv"]},
...               analysis={"outcome": "dep", "group": "group", "reference": "none", "controls": ["age"],
...               "nested": [{"name": "M1"}, {"name": "M2", "add": ["@controls"]}]},
...               missing={"method": "mice", "m": 5, "maxit": 3, "seed": 1})
>>> imputed = impute_study_models(study, frame)
>>> list(imputed.pooled), imputed.listwise.n, imputed.imputation.n_complete_cases
(['M1', 'M2'], 51, 51)
>>> sorted(imputation_tables(imputed))
['listwise_vs_mi', 'missingness']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from leftbehind.errors import InputError, StudyFileError

MISSINGNESS_TABLE = "missingness"
COMPARISON_TABLE = "listwise_vs_mi"


@dataclass(frozen=True, eq=False)
class ImputedModels:
    """The nested blocks fitted after listwise deletion and after multiple imputation.

    Attributes
    ----------
    formulas
        ``{block name: cumulative formula}``.
    imputation
        :class:`~leftbehind.models.impute.ImputationResult` (completed data, missingness).
    pooled
        ``{block name: PooledOLS}``.
    changes
        ``{block name: D1Result}``: block k against block k - 1 (the first against the
        intercept-only model), the MI counterpart of the listwise F-change.
    listwise
        :class:`~leftbehind.models.nested.NestedResult` on the complete cases.
    """

    formulas: dict[str, str]
    imputation: Any
    pooled: dict[str, Any]
    changes: dict[str, Any]
    listwise: Any

    def to_dict(self) -> dict:
        return {"formulas": dict(self.formulas), "imputation": self.imputation.to_dict(),
                "pooled": {k: v.to_dict() for k, v in self.pooled.items()},
                "changes": {k: v.to_dict() for k, v in self.changes.items()},
                "listwise": self.listwise.to_dict()}


def block_formulas_of(study) -> dict[str, str]:
    """``{block name: cumulative formula}`` of ``[[analysis.nested]]`` (one block without it).

    Examples
    --------
    >>> from leftbehind.spec.study import Study
    >>> s = Study(study={"title": "t"}, survey={"files": ["q.csv"]},
    ...           analysis={"outcome": "y", "group": "g", "controls": ["a"],
    ...                     "nested": [{"name": "M1"}, {"name": "M2", "add": ["@controls"]}]})
    >>> block_formulas_of(s)
    {'M1': 'y ~ C(g)', 'M2': 'y ~ C(g) + a'}
    """
    from leftbehind.report.pipeline import group_formula

    analysis = study.analysis
    if analysis is None:
        raise StudyFileError("the study file has no [analysis] section", key="analysis",
                             hint="add [analysis] with outcome, group and controls (docs/study-file.md)")
    group = group_formula(analysis.group, analysis.reference)
    names = [block.name for block in analysis.nested] or ["Model 1"]
    out = {}
    for i, name in enumerate(names):
        terms = analysis.block_terms(i) if analysis.nested else [analysis.group]
        out[name] = f"{analysis.outcome} ~ " + " + ".join(
            group if term == analysis.group else term for term in terms)
    return out


def _incremental(formulas: list[str]) -> list[str]:
    """Cumulative formulas as ``nested_models`` blocks: the first, then ``+ added terms``."""
    blocks = [formulas[0]]
    for before, after in zip(formulas, formulas[1:]):
        blocks.append("+ " + after[len(before):].lstrip(" +"))
    return blocks


def impute_study_models(study, frame: pd.DataFrame, *, formulas: Mapping[str, str] | None = None,
                        listwise: Any = None) -> ImputedModels:
    """Fit the study's nested blocks after listwise deletion and after multiple imputation.

    Parameters
    ----------
    study
        A loaded :class:`~leftbehind.spec.study.Study`; ``[missing]`` sets m, maxit, seed,
        donors and auxiliary variables, ``[analysis] se`` the variance estimator.
    frame
        The analysis frame before listwise deletion.
    formulas
        ``{name: cumulative formula}``, each containing the one before (default: the study's
        ``[[analysis.nested]]`` blocks, :func:`block_formulas_of`).
    listwise
        An already fitted :class:`~leftbehind.models.nested.NestedResult` of the same blocks
        (``run_study``'s ``nested``); fitted here when not given.

    Returns
    -------
    ImputedModels

    Notes
    -----
    The R equivalent is ``imp <- mice(frame[vars], m, maxit = maxit, seed = seed)``,
    ``pool(with(imp, lm(f2)))``, ``pool.r.squared(...)`` and ``D1(with(imp, lm(f2)),
    with(imp, lm(f1)))``. Runs whatever ``[missing] method`` says (the caller decides).
    """
    from leftbehind.models._formula import formula_variables
    from leftbehind.models.impute import mice
    from leftbehind.models.nested import nested_models
    from leftbehind.models.ols import fit_ols
    from leftbehind.models.pool import pool_d1, pool_fits
    from leftbehind.report.pipeline import _se_options

    formulas = dict(formulas) if formulas is not None else block_formulas_of(study)
    if not formulas:
        raise InputError("no formulas to fit", key="formulas", hint="give at least one formula")
    options = study.missing
    se = _se_options(study) if study.analysis is not None else {"se": "classical", "cluster": None}
    variables = list(dict.fromkeys(v for f in formulas.values() for v in formula_variables(f)))
    unknown = [name for name in options.auxiliary if name not in frame.columns]
    if unknown:
        raise StudyFileError(f"auxiliary variable {unknown[0]!r} is not in the analysis data",
                             key="missing.auxiliary", hint="available columns: "
                             + ", ".join(map(str, frame.columns)))
    columns = list(dict.fromkeys(variables + list(options.auxiliary)))
    data = frame
    if se["cluster"] is not None:
        columns = [c for c in columns if c != se["cluster"]]
        data = frame[frame[se["cluster"]].notna()]
    if listwise is None:
        listwise = nested_models(data, _incremental(list(formulas.values())), **se)
    imputation = mice(data, columns, m=options.m, maxit=options.maxit, seed=options.seed,
                      donors=options.donors)
    fits = {name: [fit_ols(done, formula, **se) for done in imputation.completed]
            for name, formula in formulas.items()}
    pooled = {name: pool_fits(block) for name, block in fits.items()}
    outcome = next(iter(pooled.values())).outcome
    previous = [fit_ols(done, f"{outcome} ~ 1", **se) for done in imputation.completed]
    changes = {}
    for name, block in fits.items():
        changes[name] = pool_d1(block, previous)
        previous = block
    return ImputedModels(formulas=formulas, imputation=imputation, pooled=pooled,
                         changes=changes, listwise=listwise)


def impute_results(results, *, force: bool = False) -> ImputedModels | None:
    """Multiple imputation for the results of ``run_study`` (``None`` if the study says listwise).

    The frame before listwise deletion is rebuilt from ``results.prepared.valid`` with
    :func:`~leftbehind.report.pipeline.score_measures`; the listwise columns are
    ``results.nested``, the report's own nested blocks. ``force=True`` imputes whatever
    ``[missing] method`` says (it still needs ``seed`` there or uses none).
    """
    from leftbehind.report.pipeline import score_measures

    study = results.study
    if study.missing.method != "mice" and not force:
        return None
    if getattr(results, "imputation", None) is not None:
        return results.imputation  # run_study imputed already ([missing] method = "mice")
    frame, *_ = score_measures(study, results.prepared.valid)
    names = [block.name for block in study.analysis.nested] or ["Model 1"]
    formulas = {name: block.formula for name, block in zip(names, results.nested.blocks)}
    return impute_study_models(study, frame, formulas=formulas, listwise=results.nested)


def missingness_block(imputed: ImputedModels, *, labels: Any = None, digits: int = 2) -> Any:
    """The table of missing values per variable of the imputation model."""
    from leftbehind.present.labels import Labels
    from leftbehind.present.numfmt import fmt_int, fmt_percent
    from leftbehind.present.table import Row, Table

    lookup = Labels.coerce(labels)
    imp = imputed.imputation
    rows = [Row(lookup.variable(str(var)),
                (fmt_int(row["n_missing"]), fmt_percent(row["pct_missing"], digits),
                 row["method"] or "none"))
            for var, row in imp.missingness.iterrows()]
    n = int(imp.missingness["n"].iloc[0]) if len(imp.missingness) else 0
    notes = (f"{fmt_int(imp.n_complete_cases)} of {fmt_int(n)} cases have no missing value "
             f"(listwise deletion keeps them); the rest are imputed {imp.m} times "
             f"(maxit = {imp.maxit}, seed = {imp.seed}).",
             "pmm: predictive mean matching; logreg: logistic regression; polyreg: multinomial "
             "regression; none: complete.")
    return Table(columns=("Missing", "%", "Method"), rows=tuple(rows), stub="Variable",
                 title="Missing values per variable", notes=notes, align=("r", "r", "l"))


@dataclass(frozen=True, eq=False)
class _Column:
    """What ``regression_table`` reads from one model column."""

    coefficients: pd.DataFrame
    n: int
    r2: float
    delta_r2: float
    f_change: float
    df_change: str
    p_change: float


def _listwise_columns(nested) -> list[_Column]:
    return [_Column(blk.result.coefficients, blk.result.n, blk.r2, blk.delta_r2, blk.f_change,
                    f"{blk.df1}, {blk.df2}", blk.p_change) for blk in nested.blocks]


def _mi_columns(imputed: ImputedModels) -> list[_Column]:
    from leftbehind.present.numfmt import fmt

    out, before = [], 0.0
    for name, pooled in imputed.pooled.items():
        d1 = imputed.changes[name]
        out.append(_Column(pooled.coefficients, pooled.n, pooled.r2.estimate,
                           pooled.r2.estimate - before, d1.f, f"{d1.df1}, {fmt(d1.df2, 1)}", d1.p))
        before = pooled.r2.estimate
    return out


def comparison_block(imputed: ImputedModels, *, labels: Any = None, se_style: str = "se",
                     stars: tuple[float, ...] = (0.05, 0.01, 0.001), digits: int = 3) -> Any:
    """Every block as two columns, listwise deletion and multiple imputation (pooled)."""
    from leftbehind.present.numfmt import fmt_p
    from leftbehind.present.regression_table import regression_table
    from leftbehind.present.table import Row, Spanner

    names = list(imputed.pooled)
    lw, mi = _listwise_columns(imputed.listwise), _mi_columns(imputed)
    models = {}
    for i, name in enumerate(names):
        models[f"{name} listwise"] = lw[i]
        models[f"{name} MI"] = mi[i]
    table = regression_table(models, labels=labels, se_style=se_style, stars=stars, digits=digits,
                             stats=("n", "r2", "delta_r2", "f_change"))
    stat_labels = {"delta_r2": "ΔR²", "f_change": "F change"}
    rows = [replace(row, label=stat_labels.get(row.label, row.label)) for row in table.rows]
    cols = list(models.values())
    rows.append(Row("df of F change", tuple(c.df_change for c in cols), role="summary"))
    rows.append(Row("p of F change", tuple(fmt_p(c.p_change) for c in cols), role="summary"))
    imp = imputed.imputation
    notes = (*table.notes,
             f"Listwise: complete cases only. MI: {imp.m} imputations by chained equations, pooled "
             "by Rubin's rules with Barnard–Rubin df; R² pooled as mice::pool.r.squared; the MI F "
             "change is the D1 Wald test against the block before.")
    return replace(table, columns=("Listwise", "MI") * len(names), rows=tuple(rows),
                   spanners=tuple(Spanner(name, 2) for name in names),
                   title="Listwise deletion and multiple imputation", notes=notes)


def imputation_tables(imputed: ImputedModels, *, labels: Any = None, se_style: str = "se",
                      stars: tuple[float, ...] = (0.05, 0.01, 0.001),
                      digits: int = 3) -> dict[str, Any]:
    """``{"missingness": Table, "listwise_vs_mi": Table}`` for the report."""
    return {MISSINGNESS_TABLE: missingness_block(imputed, labels=labels),
            COMPARISON_TABLE: comparison_block(imputed, labels=labels, se_style=se_style,
                                               stars=stars, digits=digits)}
