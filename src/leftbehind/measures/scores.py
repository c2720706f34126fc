"""Scale scores: sums or means of item answers with a rule for missing answers.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"d1": [1, 2, None], "d2": [3, 4, 5], "d3": [2, 2, 2]})
>>> scale_score(df, ["d1", "d2", "d3"]).tolist()
[6.0, 8.0, nan]
>>> scale_score(df, ["d1", "d2", "d3"], method="prorated", min_items=2).tolist()
[6.0, 8.0, 10.5]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from leftbehind.errors import DataError, InputError
from leftbehind.measures._data import select_items

__all__ = ["scale_score", "scoring_rule"]

_METHODS = ("sum", "mean", "prorated")


def scale_score(frame: pd.DataFrame, items: Sequence[str], *,
                method: Literal["sum", "mean", "prorated"] = "sum",
                valid_range: tuple[float, float] | None = None,
                min_items: int | None = None, name: str | None = None) -> pd.Series:
    """Score a scale for every row: the sum or mean of its items.

    Parameters
    ----------
    frame
        The data, one row per respondent.
    items
        The item columns of the scale (reverse-keyed items must already be recoded).
    method
        ``"sum"`` (sum of the answered items), ``"mean"`` (their mean) or ``"prorated"``
        (the mean times the number of items, a sum on the full scale's metric).
    valid_range
        ``(low, high)``: answers outside it raise :class:`~leftbehind.errors.DataError`.
    min_items
        The fewest answered items for a score; rows with fewer get NaN. Default: all items.
        With ``method="sum"`` and ``min_items`` below the number of items, the sum covers
        only the answered items (R: ``rowSums(x, na.rm = TRUE)``); use ``"prorated"`` to
        rescale it to the full scale.
    name
        Name of the returned Series (default ``None``).

    Returns
    -------
    pandas.Series
        One score per row, indexed like ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 5], "b": [2, 6]})
    >>> scale_score(df, ["a", "b"], method="mean").tolist()
    [1.5, 5.5]
    >>> scale_score(df, ["a", "b"], valid_range=(1, 5))
    Traceback (most recent call last):
    ...
    leftbehind.errors.DataError: row 1, column 'b': value 6 is outside the valid range 1-5 (hint: correct the answer or mark it missing, or widen valid_range)
    """
    if method not in _METHODS:
        raise InputError(f"unknown scoring method {method!r}",
                         hint=f"use one of: {', '.join(_METHODS)}")
    data = select_items(frame, items)
    k = data.shape[1]
    if min_items is None:
        min_items = k
    if not isinstance(min_items, (int, np.integer)) or not 1 <= min_items <= k:
        raise InputError(f"min_items must be a whole number from 1 to {k}, got {min_items!r}",
                         hint=f"the scale has {k} items")
    if valid_range is not None:
        _check_range(data, valid_range)
    answered = data.notna().sum(axis=1)
    if method == "sum":
        score = data.sum(axis=1, min_count=1)
    elif method == "mean":
        score = data.mean(axis=1)
    else:
        score = data.mean(axis=1) * k
    score = score.where(answered >= min_items)
    score.name = name
    return score.astype(float)


def _check_range(data: pd.DataFrame, valid_range: tuple[float, float]) -> None:
    try:
        low, high = (float(v) for v in valid_range)
    except (TypeError, ValueError):
        raise InputError(f"valid_range must be a pair (low, high), got {valid_range!r}",
                         hint="e.g. valid_range=(1, 5)") from None
    if low > high:
        raise InputError(f"valid_range has low {low:g} above high {high:g}",
                         hint="write the range as (low, high)")
    outside = data.notna() & ((data < low) | (data > high))
    if outside.to_numpy().any():
        pos = np.argwhere(outside.to_numpy())[0]
        row, column = data.index[pos[0]], data.columns[pos[1]]
        value = data.iat[pos[0], pos[1]]
        raise DataError(f"value {value:g} is outside the valid range {low:g}-{high:g}",
                        row=row, column=str(column),
                        hint="correct the answer or mark it missing, or widen valid_range")


def scoring_rule(method: Literal["sum", "mean", "prorated"], n_items: int, *,
                 min_items: int | None = None) -> str:
    """The missing-item rule of a scale score in words, for a table note.

    Examples
    --------
    >>> scoring_rule("sum", 4)
    'sum of the 4 items; a respondent with any item missing gets no score'
    >>> scoring_rule("mean", 6, min_items=5)
    'mean of the answered items when at least 5 of the 6 are answered (SPSS MEAN.5)'
    """
    if min_items is None or min_items >= n_items:
        what = {"sum": "sum", "mean": "mean", "prorated": "sum"}[method]
        return f"{what} of the {n_items} items; a respondent with any item missing gets no score"
    when = f"when at least {min_items} of the {n_items} are answered"
    if method == "sum":
        return f"sum of the answered items {when} (SPSS SUM.{min_items})"
    if method == "mean":
        return f"mean of the answered items {when} (SPSS MEAN.{min_items})"
    return f"mean of the answered items × {n_items} {when} (SPSS MEAN.{min_items} × {n_items})"
