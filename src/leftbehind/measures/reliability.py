"""Internal consistency: Cronbach's alpha with item statistics, and McDonald's omega total.

``cronbach_alpha`` reproduces ``psych::alpha`` (R): raw and standardised alpha, the Feldt and
Duhachek confidence intervals psych prints, and per item the alpha if the item is deleted,
the item-rest correlation (``r.drop``), the item-total correlation (``raw.r``), mean and SD.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
>>> res = cronbach_alpha(df)
>>> round(res.alpha, 4)  # R: psych::alpha(df)$total$raw_alpha
0.9451
>>> {"n", "alpha", "ci95", "items"} <= set(res.to_dict())
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.measures._data import (check_variance, complete_cases, correlation,
                                        select_items)
from leftbehind.measures.extraction import extract

__all__ = ["cronbach_alpha", "AlphaResult", "omega_total", "OmegaResult"]


@dataclass(frozen=True, eq=False)
class AlphaResult(ResultMixin):
    """Cronbach's alpha of a scale.

    Attributes
    ----------
    n, k
        Respondents and items.
    alpha, std_alpha
        Raw alpha (from covariances) and standardised alpha (from correlations).
    ci95
        Feldt 95% interval ``(lo, hi)``, as psych prints it.
    ci, ci_duhachek, ci_level
        Feldt and Duhachek intervals at ``ci_level``.
    ase
        Duhachek's asymptotic standard error of alpha.
    average_r
        Mean inter-item correlation.
    items
        Per item: ``alpha_if_deleted``, ``std_alpha_if_deleted``, ``item_rest_r``,
        ``item_total_r``, ``item_std_r``, ``mean``, ``sd``, ``n``.
    listwise
        Whether incomplete rows were dropped (otherwise pairwise covariances, as psych).
    """

    n: int
    k: int
    alpha: float
    std_alpha: float
    ci95: tuple[float, float]
    ci: tuple[float, float]
    ci_duhachek: tuple[float, float]
    ci_level: float
    ase: float
    average_r: float
    items: pd.DataFrame
    listwise: bool

    def to_frame(self) -> pd.DataFrame:
        """The item table (one row per item)."""
        return self.items.copy()

    def to_dict(self) -> dict:
        """JSON-safe summary with the stable keys n, alpha, ci95 and items."""
        return {
            "n": int(self.n), "k": int(self.k), "alpha": float(self.alpha),
            "std_alpha": float(self.std_alpha), "ci95": [float(v) for v in self.ci95],
            "ci": [float(v) for v in self.ci], "ci_level": float(self.ci_level),
            "ci_duhachek": [float(v) for v in self.ci_duhachek], "ase": float(self.ase),
            "average_r": float(self.average_r), "listwise": bool(self.listwise),
            "items": {str(name): {col: (int(val) if col == "n" else float(val))
                                  for col, val in row.items()}
                      for name, row in self.items.iterrows()},
        }


def _alpha_from(c: np.ndarray) -> tuple[float, float]:
    """Raw and standardised alpha of a covariance matrix; items whose sum is constant give
    -inf, as R's ``psych::alpha`` (a division by a zero total variance)."""
    k = c.shape[0]
    d = np.sqrt(np.diag(c))
    with np.errstate(divide="ignore", invalid="ignore"):
        r = c / np.outer(d, d)
        raw = (1.0 - np.trace(c) / c.sum()) * k / (k - 1)
        std = (1.0 - k / r.sum()) * k / (k - 1)
    return float(raw), float(std)


