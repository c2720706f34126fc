"""Checks shared by the measures functions: item selection, numeric columns, complete cases.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"a": [1, 2, None], "b": [2, 3, 4], "c": ["x", "y", "z"]})
>>> select_items(frame, ["a", "b"]).shape
(3, 2)
>>> complete_cases(select_items(frame, ["a", "b"]), minimum=2, what="the example").shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from leftbehind.errors import AnalysisError, InputError, DataError


def select_items(frame: pd.DataFrame, items: Sequence[str] | None, *,
                 min_items: int = 1) -> pd.DataFrame:
    """Return the item columns of ``frame`` as floats, checking names and types.

    Parameters
    ----------
    frame
        The data, one row per respondent.
    items
        Column names; ``None`` means every column of ``frame``.
    min_items
        The fewest items the analysis needs.

    Raises
    ------
    InputError
        An item is not a column of ``frame``, is listed twice, or there are too few items.
    DataError
        An item column is not numeric.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}",
                         hint="pass the questionnaire data as a pandas DataFrame")
    if items is None:
        items = [str(c) for c in frame.columns]
    elif isinstance(items, str):
        raise InputError(f"items must be a list of column names, got the string {items!r}",
                         hint=f"write items=[{items!r}, ...]")
    items = list(items)
    for item in items:
        if item not in frame.columns:
            known = ", ".join(map(str, list(frame.columns)[:12]))
            raise InputError(f"unknown item {item!r}: it is not a column of the data",
                             column=str(item), hint=f"check the spelling; columns are: {known}")
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise InputError(f"item {item!r} is listed twice", column=str(item),
                             hint="list each item once")
        seen.add(item)
    if len(items) < min_items:
        raise InputError(f"{len(items)} item(s) given but at least {min_items} are needed",
                         hint="list more items")
    for item in items:
        col = frame[item]
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            bad = col.dropna()
            example = f" (e.g. {bad.iloc[0]!r})" if len(bad) else ""
            raise DataError(f"item {item!r} is not numeric{example}", column=str(item),
                            hint="recode the answers to numbers (a value map in study.toml) "
                                 "before scoring or analysing the item")
    return frame[items].astype(float)


def complete_cases(data: pd.DataFrame, *, minimum: int, what: str) -> pd.DataFrame:
    """Rows of ``data`` with every item answered; AnalysisError if fewer than ``minimum``.

    Parameters
    ----------
    data
        Numeric item columns (from :func:`select_items`).
    minimum
        The fewest complete rows the analysis can work with.
    what
        Name of the analysis, used in the error message.
    """
    complete = data.dropna(how="any")
    if len(complete) < minimum:
        raise AnalysisError(
            f"{what} needs at least {minimum} complete cases but the data have {len(complete)} "
            f"(of {len(data)} rows)", hint="check for missing answers or use more items/rows")
    return complete


def check_variance(data: pd.DataFrame, *, what: str) -> None:
    """Raise AnalysisError naming the first item without variance."""
    sd = data.std(ddof=1)
    for item, value in sd.items():
        if not np.isfinite(value) or value <= 0:
            raise AnalysisError(f"item {item!r} has no variance, so {what} cannot be computed",
                                column=str(item), hint="drop the item from the list")


def correlation(data: pd.DataFrame, *, what: str) -> np.ndarray:
    """Correlation matrix of complete ``data``; AnalysisError if it is singular.

    Examples
    --------
    >>> import pandas as pd
    >>> correlation(pd.DataFrame({"a": [1, 2, 3], "b": [1, 3, 2]}), what="x").round(2).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    r = np.corrcoef(data.to_numpy(dtype=float), rowvar=False)
    values, vectors = np.linalg.eigh(r)
    if values[0] < 1e-10:
        weights = np.abs(vectors[:, 0])
        involved = [str(c) for c, w in zip(data.columns, weights) if w > 1e-3]
        raise AnalysisError(
            f"the items' correlation matrix is singular, so {what} cannot be computed: "
            f"items {', '.join(involved)} are linearly dependent",
            hint="drop an item that is a copy or a sum of the others, or add cases")
    return r
