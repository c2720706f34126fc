"""Ordinary least squares with classical, heteroskedasticity-robust or cluster-robust errors.

The design matrix is built by patsy (through statsmodels), so term names are patsy's:
``Intercept``, ``C(group, Treatment('none'))[T.mother]``, ``x``, ``a:b``. The least-squares
problem is solved by Householder QR as R's ``lm`` does, and a column counts as aliased only
when it is a combination of earlier columns relative to its own scale (``lm``'s tolerance
1e-7), so badly scaled data such as ``longley`` or Unix timestamps keep R's precision. Tests use the
residual degrees of freedom for every variance estimator, exactly as R's
``lmtest::coeftest(fit, vcov = ...)`` does; the cluster-robust matrix equals
``sandwich::vcovCL(fit, cluster = ~g)`` (type HC1 with the G/(G-1) adjustment).

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"y": [1.0, 2.1, 2.9, 4.2, 5.1, 5.8], "x": [1, 2, 3, 4, 5, 6]})
>>> res = fit_ols(df, "y ~ x")
>>> round(float(res.coefficients.loc["x", "b"]), 4), res.n, res.se_type
(0.98, 6, 'classical')
>>> parse_se("cluster:school")
('cluster', 'school')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, DataError, InputError
from leftbehind.models._formula import (check_columns, complete_cases, formula_functions,
                                        formula_variables, outcome_name, sample_sd)
from leftbehind.models._stats import (Covariance, LeastSquares, coef_covariance,
                                      first_aliased, num,
                                      qr_least_squares, t_table)

_SE_KINDS = {"classical": "classical", "nonrobust": "classical", "hc0": "HC0", "hc1": "HC1",
             "hc2": "HC2", "hc3": "HC3", "cluster": "cluster"}


def parse_se(text: str) -> tuple[str, str | None]:
    """Split a variance-estimator string into ``(kind, cluster column)``.

    Parameters
    ----------
    text
        ``"classical"``, ``"HC0"`` to ``"HC3"`` (any case), ``"cluster"`` or ``"cluster:COLUMN"``.

    Examples
    --------
    >>> parse_se("HC3"), parse_se("cluster:school")
    (('HC3', None), ('cluster', 'school'))
    """
    if not isinstance(text, str):
        raise InputError(f"se must be a string, not {type(text).__name__}", key="se",
                         hint="use classical, HC1, HC3 or cluster:COLUMN")
    kind, _, column = text.strip().partition(":")
    resolved = _SE_KINDS.get(kind.strip().lower())
    if resolved is None:
        raise InputError(f"unknown standard-error type {text!r}", key="se",
                         hint="use classical, HC0, HC1, HC2, HC3 or cluster:COLUMN")
    column = column.strip()
    if column and resolved != "cluster":
        raise InputError(f"standard-error type {text!r} takes no column", key="se",
                         hint="only cluster takes a column, as in cluster:school")
    return resolved, (column or None)


def resolve_se(se: str, cluster: str | None) -> tuple[str, str | None]:
    """Combine the ``se`` string and the ``cluster`` argument into ``(kind, cluster column)``."""
    kind, column = parse_se(se)
    if cluster is not None and column is not None and cluster != column:
        raise InputError(f"se={se!r} and cluster={cluster!r} name different cluster columns",
                         key="cluster", hint="give the cluster column once")
    column = column or cluster
    if column is not None and kind == "classical":
        kind = "cluster"
    if kind == "cluster" and column is None:
        raise InputError("cluster-robust standard errors need a cluster column", key="se",
                         hint="write se='cluster:school' or pass cluster='school'")
    if column is not None and kind != "cluster":
        raise InputError(f"se={se!r} cannot be combined with cluster={column!r}", key="cluster",
                         hint="use se='cluster' for cluster-robust errors, or drop cluster")
    return kind, column


@dataclass(frozen=True, eq=False)
class OLSResult(ResultMixin):
    """A fitted OLS model: fit statistics, coefficient table and the covariance used for tests.

    Attributes
    ----------
    coefficients
        Indexed by term name; columns b, se, t, p, ci_low, ci_high (and beta if standardised).
    vcov
        The covariance matrix of the coefficients for the chosen ``se_type``.
    design_means, design_sds
        Means and standard deviations (n - 1) of the design columns on the estimation sample.
    sample_index
        Row labels of ``data`` that entered the estimation (after listwise deletion).
    f_stat, f_p
        Wald F test that every non-intercept coefficient is zero, using ``vcov`` and
        (df_model, df_resid) degrees of freedom (equals ``lmtest::waldtest(fit, vcov = ...)``);
        NaN when undefined (e.g. fewer clusters than tested coefficients), with the reason in ``notes``.
    notes
        Why a statistic is NaN: HC2/HC3 standard errors of coefficients fixed by a case with
        leverage one (a category with one member), or an undefined joint F test.
    """

    formula: str
    outcome: str
    n: int
    df_model: int
    df_resid: int
    r2: float
    adj_r2: float
    f_stat: float
    f_p: float
    rss: float
    se_type: str
    coefficients: pd.DataFrame
    vcov: pd.DataFrame
    design_means: pd.Series
    design_sds: pd.Series
    outcome_mean: float
    outcome_sd: float
    sample_index: pd.Index
    n_clusters: int | None = None
    sm_result: Any = field(default=None, repr=False)
    notes: tuple[str, ...] = ()
    sample_frame: pd.DataFrame | None = field(default=None, repr=False)

    def estimation_data(self) -> pd.DataFrame:
        """The rows of the data that entered the fit (all columns, original index labels)."""
        frame = self.sm_result.model.data.frame if self.sample_frame is None else self.sample_frame
        rows = frame.iloc[np.asarray(self.sm_result.model.data.row_labels, dtype=int)]
        return rows.set_axis(self.sample_index, axis=0)

    @property
    def terms(self) -> list[str]:
        """Term names in design order."""
        return list(self.coefficients.index)

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (a copy)."""
        return self.coefficients.copy()

    def to_dict(self) -> dict:
        """JSON-safe summary: n, fit statistics, se_type and a coefficient dict keyed by term."""
        coefs = {term: {col: num(val) for col, val in row.items()}
                 for term, row in self.coefficients.iterrows()}
        return {"formula": self.formula, "outcome": self.outcome, "n": self.n,
                "df_model": self.df_model, "df_resid": self.df_resid, "r2": num(self.r2),
                "adj_r2": num(self.adj_r2), "f_stat": num(self.f_stat), "f_p": num(self.f_p),
                "se_type": self.se_type, "n_clusters": self.n_clusters, "coefficients": coefs,
                "notes": list(self.notes)}


