"""Rubin's rules for OLS fits on multiply imputed data, as R's ``mice::pool`` computes them.

Given the fits of one formula on the ``m`` completed data sets, :func:`pool_fits` averages the
coefficients (``qbar``), the within-imputation variances (``ubar``) and takes the
between-imputation variance ``B``; the total variance is ``T = ubar + (1 + 1/m) B`` and the
t tests use the Barnard–Rubin (1999) degrees of freedom with the complete-data residual df of
the first fit, exactly as ``mice::pool`` (``mice:::barnard.rubin``, which clamps
``lambda`` at 1e-4). :func:`pool_r_squared` is ``mice::pool.r.squared`` (Fisher z of sqrt(R²),
pooled as a scalar with infinite complete-data df, 1.96-based limits) and :func:`pool_d1` the
multivariate Wald test D1 of ``mice::D1`` / ``mitml::testModels(method = "D1")`` with the
Reiter (2007) small-sample denominator df.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from leftbehind.models.ols import fit_ols
>>> rng = np.random.default_rng(1)
>>> frames = [pd.DataFrame({"x": np.arange(20.0), "y": np.arange(20.0) + rng.normal(size=20)})
...           for _ in range(3)]
>>> pooled = pool_fits([fit_ols(d, "y ~ x") for d in frames])
>>> pooled.m, pooled.dfcom, round(float(pooled.coefficients.loc["x", "b"]), 1)
(3, 18, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, InputError
from leftbehind.models._stats import num
from leftbehind.models.ols import OLSResult


def barnard_rubin(m: int, between: np.ndarray, total: np.ndarray, dfcom: float) -> np.ndarray:
    """Barnard–Rubin (1999) degrees of freedom, as ``mice:::barnard.rubin``.

    Examples
    --------
    >>> round(float(barnard_rubin(5, np.array([1.0]), np.array([3.0]), float("inf"))[0]), 6)
    25.0
    """
    lam = np.maximum((1.0 + 1.0 / m) * np.asarray(between, float) / np.asarray(total, float), 1e-4)
    dfold = (m - 1) / lam**2
    if np.isinf(dfcom):
        return dfold
    dfobs = (dfcom + 1.0) / (dfcom + 3.0) * dfcom * (1.0 - lam)
    return dfold * dfobs / (dfold + dfobs)


@dataclass(frozen=True)
class PooledScalar:
    """A scalar pooled by Rubin's rules (``mice:::pool.scalar``)."""

    m: int
    qbar: float
    ubar: float
    between: float
    total: float
    df: float
    riv: float
    fmi: float


def pool_scalar(estimates: Sequence[float], variances: Sequence[float], *,
                dfcom: float = float("inf")) -> PooledScalar:
    """Pool one scalar estimate and its variances across imputations (``mice:::pool.scalar``).

    Examples
    --------
    >>> p = pool_scalar([1.0, 2.0, 3.0], [0.5, 0.5, 0.5])
    >>> p.qbar, p.between, round(p.total, 4)
    (2.0, 1.0, 1.8333)
    """
    q = np.asarray(estimates, dtype=float)
    u = np.asarray(variances, dtype=float)
    m = _check_m(len(q))
    qbar, ubar, b = float(q.mean()), float(u.mean()), float(q.var(ddof=1))
    riv = (1.0 + 1.0 / m) * b / ubar
    total = ubar + (m + 1.0) * b / m
    df = float(barnard_rubin(m, np.array([b]), np.array([total]), dfcom)[0])
    fmi = (riv + 2.0 / (df + 3.0)) / (riv + 1.0)
    return PooledScalar(m=m, qbar=qbar, ubar=ubar, between=b, total=total, df=df, riv=riv, fmi=fmi)


@dataclass(frozen=True, eq=False)
class PooledR2:
    """Pooled R² (or adjusted R²) with its 95% limits and fraction of missing information."""

    estimate: float
    ci_low: float
    ci_high: float
    fmi: float
    adjusted: bool

    def to_dict(self) -> dict:
        return {"estimate": num(self.estimate), "ci_low": num(self.ci_low),
                "ci_high": num(self.ci_high), "fmi": num(self.fmi), "adjusted": self.adjusted}


