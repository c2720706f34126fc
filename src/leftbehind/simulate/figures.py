"""Load and check a *published-figures* file: every number a paper prints about its survey.

The format is documented in ``docs/published-figures.md``. :func:`load_figures` accepts a
path to a JSON file or an already-parsed ``dict`` and returns a frozen :class:`Figures`
whose fields are what the calibration in :mod:`leftbehind.simulate.calibrate` needs:
groups and their sizes, Table 1 (categorical percentages and continuous mean/SD by group)
and every printed regression model (coefficients with standard errors, R²), together with
the moderator-centring convention of each model.

Examples
--------
>>> fig = load_figures({
...     "table1": {"n": {"a": 6, "b": 4},
...                "continuous": {"y": {"mean": {"a": 1.0, "b": 2.0},
...                                     "sd": {"a": 1.0, "b": 1.0}}},
...                "categorical_percent": {"sex": {"boy": {"a": 50, "b": 50},
...                                               "girl": {"a": 50, "b": 50}}}},
...     "outcome": "y", "controls": ["girl"],
...     "table2": {"model1": {"b": {"b": 1.0, "se": 0.6}, "const": {"b": 1.0, "se": 0.4},
...                           "r2": 0.2}}})
>>> fig.groups, fig.reference, [m.name for m in fig.models]
(('a', 'b'), 'a', ['table2.model1'])
>>> fig.category_value("sex", "girl"), fig.control_source("girl")
(2.0, ('sex', 'girl'))
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leftbehind.errors import InputError

__all__ = ["Coefficient", "PrintedModel", "Figures", "load_figures"]

_INTERACTION_SUFFIX = "_x"


@dataclass(frozen=True)
class Coefficient:
    """One printed coefficient: estimate ``b``, standard error ``se`` and its significance
    stars (``None`` when the file gives none; ``""`` is printed as not significant)."""

    b: float
    se: float
    stars: str | None = None


@dataclass(frozen=True)
class PrintedModel:
    """One printed OLS model.

    ``terms`` maps term keys (group names, control names, ``moderator``,
    ``<group>_x`` and ``const``) to printed coefficients; ``moderator`` is the school-support
    variable of the model (``None`` for Table 2); ``centred`` says whether the moderator was
    centred at its sample mean before entering the model (``None``: not declared, the
    calibration infers it from the printed numbers).
    """

    name: str
    terms: dict[str, Coefficient]
    r2: float | None
    n: int | None
    moderator: str | None = None
    interaction: bool = False
    controls: bool = True
    centred: bool | None = True


@dataclass(frozen=True)
class Figures:
    """A validated published-figures file (see ``docs/published-figures.md``)."""

    groups: tuple[str, ...]
    n: dict[str, int]
    outcome: str
    controls: tuple[str, ...]
    continuous: dict[str, dict[str, dict[str, float]]]
    categorical: dict[str, dict[str, dict[str, float]]]
    models: tuple[PrintedModel, ...]
    moderators: tuple[str, ...]
    sample_flow: dict[str, Any] = field(default_factory=dict)
    scale: dict[str, Any] = field(default_factory=dict)
    factor_scores: dict[str, dict[str, Any]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def reference(self) -> str:
        """The reference group (the first group of Table 1 unless ``migration_rule.reference``)."""
        ref = self.raw.get("migration_rule", {}).get("reference")
        return ref if ref in self.groups else self.groups[0]

    @property
    def comparison_groups(self) -> tuple[str, ...]:
        """Groups entered as dummies (all but the reference), in Table 1 order."""
        return tuple(g for g in self.groups if g != self.reference)

    @property
    def n_total(self) -> int:
        """Number of complete cases (sum of the group sizes)."""
        return sum(self.n.values())

    def category_value(self, variable: str, category: str) -> float:
        """Numeric model value of a Table 1 category: its leading number, else its 1-based rank."""
        match = re.match(r"^(\d+(?:\.\d+)?)", category)
        if match:
            return float(match.group(1))
        return float(list(self.categorical[variable]).index(category) + 1)

    def control_source(self, name: str) -> tuple[str, str | None]:
        """Where a control comes from: ``(variable, None)`` for a coded variable or
        ``(variable, category)`` for an indicator of one category."""
        if name in self.categorical or name in self.continuous:
            return name, None
        for variable, cats in self.categorical.items():
            if name in cats:
                return variable, name
        raise InputError(f"control {name!r} is neither a Table 1 variable nor a category of one",
                         key="controls", hint="name the control after a table1 variable or "
                         "one of its categories (an indicator)")


def _need(mapping: Any, key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise InputError(f"missing {key!r}", key=where or key,
                         hint="see docs/published-figures.md for the required keys")
    return mapping[key]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(f"expected a number, got {value!r}", key=where,
                         hint="write printed figures as JSON numbers")
    return float(value)


def _by_group(values: Any, groups: tuple[str, ...], where: str) -> dict[str, float]:
    if not isinstance(values, dict) or set(values) != set(groups):
        raise InputError(f"expected one value for each group {list(groups)}", key=where,
                         hint="give every group of table1.n a value (0 for a blank cell)")
    return {g: _number(values[g], f"{where}.{g}") for g in groups}


def _model(name: str, spec: Any, groups: tuple[str, ...], reference: str, *,
           moderator: str | None,
           interaction: bool, centred: bool | None, controls: bool) -> PrintedModel:
    if not isinstance(spec, dict):
        raise InputError("a model must be an object of terms", key=name,
                         hint='write each term as {"b": ..., "se": ...}')
    terms: dict[str, Coefficient] = {}
    for key, value in spec.items():
        if key in ("n", "r2", "stars"):
            continue
        if not isinstance(value, dict):
            continue
        b = _number(_need(value, "b", f"{name}.{key}.b"), f"{name}.{key}.b")
        se = _number(_need(value, "se", f"{name}.{key}.se"), f"{name}.{key}.se")
        if se <= 0:
            raise InputError("a standard error must be positive", key=f"{name}.{key}.se",
                             hint="copy the SE printed in parentheses under the coefficient")
        stars = value.get("stars")
        if stars is not None and (not isinstance(stars, str) or set(stars) - {"*"}):
            raise InputError(f"stars must be a string of '*', not {stars!r}",
                             key=f"{name}.{key}.stars", hint='write "" when nothing is printed')
        terms[key] = Coefficient(b, se, stars)
    for g in groups:
        if g not in terms and g != reference:
            raise InputError(f"model has no coefficient for group {g!r}", key=name,
                             hint="every model needs the group dummies (reference excluded)")
    r2 = spec.get("r2")
    n = spec.get("n")
    return PrintedModel(name=name, terms=terms, r2=None if r2 is None else _number(r2, name + ".r2"),
                        n=None if n is None else int(n), moderator=moderator,
                        interaction=interaction, controls=controls, centred=centred)


def _centring(raw: dict[str, Any], table: str, moderator: str) -> bool | None:
    conv = raw.get("model_conventions", {}).get("centering", {})
    table_conv = conv.get(table, {}) if isinstance(conv, dict) else {}
    if not isinstance(table_conv, dict):
        raise InputError("centering must map moderators to 'mean' or 'none'",
                         key=f"model_conventions.centering.{table}")
    value = table_conv.get(moderator, table_conv.get("*"))
    if value is None:
        return None
    if value not in ("mean", "none"):
        raise InputError(f"unknown centring {value!r}",
                         key=f"model_conventions.centering.{table}.{moderator}",
                         hint="use 'mean' (centred at the sample mean) or 'none'")
    return value == "mean"


def _printed_tables(raw: dict[str, Any]) -> dict[str, dict[str, dict]]:
    """The ``table*`` entries holding printed models, in file order: a model has a
    ``moderator`` term in a moderator series (an interaction series when it also has
    ``LEVEL_x`` terms), else it is a nested block."""
    out = {}
    for table, entry in raw.items():
        if table.startswith("table") and isinstance(entry, dict):
            printed = {name: spec for name, spec in entry.items()
                       if isinstance(spec, dict) and any(isinstance(c, dict) and "b" in c for c in spec.values())}
            if printed:
                out[table] = printed
    return out


def load_figures(source: str | os.PathLike | dict[str, Any]) -> Figures:
    """Read and validate a published-figures file.

    Parameters
    ----------
    source
        Path to the JSON file, or its parsed content.

    Returns
    -------
    Figures
        The checked content.

    Raises
    ------
    InputError
        A required key is missing, a figure is not a number, or groups disagree.

    Examples
    --------
    >>> load_figures({"table1": {"n": {"a": 3}}})
    Traceback (most recent call last):
    ...
    leftbehind.errors.InputError: key 'table1.n': need at least two groups (hint: list the reference group first, then the comparison groups)
    """
    where_file = None
    if not isinstance(source, dict):
        where_file = str(source)
        try:
            raw = json.loads(Path(source).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("published-figures file not found", file=where_file,
                             hint="give the path of the JSON file or pass its content as a dict"
                             ) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", file=where_file, line=exc.lineno,
                             hint="check the file with a JSON validator") from None
    else:
        raw = source
    table1 = _need(raw, "table1", "table1")
    n_raw = _need(table1, "n", "table1.n")
    if not isinstance(n_raw, dict) or len(n_raw) < 2:
        raise InputError("need at least two groups", key="table1.n",
                         hint="list the reference group first, then the comparison groups")
    groups = tuple(n_raw)
    n = {g: int(_number(n_raw[g], f"table1.n.{g}")) for g in groups}
    continuous = {
        var: {stat: _by_group(_need(spec, stat, f"table1.continuous.{var}"), groups,
                              f"table1.continuous.{var}.{stat}") for stat in ("mean", "sd")}
        for var, spec in table1.get("continuous", {}).items()}
    categorical = {
        var: {cat: _by_group(vals, groups, f"table1.categorical_percent.{var}.{cat}")
              for cat, vals in cats.items()}
        for var, cats in table1.get("categorical_percent", {}).items()}
    reference = raw.get("migration_rule", {}).get("reference", groups[0])
    if reference not in groups:
        raise InputError(f"reference group {reference!r} is not a group of table1.n",
                         key="migration_rule.reference", hint=f"use one of {list(groups)}")
    outcome = raw.get("outcome", "depression")
    if outcome not in continuous:
        raise InputError(f"outcome {outcome!r} has no mean/SD in table1.continuous", key="outcome",
                         hint="add the outcome's group means and SDs to table1.continuous")
    models: list[PrintedModel] = []
    moderators: list[str] = []
    for table, printed in _printed_tables(raw).items():
        short = table.split("_")[0]  # the model labels' table: "tableK_interactions" -> "tableK"
        for name, spec in printed.items():
            if "moderator" not in spec:  # a block of nested models: the group, maybe the controls
                has_controls = any(c in spec for c in raw.get("controls", []))
                models.append(_model(f"{short}.{name}", spec, groups, reference, moderator=None,
                                     interaction=False, centred=True, controls=has_controls))
                continue
            if name not in continuous and name not in categorical:
                raise InputError(f"moderator {name!r} has no distribution in table1", key=f"{table}.{name}",
                                 hint="every moderator needs its Table 1 row")
            if name not in moderators:
                moderators.append(name)
            models.append(_model(f"{short}.{name}", spec, groups, reference, moderator=name,
                                 interaction=any(key.endswith("_x") for key in spec), controls=True,
                                 centred=_centring(raw, short, name)))
    if not models:
        raise InputError("no printed models", key="table*",
                         hint="add a table of printed models (docs/published-figures.md)")
    fig = Figures(groups=groups, n=n, outcome=outcome, controls=tuple(raw.get("controls", [])),
                  continuous=continuous, categorical=categorical, models=tuple(models),
                  moderators=tuple(moderators), sample_flow=dict(raw.get("sample_flow", {})),
                  scale=dict(raw.get(f"{outcome}_scale", {})),
                  factor_scores={k: dict(raw[k]) for k in continuous
                                 if isinstance(raw.get(k), dict) and "items" in raw[k]},
                  raw=raw)
    for c in fig.controls:
        fig.control_source(c)
    return fig
