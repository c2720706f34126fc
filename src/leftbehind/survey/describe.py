"""Descriptive statistics by group, with optional ANOVA and chi-square tests (layer L2).

The long table has one row per variable, level and group: mean and SD for continuous
variables, count and column percent for categorical ones (the layout of a "Table 1").

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"g": ["a", "a", "b", "b"], "y": [1.0, 3.0, 2.0, 6.0], "sex": [1, 2, 2, 2]})
>>> d = describe_by_group(frame, "g", continuous=["y"], categorical=["sex"])
>>> for row in d.to_frame()[["variable", "level", "group", "n", "mean", "count", "percent"]].values[:4]:
...     print(list(row))
['y', '', 'a', 2, 2.0, nan, nan]
['y', '', 'b', 2, 4.0, nan, nan]
['sex', '1', 'a', 2, nan, 1.0, 50.0]
['sex', '1', 'b', 2, nan, 0.0, 0.0]
>>> d.group_n
{'a': 2, 'b': 2}

The equivalent R calls are ``aggregate(y ~ g, FUN = mean)``, ``prop.table(table(sex, g), 2)``,
``summary(aov(y ~ factor(g)))`` and ``chisq.test(table(sex, g), correct = FALSE)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.spec import Study
from leftbehind.survey.intake import close_match_hint

COLUMNS = ["variable", "level", "group", "n", "mean", "sd", "count", "percent"]
TEST_COLUMNS = ["variable", "test", "statistic", "df1", "df2", "p"]
OVERALL = "overall"


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class Descriptives(ResultMixin):
    """Descriptive statistics by group.

    Attributes
    ----------
    by
        The grouping variable.
    table
        Long format: variable, level ("" for continuous), group, n, mean, sd, count, percent.
    group_n
        Cases per group (rows with a missing group are left out).
    tests
        variable, test (``anova`` or ``chi2``), statistic, df1, df2 (NaN for chi-square), p;
        empty unless requested.
    """

    by: str
    table: pd.DataFrame
    group_n: dict[str, int]
    tests: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The long table."""
        return self.table

    def to_dict(self) -> dict:
        """JSON-safe: by, group Ns, table rows, tests (NaN becomes None)."""
        def rows(frame: pd.DataFrame) -> list[dict]:
            return [{k: (None if isinstance(v, float) and np.isnan(v) else
                         v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                    for r in frame.to_dict(orient="records")]
        return {"by": self.by, "group_n": dict(self.group_n), "table": rows(self.table), "tests": rows(self.tests)}


def _check_columns(frame: pd.DataFrame, names: Sequence[str]) -> None:
    for name in names:
        if name not in frame.columns:
            raise InputError(f"column '{name}' is not in the data", column=name,
                             hint=close_match_hint(name, list(frame.columns),
                                                   otherwise="check [descriptives] in study.toml"))


def _text(value: Any, labels: Mapping[Any, str] | None) -> str:
    if labels and value in labels:
        return str(labels[value])
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _levels(series: pd.Series) -> list[Any]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return [c for c in series.cat.categories if (series == c).any()]
    return sorted(series.dropna().unique().tolist())


def describe_by_group(frame: pd.DataFrame, by: str, *, continuous: Sequence[str] = (),
                      categorical: Sequence[str] = (), overall: bool = False, tests: bool = False,
                      value_labels: Mapping[str, Mapping[Any, str]] | None = None) -> Descriptives:
    """Means and SDs (continuous) and column percentages (categorical) by group.

    Parameters
    ----------
    frame
        The cases; rows with a missing ``by`` are left out.
    by
        The grouping column (categories in their order, otherwise sorted).
    continuous, categorical
        Columns to describe.
    overall
        Add a group ``"overall"`` over all cases with a group.
    tests
        One-way ANOVA for continuous and Pearson chi-square (no continuity correction) for
        categorical variables, on the cases with an answer.
    value_labels
        Column -> {code: label} used for the group and level names.

    Raises
    ------
    InputError
        A column is not in ``frame`` or a continuous column is not numeric.

    Examples
    --------
    >>> frame = pd.DataFrame({"g": [1, 1, 2, 2, 2], "y": [1.0, 2.0, 4.0, 5.0, 6.0]})
    >>> describe_by_group(frame, "g", continuous=["y"], tests=True).tests[["test", "df1", "df2"]].values.tolist()
    [['anova', 1.0, 3.0]]
    """
    _check_columns(frame, [by, *continuous, *categorical])
    labels = value_labels or {}
    frame = frame.loc[frame[by].notna()]
    groups = _levels(frame[by])
    parts = [(_text(g, labels.get(by)), frame[by] == g) for g in groups]
    if overall:
        parts.append((OVERALL, pd.Series(True, index=frame.index)))
    rows: list[dict] = []
    test_rows: list[dict] = []
    for name in continuous:
        values = pd.to_numeric(frame[name], errors="coerce")
        if (values.isna() & frame[name].notna()).any():
            raise InputError(f"column '{name}' is not numeric", column=name,
                             hint="list it under categorical instead of continuous")
        for group, mask in parts:
            v = values[mask].dropna()
            rows.append({"variable": name, "level": "", "group": group, "n": int(len(v)),
                         "mean": float(v.mean()) if len(v) else np.nan,
                         "sd": float(v.std(ddof=1)) if len(v) > 1 else np.nan, "count": np.nan, "percent": np.nan})
        if tests:
            test_rows.append(_anova(name, [values[frame[by] == g].dropna().to_numpy(float) for g in groups]))
    for name in categorical:
        column = frame[name]
        levels = _levels(column)
        for level in levels:
            for group, mask in parts:
                answered = column[mask].notna()
                n = int(answered.sum())
                count = int((column[mask] == level).sum())
                rows.append({"variable": name, "level": _text(level, labels.get(name)), "group": group, "n": n,
                             "mean": np.nan, "sd": np.nan, "count": float(count),
                             "percent": 100 * count / n if n else np.nan})
        if tests:
            table = np.array([[int(((column == level) & (frame[by] == g)).sum()) for g in groups] for level in levels])
            test_rows.append(_chi_square(name, table))
    group_n = {group: int(mask.sum()) for group, mask in parts}
    return Descriptives(by=by, table=pd.DataFrame(rows, columns=COLUMNS), group_n=group_n,
                        tests=pd.DataFrame(test_rows, columns=TEST_COLUMNS))


def _anova(name: str, samples: list[np.ndarray]) -> dict:
    from scipy import stats

    samples = [s for s in samples if len(s)]
    total = sum(len(s) for s in samples)
    if len(samples) < 2 or total <= len(samples):
        return {"variable": name, "test": "anova", "statistic": np.nan, "df1": np.nan, "df2": np.nan, "p": np.nan}
    result = stats.f_oneway(*samples)
    return {"variable": name, "test": "anova", "statistic": float(result.statistic),
            "df1": float(len(samples) - 1), "df2": float(total - len(samples)), "p": float(result.pvalue)}


def _chi_square(name: str, table: np.ndarray) -> dict:
    from scipy import stats

    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0] if table.size else table
    if table.ndim != 2 or min(table.shape) < 2:
        return {"variable": name, "test": "chi2", "statistic": np.nan, "df1": np.nan, "df2": np.nan, "p": np.nan}
    statistic, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return {"variable": name, "test": "chi2", "statistic": float(statistic), "df1": float(dof), "df2": np.nan,
            "p": float(p)}


def guess_kinds(frame: pd.DataFrame, names: Sequence[str], *,
                value_labels: Mapping[str, Mapping[Any, str]] | None = None, categorical: Sequence[str] = (),
                continuous: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Split ``names`` into ``(continuous, categorical)``; ``categorical``/``continuous`` force a kind.

    A column is guessed categorical when it is not numeric, when every answer it holds has a
    value label, or when it holds whole numbers of an integer type with at most 10 distinct values.

    Raises
    ------
    InputError
        A name is forced both ways, or a forced name is not among ``names``.

    Examples
    --------
    >>> frame = pd.DataFrame({"sex": [1.0, 2.0, 2.0], "y": [1.5, 2.5, 3.0], "grade": [7, 8, 8]})
    >>> guess_kinds(frame, ["sex", "y", "grade"], value_labels={"sex": {1: "boy", 2: "girl"}})
    (['y'], ['sex', 'grade'])
    >>> guess_kinds(frame, ["sex", "y", "grade"], continuous=["grade"])
    (['sex', 'y', 'grade'], [])
    """
    both = sorted(set(categorical) & set(continuous))
    if both:
        raise InputError(f"'{both[0]}' is named both categorical and continuous", column=both[0],
                         hint="name each variable under one of the two")
    for name in [*categorical, *continuous]:
        if name not in names:
            raise InputError(f"'{name}' is not among the variables described", column=name,
                             hint="name it in the variables too (--vars)")
    labels = value_labels or {}

    def is_categorical(name: str) -> bool:
        if name in categorical or name in continuous:
            return name in categorical
        column = frame[name]
        answers = column.dropna().unique().tolist()
        if labels.get(name) and answers and all(a in labels[name] for a in answers):
            return True
        return column.dtype.kind not in "fc" and (column.dtype.kind not in "iu" or column.nunique() <= 10)

    cats = [n for n in names if is_categorical(n)]
    return [n for n in names if n not in cats], cats


def describe_study(frame: pd.DataFrame, study: Study, *,
                   value_labels: Mapping[str, Mapping[Any, str]] | None = None) -> Descriptives:
    """:func:`describe_by_group` with the settings of the study's ``[descriptives]``.

    >>> study = Study(study={"title": "t"}, survey={"files": ["q.csv"]}, items={"g": {}, "y": {}},
    ...               descriptives={"by": "g", "continuous": ["y"]})
    >>> describe_study(pd.DataFrame({"g": [1, 1, 2], "y": [1.0, 3.0, 5.0]}), study).group_n
    {'1': 2, '2': 1}

    Raises
    ------
    InputError
        The study has no ``[descriptives]`` section.
    """
    settings = study.descriptives
    if settings is None:
        raise InputError("the study has no [descriptives] section", key="descriptives",
                         hint="add [descriptives] with by, continuous and categorical to study.toml")
    return describe_by_group(frame, settings.by, continuous=settings.continuous, categorical=settings.categorical,
                             overall=settings.overall, tests=settings.tests, value_labels=value_labels)
