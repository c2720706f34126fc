"""Monte Carlo power of a group x moderator interaction (layer L3).

Data are generated from the moderation model the study fits,

    y = b0 + sum_g d_g D_g + b_m M + sum_g c_g D_g M + e,   M ~ N(0, 1),  e ~ N(0, sigma^2),

with fixed group sizes (reference group first). Every replicate is refitted by OLS and the
interaction of the ``target`` group is tested with a two-sided t test (or all interactions
jointly with an F test). The fits are vectorised: a batch of replicates is a stack of design
matrices whose normal equations numpy solves at once, so 1,000 replicates of a 605-case model
take a fraction of a second. ``effect`` is the target interaction coefficient c_target in
residual-SD units per moderator SD.

With ``fixed_design=True`` the moderator is drawn once and kept, so the t statistic follows
a noncentral t distribution exactly and :func:`analytic_power` gives the power to compare with.

Examples
--------
>>> sizes = {"none": 368, "mother": 29, "father": 123, "both": 85}
>>> res = simulate_power(sizes, 0.5, target="mother", n_reps=200, seed=1)
>>> 0.0 <= res.power <= 1.0, res.n_reps
(True, 200)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError

if TYPE_CHECKING:
    from leftbehind.simulate.sample_size import SizeForPower


@dataclass(frozen=True)
class InteractionDesign:
    """Group layout of a simulated study: levels (reference first), sizes and column names."""

    levels: tuple[str, ...]
    sizes: tuple[int, ...]

    @property
    def n(self) -> int:
        return int(sum(self.sizes))

    @property
    def others(self) -> tuple[str, ...]:
        return self.levels[1:]

    @property
    def columns(self) -> tuple[str, ...]:
        """Design columns: const, one dummy per non-reference level, moderator, LEVEL_x."""
        return ("const", *self.others, "moderator", *(f"{g}_x" for g in self.others))

    def group_codes(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.levels)), self.sizes)

    def matrices(self, moderator: np.ndarray) -> np.ndarray:
        """Design matrices (r, n, k) for moderator draws of shape (r, n)."""
        moderator = np.atleast_2d(moderator)
        codes = self.group_codes()
        dummies = (codes[:, None] == np.arange(1, len(self.levels))[None, :]).astype(float)
        r, n = moderator.shape
        ones = np.ones((r, n, 1))
        d = np.broadcast_to(dummies, (r, n, dummies.shape[1]))
        m = moderator[..., None]
        return np.concatenate([ones, d, m, d * m], axis=2)


def make_design(group_sizes: Mapping[str, int]) -> InteractionDesign:
    """Validate group sizes (first key = reference group) into an :class:`InteractionDesign`."""
    if not isinstance(group_sizes, Mapping) or len(group_sizes) < 2:
        raise InputError("group_sizes must map at least two groups to their sizes",
                         key="group_sizes", hint="e.g. {'none': 368, 'mother': 29}; first = reference")
    for level, size in group_sizes.items():
        if int(size) != size or size < 3:
            raise InputError(f"group {level!r} needs an integer size of at least 3, got {size}",
                             key=f"group_sizes.{level}", hint="give every group at least 3 cases")
    design = InteractionDesign(levels=tuple(str(k) for k in group_sizes),
                               sizes=tuple(int(v) for v in group_sizes.values()))
    if design.n <= len(design.columns) + 1:
        raise InputError(f"{design.n} cases are too few for {len(design.columns)} coefficients",
                         key="group_sizes", hint="increase the group sizes")
    return design


def coefficient_vector(design: InteractionDesign, effect: float, *, target: str,
                       main_effects: Mapping[str, float] | None = None,
                       moderator_effect: float = 0.0) -> np.ndarray:
    """True coefficients in ``design.columns`` order (other interactions are zero)."""
    beta = dict.fromkeys(design.columns, 0.0)
    beta["moderator"] = float(moderator_effect)
    for level, value in (main_effects or {}).items():
        if level not in design.others:
            raise InputError(f"main effect for unknown group {level!r}", key="main_effects",
                             hint=f"groups other than the reference: {', '.join(design.others)}")
        beta[level] = float(value)
    beta[f"{target}_x"] = float(effect)
    return np.array([beta[c] for c in design.columns])


def simulate_batches(design: InteractionDesign, beta: np.ndarray, *, n_reps: int, seed: int | None,
                     residual_sd: float = 1.0, fixed_design: bool = False,
                     batch_size: int = 250) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield ``(X, y)`` batches: X (r, n, k) design matrices, y (r, n) outcomes."""
    rng = np.random.default_rng(seed)
    fixed = rng.standard_normal(design.n) if fixed_design else None
    done = 0
    while done < n_reps:
        r = min(batch_size, n_reps - done)
        moderator = np.broadcast_to(fixed, (r, design.n)) if fixed_design else rng.standard_normal((r, design.n))
        x = design.matrices(moderator)
        y = x @ beta + residual_sd * rng.standard_normal((r, design.n))
        yield x, y
        done += r


