"""Simple slopes and Johnson-Neyman bounds against R (L b, L V L', uniroot on |t| - t_crit)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models.moderation import _jn_roots, johnson_neyman, simple_slopes
from leftbehind.models.ols import fit_ols
from leftbehind.models.series import moderation_series

CASES = ["iris_versicolor_classical", "iris_versicolor_HC3", "iris_numeric_classical",
         "hunchun_mother_classical", "hunchun_mother_cluster"]


def _fit(ref, datasets, name):
    case = ref["moderation"][name]
    return case, fit_ols(datasets[name.split("_")[0]], case["formula"], se=case["se"])


def test_reference_covers_every_case(ref):
    assert sorted(ref["moderation"]) == sorted(CASES)


@pytest.mark.parametrize("name", CASES)
def test_simple_slopes_match_r(ref, datasets, close, name):
    case, res = _fit(ref, datasets, name)
    at = [row["at"] for row in case["slopes"]]
    default = "numeric" not in name  # R used mean -/+ SD there
    out = simple_slopes(res, case["focal"], case["moderator"], at=None if default else at).to_frame()
    assert list(out.columns) == ["at", "slope", "se", "t", "p", "ci_low", "ci_high"]
    for i, row in enumerate(case["slopes"]):
        for key, value in row.items():
            close(out.loc[i, key], value, what=f"{name} {key}[{i}]", rtol=1e-6 if key == "p" else 1e-8)


@pytest.mark.parametrize("name", CASES)
def test_johnson_neyman_matches_r(ref, datasets, close, name):
    case, res = _fit(ref, datasets, name)
    jn = johnson_neyman(res, case["focal"], case["moderator"])
    exp = case["jn"]
    assert len(jn.bounds) == len(exp["bounds"])
    for got, want in zip(jn.bounds, exp["bounds"]):
        assert abs(got - want) < 5e-4  # the brief asks 3 decimals
        close(got, want, what="JN bound", rtol=1e-7)
    assert jn.region == exp["region"]
    close(jn.t_crit, exp["t_crit"], what="t_crit")
    assert jn.observed_range == pytest.approx(tuple(exp["range"]))
    assert jn.significant_inside is {"inside": True, "outside": False}[exp["region"]]


@pytest.mark.parametrize("name", CASES)
def test_p_equals_alpha_at_the_bounds(ref, datasets, name):
    case, res = _fit(ref, datasets, name)
    jn = johnson_neyman(res, case["focal"], case["moderator"], alpha=0.10)
    slopes = simple_slopes(res, case["focal"], case["moderator"], at=list(jn.bounds)).to_frame()
    np.testing.assert_allclose(slopes["p"], 0.10, rtol=1e-8)


def test_jn_quadratic_cases():
    # significant where a m^2 + b m + c > 0
    assert _jn_roots(1.0, 0.0, -4.0) == ((-2.0, 2.0), "outside")
    assert _jn_roots(-1.0, 0.0, 4.0) == ((-2.0, 2.0), "inside")
    assert _jn_roots(1.0, 0.0, 4.0) == ((), "everywhere")
    assert _jn_roots(-1.0, 0.0, -4.0) == ((), "nowhere")
    assert _jn_roots(0.0, 2.0, -4.0) == ((2.0,), "above")
    assert _jn_roots(0.0, -2.0, 4.0) == ((2.0,), "below")


def test_series_model_records_centre(datasets):
    base = "depression ~ C(group, Treatment('none')) + girl + age"
    series = moderation_series(datasets["hunchun"], base, "group", ["belonging"])
    model = series.models["belonging"]
    jn = johnson_neyman(model, "C(group, Treatment('none'))[T.mother]", "belonging")
    assert jn.centre == pytest.approx(model.centre)
    uncentred = fit_ols(datasets["hunchun"].loc[model.result.sample_index],
                        base + " + C(group, Treatment('none')) * belonging")
    jn_raw = johnson_neyman(uncentred, "C(group, Treatment('none'))[T.mother]", "belonging")
    np.testing.assert_allclose(jn.bounds_original, jn_raw.bounds, rtol=1e-9)
    ss = simple_slopes(model, "C(group, Treatment('none'))[T.mother]", "belonging", at=[0.0])
    assert ss.centre == pytest.approx(model.centre)
    json.dumps(jn.to_dict(), allow_nan=False)
    json.dumps(ss.to_dict(), allow_nan=False)
    assert list(jn.to_frame().columns) == ["bound", "in_observed_range"]


def test_errors(ref, datasets):
    _, res = _fit(ref, datasets, "hunchun_mother_classical")
    focal = "C(group, Treatment('none'))[T.mother]"
    with pytest.raises(InputError) as err:
        simple_slopes(res, "C(group, Treatment('none'))[T.mothr]", "belonging")
    assert "T.mother" in err.value.hint
    with pytest.raises(InputError, match="no .* interaction"):
        simple_slopes(res, "girl", "belonging")
    with pytest.raises(InputError, match="not a term"):
        johnson_neyman(res, focal, "teacher")
    with pytest.raises(InputError, match="finite"):
        simple_slopes(res, focal, "belonging", at=[])
    with pytest.raises(InputError, match="alpha"):
        johnson_neyman(res, focal, "belonging", alpha=1.5)
    with pytest.raises(InputError, match="fitted model"):
        simple_slopes(pd.DataFrame(), focal, "belonging")


def test_focal_by_level_name(ref, datasets):
    _, res = _fit(ref, datasets, "hunchun_mother_classical")
    full = johnson_neyman(res, "C(group, Treatment('none'))[T.mother]", "belonging")
    short = johnson_neyman(res, "mother", "belonging")
    assert short.bounds == full.bounds and short.focal == full.focal
