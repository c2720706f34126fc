"""Numeric helpers shared by the models package: least squares by QR, rank judged as R's ``lm``
would, classical/robust coefficient covariances, t tests, JSON-safe numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass
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


# lm()'s tolerance: a column is aliased when the part of it not explained by the earlier
# columns has a norm below ALIAS_TOL times its own norm (LINPACK dqrdc2, as R's lm.fit).
ALIAS_TOL = 1e-7
# A case has leverage one when 1 - h is below sqrt(machine epsilon): its residual is then
# zero and its HC2/HC3 weight e^2 / (1 - h)^k is 0/0 (sandwich::vcovHC gives NaN or Inf).
LEVERAGE_TOL = float(np.sqrt(np.finfo(float).eps))


def first_aliased(x: np.ndarray, *, tol: float = ALIAS_TOL) -> int | None:
    """Position of the first design column that is a linear combination of earlier ones.

    Each column is judged relative to its own scale, as R's pivoted QR in ``lm`` does, so a
    predictor with a large offset (Unix timestamps) is not mistaken for a copy of the intercept.

    Examples
    --------
    >>> x = np.column_stack([np.ones(4), [1.0, 2, 3, 4], [2.0, 4, 6, 8]])
    >>> days = 1.7e9 + 86400.0 * np.arange(3)  # Unix timestamps one day apart
    >>> first_aliased(x), first_aliased(np.column_stack([np.ones(3), days]))
    (2, None)
    """
    norms = np.linalg.norm(x, axis=0)
    norms[norms == 0] = 1.0
    diag = np.abs(np.diag(np.linalg.qr(x / norms, mode="r")))
    small = np.flatnonzero(diag < tol)
    return int(small[0]) if small.size else None


@dataclass(frozen=True, eq=False)
class LeastSquares:
    """A least-squares fit by Householder QR: coefficients, residuals and what the variances need.

    ``influence`` is ``X (X'X)^-1`` (row i is how case i moves the coefficients per unit of
    its residual); ``bread`` is ``(X'X)^-1``; ``leverage`` the diagonal of the hat matrix.
    """

    coef: np.ndarray
    resid: np.ndarray
    bread: np.ndarray
    influence: np.ndarray
    leverage: np.ndarray

    @property
    def rss(self) -> float:
        return float(self.resid @ self.resid)


def qr_least_squares(x: np.ndarray, y: np.ndarray) -> LeastSquares:
    """Solve ``min ||y - X b||`` by QR (``X`` of full column rank), as R's ``lm.fit``.

    Residuals are ``y - Q Q'y``, which keeps their precision when columns are large.

    Examples
    --------
    >>> fit = qr_least_squares(np.column_stack([np.ones(4), [0.0, 1, 2, 3]]), np.array([1.0, 3, 5, 7]))
    >>> np.round(fit.coef, 12).tolist(), round(fit.rss, 12)
    ([1.0, 2.0], 0.0)
    """
    from scipy.linalg import solve_triangular

    q, r = np.linalg.qr(x)
    effects = q.T @ y
    coef = solve_triangular(r, effects)
    r_inv = solve_triangular(r, np.eye(r.shape[0]))
    return LeastSquares(coef=coef, resid=y - q @ effects, bread=r_inv @ r_inv.T,
                        influence=q @ r_inv.T, leverage=np.einsum("ij,ij->i", q, q))


@dataclass(frozen=True, eq=False)
class Covariance:
    """A coefficient covariance and what made parts of it undefined.

    ``undefined`` lists the coefficient positions set to NaN, ``unit_cases`` the positions of
    the cases with leverage one that caused it (HC2/HC3 only).
    """

    matrix: np.ndarray
    undefined: tuple[int, ...] = ()
    unit_cases: tuple[int, ...] = ()


def coef_covariance(fit: LeastSquares, kind: str, *, scale: np.ndarray,
                    groups: np.ndarray | None = None) -> Covariance:
    """Classical, HC0-HC3 or cluster-robust (HC1-type, G/(G-1)) covariance of the coefficients.

    ``scale`` holds the design column norms (for judging which coefficients a leverage-one
    case determines alone). The formulas are those of R's ``vcov``, ``sandwich::vcovHC`` and
    ``sandwich::vcovCL(type = "HC1", cadjust = TRUE)``; a leverage-one case makes the HC2/HC3
    variance of the coefficients it determines NaN (0/0) instead of rounding noise.
    """
    n, k = fit.influence.shape
    e = fit.resid
    if kind == "classical":
        return Covariance(fit.bread * (fit.rss / (n - k)))
    if kind == "cluster":
        assert groups is not None
        n_groups = int(groups.max()) + 1
        scores = np.zeros((n_groups, k))
        np.add.at(scores, groups, fit.influence * e[:, None])
        adjust = n_groups / (n_groups - 1) * (n - 1) / (n - k)
        return Covariance(adjust * (scores.T @ scores))
    weights = e**2
    unit = np.zeros(n, dtype=bool)
    if kind in ("HC2", "HC3"):
        unit = 1.0 - fit.leverage < LEVERAGE_TOL
        power = 1.0 if kind == "HC2" else 2.0
        weights = np.where(unit, 0.0, weights / np.where(unit, 1.0, 1.0 - fit.leverage) ** power)
    elif kind == "HC1":
        weights = weights * n / (n - k)
    matrix = fit.influence.T @ (weights[:, None] * fit.influence)
    undefined: set[int] = set()
    for i in np.flatnonzero(unit):
        direction = np.abs(fit.influence[i] * scale)
        undefined.update(int(j) for j in np.flatnonzero(direction > ALIAS_TOL * direction.max()))
    cols = sorted(undefined)
    matrix[cols, :] = np.nan
    matrix[:, cols] = np.nan
    return Covariance(matrix, tuple(cols), tuple(int(i) for i in np.flatnonzero(unit)))