def batched_tests(x: np.ndarray, y: np.ndarray, columns: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """OLS on every replicate: t statistics of ``columns`` (r, q) and their joint F (r,)."""
    xt = np.swapaxes(x, 1, 2)
    inv = np.linalg.inv(xt @ x)
    b = (inv @ (xt @ y[..., None]))[..., 0]
    resid = y - (x @ b[..., None])[..., 0]
    df = x.shape[1] - x.shape[2]
    s2 = np.einsum("rn,rn->r", resid, resid) / df
    cols = np.asarray(columns)
    sub_inv = inv[:, cols][:, :, cols]
    t = b[:, cols] / np.sqrt(s2[:, None] * np.diagonal(sub_inv, axis1=1, axis2=2))
    bc = b[:, cols]
    f = np.einsum("ri,ri->r", bc, np.linalg.solve(sub_inv, bc[..., None])[..., 0]) / (len(cols) * s2)
    return t, f


@dataclass(frozen=True)
class PowerResult(ResultMixin):
    """Estimated power of one scenario with its Monte Carlo standard error."""

    group_sizes: dict[str, int]
    effect: float
    target: str
    test: str
    alpha: float
    n_reps: int
    rejections: int
    seed: int | None

    @property
    def power(self) -> float:
        return self.rejections / self.n_reps

    @property
    def mc_se(self) -> float:
        return float(np.sqrt(self.power * (1 - self.power) / self.n_reps))

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([self.to_dict()]).drop(columns="group_sizes").assign(
            **{f"n_{k}": v for k, v in self.group_sizes.items()})

    def to_dict(self) -> dict:
        return {"group_sizes": dict(self.group_sizes), "n_total": int(sum(self.group_sizes.values())),
                "effect": self.effect, "target": self.target, "test": self.test,
                "alpha": self.alpha, "n_reps": self.n_reps, "power": self.power,
                "mc_se": self.mc_se, "seed": self.seed}


def _check(alpha: float, n_reps: int, test: str) -> None:
    if not 0 < alpha < 1:
        raise InputError(f"alpha must be between 0 and 1, got {alpha}", key="alpha", hint="use 0.05")
    if int(n_reps) < 1:
        raise InputError(f"n_reps must be positive, got {n_reps}", key="n_reps", hint="use e.g. 1000")
    if test not in ("t", "F"):
        raise InputError(f"test must be 't' or 'F', got {test!r}", key="test",
                         hint="'t' tests the target interaction, 'F' all interactions jointly")


def simulate_power(group_sizes: Mapping[str, int], effect: float, *, target: str | None = None,
                   n_reps: int = 1000, alpha: float = 0.05, test: str = "t",
                   main_effects: Mapping[str, float] | None = None, moderator_effect: float = 0.0,
                   residual_sd: float = 1.0, fixed_design: bool = False, seed: int | None = 0,
                   batch_size: int = 250) -> PowerResult:
    """Estimate the power to detect the ``target`` group's interaction with the moderator.

    Parameters
    ----------
    group_sizes
        Cases per group, reference group first, e.g. ``{"none": 368, "mother": 29, ...}``.
    effect
        The target interaction coefficient (outcome residual SDs per moderator SD).
    target
        The group whose interaction is tested (default: the second group).
    n_reps
        Monte Carlo replicates.
    alpha
        Two-sided significance level.
    test
        ``"t"`` for the target interaction, ``"F"`` for all interactions jointly.
    main_effects, moderator_effect, residual_sd
        The rest of the data-generating model (they do not change the power of the t test
        but make simulated data look like the study).
    fixed_design
        Draw the moderator once (conditional power; see :func:`analytic_power`).
    seed
        Seed of ``numpy.random.default_rng``.
    batch_size
        Replicates fitted per numpy batch.

    Returns
    -------
    PowerResult
    """
    from scipy import stats

    _check(alpha, n_reps, test)
    design = make_design(group_sizes)
    target = design.others[0] if target is None else str(target)
    if target not in design.others:
        raise InputError(f"target {target!r} is not a non-reference group", key="target",
                         hint=f"choose one of: {', '.join(design.others)}")
    beta = coefficient_vector(design, effect, target=target, main_effects=main_effects,
                              moderator_effect=moderator_effect)
    df = design.n - len(design.columns)
    inter = [design.columns.index(f"{g}_x") for g in design.others]
    which = design.others.index(target)
    t_crit = stats.t.ppf(1 - alpha / 2, df)
    f_crit = stats.f.ppf(1 - alpha, len(inter), df)
    rejections = 0
    for x, y in simulate_batches(design, beta, n_reps=int(n_reps), seed=seed,
                                 residual_sd=residual_sd, fixed_design=fixed_design,
                                 batch_size=batch_size):
        t, f = batched_tests(x, y, inter)
        rejections += int((np.abs(t[:, which]) > t_crit).sum() if test == "t" else (f > f_crit).sum())
    return PowerResult(group_sizes=dict(zip(design.levels, design.sizes)), effect=float(effect),
                       target=target, test=test, alpha=alpha, n_reps=int(n_reps),
                       rejections=rejections, seed=seed)


def analytic_power(group_sizes: Mapping[str, int], effect: float, *, target: str | None = None,
                   alpha: float = 0.05, test: str = "t", residual_sd: float = 1.0,
                   seed: int | None = 0) -> float:
    """Exact power for the fixed design ``simulate_power(..., fixed_design=True)`` uses.

    With the moderator drawn once (same ``seed``), the target t statistic is noncentral t with
    ``df = n - k`` and noncentrality ``effect / (sigma sqrt([(X'X)^-1]_jj))``; the joint F of
    all interactions is noncentral F with ``(q, n - k)`` df and noncentrality
    ``c' [(X'X)^-1]_II^-1 c / sigma^2`` (c = true interaction coefficients).

    Examples
    --------
    >>> round(analytic_power({"none": 200, "away": 200}, 0.0), 3)
    0.05
    """
    from scipy import stats

    _check(alpha, 1, test)
    design = make_design(group_sizes)
    target = design.others[0] if target is None else str(target)
    beta = coefficient_vector(design, effect, target=target)
    rng = np.random.default_rng(seed)
    x = design.matrices(rng.standard_normal(design.n))[0]
    inv = np.linalg.inv(x.T @ x)
    df = design.n - len(design.columns)
    if test == "F":
        cols = [design.columns.index(f"{g}_x") for g in design.others]
        c = beta[cols]
        ncp = float(c @ np.linalg.solve(inv[np.ix_(cols, cols)], c)) / residual_sd**2
        crit = stats.f.ppf(1 - alpha, len(cols), df)
        return float(stats.ncf.sf(crit, len(cols), df, ncp)) if ncp > 0 else alpha
    j = design.columns.index(f"{target}_x")
    ncp = effect / (residual_sd * np.sqrt(inv[j, j]))
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


@dataclass(frozen=True, eq=False)
class PowerCurveResult(ResultMixin):
    """Power over scenarios (group-size sets) and effect sizes; ``table`` has one row each."""

    table: pd.DataFrame
    target: str
    test: str
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict:
        rows = self.table.to_dict("records")
        clean = [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in rows]
        return {"target": self.target, "test": self.test, "alpha": self.alpha, "points": clean}


def power_curve(group_sizes: Mapping[str, int] | Sequence[Mapping[str, int]], effects: Sequence[float], *,
                target: str | None = None, n_reps: int = 1000, alpha: float = 0.05, test: str = "t",
                residual_sd: float = 1.0, seed: int | None = 0,
                scenario_names: Sequence[str] | None = None) -> PowerCurveResult:
    """Simulated power for every combination of group-size scenario and effect size.

    Parameters
    ----------
    group_sizes
        One mapping of group sizes, or a list of them (scenarios); reference group first.
    effects
        Interaction effect sizes to try.
    target, n_reps, alpha, test, residual_sd, seed
        As in :func:`simulate_power`; every point uses the same seed (common random numbers).
    scenario_names
        Labels of the scenarios (default ``"n=605"`` style).

    Returns
    -------
    PowerCurveResult
        ``table`` columns: scenario, n_total, n_<group>..., effect, power, mc_se.

    Examples
    --------
    >>> curve = power_curve({"none": 100, "away": 40}, [0.0, 0.5], n_reps=100)
    >>> curve.to_frame()[["effect", "power"]].shape
    (2, 2)
    """
    scenarios = [group_sizes] if isinstance(group_sizes, Mapping) else list(group_sizes)
    if not scenarios or len(effects) == 0:
        raise InputError("power_curve needs at least one scenario and one effect size",
                         key="effects", hint="e.g. effects=[0.2, 0.4, 0.6]")
    if scenario_names is not None and len(scenario_names) != len(scenarios):
        raise InputError("scenario_names must name every scenario", key="scenario_names",
                         hint=f"give {len(scenarios)} names")
    rows = []
    chosen = target
    for i, sizes in enumerate(scenarios):
        name = scenario_names[i] if scenario_names else f"n={sum(sizes.values())}"
        for effect in effects:
            res = simulate_power(sizes, effect, target=target, n_reps=n_reps, alpha=alpha, test=test,
                                 residual_sd=residual_sd, seed=seed)
            chosen = res.target
            rows.append({"scenario": name, "n_total": sum(res.group_sizes.values()),
                         **{f"n_{k}": v for k, v in res.group_sizes.items()},
                         "effect": res.effect, "power": res.power, "mc_se": res.mc_se})
    return PowerCurveResult(table=pd.DataFrame(rows), target=str(chosen), test=test, alpha=alpha)


GRID_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5)
"""Multiples of the effect that :func:`effect_grid` tries."""


