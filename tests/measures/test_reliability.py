"""cronbach_alpha and omega_total against R's psych::alpha and psych::fa (make_reference.R)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, DataError, InputError
from leftbehind.measures import cronbach_alpha, omega_total

RTOL = 1e-8  # far tighter than the six significant digits users compare

ITEM_COLUMNS = {  # ours -> the name in alpha.json (psych: alpha.drop raw_alpha, r.drop, raw.r ...)
    "alpha_if_deleted": "alpha_if_deleted",
    "std_alpha_if_deleted": "std_alpha_if_deleted",
    "item_rest_r": "item_rest_r",
    "item_total_r": "item_total_r",
    "item_std_r": "item_std_r",
    "mean": "mean",
    "sd": "sd",
}


@pytest.fixture(scope="module")
def alpha_ref(ref_loader):
    load_ref, load_data, _ = ref_loader
    return load_ref("alpha.json"), load_data


CASES = ["bfi_N_listwise", "bfi_N_pairwise", "bfi_E_listwise", "depression", "attitude"]


@pytest.mark.parametrize("case", CASES)
def test_alpha_matches_psych(alpha_ref, case):
    refs, load_data = alpha_ref
    spec = refs[case]
    want = spec["result"]
    res = cronbach_alpha(load_data(spec["data"]), spec["items"], listwise=spec["listwise"])
    assert res.n == want["n"] and res.k == want["k"]
    assert res.alpha == pytest.approx(want["alpha"], rel=RTOL)
    assert res.std_alpha == pytest.approx(want["std_alpha"], rel=RTOL)
    assert res.average_r == pytest.approx(want["average_r"], rel=RTOL)
    assert res.ase == pytest.approx(want["ase"], rel=RTOL)
    assert list(res.ci95) == pytest.approx(want["feldt"], rel=RTOL)
    assert list(res.ci) == pytest.approx(want["feldt"], rel=RTOL)
    assert list(res.ci_duhachek) == pytest.approx(want["duhachek"], rel=RTOL)
    assert list(res.items.index) == spec["items"]
    for ours, theirs in ITEM_COLUMNS.items():
        expected = [want["items"][item][theirs] for item in spec["items"]]
        assert res.items[ours].tolist() == pytest.approx(expected, rel=RTOL), ours


def test_alpha_to_dict_is_stable_and_json_safe(alpha_ref):
    refs, load_data = alpha_ref
    spec = refs["depression"]
    d = cronbach_alpha(load_data(spec["data"]), spec["items"]).to_dict()
    assert {"n", "alpha", "ci95", "items"} <= set(d)
    assert isinstance(d["ci95"], list) and len(d["ci95"]) == 2
    for item in spec["items"]:
        assert {"alpha_if_deleted", "item_rest_r"} <= set(d["items"][item])
    json.dumps(d)
    assert d["items"]["dep1"]["item_rest_r"] == pytest.approx(
        spec["result"]["items"]["dep1"]["item_rest_r"], rel=RTOL)


def test_alpha_ci_level_changes_width(alpha_ref):
    refs, load_data = alpha_ref
    spec = refs["depression"]
    data = load_data(spec["data"])
    wide = cronbach_alpha(data, spec["items"], ci_level=0.99)
    assert wide.ci[0] < wide.ci95[0] < wide.alpha < wide.ci95[1] < wide.ci[1]
    assert wide.ci95[0] == pytest.approx(spec["result"]["feldt"][0], rel=RTOL)


def test_alpha_frame_and_html(alpha_ref):
    refs, load_data = alpha_ref
    spec = refs["attitude"]
    res = cronbach_alpha(load_data(spec["data"]))  # items=None: every column
    assert res.k == 7 and res.to_frame().shape[0] == 7
    assert "<table" in res._repr_html_()


@pytest.mark.parametrize("case", ["bfi_N", "depression", "teacher"])
def test_omega_total_matches_r(ref_loader, case):
    load_ref, load_data, _ = ref_loader
    spec = load_ref("omega.json")[case]
    res = omega_total(load_data(spec["data"]), spec["items"])
    # R's optimiser stops near 1e-7 of the optimum; we converge more tightly
    assert res.omega_total == pytest.approx(spec["result"]["omega_total"], abs=1e-5)
    assert res.loadings.tolist() == pytest.approx(spec["result"]["loadings"], abs=1e-4)
    json.dumps(res.to_dict())
    assert res.to_frame().shape == (len(spec["items"]), 2)


def test_unknown_item_is_named():
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 4]})
    with pytest.raises(InputError) as info:
        cronbach_alpha(df, ["a", "bb"])
    assert "'bb'" in str(info.value) and info.value.hint


def test_too_few_complete_cases():
    df = pd.DataFrame({"a": [1, 2, None, 4], "b": [2, None, 3, 5], "c": [1, 1, 2, None]})
    with pytest.raises(AnalysisError) as info:
        cronbach_alpha(df)
    assert "complete cases" in str(info.value)
    with pytest.raises(AnalysisError):
        omega_total(df)


def test_non_numeric_and_constant_items():
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": list("wxyz"), "c": [3, 3, 3, 3]})
    with pytest.raises(DataError) as info:
        cronbach_alpha(df, ["a", "b"])
    assert info.value.location.column == "b"
    with pytest.raises(AnalysisError) as info:
        cronbach_alpha(df, ["a", "c"])
    assert info.value.location.column == "c"


@pytest.mark.parametrize("kwargs", [{"ci_level": 1.5}, {"ci_level": 0}])
def test_bad_ci_level(kwargs):
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 4]})
    with pytest.raises(InputError):
        cronbach_alpha(df, **kwargs)


def test_omega_needs_three_items():
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 3, 4]})
    with pytest.raises(InputError):
        omega_total(df, ["a", "b"])


def test_alpha_if_deleted_when_the_rest_sums_to_a_constant():
    """Dropping x3 leaves x1 + x2 constant: R's psych::alpha gives -Inf there, not an error."""
    import numpy as np
    import pandas as pd

    from leftbehind.measures import cronbach_alpha

    df = pd.DataFrame({"x1": [1, 2, 3, 4, 5.0], "x2": [5, 4, 3, 2, 1.0], "x3": [1, 3, 2, 5, 4.0]})
    fit = cronbach_alpha(df)
    assert fit.items.loc["x3", "alpha_if_deleted"] == -np.inf
    assert np.isnan(fit.items.loc["x3", "item_rest_r"])  # R: r.drop is NA
    assert np.isfinite(fit.items.loc["x1", "alpha_if_deleted"])
