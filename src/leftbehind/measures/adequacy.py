"""Is the data fit for factor analysis, and how many factors? KMO, Bartlett, Kaiser, parallel analysis.

KMO and Bartlett's test follow ``psych::KMO`` and ``psych::cortest.bartlett``; parallel
analysis follows the principal-component part of ``psych::fa.parallel`` (eigenvalues of the
observed correlation matrix against those of normal random data of the same size).

Examples
--------
>>> import numpy as np
>>> lam = np.array([0.8, 0.7, 0.6, 0.5])
>>> r = np.outer(lam, lam); np.fill_diagonal(r, 1.0)
>>> round(kmo(r)[0], 4)  # R: psych::KMO(r)$MSA
0.7501
>>> chi2, df, p = bartlett(r, 100)
>>> df
6
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.measures._data import check_variance, complete_cases, select_items

__all__ = ["kmo", "bartlett", "suggest_n_factors", "NFactorsResult"]


def kmo(r: np.ndarray) -> tuple[float, np.ndarray]:
    """Kaiser-Meyer-Olkin measure of sampling adequacy: (overall, per item)."""
    q = np.linalg.inv(r)
    d = 1.0 / np.sqrt(np.diag(q))
    partial = q * np.outer(d, d)
    np.fill_diagonal(partial, 0.0)
    r0 = r.copy()
    np.fill_diagonal(r0, 0.0)
    r2, q2 = r0 ** 2, partial ** 2
    overall = float(r2.sum() / (r2.sum() + q2.sum()))
    items = r2.sum(axis=0) / (r2.sum(axis=0) + q2.sum(axis=0))
    return overall, items


def bartlett(r: np.ndarray, n: int) -> tuple[float, int, float]:
    """Bartlett's test that the correlation matrix is an identity: (chi2, df, p)."""
    from scipy.stats import chi2 as chi2_dist

    p = r.shape[0]
    sign, logdet = np.linalg.slogdet(r)
    statistic = float(-logdet * (n - 1 - (2 * p + 5) / 6.0))
    df = p * (p - 1) // 2
    return statistic, df, float(chi2_dist.sf(statistic, df))


@dataclass(frozen=True, eq=False)
class NFactorsResult(ResultMixin):
    """Eigenvalues, Kaiser's rule and parallel analysis.

    Attributes
    ----------
    n
        Complete cases used.
    eigenvalues
        Eigenvalues of the correlation matrix, largest first.
    kaiser
        How many eigenvalues exceed 1.
    simulated_mean, simulated_quantile
        Mean and ``quantile`` of the eigenvalues of random normal data of the same size.
    parallel
        How many leading eigenvalues exceed the simulated quantile (psych's ``ncomp``).
    n_iter, quantile, seed
        Settings of the simulation.
    """

    n: int
    items: tuple[str, ...]
    eigenvalues: tuple[float, ...]
    kaiser: int
    simulated_mean: tuple[float, ...]
    simulated_quantile: tuple[float, ...]
    parallel: int
    n_iter: int
    quantile: float
    seed: int

    def to_frame(self) -> pd.DataFrame:
        """One row per component: observed and simulated eigenvalues."""
        index = pd.RangeIndex(1, len(self.eigenvalues) + 1, name="component")
        return pd.DataFrame({"eigenvalue": self.eigenvalues,
                             "simulated_mean": self.simulated_mean,
                             "simulated_quantile": self.simulated_quantile}, index=index)

    def to_dict(self) -> dict:
        """JSON-safe summary."""
        return {"n": self.n, "items": list(self.items), "eigenvalues": list(self.eigenvalues),
                "kaiser": self.kaiser, "parallel": self.parallel,
                "simulated_mean": list(self.simulated_mean),
                "simulated_quantile": list(self.simulated_quantile),
                "n_iter": self.n_iter, "quantile": self.quantile, "seed": self.seed}


def suggest_n_factors(frame: pd.DataFrame, items: Sequence[str] | None = None, *, seed: int = 0,
                      n_iter: int = 100, quantile: float = 0.95) -> NFactorsResult:
    """Suggest how many factors to keep: Kaiser's eigenvalue > 1 rule and parallel analysis.

    Parameters
    ----------
    frame
        The data, one row per respondent; rows with a missing item are dropped.
    items
        The item columns (default: every column).
    seed
        Seed of the random-number generator, so the result can be reproduced.
    n_iter
        Number of simulated data sets.
    quantile
        Which quantile of the simulated eigenvalues an observed one must beat
        (psych's ``fa.parallel`` uses 0.95).

    Returns
    -------
    NFactorsResult

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> g = rng.normal(size=(300, 1))
    >>> df = pd.DataFrame(g + rng.normal(size=(300, 4)), columns=list("abcd"))
    >>> res = suggest_n_factors(df, seed=1)
    >>> (res.kaiser, res.parallel)
    (1, 1)
    """
    if not 0 < quantile < 1:
        raise InputError(f"quantile must be between 0 and 1, got {quantile!r}",
                         hint="psych uses 0.95")
    if n_iter < 1:
        raise InputError(f"n_iter must be at least 1, got {n_iter!r}", hint="e.g. n_iter=100")
    data = complete_cases(select_items(frame, items, min_items=2), minimum=3,
                          what="parallel analysis")
    check_variance(data, what="parallel analysis")
    n, p = data.shape
    observed = np.sort(np.linalg.eigvalsh(np.corrcoef(data.to_numpy(), rowvar=False)))[::-1]
    rng = np.random.default_rng(seed)
    sims = np.empty((n_iter, p))
    for i in range(n_iter):
        sample = rng.standard_normal((n, p))
        sims[i] = np.sort(np.linalg.eigvalsh(np.corrcoef(sample, rowvar=False)))[::-1]
    mean = sims.mean(axis=0)
    upper = np.quantile(sims, quantile, axis=0)
    beaten = observed > upper
    parallel = int(p if beaten.all() else np.argmin(beaten))
    return NFactorsResult(n=n, items=tuple(map(str, data.columns)),
                          eigenvalues=tuple(map(float, observed)),
                          kaiser=int(np.sum(observed > 1.0)),
                          simulated_mean=tuple(map(float, mean)),
                          simulated_quantile=tuple(map(float, upper)), parallel=parallel,
                          n_iter=int(n_iter), quantile=float(quantile), seed=int(seed))