def pool_r_squared(fits: Sequence[OLSResult], *, adjusted: bool = False) -> PooledR2:
    """Pool R² across imputations as ``mice::pool.r.squared``.

    Each sqrt(R²) is Fisher-z transformed with variance 1/(n - 3), pooled as a scalar with
    infinite complete-data df and back-transformed; the limits are qbar ± 1.96 sqrt(T),
    back-transformed and squared (so, as in mice, a lower limit from a negative z can exceed
    a tiny estimate).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from leftbehind.models.ols import fit_ols
    >>> rng = np.random.default_rng(2)
    >>> fits = [fit_ols(pd.DataFrame({"x": np.arange(30.0), "y": rng.normal(size=30) + np.arange(30) / 10}),
    ...                 "y ~ x") for _ in range(4)]
    >>> 0 < pool_r_squared(fits).estimate < 1
    True

    The R equivalent is ``mice::pool.r.squared(with(imp, lm(y ~ x)), adjusted = FALSE)``.
    """
    _check_fits(fits)
    with np.errstate(divide="ignore", invalid="ignore"):  # negative adjusted R²: NaN, as R
        r = np.sqrt(np.array([fit.adj_r2 if adjusted else fit.r2 for fit in fits], dtype=float))
        z = 0.5 * np.log((r + 1.0) / (1.0 - r))
        u = 1.0 / (np.array([fit.n for fit in fits], dtype=float) - 3.0)
        pooled = pool_scalar(z, u)
    half = 1.96 * np.sqrt(pooled.total)
    return PooledR2(estimate=float(np.tanh(pooled.qbar) ** 2),
                    ci_low=float(np.tanh(pooled.qbar - half) ** 2),
                    ci_high=float(np.tanh(pooled.qbar + half) ** 2), fmi=pooled.fmi,
                    adjusted=adjusted)


@dataclass(frozen=True, eq=False)
class PooledOLS(ResultMixin):
    """One formula fitted on ``m`` completed data sets and pooled by Rubin's rules.

    Attributes
    ----------
    coefficients
        Indexed by term; columns b (pooled estimate), se (sqrt of the total variance), t, df
        (Barnard–Rubin), p, ci_low, ci_high, ubar, between, total, riv, lambda_, fmi.
    r2, adj_r2
        :func:`pool_r_squared` plain and adjusted.
    dfcom
        Complete-data degrees of freedom (residual df of the first fit, as ``mice``).
    fits
        The ``m`` per-imputation fits.
    """

    formula: str
    outcome: str
    m: int
    n: int
    dfcom: int
    coefficients: pd.DataFrame
    r2: PooledR2
    adj_r2: PooledR2
    fits: tuple[OLSResult, ...]

    @property
    def terms(self) -> list[str]:
        return list(self.coefficients.index)

    def to_frame(self) -> pd.DataFrame:
        return self.coefficients.copy()

    def to_dict(self) -> dict:
        coefs = {term: {col: num(val) for col, val in row.items()}
                 for term, row in self.coefficients.iterrows()}
        return {"formula": self.formula, "outcome": self.outcome, "m": self.m, "n": self.n,
                "dfcom": self.dfcom, "r2": self.r2.to_dict(), "adj_r2": self.adj_r2.to_dict(),
                "coefficients": coefs}


def _check_m(m: int) -> int:
    if m < 2:
        raise InputError(f"pooling needs at least two imputations, got {m}", key="m",
                         hint="impute with m >= 2 (20 or more is usual)")
    return m


def _check_fits(fits: Sequence[OLSResult]) -> None:
    _check_m(len(fits))
    terms = fits[0].terms
    for i, fit in enumerate(fits[1:], start=2):
        if fit.terms != terms:
            raise AnalysisError(f"imputation {i} has terms {fit.terms}, imputation 1 has {terms}",
                                key="formula", hint="a category is absent from some completed "
                                "data sets; merge sparse categories or fix the factor levels")


