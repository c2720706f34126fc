"""The select workflow as a library function: default model, residuals by survey id, strategies."""

from types import SimpleNamespace as NS

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.mixed.select import choose_interviewees, default_model, model_residuals
from leftbehind.models import fit_ols


def data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=12)
    return pd.DataFrame({"qid": np.arange(101, 113), "g": list("aabbccaabbcc"), "x": x,
                         "y": x + rng.normal(size=12), "z": rng.normal(size=12)})


def run(tables, frame):
    return NS(study=NS(survey=NS(id="qid"), analysis=NS(group="g")), analysis_frame=frame, tables=tables)


def test_default_model_is_the_last_model_of_the_first_nested_table():
    tables = {"moderation": NS(kind="moderation", models={"m1": 0}),
              "first_nested": NS(kind="nested", models={"Model 1": 0, "Model 2": 0}),
              "second_nested": NS(kind="nested", models={"Model 3": 0})}
    assert default_model(tables) == "first_nested:Model 2"
    # without kinds (or no nested table): the first table, whatever its name
    assert default_model({"zeta": NS(models={"a": 0, "b": 0}), "alpha": NS(models={"c": 0})}) == "zeta:b"
    with pytest.raises(InputError):
        default_model({})


def test_residuals_are_keyed_by_survey_id_and_match_lm():
    frame = data()
    fit = fit_ols(frame, "y ~ x")
    res = model_residuals({"t": NS(models={"m": fit})}, "t:m", frame=frame, id_column="qid")
    # the residuals of the least-squares line through (x, y), computed with numpy here
    slope, intercept = np.polyfit(frame["x"], frame["y"], 1)
    expected = frame["y"] - (intercept + slope * frame["x"])
    assert list(res.residuals.index) == list(frame["qid"])
    np.testing.assert_allclose(res.residuals.to_numpy(), expected.to_numpy(), atol=1e-10)
    assert res.model == "t:m" and res.formula == "y ~ x"
    with pytest.raises(InputError, match="t:m"):
        model_residuals({"t": NS(models={"m": fit})}, "t:nope", frame=frame, id_column="qid")


def test_choose_interviewees_uses_the_default_model_and_every_strategy():
    frame = data()
    nested = NS(kind="nested", models={"small": fit_ols(frame, "y ~ 1"), "big": fit_ols(frame, "y ~ x")})
    tables = {"other": NS(kind="moderation", models={"z": fit_ols(frame, "y ~ z")}), "blocks": nested}
    chosen = choose_interviewees(run(tables, frame), "extreme", n=2)
    resid = pd.Series(nested.models["big"].sm_result.resid.to_numpy(), index=frame["qid"])
    assert list(chosen.index) == [resid.idxmax(), resid.idxmin()]
    assert all("y ~ x" in r for r in chosen["reason"])
    typical = choose_interviewees(run(tables, frame), "typical", n=1, model="other:z")
    other = pd.Series(tables["other"].models["z"].sm_result.resid.to_numpy(), index=frame["qid"])
    assert list(typical.index) == [other.abs().idxmin()]
    assert sorted(choose_interviewees(run(tables, frame), n=1)["g"]) == ["a", "b", "c"]
    hl = choose_interviewees(run(tables, frame), "high-low", high="x", low="x")  # never both high and low on x
    assert hl.empty and "reason" in hl.columns
    with pytest.raises(InputError, match="strategy"):
        choose_interviewees(run(tables, frame), "nope")
    with pytest.raises(InputError, match="high"):
        choose_interviewees(run(tables, frame), "high-low", high="x")
