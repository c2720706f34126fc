"""Restricted wild cluster bootstrap (WCR) of one OLS coefficient, for few clusters.

The null hypothesis ``b[term] = null`` is imposed: the model is refitted without the term (its
coefficient fixed at ``null``), and each bootstrap sample is ``y* = restricted fit + restricted
residual * w_g``, one weight ``w_g`` per cluster. The statistic is the cluster-robust t
(CR1: ``sandwich::vcovCL`` type HC1, Stata's ``vce(cluster)``) of the full model on ``y*``. This
is what Stata's ``boottest`` and R's ``fwildclusterboot::boottest`` do by default
(Roodman, MacKinnon, Nielsen and Webb 2019, *Stata Journal* 19(1)).

The bootstrap is computed in closed form from cluster-level sums (no refit per draw): with
``S_g = X_g' u~_g`` and ``M = (X'X)^-1``, every draw needs only a G x G matrix product, so
99,999 draws take a fraction of a second.

Weights: Rademacher (+1/-1 with equal probability) or Webb's six-point distribution
(+-sqrt(1/2), +-1, +-sqrt(3/2)), which has more distinct draws when clusters are very few.
With Rademacher weights and ``2**G <= reps`` every one of the ``2**G`` sign vectors is used
once (full enumeration), so the p-value is exact and needs no seed.

Examples
--------
>>> import pandas as pd
>>> from leftbehind.models import fit_ols
>>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3], "x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
...                    "school": list("aabbbccddd")})
>>> boot = wild_cluster_bootstrap(fit_ols(df, "y ~ x", se="cluster:school"), "x")
>>> boot.reps, boot.enumerated
(16, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, InputError
from leftbehind.models._stats import num
from leftbehind.models.small_clusters import cluster_design, few_clusters_caution

WEIGHT_KINDS = ("rademacher", "webb")
WEBB_VALUES = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
_TIE = 1e-10  # |t*| within this relative distance of |t| counts as "at least as extreme"


def bootstrap_weights(n_clusters: int, reps: int, *, kind: str = "rademacher",
                      seed: int | None = None) -> tuple[np.ndarray, bool]:
    """The ``reps x G`` weight matrix and whether it is the full Rademacher enumeration.

    Rademacher weights with ``2**G <= reps`` give all ``2**G`` sign vectors (row ``i``, column
    ``j`` is ``+1`` when bit ``j`` of ``i`` is set: the order of R's ``expand.grid``).

    Examples
    --------
    >>> w, full = bootstrap_weights(2, 999)
    >>> w.tolist(), full
    ([[-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]], True)
    >>> bootstrap_weights(3, 5, kind="webb", seed=1)[0].shape
    (5, 3)
    """
    if kind not in WEIGHT_KINDS:
        raise InputError(f"unknown bootstrap weights {kind!r}", key="weights", hint="use 'rademacher' or 'webb'")
    if reps < 1:
        raise InputError(f"reps must be positive, got {reps}", key="reps", hint="use e.g. reps = 9999")
    if kind == "rademacher" and n_clusters < 31 and 2**n_clusters <= reps:
        codes = np.arange(2**n_clusters)[:, None] >> np.arange(n_clusters)[None, :]
        return (codes & 1) * 2.0 - 1.0, True
    rng = np.random.default_rng(seed)
    if kind == "rademacher":
        return rng.integers(0, 2, size=(reps, n_clusters)) * 2.0 - 1.0, False
    return WEBB_VALUES[rng.integers(0, 6, size=(reps, n_clusters))], False


@dataclass(frozen=True, eq=False)
class WildBootstrapResult(ResultMixin):
    """A wild cluster bootstrap test of one coefficient.

    Attributes
    ----------
    t
        The cluster-robust (CR1) t of ``b[term] - null`` on the original data.
    p
        Symmetric p-value: the share of draws with ``|t*| >= |t|``.
    p_lower, p_upper
        One-sided shares ``t* <= t`` and ``t* >= t``.
    t_star
        The bootstrap t statistics (``None`` unless ``keep_draws=True``).
    """

    term: str
    null: float
    estimate: float
    t: float
    p: float
    p_lower: float
    p_upper: float
    reps: int
    weights: str
    enumerated: bool
    seed: int | None
    cluster: str
    n_clusters: int
    caution: str | None
    t_star: np.ndarray | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row: term, estimate, t, p and the bootstrap settings."""
        return pd.DataFrame([{key: value for key, value in self.to_dict().items() if key != "caution"}])

    def to_dict(self) -> dict:
        """JSON-safe summary (without the draws)."""
        return {"term": self.term, "null": num(self.null), "estimate": num(self.estimate), "t": num(self.t),
                "p": num(self.p), "p_lower": num(self.p_lower), "p_upper": num(self.p_upper), "reps": self.reps,
                "weights": self.weights, "enumerated": self.enumerated, "seed": self.seed,
                "cluster": self.cluster, "n_clusters": self.n_clusters, "caution": self.caution}


def wild_t(exog: np.ndarray, endog: np.ndarray, groups: np.ndarray, column: int, draws: np.ndarray,
           *, null: float = 0.0) -> tuple[float, np.ndarray]:
    """The original CR1 t and the WCR bootstrap t's of coefficient ``column`` (array level).

    Parameters
    ----------
    exog, endog
        Design matrix (n x p, full rank) and outcome.
    groups
        Cluster codes 0..G-1; column ``g`` of ``draws`` is the weight of cluster ``g``.
    column
        Index of the tested coefficient.
    draws
        Weight matrix, reps x G.
    null
        The value imposed on the coefficient.

    Examples
    --------
    >>> x = np.column_stack([np.ones(6), np.arange(6.0)])
    >>> y = np.array([1.0, 0.5, 2.5, 2.0, 4.5, 3.0])
    >>> t, t_star = wild_t(x, y, np.array([0, 0, 1, 1, 2, 2]), 1, np.ones((1, 3)))
    >>> bool(np.isclose(t, t_star[0]))
    True
    """
    exog = np.asarray(exog, float)
    endog = np.asarray(endog, float)
    n, p = exog.shape
    n_clusters = int(groups.max()) + 1
    bread = np.linalg.inv(exog.T @ exog)
    factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - p)
    row = bread[column]

    def cluster_sum(values: np.ndarray) -> np.ndarray:  # G x p sums of x_i * values_i
        out = np.zeros((n_clusters, p))
        np.add.at(out, groups, exog * values[:, None])
        return out

    beta = bread @ exog.T @ endog
    scores = cluster_sum(endog - exog @ beta) @ row
    t0 = (beta[column] - null) / np.sqrt(factor * np.sum(scores**2))
    others = np.delete(np.arange(p), column)
    target = endog - null * exog[:, column]
    coef_r = np.linalg.lstsq(exog[:, others], target, rcond=None)[0]
    resid_r = target - exog[:, others] @ coef_r
    sums = cluster_sum(resid_r)                          # S_g = X_g' u~_g
    shift = sums @ bread                                 # row h: (M S_h)'
    a = shift[:, column]                                 # b*_k - null = a . w
    gram_row = np.zeros((n_clusters, p))                 # row g: X_g'X_g m_k
    np.add.at(gram_row, groups, exog * (exog @ row)[:, None])
    kernel = np.diag(a) - gram_row @ shift.T             # cluster scores of draw w: kernel @ w
    draws = np.asarray(draws, float)
    numer = draws @ a
    denom = np.sqrt(factor * np.sum((draws @ kernel.T) ** 2, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(t0), numer / denom


def wild_cluster_bootstrap(result: Any, term: str, *, cluster: str | None = None, null: float = 0.0,
                           reps: int = 9999, weights: str = "rademacher", seed: int | None = None,
                           draws: np.ndarray | None = None, keep_draws: bool = False) -> WildBootstrapResult:
    """Restricted wild cluster bootstrap p-value of ``term`` in a fitted OLS model.

    Parameters
    ----------
    result
        An :class:`~leftbehind.models.ols.OLSResult` (or one model of a series).
    term
        The coefficient tested (patsy name, e.g. ``"C(group, Treatment('none'))[T.mother]"``).
    cluster
        Cluster column; defaults to the one in ``se="cluster:COLUMN"`` of the fit.
    null
        The hypothesised value of the coefficient.
    reps
        Number of draws (all ``2**G`` sign vectors instead when Rademacher and ``2**G <= reps``).
    weights
        ``"rademacher"`` or ``"webb"``.
    seed
        Seed of numpy's ``default_rng``; the same seed gives the same p-value.
    draws
        An explicit ``reps x G`` weight matrix (columns: clusters in sorted order) instead
        (``weights`` is then reported as ``"given"``).
    keep_draws
        Keep the bootstrap t statistics in ``t_star``.

    Notes
    -----
    Stata: ``regress y x, vce(cluster school)`` then ``boottest x, reps(9999) weight(rademacher)``.
    R: ``fwildclusterboot::boottest(lm(y ~ x), param = "x", clustid = "school", B = 9999,
    type = "rademacher")``. Ties ``|t*| = |t|`` (the identity draw of a full enumeration) count
    as extreme, so a full enumeration with G clusters cannot give p below ``2 / 2**G``: with four
    schools no symmetric test can reject at .10 (p >= .125).

    Examples
    --------
    >>> import pandas as pd
    >>> from leftbehind.models import fit_ols
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3], "x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                    "school": list("aabbbccddd")})
    >>> boot = wild_cluster_bootstrap(fit_ols(df, "y ~ x"), "x", cluster="school", weights="webb",
    ...                               reps=999, seed=1)
    >>> boot.reps, 0 < boot.p <= 1
    (999, True)
    """
    fit, exog, _, groups, column = cluster_design(result, cluster)
    names = list(fit.coefficients.index)
    if term not in names:
        raise InputError(f"unknown term {term!r} for the wild bootstrap", key="terms",
                         hint="available terms: " + ", ".join(names))
    if len(names) < 2:
        raise AnalysisError("the wild bootstrap needs a model with at least two coefficients", key="terms",
                            hint="keep the intercept in the model")
    n_clusters = int(groups.max()) + 1
    if draws is None:
        draws, enumerated = bootstrap_weights(n_clusters, reps, kind=weights, seed=seed)
    else:
        draws = np.asarray(draws, float)
        enumerated, weights = False, "given"
        if draws.ndim != 2 or draws.shape[1] != n_clusters:
            raise InputError(f"draws must have one column per cluster ({n_clusters})", key="draws",
                             hint="pass a reps x G matrix, columns in sorted cluster order")
    endog = np.asarray(fit.sm_result.model.endog, float)
    t0, t_star = wild_t(exog, endog, groups, names.index(term), draws, null=null)
    tol = _TIE * abs(t0)
    return WildBootstrapResult(
        term=term, null=float(null), estimate=float(fit.coefficients.loc[term, "b"]), t=t0,
        p=float(np.mean(np.abs(t_star) >= abs(t0) - tol)), p_lower=float(np.mean(t_star <= t0 + tol)),
        p_upper=float(np.mean(t_star >= t0 - tol)), reps=int(draws.shape[0]), weights=weights,
        enumerated=enumerated, seed=None if enumerated else seed, cluster=column, n_clusters=n_clusters,
        caution=few_clusters_caution(n_clusters, cluster=column, corrected=True), t_star=t_star if keep_draws else None)


def terms_involving(result: Any, variables: list[str]) -> list[str]:
    """The coefficient names of a fit whose term reads one of ``variables`` (main effects and interactions).

    Examples
    --------
    >>> import pandas as pd
    >>> from leftbehind.models import fit_ols
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6], "x": [1, 2, 3, 4, 5, 6, 7, 8],
    ...                    "g": list("abcabcab")})
    >>> terms_involving(fit_ols(df, "y ~ C(g) * x"), ["g"])
    ['C(g)[T.b]', 'C(g)[T.c]', 'C(g)[T.b]:x', 'C(g)[T.c]:x']
    """
    from leftbehind.models._formula import code_variables, design_info
    from leftbehind.models.ols import as_ols_result

    fit, _ = as_ols_result(result)
    info: Any = design_info(fit.sm_result.model)
    wanted = set(variables)
    names = list(fit.coefficients.index)
    found: list[str] = []
    for term in info.terms:
        used = {v for factor in term.factors for v in code_variables(factor.code)}
        if used & wanted:
            found += names[info.term_name_slices[term.name()]]
    return [n for n in names if n in found]
