"""Questionnaire items behind two kinds of score: summed scales and factor scores.

*Summed scale* (:func:`split_sum`): each case's whole-number total is shared out over the
items — an equal share, plus a fixed difficulty offset per item, plus case-by-item noise of
spread ``tau`` that sums to zero over the items — then rounded within the answer range so the
items add up to the total exactly. The totals (and so every calibrated regression) are
untouched; ``tau`` is found by bisection so Cronbach's alpha meets its target
(:func:`items_for_alpha`), since more idiosyncratic noise means lower alpha.

*Factor score* (:func:`ordinal_items`, :func:`calibrated_factor_items`): each item is a
cut of ``loading * latent + sqrt(1 - loading²) * noise`` at normal quantiles of its
answer shares. The factor score is recomputed (one-factor minres, regression scores:
:func:`leftbehind.measures.efa.efa`, as R ``psych::fa``) and the
complete cases' latent means and SDs per group are corrected until the score's group means
and SDs meet Table 1.

Examples
--------
>>> items = split_sum(np.array([6, 17, 30]), 6, low=1, high=5, tau=0.5,
...                   rng=np.random.default_rng(0))
>>> items.sum(axis=1).tolist(), int(items.min()), int(items.max())
([6, 17, 30], 1, 5)
>>> round(cronbach_alpha(np.array([[1, 2], [2, 3], [4, 4]])), 3)
0.947
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from leftbehind.errors import AnalysisError

__all__ = ["cronbach_alpha", "split_sum", "items_for_alpha", "ordinal_items",
           "one_factor_scores", "calibrated_factor_items"]


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of a cases × items array."""
    items = np.asarray(items, dtype=float)
    k = items.shape[1]
    total = items.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / total))


def _offsets(k: int) -> np.ndarray:
    """Fixed item difficulty offsets (sum zero): some symptoms are endorsed more than others."""
    d = np.sin(np.arange(1, k + 1) * 2.1) * 0.35
    return d - d.mean()


def split_sum(totals: np.ndarray, k: int, *, low: int, high: int, tau: float,
              rng: np.random.Generator | None = None, noise: np.ndarray | None = None) -> np.ndarray:
    """Share each whole-number total over ``k`` items in ``[low, high]``, summing exactly.

    Pass either ``rng`` (fresh noise) or ``noise`` (cases × k standard normals, reused so a
    search over ``tau`` sees the same draws).
    """
    totals = np.asarray(totals, dtype=int)
    if np.any(totals < k * low) or np.any(totals > k * high):
        raise AnalysisError(f"a total lies outside {k * low}-{k * high}",
                            hint="clip the outcome to the scale's range first")
    if noise is None:
        noise = rng.standard_normal((len(totals), k))
    u = noise - noise.mean(axis=1, keepdims=True)
    share = totals[:, None] / k + _offsets(k)[None, :] + tau * u
    items = np.clip(np.floor(share), low, high).astype(int)
    remainder = share - items
    for i in range(len(totals)):
        need = totals[i] - items[i].sum()
        while need != 0:
            step = 1 if need > 0 else -1
            room = (items[i] < high) if step > 0 else (items[i] > low)
            score = np.where(room, remainder[i] * step, -np.inf)
            j = int(np.argmax(score))
            items[i, j] += step
            remainder[i, j] -= step
            need -= step
    return items


def items_for_alpha(totals: np.ndarray, k: int, *, low: int, high: int, alpha: float,
                    rng: np.random.Generator, tol: float = 0.002) -> tuple[np.ndarray, float]:
    """Items summing to ``totals`` whose Cronbach's alpha is within ``tol`` of ``alpha`` if
    reachable (bisection on the noise spread; the closest result otherwise), and that spread."""
    noise = rng.standard_normal((len(totals), k))
    lo, hi = 0.0, 4.0
    best, best_gap = None, np.inf
    for _ in range(40):
        tau = (lo + hi) / 2
        items = split_sum(totals, k, low=low, high=high, tau=tau, noise=noise)
        a = cronbach_alpha(items)
        if abs(a - alpha) < best_gap:
            best, best_gap = (items, tau), abs(a - alpha)
        if best_gap < tol:
            break
        if a > alpha:
            lo = tau
        else:
            hi = tau
    return best


def ordinal_items(latent: np.ndarray, noise: np.ndarray, loadings: np.ndarray,
                  shares: np.ndarray) -> np.ndarray:
    """Ordinal answers 1..K: cuts of ``loading * latent + sqrt(1 - loading²) * noise``.

    ``shares`` (items × K) are the intended answer shares of each item.
    """
    cuts = norm.ppf(np.cumsum(shares, axis=1)[:, :-1])
    x = latent[:, None] * loadings[None, :] + np.sqrt(1 - loadings ** 2)[None, :] * noise
    return 1 + np.sum(x[:, :, None] > cuts[None, :, :], axis=2)


def one_factor_scores(items: np.ndarray) -> np.ndarray:
    """Regression scores of a one-factor minres solution (``psych::fa(x, 1, fm = "minres")``)."""
    from leftbehind.measures.efa import efa

    frame = pd.DataFrame(items, columns=[f"item{j + 1}" for j in range(items.shape[1])])
    fit = efa(frame, n_factors=1, method="minres", rotation="none")
    return fit.scores(frame).iloc[:, 0].to_numpy()


def calibrated_factor_items(latent: np.ndarray, noise: np.ndarray, groups: np.ndarray,
                            targets: dict[str, tuple[float, float]], *, complete: np.ndarray,
                            loadings: np.ndarray, shares: np.ndarray,
                            iters: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Items and factor scores whose complete-case group means/SDs meet ``targets``.

    Parameters
    ----------
    latent, noise
        Latent trait (cases,) and item noise (cases × items) of every case that enters the
        factor analysis.
    groups
        Group label of each case (only complete cases' labels are used).
    targets
        ``{group: (mean, sd)}`` of the factor score on the complete cases.
    complete
        Boolean mask of the complete cases.

    Returns
    -------
    (items, scores)
    """
    lat = latent.astype(float).copy()
    best = None
    for _ in range(iters):
        items = ordinal_items(lat, noise, loadings, shares)
        scores = one_factor_scores(items)
        gap = 0.0
        for g, (mean, sd) in targets.items():
            idx = complete & (groups == g)
            s = scores[idx]
            gap = max(gap, abs(s.mean() - mean) / sd, abs(s.std(ddof=1) - sd) / sd / 3)
            spread = lat[idx].std(ddof=1) * (sd / max(s.std(ddof=1), 1e-6)) ** 0.8
            centre = lat[idx].mean() + 0.9 * (mean - s.mean())
            lat[idx] = centre + (lat[idx] - lat[idx].mean()) / lat[idx].std(ddof=1) * spread
        if best is None or gap < best[0]:
            best = (gap, items, scores)
        if gap < 0.015:
            break
    return best[1], best[2]