def as_ols_result(result: Any) -> tuple[OLSResult, float]:
    """Return ``(OLSResult, centre)`` from a fitted model or one model of a series.

    ``centre`` is the value subtracted from the series' moderator (0 when not centred).
    """
    if isinstance(result, OLSResult):
        return result, 0.0
    inner = getattr(result, "result", None)
    if isinstance(inner, OLSResult):
        return inner, float(getattr(result, "centre", None) or 0.0)
    raise InputError(f"expected a fitted model, got {type(result).__name__}", key="result",
                     hint="pass the result of fit_ols or one model of a series")


def _build_model(sample: pd.DataFrame, formula: str, variables: list[str]):
    import patsy
    import statsmodels.formula.api as smf

    functions = formula_functions(formula)
    for name in variables:
        if name in functions:
            raise InputError(f"{name!r} is used both as a column and as the function or namespace "
                             f"{name!r} in {formula!r}", column=name,
                             hint="rename the column (e.g. with data.rename) before fitting")
    # a column named like a function the formula calls (C, Q, np ...) would shadow it in patsy
    shadowing = [col for col in sample.columns if col in functions]
    try:
        return smf.ols(formula, data=sample.drop(columns=shadowing), missing="drop")
    except patsy.PatsyError as exc:
        raise InputError(f"formula {formula!r} cannot be built: {exc.message}", key="formula",
                         hint="check category names in Treatment(...) and the column types") from None
    except (NameError, TypeError, ValueError) as exc:
        raise InputError(f"formula {formula!r} cannot be evaluated: {exc}", key="formula",
                         hint="check function names and that numeric columns hold numbers") from None


