"""Small numeric helpers shared by the models package (t tests, JSON-safe numbers)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def t_table(estimate: np.ndarray, se: np.ndarray, df: float, *, level: float = 0.95) -> dict[str, np.ndarray]:
    """Return t, two-sided p and confidence limits on ``df`` degrees of freedom.

    Examples
    --------
    >>> out = t_table(np.array([2.0]), np.array([1.0]), 10)
    >>> round(float(out["p"][0]), 4)
    0.0734
    """
    from scipy import stats

    estimate = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = estimate / se
    p = 2.0 * stats.t.sf(np.abs(t), df)
    crit = stats.t.ppf(0.5 + level / 2.0, df)
    return {"t": t, "p": p, "ci_low": estimate - crit * se, "ci_high": estimate + crit * se}


def num(value: Any) -> float | int | None:
    """Return a JSON-safe plain number: ``None`` for NaN/inf, ``int`` for integers, else float.

    Examples
    --------
    >>> num(np.float64(1.5)), num(np.int64(3)), num(float("nan"))
    (1.5, 3, None)
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    value = float(value)
    return value if math.isfinite(value) else None
