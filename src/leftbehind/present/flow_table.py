"""Sample-flow table: how many cases each cleaning stage kept (layer L4).

Examples
--------
>>> import pandas as pd
>>> flow = pd.DataFrame({"stage": ["Distributed", "Collected", "Valid", "Complete cases"],
...                      "n": [1059, 980, 933, 605], "percent": [100.0, 92.54, 88.10, None],
...                      "note": ["", "response rate", "valid response rate", ""]})
>>> t = flow_table(flow)
>>> t.columns, t.rows[1].cells
(('N', '%', 'Note'), ('980', '92.54', 'response rate'))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leftbehind.errors import InputError
from leftbehind.present.numfmt import fmt_int, fmt_percent, is_missing
from leftbehind.present.table import Row, Table

__all__ = ["flow_table"]


def flow_table(flow: Any, *, title: str | None = "Sample flow", percent_digits: int = 2,
               thousands: bool = False, notes: Sequence[str] = ()) -> Table:
    """Build the sample-flow table from a frame ``[stage, n, percent, note]``.

    Parameters
    ----------
    flow
        DataFrame with a ``stage`` and an ``n`` column; ``percent`` and ``note`` are optional.
        The Note column is shown only when some note is non-empty.
    title
        Caption.
    percent_digits
        Decimals of the percentages.
    thousands
        Write counts with a thousands separator (``1,059``).
    notes
        Notes under the table.

    Returns
    -------
    Table
    """
    import pandas as pd

    if not isinstance(flow, pd.DataFrame):
        raise InputError(f"flow_table needs a pandas DataFrame, got {type(flow).__name__}",
                         hint="pass a frame with columns stage, n, percent, note")
    for column in ("stage", "n"):
        if column not in flow.columns:
            raise InputError(f"the sample-flow frame lacks the column {column!r}", column=column,
                             hint="expected columns stage, n, percent, note")
    percents = flow["percent"] if "percent" in flow.columns else [None] * len(flow)
    texts = ["" if is_missing(v) else str(v) for v in (flow["note"] if "note" in flow.columns else [None] * len(flow))]
    with_notes = any(texts)
    rows = []
    for stage, n, percent, note in zip(flow["stage"], flow["n"], percents, texts):
        cells = [fmt_int(n, thousands=thousands), fmt_percent(percent, percent_digits)]
        if with_notes:
            cells.append(note)
        rows.append(Row(str(stage), tuple(cells)))
    columns = ("N", "%", "Note") if with_notes else ("N", "%")
    align = ("r", "r", "l") if with_notes else ()
    return Table(columns=columns, rows=tuple(rows), title=title, stub="Stage", notes=tuple(notes), align=align)
