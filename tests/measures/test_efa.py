"""efa() against psych::fa for every method x rotation on three data sets (make_reference.R)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, DataError, InputError
from leftbehind.measures import efa

# psych's L-BFGS-B stops about 1e-5 short of the optimum; users compare to 3 decimals.
ATOL = 1e-4
COMBOS = [(case, key)
          for case, keys in {
              "bfi15": [f"{m}_{r}" for m in ("minres", "ml", "pa")
                        for r in ("none", "varimax", "oblimin", "promax")],
              "attitude": [f"{m}_{r}" for m in ("minres", "ml", "pa")
                           for r in ("none", "varimax", "oblimin", "promax")],
              "teacher": ["minres_none", "ml_none", "pa_none"],
          }.items() for key in keys]
SCORE_FILES = ([("attitude", f"{m}_{r}") for m in ("minres", "ml", "pa")
                for r in ("none", "varimax", "oblimin", "promax")]
               + [("teacher", f"{m}_none") for m in ("minres", "ml", "pa")]
               + [("bfi15", "minres_oblimin"), ("bfi15", "ml_varimax"), ("bfi15", "pa_promax")])


@pytest.fixture(scope="module")
def efa_ref(ref_loader):
    load_ref, load_data, ref_dir = ref_loader
    return load_ref("efa.json"), load_data, ref_dir


_FITS: dict = {}


def _fit(efa_ref, case, key):
    if (case, key) not in _FITS:
        refs, load_data, _ = efa_ref
        spec = refs[case]
        method, rotation = key.split("_")
        data = load_data(spec["data"])
        _FITS[case, key] = (data, efa(data, spec["items"], n_factors=spec["n_factors"],
                                      method=method, rotation=rotation))
    return _FITS[case, key]


@pytest.mark.parametrize("case, key", COMBOS)
def test_efa_matches_psych(efa_ref, case, key):
    refs = efa_ref[0]
    spec, want = refs[case], refs[case]["results"][key]
    _, fit = _fit(efa_ref, case, key)
    items = spec["items"]
    assert fit.n == spec["n"]
    assert fit.factors == want["factor_names"]  # psych's names, permuted by sorting
    expected = np.array([want["loadings"][i] for i in items])
    assert fit.loadings.loc[items].to_numpy() == pytest.approx(expected, abs=ATOL)
    assert fit.communalities[items].tolist() == pytest.approx(
        [want["communalities"][i] for i in items], abs=ATOL)
    assert fit.uniquenesses[items].tolist() == pytest.approx(
        [want["uniquenesses"][i] for i in items], abs=ATOL)
    assert fit.variance_explained["ss_loadings"].tolist() == pytest.approx(
        want["ss_loadings"], abs=ATOL)
    assert fit.variance_explained["proportion"].tolist() == pytest.approx(
        want["proportion"], abs=ATOL)
    if want["phi"]:
        assert fit.phi is not None
        assert fit.phi.to_numpy() == pytest.approx(np.array(want["phi"]), abs=ATOL)
    else:
        assert fit.phi is None
    assert list(fit.eigenvalues) == pytest.approx(want["e_values"], abs=1e-10)


@pytest.mark.parametrize("case", ["bfi15", "attitude", "teacher"])
def test_kmo_and_bartlett_match_psych(efa_ref, case):
    refs = efa_ref[0]
    spec = refs[case]
    _, fit = _fit(efa_ref, case, next(iter(spec["results"])))
    assert fit.kmo == pytest.approx(spec["kmo"]["overall"], rel=1e-10)
    assert fit.kmo_items[spec["items"]].tolist() == pytest.approx(
        [spec["kmo"]["items"][i] for i in spec["items"]], rel=1e-10)
    assert fit.bartlett["chi2"] == pytest.approx(spec["bartlett"]["chi2"], rel=1e-10)
    assert fit.bartlett["df"] == spec["bartlett"]["df"]
    assert fit.bartlett["p"] == pytest.approx(spec["bartlett"]["p"], rel=1e-8, abs=1e-300)


@pytest.mark.parametrize("case, key", SCORE_FILES)
def test_regression_scores_match_psych(efa_ref, case, key):
    _, _, ref_dir = efa_ref
    data, fit = _fit(efa_ref, case, key)
    want = pd.read_csv(ref_dir / f"scores_{case}_{key}.csv")
    got = fit.scores(data).dropna()
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    assert got.to_numpy() == pytest.approx(want.to_numpy(), abs=ATOL)


def test_scores_keep_index_and_mark_incomplete_rows(efa_ref):
    data, fit = _fit(efa_ref, "bfi15", "minres_oblimin")
    scores = fit.scores(data)
    assert scores.index.equals(data.index)
    incomplete = data[fit.items].isna().any(axis=1)
    assert incomplete.sum() > 0
    assert scores[incomplete].isna().all().all() and scores[~incomplete].notna().all().all()
    sample = fit.scores(data, standardize="sample")
    assert sample.dropna().to_numpy() == pytest.approx(scores.dropna().to_numpy(), abs=1e-10)


@pytest.mark.parametrize("case, key", [("bfi15", "ml_oblimin"), ("attitude", "pa_promax")])
def test_factors_are_reflected_positive(efa_ref, case, key):
    _, fit = _fit(efa_ref, case, key)
    assert (fit.loadings.sum(axis=0) > 0).all()


def test_to_dict_stable_keys(efa_ref):
    refs = efa_ref[0]
    spec = refs["attitude"]
    _, fit = _fit(efa_ref, "attitude", "minres_oblimin")
    d = fit.to_dict()
    assert {"n", "loadings", "communalities", "variance_explained"} <= set(d)
    assert set(d["loadings"]) == set(spec["items"])
    assert all(len(v) == 2 for v in d["loadings"].values())
    assert d["variance_explained"] == pytest.approx(
        spec["results"]["minres_oblimin"]["proportion"], abs=ATOL)
    json.dumps(d)
    assert "h2" in fit.to_frame().columns and "<table" in fit._repr_html_()


def _small():
    rng = np.random.default_rng(7)
    g = rng.normal(size=(60, 1))
    return pd.DataFrame(g + rng.normal(size=(60, 4)), columns=list("abcd"))


@pytest.mark.parametrize("kwargs", [
    {"n_factors": 4}, {"n_factors": 0}, {"n_factors": 1, "method": "gls"},
    {"n_factors": 2, "rotation": "quartimax"}, {"n_factors": 1, "rotation": "geomin"},
])
def test_bad_arguments(kwargs):
    with pytest.raises(InputError):
        efa(_small(), list("abcd"), **kwargs)


def test_unknown_item_is_named():
    with pytest.raises(InputError) as info:
        efa(_small(), ["a", "b", "zz"], n_factors=1)
    assert "'zz'" in str(info.value) and info.value.location.column == "zz"


def test_non_numeric_item():
    df = _small().assign(e=["x"] * 60)
    with pytest.raises(DataError) as info:
        efa(df, list("abce"), n_factors=1)
    assert info.value.location.column == "e"


def test_too_few_complete_cases():
    df = _small().iloc[:8].copy()
    df.iloc[1:6, 0] = np.nan
    with pytest.raises(AnalysisError) as info:
        efa(df, list("abcd"), n_factors=1)
    assert "complete cases" in str(info.value)
