"""CR2 / Satterthwaite / HTZ and G - 1 df against R (clubSandwich, sandwich + lmtest).

Reference: tests/reference/models/few_clusters.R -> few_clusters.json; data sets
tests/reference/data/few_clusters_*.csv (clubSandwich MortalityRates, carData Ornstein and a
constructed four-school case with clusters of 3, 6, 10 and 25).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, InputError
from leftbehind.models import fit_ols
from leftbehind.models.small_clusters import (FEW_CLUSTERS, cr2_tests, cr2_vcov, few_clusters_caution,
                                              matrix_power, wald_htz, with_cluster_df, with_cr2)

from .conftest import REF_DIR

CASES = {
    "mortality": ("mortality", "mrate ~ legal + beertaxa + beerpercap + winepercap + spiritpercap", "state"),
    "mortality_fe": ("mortality", "mrate ~ 0 + legal + beertaxa + C(state) + C(year)", "state"),
    "ornstein": ("ornstein", "interlocks ~ log_assets + bank + mining", "nation"),
    "four": ("four", "y ~ x + treated + z", "school"),
}


@pytest.fixture(scope="module")
def few_ref() -> dict:
    return json.loads((REF_DIR / "models" / "few_clusters.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fits() -> dict:
    data = {name: pd.read_csv(REF_DIR / "data" / f"few_clusters_{name}.csv") for name in ("mortality", "ornstein", "four")}
    return {case: fit_ols(data[d], formula, se=f"cluster:{cl}") for case, (d, formula, cl) in CASES.items()}


def _close(actual, expected, *, rtol=1e-8, atol=1e-12):
    np.testing.assert_allclose(np.asarray(actual, float), np.asarray(expected, float), rtol=rtol, atol=atol)


def test_reference_covers_every_case(few_ref):
    assert sorted(few_ref["cr2"]) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_cr2_coef_test_matches_clubsandwich(few_ref, fits, case):
    ref = few_ref["cr2"][case]
    out = cr2_tests(fits[case])
    assert out.n_clusters == ref["n_clusters"]
    assert fits[case].n == ref["n"]
    terms = ref["terms"]
    _close(out.vcov.loc[terms, terms], ref["cr2"]["vcov"])
    table = out.coefficients.loc[terms]
    for column, key in (("b", "b"), ("se", "se"), ("t", "t"), ("df", "df"), ("p", "p")):
        _close(table[column], ref["cr2"][key])


@pytest.mark.parametrize("case", sorted(CASES))
def test_htz_wald_matches_clubsandwich(few_ref, fits, case):
    ref = few_ref["cr2"][case]["wald"]
    test = wald_htz(fits[case], ref["terms"])
    htz, naive = ref["htz"], ref["naive"]
    _close([test.f_stat, test.delta, test.df_num, test.df_denom, test.p],
           [htz["Fstat"], htz["delta"], htz["df_num"], htz["df_denom"], htz["p_val"]])
    _close([test.naive_f, test.naive_p], [naive["Fstat"], naive["p_val"]])


@pytest.mark.parametrize("case", sorted(CASES))
def test_g_minus_one_matches_coeftest(few_ref, fits, case):
    ref = few_ref["cr2"][case]["cr1_g1"]
    table = with_cluster_df(fits[case], "G-1").coefficients.loc[few_ref["cr2"][case]["terms"]]
    assert (table["df"] == ref["df"]).all()
    for column in ("se", "t", "p", "ci_low", "ci_high"):
        _close(table[column], ref[column])


def test_residual_df_keeps_the_fit(fits):
    fit = fits["four"]
    back = with_cluster_df(with_cluster_df(fit, "G-1"), "residual")
    pd.testing.assert_frame_equal(back.coefficients.drop(columns="df"), fit.coefficients)
    assert (back.coefficients["df"] == fit.df_resid).all()


def test_cr2_exceeds_cr1_with_four_clusters(fits):
    """The whole point: CR1 is too small with few clusters; CR2 undoes part of the bias."""
    fit = fits["four"]
    cr2 = cr2_tests(fit).coefficients
    assert (cr2["se"] > fit.coefficients["se"]).all()
    assert (cr2["df"] < fit.n_clusters).all()


def test_with_cr2_replaces_the_table(few_ref, fits):
    fit = fits["ornstein"]
    out = with_cr2(fit)
    assert out.se_type == "CR2:nation" and out.n_clusters == 4
    ref = few_ref["cr2"]["ornstein"]
    _close(out.coefficients.loc[ref["terms"], "p"], ref["cr2"]["p"])
    assert out.coefficients.index.equals(fit.coefficients.index)
    assert np.isfinite(out.f_stat)
    assert cr2_tests(out).n_clusters == 4  # the cluster column is read back from se_type


def test_cluster_argument_on_a_classical_fit(few_ref):
    data = pd.read_csv(REF_DIR / "data" / "few_clusters_four.csv")
    out = cr2_tests(fit_ols(data, "y ~ x + treated + z"), cluster="school")
    _close(out.coefficients["df"], few_ref["cr2"]["four"]["cr2"]["df"])


def test_cr2_equals_hc2_with_singleton_clusters():
    """One row per cluster: CR2 reduces to HC2 (statsmodels' cov_HC2)."""
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"x": rng.normal(size=30), "z": rng.normal(size=30)})
    df["y"] = 1 + df.x + rng.normal(size=30) * (1 + df.z.abs())
    df["id"] = range(30)
    fit = fit_ols(df, "y ~ x + z", se="HC2")
    _close(cr2_tests(fit, cluster="id").vcov, fit.vcov, rtol=1e-10)


