"""The vectorised bootstrap equals a loop of statsmodels fits on the same resamples."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models.bootstrap import batched_wls, bootstrap_ols, draw_counts, resample_indices
from leftbehind.models.ols import fit_ols

FORMULA = "depression ~ C(group, Treatment('none')) * belonging + girl + age + grade"


@pytest.fixture(scope="module")
def model(datasets):
    return fit_ols(datasets["hunchun"], FORMULA)


def test_matches_r_on_r_resamples(ref, datasets, close):
    spec = ref["bootstrap"]
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "reference" / "data" / "models_iris_boot_indices.csv"
    indices = pd.read_csv(path).to_numpy() - 1
    res = fit_ols(datasets["iris"], spec["formula"])
    boot = bootstrap_ols(res, indices=indices, batch_size=64)
    assert boot.n_boot == spec["n_boot"] and boot.n_failed == 0
    for r, row in enumerate(spec["first_draws"]):
        for term, value in row.items():
            close(boot.draws.loc[r, term], value, what=f"draw {r} {term}")
    frame = boot.to_frame()
    for term in res.terms:
        close(frame.loc[term, "boot_se"], spec["se"][term], what=f"se {term}")
        close(frame.loc[term, "ci_low"], spec["ci_low"][term], what=f"ci_low {term}")
        close(frame.loc[term, "ci_high"], spec["ci_high"][term], what=f"ci_high {term}")


def test_case_resampling_equals_statsmodels_loop(datasets, model):
    import statsmodels.formula.api as smf

    boot = bootstrap_ols(model, n_boot=120, seed=11, batch_size=50)
    sample = datasets["hunchun"].loc[model.sample_index]
    draws = np.vstack(list(resample_indices(model.n, n_boot=120, seed=11, batch_size=50)))
    assert boot.n_failed == 0
    for i in range(0, 120, 7):
        fit = smf.ols(FORMULA, data=sample.iloc[draws[i]]).fit()
        np.testing.assert_allclose(boot.draws.iloc[i].to_numpy(), fit.params[model.terms].to_numpy(),
                                   rtol=1e-9, atol=1e-10)


def test_cluster_resampling_equals_statsmodels_loop(datasets, model):
    import statsmodels.formula.api as smf

    boot = bootstrap_ols(model, n_boot=40, seed=3, cluster="school")
    sample = datasets["hunchun"].loc[model.sample_index]
    codes, uniques = pd.factorize(sample["school"])
    draws = np.vstack(list(resample_indices(len(uniques), n_boot=40, seed=3)))
    for i in range(0, 40, 5):
        rows = np.concatenate([np.flatnonzero(codes == g) for g in draws[i]])
        fit = smf.ols(FORMULA, data=sample.iloc[rows]).fit()
        np.testing.assert_allclose(boot.draws.iloc[i].to_numpy(), fit.params[model.terms].to_numpy(),
                                   rtol=1e-9, atol=1e-10)
    assert boot.resample == "cluster:school"


def test_percentile_intervals_and_reproducibility(model):
    a = bootstrap_ols(model, n_boot=300, seed=7)
    b = bootstrap_ols(model, n_boot=300, seed=7)
    pd.testing.assert_frame_equal(a.draws, b.draws)
    frame = a.to_frame()
    for term in model.terms:
        col = a.draws[term].to_numpy()
        assert frame.loc[term, "ci_low"] == pytest.approx(np.quantile(col, 0.025))
        assert frame.loc[term, "ci_high"] == pytest.approx(np.quantile(col, 0.975))
        assert frame.loc[term, "boot_se"] == pytest.approx(np.std(col, ddof=1))
    out = json.loads(json.dumps(a.to_dict(), allow_nan=False))
    assert out["n_boot"] == 300 and set(out["coefficients"]) == set(model.terms)
    assert not np.array_equal(bootstrap_ols(model, n_boot=300, seed=8).draws, a.draws)


def test_singular_resamples_are_counted_not_used():
    df = pd.DataFrame({"y": np.arange(12, dtype=float) % 5, "x": np.arange(12, dtype=float),
                       "g": ["rare"] + ["common"] * 11})
    res = fit_ols(df, "y ~ x + g")
    boot = bootstrap_ols(res, n_boot=200, seed=1)
    assert 0 < boot.n_failed < 200
    assert boot.draws.isna().any(axis=1).sum() == boot.n_failed
    assert np.isfinite(boot.to_frame().to_numpy()).all()


def test_batched_wls_without_intercept_and_counts():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2)) + 5
    y = x @ np.array([1.5, -0.5]) + rng.normal(size=30)
    idx = rng.integers(0, 30, size=(3, 30))
    counts = draw_counts(idx, 30)
    assert counts.sum(axis=1).tolist() == [30, 30, 30]
    coef = batched_wls(x, y, counts)
    for i in range(3):
        expected = np.linalg.lstsq(x[idx[i]], y[idx[i]], rcond=None)[0]
        np.testing.assert_allclose(coef[i], expected, rtol=1e-10)


def test_errors(model):
    with pytest.raises(InputError):
        bootstrap_ols(model, n_boot=1)
    with pytest.raises(InputError):
        bootstrap_ols(model, level=95)
    with pytest.raises(InputError):
        bootstrap_ols("model")
    with pytest.raises(InputError, match="indices"):
        bootstrap_ols(model, indices=np.zeros((3, 5), dtype=int))
    with pytest.raises(InputError, match="indices"):
        bootstrap_ols(model, indices=np.full((3, model.n), model.n))
    with pytest.raises(InputError) as err:
        bootstrap_ols(model, cluster="schol")
    assert "'school'" in err.value.hint


def test_batched_wls_property():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=40, deadline=None)
    @given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=8, max_value=40),
           st.floats(min_value=-1e3, max_value=1e3), st.floats(min_value=1e-2, max_value=1e2))
    def check(seed, n, shift, spread):
        rng = np.random.default_rng(seed)
        x = np.column_stack([np.ones(n), shift + spread * rng.normal(size=(n, 2))])
        y = rng.normal(size=n)
        counts = draw_counts(rng.integers(0, n, size=(4, n)), n)
        coef = batched_wls(x, y, counts)
        for i in range(4):
            w = np.sqrt(counts[i])
            if np.linalg.matrix_rank(x[counts[i] > 0]) < 3:
                continue
            expected = np.linalg.lstsq(x * w[:, None], y * w, rcond=None)[0]
            np.testing.assert_allclose(coef[i], expected, rtol=1e-7, atol=1e-9 * (1 + abs(shift)))

    check()
