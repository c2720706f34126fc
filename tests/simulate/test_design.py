"""Exact Table 1 margins for any latent structure."""

from __future__ import annotations

import numpy as np
import pytest

from leftbehind.simulate.design import (LatentStructure, assign_by_rank, complete_design,
                                        control_weights,
                                        draw_latents, exact_counts, quantile_values)
from leftbehind.simulate.figures import load_figures


def test_exact_counts_sum_and_closeness():
    rng = np.random.default_rng(0)
    for _ in range(200):
        k, n = rng.integers(2, 7), int(rng.integers(5, 400))
        p = rng.random(k) * 100
        counts = exact_counts(p, n)
        assert counts.sum() == n
        assert np.all(np.abs(counts - p / p.sum() * n) < 1)


def test_exact_counts_known_values():
    # 29 children, printed 41.38 / 51.72 / 6.9 per cent -> 12 / 15 / 2
    assert exact_counts([41.38, 51.72, 6.9], 29).tolist() == [12, 15, 2]


def test_assign_by_rank_orders_categories():
    latent = np.array([5.0, 1.0, 3.0, 2.0, 4.0])
    assert assign_by_rank(latent, np.array([2, 1, 2])).tolist() == [2, 0, 1, 0, 2]


def test_quantile_values_mean_sd():
    v = quantile_values(0.082, 1.025, 368)
    assert v.mean() == pytest.approx(0.082)
    assert v.std(ddof=1) == pytest.approx(1.025)


@pytest.mark.parametrize("loading", [0.0, 0.4, 0.85])
def test_margins_do_not_depend_on_structure(hunchun_figures, loading):
    fig = load_figures(hunchun_figures)
    design = complete_design(fig, draw_latents(fig, np.random.default_rng(1)),
                             LatentStructure(default_loading=loading))
    for g in fig.groups:
        rows = design[design["group"] == g]
        assert len(rows) == fig.n[g]
        for var, cats in fig.categorical.items():
            pct = 100 * rows[var].value_counts().reindex(list(cats), fill_value=0) / len(rows)
            # within one case (printed percentages are rescaled to sum to 100 first)
            assert max(abs(pct[c] - cats[c][g]) for c in cats) <= 100 / len(rows)
        assert abs(rows["age"].mean() - fig.continuous["age"]["mean"][g]) < 0.5 / len(rows) + 1e-9
        assert np.all(rows["age"] == np.round(rows["age"]))


def test_structure_changes_joint_distribution(hunchun_figures):
    fig = load_figures(hunchun_figures)
    base = draw_latents(fig, np.random.default_rng(2))
    weak = complete_design(fig, base, LatentStructure(default_loading=0.0))
    strong = complete_design(fig, base, LatentStructure(default_loading=0.85))
    pair = ["peer_satisfaction__value", "classmate_closeness__value"]
    r_weak = np.corrcoef(weak[pair].to_numpy(float), rowvar=False)[0, 1]
    r_strong = np.corrcoef(strong[pair].to_numpy(float), rowvar=False)[0, 1]
    assert r_strong > r_weak + 0.2
    grade_age = np.corrcoef(strong["grade__value"], strong["age"])[0, 1]
    assert grade_age > 0.7


def test_latent_matrix_is_a_correlation_matrix():
    r = LatentStructure(loadings={"a": 0.95, "b": 0.95, "c": -0.95},
                        pairs={("a", "d"): 0.99, ("b", "d"): -0.99}).matrix(
        ["a", "b", "c", "d"], ("a", "b", "c"))
    assert np.allclose(np.diag(r), 1)
    assert np.linalg.eigvalsh(r).min() > 0


def test_control_loadings_tie_moderators_to_the_controls(hunchun_figures):
    fig = load_figures(hunchun_figures)
    weights = control_weights(fig)
    # each control's |mean| / SD, normalised: age (mean 13, SD about 1) weighs most
    assert sum(w ** 2 for w in weights.values()) == pytest.approx(1.0)
    assert max(weights, key=weights.get) == "age" and weights["gender"] < 0.2
    base = draw_latents(fig, np.random.default_rng(3))
    none = complete_design(fig, base, LatentStructure())
    tied = complete_design(fig, base, LatentStructure(control_loadings={"school_belonging": -0.6}))
    r_none = np.corrcoef(none["school_belonging__value"], none["age"])[0, 1]
    r_tied = np.corrcoef(tied["school_belonging__value"], tied["age"])[0, 1]
    assert r_tied < r_none - 0.2
    # margins untouched
    for g in fig.groups:
        a = none.loc[none["group"] == g, "school_belonging"].value_counts().sort_index()
        b = tied.loc[tied["group"] == g, "school_belonging"].value_counts().sort_index()
        assert a.equals(b)
