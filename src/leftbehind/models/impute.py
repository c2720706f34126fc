"""Multiple imputation by chained equations, following R's ``mice`` defaults.

Every incomplete column gets a method by its type, as ``mice::make.method``: numeric columns
predictive mean matching (``pmm``), two-category columns logistic regression (``logreg``),
columns with more categories multinomial regression (``polyreg``; ordered categories too,
where ``mice`` would use ``polr``). Every other column predicts it (factors treatment-coded), the
columns are visited left to right for ``maxit`` iterations, starting from random draws of the
observed values, and the chain is run ``m`` times with independent streams of one seeded
:class:`numpy.random.Generator`.

- ``pmm`` is ``mice.impute.pmm`` type-1 matching: a Bayesian draw of the regression
  (``sigma* = sqrt(RSS / chi²(n_obs - p))``, ``beta* = b + chol((X'X)^-1)' z sigma*``), predicted
  means ``X_obs b`` of the donors matched to ``X_mis beta*`` of the recipients, one of the 5
  closest donors drawn at random; an imputed value is always an observed one.
- ``logreg`` is ``mice.impute.logreg``: the data augmented with ``mice:::augment``'s 2pk
  pseudo-observations, an IRLS logistic fit, ``beta* = b + chol(cov.unscaled)' z``, a Bernoulli
  draw.
- ``polyreg`` is ``mice.impute.polyreg``: the same augmentation, the multinomial maximum
  likelihood fit (``nnet::multinom`` in R; Newton–Raphson here), a categorical draw from the
  predicted probabilities.

Examples
--------
>>> import numpy as np, pandas as pd
>>> df = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8], "y": [1.1, np.nan, 3.2, 3.9, np.nan, 6.1, 7.2, 7.8],
...                    "g": ["a", "b", None, "b", "a", "b", "a", "a"]})
>>> imp = mice(df, m=3, maxit=2, seed=1)
>>> imp.methods
{'x': '', 'y': 'pmm', 'g': 'logreg'}
>>> imp.missingness["n_missing"].tolist(), len(imp.completed)
([0, 2, 1], 3)
>>> set(imp.completed[0]["y"]) <= set(df["y"].dropna())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, DataError, InputError

MAX_CATEGORIES = 50  # mice:::augment's maxcat
_RIDGE = 1e-5  # mice's ridge for (nearly) collinear predictors


@dataclass(frozen=True, eq=False)
class ImputationResult(ResultMixin):
    """The ``m`` completed data sets of a chained-equations imputation and its missingness table.

    Attributes
    ----------
    completed
        One frame per imputation, same index, columns and categories as the input.
    missingness
        Indexed by variable: n, n_missing, pct_missing, method (``""`` when complete).
    methods
        The imputation method of every column.
    n_complete_cases
        Rows with no missing value (what listwise deletion keeps).
    """

    completed: tuple[pd.DataFrame, ...]
    missingness: pd.DataFrame
    methods: dict[str, str]
    n_complete_cases: int
    m: int
    maxit: int
    seed: int | None

    def to_frame(self) -> pd.DataFrame:
        """The missingness table (a copy)."""
        return self.missingness.copy()

    def to_dict(self) -> dict:
        rows = {var: {"n": int(row["n"]), "n_missing": int(row["n_missing"]),
                      "pct_missing": float(row["pct_missing"]), "method": row["method"]}
                for var, row in self.missingness.iterrows()}
        return {"m": self.m, "maxit": self.maxit, "seed": self.seed,
                "n_complete_cases": self.n_complete_cases, "variables": rows}

    def long(self) -> pd.DataFrame:
        """All completed data sets stacked, with an ``imputation`` column 1..m first."""
        return pd.concat([d.assign(imputation=i) for i, d in enumerate(self.completed, 1)],
                         ignore_index=True)[["imputation", *self.completed[0].columns]]


def missingness_table(data: pd.DataFrame, methods: dict[str, str] | None = None) -> pd.DataFrame:
    """Missing values per column: n, n_missing, pct_missing (0-100) and the imputation method.

    Examples
    --------
    >>> missingness_table(pd.DataFrame({"a": [1, None, 3, 4]}))["pct_missing"].tolist()
    [25.0]
    """
    n_missing = data.isna().sum()
    n = len(data)
    return pd.DataFrame({"n": n, "n_missing": n_missing.astype(int),
                         "pct_missing": 100.0 * n_missing / n if n else np.nan,
                         "method": [(methods or {}).get(c, "") for c in data.columns]},
                        index=pd.Index(data.columns, name="variable"))


def _is_categorical(series: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def _levels(series: pd.Series) -> list:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return list(series.cat.categories)
    return sorted(series.dropna().unique().tolist(), key=str)


@dataclass
class _Column:
    name: str
    categorical: bool
    levels: list
    values: np.ndarray  # float values, or integer codes 0..K-1 of the levels
    missing: np.ndarray

    def design(self) -> np.ndarray:
        """Numeric columns as they are, categories as treatment dummies (first level dropped)."""
        if not self.categorical:
            return self.values[:, None]
        codes = self.values.astype(int)
        return (codes[:, None] == np.arange(1, len(self.levels))[None, :]).astype(float)


def _columns(data: pd.DataFrame) -> list[_Column]:
    out = []
    for name in data.columns:
        series = data[name]
        missing = series.isna().to_numpy()
        if missing.all():
            raise DataError(f"column {name!r} has no observed value to impute from", column=name,
                            hint="drop the column from the imputation model")
        if _is_categorical(series):
            levels = _levels(series)
            if len(levels) > MAX_CATEGORIES:
                raise DataError(f"column {name!r} has {len(levels)} categories (more than "
                                f"{MAX_CATEGORIES})", column=name,
                                hint="drop identifiers and free text from the imputation model")
            lookup = {level: i for i, level in enumerate(levels)}
            values = np.array([lookup[v] if not m else -1 for v, m in
                               zip(series.tolist(), missing, strict=True)], dtype=float)
            out.append(_Column(str(name), True, levels, values, missing))
        else:
            out.append(_Column(str(name), False, [], series.to_numpy(dtype=float, na_value=np.nan),
                               missing))
    return out


def _method(col: _Column) -> str:
    if not col.missing.any():
        return ""
    if not col.categorical:
        return "pmm"
    return "logreg" if len(col.levels) == 2 else "polyreg"


def _chol_lower(v: np.ndarray) -> np.ndarray:
    sym = (v + v.T) / 2.0
    try:
        return np.linalg.cholesky(sym)
    except np.linalg.LinAlgError:
        return np.linalg.cholesky(sym + np.eye(len(sym)) * _RIDGE * np.abs(np.diag(sym)).max())


def _inv_crossprod(xtx: np.ndarray) -> np.ndarray:
    """(X'X)^-1, with mice's ridge penalty when X'X is (nearly) singular."""
    try:
        low = np.linalg.cholesky(xtx)
        diag = np.abs(np.diag(low))
        if diag.min() > 1e-7 * diag.max():
            inv_low = np.linalg.inv(low)
            return inv_low.T @ inv_low
    except np.linalg.LinAlgError:
        pass
    return np.linalg.inv(xtx + np.diag(np.diag(xtx) * _RIDGE))


def _norm_draw(xo: np.ndarray, yo: np.ndarray, rng: np.random.Generator
               ) -> tuple[np.ndarray, np.ndarray]:
    """``mice:::.norm.draw``: least-squares ``b`` and a draw ``beta*`` of its posterior."""
    v = _inv_crossprod(xo.T @ xo)
    coef = v @ (xo.T @ yo)
    resid = yo - xo @ coef
    df = max(len(yo) - xo.shape[1], 1)
    sigma = np.sqrt(resid @ resid / rng.chisquare(df))
    return coef, coef + _chol_lower(v) @ rng.standard_normal(xo.shape[1]) * sigma


def _pmm(y: np.ndarray, ry: np.ndarray, x: np.ndarray, rng: np.random.Generator,
         donors: int) -> np.ndarray:
    xo, yo = x[ry], y[ry]
    coef, beta = _norm_draw(xo, yo, rng)
    yhat_obs = xo @ coef
    yhat_mis = x[~ry] @ beta
    return yo[_match(yhat_obs, yhat_mis, rng, donors)]


def _match(yhat_obs: np.ndarray, yhat_mis: np.ndarray, rng: np.random.Generator,
           donors: int) -> np.ndarray:
    """Index of one of the ``donors`` closest ``yhat_obs`` for every ``yhat_mis``, at random.

    The donors are sorted (after a random shuffle, so equally close donors are taken in random
    order); the k nearest of a point lie within the 2k sorted values around its insertion
    position, so only that window is searched.
    """
    n_obs = len(yhat_obs)
    k = min(donors, n_obs)
    shuffle = rng.permutation(n_obs)
    order = shuffle[np.argsort(yhat_obs[shuffle], kind="stable")]
    ranked = yhat_obs[order]
    width = min(2 * k, n_obs)
    start = np.clip(np.searchsorted(ranked, yhat_mis) - k, 0, n_obs - width)
    window = start[:, None] + np.arange(width)[None, :]
    dist = np.abs(ranked[window] - yhat_mis[:, None])
    nearest = np.argsort(dist, axis=1, kind="stable")[:, :k]
    pick = nearest[np.arange(len(yhat_mis)), rng.integers(0, k, size=len(yhat_mis))]
    return order[window[np.arange(len(yhat_mis)), pick]]


def _augment(y: np.ndarray, ry: np.ndarray, x: np.ndarray, n_levels: int):
    """``mice:::augment``: 2pk pseudo-observations at mean ± sd/2 of each predictor per category."""
    n, p = x.shape
    if p == 0 or (~ry).sum() == 1:
        return y, ry, x, np.ones(n)
    k = n_levels
    nr = 2 * p * k
    mean = x.mean(axis=0)
    sd = x.std(axis=0, ddof=1)
    pattern = np.concatenate([np.tile([0.5, -0.5], k), np.zeros(nr)])
    b = np.resize(pattern, nr * p).reshape((nr, p), order="F")
    d = np.clip(mean[None, :] + b * sd[None, :], x.min(axis=0), x.max(axis=0))
    e = np.tile(np.repeat(np.arange(k, dtype=float), 2), p)
    w = np.concatenate([np.ones(n), np.full(nr, (p + 1) / nr)])
    return (np.concatenate([y, e]), np.concatenate([ry, np.ones(nr, bool)]), np.vstack([x, d]), w)


def _logit_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted logistic regression by IRLS: coefficients and the unscaled covariance."""
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        eta = np.clip(x @ beta, -30, 30)
        mu = 1.0 / (1.0 + np.exp(-eta))
        wt = w * mu * (1.0 - mu)
        xtwx = x.T @ (x * wt[:, None])
        step = np.linalg.solve(xtwx + np.eye(len(beta)) * 1e-10, x.T @ (w * (y - mu)))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    eta = np.clip(x @ beta, -30, 30)
    mu = 1.0 / (1.0 + np.exp(-eta))
    xtwx = x.T @ (x * (w * mu * (1.0 - mu))[:, None])
    return beta, _inv_crossprod(xtwx)


def _logreg(y: np.ndarray, ry: np.ndarray, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    wy = ~ry
    ya, rya, xa, w = _augment(y, ry, x, 2)
    xa = np.column_stack([np.ones(len(xa)), xa])
    beta, cov = _logit_fit(xa[rya], ya[rya], w[rya])
    beta_star = beta + _chol_lower(cov) @ rng.standard_normal(len(beta))
    xm = np.column_stack([np.ones(wy.sum()), x[wy]])
    prob = 1.0 / (1.0 + np.exp(-np.clip(xm @ beta_star, -30, 30)))
    return (rng.random(len(prob)) <= prob).astype(float)


def _multinom_fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Weighted multinomial logit (first category the reference) by Newton–Raphson."""
    n, p = x.shape
    onehot = (y.astype(int)[:, None] == np.arange(k)[None, :]).astype(float)
    beta = np.zeros((p, k - 1))
    for _ in range(100):
        eta = np.column_stack([np.zeros(n), x @ beta])
        eta -= eta.max(axis=1, keepdims=True)
        prob = np.exp(eta)
        prob /= prob.sum(axis=1, keepdims=True)
        grad = (x.T @ (w[:, None] * (onehot - prob)))[:, 1:].ravel(order="F")
        pk = prob[:, 1:]
        hess = np.empty(((k - 1) * p, (k - 1) * p))
        for a in range(k - 1):
            for b in range(a, k - 1):
                weight = w * pk[:, a] * ((a == b) - pk[:, b])
                block = x.T @ (x * weight[:, None])
                hess[a * p:(a + 1) * p, b * p:(b + 1) * p] = block
                hess[b * p:(b + 1) * p, a * p:(a + 1) * p] = block
        step = np.linalg.solve(hess + np.eye(len(hess)) * 1e-8, grad)
        beta = beta + step.reshape((p, k - 1), order="F")
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def _polyreg(y: np.ndarray, ry: np.ndarray, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    wy = ~ry
    # only categories with observed cases take part (mice:::augment's icod), so an unused
    # category of a pandas Categorical is never imputed
    observed, codes = np.unique(y[ry].astype(int), return_inverse=True)
    if len(observed) == 1:  # mice: a category holding every observed case is imputed throughout
        return np.full(wy.sum(), float(observed[0]))
    k = len(observed)
    y_local = np.zeros(len(y))
    y_local[ry] = codes
    ya, rya, xa, w = _augment(y_local, ry, x, k)
    xa = np.column_stack([np.ones(len(xa)), xa])
    beta = _multinom_fit(xa[rya], ya[rya], w[rya], k)
    xm = np.column_stack([np.ones(wy.sum()), x[wy]])
    eta = np.column_stack([np.zeros(wy.sum()), xm @ beta])
    eta -= eta.max(axis=1, keepdims=True)
    prob = np.exp(eta)
    prob /= prob.sum(axis=1, keepdims=True)
    draws = rng.random(wy.sum())[:, None] > np.cumsum(prob, axis=1)
    return observed[np.minimum(draws.sum(axis=1), k - 1)].astype(float)


def _predictors(columns: list[_Column], j: int) -> np.ndarray:
    blocks = [col.design() for i, col in enumerate(columns) if i != j]
    x = np.column_stack(blocks) if blocks else np.empty((len(columns[j].values), 0))
    keep = x.max(axis=0) > x.min(axis=0) if len(x) else np.zeros(x.shape[1], bool)
    # constant columns carry nothing (mice drops them too)
    return x[:, keep]


def _impute_one(col: _Column, x: np.ndarray, rng: np.random.Generator, donors: int) -> np.ndarray:
    ry = ~col.missing
    method = _method(col)
    if method == "pmm":
        return _pmm(col.values, ry, np.column_stack([np.ones(len(x)), x]), rng, donors)
    if method == "logreg":
        if len(np.unique(col.values[ry])) == 1:
            return np.full((~ry).sum(), col.values[ry][0])
        return _logreg(col.values, ry, x, rng)
    return _polyreg(col.values, ry, x, rng)


def _chain(columns: list[_Column], *, maxit: int, rng: np.random.Generator,
           donors: int) -> list[np.ndarray]:
    cols = [_Column(c.name, c.categorical, c.levels, c.values.copy(), c.missing) for c in columns]
    for col in cols:  # mice's initialisation: random draws from the observed values
        if col.missing.any():
            observed = col.values[~col.missing]
            col.values[col.missing] = rng.choice(observed, size=int(col.missing.sum()))
    incomplete = [j for j, col in enumerate(cols) if col.missing.any()]
    for _ in range(maxit):
        for j in incomplete:
            cols[j].values[cols[j].missing] = _impute_one(cols[j], _predictors(cols, j), rng,
                                                          donors)
    return [col.values for col in cols]


def _frame(data: pd.DataFrame, columns: list[_Column], values: list[np.ndarray]) -> pd.DataFrame:
    out = data.copy()
    for col, vals in zip(columns, values, strict=True):
        if not col.missing.any():
            continue
        series = data[col.name]
        if col.categorical:
            filled = [col.levels[int(v)] for v in vals]
            if isinstance(series.dtype, pd.CategoricalDtype):
                out[col.name] = pd.Categorical(filled, dtype=series.dtype)
            else:
                out[col.name] = pd.Series(filled, index=data.index, dtype=object)
        else:
            out[col.name] = vals
    return out


def mice(data: pd.DataFrame, columns: Sequence[str] | None = None, *, m: int = 20,
         maxit: int = 10, seed: int | None = None, donors: int = 5) -> ImputationResult:
    """Impute the missing values of ``data`` ``m`` times by chained equations.

    Parameters
    ----------
    data
        One row per case; numeric columns are imputed by ``pmm``, text, boolean and category
        columns by ``logreg`` (two categories) or ``polyreg`` (more).
    columns
        The columns of the imputation model (default: all). Only these are imputed and used as
        predictors; other columns are returned unchanged.
    m, maxit
        Number of imputations and iterations of each chain.
    seed
        Seed of the :class:`numpy.random.Generator`; the same seed gives the same imputations.
    donors
        Donor pool size of predictive mean matching (mice's default 5).

    Returns
    -------
    ImputationResult

    Notes
    -----
    The R equivalent is ``mice::mice(data, m = 20, maxit = 10, seed = 1)`` with
    ``complete(imp, "all")``; the random streams differ from R's, so the imputations agree with
    R's in distribution, not draw by draw.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"a": [1.0, 2, np.nan, 4, 5, 6], "b": [2.0, np.nan, 6, 8, 10, 12]})
    >>> imp = mice(df, m=2, maxit=3, seed=7)
    >>> imp.n_complete_cases, int(imp.completed[0].isna().sum().sum())
    (4, 0)
    """
    if not isinstance(m, int) or m < 1:
        raise InputError(f"m must be a positive integer, got {m!r}", key="m",
                         hint="use m = 20 or more imputations")
    if not isinstance(maxit, int) or maxit < 1:
        raise InputError(f"maxit must be a positive integer, got {maxit!r}", key="maxit",
                         hint="use maxit = 10 or more iterations")
    names = list(data.columns) if columns is None else list(columns)
    missing_cols = [c for c in names if c not in data.columns]
    if missing_cols:
        raise InputError(f"unknown column(s) {missing_cols} for the imputation model",
                         key="columns", hint="available columns: " + ", ".join(map(str, data.columns)))
    if len(data) < 2:
        raise AnalysisError(f"{len(data)} row(s) cannot be imputed", key="data",
                            hint="imputation needs several cases")
    model = data[names]
    cols = _columns(model)
    methods = {col.name: _method(col) for col in cols}
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(m)]
    completed = []
    for rng in streams:
        values = _chain(cols, maxit=maxit, rng=rng, donors=donors)
        frame = _frame(model, cols, values)
        completed.append(data.assign(**{c: frame[c] for c in names}))
    return ImputationResult(completed=tuple(completed), missingness=missingness_table(model, methods),
                            methods=methods, n_complete_cases=int((~model.isna().any(axis=1)).sum()),
                            m=m, maxit=maxit, seed=seed)