def effect_grid(effect: float, *, factors: Sequence[float] = GRID_FACTORS) -> tuple[float, ...]:
    """Effect sizes around ``effect`` for a power curve: ``|effect|`` times each factor, to 3 decimals.

    Examples
    --------
    >>> effect_grid(-0.46)
    (0.115, 0.23, 0.345, 0.46, 0.575, 0.69)

    R: ``round(abs(effect) * c(0.25, 0.5, 0.75, 1, 1.25, 1.5), 3)``; Stata: ``numlist``.
    """
    return tuple(round(abs(float(effect)) * f, 3) for f in factors)


def published_effect(figures: Mapping[str, Any], term: str, group_sizes: Mapping[str, int], *,
                     target: str, file: str | None = None) -> tuple[float, str]:
    """The standardised effect of a published interaction ``"TABLE.MODEL.TERM"`` of ``figures``
    (a published-figures mapping, docs/published-figures.md), and where it came from in words;
    ``file`` names the figures file in errors.

    Examples
    --------
    >>> figures = {"table4": {"m1": {"mother_x": {"b": -3.0, "se": 1.5}}}}
    >>> effect, source = published_effect(figures, "table4.m1.mother_x", {"none": 300, "mother": 30},
    ...                                   target="mother")
    >>> round(effect, 3), source
    (-0.389, 'b = -3.0, SE = 1.5')

    R/Stata: ``t <- b / se; effect <- t * sqrt(1 / (n_target - 1) + 1 / (n_reference - 1))``.
    """
    from leftbehind.simulate.sample_size import effect_from_estimate

    node: Any = figures
    for key in term.split("."):
        if not isinstance(node, Mapping) or key not in node:
            raise InputError(f"no entry '{term}' in the figures", file=file, key=term,
                             hint="give TABLE.MODEL.TERM, e.g. table4_interactions.school_belonging.mother_x")
        node = node[key]
    if not isinstance(node, Mapping) or not {"b", "se"} <= set(node):
        raise InputError(f"'{term}' has no b and se", file=file, key=term, hint="the entry needs both 'b' and 'se'")
    effect = effect_from_estimate(node["b"], node["se"], group_sizes, target=target)
    return effect, f"b = {node['b']}, SE = {node['se']}"


