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

from leftbehind._result import ResultMixin, plain_value
from leftbehind.errors import DataError, InputError
from leftbehind.models._formula import (check_columns, code_variables, complete_cases,
                                        formula_variables, rhs_terms, term_code)
from leftbehind.models._stats import num
from leftbehind.models.ols import OLSResult, fit_ols, resolve_se

_DUMMY = re.compile(r"^(?P<factor>.+)\[T\.(?P<level>.+)\]$")


def term_keys(terms: Sequence[str], moderator_code: str | None, *, group: str | None = None) -> dict[str, str]:
    """Map patsy term names to stable keys (``const``, level names, ``moderator``, ``LEVEL_x``).

    With ``group``, only the dummies of that column are keyed by level; the dummies of other
    factors (categorical controls such as ``C(school)[T.2]``) keep their term name, so two
    factors with a level ``2`` never collide. Without it every dummy is keyed by its level.

    Examples
    --------
    >>> term_keys(["Intercept", "C(g)[T.mother]", "s", "C(g)[T.mother]:s", "age"], "s")
    {'Intercept': 'const', 'C(g)[T.mother]': 'mother', 's': 'moderator', 'C(g)[T.mother]:s': 'mother_x', 'age': 'age'}
    >>> term_keys(["C(care, Treatment(1))[T.2]", "C(school)[T.2]"], None, group="care")
    {'C(care, Treatment(1))[T.2]': '2', 'C(school)[T.2]': 'C(school)[T.2]'}
    """
    def level(code: str) -> str | None:
        m = _DUMMY.match(code)
        if m is None or (group is not None and code_variables(m.group("factor")) != [group]):
            return None
        return m.group("level")

    keys: dict[str, str] = {}
    used: set[str] = set()
    for term in terms:
        key = term
        parts = term.split(":")
        if term == "Intercept":
            key = "const"
        elif moderator_code is not None and term == moderator_code:
            key = "moderator"
        elif len(parts) == 1 and (found := level(term)) is not None:
            key = found
        elif len(parts) == 2 and moderator_code in parts:
            other = parts[0] if parts[1] == moderator_code else parts[1]
            if (found := level(other)) is not None:
                key = f"{found}_x"
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
             cluster: str | None, group: str | None) -> SeriesModel:
    _, cluster_col = resolve_se(se, cluster)
    variables = formula_variables(formula)
    check_columns(data, variables)
    extra = [cluster_col] if cluster_col else []
    if extra:
        check_columns(data, extra, key="cluster argument")
    sample = complete_cases(data, variables + extra)
    if group is not None:
        sample = integer_codes(sample, [group])
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
                       term_keys=term_keys(result.terms, term_code(moderator), group=group))


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
                       cluster: str | None = None, group: str | None = None) -> SeriesResult:
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
    group
        The group column of the base formula: only its dummies are keyed by level (see
        :func:`term_keys`); by default every dummy is.

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
                               cluster=cluster, group=group)
    return SeriesResult(kind="main_effect", base_formula=base_formula, group=None, models=models)


def _same_code(a: str, b: str) -> bool:
    import ast

    return ast.dump(ast.parse(a, mode="eval")) == ast.dump(ast.parse(b, mode="eval"))


plain_level = plain_value
"""A code as a plain Python value (:func:`leftbehind._result.plain_value`)."""


def integer_codes(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``frame`` with each of ``columns`` that holds integer-valued floats and no missing value
    stored as integers (``2.0`` -> ``2``), so its dummies are named ``[T.2]``, not ``[T.2.0]``.

    Returns ``frame`` itself when nothing changes, else a copy.

    >>> integer_codes(pd.DataFrame({"g": [1.0, 2.0], "x": [0.5, 1.0]}), ["g", "x"]).dtypes.tolist()
    [dtype('int64'), dtype('float64')]
    """
    changed = {}
    for column in dict.fromkeys(columns):
        if column not in frame.columns:
            continue
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and values.notna().all() and bool((values % 1 == 0).all()):
            changed[column] = values.astype("int64")
    return frame.assign(**changed) if changed else frame


def group_term(group: str, reference: object) -> str:
    """The patsy code of a treatment-coded group: ``C(group, Treatment('none'))``.

    A numeric code is written as an integer when it is one (``2.0`` -> ``Treatment(2)``), so
    the term names are stable whether the data store codes as floats or integers (store the
    column as integers too: ``survey.levels.stable_codes``). R: ``relevel(factor(group), ref)``.

    Examples
    --------
    >>> group_term("migration", "none"), group_term("care", 1.0)
    ("C(migration, Treatment('none'))", 'C(care, Treatment(1))')
    """
    import patsy

    return patsy.EvalFactor(f"C({term_code(group)}, Treatment({plain_level(reference)!r}))").code


def moderation_series(data: pd.DataFrame, base_formula: str, group: str, moderators: Sequence[str], *,
                      reference: str | int | float = "none", center: bool | Mapping[str, bool] = True,
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
    levels = {str(plain_level(v)): v for v in pd.unique(data[group].dropna())}
    if str(plain_level(reference)) not in levels:
        raise InputError(f"reference level {reference!r} does not occur in column {group!r}",
                         column=group, hint=f"levels are: {', '.join(sorted(levels))}")
    gterm = group_term(group, levels[str(plain_level(reference))])
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
                               cluster=cluster, group=group)
    return SeriesResult(kind="moderation", base_formula=base_formula, group=group, models=models)
