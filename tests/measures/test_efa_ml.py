"""Maximum likelihood from several starts and Bartlett scores against R (efa_ml.R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.measures import efa
from leftbehind.measures.extraction import extract_fit


@pytest.fixture(scope="module")
def refs(ref_loader):
    load_ref, load_data, ref_dir = ref_loader
    return load_ref("efa_ml.json"), load_data, ref_dir


ML_CASES = ["local_optimum_1", "local_optimum_2", "local_optimum_3", "attitude_heywood",
            "bfi15_ordinary"]


@pytest.mark.parametrize("case", ML_CASES)
def test_ml_reaches_the_factanal_optimum(refs, case):
    want = refs[0]["ml"][case]
    data = refs[1](want["data"])
    fit = efa(data, want["items"], n_factors=want["n_factors"], method="ml", rotation="none")
    assert fit.n == want["n"]
    assert fit.objective == pytest.approx(want["objective"], abs=1e-7)
    assert fit.uniquenesses[want["items"]].tolist() == pytest.approx(
        [want["uniquenesses"][i] for i in want["items"]], abs=2e-3)
    heywood = [i for i, u in want["uniquenesses"].items() if u <= 0.005 + 1e-6]
    assert fit.heywood == heywood
    assert fit.to_dict()["objective"] == pytest.approx(want["objective"], abs=1e-7)


@pytest.mark.parametrize("case", ["local_optimum_2", "local_optimum_3"])
def test_one_start_is_not_enough_on_these_data(refs, case):
    """A single start (psych's) stops at a local optimum here; several starts do not."""
    want = refs[0]["ml"][case]
    data = refs[1](want["data"])[want["items"]].dropna()
    r = np.corrcoef(data.to_numpy(), rowvar=False)
    one = extract_fit(r, want["n_factors"], method="ml", n_starts=1)
    many = extract_fit(r, want["n_factors"], method="ml")
    assert one.objective > want["objective"] + 1e-5
    assert many.objective == pytest.approx(want["objective"], abs=1e-7)


BARTLETT = ["attitude_ml_varimax", "attitude_minres_none", "bfi15_minres_oblimin",
            "teacher_pa_none"]


@pytest.mark.parametrize("case", BARTLETT)
def test_bartlett_scores_match_psych(refs, case):
    load_ref, load_data, ref_dir = refs
    want = load_ref["bartlett"][case]
    data = load_data(want["data"])
    fit = efa(data, want["items"], n_factors=want["n_factors"], method=want["method"],
              rotation=want["rotation"])
    assert fit.factors == list(np.atleast_1d(want["factors"]))
    weights = fit.score_weights("bartlett").to_numpy()
    assert weights == pytest.approx(np.array(want["weights"]).reshape(weights.shape), abs=1e-4)
    expected = pd.read_csv(ref_dir / f"scores_bartlett_{case}.csv").set_index("row")
    got = fit.scores(data, method="bartlett", standardize="sample").loc[expected.index]
    assert got.to_numpy() == pytest.approx(expected[fit.factors].to_numpy(), abs=1e-3)


def test_bartlett_scores_match_factanal(refs):
    """stats::factanal(scores = "Bartlett") is a second, independent implementation."""
    _, load_data, ref_dir = refs
    data = load_data("measures_attitude.csv")
    fit = efa(data, list(data.columns), n_factors=1, method="ml")
    expected = pd.read_csv(ref_dir / "scores_bartlett_attitude_ml_factanal.csv").set_index("row")
    got = fit.scores(data, method="bartlett", standardize="sample")
    assert got["ML1"].to_numpy() == pytest.approx(expected["ML1"].to_numpy(), abs=1e-3)


def test_bartlett_differs_from_regression(refs):
    load_ref, load_data, _ = refs
    want = load_ref["bartlett"]["attitude_minres_none"]
    data = load_data(want["data"])
    fit = efa(data, want["items"], n_factors=1)
    reg = fit.scores(data)
    bart = fit.scores(data, method="bartlett")
    assert not np.allclose(reg.to_numpy(), bart.to_numpy(), atol=1e-3)


def test_unknown_score_method(refs):
    load_ref, load_data, _ = refs
    data = load_data("measures_attitude.csv")
    fit = efa(data, list(data.columns), n_factors=1)
    with pytest.raises(InputError, match="factor-score method"):
        fit.scores(data, method="anderson")  # type: ignore[arg-type]