def test_matrix_power_drops_null_eigenvalues():
    a = np.array([[1.0, 1.0], [1.0, 1.0]])  # eigenvalues 2, 0
    root = matrix_power(a, -0.5)
    _close(root @ a @ root, a / 2, atol=1e-12)


def test_array_level_vcov_matches(fits):
    fit = fits["four"]
    data = fit.estimation_data()
    groups = pd.factorize(data["school"], sort=True)[0]
    v = cr2_vcov(fit.sm_result.model.exog, fit.sm_result.resid, groups)
    _close(v, cr2_tests(fit).vcov)


def test_caution_below_thirty_clusters():
    assert few_clusters_caution(None) is None
    assert few_clusters_caution(FEW_CLUSTERS) is None
    text = few_clusters_caution(4)
    assert text.startswith("Only 4 clusters:") and 'se = "CR2"' in text
    assert few_clusters_caution(29, cluster="class").startswith("Only 29 clusters (class):")
    assert "corrections used here" in few_clusters_caution(4, corrected=True)


def test_errors(fits):
    data = pd.read_csv(REF_DIR / "data" / "few_clusters_four.csv")
    with pytest.raises(InputError, match="no cluster column"):
        cr2_tests(fit_ols(data, "y ~ x", se="HC1"))
    with pytest.raises(InputError, match="unknown cluster column"):
        cr2_tests(fits["four"], cluster="class")
    with pytest.raises(AnalysisError, match="only one cluster"):
        cr2_tests(fit_ols(data.assign(one=1), "y ~ x"), cluster="one")
    with pytest.raises(AnalysisError, match="missing values"):
        cr2_tests(fit_ols(data.assign(g=[None] + ["a", "b"] * 21 + ["a"]), "y ~ x"), cluster="g")
    with pytest.raises(InputError, match="unknown term"):
        wald_htz(fits["four"], ["w"])
    with pytest.raises(InputError, match="cluster degrees of freedom"):
        with_cluster_df(fits["four"], "G")
    with pytest.raises(InputError, match="not cluster-robust"):
        with_cluster_df(fit_ols(data, "y ~ x"))


def test_to_dict_is_json_safe(fits):
    out = cr2_tests(fits["four"])
    json.dumps(out.to_dict())
    json.dumps(wald_htz(fits["four"], ["x", "z"]).to_dict())
    assert list(wald_htz(fits["four"], ["x"]).to_frame()["test"]) == ["HTZ", "naive F"]
    assert "<table" in out._repr_html_()


@pytest.mark.parametrize("n_g", [1, 2, 5, 40])
def test_thin_adjustment_equals_the_full_matrix_power(n_g):
    """X_g' (I - H_gg)^(-1/2) from the thin SVD equals the n_g x n_g eigen route (clubSandwich's)."""
    from leftbehind.models.small_clusters import _adjusted_transpose

    rng = np.random.default_rng(n_g)
    exog = np.column_stack([np.ones(60), rng.normal(size=(60, 3))])
    exog[:n_g, 3] = 0.0
    exog[:n_g, 3][0] = 1.0  # a column that is non-zero in this cluster in one row only
    bread = np.linalg.inv(exog.T @ exog)
    x_g = exog[:n_g]
    full = x_g.T @ matrix_power(np.eye(n_g) - x_g @ bread @ x_g.T, -0.5)
    _close(_adjusted_transpose(x_g, np.linalg.cholesky(bread)), full, rtol=1e-9, atol=1e-12)
