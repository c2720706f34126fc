"""Probing an interaction: simple slopes and the Johnson-Neyman interval.

The effect of a focal term at moderator value m is ``b_focal + m * b_focal:moderator`` with
variance ``V_ff + 2 m V_fi + m^2 V_ii`` taken from the model's own covariance matrix (so
classical, HC or cluster-robust, whichever the model was fitted with), tested with t on the
model's residual degrees of freedom. The Johnson-Neyman bounds are the moderator values where
that t statistic equals the critical value, the real roots of a quadratic.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from leftbehind.models.ols import fit_ols
>>> rng = np.random.default_rng(3)
>>> df = pd.DataFrame({"x": rng.normal(size=200), "m": rng.uniform(0, 4, 200)})
>>> df["y"] = 0.2 * df.x + 0.5 * df.x * df.m + rng.normal(size=200)
>>> res = fit_ols(df, "y ~ x * m")
>>> simple_slopes(res, "x", "m", at=[0, 2]).to_frame().shape
(2, 7)
>>> jn = johnson_neyman(res, "x", "m")
>>> jn.region in {"inside", "outside", "above", "below", "everywhere", "nowhere"}
True
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.models._formula import term_code
from leftbehind.models._stats import num, t_table
from leftbehind.models.ols import OLSResult, as_ols_result


def _find_term(res: OLSResult, name: str, what: str) -> str:
    if name in res.terms:
        return name
    code = term_code(name)
    if code in res.terms:
        return code
    by_level = [t for t in res.terms if ":" not in t and t.endswith(f"[T.{name}]")]
    if len(by_level) == 1:  # a group level name such as "mother"
        return by_level[0]
    close = difflib.get_close_matches(name, res.terms, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else \
        f"terms are: {', '.join(res.terms)}"
    raise InputError(f"{what} {name!r} is not a term of the model", key=what, hint=hint)


def interaction_terms(res: OLSResult, focal: str, moderator: str) -> tuple[str, str, str]:
    """Return the (focal term, moderator term, interaction term) names of ``res``."""
    focal_term = _find_term(res, focal, "focal")
    mod_term = _find_term(res, moderator, "moderator")
    wanted = {focal_term, mod_term}
    for term in res.terms:
        parts = term.split(":")
        if len(parts) == 2 and set(parts) == wanted:
            return focal_term, mod_term, term
    raise InputError(f"the model has no {focal_term} x {mod_term} interaction", key="formula",
                     hint="fit the model with focal * moderator (or a moderation series)")


@dataclass(frozen=True, eq=False)
class SimpleSlopesResult(ResultMixin):
    """Conditional effects of ``focal`` at chosen moderator values.

    ``table`` has columns at, slope, se, t, p, ci_low, ci_high; ``at`` is on the model's scale
    and ``centre`` (0 unless the moderator was centred) converts it back: at + centre.
    ``labels`` names each value (``"mean − 1 SD"``, ``"P16"``, or the value given); ``notes``
    says which default values were moved into the observed range.
    """

    focal: str
    moderator: str
    se_type: str
    df_resid: int
    centre: float
    table: pd.DataFrame
    labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        rows = [{k: num(v) for k, v in row.items()} for row in self.table.to_dict("records")]
        return {"focal": self.focal, "moderator": self.moderator, "se_type": self.se_type,
                "df_resid": self.df_resid, "centre": num(self.centre), "slopes": rows,
                "labels": list(self.labels), "notes": list(self.notes)}


def moderator_values(column: np.ndarray, *, at: str = "sd", percentiles: Sequence[float] = (16, 50, 84),
                     centre: float = 0.0) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...]]:
    """Default moderator values inside the observed range, with their labels and notes.

    ``at="sd"``: mean − SD, mean, mean + SD, each clipped to the observed [min, max] (a value
    moved is named in the notes, on the original scale: model value + ``centre``);
    ``at="percentiles"``: the given percentiles (R ``quantile`` type 7).

    Examples
    --------
    >>> import numpy as np
    >>> values, labels, notes = moderator_values(np.array([1, 1, 1, 2, 5.0]))
    >>> values.round(2).tolist(), labels[2]
    ([1.0, 2.0, 3.73], 'mean + 1 SD')
    >>> notes
    ('mean − 1 SD (0.268) lies below the smallest observed value; 1 is used',)
    """
    column = np.asarray(column, dtype=float)
    column = column[np.isfinite(column)]
    if at == "percentiles":
        qs = np.asarray(percentiles, dtype=float)
        if qs.size == 0 or np.any((qs < 0) | (qs > 100)):
            raise InputError(f"percentiles must lie between 0 and 100, got {list(percentiles)}",
                             key="percentiles", hint="e.g. percentiles=[16, 50, 84]")
        return (np.percentile(column, qs), tuple(f"P{q:g}" for q in qs), ())
    if at != "sd":
        raise InputError(f"unknown moderator values {at!r}", key="at",
                         hint="use 'sd', 'percentiles' or a list of values")
    mean, sd = float(column.mean()), float(column.std(ddof=1))
    low, high = float(column.min()), float(column.max())
    labels = ("mean − 1 SD", "mean", "mean + 1 SD")
    raw = np.array([mean - sd, mean, mean + sd])
    values = np.clip(raw, low, high)
    notes = tuple(f"{label} ({value + centre:.3g}) lies {'below the smallest' if value < low else 'above the largest'} "
                  f"observed value; {bound + centre:.3g} is used"
                  for label, value, bound in zip(labels, raw, values) if bound != value)
    return values, labels, notes


def _combination(res: OLSResult, focal: str, inter: str, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    b = res.coefficients["b"]
    v = res.vcov
    slope = b[focal] + at * b[inter]
    var = v.loc[focal, focal] + 2 * at * v.loc[focal, inter] + at**2 * v.loc[inter, inter]
    return np.asarray(slope, dtype=float), np.sqrt(np.asarray(var, dtype=float))


def simple_slopes(result, focal: str, moderator: str, *, at: Sequence[float] | str | None = None,
                  percentiles: Sequence[float] = (16, 50, 84),
                  valid_range: tuple[float, float] | None = None) -> SimpleSlopesResult:
    """Effect of ``focal`` at several values of ``moderator``.

    Parameters
    ----------
    result
        An :class:`~leftbehind.models.ols.OLSResult` (or one model of a series) whose formula
        contains ``focal * moderator``.
    focal
        A numeric variable, a dummy term such as ``"C(g, Treatment('none'))[T.mother]"``, or
        just the level name (``"mother"``) when only one factor has that level.
    moderator
        The numeric moderator.
    at
        Moderator values on the model's scale, or ``"sd"`` (the default: mean − SD, mean,
        mean + SD of the estimation sample, clipped to its observed range) or
        ``"percentiles"`` (see ``percentiles``).
    percentiles
        The percentiles used with ``at="percentiles"``.
    valid_range
        The moderator's declared range on its original scale (e.g. a 1–5 answer scale):
        values given in ``at`` outside it are refused.

    Returns
    -------
    SimpleSlopesResult

    Notes
    -----
    R: ``interactions::sim_slopes(fit, pred, modx)`` uses mean ± SD without clipping; Stata:
    ``margins, dydx(x) at(m = (...))``.
    """
    res, centre = as_ols_result(result)
    focal_term, mod_term, inter = interaction_terms(res, focal, moderator)
    notes: tuple[str, ...] = ()
    if at is None or isinstance(at, str):
        column = res.sm_result.model.exog[:, res.terms.index(mod_term)]
        values, labels, notes = moderator_values(column, at=at or "sd", percentiles=percentiles,
                                                 centre=centre)
    else:
        values = np.atleast_1d(np.asarray(at, dtype=float))
        if values.size == 0 or not np.all(np.isfinite(values)):
            raise InputError("at must hold finite moderator values", key="at",
                             hint="e.g. at=[1, 3, 5], or leave it out for mean -/+ SD")
        labels = tuple(f"{v:g}" for v in values)
        _check_declared_range(values + centre, valid_range, mod_term)
    slope, se = _combination(res, focal_term, inter, values)
    tab = t_table(slope, se, res.df_resid)
    table = pd.DataFrame({"at": values, "slope": slope, "se": se, **tab})
    return SimpleSlopesResult(focal=focal_term, moderator=mod_term, se_type=res.se_type,
                              df_resid=res.df_resid, centre=centre, table=table,
                              labels=labels, notes=notes)


def _check_declared_range(values: np.ndarray, valid_range: tuple[float, float] | None,
                          moderator: str) -> None:
    if valid_range is None:
        return
    low, high = (float(v) for v in valid_range)
    outside = [v for v in values if not low <= v <= high]
    if outside:
        raise InputError(f"moderator value {outside[0]:g} lies outside the declared range "
                         f"{low:g}-{high:g} of {moderator!r}", key="at",
                         hint="choose values inside the scale's range, or leave at out for "
                              "mean -/+ SD clipped to the observed values")


@dataclass(frozen=True, eq=False)
class JNResult(ResultMixin):
    """Johnson-Neyman interval of the effect of ``focal`` along ``moderator``.

    Attributes
    ----------
    bounds
        0, 1 or 2 moderator values (model scale, ascending) where p equals ``alpha``.
    region
        Where the effect is significant: ``"inside"`` or ``"outside"`` the two bounds,
        ``"above"`` or ``"below"`` a single bound, ``"everywhere"`` or ``"nowhere"``.
    observed_range
        (min, max) of the moderator on the estimation sample (model scale).
    centre
        Add to bounds and range to get the moderator's original scale.
    """

    focal: str
    moderator: str
    se_type: str
    alpha: float
    t_crit: float
    bounds: tuple[float, ...]
    region: str
    observed_range: tuple[float, float]
    centre: float

    @property
    def bounds_original(self) -> tuple[float, ...]:
        """The bounds on the moderator's original (uncentred) scale."""
        return tuple(b + self.centre for b in self.bounds)

    @property
    def significant_inside(self) -> bool | None:
        """True/False when there are two bounds, else None."""
        return {"inside": True, "outside": False}.get(self.region)

    def to_frame(self) -> pd.DataFrame:
        """One row per bound with whether it lies in the observed moderator range."""
        lo, hi = self.observed_range
        return pd.DataFrame({"bound": list(self.bounds),
                             "in_observed_range": [lo <= b <= hi for b in self.bounds]})

    def to_dict(self) -> dict:
        return {"focal": self.focal, "moderator": self.moderator, "se_type": self.se_type,
                "alpha": self.alpha, "t_crit": num(self.t_crit),
                "bounds": [num(b) for b in self.bounds],
                "bounds_original": [num(b) for b in self.bounds_original], "region": self.region,
                "significant_inside": self.significant_inside,
                "observed_range": [num(v) for v in self.observed_range], "centre": num(self.centre)}


