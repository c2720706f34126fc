"""Assemble the calibrated analysis variables of every valid case.

The complete cases are built by :mod:`leftbehind.simulate.design` (covariates),
:mod:`leftbehind.simulate.items` (factor-score items) and
:mod:`leftbehind.simulate.calibrate` (outcome). The moderators' loadings on a control
composite are set so the printed intercepts are met (:func:`control_gaps`), their
shared-factor loadings are tuned so the worst printed coefficient is missed by as little as
possible, and the whole-number outcome is polished until coefficients and stars sit inside
their intervals.
The valid but incomplete cases get covariates from the same copula (group sizes in
proportion to the complete cases) and an outcome from the same structural model with
fresh noise; they are not calibrated (nothing printed describes them), but they do enter the
factor analysis of the factor-score items, exactly as a real analysis would use them.

Examples
--------
>>> item_shares(4).round(2).tolist()
[0.2, 0.3, 0.3, 0.2]
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from leftbehind.simulate import calibrate as cal
from leftbehind.simulate.design import (LatentStructure, complete_design, draw_latents,
                                        exact_counts, quantile_values)
from leftbehind.simulate.figures import Figures
from leftbehind.simulate.items import (calibrated_factor_items, items_for_alpha, ordinal_items,
                                       split_sum)

__all__ = ["ValidCases", "item_shares", "build_valid_cases", "control_gaps"]

#: Loadings of the items of a factor-score variable (cycled if there are more items).
FACTOR_ITEM_LOADINGS = (0.8, 0.68, 0.74)
#: The R² tolerance the structure search weighs against the half-width of a coefficient's interval.
R2_TOLERANCE = 0.02
#: A draw is accepted when its quality (worst miss in units of the tolerances, plus star
#: mismatches) is at most this.
ACCEPT = 0.95
#: Terms with other stars than printed that an accepted draw may have (never a ``must_match``
#: term: each of those counts ten).
STAR_SLACK = 1
#: How far inside the outcome's range every structural value must stay (scale points).
RANGE_MARGIN = 0.5


@dataclass(frozen=True)
class ValidCases:
    """Analysis-level content of every valid case (complete ones first).

    ``frame`` holds ``group``, the Table 1 variables (categories as keys), the outcome and
    its items (``<outcome>_item1``...), each factor-score variable and its items
    (``<var>_item1``...), and ``complete`` (bool). ``factor_ok`` marks cases whose
    factor-score items are all answered (the others are blanked later).
    """

    frame: pd.DataFrame
    calibration: cal.Calibration
    structure: LatentStructure
    quality: float


def item_shares(points: int) -> np.ndarray:
    """Answer shares of an ordinal item: a gentle hump over ``points`` answers."""
    w = np.minimum(np.arange(1, points + 1), np.arange(points, 0, -1)) + 1.0
    return w / w.sum()


def _factor_spec(fig: Figures, var: str) -> tuple[int, int]:
    spec = fig.factor_scores[var]
    match = re.search(r"(\d+)-point", str(spec.get("response", "")))
    return int(spec["items"]), int(match.group(1)) if match else 4


def _factor_slots(fig, extra, noise_rng, factor_ok):
    """Items and scores of each factor-score variable, built once.

    The complete cases of a group hold the group's normal-score latents (one per rank
    slot, as :func:`complete_design` hands them out); the incomplete cases with every item
    answered join the factor analysis. Returns, per variable, the complete cases' scores and
    items sorted by score within each group (slot order), and the incomplete cases' items
    and scores (NaN where an item is blank).
    """
    slots, extra_items, extra = {}, {}, extra.copy()
    for var in fig.factor_scores:
        k, points = _factor_spec(fig, var)
        groups = np.repeat(np.array(fig.groups), [fig.n[g] for g in fig.groups])
        latent = np.concatenate([quantile_values(fig.continuous[var]["mean"][g],
                                                 fig.continuous[var]["sd"][g], fig.n[g])
                                 for g in fig.groups])
        all_latent = np.r_[latent, extra[var].to_numpy()]
        all_groups = np.r_[groups, extra["group"].to_numpy()]
        noise = noise_rng.standard_normal((len(all_latent), k))
        use = np.r_[np.ones(len(latent), bool), factor_ok]
        complete = np.r_[np.ones(len(latent), bool), np.zeros(len(extra), bool)][use]
        targets = {g: (fig.continuous[var]["mean"][g], fig.continuous[var]["sd"][g])
                   for g in fig.groups}
        items, scores = calibrated_factor_items(
            all_latent[use], noise[use], all_groups[use], targets, complete=complete,
            loadings=np.resize(np.array(FACTOR_ITEM_LOADINGS), k),
            shares=np.tile(item_shares(points), (k, 1)))
        slots[var] = {}
        for g in fig.groups:
            idx = np.flatnonzero(complete & (all_groups[use] == g))
            order = idx[np.argsort(scores[idx], kind="stable")]
            slots[var][g] = (scores[order], items[order])
        n_c = len(latent)
        # cases with a blank item stay out of the factor analysis but answer the other items
        e_items = ordinal_items(all_latent[n_c:], noise[n_c:],
                                np.resize(np.array(FACTOR_ITEM_LOADINGS), k),
                                np.tile(item_shares(points), (k, 1)))
        e_items[factor_ok] = items[n_c:]
        e_scores = np.full(len(extra), np.nan)
        e_scores[factor_ok] = scores[n_c:]
        extra[var] = e_scores
        extra_items[var] = e_items
    return slots, extra, extra_items


def _evaluate(fig, base, slots, structure, centred=None):
    fixed = {var: {g: v[0] for g, v in by_group.items()} for var, by_group in slots.items()}
    design = complete_design(fig, base, structure, fixed=fixed)
    values = cal.model_values(fig, design)
    groups = design["group"].to_numpy()
    beta, cols, centred, worst = cal.solve_structural(fig, groups, values, centred=centred)
    _, r2 = cal.fit_noise(fig, groups, values, beta, centred)
    r2_miss = max([abs(r2[m.name] - m.r2) for m in fig.models if m.name in r2], default=0.0)
    # misses in units of their tolerance: the interval of each coefficient, and 0.02 of R²
    # the structural part must fit inside the outcome's range, or no noise can keep it there
    low, high = _outcome_range(fig)
    mu = cal.union_design(fig, groups, values)[0] @ beta
    outside = max(low + RANGE_MARGIN - mu.min(), mu.max() - high + RANGE_MARGIN, 0.0)
    score = max(worst, r2_miss / R2_TOLERANCE, outside)
    return score, (design, values, beta, cols, centred, worst)


def _outcome_range(fig):
    k = int(fig.scale.get("items", 6))
    low, high = fig.scale.get("response_range") or [1, 5]
    return k * low, k * high


def control_gaps(fig: Figures) -> dict[str, float]:
    """For each moderator, the printed value of ``sum_c gamma_c mean_c``: the regression of
    the moderator on the groups and controls, evaluated at the controls' means (intercept
    left out), that the printed intercepts imply.

    Adding a moderator ``M`` to the baseline model (groups and controls, a printed Table 2
    model) changes each control's coefficient by ``-b_M gamma_c`` and each group's by
    ``-b_M gamma_g`` (omitted-variable algebra of OLS, exact), so with ``M`` centred
    ``const_M - const_0 + sum_g (b_g^M - b_g^0) p_g = b_M sum_c gamma_c mean_c``, where
    ``p_g`` is the group's share. Moderators without a printed main-effect model get 0.
    """
    base = next((m for m in fig.models if m.moderator is None and m.controls
                 and "const" in m.terms), None)
    out = {}
    share = {g: fig.n[g] / fig.n_total for g in fig.groups}
    for model in fig.models:
        if (base is None or model.moderator is None or model.interaction or not model.centred
                or "const" not in model.terms or "moderator" not in model.terms
                or model.moderator in out):
            continue
        gap = model.terms["const"].b - base.terms["const"].b
        gap += sum((model.terms[g].b - base.terms[g].b) * share[g] for g in fig.comparison_groups)
        out[model.moderator] = gap / model.terms["moderator"].b
    return out


def _achieved_gaps(fig, design):
    """``sum_c gamma_c mean_c`` of each moderator in a design (see :func:`control_gaps`)."""
    values = cal.model_values(fig, design)
    groups = design["group"].to_numpy()
    X = np.column_stack([np.ones(len(groups))] + [(groups == g).astype(float)
                                                  for g in fig.comparison_groups]
                        + [values[c].to_numpy() for c in fig.controls])
    means = X.mean(axis=0)
    k = 1 + len(fig.comparison_groups)
    out = {}
    for m in fig.moderators:
        gamma = np.linalg.lstsq(X, values[m].to_numpy(), rcond=None)[0]
        out[m] = float(gamma[k:] @ means[k:])
    return out


def _control_loadings(fig, base, slots, loadings, *, steps=4):
    """Moderators' loadings on the control composite that give the printed
    :func:`control_gaps`: secant steps from 0, all moderators at once."""
    target = control_gaps(fig)
    mods = [m for m in fig.moderators if m in target]
    if not mods or not fig.controls:
        return {}
    fixed = {var: {g: v[0] for g, v in by_group.items()} for var, by_group in slots.items()}

    def gaps(rho):
        s = LatentStructure(loadings=loadings, control_loadings=rho)
        return _achieved_gaps(fig, complete_design(fig, base, s, fixed=fixed))
    rho0 = {m: 0.0 for m in mods}
    g0 = gaps(rho0)
    rho1 = {m: 0.3 * np.sign(target[m] - g0[m]) for m in mods}
    for _ in range(steps):
        g1 = gaps(rho1)
        new = {}
        for m in mods:
            slope = (g1[m] - g0[m]) / (rho1[m] - rho0[m]) if rho1[m] != rho0[m] else 0.0
            step = (target[m] - g1[m]) / slope if abs(slope) > 1e-9 else 0.0
            new[m] = float(np.clip(rho1[m] + step, -0.8, 0.8))
        rho0, g0, rho1 = rho1, g1, new
    return {m: round(v, 4) for m, v in rho1.items()}


def _tune(fig, base, slots, *, rng, n_random, n_local):
    """Random search, then local perturbation, over the moderators' loadings on the support
    factor; their loadings on the control composite follow from :func:`control_gaps`."""
    mods = list(fig.moderators)
    best_s = LatentStructure()
    rho = _control_loadings(fig, base, slots, {})
    best_s = LatentStructure(control_loadings=rho)
    best_w, best_state = _evaluate(fig, base, slots, best_s)
    centred = best_state[4]
    candidates = [rng.uniform(0.1, 0.8, len(mods)) for _ in range(n_random)]
    for i in range(n_random + n_local):
        if i < n_random:
            lam = candidates[i]
        else:
            current = np.array([best_s.loadings.get(m, best_s.default_loading) for m in mods])
            lam = np.clip(current + rng.normal(0, 0.07, len(mods)), 0.0, 0.9)
        s = LatentStructure(loadings=dict(zip(mods, lam.round(4).tolist())), control_loadings=rho)
        w, state = _evaluate(fig, base, slots, s, centred)
        if w < best_w:
            best_w, best_state, best_s = w, state, s
    return best_w, best_state, best_s


def build_valid_cases(fig: Figures, *, n_incomplete: int, factor_ok: np.ndarray,
                      seed_seq: np.random.SeedSequence, n_random: int = 40,
                      n_local: int = 40, accept: float = ACCEPT,
                      max_attempts: int = 4, must_match: tuple[str, ...] = (),
                      star_slack: int = STAR_SLACK) -> ValidCases:
    """Build the complete cases (calibrated) and ``n_incomplete`` further valid cases.

    A draw is accepted when its measured quality — the worst miss in units of the
    tolerances (coefficients in half SEs, R² in units of 0.02, outcome means in tenths of an
    SD), plus one per printed term whose stars come out differently (ten for a term of
    ``must_match``) — is at most ``accept + star_slack``; otherwise the design is drawn again
    from the next child of ``seed_seq`` (deterministically), keeping the best.

    Parameters
    ----------
    fig
        Published figures.
    n_incomplete
        Number of valid cases that will be incomplete.
    factor_ok
        For each incomplete case, whether its factor-score items are all answered.
    seed_seq
        Seed sequence; independent streams are spawned from it.
    n_random, n_local
        Budget of the structure search (random candidates, then local perturbations).
    accept, max_attempts, star_slack
        Acceptance level of a draw, the number of draws tried and how many terms (none of
        ``must_match``) may have other stars than printed in an accepted draw.
    must_match
        Printed terms (``<table>.<moderator>.<term>``) whose stars must come out as printed.
    """
    best = None
    for child in seed_seq.spawn(max_attempts):
        cases = _attempt(fig, n_incomplete=n_incomplete, factor_ok=factor_ok, seed_seq=child,
                         n_random=n_random, n_local=n_local, must_match=tuple(must_match))
        if best is None or cases.quality < best.quality:
            best = cases
        if best.quality <= accept + star_slack:
            break
    return best


def _attempt(fig, *, n_incomplete, factor_ok, seed_seq, n_random, n_local, must_match):
    s_base, s_extra, s_factor, s_noise, s_items, s_extra_y, s_tune = [
        np.random.default_rng(s) for s in seed_seq.spawn(7)]
    base = draw_latents(fig, s_base)
    n_extra = exact_counts([fig.n[g] for g in fig.groups], n_incomplete)
    extra_fig = dataclasses.replace(fig, n=dict(zip(fig.groups, n_extra.tolist())))
    extra = complete_design(extra_fig, draw_latents(extra_fig, s_extra), LatentStructure())
    slots, extra, extra_items = _factor_slots(fig, extra, s_factor, factor_ok)
    _, state, structure = _tune(fig, base, slots, rng=s_tune, n_random=n_random, n_local=n_local)
    design, values, beta, cols, centred, worst = state
    factor_items = {}
    for var in fig.factor_scores:
        per_group = [slots[var][g][1][design.loc[design["group"] == g, var + "__slot"].to_numpy()]
                     for g in fig.groups]
        factor_items[var] = np.vstack(per_group + [extra_items[var]])
    groups = design["group"].to_numpy()
    energy, r2 = cal.fit_noise(fig, groups, values, beta, centred)
    beta, energy, worst, unreachable = cal.refine_with_r2(fig, groups, values, beta, centred,
                                                          energy, r2_tolerance=R2_TOLERANCE)
    U, _ = cal.union_design(fig, groups, values)
    k = int(fig.scale.get("items", 6))
    low, high = (fig.scale.get("response_range") or [1, 5])
    sd = fig.continuous[fig.outcome]["sd"]
    mu = U @ beta
    # noise spread per group: what the group's printed SD leaves after the structural part
    spread = {g: np.sqrt(max(sd[g] ** 2 - mu[groups == g].var(), 0.25 * sd[g] ** 2))
              for g in fig.groups}
    scale = np.array([spread[g] for g in groups])
    y = cal.integer_outcome(U, beta, energy, rng=s_noise, scale=scale, low=k * low, high=k * high)
    y = cal.polish_outcome(fig, groups, values, y, centred, low=k * low, high=k * high,
                           must_match=must_match)
    # incomplete cases: same structural model, fresh noise of the same size per case
    ev = cal.model_values(fig, extra.assign(**{v: np.nan_to_num(extra[v]) for v in fig.factor_scores}))
    Ue, _ = cal.union_design(fig, extra["group"].to_numpy(), ev)
    resid_sd = np.sqrt(energy / len(y))
    ye = np.clip(np.round(Ue @ beta + resid_sd * (s_extra_y.gamma(2.0, 1.0, len(Ue)) - 2.0)
                          / np.sqrt(2.0)), k * low, k * high)
    frame = pd.concat([design, extra], ignore_index=True)
    frame[fig.outcome] = np.r_[y, ye].astype(int)
    frame["complete"] = np.r_[np.ones(len(design), bool), np.zeros(len(extra), bool)]
    alpha = float(fig.scale.get("cronbach_alpha", 0.85))
    dep_items, tau = items_for_alpha(y.astype(int), k, low=low, high=high, alpha=alpha, rng=s_items)
    dep_items = np.vstack([dep_items, split_sum(ye.astype(int), k, low=low, high=high, tau=tau,
                                                rng=s_items)])
    for j in range(k):
        frame[f"{fig.outcome}_item{j + 1}"] = dep_items[:, j]
    for var, items in factor_items.items():
        for j in range(items.shape[1]):
            frame[f"{var}_item{j + 1}"] = items[:, j]
    misses, r2_misses = cal.coefficient_misses(fig, groups, values, y.astype(float), centred)
    stars_off = cal.star_misses(fig, groups, values, y.astype(float), centred)
    calib = cal.Calibration(columns=tuple(cols), beta=beta, residual_ss=float(energy),
                            centred=centred, max_miss_se=float(worst), r2_misses=r2_misses,
                            misses=misses, star_misses=stars_off, unreachable_stars=unreachable)
    out = frame[frame["complete"]]
    mean_miss = max(abs(out.loc[out["group"] == g, fig.outcome].mean() - sd_mean) / (0.1 * sd[g])
                    for g, sd_mean in fig.continuous[fig.outcome]["mean"].items())
    # in units of the tolerances (1 = at a tolerance), plus one per term with other stars
    # than printed, not counting those no coefficient within the tolerance can earn, and ten
    # more for a term of ``must_match``
    quality = max(max(map(abs, misses.values())) / cal.TOLERANCE_SE,
                  max(map(abs, r2_misses.values()), default=0.0) / R2_TOLERANCE, mean_miss)
    quality += len(set(stars_off) - set(unreachable)) + 10 * len(set(stars_off) & set(must_match))
    return ValidCases(frame=frame, calibration=calib, structure=structure, quality=float(quality))
