"""Calibrate an outcome so that every printed regression is reproduced on synthetic data.

The method, for any published-figures file (nothing here knows the Hunchun numbers):

1. *One union design.* The columns of every printed model — constant, group dummies
   (reference excluded), controls, each moderator and each group × moderator product —
   span one space ``U``. Centring a moderator does not change that space, only how its
   coefficients are read, so ``U`` uses raw moderators.
2. *Coefficients are linear in the structural vector.* Write the outcome as
   ``y = U beta + e`` with ``e`` orthogonal to every column of ``U``. Then the OLS
   coefficients of model ``m`` (design ``X_m`` inside span ``U``) are exactly
   ``A_m beta`` with ``A_m = (X_m'X_m)^-1 X_m'U``, whatever ``e`` is.
3. *Weighted least squares against all printed coefficients.* Stack every printed
   coefficient of every model into ``t`` with weights ``1/SE`` (and the outcome's Table 1
   group means, which are group means of ``U beta``, with weights ``1/(0.1 SD)``) and solve
   ``min ||(A beta - t) / SE||``; then refine by iteratively re-weighting towards the
   largest misses (Lawson), because the requirement is a bound on the worst miss.
   Models whose centring is not declared are read both ways and the reading with the
   smaller miss is kept (reported in :attr:`Calibration.centred`).
4. *Joint structure of the moderators.* Sampling noise alone leaves misses of about one SE,
   so the moderators' loadings on a shared latent factor (the copula of
   :mod:`leftbehind.simulate.design`) are searched — random candidates, then local
   perturbations of the best, on fixed random numbers — to minimise the worst of: the
   miss of step 3, the R² miss of step 5 (in units of 0.02) and how far ``U beta`` leaves
   the outcome's range (in scale points).
5. *Noise scale from R².* With ``e`` orthogonal to ``U``, every model's R² is
   ``F_m / (T + E)`` where ``F_m = beta'G_m beta`` and ``T = beta'G beta`` are quadratic in
   ``beta`` and ``E = ||e||²``. During the structure search ``E`` is the one-dimensional
   least-squares fit to all printed R²; for the chosen structure ``beta`` and ``E`` are then
   refined together against coefficients, Table 1 means and R² (each in units of its
   tolerance), again re-weighted towards the worst miss (:func:`refine_with_r2`).
6. *Whole-number outcome.* The outcome is a sum of items, so it must be an integer in the
   scale's range. Draw skewed noise (scaled per group by what Table 1's SD leaves after the
   structural part), remove its projection on ``U`` and scale it to ``E``; then alternate
   projections — clip to the range, restore the projection on ``U`` to ``U beta`` — until
   both hold (the structure search keeps every ``U beta`` inside the range, so they can),
   rescale the noise until the residual sum of squares is ``E`` again, and round. Rounding
   moves coefficients by a few hundredths of an SE.
7. *Accept or redraw.* The misses are measured on the final whole-number outcome; a draw
   whose worst miss exceeds 0.8 of the tolerances is replaced by a fresh draw from the
   seed's next child stream (:mod:`leftbehind.simulate.build`).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> U = np.column_stack([np.ones(200), rng.integers(0, 2, 200), rng.normal(size=200)])
>>> y = integer_outcome(U, np.array([10.0, 2.0, -1.0]), 1000.0, rng=rng,
...                     scale=np.ones(200), low=0, high=40)
>>> bool(np.all(y == np.round(y))), np.round(np.linalg.lstsq(U, y, rcond=None)[0], 1).tolist()
(True, [10.0, 2.0, -1.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind.errors import AnalysisError
from leftbehind.simulate.figures import Figures, PrintedModel

__all__ = ["Calibration", "union_design", "model_design", "solve_structural", "fit_noise",
           "integer_outcome", "model_values", "coefficient_misses", "refine_with_r2"]


@dataclass(frozen=True)
class Calibration:
    """A solved calibration: structural coefficients and how far they miss the print."""

    columns: tuple[str, ...]
    beta: np.ndarray
    residual_ss: float
    centred: dict[str, bool]
    max_miss_se: float
    r2_misses: dict[str, float]
    misses: dict[str, float]


def model_values(fig: Figures, design: pd.DataFrame) -> pd.DataFrame:
    """Numeric model variables (controls and moderators) from a design frame."""
    out = {}
    for name in list(fig.controls) + list(fig.moderators):
        if name in out:
            continue
        var, cat = fig.control_source(name) if name in fig.controls else (name, None)
        if cat is not None:
            out[name] = (design[var] == cat).astype(float).to_numpy()
        elif var in fig.categorical:
            out[name] = design[var + "__value"].to_numpy(dtype=float)
        else:
            out[name] = design[var].to_numpy(dtype=float)
    return pd.DataFrame(out, index=design.index)


def union_design(fig: Figures, groups: np.ndarray, values: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The union design ``U`` (raw moderators) and its column names."""
    cols = {"const": np.ones(len(groups))}
    for g in fig.comparison_groups:
        cols[g] = (groups == g).astype(float)
    for c in fig.controls:
        cols[c] = values[c].to_numpy()
    for m in fig.moderators:
        cols[m] = values[m].to_numpy()
    for model in fig.models:
        if model.interaction:
            for g in fig.comparison_groups:
                cols[f"{g}_x_{model.moderator}"] = cols[g] * cols[model.moderator]
    return np.column_stack(list(cols.values())), list(cols)


