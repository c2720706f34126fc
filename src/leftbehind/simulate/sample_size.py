"""Sample size for a group x moderator interaction: how many cases a group needs (layer L3).

Builds on :mod:`leftbehind.simulate.power`. :func:`effect_from_estimate` turns a published
interaction (b and its SE at the published group sizes) into the standardised effect the power
functions take (residual SDs per moderator SD): the published t equals that effect over its
standard error in the standardised design, so ``effect = t * se_std``. :func:`size_for_power`
then finds the smallest size of the target group whose power reaches the wanted level, using
the exact noncentral-t power of that standardised design (:func:`exact_power`, monotone in the
size, so bisection over whole numbers finds the smallest), and confirms it by Monte Carlo
simulation, which draws a new moderator for every replicate.

Examples
--------
>>> sizes = {"none": 368, "mother": 29, "father": 123, "both": 85}
>>> effect = effect_from_estimate(-3.244, 1.39, sizes, target="mother")
>>> round(effect, 2)          # t = -2.334 times sqrt(1/28 + 1/367)
-0.46
>>> result = size_for_power(sizes, effect, target="mother", power=0.8, n_reps=200)
>>> result.size >= result.size_exact > 29, result.analytic_power >= 0.8
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.simulate.power import PowerResult, make_design, simulate_power


def standardised_se(group_sizes: Mapping[str, int], *, target: str) -> float:
    """SE of the target interaction with unit residual SD and unit moderator SD in every group.

    With a group x moderator interaction every group has its own intercept and slope, so the
    target interaction (target slope minus reference slope) has variance
    ``1 / SS_target + 1 / SS_reference`` where ``SS = n - 1`` for a unit sample variance.
    """
    design = make_design(group_sizes)
    if target not in design.others:
        raise InputError(f"target {target!r} is not a non-reference group", key="target",
                         hint=f"choose one of: {', '.join(design.others)}")
    sizes = dict(zip(design.levels, design.sizes))
    return float(np.sqrt(1 / (sizes[target] - 1) + 1 / (sizes[design.levels[0]] - 1)))


def effect_from_estimate(b: float, se: float, group_sizes: Mapping[str, int], *, target: str) -> float:
    """The standardised interaction effect implied by a published ``b`` and ``se``."""
    if not se or se <= 0:
        raise InputError("the standard error must be positive", key="se")
    return float(b / se) * standardised_se(group_sizes, target=target)


def exact_power(group_sizes: Mapping[str, int], effect: float, *, target: str, alpha: float = 0.05) -> float:
    """Two-sided t-test power of the target interaction when the moderator has unit variance in
    every group: noncentral t with ``df = n - 2 G`` and noncentrality ``effect / standardised_se``."""
    from scipy import stats

    design = make_design(group_sizes)
    df = design.n - len(design.columns)
    ncp = effect / standardised_se(group_sizes, target=target)
    crit = stats.t.ppf(1 - alpha / 2, df)
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))


def _with_size(group_sizes: Mapping[str, int], target: str, size: int) -> dict[str, int]:
    return {k: (int(size) if k == target else int(v)) for k, v in group_sizes.items()}


@dataclass(frozen=True, eq=False)
class SizeForPower(ResultMixin):
    """The smallest target-group size reaching ``power``, with the power there (exact and simulated)."""

    target: str
    effect: float
    power: float
    size: int
    size_exact: int
    current_size: int
    current_power: float
    analytic_power: float
    simulated: PowerResult

    def to_dict(self) -> dict:
        return {"target": self.target, "effect": self.effect, "wanted_power": self.power,
                "current_size": self.current_size, "current_power": self.current_power,
                "size_needed": self.size, "size_needed_exact": self.size_exact,
                "analytic_power": self.analytic_power,
                "simulated_power": self.simulated.power, "simulated_mc_se": self.simulated.mc_se,
                "n_reps": self.simulated.n_reps}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([self.to_dict()])

    def statement(self) -> str:
        """The answer in one sentence."""
        return (f"With {self.current_size} cases in '{self.target}', the power to detect an interaction of "
                f"{self.effect:+.3f} residual SD per moderator SD is {self.current_power:.2f} (exact, unit moderator "
                f"variance). About {self.size} cases give power {self.simulated.power:.2f} ± {self.simulated.mc_se:.2f} "
                f"by simulation ({self.size_exact} by the exact formula).")


def size_for_power(group_sizes: Mapping[str, int], effect: float, *, target: str, power: float = 0.8,
                   alpha: float = 0.05, n_reps: int = 1000, seed: int = 0, max_size: int = 100_000) -> SizeForPower:
    """Smallest size of group ``target`` whose power for ``effect`` reaches ``power``."""
    if not 0 < power < 1:
        raise InputError("power must lie between 0 and 1", key="power", hint="e.g. 0.8")
    if target not in group_sizes:
        raise InputError(f"unknown group {target!r}", key="target", hint=f"groups: {', '.join(group_sizes)}")

    def exact(size: int) -> float:
        return exact_power(_with_size(group_sizes, target, size), effect, target=target, alpha=alpha)

    current = int(group_sizes[target])
    low, high = 3, max(current, 3)
    while exact(high) < power:
        low, high = high, high * 2
        if high > max_size:
            raise InputError(f"no size up to {max_size} gives power {power} for effect {effect}",
                             key="effect", hint="the effect is too small to detect; check its scale")
    while high - low > 1:
        middle = (low + high) // 2
        if exact(middle) >= power:
            high = middle
        else:
            low = middle
    size_exact = high if exact(high) >= power else high + 1

    def simulated_at(size: int) -> PowerResult:
        return simulate_power(_with_size(group_sizes, target, size), effect, target=target, alpha=alpha,
                              n_reps=n_reps, seed=seed)

    size, simulated = size_exact, simulated_at(size_exact)
    while simulated.power < power and size < max_size:  # the simulation also varies the moderator's spread
        size += max(1, round(size * 0.02))
        simulated = simulated_at(size)
    return SizeForPower(target=target, effect=float(effect), power=power, size=size, size_exact=size_exact,
                        current_size=current, current_power=exact(current), analytic_power=exact(size_exact),
                        simulated=simulated)
