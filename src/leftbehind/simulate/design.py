"""Covariates of the complete cases with Table 1's margins, exactly, for every group.

Each group of Table 1 gets exactly its printed size. Within a group, every categorical
variable receives the category counts implied by the printed percentages (largest-remainder
rounding, so every percentage is met to within half a case), and every continuous variable
the printed mean and SD (normal scores standardised within the group, then rounded to whole units
when the variable is an integer answer such as age). The variables are tied together by a Gaussian
copula: one latent normal per variable, correlated through :class:`LatentStructure`, and
each variable's values are handed out in the order of its latent within the group. The
latent structure changes only the joint distribution, never a margin; the calibration
(:mod:`leftbehind.simulate.calibrate`) tunes the moderators' shared factor so the printed
models can all be met at once.

Examples
--------
>>> exact_counts([43.05, 56.95], 368).tolist()
[158, 210]
>>> assign_by_rank(np.array([0.3, -1.0, 2.0, 0.1]), np.array([2, 2])).tolist()
[1, 0, 1, 0]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from leftbehind.errors import InputError
from leftbehind.simulate.figures import Figures

__all__ = ["LatentStructure", "control_weights", "exact_counts", "assign_by_rank", "latent_names", "draw_latents",
           "complete_design", "quantile_values"]

#: Correlations between latent variables that describe how such data usually hang together
#: (applied only when both variables exist in the figures).
DEFAULT_PAIRS: dict[tuple[str, str], float] = {
    ("grade", "age"): 0.9,
    ("mother_education", "father_education"): 0.5,
}


@dataclass(frozen=True)
class LatentStructure:
    """Correlation structure of the copula.

    ``loadings`` gives each moderator's loading on one shared support factor (moderators
    not listed load ``default_loading``); ``control_loadings`` each moderator's loading on a
    second factor, the *control composite*, on which the controls' latents load with the
    weights passed to :meth:`matrix` (see :func:`control_weights`); ``pairs`` adds
    correlations between other variables.
    """

    loadings: dict[str, float] = field(default_factory=dict)
    default_loading: float = 0.5
    pairs: dict[tuple[str, str], float] = field(default_factory=lambda: dict(DEFAULT_PAIRS))
    control_loadings: dict[str, float] = field(default_factory=dict)

    def matrix(self, names: list[str], moderators: tuple[str, ...], *,
               weights: dict[str, float] | None = None) -> np.ndarray:
        """The latent correlation matrix over ``names`` (made positive definite if needed).

        ``weights`` are the loadings of the controls' latents on the control composite
        (unit length); without them the moderators are independent of the controls.
        """
        k = len(names)
        r = np.eye(k)
        pos = {name: i for i, name in enumerate(names)}
        lam = {m: float(np.clip(self.loadings.get(m, self.default_loading), -0.95, 0.95))
               for m in moderators if m in pos}
        rho = {m: float(np.clip(self.control_loadings.get(m, 0.0), -0.95, 0.95)) for m in lam}
        for a in lam:
            for b in lam:
                if a != b:
                    r[pos[a], pos[b]] = lam[a] * lam[b] + rho[a] * rho[b]
            for c, w in (weights or {}).items():
                if c in pos and c not in lam:
                    r[pos[a], pos[c]] = r[pos[c], pos[a]] = rho[a] * w
        for (a, b), value in self.pairs.items():
            if a in pos and b in pos:
                r[pos[a], pos[b]] = r[pos[b], pos[a]] = value
        vals, vecs = np.linalg.eigh(r)
        if vals.min() < 1e-6:
            r = vecs @ np.diag(np.maximum(vals, 1e-6)) @ vecs.T
            d = np.sqrt(np.diag(r))
            r = r / np.outer(d, d)
        return r


def control_weights(fig: Figures) -> dict[str, float]:
    """Loadings of the controls' latents on the control composite: each control's overall
    mean over its SD (from Table 1), normalised to unit length.

    A moderator correlated with the controls moves every printed intercept of the models
    that hold it (a model's constant is the outcome mean minus each coefficient times its
    variable's mean); per unit of correlation it moves them most along these weights.
    """
    total = fig.n_total
    out: dict[str, float] = {}
    for name in fig.controls:
        var, cat = fig.control_source(name)
        if var in fig.categorical:
            cats = list(fig.categorical[var])
            share = np.array([sum(fig.n[g] * fig.categorical[var][c][g] for g in fig.groups)
                              for c in cats])
            share = share / share.sum()
            x = (np.array([c == cat for c in cats], float) if cat is not None
                 else np.array([fig.category_value(var, c) for c in cats]))
            mean = float(share @ x)
            sd = float(np.sqrt(share @ (x - mean) ** 2))
        else:
            stats = fig.continuous[var]
            mean = sum(fig.n[g] * stats["mean"][g] for g in fig.groups) / total
            sd = float(np.sqrt(sum(fig.n[g] * (stats["sd"][g] ** 2 + (stats["mean"][g] - mean) ** 2)
                                   for g in fig.groups) / total))
        if sd > 0:
            out[var] = out.get(var, 0.0) + abs(mean) / sd
    norm = float(np.sqrt(sum(v ** 2 for v in out.values()))) or 1.0
    return {k: v / norm for k, v in out.items()}


def exact_counts(percents: list[float] | np.ndarray, n: int) -> np.ndarray:
    """Whole counts summing to ``n`` closest to the percentages (largest remainder).

    Percentages are first rescaled to sum to 100, since printed ones rarely do exactly.
    """
    p = np.asarray(percents, dtype=float)
    if p.sum() <= 0 or np.any(p < 0):
        raise InputError("percentages must be non-negative with a positive sum",
                         hint="check the Table 1 row; blank cells are 0")
    share = p / p.sum() * n
    counts = np.floor(share).astype(int)
    order = np.argsort(-(share - counts), kind="stable")
    counts[order[: n - counts.sum()]] += 1
    return counts


def assign_by_rank(latent: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Category index per case: the lowest ``counts[0]`` latents get 0, the next ``counts[1]`` 1..."""
    order = np.argsort(latent, kind="stable")
    codes = np.empty(len(latent), dtype=int)
    codes[order] = np.repeat(np.arange(len(counts)), counts)
    return codes


def latent_names(fig: Figures) -> list[str]:
    """Variables that get a latent normal: Table 1's categorical and continuous rows but the outcome."""
    names = list(fig.categorical) + [v for v in fig.continuous if v != fig.outcome]
    return names


def draw_latents(fig: Figures, rng: np.random.Generator) -> np.ndarray:
    """Independent standard normals, one row per complete case and one column per latent."""
    return rng.standard_normal((fig.n_total, len(latent_names(fig))))


def _integer_valued(fig: Figures, var: str) -> bool:
    return var not in fig.factor_scores and var != fig.outcome


def complete_design(fig: Figures, base: np.ndarray, structure: LatentStructure, *,
                    fixed: dict[str, dict[str, np.ndarray]] | None = None) -> pd.DataFrame:
    """Covariates of the complete cases, group by group, with Table 1's exact margins.

    Parameters
    ----------
    fig
        The published figures.
    base
        Independent standard normals from :func:`draw_latents` (kept fixed while the
        structure is tuned, so the tuning sees common random numbers).
    structure
        The copula's correlation structure.
    fixed
        For some continuous variables, the values of each group (handed out by rank);
        the others get normal scores with Table 1's mean and SD.

    Returns
    -------
    pandas.DataFrame
        ``group``, each categorical variable as its category key and ``<var>__value`` (its
        numeric value), each continuous variable and ``<var>__slot`` (its rank in the group).
    """
    names = latent_names(fig)
    chol = np.linalg.cholesky(structure.matrix(names, fig.moderators,
                                               weights=control_weights(fig)))
    z = base @ chol.T
    groups = np.repeat(np.array(fig.groups), [fig.n[g] for g in fig.groups])
    out: dict[str, np.ndarray] = {"group": groups}
    for j, var in enumerate(names):
        if var in fig.categorical:
            cats = list(fig.categorical[var])
            keys = np.empty(len(groups), dtype=object)
            for g in fig.groups:
                idx = np.flatnonzero(groups == g)
                counts = exact_counts([fig.categorical[var][c][g] for c in cats], len(idx))
                keys[idx] = np.array(cats, dtype=object)[assign_by_rank(z[idx, j], counts)]
            out[var] = keys
            value_of = {c: fig.category_value(var, c) for c in cats}
            out[var + "__value"] = np.array([value_of[c] for c in keys])
        else:
            values = np.empty(len(groups))
            slots = np.empty(len(groups), dtype=int)
            for g in fig.groups:
                idx = np.flatnonzero(groups == g)
                if fixed and var in fixed:
                    sorted_values = np.sort(fixed[var][g])
                else:
                    mean, sd = fig.continuous[var]["mean"][g], fig.continuous[var]["sd"][g]
                    sorted_values = quantile_values(mean, sd, len(idx),
                                                    integer=_integer_valued(fig, var))
                order = np.argsort(z[idx, j], kind="stable")
                values[idx[order]] = sorted_values
                slots[idx[order]] = np.arange(len(idx))
            out[var] = values
            out[var + "__slot"] = slots
    return pd.DataFrame(out)


def quantile_values(mean: float, sd: float, n: int, *, integer: bool = False) -> np.ndarray:
    """``n`` sorted values with exactly the given mean and SD (normal scores, Blom), rounded
    to whole numbers keeping the sum when ``integer``.

    Examples
    --------
    >>> v = quantile_values(13.3, 1.0, 50, integer=True)
    >>> float(v.sum()), bool(np.all(np.diff(v) >= 0))
    (665.0, True)
    """
    from scipy.stats import norm

    q = norm.ppf((np.arange(1, n + 1) - 0.375) / (n + 0.25))
    q = (q - q.mean()) / q.std(ddof=1)
    values = mean + sd * q
    if integer:
        values = np.sort(_round_keeping_sum(values, round(mean * n)))
    return values


def _round_keeping_sum(x: np.ndarray, total: int) -> np.ndarray:
    """Round to integers whose sum is ``total`` (moving the values with the largest remainders)."""
    low = np.floor(x)
    need = int(total - low.sum())
    order = np.argsort(-(x - low), kind="stable")
    out = low.copy()
    if need >= 0:
        out[order[:need]] += 1
    else:
        out[order[::-1][: -need]] -= 1
    return out