def model_design(fig: Figures, model: PrintedModel, groups: np.ndarray, values: pd.DataFrame,
                 *, centred: bool) -> tuple[np.ndarray, list[str]]:
    """Design matrix of one printed model with the term keys of the figures file."""
    cols = {"const": np.ones(len(groups))}
    for g in fig.comparison_groups:
        cols[g] = (groups == g).astype(float)
    if model.controls:
        for c in fig.controls:
            cols[c] = values[c].to_numpy()
    if model.moderator is not None:
        m = values[model.moderator].to_numpy()
        m = m - m.mean() if centred else m
        cols["moderator"] = m
        if model.interaction:
            for g in fig.comparison_groups:
                cols[f"{g}_x"] = cols[g] * m
    return np.column_stack(list(cols.values())), list(cols)


def _model_rows(fig, groups, values, U, model, centred):
    """Rows of ``A`` for one model's printed terms, their targets and SEs."""
    X, names = model_design(fig, model, groups, values, centred=centred)
    A = np.linalg.solve(X.T @ X, X.T @ U)
    keep = [i for i, name in enumerate(names) if name in model.terms]
    terms = [model.terms[names[i]] for i in keep]
    return (A[keep], np.array([c.b for c in terms]), np.array([c.se for c in terms]),
            [f"{model.name}.{names[i]}" for i in keep])


def _lawson(A: np.ndarray, t: np.ndarray, se: np.ndarray, *, iters: int = 40) -> np.ndarray:
    """Weighted least squares, re-weighted towards the largest misses (minimax in SE units)."""
    Aw, tw = A / se[:, None], t / se
    w = np.ones(len(t)) / len(t)
    best, best_max = None, np.inf
    for _ in range(iters):
        Awt = Aw.T * w
        beta = np.linalg.solve(Awt @ Aw, Awt @ tw)
        miss = np.abs(Aw @ beta - tw)
        if miss.max() < best_max:
            best, best_max = beta, miss.max()
        w = w * (miss + 1e-9)
        w = w / w.sum()
    return best


