"""Calibrate an outcome so that every printed regression is reproduced on synthetic data.

The method, for any published-figures file (nothing here knows the Hunchun numbers):

1. *One union design.* The columns of every printed model — constant, group dummies
   (reference excluded), controls, each moderator and each group × moderator product —
   span one space ``U``. Centring a moderator does not change that space, only how its
   coefficients are read, so ``U`` uses raw moderators, and every model is a linear map
   ``X_m = U S_m`` of it (:class:`_Algebra`).
2. *Everything is a function of the Gram matrix.* Write the outcome as ``y = U beta + e``
   with ``e`` orthogonal to every column of ``U``. Then the OLS coefficients of model ``m``
   are exactly ``A_m beta`` with ``A_m = (S'GS)^-1 S'G`` and ``G = U'U``, whatever ``e``
   is; its R² and SEs follow from ``beta``, ``G`` and ``E = ||e||²`` in closed form.
3. *Targets are intervals.* Each printed coefficient must land within
   :data:`TOLERANCE_SE` (0.5) printed SEs of the print and inside the band of ``b`` that
   earns the printed stars with the SE the solution implies (:func:`interval`; the solver
   aims at :data:`AIM` of each width, leaving room for rounding). Where no value within the
   tolerance earns the printed stars, the print is internally inconsistent: only the
   tolerance is kept and the term is reported (:attr:`Calibration.unreachable_stars`).
   The outcome's Table 1 group means (group means of ``U beta``) count with a tenth of their
   SD. ``beta`` minimises the worst miss in units of the half-widths (weighted least
   squares re-weighted towards the largest misses, Lawson). Models whose centring is not
   declared are read both ways and the reading with the smaller miss is kept.
4. *Joint structure of the covariates.* Coefficients of different models differ by
   omitted-variable terms, so the covariates' joint distribution (Table 1 fixes only the
   margins) must be the printed one. (a) A model's intercept is the outcome mean minus
   each coefficient times its variable's mean, so adding a centred moderator ``M`` moves the
   intercept by ``b_M sum_c gamma_c mean_c`` (``gamma``: regression of ``M`` on groups and
   controls); the printed intercepts therefore give ``sum_c gamma_c mean_c`` for every
   moderator (:func:`leftbehind.simulate.build.control_gaps`), and each moderator's loading
   on a control composite is set by secant steps to reproduce it. (b) The moderators'
   loadings on a shared support factor are searched — random candidates, then local
   perturbations of the best, on fixed random numbers — to minimise the worst of: the miss
   of step 3, the R² miss of step 5 (in units of 0.02) and how far ``U beta`` leaves the
   outcome's range (in scale points).
5. *Noise scale from R².* With ``e`` orthogonal to ``U``, every model's R² is
   ``F_m / (T + E)`` with ``F_m`` and ``T`` quadratic in ``beta``. During the structure
   search ``E`` is the one-dimensional least-squares fit to all printed R²; for the chosen
   structure ``beta`` and ``E`` are then refined together against the intervals (whose star
   bands are recomputed from the implied SEs), Table 1 means and R², again re-weighted
   towards the worst miss (:func:`refine_with_r2`).
6. *Whole-number outcome.* The outcome is a sum of items, so it must be an integer in the
   scale's range. Draw skewed noise (scaled per group by what Table 1's SD leaves after the
   structural part), remove its projection on ``U`` and scale it to ``E``; then alternate
   projections — clip to the range, restore the projection on ``U`` to ``U beta`` — until
   both hold, rescale the noise until the residual sum of squares is ``E`` again, and round.
7. *Polish.* Rounding moves coefficients by a few hundredths of an SE, which can cost a
   star where the print sits next to a cut-off. :func:`polish_outcome` moves single
   outcomes by one point (the effect of each move on every coefficient is known in closed
   form) until every coefficient is well inside its interval.
8. *Accept or redraw.* The misses and stars are measured on the final whole-number
   outcome; a draw whose worst miss exceeds 0.95 of the tolerances or whose stars differ
   from the print on more than one term (``STAR_SLACK``) is replaced by a fresh draw from
   the seed's next child stream, keeping the best (:mod:`leftbehind.simulate.build`); terms
   a study must match (its hypotheses' tests) weigh most in that choice.

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
from leftbehind.simulate.figures import Coefficient, Figures, PrintedModel

__all__ = ["Calibration", "union_design", "model_design", "solve_structural", "fit_noise",
           "integer_outcome", "model_values", "coefficient_misses", "refine_with_r2",
           "interval", "fitted_terms", "star_misses", "polish_outcome", "STAR_CUTOFFS", "TOLERANCE_SE", "AIM"]

#: Two-sided p cut-offs of one, two and three stars (p strictly below each).
STAR_CUTOFFS = (0.05, 0.01, 0.001)
#: Largest accepted miss of a printed coefficient, in printed SEs.
TOLERANCE_SE = 0.5
#: Share of every tolerance the solver aims at; the rest absorbs whole-number rounding.
AIM = 0.85
#: Relative tolerance of the outcome's total variance against Table 1's means and SDs (the
#: printed SEs scale with its square root).
VARIANCE_TOLERANCE = 0.02


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
    star_misses: tuple[str, ...] = ()
    unreachable_stars: tuple[str, ...] = ()


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


class _Algebra:
    """One printed model as a linear map of the union design: ``X_m = U S``.

    Everything a model reports is then a function of the Gram matrix ``G = U'U`` alone:
    coefficients ``A beta`` with ``A = (S'GS)^-1 S'G``, fitted sums of squares and SEs.
    """

    def __init__(self, fig: Figures, model: PrintedModel, cols: list[str], G: np.ndarray, *,
                 centred: bool) -> None:
        pos = {c: i for i, c in enumerate(cols)}
        n = G[0, 0]

        def unit(name: str) -> np.ndarray:
            v = np.zeros(len(cols))
            v[pos[name]] = 1.0
            return v
        names, vecs = ["const"], [unit("const")]
        for g in fig.comparison_groups:
            names.append(g)
            vecs.append(unit(g))
        if model.controls:
            for c in fig.controls:
                names.append(c)
                vecs.append(unit(c))
        if model.moderator is not None:
            m = model.moderator
            shift = G[0, pos[m]] / n if centred else 0.0
            names.append("moderator")
            vecs.append(unit(m) - shift * unit("const"))
            if model.interaction:
                for g in fig.comparison_groups:
                    names.append(f"{g}_x")
                    vecs.append(unit(f"{g}_x_{m}") - shift * unit(g))
        S = np.column_stack(vecs)
        self.model, self.names, self.S = model, names, S
        self.inv = np.linalg.inv(S.T @ G @ S)
        self.A = self.inv @ S.T @ G
        self.H = G @ S @ self.A                      # beta'H beta: fitted (uncentred) SS
        self.df = int(round(n)) - len(names)
        self.keep = [i for i, name in enumerate(names) if name in model.terms]
        self.printed = [model.terms[names[i]] for i in self.keep]
        self.labels = [f"{model.name}.{names[i]}" for i in self.keep]

    def se(self, beta: np.ndarray, G: np.ndarray, energy: float) -> np.ndarray:
        """SEs of the printed terms for outcome ``U beta + e`` with ``||e||² = energy``."""
        rss = max(float(beta @ G @ beta - beta @ self.H @ beta) + energy, 1e-12)
        return np.sqrt(rss / self.df * np.diag(self.inv)[self.keep])


def _t_critical(df: int) -> np.ndarray:
    from scipy.stats import t as student

    return np.r_[0.0, student.isf(np.array(STAR_CUTOFFS) / 2, df), np.inf]


def interval(c: Coefficient, *, se: float, df: int, aim: float = AIM) -> tuple[float, float, bool]:
    """Where a coefficient must land: within ``aim * TOLERANCE_SE`` printed SEs of the print
    and, if stars are printed, inside the band of ``b`` that earns them with standard error
    ``se`` (a t test on ``df`` degrees of freedom). Returns ``(centre, half-width, stars
    reachable)``; when the band and the tolerance do not meet, only the tolerance is kept.

    Examples
    --------
    >>> centre, half, ok = interval(Coefficient(2.767, 1.056, "**"), se=1.074, df=590)
    >>> ok, bool(centre - half > 2.767)        # ** needs |t| >= 2.584: b >= 2.776
    (True, True)
    """
    lo, hi = c.b - aim * TOLERANCE_SE * c.se, c.b + aim * TOLERANCE_SE * c.se
    if c.stars is None:
        return (lo + hi) / 2, (hi - lo) / 2, True
    k = min(len(c.stars), len(STAR_CUTOFFS))
    crit = _t_critical(df) * se
    margin = 0.01 * se
    if k == 0:
        band = (-crit[1] + margin, crit[1] - margin)
    elif c.b >= 0:
        band = (crit[k] + margin, crit[k + 1] - margin)
    else:
        band = (-crit[k + 1] + margin, -crit[k] - margin)
    b_lo, b_hi = max(lo, band[0]), min(hi, band[1])
    if b_lo >= b_hi:
        return (lo + hi) / 2, (hi - lo) / 2, False
    return (b_lo + b_hi) / 2, (b_hi - b_lo) / 2, True


def _gram(fig: Figures, groups: np.ndarray, values: pd.DataFrame,
          ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    U, cols = union_design(fig, groups, values)
    G = np.einsum("ij,ik->jk", U, U)     # einsum: steadier than threaded BLAS for a thin U
    d = np.sqrt(np.diag(G))
    if np.linalg.eigvalsh(G / np.outer(d, d)).min() < 1e-10:
        raise AnalysisError("the union of the printed models' designs is singular",
                            hint="check that every control and moderator varies")
    return U, G, cols


def _system(fig, algebras, G, groups, U, *, se_rep=None):
    """Stacked rows ``A``, centres ``c`` and half-widths ``h`` of every printed coefficient
    and of the outcome's Table 1 group means; labels; terms whose stars cannot be reached."""
    rows, cs, hs, labels, unreachable = [], [], [], [], []
    for alg in algebras:
        for j, (coef, label) in enumerate(zip(alg.printed, alg.labels)):
            se = coef.se if se_rep is None else se_rep[label]
            c, h, ok = interval(coef, se=se, df=alg.df)
            rows.append(alg.A[alg.keep[j]])
            cs.append(c)
            hs.append(h)
            labels.append(label)
            if not ok:
                unreachable.append(label)
    means = fig.continuous[fig.outcome]
    for g in fig.groups:
        rows.append(U[groups == g].mean(axis=0))
        cs.append(means["mean"][g])
        hs.append(AIM * 0.1 * means["sd"][g])
    return np.vstack(rows), np.array(cs), np.array(hs), labels, unreachable


def _lawson(A: np.ndarray, t: np.ndarray, se: np.ndarray, *, iters: int = 40) -> np.ndarray:
    """Weighted least squares, re-weighted towards the largest misses (minimax in units of
    ``se``)."""
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
    """Structural ``beta`` over the union design, the centring used and the worst miss in
    units of the targets' half-widths (1 = at the edge of a coefficient's interval, see
    :func:`interval`; the outcome's Table 1 group means count in units of a tenth of their
    printed SD).

    Without ``centred``, declared centrings are used and undeclared ones
    (``PrintedModel.centred is None``) are chosen greedily, model by model, to reduce the
    worst miss.
    """
    U, G, cols = _gram(fig, groups, values)
    fixed = centred is not None
    if centred is None:
        centred = {m.name: (True if m.centred is None else m.centred) for m in fig.models}
    open_models = [] if fixed else [m.name for m in fig.models
                                    if m.centred is None and m.moderator is not None]
    algebra = {}
    for model in fig.models:
        for c in ({centred[model.name]} | ({True, False} if model.name in open_models else set())):
            algebra[model.name, c] = _Algebra(fig, model, cols, G, centred=c)

    def solve(cent):
        A, c, h, _, _ = _system(fig, [algebra[m.name, cent[m.name]] for m in fig.models], G,
                                groups, U)
        beta = _lawson(A, c, h)
        return beta, float(np.max(np.abs(A @ beta - c) / h))

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


def _r2_parts(fig, algebras, G, beta, energy):
    n = G[0, 0]
    ybar2 = (G[0] @ beta) ** 2 / n
    total = beta @ G @ beta - ybar2 + energy
    return np.array([(beta @ a.H @ beta - ybar2) / total for a in algebras
                     if a.model.r2 is not None])


def _table1_total_ss(fig: Figures) -> float:
    """Total sum of squares of the outcome implied by Table 1's group means and SDs."""
    stats = fig.continuous[fig.outcome]
    n = {g: fig.n[g] for g in fig.groups}
    grand = sum(n[g] * stats["mean"][g] for g in n) / sum(n.values())
    return float(sum((n[g] - 1) * stats["sd"][g] ** 2 + n[g] * (stats["mean"][g] - grand) ** 2
                     for g in n))


def refine_with_r2(fig: Figures, groups: np.ndarray, values: pd.DataFrame, beta: np.ndarray,
                   centred: dict[str, bool], energy: float, *, iters: int = 12,
                   r2_tolerance: float = 0.02, rounds: int = 3,
                   ) -> tuple[np.ndarray, float, float, tuple[str, ...]]:
    """Jointly refine ``beta`` and the residual sum of squares ``E`` against every printed
    coefficient (its :func:`interval`), Table 1 outcome mean (in tenths of an SD) and R² (in
    units of ``r2_tolerance``): ``R²_m = (beta'H_m beta - n ybar²) / (beta'G beta - n ybar²
    + E)``. Nonlinear least squares, re-weighted towards the largest misses; the star bands
    are recomputed from the SEs the solution implies (``rounds`` times). Returns ``(beta, E,
    worst miss in those units, terms whose printed stars cannot be reached)``.
    """
    from scipy.optimize import least_squares

    U, G, _ = _gram(fig, groups, values)
    cols = union_design(fig, groups, values)[1]
    algebras = [_Algebra(fig, m, cols, G, centred=centred[m.name]) for m in fig.models]
    r2s = np.array([m.r2 for m in fig.models if m.r2 is not None])
    total_ss = _table1_total_ss(fig)
    n = G[0, 0]
    x = np.r_[beta, np.log(energy)]
    unreachable: list[str] = []
    best = (np.inf, x)
    for _ in range(rounds):
        b, e = x[:-1], np.exp(x[-1])
        se_rep = {label: s for a in algebras for label, s in zip(a.labels, a.se(b, G, e))}
        A, c, h, _, unreachable = _system(fig, algebras, G, groups, U, se_rep=se_rep)

        def residuals(v, A=A, c=c, h=h):
            r2 = _r2_parts(fig, algebras, G, v[:-1], np.exp(v[-1]))
            ss = v[:-1] @ G @ v[:-1] - (G[0] @ v[:-1]) ** 2 / n + np.exp(v[-1])
            return np.r_[(A @ v[:-1] - c) / h, (r2 - r2s) / (AIM * r2_tolerance),
                         (ss / total_ss - 1) / VARIANCE_TOLERANCE]

        w = np.ones(len(c) + len(r2s) + 1)
        best = (np.max(np.abs(residuals(x))), x)
        for _ in range(iters):
            sw = np.sqrt(w)
            x = least_squares(lambda v: sw * residuals(v), x, method="lm").x
            r = np.abs(residuals(x))
            if r.max() < best[0]:
                best = (r.max(), x)
            w = w * (r + 1e-6)
            w = w / w.mean()
        x = best[1]
    worst, x = best
    return x[:-1], float(np.exp(x[-1])), float(worst), tuple(unreachable)


def fitted_terms(fig: Figures, groups: np.ndarray, values: pd.DataFrame, y: np.ndarray,
                 centred: dict[str, bool]) -> dict[str, tuple[float, float, str]]:
    """OLS ``(b, se, stars)`` of every printed term of every model, fitted to ``y``."""
    from scipy.stats import t as student

    U, G, cols = _gram(fig, groups, values)
    uy, yy = U.T @ y, float(y @ y)
    out = {}
    for model in fig.models:
        alg = _Algebra(fig, model, cols, G, centred=centred[model.name])
        sy = alg.S.T @ uy
        b = alg.inv @ sy
        se = np.sqrt(max(yy - sy @ b, 1e-12) / alg.df * np.diag(alg.inv))
        for i, label in zip(alg.keep, alg.labels):
            p = 2 * student.sf(abs(b[i] / se[i]), alg.df)
            out[label] = (float(b[i]), float(se[i]), "*" * int(sum(p < c for c in STAR_CUTOFFS)))
    return out


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


def star_misses(fig: Figures, groups: np.ndarray, values: pd.DataFrame, y: np.ndarray,
                centred: dict[str, bool]) -> tuple[str, ...]:
    """Printed terms whose fitted stars differ from the printed ones."""
    fitted = fitted_terms(fig, groups, values, y, centred)
    printed = {f"{m.name}.{k}": c.stars for m in fig.models for k, c in m.terms.items()}
    return tuple(k for k, (_, _, stars) in fitted.items()
                 if printed.get(k) is not None and printed[k] != stars)


def fit_noise(fig: Figures, groups: np.ndarray, values: pd.DataFrame, beta: np.ndarray,
              centred: dict[str, bool]) -> tuple[float, dict[str, float]]:
    """Residual sum of squares ``E`` that best meets every printed R², and the R² it gives."""
    U, G, cols = _gram(fig, groups, values)
    algebras = [_Algebra(fig, m, cols, G, centred=centred[m.name]) for m in fig.models
                if m.r2 is not None]
    n = G[0, 0]
    ybar2 = (G[0] @ beta) ** 2 / n
    total_fit = float(beta @ G @ beta - ybar2)
    if not algebras:
        sd = np.mean(list(fig.continuous[fig.outcome]["sd"].values()))
        return max(sd ** 2 * len(groups) - total_fit, 1e-6), {}
    f = np.array([beta @ a.H @ beta - ybar2 for a in algebras])
    r = np.array([a.model.r2 for a in algebras])
    # minimise sum (f/(T+E) - r)^2 over s = 1/(T+E): linear least squares, s = f.r / f.f
    s = float(f @ r / (f @ f))
    energy = max(1.0 / s - total_fit, 1e-6 * total_fit + 1e-9)
    r2 = {a.model.name: float(fv / (total_fit + energy)) for a, fv in zip(algebras, f)}
    return energy, r2


#: Share of an interval beyond which :func:`polish_outcome` pushes a coefficient inwards.
SOFT = 0.6


def polish_outcome(fig: Figures, groups: np.ndarray, values: pd.DataFrame, y: np.ndarray,
                   centred: dict[str, bool], *, low: int, high: int, aim: float = 0.9,
                   max_steps: int = 400, must_match: tuple[str, ...] = ()) -> np.ndarray:
    """Move single whole-number outcomes by one point until every printed coefficient lies
    inside its :func:`interval` (tolerance ``aim * TOLERANCE_SE`` and the band of its printed
    stars, with the SEs of the current fit) and every Table 1 group mean within ``aim`` of a
    tenth of its SD.

    A one-point change of case ``i`` moves every model's coefficients by the known vector
    ``K U_i`` (``K`` stacks the rows ``(S'GS)^-1 S'`` of the printed terms), so each step
    tries all cases and both directions at once and keeps the move that most reduces the
    squared excess over :data:`SOFT` of the intervals (terms in ``must_match``, e.g. the
    tests of a study's hypotheses, weigh ten times); the SEs are refreshed every ten moves.
    It stops when no move helps.
    """
    U, G, cols = _gram(fig, groups, values)
    algebras = [_Algebra(fig, m, cols, G, centred=centred[m.name]) for m in fig.models]
    K = np.vstack([a.inv[a.keep] @ a.S.T for a in algebras])
    coefs = [c for a in algebras for c in a.printed]
    labels = [lab for a in algebras for lab in a.labels]
    dfs = [a.df for a in algebras for _ in a.keep]
    D = U @ K.T
    weight = np.array([10.0 if lab in must_match else 1.0 for lab in labels])
    member = np.column_stack([(groups == g) / np.sum(groups == g) for g in fig.groups])
    out = fig.continuous[fig.outcome]
    m_c = np.array([out["mean"][g] for g in fig.groups])
    m_h = np.array([aim * 0.1 * out["sd"][g] for g in fig.groups])
    y = np.asarray(y, dtype=float).copy()
    c = h = None
    for step in range(max_steps):
        if step % 10 == 0:
            fitted = fitted_terms(fig, groups, values, y, centred)
            ch = [interval(coef, se=fitted[lab][1], df=df, aim=aim)
                  for coef, lab, df in zip(coefs, labels, dfs)]
            c, h = np.array([v[0] for v in ch]), np.array([v[1] for v in ch])
        b = K @ (U.T @ y)
        gm = member.T @ y
        now = np.r_[np.abs(b - c) / h, np.abs(gm - m_c) / m_h]
        nb = len(labels)
        score_now = (np.sum(weight * np.maximum(now[:nb] - SOFT, 0.0) ** 2)
                     + np.sum(np.maximum(now[nb:] - SOFT, 0.0) ** 2))
        best = (score_now, None)
        for sign in (1.0, -1.0):
            ok = (y + sign >= low) & (y + sign <= high)
            vb = np.abs(b[None, :] + sign * D - c) / h
            vm = np.abs(gm[None, :] + sign * member - m_c) / m_h
            score = (np.sum(weight * np.maximum(vb - SOFT, 0.0) ** 2, axis=1)
                     + np.sum(np.maximum(vm - SOFT, 0.0) ** 2, axis=1))
            score[~ok] = np.inf
            i = int(np.argmin(score))
            if score[i] < best[0] - 1e-12:
                best = (score[i], (i, sign))
        if best[1] is None:
            break
        y[best[1][0]] += best[1][1]
    return y


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
