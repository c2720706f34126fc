"""Factor extraction from a correlation matrix: minimum residual, maximum likelihood, principal axis.

These follow ``psych::fa`` (R): the same starting values (squared multiple correlations), the
same fit functions, the same principal-axis stopping rule, and the same sign convention (each
factor's loadings sum to a positive number).

Examples
--------
>>> import numpy as np
>>> lam = np.array([0.8, 0.7, 0.6, 0.5])
>>> r = np.outer(lam, lam); np.fill_diagonal(r, 1.0)
>>> np.round(extract(r, 1, method="minres")[:, 0], 4).tolist()
[0.8, 0.7, 0.6, 0.5]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from leftbehind.errors import AnalysisError, InputError

__all__ = ["extract", "extract_fit", "Extraction", "ml_starts", "smc", "METHODS", "PREFIXES"]

METHODS = ("minres", "ml", "pa")
#: Column-name prefixes psych uses for each extraction method.
PREFIXES = {"minres": "MR", "ml": "ML", "pa": "PA"}
_LOWER = 0.005  # lower bound of uniquenesses in psych's optimisers


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations (psych::smc), clipped to [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> smc(np.array([[1.0, 0.5], [0.5, 1.0]])).round(4).tolist()
    [0.25, 0.25]
    """
    values = 1.0 - 1.0 / np.diag(np.linalg.pinv(r))
    return np.clip(values, 0.0, 1.0)


def _top_eigen(matrix: np.ndarray, nf: int) -> tuple[np.ndarray, np.ndarray]:
    values, vectors = np.linalg.eigh(matrix)
    order = np.argsort(values)[::-1][:nf]
    return values[order], vectors[:, order]


def _reduced_loadings(r: np.ndarray, psi: np.ndarray, nf: int) -> np.ndarray:
    """Loadings from the eigen decomposition of ``r`` with ``1 - psi`` on the diagonal."""
    reduced = r.copy()
    np.fill_diagonal(reduced, np.diag(r) - psi)
    values, vectors = _top_eigen(reduced, nf)
    return vectors * np.sqrt(np.maximum(values, 0.0))


def _minres_fit(psi: np.ndarray, r: np.ndarray, nf: int) -> float:
    load = _reduced_loadings(r, psi, nf)
    resid = r - load @ load.T
    lower = resid[np.tril_indices_from(resid, k=-1)]
    return float(np.sum(lower ** 2))


def _minres_grad(psi: np.ndarray, r: np.ndarray, nf: int) -> np.ndarray:
    load = _reduced_loadings(r, psi, nf)
    return np.sum(load ** 2, axis=1) + psi - np.diag(r)


def _ml_scaled(psi: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = 1.0 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(r * np.outer(scale, scale))
    order = np.argsort(values)[::-1]
    return values[order], vectors[:, order]


def _ml_fit(psi: np.ndarray, r: np.ndarray, nf: int) -> float:
    values, _ = _ml_scaled(psi, r)
    rest = values[nf:]
    return float(-(np.sum(np.log(rest) - rest) - nf + r.shape[0]))


def _ml_loadings(psi: np.ndarray, r: np.ndarray, nf: int) -> np.ndarray:
    values, vectors = _ml_scaled(psi, r)
    load = vectors[:, :nf] * np.sqrt(np.maximum(values[:nf] - 1.0, 0.0))
    return np.sqrt(psi)[:, None] * load


def _ml_grad(psi: np.ndarray, r: np.ndarray, nf: int) -> np.ndarray:
    load = _ml_loadings(psi, r, nf)
    return (np.sum(load ** 2, axis=1) + psi - np.diag(r)) / psi ** 2


def _optimise(fun, grad, start: np.ndarray, r: np.ndarray, nf: int, upper: float) -> np.ndarray:
    from scipy.optimize import minimize

    bounds = [(_LOWER, upper)] * len(start)
    res = minimize(fun, start, args=(r, nf), jac=grad, method="L-BFGS-B", bounds=bounds,
                   options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000})
    if not np.all(np.isfinite(res.x)):
        raise AnalysisError("the factor extraction did not converge",
                            hint="try fewer factors or another method")
    return res.x


def ml_starts(r: np.ndarray, n_factors: int, *, n_starts: int = 10, seed: int = 0) -> np.ndarray:
    """Starting uniquenesses for maximum likelihood, one row per start.

    The first is psych's (``1 - smc``), the second ``factanal``'s
    (``(1 - 0.5 nf / p) / diag(R^-1)``); the rest are drawn uniformly from (0.005, 1) with a
    fixed seed, as ``factanal(control = list(nstart = ...))`` does, so results are reproducible.

    Examples
    --------
    >>> import numpy as np
    >>> ml_starts(np.eye(3) * 0.5 + 0.5, 1, n_starts=4).shape
    (4, 3)
    """
    p = r.shape[0]
    first = np.diag(r) - smc(r)
    second = (1.0 - 0.5 * n_factors / p) / np.diag(np.linalg.pinv(r))
    rng = np.random.default_rng(seed)
    rest = rng.uniform(_LOWER, 1.0, size=(max(n_starts - 2, 0), p))
    starts = np.vstack([first, second, rest])[:max(n_starts, 1)]
    return np.clip(starts, _LOWER, None)


