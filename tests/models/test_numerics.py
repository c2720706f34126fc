"""fit_ols and nested_models on numerically hard data, against tests/reference/models/numerics.R.

longley (ill-conditioned), carData Prestige and Duncan, Unix timestamps and a column 1e9 + small
variation, aliased columns judged as lm judges them, a category with one member (leverage one)
under HC2/HC3, and cluster-robust joint F tests with 2 to 8 clusters. Everything is compared to
1e-8 relative.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, InputError
from leftbehind.models._formula import formula_functions, formula_variables
from leftbehind.models.nested import nested_models
from leftbehind.models.ols import fit_ols

from .conftest import REF_DIR

RTOL = 1e-8
NAMES = ("longley", "prestige", "duncan", "offset", "leverage", "clusters")


@pytest.fixture(scope="module")
def num_ref() -> dict:
    return json.loads((REF_DIR / "models" / "numerics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(REF_DIR / "data" / f"numerics_{name}.csv") for name in NAMES}


def _close(actual, expected, what: str, rtol: float = RTOL) -> None:
    actual = float(actual)
    assert math.isfinite(actual), what
    assert abs(actual - expected) <= rtol * abs(expected) + 1e-300, f"{what}: {actual!r} != {expected!r}"


def _table(frame: pd.DataFrame, expected: dict, rtol: float = RTOL) -> None:
    assert sorted(frame.index) == sorted(expected)
    for term, row in expected.items():
        for col, value in row.items():
            if col in ("ci_low", "ci_high") and "b" in row and "se" in row:
                # b - t*se: its error is that of b and t*se, not relative to an end near zero
                # (and scipy 1.11's t quantile differs from R's qt by about 2e-8)
                bound = max(rtol, 1e-7) * (abs(row["b"]) + 3 * abs(row["se"]))
                actual = float(frame.loc[term, col])
                assert abs(actual - value) <= bound, f"{term} {col}: {actual!r} != {value!r}"
                continue
            _close(frame.loc[term, col], value, f"{term} {col}", rtol)


def _case_names() -> list[str]:
    ref = json.loads((REF_DIR / "models" / "numerics.json").read_text(encoding="utf-8"))
    return [case["name"] for case in ref["cases"]]


@pytest.mark.parametrize("name", _case_names())
def test_matches_r(num_ref, frames, name):
    case = next(c for c in num_ref["cases"] if c["name"] == name)
    res = fit_ols(frames[name.split("_")[0]], case["formula"], se=case["se"])
    assert (res.n, res.df_resid, res.df_model) == (case["n"], case["df_resid"], case["df_model"])
    assert res.se_type == case["se"] and res.notes == ()
    _table(res.coefficients, case["coefficients"])
    for stat in ("r2", "adj_r2", "f_stat", "f_p"):
        _close(getattr(res, stat), case[stat], stat)
    expected = np.array(case["vcov"])
    np.testing.assert_allclose(res.vcov.loc[case["vcov_terms"], case["vcov_terms"]].to_numpy(),
                               expected, rtol=RTOL, atol=1e-8 * np.abs(expected).max())


def test_reference_documents_why_robust_references_use_centred_columns(num_ref):
    """R's own sandwich loses digits with 1e9 offsets; the references take the stable route."""
    gaps = {c["name"]: c["plain_sandwich_gap"] for c in num_ref["cases"]}
    assert gaps["offset_HC3"] > 1e-4 and gaps["prestige_HC3"] < 1e-10


def test_big_offset_predictor_is_fitted_and_invariant_to_the_offset(frames):
    data = frames["offset"]
    res = fit_ols(data, "y ~ stamp + big + x", se="HC3")
    shifted = fit_ols(data.assign(stamp=data["stamp"] - 1.6e9, big=data["big"] - 1e9),
                      "y ~ stamp + big + x", se="HC3")
    for col in ("b", "se", "t"):
        np.testing.assert_allclose(res.coefficients[col].iloc[1:], shifted.coefficients[col].iloc[1:],
                                   rtol=1e-9)


@pytest.mark.parametrize("index", [0, 1, 2])
def test_aliased_column_named_as_lm_does(num_ref, frames, index):
    case = num_ref["aliased"][index]
    with pytest.raises(AnalysisError, match=f"'{case['aliased']}' is a linear combination"):
        fit_ols(frames["offset"], case["formula"])


def test_all_zero_column_is_aliased(frames):
    with pytest.raises(AnalysisError, match="'zero'"):
        fit_ols(frames["offset"].assign(zero=0.0), "y ~ x + zero")


@pytest.mark.parametrize("case, undefined", [
    ("single", {"C(grp, Treatment('a'))[T.c]"}),
    ("pair", {"C(grp2, Treatment('a'))[T.c]", "z:C(grp2, Treatment('a'))[T.c]"})])
@pytest.mark.parametrize("kind", ["HC2", "HC3"])
def test_leverage_one_gives_nan_with_a_note(num_ref, frames, case, undefined, kind):
    spec = num_ref["leverage"][case]
    assert all(v in ("NaN", "Inf") for v in spec[kind]["plain_vcovHC_se"].values()), \
        "R's plain vcovHC is undefined here"
    assert set(spec["undefined"]) == undefined
    res = fit_ols(frames["leverage"], spec["formula"], se=kind)
    for term, se in spec[kind]["se"].items():
        row = res.coefficients.loc[term]
        if term in undefined:
            assert se is None
            assert row[["se", "t", "p", "ci_low", "ci_high"]].isna().all()
        else:
            _close(row["se"], se, f"{term} se")
    assert math.isnan(res.f_stat) and math.isnan(res.f_p)
    assert len(res.notes) == 2
    assert kind in res.notes[0] and "leverage one" in res.notes[0]
    assert all(repr(term) in res.notes[0] for term in undefined)
    assert "row(s) " + ", ".join(str(r) for r in spec["rows"]) in res.notes[0]
    assert "F test is undefined" in res.notes[1]
    out = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert all(out["coefficients"][term]["se"] is None for term in undefined)
    assert out["notes"] == list(res.notes)


