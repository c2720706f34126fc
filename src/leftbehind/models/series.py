"""Model series: one model per moderator, as a main effect or interacted with a group.

``main_effect_series`` adds each moderator to a base model on its own (the study's Table 3);
``moderation_series`` adds ``group x moderator`` (Table 4). Each moderator may be centred at
its mean on that model's estimation sample (the centre is recorded). Every model also carries
stable term keys - ``const``, group levels by name (``mother``), ``moderator`` and
``mother_x`` for interactions - the way published tables label their rows.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(1)
>>> df = pd.DataFrame({"y": rng.normal(size=80), "g": np.repeat(["none", "away"], 40),
...                    "s": rng.normal(3, 1, 80), "t": rng.normal(size=80)})
>>> res = moderation_series(df, "y ~ 1", "g", ["s", "t"])
>>> sorted(res.models["s"].term_keys.values())
['away', 'away_x', 'const', 'moderator']
>>> bool(abs(res.models["s"].result.design_means["s"]) < 1e-12)
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import DataError, InputError
from leftbehind.models._formula import (check_columns, code_variables, complete_cases,
                                        formula_variables, rhs_terms, term_code)
from leftbehind.models._stats import num
from leftbehind.models.ols import OLSResult, fit_ols, resolve_se

_DUMMY = re.compile(r"^(?P<factor>.+)\[T\.(?P<level>.+)\]$")


def term_keys(terms: Sequence[str], moderator_code: str | None) -> dict[str, str]:
    """Map patsy term names to stable keys (``const``, level names, ``moderator``, ``LEVEL_x``).

    Examples
    --------
    >>> term_keys(["Intercept", "C(g)[T.mother]", "s", "C(g)[T.mother]:s", "age"], "s")
    {'Intercept': 'const', 'C(g)[T.mother]': 'mother', 's': 'moderator', 'C(g)[T.mother]:s': 'mother_x', 'age': 'age'}
    """
    keys: dict[str, str] = {}
    used: set[str] = set()
    for term in terms:
        key = term
        parts = term.split(":")
        if term == "Intercept":
            key = "const"
        elif moderator_code is not None and term == moderator_code:
            key = "moderator"
        elif len(parts) == 1 and (m := _DUMMY.match(term)):
            key = m.group("level")
        elif len(parts) == 2 and moderator_code in parts:
            other = parts[0] if parts[1] == moderator_code else parts[1]
            if m := _DUMMY.match(other):
                key = f"{m.group('level')}_x"
        if key in used:
            key = term
        used.add(key)
        keys[term] = key
    return keys


@dataclass(frozen=True, eq=False)
class SeriesModel:
    """One model of a series: the moderator, its centre (None if uncentred), fit and term keys."""

    moderator: str
    centre: float | None
    result: OLSResult
    term_keys: dict[str, str]

    def keyed_coefficients(self) -> pd.DataFrame:
        """The coefficient table indexed by stable term key."""
        frame = self.result.coefficients.copy()
        frame.index = pd.Index([self.term_keys[t] for t in frame.index], name="key")
        return frame

    def to_dict(self) -> dict:
        coefs = {self.term_keys[term]: {c: num(row[c]) for c in ("b", "se", "t", "p")}
                 for term, row in self.result.coefficients.iterrows()}
        return {"moderator": self.moderator, "centre": num(self.centre),
                "formula": self.result.formula, "n": self.result.n, "r2": num(self.result.r2),
                "adj_r2": num(self.result.adj_r2), "se_type": self.result.se_type,
                "term_keys": dict(self.term_keys), "coefficients": coefs}


@dataclass(frozen=True, eq=False)
class SeriesResult(ResultMixin):
    """A main-effect or moderation series: ``models`` maps each moderator to its SeriesModel."""

    kind: str
    base_formula: str
    group: str | None
    models: dict[str, SeriesModel]

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per moderator and term, with key, b, se, t, p and the CI."""
        frames = []
        for mod, model in self.models.items():
            frame = model.result.coefficients.reset_index()
            frame.insert(0, "moderator", mod)
            frame.insert(2, "key", [model.term_keys[t] for t in frame["term"]])
            frames.append(frame)
        return pd.concat(frames, ignore_index=True)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "base_formula": self.base_formula, "group": self.group,
                "models": {mod: model.to_dict() for mod, model in self.models.items()}}


def _wants_centre(center: bool | Mapping[str, bool], moderator: str) -> bool:
    if isinstance(center, Mapping):
        return bool(center.get(moderator, True))
    return bool(center)


def _fit_one(data: pd.DataFrame, formula: str, moderator: str, *, centre: bool, se: str,
             cluster: str | None) -> SeriesModel:
    _, cluster_col = resolve_se(se, cluster)
    variables = formula_variables(formula)
    check_columns(data, variables)
    extra = [cluster_col] if cluster_col else []
    if extra:
        check_columns(data, extra, key="cluster argument")
    sample = complete_cases(data, variables + extra)
    if not pd.api.types.is_numeric_dtype(sample[moderator]):
        raise DataError(f"moderator {moderator!r} is not numeric ({sample[moderator].dtype})",
                        column=moderator, hint="moderators must be numeric scores")
    value = None
    if centre:
        sample = sample.copy()
        value = float(sample[moderator].mean())
        sample[moderator] = sample[moderator] - value
    result = fit_ols(sample, formula, se=se, cluster=cluster)
    return SeriesModel(moderator=moderator, centre=value, result=result,
                       term_keys=term_keys(result.terms, term_code(moderator)))