def _stack(fits: Sequence[OLSResult], terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Estimates (k x m) and covariance matrices (m x k x k) of ``terms``."""
    q = np.column_stack([fit.coefficients.loc[terms, "b"].to_numpy(float) for fit in fits])
    u = np.stack([fit.vcov.loc[terms, terms].to_numpy(float) for fit in fits])
    return q, u


def pool_fits(fits: Sequence[OLSResult], *, level: float = 0.95) -> PooledOLS:
    """Pool fits of one formula on the completed data sets by Rubin's rules (``mice::pool``).

    Parameters
    ----------
    fits
        ``fit_ols`` results, one per imputation, all with the same terms. The within variance
        is the diagonal of each fit's ``vcov`` (classical, HC* or cluster, whichever was used).
    level
        Confidence level of ``ci_low``/``ci_high`` (t quantile on the Barnard–Rubin df).

    Returns
    -------
    PooledOLS

    Notes
    -----
    The R equivalent is ``summary(pool(with(imp, lm(y ~ x))), conf.int = TRUE)``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from leftbehind.models.ols import fit_ols
    >>> base = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": [1.2, 1.9, 3.3, 3.8, 5.1, 6.2]})
    >>> fits = [fit_ols(base.assign(y=base.y + d), "y ~ x") for d in (0.0, 0.1, -0.1)]
    >>> [round(v, 12) for v in pool_fits(fits).coefficients.loc["x", ["between", "lambda_"]]]
    [0.0, 0.0]
    """
    from scipy import stats

    _check_fits(fits)
    m = len(fits)
    terms = fits[0].terms
    q, u = _stack(fits, terms)
    qbar = q.mean(axis=1)
    ubar = np.array([u[:, j, j].mean() for j in range(len(terms))])
    between = q.var(axis=1, ddof=1)
    total = ubar + (1.0 + 1.0 / m) * between
    dfcom = int(fits[0].df_resid)
    df = barnard_rubin(m, between, total, float(dfcom))
    with np.errstate(divide="ignore", invalid="ignore"):
        riv = (1.0 + 1.0 / m) * between / ubar
        lam = (1.0 + 1.0 / m) * between / total
    fmi = (riv + 2.0 / (df + 3.0)) / (riv + 1.0)
    se = np.sqrt(total)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = qbar / se
    crit = stats.t.ppf(0.5 + level / 2.0, df)
    table = pd.DataFrame({"b": qbar, "se": se, "t": t, "df": df,
                          "p": 2.0 * stats.t.sf(np.abs(t), df),
                          "ci_low": qbar - crit * se, "ci_high": qbar + crit * se,
                          "ubar": ubar, "between": between, "total": total, "riv": riv,
                          "lambda_": lam, "fmi": fmi}, index=pd.Index(terms, name="term"))
    return PooledOLS(formula=fits[0].formula, outcome=fits[0].outcome, m=m, n=int(fits[0].n),
                     dfcom=dfcom, coefficients=table, r2=pool_r_squared(fits),
                     adj_r2=pool_r_squared(fits, adjusted=True), fits=tuple(fits))


@dataclass(frozen=True)
class D1Result:
    """The D1 multivariate Wald test of the terms a larger model adds to a nested one."""

    f: float
    df1: int
    df2: float
    p: float
    riv: float
    terms: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"f": num(self.f), "df1": self.df1, "df2": num(self.df2), "p": num(self.p),
                "riv": num(self.riv), "terms": list(self.terms)}


def _d1_df2(k: int, m: int, riv: float, dfcom: float) -> float:
    # numpy floats: with k (m - 1) = 4, c0 is inf and df2 = 4, as in R
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(_reiter_df(np.float64(k * (m - 1)), np.float64(riv), np.float64(dfcom)))


def _reiter_df(t: np.float64, riv: np.float64, dfcom: np.float64) -> np.float64:
    a = riv * t / (t - 2)
    vstar = (dfcom + 1.0) / (dfcom + 3.0) * dfcom
    c0 = np.float64(1.0) / (t - 4)
    c1 = vstar - 2.0 * (1.0 + a)
    c2 = vstar - 4.0 * (1.0 + a)
    z = (1.0 / c2 + c0 * (a**2 * c1 / ((1.0 + a) ** 2 * c2))
         + c0 * (8.0 * a**2 * c1 / ((1.0 + a) * c2**2) + 4.0 * a**2 / ((1.0 + a) * c2))
         + c0 * (4.0 * a**2 / (c2 * c1) + 16.0 * a**2 * c1 / c2**3) + c0 * (8.0 * a**2 / c2**2))
    return 4.0 + 1.0 / z


def pool_d1(fits: Sequence[OLSResult], null_fits: Sequence[OLSResult]) -> D1Result:
    """D1 test that the terms of ``fits`` absent from ``null_fits`` are all zero (F-change).

    Parameters
    ----------
    fits, null_fits
        Per-imputation fits of the larger and the nested model, in imputation order.

    Notes
    -----
    As ``mice::D1(fit1, fit0)``: ``r = (1 + 1/m) tr(B ubar^-1) / k``, ``F = qbar' ubar^-1 qbar /
    (k (1 + r))`` and the denominator df of Reiter (2007) with the residual df of the first
    larger fit as complete-data df (``mitml:::.D1`` with ``df.com``). The R equivalent is
    ``mice::D1(with(imp, lm(y ~ a + b)), with(imp, lm(y ~ a)))``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from leftbehind.models.ols import fit_ols
    >>> rng = np.random.default_rng(3)
    >>> frames = [pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40),
    ...                         "y": rng.normal(size=40)}) for _ in range(5)]
    >>> d1 = pool_d1([fit_ols(d, "y ~ a + b") for d in frames], [fit_ols(d, "y ~ a") for d in frames])
    >>> d1.df1, d1.terms
    (1, ('b',))
    """
    from scipy import stats

    _check_fits(fits)
    _check_fits(null_fits)
    m = len(fits)
    if len(null_fits) != m:
        raise InputError(f"{m} fits but {len(null_fits)} null-model fits", key="null_fits",
                         hint="fit both models on the same completed data sets")
    null_terms = set(null_fits[0].terms)
    extra = [term for term in fits[0].terms if term not in null_terms]
    if not extra:
        raise AnalysisError(f"{fits[0].formula!r} adds no term to {null_fits[0].formula!r}",
                            key="formula", hint="the models must be nested, the larger one first")
    k = len(extra)
    q, u = _stack(fits, extra)
    qbar = q.mean(axis=1)
    ubar = u.mean(axis=0)
    between = np.atleast_2d(np.cov(q, ddof=1))
    riv = float((1.0 + 1.0 / m) * np.trace(between @ np.linalg.inv(ubar)) / k)
    f = float(qbar @ np.linalg.solve((1.0 + riv) * ubar, qbar) / k)
    df2 = _d1_df2(k, m, riv, float(fits[0].df_resid))
    return D1Result(f=f, df1=k, df2=df2, p=float(stats.f.sf(f, k, df2)), riv=riv,
                    terms=tuple(extra))
