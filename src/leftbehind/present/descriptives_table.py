"""Descriptive statistics by group, laid out like the seed study's Table 1 (layer L4).

The input is a long frame with one line per (variable, level, group) and the columns
``variable, level, group, n, mean, sd, count, percent``. A continuous variable has an empty
level and gives one row "<label>, mean (SD)" with cells such as ``11.433 (5.568)``. A
categorical variable gives a heading row (its label) and one row "<level label> (%)" per level
with the percentage. An ``N`` row (the largest ``n`` of each group) comes first.

With ``overall=True`` a last column pools the groups: the mean weighted by ``n``, the pooled
standard deviation ``sqrt((Σ(n-1)sd² + Σn(mean-grand)²) / (N-1))`` and the overall
percentage ``Σcount / Σn``.

Examples
--------
>>> import pandas as pd
>>> long = pd.DataFrame({
...     "variable": ["depression", "depression", "gender", "gender", "gender", "gender"],
...     "level": ["", "", "boy", "girl", "boy", "girl"],
...     "group": ["none", "mother", "none", "none", "mother", "mother"],
...     "n": [368, 29, 368, 368, 29, 29], "mean": [11.433, 13.552, None, None, None, None],
...     "sd": [5.568, 6.983, None, None, None, None], "count": [None, None, 158, 210, 11, 18],
...     "percent": [None, None, 42.93, 57.07, 37.93, 62.07]})
>>> t = descriptives_table(long, labels={"depression": "Depression", "gender": "Child's gender"})
>>> [(r.group, r.label, r.cells) for r in t.rows]
[(None, 'N', ('368', '29')), (None, 'Depression, mean (SD)', ('11.433 (5.568)', '13.552 (6.983)')), ("Child's gender", 'boy (%)', ('42.93', '37.93')), ("Child's gender", 'girl (%)', ('57.07', '62.07'))]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from leftbehind.errors import InputError
from leftbehind.present.labels import Labels
from leftbehind.present.numfmt import fmt, fmt_int, fmt_percent, is_missing
from leftbehind.present.table import Row, Table

__all__ = ["REQUIRED_COLUMNS", "descriptives_table"]

REQUIRED_COLUMNS = ("variable", "level", "group", "n", "mean", "sd", "count", "percent")
OVERALL = "Overall"


def _clean_level(value: Any) -> str:
    if is_missing(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _pooled(parts: list[tuple[float, float, float]]) -> tuple[float, float]:
    """Pooled mean and SD from ``(n, mean, sd)`` per group."""
    parts = [p for p in parts if not any(is_missing(v) for v in p)]
    total = sum(n for n, _, _ in parts)
    if total <= 0:
        return math.nan, math.nan
    grand = sum(n * m for n, m, _ in parts) / total
    if total <= 1:
        return grand, math.nan
    squares = sum((n - 1) * sd ** 2 + n * (m - grand) ** 2 for n, m, sd in parts)
    return grand, math.sqrt(squares / (total - 1))


def _group_order(frame: Any, group_order: Sequence[str] | None) -> list[str]:
    present = list(dict.fromkeys(frame["group"]))
    if group_order is None:
        return present
    order = [str(g) for g in group_order]
    absent = [g for g in order if g not in present]
    if absent:
        raise InputError(f"group {absent[0]!r} of group_order is not in the frame", column="group",
                         hint=f"groups in the frame: {', '.join(present)}")
    return order


def descriptives_table(long_frame: Any, *, group_order: Sequence[str] | None = None,
                       labels: Labels | Mapping[str, str] | None = None, overall: bool = False,
                       digits: int = 3, percent_digits: int = 2, group_variable: str | None = None,
                       title: str | None = None, notes: Sequence[str] = ()) -> Table:
    """Build a Table 1: one column per group, continuous and categorical rows, an N row.

    Parameters
    ----------
    long_frame
        DataFrame with the columns of :data:`REQUIRED_COLUMNS`.
    group_order
        Groups to show, in order (default: order of first appearance).
    labels
        Variable labels (row and heading labels), value labels of each variable's levels,
        and value labels of ``group_variable`` for the column headers: a
        :class:`~leftbehind.present.labels.Labels`, ``{name: label}``, or the data itself
        (``read_data(...)``, ``prepare(...)``).
    overall
        Add a pooled "Overall" column.
    digits, percent_digits
        Decimals of means/SDs and of percentages.
    group_variable
        The variable whose value labels name the groups (for example ``"migration"``).
    title, notes
        Caption and notes.

    Returns
    -------
    Table
    """
    import pandas as pd

    if not isinstance(long_frame, pd.DataFrame):
        raise InputError(f"descriptives_table needs a pandas DataFrame, got {type(long_frame).__name__}",
                         hint=f"pass a long frame with columns {', '.join(REQUIRED_COLUMNS)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in long_frame.columns]
    if missing:
        raise InputError(f"the descriptives frame lacks the column(s) {', '.join(missing)}", column=missing[0],
                         hint=f"expected columns {', '.join(REQUIRED_COLUMNS)}")
    frame = long_frame.loc[:, list(REQUIRED_COLUMNS)].copy()
    frame["variable"] = frame["variable"].astype(str)
    frame["group"] = frame["group"].astype(str)
    frame["level"] = [_clean_level(v) for v in frame["level"]]
    duplicated = frame.duplicated(["variable", "level", "group"])
    if duplicated.any():
        first = frame.loc[duplicated].iloc[0]
        raise InputError(f"variable {first['variable']!r}, level {first['level']!r}, group {first['group']!r} "
                         "appears twice", row=int(duplicated.to_numpy().nonzero()[0][0]) + 1,
                         hint="give one line per variable, level and group")
    groups = _group_order(frame, group_order)
    frame = frame[frame["group"].isin(groups)]
    lookup = Labels.coerce(labels)
    records = {(r.variable, r.level, r.group): r for r in frame.itertuples(index=False)}
    columns = [lookup.value(group_variable, g) if group_variable else g for g in groups]
    if overall:
        columns.append(OVERALL)

    sizes = [frame.loc[frame["group"] == g, "n"].max() for g in groups]
    n_cells = [fmt_int(s) for s in sizes]
    if overall:
        n_cells.append(fmt_int(sum(int(s) for s in sizes if not is_missing(s))))
    rows = [Row("N", tuple(n_cells))]
    for variable in dict.fromkeys(frame["variable"]):
        levels = list(dict.fromkeys(frame.loc[frame["variable"] == variable, "level"]))
        name = lookup.variable(variable)
        if levels == [""]:
            rows.append(_continuous_row(variable, name, groups=groups, records=records, overall=overall,
                                        digits=digits))
            continue
        if "" in levels:
            raise InputError(f"variable {variable!r} mixes an empty level (continuous) with levels (categorical)",
                             column="level", hint="leave level empty only for continuous variables")
        for level in levels:
            cells = [fmt_percent(getattr(records.get((variable, level, g)), "percent", None), percent_digits)
                     for g in groups]
            if overall:
                parts = [records.get((variable, level, g)) for g in groups]
                counts = [p for p in parts if p is not None and not is_missing(p.count) and not is_missing(p.n)]
                total = sum(p.n for p in counts)
                cells.append(fmt_percent(100.0 * sum(p.count for p in counts) / total if total else None,
                                         percent_digits))
            rows.append(Row(f"{lookup.value(variable, level)} (%)", tuple(cells), group=name))
    return Table(columns=tuple(columns), rows=tuple(rows), title=title, notes=tuple(notes))


def _continuous_row(variable: str, name: str, *, groups: list[str], records: dict, overall: bool,
                    digits: int) -> Row:
    def cell(mean: Any, sd: Any) -> str:
        if is_missing(mean):
            return ""
        return f"{fmt(mean, digits)} ({fmt(sd, digits)})" if not is_missing(sd) else fmt(mean, digits)

    parts = [records.get((variable, "", g)) for g in groups]
    cells = [cell(p.mean, p.sd) if p is not None else "" for p in parts]
    if overall:
        cells.append(cell(*_pooled([(p.n, p.mean, p.sd) for p in parts if p is not None])))
    return Row(f"{name}, mean (SD)", tuple(cells))
