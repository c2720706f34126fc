"""Restricted wild cluster bootstrap against a hand-written WCR in R on shared weight matrices.

Reference: tests/reference/models/few_clusters.R (function ``wcr``: refits ``lm`` on every
y* and takes the CR1 t from ``sandwich::vcovCL``) -> few_clusters.json; the weights are the
committed tests/reference/models/few_clusters_weights_*.csv, so both sides use the same draws.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models import fit_ols
from leftbehind.models.wild_bootstrap import WEBB_VALUES, bootstrap_weights, wild_cluster_bootstrap

from .conftest import REF_DIR

MODELS = {
    "four": ("y ~ x + treated + z", "school"),
    "ornstein": ("interlocks ~ log_assets + bank + mining", "nation"),
    "mortality": ("mrate ~ legal + beertaxa + beerpercap + winepercap + spiritpercap", "state"),
}
CASES = {"four_treated": "four", "four_x_null": "four", "ornstein_webb": "ornstein",
         "mortality_rademacher": "mortality"}


@pytest.fixture(scope="module")
def wild_ref() -> dict:
    return json.loads((REF_DIR / "models" / "few_clusters.json").read_text(encoding="utf-8"))["wild"]


@pytest.fixture(scope="module")
def fits() -> dict:
    out = {}
    for name, (formula, cluster) in MODELS.items():
        data = pd.read_csv(REF_DIR / "data" / f"few_clusters_{name}.csv")
        out[name] = fit_ols(data, formula, se=f"cluster:{cluster}")
    return out


def _weights(name: str) -> np.ndarray:
    return pd.read_csv(REF_DIR / "models" / f"few_clusters_weights_{name}.csv").to_numpy(dtype=float)


def test_reference_covers_every_case(wild_ref):
    assert sorted(wild_ref) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_r_on_shared_weights(wild_ref, fits, case):
    ref = wild_ref[case]
    boot = wild_cluster_bootstrap(fits[CASES[case]], ref["term"], null=ref["null"], draws=_weights(ref["weights"]),
                                  keep_draws=True)
    np.testing.assert_allclose(boot.t, ref["t"], rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(boot.t_star, ref["t_star"], rtol=1e-10, atol=1e-10)
    assert boot.p == pytest.approx(ref["p"], abs=1e-12)
    assert boot.p_lower == pytest.approx(ref["p_lower"], abs=1e-12)
    assert boot.p_upper == pytest.approx(ref["p_upper"], abs=1e-12)
    assert boot.reps == len(ref["t_star"]) and boot.weights == "given" and not boot.enumerated


@pytest.mark.parametrize("case", ["four_treated", "four_x_null"])
def test_full_enumeration_with_four_clusters(wild_ref, fits, case):
    """G = 4: all 16 Rademacher sign vectors, in R's expand.grid order, whatever the seed."""
    ref = wild_ref[case]
    boot = wild_cluster_bootstrap(fits["four"], ref["term"], null=ref["null"], reps=9999, seed=123, keep_draws=True)
    assert boot.enumerated and boot.reps == 16 and boot.seed is None
    np.testing.assert_allclose(boot.t_star, ref["t_star"], rtol=1e-10, atol=1e-10)
    assert boot.p == ref["p"]
    # w and -w give the same |t*|; the identity draw reproduces t: p is a multiple of 2/16 and >= 2/16
    assert boot.p >= 2 / 16 and (boot.p * 16) % 2 == 0


def test_original_t_is_the_fits_cluster_t(fits):
    fit = fits["ornstein"]
    boot = wild_cluster_bootstrap(fit, "bank", reps=99, seed=1)
    assert boot.t == pytest.approx(float(fit.coefficients.loc["bank", "t"]), rel=1e-10)
    assert boot.caution is not None and "4 clusters" in boot.caution
    assert wild_cluster_bootstrap(fits["mortality"], "legal", reps=9, seed=1).caution is None


def test_seeded_draws_are_reproducible(fits):
    one = wild_cluster_bootstrap(fits["mortality"], "legal", reps=499, seed=42, keep_draws=True)
    two = wild_cluster_bootstrap(fits["mortality"], "legal", reps=499, seed=42, keep_draws=True)
    other = wild_cluster_bootstrap(fits["mortality"], "legal", reps=499, seed=43, keep_draws=True)
    assert not one.enumerated and one.reps == 499
    np.testing.assert_array_equal(one.t_star, two.t_star)
    assert not np.array_equal(one.t_star, other.t_star)


def test_weight_distributions():
    rade, full = bootstrap_weights(40, 2000, seed=5)
    assert not full and set(np.unique(rade)) == {-1.0, 1.0}
    webb, full = bootstrap_weights(4, 20000, kind="webb", seed=5)
    assert not full and np.allclose(np.sort(np.unique(webb)), WEBB_VALUES)
    assert abs(webb.mean()) < 0.02 and abs((webb**2).mean() - 1) < 0.02  # mean 0, variance 1
    enum, full = bootstrap_weights(3, 8)
    assert full and enum.shape == (8, 3) and len({tuple(r) for r in enum}) == 8
    assert not bootstrap_weights(3, 7)[1]


def test_null_at_the_estimate_is_not_rejected(fits):
    """Imposing the estimate itself as the null gives t = 0 and p near 1 (draws with equal
    weights in every cluster give t* = 0 up to rounding)."""
    fit = fits["ornstein"]
    estimate = float(fit.coefficients.loc["log_assets", "b"])
    boot = wild_cluster_bootstrap(fit, "log_assets", null=estimate, reps=199, weights="webb", seed=2)
    assert abs(boot.t) < 1e-8 and boot.p > 0.95


def test_errors(fits):
    fit = fits["four"]
    with pytest.raises(InputError, match="unknown term"):
        wild_cluster_bootstrap(fit, "w")
    with pytest.raises(InputError, match="unknown bootstrap weights"):
        wild_cluster_bootstrap(fit, "x", weights="mammen")
    with pytest.raises(InputError, match="one column per cluster"):
        wild_cluster_bootstrap(fit, "x", draws=np.ones((5, 3)))
    with pytest.raises(InputError, match="reps must be positive"):
        wild_cluster_bootstrap(fit, "x", reps=0)


def test_to_dict_and_frame(fits):
    boot = wild_cluster_bootstrap(fits["four"], "treated")
    json.dumps(boot.to_dict())
    frame = boot.to_frame()
    assert list(frame["term"]) == ["treated"] and "t_star" not in frame.columns
