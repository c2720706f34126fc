"""Exact tests for the small cross-tables of quantitized codes (layer L3).

:func:`exact_test` computes Fisher's exact test for an r x c table (Freeman–Halton extension;
for 2 x 2 the two-sided test of R's ``fisher.test``) by enumerating every table with the
observed margins. Qualitative samples are small (tens of participants), where this is exact
and fast.

Examples
--------
>>> result = exact_test([[3, 1], [1, 3]])
>>> round(result.p_value, 4)            # R: fisher.test(matrix(c(3,1,1,3), 2))$p.value
0.4857
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError

_RELATIVE_TOLERANCE = 1 + 1e-7  # as R's fisher.test: tables this close to the observed count as extreme


@dataclass(frozen=True)
class ExactTest(ResultMixin):
    """Fisher's exact test of independence in an r x c table."""

    table: tuple[tuple[int, ...], ...]
    p_value: float
    n_tables: int

    def to_dict(self) -> dict:
        return {"table": [list(r) for r in self.table], "p_value": self.p_value, "n_tables": self.n_tables}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(self.table)


def _log_prob(table: list[list[int]], row_totals, col_totals, n: int) -> float:
    value = sum(math.lgamma(r + 1) for r in row_totals) + sum(math.lgamma(c + 1) for c in col_totals)
    value -= math.lgamma(n + 1) + sum(math.lgamma(x + 1) for row in table for x in row)
    return value


def exact_test(table, *, max_tables: int = 5_000_000) -> ExactTest:
    """Fisher's exact test (two-sided: the sum of probabilities of tables no more likely than observed)."""
    rows = [[int(x) for x in row] for row in table]
    if len(rows) < 2 or len({len(r) for r in rows}) != 1 or len(rows[0]) < 2:
        raise InputError("an exact test needs a table of at least 2 x 2 counts", hint="give a list of equal-length rows")
    if any(x < 0 for row in rows for x in row):
        raise InputError("table counts must not be negative")
    row_totals = tuple(sum(r) for r in rows)
    col_totals = tuple(sum(c) for c in zip(*rows))
    n = sum(row_totals)
    observed = _log_prob(rows, row_totals, col_totals, n)
    threshold = observed + math.log(_RELATIVE_TOLERANCE)
    count = 0
    total = 0.0

    @lru_cache(maxsize=None)
    def fill(row_index: int, remaining: tuple[int, ...]) -> tuple[tuple[float, int], ...]:
        """Log-probability parts of every way to fill rows ``row_index..`` given remaining column totals."""
        if row_index == len(row_totals) - 1:
            return ((-sum(math.lgamma(x + 1) for x in remaining), 1),)
        parts = []
        for cells in _compositions(row_totals[row_index], remaining):
            head = -sum(math.lgamma(x + 1) for x in cells)
            rest = tuple(r - c for r, c in zip(remaining, cells))
            parts.extend((head + tail, k) for tail, k in fill(row_index + 1, rest))
        return tuple(parts)

    constant = sum(math.lgamma(r + 1) for r in row_totals) + sum(math.lgamma(c + 1) for c in col_totals) - math.lgamma(n + 1)
    for part, k in fill(0, col_totals):
        count += k
        if count > max_tables:
            raise InputError(f"the table has more than {max_tables:,} possible arrangements",
                             hint="an exact test is meant for small tables; collapse categories")
        log_p = constant + part
        if log_p <= threshold:
            total += math.exp(log_p)
    return ExactTest(tuple(tuple(r) for r in rows), min(1.0, total), count)


def _compositions(total: int, caps: tuple[int, ...]):
    """Every tuple of non-negative ints with the given sum and each entry within its cap."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest_cap = sum(caps[1:])
    for first in range(max(0, total - rest_cap), min(caps[0], total) + 1):
        for tail in _compositions(total - first, caps[1:]):
            yield (first, *tail)