def _wald_f(b: np.ndarray, vcov: np.ndarray, names: list[str], df_resid: int, *,
            n_clusters: int | None) -> tuple[float, float, int, str | None]:
    """Wald F that every non-intercept coefficient is zero, or NaN with the reason."""
    from scipy import stats
    from scipy.linalg import cho_factor, cho_solve

    idx = [i for i, name in enumerate(names) if name != "Intercept"]
    q = len(idx)
    if not idx:
        return float("nan"), float("nan"), 0, None
    sub_b = b[idx]
    sub_v = vcov[np.ix_(idx, idx)]
    nan = float("nan")
    if n_clusters is not None and n_clusters - 1 < q:
        return nan, nan, q, (f"the joint F test is undefined: a cluster-robust covariance from "
                             f"{n_clusters} clusters has rank at most {n_clusters - 1}, fewer than "
                             f"the {q} tested coefficients (test fewer coefficients or use more clusters)")
    if not np.isfinite(sub_v).all():
        return nan, nan, q, "the joint F test is undefined because some standard errors are undefined"
    sd = np.sqrt(np.diag(sub_v))
    try:
        if not (sd > 0).all():
            raise np.linalg.LinAlgError("zero variance")
        # on the correlation scale, so that coefficients of very different sizes do not matter
        factor = cho_factor(sub_v / np.outer(sd, sd))
    except np.linalg.LinAlgError:
        return nan, nan, q, ("the joint F test is undefined: the covariance of the tested "
                             "coefficients is singular")
    z = sub_b / sd
    stat = float(z @ cho_solve(factor, z)) / q
    return stat, float(stats.f.sf(stat, q, df_resid)), q, None


def _statsmodels_result(model: Any, fit: LeastSquares) -> Any:
    """The statsmodels results object of the QR fit (for callers that use ``sm_result``)."""
    from statsmodels.regression.linear_model import OLSResults, RegressionResultsWrapper

    model.rank = fit.bread.shape[0]
    model.normalized_cov_params = fit.bread
    return RegressionResultsWrapper(OLSResults(model, fit.coef, normalized_cov_params=fit.bread))


def _leverage_note(kind: str, cov: Covariance, names: list[str], index: pd.Index) -> str:
    terms = ", ".join(repr(names[j]) for j in cov.undefined)
    rows = ", ".join(str(index[i]) for i in cov.unit_cases[:5]) + (" ..." if len(cov.unit_cases) > 5 else "")
    return (f"{kind} standard errors of {terms} are undefined (NaN): case(s) with leverage one at "
            f"row(s) {rows}, e.g. a category with a single member; use HC1 or merge sparse categories")