def test_leverage_one_under_hc1_stays_defined(frames):
    res = fit_ols(frames["leverage"], "y ~ z + C(grp, Treatment('a'))", se="HC1")
    assert np.isfinite(res.coefficients["se"]).all() and res.notes == ()


@pytest.mark.parametrize("groups", range(2, 9))
def test_cluster_joint_f_undefined_with_too_few_clusters(num_ref, frames, groups):
    rank = next(r for r in num_ref["cluster_rank"] if r["G"] == groups)
    res = fit_ols(frames["clusters"], "y ~ x1 + x2 + x3 + x4 + x5", se=f"cluster:g{groups}")
    assert res.n_clusters == groups and res.df_model == rank["tested"] == 5
    assert np.isfinite(res.coefficients["se"]).all()
    if rank["rank"] < rank["tested"]:
        assert groups - 1 < 5
        assert math.isnan(res.f_stat) and math.isnan(res.f_p)
        assert len(res.notes) == 1 and f"{groups} clusters" in res.notes[0]
    else:
        case = next(c for c in num_ref["cases"] if c["name"] == f"clusters_g{groups}")
        _close(res.f_stat, case["f_stat"], "F")
        _close(res.f_p, case["f_p"], "F p")
        assert res.notes == ()


def test_duncan_clustered_by_type(num_ref, frames):
    spec = num_ref["duncan_cluster"]
    assert spec["rank"] < spec["tested"]
    res = fit_ols(frames["duncan"], spec["formula"], se=f"cluster:{spec['cluster']}")
    _table(res.coefficients, spec["coefficients"])
    assert math.isnan(res.f_stat) and "3 clusters" in res.notes[0]


@pytest.mark.parametrize("name", ["longley", "offset"])
def test_nested_f_change_matches_anova(num_ref, frames, name):
    spec = num_ref["nested"][name]
    res = nested_models(frames[name], spec["blocks_in"])
    assert res.n == spec["n"]
    for got, want in zip(res.blocks, spec["blocks"], strict=True):
        assert (got.df1, got.df2) == (want["df1"], want["df2"])
        for stat in ("r2", "delta_r2", "f_change", "p_change"):
            _close(getattr(got, stat), want[stat], stat)


# ---------------------------------------------------------------- columns named like functions
SHADOWS = {"C": 1.0, "Q": "q", "I": 2.0, "Treatment": "t", "np": 3.0, "log": 4.0, "center": 5.0}


def test_function_named_columns_do_not_shadow_formula_functions(num_ref, frames):
    case = next(c for c in num_ref["cases"] if c["name"] == "duncan_HC3")
    res = fit_ols(frames["duncan"].assign(**SHADOWS), case["formula"], se="HC3")
    _table(res.coefficients, case["coefficients"])
    logged = fit_ols(frames["prestige"].assign(**SHADOWS),
                     "prestige ~ education + np.log2(income) + women + C(type, Treatment('bc'))")
    plain = next(c for c in num_ref["cases"] if c["name"] == "prestige_classical")
    _table(logged.coefficients, plain["coefficients"])
    assert set(SHADOWS) <= set(res.estimation_data().columns)


@pytest.mark.parametrize("column", ["C", "I", "np", "log", "Treatment"])
def test_function_named_column_as_predictor(num_ref, frames, column):
    case = next(c for c in num_ref["cases"] if c["name"] == "duncan_classical")
    data = frames["duncan"].rename(columns={"income": column})
    data = data.assign(type_prof=(data["type"] == "prof") * 1.0, type_wc=(data["type"] == "wc") * 1.0)
    formula = f"prestige ~ {column} + education + type_prof + type_wc"
    res = fit_ols(data, formula)
    assert res.terms[1] == column
    for want, got in zip(case["coefficients"].values(), res.coefficients.itertuples(), strict=True):
        _close(got.b, want["b"], "b")
        _close(got.se, want["se"], "se")
    with_q = fit_ols(data, formula.replace(f"~ {column} ", f"~ Q('{column}') "))
    np.testing.assert_allclose(with_q.coefficients["b"], res.coefficients["b"], rtol=1e-12)


def test_column_used_both_ways_is_an_input_error(frames):
    data = frames["duncan"].rename(columns={"income": "C"})
    with pytest.raises(InputError, match="'C' is used both as a column") as err:
        fit_ols(data, "prestige ~ C + C(type)")
    assert err.value.location.column == "C" and err.value.hint


@pytest.mark.parametrize("formula, variables, functions", [
    ("y ~ C(g, Treatment('a')) + np.log(x)", ["y", "g", "x"], {"C", "Treatment", "np"}),
    ("y ~ C + np + log", ["y", "C", "np", "log"], set()),
    ("y ~ C(g, Sum) + Q('a b')", ["y", "g", "a b"], {"C", "Sum", "Q"}),
    ("y ~ I(C * 2) + center(Q)", ["y", "C", "Q"], {"I", "center"})])
def test_formula_roles(formula, variables, functions):
    assert formula_variables(formula) == variables
    assert formula_functions(formula) == functions
