"""Factor rotations as ``psych::fa`` applies them.

* ``varimax``: R's ``stats::varimax`` (Kaiser normalisation, stopping when the criterion grows
  by less than a relative 1e-5).
* ``promax``: psych's ``kaiser(rotate = "Promax")``: rows normalised to unit length, then
  psych's ``Promax`` (varimax, target ``x * |x|^(m-1)`` with m = 4, least-squares fit, columns
  rescaled), then rows scaled back.
* ``oblimin``: GPArotation's ``oblimin`` (gamma = 0, i.e. quartimin), the gradient projection
  algorithm for oblique rotation without normalisation, started at the identity.

Each function returns ``(loadings, phi)``; ``phi`` is ``None`` for orthogonal rotations.

Examples
--------
>>> import numpy as np
>>> a = np.array([[0.7, 0.3], [0.6, 0.4], [0.3, -0.6], [0.4, -0.5]])
>>> rotated, phi = varimax(a)
>>> bool(np.allclose((rotated ** 2).sum(axis=1), (a ** 2).sum(axis=1)))
True
"""

from __future__ import annotations

import numpy as np

from leftbehind.errors import AnalysisError, InputError

__all__ = ["rotate", "varimax", "promax", "oblimin", "ROTATIONS"]

ROTATIONS = ("none", "varimax", "oblimin", "promax")


def varimax(loadings: np.ndarray, *, normalize: bool = True, eps: float = 1e-5,
            max_iter: int = 1000) -> tuple[np.ndarray, None]:
    """Varimax rotation as R's ``stats::varimax``."""
    x = np.asarray(loadings, dtype=float)
    return _varimax_with_matrix(x, normalize=normalize, eps=eps, max_iter=max_iter)[0], None


def _varimax_with_matrix(x: np.ndarray, *, normalize: bool = True, eps: float = 1e-5,
                         max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    p, k = x.shape
    if k < 2:
        return x.copy(), np.eye(k)
    scale = np.sqrt(np.sum(x ** 2, axis=1)) if normalize else np.ones(p)
    xs = x / scale[:, None]
    tt = np.eye(k)
    d = 0.0
    for _ in range(max_iter):
        z = xs @ tt
        b = xs.T @ (z ** 3 - z * (np.sum(z ** 2, axis=0) / p))
        u, s, vt = np.linalg.svd(b)
        tt = u @ vt
        d_past, d = d, float(np.sum(s))
        if d < d_past * (1 + eps):
            break
    return (xs @ tt) * scale[:, None], tt


def promax(loadings: np.ndarray, *, power: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Promax with Kaiser normalisation as ``psych::fa(rotate = "promax")``."""
    x = np.asarray(loadings, dtype=float)
    h = np.sqrt(np.sum(x ** 2, axis=1))
    weighted = x / h[:, None]
    vx, vmat = _varimax_with_matrix(weighted)
    target = vx * np.abs(vx) ** (power - 1)
    u = np.linalg.lstsq(vx, target, rcond=None)[0]
    try:
        d = np.diag(np.linalg.inv(u.T @ u))
    except np.linalg.LinAlgError:
        raise AnalysisError("the promax rotation produced a singular matrix",
                            hint="use rotation='varimax' or 'oblimin'") from None
    u = u * np.sqrt(d)
    rotated = (vx @ u) * h[:, None]
    ui = np.linalg.inv(vmat @ u)
    return rotated, ui @ ui.T


def _quartimin(lam: np.ndarray) -> tuple[np.ndarray, float]:
    k = lam.shape[1]
    off = 1.0 - np.eye(k)
    x = (lam ** 2) @ off
    return lam * x, float(np.sum(lam ** 2 * x) / 4.0)


def oblimin(loadings: np.ndarray, *, eps: float = 1e-5,
            max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Oblimin (gamma = 0) by gradient projection as ``GPArotation::oblimin``."""
    a = np.asarray(loadings, dtype=float)
    k = a.shape[1]
    tmat = np.eye(k)
    alpha = 1.0
    lam = a @ np.linalg.inv(tmat).T
    gq, f = _quartimin(lam)
    g = -(lam.T @ gq @ np.linalg.inv(tmat)).T
    converged = False
    for _ in range(max_iter + 1):
        gp = g - tmat * np.sum(tmat * g, axis=0)
        s = float(np.sqrt(np.sum(gp ** 2)))
        if s < eps:
            converged = True
            break
        alpha *= 2.0
        for _ in range(11):
            x = tmat - alpha * gp
            tnew = x / np.sqrt(np.sum(x ** 2, axis=0))
            lam = a @ np.linalg.inv(tnew).T
            gq_new, f_new = _quartimin(lam)
            if f - f_new > 0.5 * s ** 2 * alpha:
                break
            alpha /= 2.0
        tmat, f = tnew, f_new
        g = -(lam.T @ gq_new @ np.linalg.inv(tnew)).T
    if not converged:
        raise AnalysisError(f"the oblimin rotation did not converge in {max_iter} iterations",
                            hint="try rotation='promax' or fewer factors")
    return lam, tmat.T @ tmat


def rotate(loadings: np.ndarray, rotation: str) -> tuple[np.ndarray, np.ndarray | None]:
    """Apply a named rotation; a single factor is returned unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> rotate(np.array([[0.5], [0.6]]), "oblimin")[1] is None
    True
    """
    if rotation not in ROTATIONS:
        raise InputError(f"unknown rotation {rotation!r}",
                         hint=f"use one of: {', '.join(ROTATIONS)}")
    a = np.asarray(loadings, dtype=float)
    if rotation == "none" or a.shape[1] < 2:
        return a.copy(), None
    if rotation == "varimax":
        return varimax(a)
    if rotation == "promax":
        return promax(a)
    return oblimin(a)