def _feldt(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    from scipy.stats import f

    tail = (1.0 - level) / 2.0
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1.0 - (1.0 - alpha) * f.ppf(1.0 - tail, df1, df2)
    hi = 1.0 - (1.0 - alpha) * f.ppf(tail, df1, df2)
    return float(lo), float(hi)


def _duhachek_ase(c: np.ndarray, n: int) -> float:
    k = c.shape[0]
    s, tr = c.sum(), np.trace(c)
    cc = c @ c
    q = (2 * k ** 2 / ((k - 1) ** 2 * s ** 3)) * (s * (np.trace(cc) + tr ** 2) - 2 * tr * cc.sum())
    with np.errstate(invalid="ignore"):  # a negative q (degenerate items) gives NaN, as in R
        return float(np.sqrt(q / n))


def _pairwise_corr(x: pd.Series, y: pd.Series) -> float:
    ok = x.notna() & y.notna()
    return float(np.corrcoef(x[ok], y[ok])[0, 1])


def cronbach_alpha(frame: pd.DataFrame, items: Sequence[str] | None = None, *,
                   ci_level: float = 0.95, listwise: bool = True) -> AlphaResult:
    """Cronbach's alpha with confidence intervals and item statistics (as ``psych::alpha``).

    Parameters
    ----------
    frame
        The data, one row per respondent. Reverse-keyed items must already be recoded.
    items
        The item columns (default: every column).
    ci_level
        Level of the Feldt and Duhachek intervals in ``ci`` and ``ci_duhachek``.
    listwise
        Drop rows with any missing item (default). ``False`` uses pairwise covariances and
        every row with at least one answer, like psych's default ``use = "pairwise"``.

    Returns
    -------
    AlphaResult

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 4], "c": [1, 3, 3, 4, 5]})
    >>> float(cronbach_alpha(df).items.loc["a", "item_rest_r"].round(4))  # R: r.drop
    0.9701
    """
    if not 0 < ci_level < 1:
        raise InputError(f"ci_level must be between 0 and 1, got {ci_level!r}",
                         hint="e.g. ci_level=0.95")
    data = select_items(frame, items, min_items=2)
    if listwise:
        data = complete_cases(data, minimum=3, what="Cronbach's alpha")
    else:
        data = data.dropna(how="all")
        complete_cases(data, minimum=3, what="Cronbach's alpha")
    check_variance(data, what="Cronbach's alpha")
    n, k = data.shape
    c = data.cov(ddof=1).to_numpy()  # pairwise-complete when rows have gaps
    alpha, std_alpha = _alpha_from(c)
    d = np.sqrt(np.diag(c))
    r = c / np.outer(d, d)
    total = data.mean(axis=1)  # psych correlates items with the row mean (na.rm = TRUE)
    rows = {}
    for i, name in enumerate(data.columns):
        keep = [j for j in range(k) if j != i]
        if k > 2:
            drop_raw, drop_std = _alpha_from(c[np.ix_(keep, keep)])
        else:  # psych's two-item convention
            j = keep[0]
            drop_raw, drop_std = float(c[i, j] / c[j, j]), float(r[i, j])
        with np.errstate(divide="ignore", invalid="ignore"):  # a constant rest: NaN, as R's NA
            rest = float(c[i, keep].sum() / np.sqrt(c[i, i] * c[np.ix_(keep, keep)].sum()))
            std_r = float(r[:, i].sum() / np.sqrt(r.sum()))
        rows[str(name)] = {
            "alpha_if_deleted": drop_raw, "std_alpha_if_deleted": drop_std,
            "item_rest_r": rest, "item_total_r": _pairwise_corr(data[name], total),
            "item_std_r": std_r,
            "mean": float(data[name].mean()), "sd": float(data[name].std(ddof=1)),
            "n": int(data[name].notna().sum()),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "item"
    ase = _duhachek_ase(c, n)
    from scipy.stats import norm

    # psych prints the Duhachek interval as alpha +/- 1.96 ase; keep that at the 95% level.
    z = 1.96 if ci_level == 0.95 else float(norm.ppf(0.5 + ci_level / 2.0))
    return AlphaResult(
        n=n, k=k, alpha=alpha, std_alpha=std_alpha, ci95=_feldt(alpha, n, k, 0.95),
        ci=_feldt(alpha, n, k, ci_level), ci_duhachek=(alpha - z * ase, alpha + z * ase),
        ci_level=float(ci_level), ase=ase,
        average_r=float((r.sum() - k) / (k * (k - 1))), items=table, listwise=bool(listwise))


@dataclass(frozen=True, eq=False)
class OmegaResult(ResultMixin):
    """McDonald's omega total from a one-factor model.

    Attributes
    ----------
    n, k
        Complete cases and items.
    omega_total
        ``(sum lambda)^2 / ((sum lambda)^2 + sum psi)``.
    loadings, uniquenesses
        One-factor loadings ``lambda`` and uniquenesses ``psi = 1 - lambda^2``, per item.
    method
        Extraction method of the one-factor model.
    """

    n: int
    k: int
    omega_total: float
    loadings: pd.Series
    uniquenesses: pd.Series
    method: str

    def to_frame(self) -> pd.DataFrame:
        """Loading and uniqueness per item."""
        return pd.DataFrame({"loading": self.loadings, "uniqueness": self.uniquenesses})

    def to_dict(self) -> dict:
        """JSON-safe summary."""
        return {"n": int(self.n), "k": int(self.k), "omega_total": float(self.omega_total),
                "method": self.method,
                "loadings": {str(i): float(v) for i, v in self.loadings.items()},
                "uniquenesses": {str(i): float(v) for i, v in self.uniquenesses.items()}}


def omega_total(frame: pd.DataFrame, items: Sequence[str] | None = None, *,
                method: Literal["minres", "ml", "pa"] = "minres") -> OmegaResult:
    """McDonald's omega total of a scale from a one-factor model (complete cases).

    Parameters
    ----------
    frame
        The data, one row per respondent.
    items
        The item columns (default: every column); at least three.
    method
        Extraction method of the one-factor model (see :func:`leftbehind.measures.efa`).

    Returns
    -------
    OmegaResult

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 4, 1],
    ...                    "c": [1, 3, 3, 4, 5, 2]})
    >>> 0 < omega_total(df).omega_total < 1
    True
    """
    data = select_items(frame, items, min_items=3)
    data = complete_cases(data, minimum=data.shape[1] + 1, what="omega")
    check_variance(data, what="omega")
    r = correlation(data, what="omega")
    lam = extract(r, 1, method=method)[:, 0]
    psi = 1.0 - lam ** 2
    omega = float(lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum()))
    index = pd.Index([str(c) for c in data.columns])
    return OmegaResult(n=len(data), k=data.shape[1], omega_total=omega,
                       loadings=pd.Series(lam, index=index, name="loading"),
                       uniquenesses=pd.Series(psi, index=index, name="uniqueness"),
                       method=method)
