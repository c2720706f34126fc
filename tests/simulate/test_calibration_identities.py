"""Closed forms of the calibration against R's lm() (tests/reference/simulate/, written by
calibration_identities.R on carData::Prestige and datasets::mtcars): the Gram-matrix fit of
every printed model (b, SE, stars), the moderators' association with the controls that the
printed intercepts identify, the star bands and the whole-number polish."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from leftbehind.simulate import calibrate as cal
from leftbehind.simulate.build import control_gaps
from leftbehind.simulate.figures import Coefficient, load_figures

REF = Path(__file__).parents[1] / "reference" / "simulate"
CASES = json.loads((REF / "calibration_identities.json").read_text(encoding="utf-8"))
CENTRED = {"table2.model1": True}


def case(name: str):
    ref = CASES[name]
    fig = load_figures(ref["figures"])
    data = pd.read_csv(REF / f"{name}.csv")
    values = data[list(fig.controls) + list(fig.moderators)].astype(float)
    centred = {m.name: True for m in fig.models}
    return ref, fig, data, values, centred


@pytest.mark.parametrize("name", sorted(CASES))
def test_gram_fit_equals_lm(name):
    ref, fig, data, values, centred = case(name)
    y = data[fig.outcome].to_numpy(float)
    fitted = cal.fitted_terms(fig, data["g"].to_numpy(), values, y, centred)
    printed = {f"{table.split('_')[0]}.{model}": spec
               for table in ("table2", "table3_main_effects", "table4_interactions")
               for model, spec in ref["figures"][table].items()}
    assert len(fitted) == sum(len(s) - 1 for s in printed.values())
    for label, (b, se, stars) in fitted.items():
        model, term = label.rsplit(".", 1)
        r = printed[model][term]
        assert b == pytest.approx(r["b"], rel=1e-9, abs=1e-9), label
        assert se == pytest.approx(r["se"], rel=1e-9), label
        assert stars == r["stars"], label


@pytest.mark.parametrize("name", sorted(CASES))
def test_intercepts_identify_the_moderator_control_association(name):
    ref, fig, *_ = case(name)
    gaps = control_gaps(fig)
    for moderator, expected in ref["control_gap"].items():
        assert gaps[moderator] == pytest.approx(expected, rel=1e-9)


def test_no_main_effect_model_means_no_gap():
    ref = json.loads(json.dumps(CASES["mtcars"]["figures"]))
    del ref["table3_main_effects"]
    assert control_gaps(load_figures(ref)) == {}


def test_star_bands():
    # ** with t = 2.62 just above the cut-off: the band starts above the printed b
    centre, half, ok = cal.interval(Coefficient(2.767, 1.056, "**"), se=1.074, df=590, aim=1.0)
    assert ok and centre - half > 2.767 and centre + half == pytest.approx(2.767 + 0.528)
    # not significant, negative: the whole tolerance lies inside |t| < 1.964
    centre, half, ok = cal.interval(Coefficient(-0.2, 0.279, ""), se=0.279, df=590, aim=1.0)
    assert ok and (centre, half) == pytest.approx((-0.2, 0.1395))
    # a print whose stars no value within half an SE can earn keeps only the tolerance
    centre, half, ok = cal.interval(Coefficient(1.0, 1.0, "***"), se=1.0, df=100, aim=1.0)
    assert not ok and (centre, half) == pytest.approx((1.0, 0.5))
    # no stars given: tolerance only
    assert cal.interval(Coefficient(1.0, 0.2), se=0.2, df=10, aim=0.8)[:2] == pytest.approx((1.0, 0.08))


def test_polish_brings_every_coefficient_and_star_back():
    ref, fig, data, values, centred = case("prestige")
    groups = data["g"].to_numpy()
    # whole-number outcome shifted away from the print in one group
    y = np.round(data["prestige"].to_numpy() + 2.0 * (groups == "wc"))
    before = cal.fitted_terms(fig, groups, values, y, centred)
    wc = ref["figures"]["table2"]["model1"]["wc"]
    assert before["table2.model1.wc"][0] - wc["b"] > 0.5 * wc["se"]
    polished = cal.polish_outcome(fig, groups, values, y, centred, low=0, high=100, aim=0.9)
    assert np.all(polished == np.round(polished)) and polished.min() >= 0
    check = data.assign(y=polished, m=data["income"] - data["income"].mean())
    rhs = "C(g, Treatment('bc')) + education + women"
    for table, formula in (("table2", f"y ~ {rhs}"), ("table3_main_effects", f"y ~ {rhs} + m"),
                           ("table4_interactions", f"y ~ {rhs} + m * C(g, Treatment('bc'))")):
        spec = ref["figures"][table]
        spec = spec["model1"] if table == "table2" else spec["income"]
        res = smf.ols(formula, data=check).fit()
        names = {"const": "Intercept", "moderator": "m", "education": "education", "women": "women",
                 "prof": "C(g, Treatment('bc'))[T.prof]", "wc": "C(g, Treatment('bc'))[T.wc]",
                 "prof_x": "m:C(g, Treatment('bc'))[T.prof]", "wc_x": "m:C(g, Treatment('bc'))[T.wc]"}
        for term, r in spec.items():
            if term == "r2":
                continue
            b, p = res.params[names[term]], res.pvalues[names[term]]
            assert abs(b - r["b"]) <= 0.5 * r["se"], (table, term, b, r["b"])
            assert "*" * sum(p < c for c in (0.05, 0.01, 0.001)) == r["stars"], (table, term, p)
