"""Items behind the scores: sums kept exactly, alpha met, factor items with group targets."""

from __future__ import annotations

import numpy as np
import pytest

from leftbehind.simulate.items import (calibrated_factor_items, cronbach_alpha,
                                       items_for_alpha, ordinal_items, split_sum)


def test_cronbach_alpha_textbook_value():
    # 4 respondents x 3 items; item variances 1, 1, 1 (ddof 1), total variance 7.0 ->
    # alpha = 3/2 * (1 - 3/7) = 0.857142...
    items = np.array([[1, 1, 2], [2, 2, 2], [3, 3, 4], [2, 2, 4]], dtype=float)
    assert np.allclose(items.var(axis=0, ddof=1), [2 / 3, 2 / 3, 4 / 3])
    total_var = items.sum(axis=1).var(ddof=1)
    expected = 1.5 * (1 - (2 / 3 + 2 / 3 + 4 / 3) / total_var)
    assert cronbach_alpha(items) == pytest.approx(expected)


def test_split_sum_keeps_totals_and_range():
    rng = np.random.default_rng(0)
    totals = rng.integers(6, 31, 2000)
    items = split_sum(totals, 6, low=1, high=5, tau=1.5, rng=rng)
    assert np.array_equal(items.sum(axis=1), totals)
    assert items.min() >= 1 and items.max() <= 5


@pytest.mark.parametrize("alpha", [0.75, 0.9131])
def test_items_for_alpha_hits_target(alpha):
    rng = np.random.default_rng(3)
    totals = np.clip(np.round(6 + rng.gamma(1.2, 4.5, 605)), 6, 30).astype(int)
    items, tau = items_for_alpha(totals, 6, low=1, high=5, alpha=alpha, rng=rng)
    assert abs(cronbach_alpha(items) - alpha) < 0.005
    assert np.array_equal(items.sum(axis=1), totals)
    assert tau > 0


def test_ordinal_items_follow_shares():
    rng = np.random.default_rng(4)
    latent = rng.standard_normal(20000)
    noise = rng.standard_normal((20000, 2))
    shares = np.array([[0.2, 0.3, 0.3, 0.2], [0.1, 0.2, 0.3, 0.4]])
    items = ordinal_items(latent, noise, np.array([0.8, 0.6]), shares)
    for j in range(2):
        got = np.bincount(items[:, j], minlength=5)[1:] / 20000
        assert np.allclose(got, shares[j], atol=0.015)


def test_calibrated_factor_items_meet_group_targets():
    rng = np.random.default_rng(5)
    groups = np.repeat(np.array(["a", "b"]), [300, 60])
    latent = rng.standard_normal(360)
    complete = np.ones(360, bool)
    targets = {"a": (0.1, 1.0), "b": (-0.4, 0.9)}
    items, scores = calibrated_factor_items(
        latent, rng.standard_normal((360, 3)), groups, targets, complete=complete,
        loadings=np.array([0.8, 0.7, 0.75]), shares=np.tile([0.2, 0.3, 0.3, 0.2], (3, 1)))
    for g, (mean, sd) in targets.items():
        assert abs(scores[groups == g].mean() - mean) < 0.1 * sd
    assert items.shape == (360, 3)