def solve_structural(fig: Figures, groups: np.ndarray, values: pd.DataFrame, *,
                     centred: dict[str, bool] | None = None,
                     ) -> tuple[np.ndarray, list[str], dict[str, bool], float]:
    """Structural ``beta`` over the union design, the centring used and the worst miss (SE units;
    the outcome's Table 1 group means count in units of a tenth of their printed SD).

    Without ``centred``, declared centrings are used and undeclared ones
    (``PrintedModel.centred is None``) are chosen greedily, model by model, to reduce the
    worst miss.
    """
    U, cols = union_design(fig, groups, values)
    if np.linalg.matrix_rank(U) < U.shape[1]:
        raise AnalysisError("the union of the printed models' designs is singular",
                            hint="check that every control and moderator varies")
    fixed = centred is not None
    if centred is None:
        centred = {m.name: (True if m.centred is None else m.centred) for m in fig.models}
    open_models = [] if fixed else [m.name for m in fig.models
                                    if m.centred is None and m.moderator is not None]
    rows = {}
    for model in fig.models:
        for c in ({centred[model.name]} | ({True, False} if model.name in open_models else set())):
            rows[model.name, c] = _model_rows(fig, groups, values, U, model, c)

    # Table 1 group means of the outcome are group means of U beta (e has none): tolerance 0.1 SD
    means = fig.continuous[fig.outcome]
    t1 = (np.array([U[groups == g].mean(axis=0) for g in fig.groups]),
          np.array([means["mean"][g] for g in fig.groups]),
          np.array([0.1 * means["sd"][g] for g in fig.groups]), [])

    def solve(cent):
        parts = [rows[m.name, cent[m.name]] for m in fig.models] + [t1]
        A = np.vstack([p[0] for p in parts])
        t = np.concatenate([p[1] for p in parts])
        se = np.concatenate([p[2] for p in parts])
        beta = _lawson(A, t, se)
        return beta, float(np.max(np.abs(A @ beta - t) / se))

    beta, worst = solve(centred)
    changed = True
    while changed and open_models:
        changed = False
        for name in open_models:
            trial = dict(centred, **{name: not centred[name]})
            b2, w2 = solve(trial)
            if w2 < worst - 0.01:
                centred, beta, worst, changed = trial, b2, w2, True
    return beta, cols, centred, worst


def refine_with_r2(fig: Figures, groups: np.ndarray, values: pd.DataFrame, beta: np.ndarray,
                   centred: dict[str, bool], energy: float, *, iters: int = 12,
                   r2_tolerance: float = 0.02) -> tuple[np.ndarray, float, float]:
    """Jointly refine ``beta`` and the residual sum of squares ``E`` against every printed
    coefficient (in SEs), Table 1 outcome mean (in tenths of an SD) and R² (in units of
    ``r2_tolerance``): ``R²_m = beta'G_m beta / (beta'G beta + E)`` with ``G_m`` the
    centred projection of ``U`` on model ``m``. Nonlinear least squares, re-weighted towards
    the largest misses. Returns ``(beta, E, worst miss in those units)``.
    """
    from scipy.optimize import least_squares

    U, _ = union_design(fig, groups, values)
    parts = [_model_rows(fig, groups, values, U, m, centred[m.name]) for m in fig.models]
    means = fig.continuous[fig.outcome]
    A = np.vstack([p[0] for p in parts] + [np.array([U[groups == g].mean(axis=0)
                                                     for g in fig.groups])])
    t = np.concatenate([p[1] for p in parts] + [np.array([means["mean"][g] for g in fig.groups])])
    se = np.concatenate([p[2] for p in parts] + [np.array([0.1 * means["sd"][g]
                                                           for g in fig.groups])])
    Uc = U - U.mean(axis=0)
    G = Uc.T @ Uc
    grams, r2s = [], []
    for model in fig.models:
        if model.r2 is None:
            continue
        X, _ = model_design(fig, model, groups, values, centred=centred[model.name])
        Q, _ = np.linalg.qr(X[:, 1:] - X[:, 1:].mean(axis=0))
        M = Q.T @ Uc
        grams.append(M.T @ M)
        r2s.append(model.r2)
    grams, r2s = np.array(grams), np.array(r2s)

    def residuals(x):
        b, e = x[:-1], np.exp(x[-1])
        r2 = np.einsum("i,kij,j->k", b, grams, b) / (b @ G @ b + e)
        return np.r_[(A @ b - t) / se, (r2 - r2s) / r2_tolerance]

    x = np.r_[beta, np.log(energy)]
    w = np.ones(len(t) + len(r2s))
    best = (np.max(np.abs(residuals(x))), x)
    for _ in range(iters):
        sw = np.sqrt(w)
        x = least_squares(lambda v: sw * residuals(v), x, method="lm").x
        r = np.abs(residuals(x))
        if r.max() < best[0]:
            best = (r.max(), x)
        w = w * (r + 1e-6)
        w = w / w.mean()
    worst, x = best
    return x[:-1], float(np.exp(x[-1])), float(worst)


