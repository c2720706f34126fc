"""fit_ols against R: lm + sandwich::vcovHC / vcovCL + lmtest::coeftest / coefci / waldtest."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, DataError, InputError
from leftbehind.models.ols import OLSResult, fit_ols, parse_se

CASES = ["petersen_classical", "petersen_hc1", "petersen_hc3", "petersen_cluster_firm",
         "petersen_cluster_year", "hunchun_classical", "hunchun_HC1", "hunchun_HC3",
         "hunchun_cluster_school", "hunchun_moderation_classical", "hunchun_moderation_HC3",
         "hunchun_moderation_cluster", "iris_classical", "iris_HC1", "iris_HC3"]


def _case(ref, name):
    return next(c for c in ref["ols"] if c["name"] == name)


def test_reference_covers_every_case(ref):
    assert sorted(c["name"] for c in ref["ols"]) == sorted(CASES)


@pytest.mark.parametrize("name", CASES)
def test_matches_r(ref, datasets, compare, close, name):
    case = _case(ref, name)
    res = fit_ols(datasets[name.split("_")[0]], case["formula"], se=case["se"])
    assert res.se_type == case["se"]
    assert res.n == case["n"]
    assert res.df_resid == case["df_resid"]
    assert res.df_model == case["df_model"]
    compare(res.coefficients, case["coefficients"])
    close(res.r2, case["r2"], what="r2")
    close(res.adj_r2, case["adj_r2"], what="adj_r2")
    close(res.f_stat, case["f_stat"], what="Wald F")
    close(res.f_p, case["f_p"], what="Wald F p", rtol=1e-6)
    expected_v = pd.DataFrame(case["vcov"], index=case["vcov_terms"], columns=case["vcov_terms"])
    got_v = res.vcov.loc[expected_v.index, expected_v.columns].to_numpy()
    np.testing.assert_allclose(got_v, expected_v.to_numpy(), rtol=1e-8, atol=1e-14)


def test_cluster_argument_equals_se_string(datasets):
    a = fit_ols(datasets["petersen"], "y ~ x", se="cluster:firm")
    b = fit_ols(datasets["petersen"], "y ~ x", cluster="firm")
    c = fit_ols(datasets["petersen"], "y ~ x", se="cluster", cluster="firm")
    assert a.se_type == b.se_type == c.se_type == "cluster:firm"
    assert a.n_clusters == 500
    np.testing.assert_array_equal(a.vcov.to_numpy(), b.vcov.to_numpy())
    np.testing.assert_array_equal(a.vcov.to_numpy(), c.vcov.to_numpy())


def test_standardized_beta_matches_z_scored_fit(ref, datasets, close):
    spec = ref["standardized"]
    res = fit_ols(datasets["hunchun"], spec["formula"], standardize=True)
    for term, beta in spec["beta"].items():
        close(res.coefficients.loc[term, "beta"], beta, what=f"beta {term}")
    assert np.isnan(res.coefficients.loc["Intercept", "beta"])


def test_listwise_deletion_and_sample_index(datasets):
    data = datasets["hunchun"]
    res = fit_ols(data, "depression ~ belonging + age")
    expected = data.dropna(subset=["depression", "belonging", "age"]).index
    assert list(res.sample_index) == list(expected)
    assert res.n == len(expected)
    # the cluster column joins the listwise deletion
    holed = data.copy()
    holed.loc[expected[:5], "school"] = np.nan
    clustered = fit_ols(holed, "depression ~ belonging + age", cluster="school")
    assert clustered.n == len(expected) - 5
    np.testing.assert_allclose(res.design_means["belonging"], data.loc[expected, "belonging"].mean())
    np.testing.assert_allclose(res.design_sds["age"], data.loc[expected, "age"].std(ddof=1))


def test_to_dict_is_json_safe_with_stable_keys(datasets):
    res = fit_ols(datasets["hunchun"], "depression ~ C(group, Treatment('none')) + girl", se="HC3")
    out = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert {"n", "r2", "adj_r2", "se_type", "coefficients"} <= set(out)
    assert out["se_type"] == "HC3"
    for term in res.terms:
        assert {"b", "se", "t", "p"} <= set(out["coefficients"][term])
        assert out["coefficients"][term]["b"] == pytest.approx(res.coefficients.loc[term, "b"])
    assert isinstance(res, OLSResult)
    assert list(res.to_frame().columns) == ["b", "se", "t", "p", "ci_low", "ci_high"]
    assert "<table" in res._repr_html_()


@pytest.mark.parametrize("text, expected", [
    ("classical", ("classical", None)), ("hc1", ("HC1", None)), ("HC3", ("HC3", None)),
    ("cluster:school", ("cluster", "school")), (" cluster : school ", ("cluster", "school")),
    ("cluster", ("cluster", None))])
def test_parse_se(text, expected):
    assert parse_se(text) == expected


@pytest.mark.parametrize("text", ["robust", "HC9", "HC1:school", ""])
def test_parse_se_rejects(text):
    with pytest.raises(InputError) as err:
        parse_se(text)
    assert err.value.location.key == "se" and err.value.hint


def test_unknown_column_lists_close_matches(datasets):
    with pytest.raises(InputError) as err:
        fit_ols(datasets["hunchun"], "depression ~ belongin + age")
    assert err.value.location.column == "belongin"
    assert "'belonging'" in err.value.hint


def test_unknown_cluster_column(datasets):
    with pytest.raises(InputError) as err:
        fit_ols(datasets["hunchun"], "depression ~ age", cluster="schol")
    assert err.value.location.column == "schol" and "'school'" in err.value.hint


@pytest.mark.parametrize("formula", ["depression ~ (age + girl", "depression ~ age +", "depression age",
                                     "depression ~ age ++ * girl"])
def test_unparseable_formula(datasets, formula):
    with pytest.raises(InputError) as err:
        fit_ols(datasets["hunchun"], formula)
    assert formula in str(err.value)


def test_bad_reference_level_is_input_error(datasets):
    with pytest.raises(InputError, match="cannot be built"):
        fit_ols(datasets["hunchun"], "depression ~ C(group, Treatment('nobody'))")


@pytest.mark.parametrize("kwargs", [{"se": "HC1", "cluster": "school"},
                                    {"se": "cluster:school", "cluster": "girl"},
                                    {"se": "cluster"}])
def test_conflicting_se_arguments(datasets, kwargs):
    with pytest.raises(InputError):
        fit_ols(datasets["hunchun"], "depression ~ age", **kwargs)


def test_text_outcome_is_data_error(datasets):
    with pytest.raises(DataError) as err:
        fit_ols(datasets["hunchun"], "group ~ age")
    assert err.value.location.column == "group"


def test_collinear_design_names_the_column():
    df = pd.DataFrame({"y": [1.0, 2, 3, 5, 4, 6], "a": [1.0, 2, 3, 4, 5, 6]})
    df["b"] = 2 * df["a"]
    with pytest.raises(AnalysisError, match="'b'"):
        fit_ols(df, "y ~ a + b")


def test_too_few_cases_and_single_cluster():
    df = pd.DataFrame({"y": [1.0, 2.0, 4.0], "a": [1.0, 2.0, 3.0], "b": [0.0, 1.0, 1.0],
                       "s": [1, 1, 1]})
    with pytest.raises(AnalysisError, match="complete case"):
        fit_ols(df, "y ~ a + b")
    with pytest.raises(AnalysisError, match="cluster"):
        fit_ols(df, "y ~ a", cluster="s")


def test_data_must_be_a_frame():
    with pytest.raises(InputError, match="DataFrame"):
        fit_ols({"y": [1, 2]}, "y ~ 1")


def test_duplicate_index_labels_are_handled(datasets):
    data = datasets["hunchun"]
    doubled = data.set_axis([i // 2 for i in range(len(data))], axis=0)
    a = fit_ols(data, "depression ~ belonging + age", cluster="school")
    b = fit_ols(doubled, "depression ~ belonging + age", cluster="school")
    np.testing.assert_allclose(a.vcov.to_numpy(), b.vcov.to_numpy(), rtol=1e-12)
    assert list(b.sample_index) == [i // 2 for i in a.sample_index]
    assert len(b.estimation_data()) == b.n


def test_rows_dropped_by_a_transformation(datasets):
    data = datasets["hunchun"].assign(shifted=lambda d: d["belonging"] - 3.005)
    with np.errstate(invalid="ignore"):
        res = fit_ols(data, "depression ~ np.log(shifted)")
    used = data.dropna(subset=["depression", "shifted"])
    assert res.n == int((used["shifted"] > 0).sum())
    assert (res.estimation_data()["shifted"] > 0).all()


def test_infinite_design_values_are_data_error(datasets):
    data = datasets["hunchun"].assign(zero=lambda d: (d["girl"] == 1).astype(float))
    with pytest.raises(DataError, match="infinite"), np.errstate(divide="ignore"):
        fit_ols(data, "depression ~ np.log(zero)")


@pytest.mark.parametrize("formula", [
    "depression ~ I(__import__('os').getcwd())",
    "depression ~ open('x')",
    "depression ~ age.__class__",
    "depression ~ I([a for a in age])",
    "depression ~ np.random.seed(1)",
    "depression ~ (lambda: 1)()"])
def test_formulas_cannot_run_arbitrary_code(datasets, formula):
    with pytest.raises(InputError, match="not allowed|cannot be parsed"):
        fit_ols(datasets["hunchun"], formula)


def test_allowed_functions(datasets, close):
    res = fit_ols(datasets["hunchun"], "np.exp(depression / 30) ~ I(age ** 2) + center(belonging)")
    assert res.terms == ["Intercept", "I(age ** 2)", "center(belonging)"]


def test_no_complete_cases():
    df = pd.DataFrame({"y": [1.0, np.nan, 3.0], "x": [np.nan, 2.0, np.nan]})
    with pytest.raises(AnalysisError, match="no complete cases"):
        fit_ols(df, "y ~ x")
