"""Cluster-robust inference with few clusters: CR2, Satterthwaite and HTZ tests, G - 1 df.

With a handful of clusters (four schools) the usual cluster-robust covariance (CR1, Stata's
``vce(cluster)``, ``sandwich::vcovCL``) is biased downwards and its t tests over-reject. This
module works on a fitted :class:`~leftbehind.models.ols.OLSResult` (its design matrix and
residuals) and offers

- :func:`cr2_tests`: the Bell-McCaffrey CR2 covariance with per-coefficient Satterthwaite
  degrees of freedom, as ``clubSandwich::coef_test(fit, vcov = "CR2", test = "Satterthwaite")``
  (working model: independent, homoskedastic errors, clubSandwich's default for unweighted
  ``lm``);
- :func:`wald_htz`: the Hotelling-T² approximation with estimated degrees of freedom (HTZ) for a
  joint test, as ``clubSandwich::Wald_test(fit, constrain_zero(terms), vcov = "CR2")``;
- :func:`with_cr2` and :func:`with_cluster_df`: the same fit with its coefficient table redone
  (CR2 + Satterthwaite, or CR1 on G - 1 degrees of freedom as Stata reports it);
- :func:`few_clusters_caution`: the warning text a result with fewer than ``FEW_CLUSTERS``
  clusters carries.

Examples
--------
>>> import pandas as pd
>>> from leftbehind.models import fit_ols
>>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3], "x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
...                    "school": list("aabbbccddd")})
>>> res = cr2_tests(fit_ols(df, "y ~ x", se="cluster:school"))
>>> res.n_clusters, list(res.coefficients.columns)
(4, ['b', 'se', 't', 'df', 'p', 'ci_low', 'ci_high'])
>>> few_clusters_caution(4).split(":")[0]
'Only 4 clusters'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, InputError
from leftbehind.models._stats import num, t_table
from leftbehind.models.ols import OLSResult, as_ols_result

FEW_CLUSTERS = 30
"""Below this many clusters, cluster-robust results carry :func:`few_clusters_caution`."""

CLUSTER_DF = ("residual", "G-1")
"""Degrees of freedom of cluster-robust t tests: n - k (R's ``coeftest``) or G - 1 (Stata)."""

_EIGEN_TOL = 1e-12  # clubSandwich's matrix_power: eigenvalues <= 1e-12 count as zero


def few_clusters_caution(n_clusters: int | None, *, cluster: str | None = None,
                         corrected: bool = False) -> str | None:
    """The caution for a cluster-robust result with fewer than :data:`FEW_CLUSTERS` clusters.

    Returns ``None`` for ``None`` (no clustering) or at least 30 clusters. ``corrected`` says
    that CR2 or the wild cluster bootstrap is already in use (the text then says so).

    Examples
    --------
    >>> few_clusters_caution(40) is None
    True
    >>> few_clusters_caution(4, cluster="school").split(":")[0]
    'Only 4 clusters (school)'
    """
    if n_clusters is None or n_clusters >= FEW_CLUSTERS:
        return None
    head = f"Only {n_clusters} clusters" + (f" ({cluster})" if cluster else "") + \
        f": with fewer than about {FEW_CLUSTERS} clusters conventional cluster-robust standard errors are too " \
        "small and their tests reject too often. "
    if corrected:
        return head + ("The small-sample corrections used here (CR2 with Satterthwaite degrees of freedom, the "
                       "wild cluster bootstrap) reduce this but remain approximations: read p-values near .05 with "
                       "care.")
    return head + ("Prefer the CR2 correction with Satterthwaite degrees of freedom (se = \"CR2\") or the wild "
                   "cluster bootstrap ([analysis.wild_bootstrap]), and read p-values near .05 with care.")


def matrix_power(matrix: np.ndarray, power: float) -> np.ndarray:
    """Power of a symmetric positive semi-definite matrix by its eigen decomposition.

    Eigenvalues at or below 1e-12 are set to zero (a generalised inverse for negative powers),
    as in ``clubSandwich:::matrix_power``.

    Examples
    --------
    >>> matrix_power(np.diag([4.0, 0.0]), -0.5)
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    values, vectors = np.linalg.eigh(matrix)
    keep = values > _EIGEN_TOL
    powered = np.zeros_like(values)
    powered[keep] = values[keep] ** power
    return (vectors * powered) @ vectors.T


@dataclass(frozen=True)
class _Pieces:
    """Per-cluster matrices of CR2 on one design: what the covariance and the df need."""

    bread: np.ndarray          # M = (X'X)^-1, p x p
    est: list[np.ndarray]      # G_g = M X_g' A_g, p x n_g
    proj: np.ndarray           # F_g = M X_g' A_g X_g, G x p x p
    scores: np.ndarray         # u_g = X_g' A_g e_g, G x p

    def vcov(self) -> np.ndarray:
        meat = self.scores.T @ self.scores
        return self.bread @ meat @ self.bread

    def p_array(self, contrasts: np.ndarray) -> np.ndarray:
        """clubSandwich's ``get_P_array(all_terms = TRUE)`` for the rows of ``contrasts``: q x q x G x G."""
        cg = [contrasts @ g for g in self.est]
        cf = np.einsum("sa,gab->gsb", contrasts, self.proj)
        off = np.einsum("gsa,ab,htb->stgh", cf, self.bread, cf)
        diag = np.stack([c @ c.T for c in cg], axis=-1)  # q x q x G
        out = -off
        idx = np.arange(len(cg))
        out[:, :, idx, idx] += diag
        return out


def _adjusted_transpose(x_g: np.ndarray, root: np.ndarray) -> np.ndarray:
    """``X_g' (I - H_gg)^(-1/2)`` without the n_g x n_g matrix.

    ``H_gg = X_g M X_g'`` has rank <= p: with the thin SVD ``X_g L = U S V'`` (``L L' = M``),
    ``(I - H_gg)^(-1/2) = I + U (diag((1 - s^2)^(-1/2)) - I) U'``; eigenvalues ``1 - s^2`` at
    or below 1e-12 give 0, as :func:`matrix_power` does.
    """
    u, s, _ = np.linalg.svd(x_g @ root, full_matrices=False)
    values = 1.0 - s**2
    powered = np.zeros_like(values)
    keep = values > _EIGEN_TOL
    powered[keep] = values[keep] ** -0.5
    return x_g.T + ((x_g.T @ u) * (powered - 1.0)) @ u.T


def _pieces(exog: np.ndarray, resid: np.ndarray, groups: np.ndarray) -> _Pieces:
    bread = np.linalg.inv(exog.T @ exog)
    root = np.linalg.cholesky(bread)
    est, proj, scores = [], [], []
    for g in range(int(groups.max()) + 1):
        rows = groups == g
        x_g = exog[rows]
        xa = _adjusted_transpose(x_g, root)
        est.append(bread @ xa)
        proj.append(bread @ xa @ x_g)
        scores.append(xa @ resid[rows])
    return _Pieces(bread=bread, est=est, proj=np.stack(proj), scores=np.stack(scores))


def cr2_vcov(exog: np.ndarray, resid: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The CR2 (Bell-McCaffrey) cluster-robust covariance of OLS coefficients.

    ``M (sum_g X_g' A_g e_g e_g' A_g X_g) M`` with ``M = (X'X)^-1`` and
    ``A_g = (I - X_g M X_g')^(-1/2)`` (symmetric square root); equals
    ``clubSandwich::vcovCR(fit, cluster = g, type = "CR2")`` for an unweighted ``lm``.

    Parameters
    ----------
    exog, resid
        Design matrix (n x p, full column rank) and OLS residuals (n).
    groups
        Integer cluster codes 0..G-1, one per row.

    Examples
    --------
    >>> x = np.column_stack([np.ones(6), np.arange(6.0)])
    >>> e = np.array([0.5, -0.2, 0.1, -0.4, 0.3, -0.3])
    >>> cr2_vcov(x, e, np.array([0, 0, 1, 1, 2, 2])).shape
    (2, 2)
    """
    return _pieces(np.asarray(exog, float), np.asarray(resid, float), np.asarray(groups)).vcov()


def _satterthwaite_df(pieces: _Pieces) -> np.ndarray:
    """Satterthwaite degrees of freedom of every coefficient (``coef_test(..., "Satterthwaite")``)."""
    p = pieces.bread.shape[0]
    diag = np.stack([np.sum(g * g, axis=1) for g in pieces.est], axis=1)  # p x G
    off = np.einsum("gia,ab,hib->igh", pieces.proj, pieces.bread, pieces.proj)  # p x G x G
    idx = np.arange(diag.shape[1])
    pmat = -off
    pmat[:, idx, idx] += diag
    trace = np.trace(pmat, axis1=1, axis2=2)
    return trace**2 / np.sum(pmat**2, axis=(1, 2)).reshape(p)


def cluster_design(result: Any, cluster: str | None) -> tuple[OLSResult, np.ndarray, np.ndarray, np.ndarray, str]:
    """``(fit, X, residuals, cluster codes 0..G-1 in sorted label order, cluster column)`` of a fit."""
    fit, _ = as_ols_result(result)
    if cluster is None:
        _, _, column = fit.se_type.partition(":")
        if not column:
            raise InputError(f"the model was fitted with se={fit.se_type!r} and no cluster column", key="cluster",
                             hint="pass cluster='school' or fit with se='cluster:school'")
        cluster = column
    data = fit.estimation_data()
    if cluster not in data.columns:
        raise InputError(f"unknown cluster column {cluster!r}", column=cluster,
                         hint="name a column of the data the model was fitted on")
    values = data[cluster]
    if values.isna().any():
        raise AnalysisError(f"the cluster column {cluster!r} has missing values in the estimation sample",
                            column=cluster, hint="drop those rows or fit with se='cluster:COLUMN'")
    groups = pd.factorize(values.to_numpy(), sort=True)[0]
    if groups.max() < 1:
        raise AnalysisError(f"only one cluster in column {cluster!r}", column=cluster,
                            hint="cluster-robust errors need several clusters")
    model = fit.sm_result.model
    return fit, np.asarray(model.exog, float), np.asarray(fit.sm_result.resid, float), groups, cluster


@dataclass(frozen=True, eq=False)
class CR2Result(ResultMixin):
    """CR2 coefficient tests with Satterthwaite degrees of freedom.

    Attributes
    ----------
    coefficients
        Indexed by term: b, se, t, df (Satterthwaite), p, ci_low, ci_high.
    vcov
        The CR2 covariance matrix.
    caution
        :func:`few_clusters_caution` text, or ``None`` with 30 or more clusters.
    """

    coefficients: pd.DataFrame
    vcov: pd.DataFrame
    cluster: str
    n_clusters: int
    caution: str | None

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (a copy)."""
        return self.coefficients.copy()

    def to_dict(self) -> dict:
        """JSON-safe summary keyed by term."""
        coefs = {term: {col: num(val) for col, val in row.items()} for term, row in self.coefficients.iterrows()}
        return {"se_type": f"CR2:{self.cluster}", "n_clusters": self.n_clusters, "caution": self.caution,
                "coefficients": coefs}


def cr2_tests(result: Any, *, cluster: str | None = None, level: float = 0.95) -> CR2Result:
    """CR2 standard errors and Satterthwaite t tests for every coefficient of a fitted model.

    Parameters
    ----------
    result
        A :class:`~leftbehind.models.ols.OLSResult` (or one model of a series).
    cluster
        Cluster column; defaults to the one in ``se="cluster:COLUMN"`` of the fit.
    level
        Confidence level of the intervals (on the Satterthwaite df).

    Notes
    -----
    R: ``clubSandwich::coef_test(fit, vcov = "CR2", cluster = data$school,
    test = "Satterthwaite")`` and ``conf_int(fit, vcov = "CR2", cluster = data$school)``.
    Stata has no built-in equivalent (``reg_sandwich`` from SSC).

    Examples
    --------
    >>> import pandas as pd
    >>> from leftbehind.models import fit_ols
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6], "x": [1, 2, 3, 4, 5, 6, 7, 8],
    ...                    "g": list("aabbccdd")})
    >>> out = cr2_tests(fit_ols(df, "y ~ x"), cluster="g")
    >>> bool(out.coefficients.loc["x", "df"] < 3)
    True
    """
    fit, exog, resid, groups, column = cluster_design(result, cluster)
    pieces = _pieces(exog, resid, groups)
    vcov = pieces.vcov()
    b = fit.coefficients["b"].to_numpy()
    se = np.sqrt(np.diag(vcov))
    df = _satterthwaite_df(pieces)
    tab = t_table(b, se, df, level=level)
    names = fit.coefficients.index
    coefficients = pd.DataFrame({"b": b, "se": se, "t": tab["t"], "df": df, "p": tab["p"],
                                 "ci_low": tab["ci_low"], "ci_high": tab["ci_high"]}, index=names)
    n_clusters = int(groups.max()) + 1
    return CR2Result(coefficients=coefficients, vcov=pd.DataFrame(vcov, index=names, columns=names),
                     cluster=column, n_clusters=n_clusters, caution=few_clusters_caution(n_clusters, cluster=column, corrected=True))


@dataclass(frozen=True, eq=False)
class WaldTest(ResultMixin):
    """A joint test that ``terms`` are all zero, on the CR2 covariance.

    ``f_stat``, ``df_denom`` and ``p`` are the HTZ test (``delta`` is its scale factor);
    ``naive_f`` and ``naive_p`` the unadjusted F on (q, G - 1) df. ``p`` is NaN when the
    estimated df are not positive (too few clusters for q restrictions).
    """

    terms: tuple[str, ...]
    f_stat: float
    delta: float
    df_num: int
    df_denom: float
    p: float
    naive_f: float
    naive_p: float
    n_clusters: int

    def to_frame(self) -> pd.DataFrame:
        """One row per test (HTZ, naive F)."""
        return pd.DataFrame({"test": ["HTZ", "naive F"], "f": [self.f_stat, self.naive_f],
                             "df_num": [self.df_num] * 2, "df_denom": [self.df_denom, self.n_clusters - 1],
                             "p": [self.p, self.naive_p]})

    def to_dict(self) -> dict:
        """JSON-safe summary."""
        return {"terms": list(self.terms), "f_stat": num(self.f_stat), "delta": num(self.delta),
                "df_num": self.df_num, "df_denom": num(self.df_denom), "p": num(self.p),
                "naive_f": num(self.naive_f), "naive_p": num(self.naive_p), "n_clusters": self.n_clusters}


def _htz(pieces: _Pieces, b: np.ndarray, vcov: np.ndarray, contrasts: np.ndarray, n_clusters: int):
    from scipy import stats

    q = contrasts.shape[0]
    cb = contrasts @ b
    try:
        quad = float(cb @ np.linalg.solve(contrasts @ vcov @ contrasts.T, cb))
    except np.linalg.LinAlgError:
        quad = float("nan")
    parray = pieces.p_array(contrasts)
    omega = np.einsum("stgg->st", parray)
    root = matrix_power(omega, -0.5)
    bmat = np.einsum("sa,abgh,bt->stgh", root, parray, root)
    var = (np.einsum("stgh,tsgh->st", bmat, bmat)
           + np.einsum("ssgh,ttgh->st", bmat, bmat))
    nu = q * (q + 1) / float(var.sum())
    delta = max((nu - q + 1) / nu, 0.0)
    df2 = nu - q + 1
    f_stat = delta * quad / q
    p = float(stats.f.sf(f_stat, q, df2)) if df2 > 0 else float("nan")
    naive = quad / q
    return f_stat, delta, df2, p, naive, float(stats.f.sf(naive, q, n_clusters - 1))


def wald_htz(result: Any, terms: list[str], *, cluster: str | None = None) -> WaldTest:
    """Joint CR2 Wald test that every coefficient in ``terms`` is zero (HTZ small-sample F).

    Parameters
    ----------
    result
        A fitted model.
    terms
        Term names (patsy spelling, as in ``result.coefficients.index``).
    cluster
        Cluster column; defaults to the fit's.

    Notes
    -----
    R: ``clubSandwich::Wald_test(fit, constraints = constrain_zero(terms), vcov = "CR2",
    cluster = data$school, test = c("HTZ", "Naive-F"))``. With very few clusters and several
    restrictions the HTZ denominator df can fall below one: the test then has almost no power,
    which is the honest answer.

    Examples
    --------
    >>> import pandas as pd
    >>> from leftbehind.models import fit_ols
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6, 5, 3], "x": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    ...                    "z": [0, 1, 1, 0, 1, 0, 0, 1, 1, 0], "g": list("aabbbccdde")})
    >>> wald_htz(fit_ols(df, "y ~ x + z"), ["x", "z"], cluster="g").df_num
    2
    """
    fit, exog, resid, groups, _ = cluster_design(result, cluster)
    names = list(fit.coefficients.index)
    missing = [t for t in terms if t not in names]
    if missing or not terms:
        raise InputError(f"unknown term(s) {missing or terms!r} for the Wald test", key="terms",
                         hint="available terms: " + ", ".join(names))
    contrasts = np.zeros((len(terms), len(names)))
    for row, term in enumerate(terms):
        contrasts[row, names.index(term)] = 1.0
    pieces = _pieces(exog, resid, groups)
    n_clusters = int(groups.max()) + 1
    f_stat, delta, df2, p, naive, naive_p = _htz(pieces, fit.coefficients["b"].to_numpy(), pieces.vcov(),
                                                 contrasts, n_clusters)
    return WaldTest(terms=tuple(terms), f_stat=f_stat, delta=delta, df_num=len(terms), df_denom=df2, p=p,
                    naive_f=naive, naive_p=naive_p, n_clusters=n_clusters)


def with_cr2(result: Any, *, cluster: str | None = None) -> OLSResult:
    """The fit with CR2 standard errors and Satterthwaite tests in place of its own.

    ``coefficients`` gains a ``df`` column, ``vcov`` becomes CR2, ``se_type`` ``"CR2:COLUMN"``
    and ``f_stat``/``f_p`` the HTZ test of every non-intercept term (see :func:`wald_htz`).

    Examples
    --------
    >>> import pandas as pd
    >>> from leftbehind.models import fit_ols
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6], "x": [1, 2, 3, 4, 5, 6, 7, 8],
    ...                    "g": list("aabbccdd")})
    >>> with_cr2(fit_ols(df, "y ~ x", se="cluster:g")).se_type
    'CR2:g'
    """
    fit, _ = as_ols_result(result)
    tests = cr2_tests(fit, cluster=cluster)
    coefficients = tests.coefficients
    if "beta" in fit.coefficients:
        coefficients = coefficients.assign(beta=fit.coefficients["beta"])
    terms = [t for t in coefficients.index if t != "Intercept"]
    f_stat, f_p = float("nan"), float("nan")
    if terms:
        wald = wald_htz(fit, terms, cluster=tests.cluster)
        f_stat, f_p = wald.f_stat, wald.p
    return dataclasses.replace(fit, coefficients=coefficients, vcov=tests.vcov, se_type=f"CR2:{tests.cluster}",
                               f_stat=f_stat, f_p=f_p, n_clusters=tests.n_clusters)


def with_cluster_df(result: Any, df: str = "G-1", *, level: float = 0.95) -> OLSResult:
    """The cluster-robust fit with its t tests and intervals on G - 1 (or n - k) degrees of freedom.

    ``"G-1"`` is what Stata's ``regress ..., vce(cluster school)`` reports; ``"residual"`` (n - k)
    is R's ``lmtest::coeftest`` default and leftbehind's. Only the coefficient table changes
    (a ``df`` column is added); the covariance stays as fitted.

    Notes
    -----
    R: ``lmtest::coeftest(fit, vcov. = sandwich::vcovCL(fit, cluster = ~school), df = G - 1)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from leftbehind.models import fit_ols
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6], "x": [1, 2, 3, 4, 5, 6, 7, 8],
    ...                    "g": list("aabbccdd")})
    >>> float(with_cluster_df(fit_ols(df, "y ~ x", se="cluster:g")).coefficients.loc["x", "df"])
    3.0
    """
    if df not in CLUSTER_DF:
        raise InputError(f"unknown cluster degrees of freedom {df!r}", key="cluster_df",
                         hint="use 'residual' (n - k) or 'G-1' (Stata)")
    fit, _ = as_ols_result(result)
    if fit.n_clusters is None:
        raise InputError(f"the model was fitted with se={fit.se_type!r}, not cluster-robust", key="cluster_df",
                         hint="fit with se='cluster:COLUMN' first")
    dof = float(fit.n_clusters - 1 if df == "G-1" else fit.df_resid)
    coefficients = fit.coefficients.drop(columns=["df"], errors="ignore")
    tab = t_table(coefficients["b"].to_numpy(), coefficients["se"].to_numpy(), dof, level=level)
    for column, values in tab.items():
        coefficients[column] = values
    coefficients.insert(coefficients.columns.get_loc("p"), "df", dof)
    return dataclasses.replace(fit, coefficients=coefficients)