def _jn_roots(a: float, b: float, c: float) -> tuple[tuple[float, ...], str]:
    """Solve a m^2 + b m + c = 0 where the effect is significant when the left side is > 0."""
    scale = max(abs(a), abs(b), abs(c), np.finfo(float).tiny)
    if abs(a) <= 1e-13 * scale:
        if b == 0:
            return (), "everywhere" if c > 0 else "nowhere"
        return (-c / b,), "above" if b > 0 else "below"
    disc = b * b - 4 * a * c
    if disc < 0:
        return (), "everywhere" if a > 0 else "nowhere"
    q = -0.5 * (b + np.copysign(np.sqrt(disc), b))
    roots = sorted([q / a, c / q]) if q != 0 else [0.0, 0.0]
    return tuple(float(r) for r in roots), "outside" if a > 0 else "inside"


def johnson_neyman(result, focal: str, moderator: str, *, alpha: float = 0.05) -> JNResult:
    """Moderator values where the effect of ``focal`` turns (non)significant at ``alpha``.

    Parameters
    ----------
    result
        A fitted model with a ``focal * moderator`` interaction (see :func:`simple_slopes`).
    focal, moderator
        As in :func:`simple_slopes`.
    alpha
        Two-sided significance level.

    Returns
    -------
    JNResult

    Notes
    -----
    Solves ``(b_f + m b_i)^2 = t_crit^2 (V_ff + 2 m V_fi + m^2 V_ii)`` for m, the same bounds
    ``interactions::johnson_neyman`` reports for a model fitted with ``lm``.
    """
    from scipy import stats

    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}", key="alpha",
                         hint="use e.g. 0.05")
    res, centre = as_ols_result(result)
    focal_term, mod_term, inter = interaction_terms(res, focal, moderator)
    b, v = res.coefficients["b"], res.vcov
    tc = float(stats.t.ppf(1 - alpha / 2, res.df_resid))
    qa = b[inter] ** 2 - tc**2 * v.loc[inter, inter]
    qb = 2 * (b[focal_term] * b[inter] - tc**2 * v.loc[focal_term, inter])
    qc = b[focal_term] ** 2 - tc**2 * v.loc[focal_term, focal_term]
    bounds, region = _jn_roots(float(qa), float(qb), float(qc))
    column = res.sm_result.model.exog[:, res.terms.index(mod_term)]
    return JNResult(focal=focal_term, moderator=mod_term, se_type=res.se_type, alpha=alpha,
                    t_crit=tc, bounds=bounds, region=region,
                    observed_range=(float(column.min()), float(column.max())), centre=centre)
