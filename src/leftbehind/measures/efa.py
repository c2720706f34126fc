"""Exploratory factor analysis with regression factor scores, matching R's ``psych::fa``.

The R equivalent of ``efa(df, items, n_factors=3, method="minres", rotation="oblimin")`` is
``psych::fa(na.omit(df[items]), nfactors = 3, fm = "minres", rotate = "oblimin",
scores = "regression")``. Conventions copied from psych so the numbers line up:

* factors are named ``MR1..`` (minres), ``ML1..`` (ml) or ``PA1..`` (pa) *before* they are
  sorted by variance explained, so after an oblique rotation the order may read ``MR1 MR3 MR2``;
* after rotation each factor is reflected so its loadings sum positive;
* communalities are those of the unrotated solution (rotation does not change them);
* variance explained is ``diag(Phi L'L)`` for oblique rotations, ``colSums(L^2)`` otherwise.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> g = rng.normal(size=(200, 1))
>>> df = pd.DataFrame(g @ [[0.8, 0.7, 0.6]] + rng.normal(size=(200, 3)) * [0.6, 0.71, 0.8],
...                   columns=["praise", "talk", "care"])
>>> fit = efa(df, ["praise", "talk", "care"], n_factors=1)
>>> list(fit.loadings.columns)
['MR1']
>>> fit.scores(df).shape
(200, 1)
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
from leftbehind.measures.adequacy import bartlett, kmo
from leftbehind.measures.extraction import PREFIXES, extract_fit
from leftbehind.measures.rotation import rotate

__all__ = ["efa", "EFAResult"]


@dataclass(frozen=True, eq=False)
class EFAResult(ResultMixin):
    """An exploratory factor analysis.

    Attributes
    ----------
    n
        Complete cases analysed.
    method, rotation
        Extraction method and rotation.
    loadings
        Pattern matrix, items x factors.
    communalities, uniquenesses
        Per item (Series).
    variance_explained
        Per factor: ``ss_loadings``, ``proportion`` (of total variance), ``cumulative``,
        ``proportion_explained`` (of common variance).
    phi
        Factor correlations (oblique rotations) or ``None``.
    structure
        Structure matrix ``loadings @ phi`` (equal to loadings when orthogonal).
    kmo, kmo_items
        Kaiser-Meyer-Olkin sampling adequacy, overall and per item.
    bartlett
        Bartlett's sphericity test: ``{"chi2", "df", "p"}``.
    eigenvalues
        Eigenvalues of the correlation matrix, largest first.
    correlation
        The correlation matrix analysed.
    weights
        Regression (Thurstone) score weights, items x factors.
    means, sds
        Item means and standard deviations of the analysed cases (used to standardise data
        in :meth:`scores`).
    objective
        The fit function at the solution (ML discrepancy for ``"ml"``, as
        ``factanal(...)$criteria["objective"]``; residual sum of squares for ``"minres"``;
        ``None`` for ``"pa"``).
    starts
        Starting points tried (maximum likelihood keeps the best).
    """

    n: int
    method: str
    rotation: str
    loadings: pd.DataFrame
    communalities: pd.Series
    uniquenesses: pd.Series
    variance_explained: pd.DataFrame
    phi: pd.DataFrame | None
    structure: pd.DataFrame
    kmo: float
    kmo_items: pd.Series
    bartlett: dict
    eigenvalues: tuple[float, ...]
    correlation: pd.DataFrame
    weights: pd.DataFrame
    means: pd.Series
    sds: pd.Series
    objective: float | None = None
    starts: int = 1

    @property
    def heywood(self) -> list[str]:
        """Items whose uniqueness sits at the lower bound (communality ≥ 0.995): Heywood cases."""
        return [str(i) for i, u in self.uniquenesses.items() if u <= 0.005 + 1e-6]

    def score_weights(self, method: Literal["regression", "bartlett"] = "regression") -> pd.DataFrame:
        """Factor-score weights, items x factors, as ``psych::factor.scores(method = ...)``.

        ``"regression"`` (Thurstone): ``R^-1 S`` with ``S`` the structure matrix.
        ``"bartlett"``: ``U^-2 L (L' U^-2 L)^-1`` with ``U^2 = 1 - diag(L Phi L')``; these
        scores are conditionally unbiased (R: ``factor.scores(x, f, method = "Bartlett")``).
        """
        if method == "regression":
            return self.weights
        if method != "bartlett":
            raise InputError(f"unknown factor-score method {method!r}",
                             hint="use 'regression' or 'bartlett'")
        load = self.loadings.to_numpy()
        phi = self.phi.to_numpy() if self.phi is not None else np.eye(load.shape[1])
        inv_u2 = 1.0 / (1.0 - np.diag(load @ phi @ load.T))
        weighted = load * inv_u2[:, None]
        weights = weighted @ np.linalg.inv(load.T @ weighted)
        return pd.DataFrame(weights, index=self.loadings.index, columns=self.loadings.columns)

    @property
    def items(self) -> list[str]:
        """The analysed items."""
        return [str(i) for i in self.loadings.index]

    @property
    def factors(self) -> list[str]:
        """Factor names in display order."""
        return [str(c) for c in self.loadings.columns]

    def scores(self, frame: pd.DataFrame, *,
               method: Literal["regression", "bartlett"] = "regression",
               standardize: Literal["fit", "sample"] = "fit") -> pd.DataFrame:
        """Factor scores, as ``psych::factor.scores(x, f, method = "regression" | "Bartlett")``.

        Parameters
        ----------
        frame
            Data holding the analysed items; rows with a missing item get NaN scores.
        method
            ``"regression"`` (Thurstone) or ``"bartlett"`` (see :meth:`score_weights`).
        standardize
            ``"fit"`` standardises with the means and SDs of the analysed cases (so new data
            are scored on the same metric); ``"sample"`` standardises ``frame`` by its own
            complete cases, as psych does. For the analysed data both give the same scores.

        Returns
        -------
        pandas.DataFrame
            One column per factor, indexed like ``frame``.
        """
        weights = self.score_weights(method)
        if standardize not in ("fit", "sample"):
            raise InputError(f"unknown standardize option {standardize!r}",
                             hint="use 'fit' or 'sample'")
        data = select_items(frame, self.items)
        complete = data.dropna(how="any")
        if standardize == "fit":
            means, sds = self.means, self.sds
        else:
            complete = complete_cases(data, minimum=2, what="factor scoring")
            means, sds = complete.mean(), complete.std(ddof=1)
        z = (complete - means) / sds
        values = z.to_numpy() @ weights.to_numpy()
        out = pd.DataFrame(np.nan, index=data.index, columns=self.factors)
        out.loc[complete.index, :] = values
        return out

    def to_frame(self) -> pd.DataFrame:
        """Loadings with communality (``h2``) and uniqueness (``u2``) per item."""
        table = self.loadings.copy()
        table["h2"] = self.communalities
        table["u2"] = self.uniquenesses
        return table

    def to_dict(self) -> dict:
        """JSON-safe summary with the stable keys n, loadings, communalities, variance_explained."""
        return {
            "n": int(self.n),
            "method": self.method,
            "rotation": self.rotation,
            "factors": self.factors,
            "loadings": {i: [float(v) for v in self.loadings.loc[i]] for i in self.items},
            "communalities": {i: float(v) for i, v in self.communalities.items()},
            "uniquenesses": {i: float(v) for i, v in self.uniquenesses.items()},
            "variance_explained": [float(v) for v in self.variance_explained["proportion"]],
            "ss_loadings": [float(v) for v in self.variance_explained["ss_loadings"]],
            "phi": None if self.phi is None else self.phi.to_numpy().tolist(),
            "kmo": {"overall": float(self.kmo),
                    "items": {i: float(v) for i, v in self.kmo_items.items()}},
            "bartlett": {k: (int(v) if k == "df" else float(v)) for k, v in self.bartlett.items()},
            "eigenvalues": [float(v) for v in self.eigenvalues],
            "objective": None if self.objective is None else float(self.objective),
            "starts": int(self.starts),
            "heywood": self.heywood,
        }


def _order_factors(load: np.ndarray, phi: np.ndarray | None, prefix: str):
    """Reflect to positive column sums, name, then sort by variance explained (psych)."""
    k = load.shape[1]
    signs = np.sign(load.sum(axis=0))
    signs[signs == 0] = 1.0
    load = load * signs
    if phi is not None:
        phi = phi * np.outer(signs, signs)
    names = [f"{prefix}{j + 1}" for j in range(k)]
    ss = np.diag(phi @ load.T @ load) if phi is not None else np.sum(load ** 2, axis=0)
    order = np.argsort(-ss, kind="stable")
    load, ss = load[:, order], ss[order]
    names = [names[j] for j in order]
    if phi is not None:
        phi = phi[np.ix_(order, order)]
    return load, phi, names, ss


def efa(frame: pd.DataFrame, items: Sequence[str] | None = None, *, n_factors: int,
        method: Literal["minres", "ml", "pa"] = "minres",
        rotation: Literal["none", "varimax", "oblimin", "promax"] = "oblimin") -> EFAResult:
    """Exploratory factor analysis of the items' correlation matrix (complete cases).

    Parameters
    ----------
    frame
        The data, one row per respondent; rows with a missing item are left out.
    items
        The item columns (default: every column).
    n_factors
        How many factors to extract.
    method
        ``"minres"``, ``"ml"`` or ``"pa"`` (see :mod:`leftbehind.measures.extraction`).
    rotation
        ``"none"``, ``"varimax"``, ``"oblimin"`` or ``"promax"`` (psych's default is oblimin);
        ignored for one factor.

    Returns
    -------
    EFAResult

    Raises
    ------
    InputError
        Unknown item, method or rotation, or a number of factors the items cannot carry.
    DataError
        An item is not numeric.
    AnalysisError
        Too few complete cases or an item without variance.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(500, 2))
    >>> pattern = np.array([[.8, 0], [.7, 0], [.6, 0], [0, .8], [0, .7], [0, .6]])
    >>> noise = rng.normal(size=(500, 6)) * np.sqrt(1 - (pattern ** 2).sum(axis=1))
    >>> df = pd.DataFrame(f @ pattern.T + noise, columns=[f"x{i}" for i in range(1, 7)])
    >>> fit = efa(df, n_factors=2, rotation="varimax")
    >>> fit.loadings.abs().idxmax(axis=1).tolist()
    ['MR1', 'MR1', 'MR1', 'MR2', 'MR2', 'MR2']
    """
    data = select_items(frame, items, min_items=2)
    p = data.shape[1]
    if not isinstance(n_factors, (int, np.integer)) or not 1 <= n_factors < p:
        raise InputError(f"n_factors must be a whole number from 1 to {p - 1}, got {n_factors!r}",
                         hint="use suggest_n_factors() to choose the number of factors")
    data = complete_cases(data, minimum=max(p + 1, 3), what="factor analysis")
    check_variance(data, what="a factor analysis")
    r = correlation(data, what="a factor analysis")
    extraction = extract_fit(r, int(n_factors), method=method)
    unrotated = extraction.loadings
    load, phi = rotate(unrotated, rotation)
    load, phi, names, ss = _order_factors(load, phi, PREFIXES[method])
    names_idx = pd.Index(names)
    items_idx = pd.Index([str(c) for c in data.columns])
    communality = np.sum(unrotated ** 2, axis=1)
    structure = load @ phi if phi is not None else load
    weights = np.linalg.solve(r, structure)
    variance = pd.DataFrame({"ss_loadings": ss, "proportion": ss / p,
                             "cumulative": np.cumsum(ss / p),
                             "proportion_explained": ss / ss.sum()}, index=names_idx)
    overall, per_item = kmo(r)
    chi2, df, pval = bartlett(r, len(data))
    return EFAResult(
        n=len(data), method=method, rotation=rotation if n_factors > 1 else "none",
        loadings=pd.DataFrame(load, index=items_idx, columns=names_idx),
        communalities=pd.Series(communality, index=items_idx, name="h2"),
        uniquenesses=pd.Series(1.0 - communality, index=items_idx, name="u2"),
        variance_explained=variance,
        phi=None if phi is None else pd.DataFrame(phi, index=names_idx, columns=names_idx),
        structure=pd.DataFrame(structure, index=items_idx, columns=names_idx),
        kmo=overall, kmo_items=pd.Series(per_item, index=items_idx, name="kmo"),
        bartlett={"chi2": chi2, "df": df, "p": pval},
        eigenvalues=tuple(float(v) for v in np.sort(np.linalg.eigvalsh(r))[::-1]),
        correlation=pd.DataFrame(r, index=items_idx, columns=items_idx),
        weights=pd.DataFrame(weights, index=items_idx, columns=names_idx),
        means=data.mean(), sds=data.std(ddof=1),
        objective=extraction.objective, starts=extraction.starts,
    )