def _ml_best(r: np.ndarray, nf: int, upper: float, n_starts: int) -> tuple[np.ndarray, float]:
    """The uniquenesses with the smallest ML discrepancy over several starts."""
    best, best_value = None, np.inf
    for start in ml_starts(r, nf, n_starts=n_starts):
        try:
            psi = _optimise(_ml_fit, _ml_grad, np.minimum(start, upper), r, nf, upper)
        except (AnalysisError, np.linalg.LinAlgError, FloatingPointError):
            continue
        value = _ml_fit(psi, r, nf)
        if np.isfinite(value) and value < best_value - 1e-12:
            best, best_value = psi, value
    if best is None:
        raise AnalysisError("maximum likelihood factor extraction did not converge from any start",
                            hint="try fewer factors or method='minres'")
    return best, best_value


def _principal_axis(r: np.ndarray, nf: int, *, min_err: float, max_iter: int) -> np.ndarray:
    """Iterated principal axis with psych's stopping rule (change of summed communality)."""
    reduced = r.copy()
    np.fill_diagonal(reduced, smc(r))
    comm = float(np.trace(reduced))
    load = None
    for _ in range(max_iter):
        values, vectors = _top_eigen(reduced, nf)
        if np.any(values < 0):
            raise AnalysisError("principal axis factoring met a negative eigenvalue",
                                hint="extract fewer factors or use method='minres'")
        load = vectors * np.sqrt(values)
        new = np.sum(load ** 2, axis=1)
        np.fill_diagonal(reduced, new)
        err = abs(comm - float(new.sum()))
        comm = float(new.sum())
        if err <= min_err:
            break
    return load


@dataclass(frozen=True)
class Extraction:
    """Unrotated loadings with the value of the fit function at the solution.

    ``objective`` is the ML discrepancy ``tr(S C^-1) - log|S C^-1| - p`` for ``"ml"`` (R:
    ``factanal(...)$criteria["objective"]``, ``psych::fa(...)$objective``), the sum of squared
    off-diagonal residuals for ``"minres"``, and ``None`` for ``"pa"``.
    """

    loadings: np.ndarray
    objective: float | None
    starts: int


def extract(r: np.ndarray, n_factors: int, *, method: Literal["minres", "ml", "pa"] = "minres",
            min_err: float = 0.001, max_iter: int = 50) -> np.ndarray:
    """Unrotated loadings (items x factors) from a correlation matrix.

    A shortcut for ``extract_fit(...).loadings``.

    Parameters
    ----------
    r
        A correlation matrix.
    n_factors
        How many factors to extract.
    method
        ``"minres"`` (minimum residual / unweighted least squares), ``"ml"`` (maximum
        likelihood) or ``"pa"`` (iterated principal axis).
    min_err, max_iter
        Stopping rule of principal axis factoring (psych's defaults).

    Returns
    -------
    numpy.ndarray
        Loadings; each column's sum is positive.
    """
    return extract_fit(r, n_factors, method=method, min_err=min_err, max_iter=max_iter).loadings


def extract_fit(r: np.ndarray, n_factors: int, *, method: Literal["minres", "ml", "pa"] = "minres",
                min_err: float = 0.001, max_iter: int = 50, n_starts: int = 10) -> Extraction:
    """Extract factors and report the objective; ML tries ``n_starts`` starting points.

    Maximum likelihood keeps the best of several starts (see :func:`ml_starts`), so it reaches
    the optimum ``factanal(..., control = list(nstart = 10))`` reaches, also when a uniqueness
    sits at the lower bound 0.005 (a Heywood case).

    Examples
    --------
    >>> import numpy as np
    >>> lam = np.array([0.8, 0.7, 0.6, 0.5])
    >>> r = np.outer(lam, lam); np.fill_diagonal(r, 1.0)
    >>> fit = extract_fit(r, 1, method="ml")
    >>> abs(fit.objective) < 1e-8, fit.starts   # R: factanal(covmat = r, 1)$criteria[1]
    (True, 10)
    """
    if method not in METHODS:
        raise InputError(f"unknown extraction method {method!r}",
                         hint=f"use one of: {', '.join(METHODS)}")
    p = r.shape[0]
    objective: float | None = None
    starts = 1
    if method == "pa":
        load = _principal_axis(r, n_factors, min_err=min_err, max_iter=max_iter)
    else:
        upper = max(float(np.max(smc(r))), 1.0)
        if method == "minres":
            psi = _optimise(_minres_fit, _minres_grad, np.diag(r) - smc(r), r, n_factors, upper)
            load = _reduced_loadings(r, psi, n_factors)
            objective = _minres_fit(psi, r, n_factors)
        else:
            psi, objective = _ml_best(r, n_factors, upper, n_starts)
            load = _ml_loadings(psi, r, n_factors)
            starts = n_starts
    load = np.asarray(load, dtype=float).reshape(p, n_factors)
    signs = np.sign(load.sum(axis=0))
    signs[signs == 0] = 1.0
    return Extraction(loadings=load * signs, objective=objective, starts=starts)