def fit_ols(data: pd.DataFrame, formula: str, *, se: str = "classical", cluster: str | None = None,
            standardize: bool = False) -> OLSResult:
    """Fit ``formula`` by OLS on the complete cases of ``data``.

    Parameters
    ----------
    data
        One row per case.
    formula
        A patsy formula, e.g. ``"depression ~ C(group, Treatment('none')) + girl + age"``.
    se
        ``"classical"``, ``"HC1"``, ``"HC3"`` (also HC0, HC2), ``"cluster"`` or ``"cluster:COLUMN"``.
    cluster
        Cluster column (schools); alone it implies ``se="cluster"``.
    standardize
        Add a ``beta`` column: b * sd(x) / sd(y) on the estimation sample (not for the intercept).

    Returns
    -------
    OLSResult

    Notes
    -----
    The R equivalent is ``fit <- lm(formula, data)`` followed by
    ``lmtest::coeftest(fit, vcov. = V)`` and ``lmtest::coefci(fit, vcov. = V)`` with
    ``V = vcov(fit)``, ``sandwich::vcovHC(fit, type = "HC3")`` or
    ``sandwich::vcovCL(fit, cluster = ~school)``; ``f_stat`` is ``lmtest::waldtest(fit, vcov = V)``.

    Undefined statistics are NaN with the reason in ``notes``: the HC2/HC3 standard errors of
    coefficients fixed by a case with leverage one (a category with one member; R's ``vcovHC``
    returns NaN there), and the joint F test when the cluster-robust covariance from G clusters
    cannot have full rank (G - 1 < tested coefficients). A data column named like a formula
    function (``C``, ``Q``, ``np`` ...) does not hide that function unless the formula also
    reads it as a column.

    Raises
    ------
    InputError
        Unknown column (close matches listed), formula patsy cannot parse, bad ``se``, a name
        used both as a column and as a function (``y ~ C + C(g)``).
    AnalysisError
        Too few cases, an aliased design column (judged as ``lm`` does, named in the message),
        fewer than two clusters.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [3.0, 1, 4, 1, 5, 9, 2, 6], "x": [1, 2, 3, 4, 5, 6, 7, 8],
    ...                    "g": list("aabbccdd")})
    >>> res = fit_ols(df, "y ~ x", se="cluster:g")
    >>> res.se_type, res.n_clusters
    ('cluster:g', 4)
    >>> fit_ols(df, "y ~ z")
    Traceback (most recent call last):
    ...
    leftbehind.errors.InputError: column 'z': unknown column 'z' in the formula (hint: available columns: y, x, g)
    """
    kind, cluster_col = resolve_se(se, cluster)
    variables = formula_variables(formula)
    check_columns(data, variables)
    if cluster_col is not None:
        check_columns(data, [cluster_col], key="cluster argument")
    outcome = outcome_name(formula)
    if outcome in data.columns and not pd.api.types.is_numeric_dtype(data[outcome]):
        raise DataError(f"the outcome column {outcome!r} is not numeric ({data[outcome].dtype})",
                        column=outcome, hint="use a numeric outcome (recode text categories first)")
    sample = complete_cases(data, variables + ([cluster_col] if cluster_col else []))
    if sample.empty:
        raise AnalysisError(f"no complete cases for {formula!r}", key="formula",
                            hint="every row misses at least one variable of the model; check the data")
    labels = sample.index
    frame = sample.reset_index(drop=True)
    model = _build_model(frame, formula, variables)
    names = list(model.exog_names)
    if isinstance(model.endog_names, list) or np.ndim(model.endog) != 1:
        raise DataError(f"the outcome of {formula!r} is not numeric", key="formula",
                        hint="use a numeric outcome column (recode text categories first)")
    n, k = model.exog.shape
    finite = np.isfinite(model.exog).all(axis=0)
    if not finite.all() or not np.isfinite(model.endog).all():
        bad = names[int(np.flatnonzero(~finite)[0])] if not finite.all() else str(model.endog_names)
        raise DataError(f"{bad!r} has infinite values in {formula!r}", key="formula",
                        hint="a transformation such as np.log(0) or a division by zero produced them")
    if n <= k:
        raise AnalysisError(f"{n} complete case(s) for {k} coefficient(s) in {formula!r}",
                            key="formula", hint="drop predictors or check missing values")
    exog = np.asarray(model.exog, dtype=float)
    endog = np.asarray(model.endog, dtype=float)
    aliased = first_aliased(exog)
    if aliased is not None:
        raise AnalysisError(f"design column {names[aliased]!r} is a linear combination of earlier columns",
                            key="formula", hint="drop a redundant predictor or merge sparse categories")
    fit = qr_least_squares(exog, endog)
    rows = np.asarray(model.data.row_labels, dtype=int)
    index = labels[rows]
    groups = None
    n_clusters = None
    if kind == "cluster":
        groups = pd.factorize(sample[cluster_col].to_numpy()[rows])[0]
        n_clusters = int(groups.max()) + 1
        if n_clusters < 2:
            raise AnalysisError(f"only {n_clusters} cluster in column {cluster_col!r}",
                                column=cluster_col, hint="cluster-robust errors need several clusters")
    cov = coef_covariance(fit, kind, scale=np.linalg.norm(exog, axis=0), groups=groups)
    notes = [_leverage_note(kind, cov, names, index)] if cov.undefined else []
    vcov = cov.matrix
    b = fit.coef
    se_vals = np.sqrt(np.diag(vcov))
    df_resid = n - k
    tab = t_table(b, se_vals, df_resid)
    coefficients = pd.DataFrame({"b": b, "se": se_vals, **tab}, index=pd.Index(names, name="term"))
    means = pd.Series(exog.mean(axis=0), index=names)
    sds = pd.Series(sample_sd(exog), index=names)
    y_sd = float(np.std(endog, ddof=1))
    if standardize:
        beta = np.asarray(b) * sds.to_numpy() / y_sd
        beta[[i for i, nm in enumerate(names) if nm == "Intercept"]] = np.nan
        coefficients["beta"] = beta
    f_stat, f_p, q, f_note = _wald_f(b, vcov, names, df_resid, n_clusters=n_clusters)
    if f_note:
        notes.append(f_note)
    centred = model.k_constant > 0
    tss = float(((endog - endog.mean()) ** 2).sum() if centred else (endog**2).sum())
    r2 = 1.0 - fit.rss / tss
    adj_r2 = 1.0 - (n - int(centred)) / df_resid * (1.0 - r2)
    res = _statsmodels_result(model, fit)
    se_type = f"cluster:{cluster_col}" if kind == "cluster" else kind
    return OLSResult(
        formula=formula, outcome=str(model.endog_names), n=int(n), df_model=q, df_resid=df_resid,
        r2=r2, adj_r2=adj_r2, f_stat=f_stat, f_p=f_p, rss=fit.rss, se_type=se_type, coefficients=coefficients,
        vcov=pd.DataFrame(vcov, index=names, columns=names), design_means=means, design_sds=sds,
        outcome_mean=float(endog.mean()), outcome_sd=y_sd, sample_index=index,
        n_clusters=n_clusters, sm_result=res, notes=tuple(notes),
        sample_frame=frame)
