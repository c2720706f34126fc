"""Chained-equations imputation: deterministic properties, and agreement with R mice in distribution.

R's reference (tests/reference/mice/mice.R, impute.json) ran ``mice(data, m = 50, maxit = 10)``
with six seeds on mice::nhanes2 (pmm, logreg) and a mice::boys subset with extra missing
values (pmm, polyreg) and pooled a regression. The random streams differ, so we compare in
distribution, not draw by draw.

Tolerance. Each pooled estimate qbar is a mean over m independent imputations, so its Monte
Carlo standard error is sqrt(B / m) (B the between-imputation variance). R's mean over its
6 x 50 imputations and ours over 50 are independent, so their difference has standard error
sqrt(B_R / 300 + B_py / 50). We require |difference| <= 4 such standard errors for every
coefficient and two of our seeds: for 26 comparisons a correct implementation fails with
probability < 0.2% (|z| > 4 has probability 6e-5). Imputing without the predictors (tried as a
mutation) fails by far (|z| up to 31); leaving out the Bayesian parameter draw only lowers B
by about 40% at these sample sizes, which this test cannot tell from Monte Carlo noise. The between-imputation variances
are compared as a ratio: B_py / B_R is roughly F(49, 299) for normal estimates; we allow
[1/3, 3], wide because B of a regression on PMM-imputed data is heavy tailed (R's own six
seeds range 2.1-5.1 for the boys intercept).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, DataError, InputError
from leftbehind.models.impute import missingness_table, mice
from leftbehind.models.ols import fit_ols
from leftbehind.models.pool import pool_fits

from .conftest import REF_DIR
from .test_pool import LEVELS, py_terms

IMPUTE_REF = json.loads((REF_DIR / "mice" / "impute.json").read_text(encoding="utf-8"))


def incomplete(name: str) -> pd.DataFrame:
    data = pd.read_csv(REF_DIR / "data" / f"mice_{name}.csv")
    for col, levels in LEVELS[name].items():
        data[col] = pd.Categorical(data[col], categories=levels)
    return data


@pytest.fixture(scope="module")
def boys_imp():
    return mice(incomplete("boys"), m=50, maxit=10, seed=2024)


@pytest.fixture(scope="module")
def nhanes_imp():
    return mice(incomplete("nhanes2"), m=50, maxit=10, seed=2024)


@pytest.mark.parametrize("seed", [2024, 7])
@pytest.mark.parametrize("name", ["nhanes2", "boys"])
def test_pooled_estimates_agree_with_mice_within_monte_carlo_error(name, seed, boys_imp, nhanes_imp):
    imp = {"boys": boys_imp, "nhanes2": nhanes_imp}[name] if seed == 2024 else \
        mice(incomplete(name), m=50, maxit=10, seed=seed)
    runs = IMPUTE_REF[name]
    assert imp.methods == {k: v for k, v in runs[0]["methods"].items()}
    formula = runs[0]["formula"]
    pooled = pool_fits([fit_ols(d, formula) for d in imp.completed]).coefficients
    terms = py_terms(name, runs[0]["terms"])
    r_est = np.mean([r["estimate"] for r in runs], axis=0)
    r_b = np.mean([r["b"] for r in runs], axis=0)
    m_r = sum(r["m"] for r in runs)
    for j, term in enumerate(terms):
        ours = pooled.loc[term]
        mc_se = np.sqrt(r_b[j] / m_r + ours["between"] / imp.m)
        assert abs(ours["b"] - r_est[j]) <= 4 * mc_se, (term, ours["b"], r_est[j], mc_se)
        assert 1 / 3 <= ours["between"] / r_b[j] <= 3, (term, ours["between"], r_b[j])


def test_observed_values_never_change(boys_imp):
    data = incomplete("boys")
    for completed in boys_imp.completed[:5]:
        assert completed.notna().all().all()
        for col in data.columns:
            seen = data[col].notna()
            assert (completed.loc[seen, col] == data.loc[seen, col]).all(), col


def test_pmm_imputes_observed_donor_values(boys_imp):
    data = incomplete("boys")
    for col in ("hgt", "wgt", "hc"):
        observed = set(data[col].dropna())
        gaps = data[col].isna()
        for completed in boys_imp.completed[:5]:
            assert set(completed.loc[gaps, col]) <= observed


def test_categories_stay_within_levels(boys_imp, nhanes_imp):
    for completed in boys_imp.completed[:5]:
        assert list(completed["reg"].cat.categories) == LEVELS["boys"]["reg"]
        assert completed["reg"].notna().all()
    imputed = pd.concat([d.loc[incomplete("nhanes2")["hyp"].isna(), "hyp"]
                         for d in nhanes_imp.completed])
    assert set(imputed.astype(str)) == {"no", "yes"}  # logreg draws both classes


def test_text_columns_come_back_as_text():
    data = incomplete("nhanes2").assign(hyp=lambda d: d["hyp"].astype(object))
    done = mice(data, m=2, maxit=2, seed=3).completed[0]
    assert done["hyp"].dtype == object and set(done["hyp"]) == {"no", "yes"}


def test_same_seed_same_imputations_other_seed_differs():
    data = incomplete("nhanes2")
    a = mice(data, m=3, maxit=3, seed=11)
    b = mice(data, m=3, maxit=3, seed=11)
    c = mice(data, m=3, maxit=3, seed=12)
    for x, y in zip(a.completed, b.completed, strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert not all(x.equals(y) for x, y in zip(a.completed, c.completed, strict=True))
    assert not a.completed[0].equals(a.completed[1])


def test_missingness_table_counts():
    data = incomplete("nhanes2")
    imp = mice(data, m=2, maxit=1, seed=1)
    tab = imp.missingness
    assert tab["n_missing"].to_dict() == {"age": 0, "bmi": 9, "hyp": 8, "chl": 10}
    assert tab.loc["bmi", "pct_missing"] == pytest.approx(36.0)
    assert tab["method"].tolist() == ["", "pmm", "logreg", "pmm"]
    assert imp.n_complete_cases == 13 == len(data.dropna())
    assert imp.to_dict()["variables"]["chl"]["n_missing"] == 10
    assert imp.long()["imputation"].tolist() == [1] * 25 + [2] * 25
    assert missingness_table(data)["method"].eq("").all()


def test_columns_subset_leaves_other_columns_alone():
    data = incomplete("nhanes2").assign(note=["x"] * 24 + [None])
    imp = mice(data, ["age", "bmi", "chl"], m=2, maxit=2, seed=5)
    done = imp.completed[0]
    assert done["hyp"].isna().sum() == 8 and done["note"].isna().sum() == 1
    assert done[["bmi", "chl"]].notna().all().all()
    assert list(imp.missingness.index) == ["age", "bmi", "chl"]


def test_single_observed_class_is_imputed_throughout():
    data = pd.DataFrame({"x": np.arange(10.0), "g": ["a"] * 7 + [None] * 3,
                         "h": ["u", "v", "w"] * 3 + [None]})
    done = mice(data, m=2, maxit=2, seed=1).completed[1]
    assert (done["g"] == "a").all() and done["h"].isin(["u", "v", "w"]).all()


def test_errors_name_the_problem():
    data = pd.DataFrame({"x": [1.0, 2.0, np.nan], "y": [np.nan] * 3})
    with pytest.raises(DataError, match="'y' has no observed value"):
        mice(data, m=2)
    with pytest.raises(InputError, match="m must be"):
        mice(data[["x"]], m=0)
    with pytest.raises(InputError, match="maxit must be"):
        mice(data[["x"]], maxit=0)
    with pytest.raises(InputError, match="unknown column"):
        mice(data, ["z"])
    with pytest.raises(AnalysisError, match="cannot be imputed"):
        mice(data.iloc[:1])
    ids = pd.DataFrame({"id": [f"p{i}" for i in range(60)] + [None], "x": np.arange(61.0)})
    with pytest.raises(DataError, match="61|60 categories"):
        mice(ids)


def test_collinear_predictors_take_the_ridge_path():
    rng = np.random.default_rng(4)
    x = rng.normal(size=80)
    data = pd.DataFrame({"x": x, "x2": 2 * x, "y": x + rng.normal(size=80)})
    data.loc[::9, "y"] = np.nan
    done = mice(data, m=2, maxit=2, seed=1).completed[0]
    assert done["y"].notna().all() and set(done["y"]) <= set(data["y"].dropna())


def test_unused_category_is_never_imputed():
    rng = np.random.default_rng(8)
    g = pd.Categorical(rng.choice(["a", "b", "c"], 120), categories=["a", "b", "c", "never"])
    data = pd.DataFrame({"x": rng.normal(size=120), "g": g})
    data.loc[::6, "g"] = np.nan
    imp = mice(data, m=4, maxit=3, seed=2)
    assert imp.methods["g"] == "polyreg"
    for done in imp.completed:
        assert done["g"].notna().all() and not (done["g"] == "never").any()
        assert list(done["g"].cat.categories) == ["a", "b", "c", "never"]


def test_parameter_draw_has_the_posterior_of_mice_norm_draw():
    # beta* = b + chol((X'X)^-1)' z sigma*, sigma*^2 = RSS / chi2(n - p): mean b and covariance
    # E[sigma*^2] (X'X)^-1 = RSS / (n - p - 2) (X'X)^-1; 20000 draws, 5 Monte Carlo SEs
    from leftbehind.models.impute import _norm_draw

    rng = np.random.default_rng(12)
    n = 30
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = x @ np.array([1.0, 2.0, -1.0]) + rng.normal(size=n)
    draws = np.array([_norm_draw(x, y, rng)[1] for _ in range(20000)])
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    rss = float(((y - x @ coef) ** 2).sum())
    expected_cov = rss / (n - 3 - 2) * np.linalg.inv(x.T @ x)
    sd = np.sqrt(np.diag(expected_cov))
    assert np.all(np.abs(draws.mean(axis=0) - coef) <= 5 * sd / np.sqrt(len(draws)))
    # relative SE of a variance from 20000 t(27)-like draws is sqrt(2.26 / 20000) = 1.1%: 5% ~ 4.7 SE
    np.testing.assert_allclose(np.diag(np.cov(draws.T)), np.diag(expected_cov), rtol=0.05)
