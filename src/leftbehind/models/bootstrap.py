"""Vectorised case-resampling (or cluster-resampling) bootstrap of OLS coefficients.

A resample is represented by how often each case (or cluster) was drawn, so a batch of
resamples is a weight matrix W (batch x n) and every replicate's normal equations
``X' diag(w) X b = X' diag(w) y`` are formed and solved at once with numpy. The design is
centred and scaled first (an exact reparametrisation) to keep the solves well conditioned.
Replicates whose design is singular (a category never drawn) are counted as failed and
left out of the percentile intervals.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from leftbehind.models.ols import fit_ols
>>> rng = np.random.default_rng(0)
>>> df = pd.DataFrame({"x": rng.normal(size=100)})
>>> df["y"] = 1 + 2 * df.x + rng.normal(size=100)
>>> boot = bootstrap_ols(fit_ols(df, "y ~ x"), n_boot=500, seed=1)
>>> boot.to_frame().columns.tolist()
['b', 'boot_se', 'ci_low', 'ci_high']
>>> bool(boot.to_frame().loc["x", "ci_low"] < 2 < boot.to_frame().loc["x", "ci_high"])
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.models._formula import check_columns
from leftbehind.models._stats import num
from leftbehind.models.ols import OLSResult


def resample_indices(n: int, *, n_boot: int, seed: int | None, batch_size: int = 500) -> Iterator[np.ndarray]:
    """Yield batches of bootstrap draws: arrays (batch, n) of indices in ``range(n)``.

    The same ``n``, ``n_boot``, ``seed`` and ``batch_size`` always give the same draws; this is
    the generator :func:`bootstrap_ols` uses.

    Examples
    --------
    >>> [b.shape for b in resample_indices(5, n_boot=7, seed=1, batch_size=4)]
    [(4, 5), (3, 5)]
    """
    rng = np.random.default_rng(seed)
    done = 0
    while done < n_boot:
        size = min(batch_size, n_boot - done)
        yield rng.integers(0, n, size=(size, n))
        done += size


def draw_counts(indices: np.ndarray, n: int) -> np.ndarray:
    """Turn index draws (batch, m) into counts (batch, n): how often each unit was drawn."""
    batch = indices.shape[0]
    offsets = (np.arange(batch) * n)[:, None]
    return np.bincount((indices + offsets).ravel(), minlength=batch * n).reshape(batch, n).astype(float)


def batched_wls(x: np.ndarray, y: np.ndarray, weights: np.ndarray, *, cond_limit: float = 1e12) -> np.ndarray:
    """Solve ``X' diag(w) X b = X' diag(w) y`` for every row ``w`` of ``weights``.

    Returns an array (batch, k); rows whose weighted design is singular are NaN.

    Examples
    --------
    >>> x = np.column_stack([np.ones(4), [0.0, 1, 2, 3]])
    >>> batched_wls(x, np.array([1.0, 3, 5, 7]), np.ones((1, 4))).round(6).tolist()
    [[1.0, 2.0]]
    """
    constant = np.all(x == x[:1], axis=0)
    intercept = np.flatnonzero(constant & (x[0] != 0))
    centre = x.mean(axis=0)
    centre[constant] = 0.0
    if len(intercept) != 1:
        centre[:] = 0.0  # centring is an exact reparametrisation only with one constant column
    scale = np.where(constant, 1.0, x.std(axis=0))
    scale[scale == 0] = 1.0
    z = (x - centre) / scale
    k = z.shape[1]
    # X' diag(w) X for every w at once: weights @ (row-wise outer products), one BLAS product
    outer = (z[:, :, None] * z[:, None, :]).reshape(len(z), k * k)
    xtwx = (weights @ outer).reshape(-1, k, k)
    xtwy = (weights * y) @ z
    eig = np.linalg.eigvalsh(xtwx)
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = eig[:, -1] / eig[:, 0]
    bad = ~np.isfinite(cond) | (eig[:, 0] <= 0) | (cond > cond_limit)
    if bad.any():
        xtwx[bad] = np.eye(z.shape[1])
        xtwy[bad] = 0.0
    coef = np.linalg.solve(xtwx, xtwy[..., None])[..., 0] / scale
    if len(intercept) == 1:
        j = intercept[0]
        coef[:, j] -= (coef @ centre) / x[0, j]
    coef[bad] = np.nan
    return coef


@dataclass(frozen=True, eq=False)
class BootstrapResult(ResultMixin):
    """Bootstrap distribution of the coefficients of one OLS model.

    ``draws`` has one row per replicate (NaN rows for failed replicates); intervals are
    percentile intervals at ``level`` over the successful replicates.
    """

    terms: tuple[str, ...]
    estimate: pd.Series
    draws: pd.DataFrame
    level: float
    seed: int | None
    resample: str
    n_failed: int

    @property
    def n_boot(self) -> int:
        return len(self.draws)

    def to_frame(self) -> pd.DataFrame:
        """Per term: original b, bootstrap SE and percentile CI."""
        lo, hi = (1 - self.level) / 2, (1 + self.level) / 2
        ok = self.draws.dropna()
        return pd.DataFrame({"b": self.estimate, "boot_se": ok.std(ddof=1),
                             "ci_low": ok.quantile(lo), "ci_high": ok.quantile(hi)},
                            index=pd.Index(self.terms, name="term"))

    def to_dict(self) -> dict:
        frame = self.to_frame()
        return {"n_boot": self.n_boot, "n_failed": self.n_failed, "level": self.level,
                "seed": self.seed, "resample": self.resample,
                "coefficients": {t: {c: num(frame.loc[t, c]) for c in frame.columns}
                                 for t in self.terms}}


def bootstrap_ols(result: OLSResult, *, n_boot: int = 2000, seed: int | None = 0,
                  level: float = 0.95, cluster: str | None = None, batch_size: int = 500,
                  indices: np.ndarray | None = None) -> BootstrapResult:
    """Bootstrap the coefficients of a fitted model by resampling cases (or clusters).

    Parameters
    ----------
    result
        A model from :func:`leftbehind.models.ols.fit_ols`; its estimation sample is resampled.
    n_boot
        Number of replicates.
    seed
        Seed of ``numpy.random.default_rng``; the same seed gives the same draws.
    level
        Coverage of the percentile intervals.
    cluster
        Resample whole clusters (a column of the data the model was fitted on) instead of cases.
    batch_size
        Replicates solved per numpy batch (memory: about batch x n floats).
    indices
        Optional resamples to use instead of drawing them: an integer array
        (replicates x units) of 0-based positions in the estimation sample (or of cluster
        numbers in order of first appearance); ``n_boot`` and ``seed`` are then ignored.

    Returns
    -------
    BootstrapResult
    """
    if not isinstance(result, OLSResult):
        raise InputError(f"expected an OLSResult, got {type(result).__name__}", key="result",
                         hint="pass the result of fit_ols")
    if int(n_boot) < 2:
        raise InputError(f"n_boot must be at least 2, got {n_boot}", key="n_boot", hint="use e.g. 2000")
    if not 0 < level < 1:
        raise InputError(f"level must be between 0 and 1, got {level}", key="level", hint="use e.g. 0.95")
    model = result.sm_result.model
    x = np.asarray(model.exog, dtype=float)
    y = np.asarray(model.endog, dtype=float)
    n = x.shape[0]
    units = n
    codes = None
    if cluster is not None:
        frame = result.estimation_data()
        check_columns(frame, [cluster], key="cluster argument")
        codes = pd.factorize(frame[cluster].to_numpy())[0]
        units = int(codes.max()) + 1
    if indices is not None:
        given = np.asarray(indices)
        if given.ndim != 2 or given.shape[1] != units or not np.issubdtype(given.dtype, np.integer) \
                or given.min() < 0 or given.max() >= units:
            raise InputError(f"indices must be an integer array (replicates x {units}) with values "
                             f"0..{units - 1}", key="indices", hint="use 0-based positions")
        batches = (given[i:i + batch_size] for i in range(0, len(given), batch_size))
        seed = None
    else:
        batches = resample_indices(units, n_boot=int(n_boot), seed=seed, batch_size=batch_size)
    blocks = []
    for idx in batches:
        counts = draw_counts(idx, units)
        weights = counts if codes is None else counts[:, codes]
        blocks.append(batched_wls(x, y, weights))
    draws = pd.DataFrame(np.vstack(blocks), columns=result.terms)
    n_failed = int(draws.isna().any(axis=1).sum())
    return BootstrapResult(terms=tuple(result.terms), estimate=result.coefficients["b"].copy(),
                           draws=draws, level=level, seed=seed,
                           resample="cases" if cluster is None else f"cluster:{cluster}",
                           n_failed=n_failed)