def _check_moderators(moderators: Sequence[str], center: bool | Mapping[str, bool]) -> list[str]:
    if isinstance(moderators, str) or len(moderators) == 0:
        raise InputError("moderators must be a non-empty list of column names", key="moderators",
                         hint="e.g. ['school_belonging', 'teacher_attitude']")
    if isinstance(center, Mapping):
        unknown = [k for k in center if k not in moderators]
        if unknown:
            raise InputError(f"center names {unknown[0]!r}, which is not among the moderators",
                             key="center", hint=f"moderators are: {', '.join(moderators)}")
    return list(moderators)


def main_effect_series(data: pd.DataFrame, base_formula: str, moderators: Sequence[str], *,
                       center: bool | Mapping[str, bool] = True, se: str = "classical",
                       cluster: str | None = None) -> SeriesResult:
    """Fit ``base_formula + moderator`` once per moderator.

    Parameters
    ----------
    data
        One row per case.
    base_formula
        The model every step starts from, e.g. group plus controls.
    moderators
        Numeric columns, added one at a time as a main effect.
    center
        Centre each moderator at its estimation-sample mean: a bool for all, or a dict
        moderator -> bool (moderators missing from the dict are centred).
    se, cluster
        Variance estimator (see :func:`leftbehind.models.ols.fit_ols`).

    Returns
    -------
    SeriesResult
        ``kind == "main_effect"``; each model's sample is the complete cases of its own
        variables.
    """
    formula_variables(base_formula)
    models = {}
    for mod in _check_moderators(moderators, center):
        check_columns(data, [mod], key="moderators")
        formula = f"{base_formula} + {term_code(mod)}"
        models[mod] = _fit_one(data, formula, mod, centre=_wants_centre(center, mod), se=se,
                               cluster=cluster)
    return SeriesResult(kind="main_effect", base_formula=base_formula, group=None, models=models)


def _same_code(a: str, b: str) -> bool:
    import ast

    return ast.dump(ast.parse(a, mode="eval")) == ast.dump(ast.parse(b, mode="eval"))


def group_term(group: str, reference: object) -> str:
    """The patsy code of a treatment-coded group: ``C(group, Treatment('none'))``.

    Examples
    --------
    >>> group_term("migration", "none")
    "C(migration, Treatment('none'))"
    """
    import patsy

    if hasattr(reference, "item"):
        reference = reference.item()
    return patsy.EvalFactor(f"C({term_code(group)}, Treatment({reference!r}))").code


def moderation_series(data: pd.DataFrame, base_formula: str, group: str, moderators: Sequence[str], *,
                      reference: str | int = "none", center: bool | Mapping[str, bool] = True,
                      se: str = "classical", cluster: str | None = None) -> SeriesResult:
    """Fit ``base_formula + C(group, Treatment(reference)) * moderator`` once per moderator.

    Parameters
    ----------
    data
        One row per case.
    base_formula
        Outcome and controls; it may contain the group only in the same coding,
        ``C(group, Treatment('reference'))``.
    group
        The categorical column (e.g. parental migration).
    moderators
        Numeric columns, each interacted with the group in its own model.
    reference
        Reference level of the group.
    center, se, cluster
        As in :func:`main_effect_series`.

    Returns
    -------
    SeriesResult
        ``kind == "moderation"``.
    """
    check_columns(data, [group], key="group argument")
    levels = {str(v): v for v in pd.unique(data[group].dropna())}
    if str(reference) not in levels:
        raise InputError(f"reference level {reference!r} does not occur in column {group!r}",
                         column=group, hint=f"levels are: {', '.join(sorted(levels))}")
    gterm = group_term(group, levels[str(reference)])
    for term in rhs_terms(base_formula):
        reads_group = any(group in code_variables(code, base_formula) for code in term)
        if not reads_group:
            continue
        if len(term) == 1 and _same_code(term[0], gterm):
            gterm = term[0]  # the user's spelling, so patsy sees one factor, not two
        else:
            raise InputError(f"base formula {base_formula!r} uses {group!r} in another form",
                             key="base_formula",
                             hint=f"leave the group out of the base formula or write it as {gterm}")
    models = {}
    for mod in _check_moderators(moderators, center):
        check_columns(data, [mod], key="moderators")
        if mod == group:
            raise InputError(f"moderator {mod!r} is the group column", column=mod,
                             hint="choose a numeric moderator")
        formula = f"{base_formula} + {gterm} * {term_code(mod)}"
        models[mod] = _fit_one(data, formula, mod, centre=_wants_centre(center, mod), se=se,
                               cluster=cluster)
    return SeriesResult(kind="moderation", base_formula=base_formula, group=group, models=models)
