"""DataFrame → table parts, for :meth:`leftbehind.present.table.Table.from_frame` (layer L4).

Examples
--------
>>> import pandas as pd
>>> stub, cols, spans, rows = table_parts_from_frame(pd.DataFrame({"a": [1.5]}, index=["x"]),
...                                                  index_label=None, use_index_name=True, digits=2)
>>> cols, rows[0].cells
(('a',), ('1.50',))
"""

from __future__ import annotations

import numbers
from typing import Any

from leftbehind.errors import InputError
from leftbehind.present.numfmt import fmt, fmt_int, is_missing
from leftbehind.present.table import Row, Spanner


def format_cell(value: Any, digits: int) -> str:
    """Strings unchanged; whole numbers without decimals; other numbers with ``digits``.

    Examples
    --------
    >>> format_cell(605, 3), format_cell(0.0608, 3), format_cell(None, 3), format_cell("n/a", 3)
    ('605', '0.061', '', 'n/a')
    """
    if isinstance(value, str):
        return value
    if is_missing(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return fmt_int(value)
    if isinstance(value, numbers.Real):
        return fmt(value, digits)
    return str(value)


def _runs(values: list[str]) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1] = (value, runs[-1][1] + 1)
        else:
            runs.append((value, 1))
    return runs


def table_parts_from_frame(df: Any, *, index_label: str | None, use_index_name: bool,
                           digits: int) -> tuple[str, tuple[str, ...], tuple[Spanner, ...], tuple[Row, ...]]:
    """Split a frame into ``(stub, columns, spanners, rows)``."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise InputError(f"Table.from_frame needs a pandas DataFrame, got {type(df).__name__}",
                         hint="convert with pandas.DataFrame(...) first")
    if df.columns.nlevels > 2 or df.index.nlevels > 2:
        raise InputError("Table.from_frame handles at most two index levels and two column levels",
                         hint="flatten the extra levels (for example with df.columns.map(' '.join))")
    spanners: tuple[Spanner, ...] = ()
    if df.columns.nlevels == 2:
        tops = [str(top) for top, _ in df.columns]
        columns = tuple(str(bottom) for _, bottom in df.columns)
        spanners = tuple(Spanner(label, span) for label, span in _runs(tops))
    else:
        columns = tuple(str(c) for c in df.columns)
    if use_index_name:
        names = [n for n in df.index.names if n is not None]
        stub = str(names[-1]) if names else ""
    else:
        stub = "" if index_label is None else str(index_label)
    rows = []
    for key, values in zip(df.index, df.itertuples(index=False, name=None)):
        cells = tuple(format_cell(v, digits) for v in values)
        if df.index.nlevels == 2:
            group, label = key
            rows.append(Row(format_cell(label, digits), cells, group=format_cell(group, digits)))
        else:
            rows.append(Row(format_cell(key, digits), cells))
    return stub, columns, spanners, tuple(rows)