@dataclass(frozen=True, eq=False)
class InteractionPower(ResultMixin):
    """The power of a group x moderator interaction at the given sizes, the size a wanted power
    needs, and the power curve over effect sizes at both sizes."""

    effect: float
    needed: SizeForPower
    curve: PowerCurveResult

    def to_dict(self) -> dict:
        return {"effect": self.effect, **self.needed.to_dict(), "curve": self.curve.to_dict()}

    def to_frame(self) -> pd.DataFrame:
        return self.curve.to_frame()

    def statement(self) -> str:
        """The answer in one sentence (:meth:`SizeForPower.statement`)."""
        return self.needed.statement()


def interaction_power(group_sizes: Mapping[str, int], effect: float, *, target: str, power: float = 0.8,
                      effects: Sequence[float] | None = None, n_reps: int = 1000, seed: int = 0) -> InteractionPower:
    """Power of the ``target`` x moderator interaction, the ``target`` size that reaches ``power``,
    and the power curve over ``effects`` for two scenarios: the sizes as given and with the
    target group at the size needed (what ``leftbehind power`` prints).

    Parameters
    ----------
    group_sizes
        Group sizes, reference group first.
    effect
        The interaction in residual SDs per moderator SD (e.g. from :func:`published_effect`).
    target
        The group whose interaction is tested.
    power
        The power wanted.
    effects
        Effect sizes of the curve (default :func:`effect_grid` of ``effect``).
    n_reps, seed
        Monte Carlo replicates per point and the seed (common random numbers).

    Examples
    --------
    >>> res = interaction_power({"none": 300, "mother": 30}, -0.4, target="mother", n_reps=100)
    >>> res.needed.size > 30, sorted(set(res.to_frame()["scenario"]))[0]
    (True, 'mother = 30')

    R: ``pwr::pwr.t.test``-style search with a noncentral t (``pt(q, df, ncp)``) plus a
    simulation loop over ``lm()``; Stata: ``power`` with a user simulation (``simulate``).
    """
    from leftbehind.simulate.sample_size import size_for_power

    needed = size_for_power(group_sizes, effect, target=target, power=power, n_reps=n_reps, seed=seed)
    grid = list(effects) if effects else list(effect_grid(effect))
    scenarios = [dict(group_sizes), {**group_sizes, target: needed.size}]
    names = [f"{target} = {group_sizes[target]}", f"{target} = {needed.size}"]
    curve = power_curve(scenarios, grid, target=target, n_reps=n_reps, seed=seed, scenario_names=names)
    return InteractionPower(float(effect), needed, curve)