def coefficient_misses(fig: Figures, groups: np.ndarray, values: pd.DataFrame, y: np.ndarray,
                       centred: dict[str, bool]) -> tuple[dict[str, float], dict[str, float]]:
    """Fitted minus printed coefficient in printed SEs, for every printed term of every
    model; and fitted minus printed R² per model."""
    out, r2 = {}, {}
    for model in fig.models:
        X, names = model_design(fig, model, groups, values, centred=centred[model.name])
        b = np.linalg.solve(X.T @ X, X.T @ y)
        for i, name in enumerate(names):
            if name in model.terms:
                c = model.terms[name]
                out[f"{model.name}.{name}"] = float((b[i] - c.b) / c.se)
        if model.r2 is not None:
            resid = y - X @ b
            r2[model.name] = float(1 - resid @ resid / np.sum((y - y.mean()) ** 2) - model.r2)
    return out, r2


def fit_noise(fig: Figures, groups: np.ndarray, values: pd.DataFrame, beta: np.ndarray,
              centred: dict[str, bool]) -> tuple[float, dict[str, float]]:
    """Residual sum of squares ``E`` that best meets every printed R², and the R² it gives."""
    U, _ = union_design(fig, groups, values)
    mu = U @ beta
    total_fit = float(np.sum((mu - mu.mean()) ** 2))
    fitted = {}
    for model in fig.models:
        if model.r2 is None:
            continue
        X, _ = model_design(fig, model, groups, values, centred=centred[model.name])
        pred = X @ np.linalg.lstsq(X, mu, rcond=None)[0]
        fitted[model.name] = (float(np.sum((pred - pred.mean()) ** 2)), model.r2)
    if not fitted:
        sd = np.mean(list(fig.continuous[fig.outcome]["sd"].values()))
        return max(sd ** 2 * len(groups) - total_fit, 1e-6), {}
    f = np.array([v[0] for v in fitted.values()])
    r = np.array([v[1] for v in fitted.values()])
    # minimise sum (f/(T+E) - r)^2 over s = 1/(T+E): linear least squares, s = f.r / f.f
    s = float(f @ r / (f @ f))
    energy = max(1.0 / s - total_fit, 1e-6 * total_fit + 1e-9)
    r2 = {name: float(v[0] / (total_fit + energy)) for name, v in fitted.items()}
    return energy, r2


def integer_outcome(U: np.ndarray, beta: np.ndarray, energy: float, *, rng: np.random.Generator,
                    scale: np.ndarray, low: int, high: int, max_iter: int = 2000) -> np.ndarray:
    """Whole-number outcome in ``[low, high]`` whose union OLS fit is ``beta`` and whose
    residual sum of squares is ``energy`` (as nearly as whole numbers allow).

    The noise is a standardised gamma (skewed towards high scores, as symptom sums are)
    times ``scale``, with its projection on ``U`` removed. Alternating projections then find
    an outcome inside the range whose projection on ``U`` is still ``U beta``: clip to the
    range, restore the projection, repeat. An outer loop rescales the noise until the
    residual sum of squares is ``energy``; finally the outcome is rounded.
    """
    q, _ = np.linalg.qr(U)
    mu = U @ beta
    raw = (rng.gamma(2.0, 1.0, len(U)) - 2.0) / np.sqrt(2.0) * scale
    e = raw - q @ (q.T @ raw)
    e *= np.sqrt(energy / np.sum(e ** 2))
    k = 1.0
    for _ in range(8):
        y = mu + k * e
        for _ in range(max_iter):
            z = np.clip(y, low, high)
            y = z + q @ (q.T @ (mu - z))
            if np.max(np.abs(y - z)) < 1e-7:
                break
        y = np.clip(y, low, high)
        resid = float(np.sum((y - q @ (q.T @ y)) ** 2))
        if abs(resid / energy - 1) < 1e-3:
            break
        k *= np.sqrt(energy / resid)
    return np.round(y)
