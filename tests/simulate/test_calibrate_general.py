"""The calibration is driven by the figures file: a made-up paper with other groups, another
reference group, one control and one moderator is reproduced too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from leftbehind.simulate.build import build_valid_cases
from leftbehind.simulate.figures import load_figures


def made_up_paper(seed: int = 0) -> dict:
    """Print the tables of a data set drawn here (so the printed figures are attainable)."""
    rng = np.random.default_rng(seed)
    n = {"away": 150, "home": 250, "split": 100}
    group = np.repeat(list(n), list(n.values()))
    boy = rng.random(500) < 0.5
    support = np.clip(np.round(3.5 + rng.normal(size=500) - 0.4 * (group == "away")), 1, 5)
    y = np.clip(np.round(12 + 2 * (group == "away") - 1.2 * (support - 3.5) + 1.0 * boy
                         - 0.8 * (group == "away") * (support - 3.5)
                         + rng.gamma(2.0, 2.2, 500) - 4.4), 4, 20)
    df = pd.DataFrame({"y": y, "boy": boy.astype(float), "support": support, "g": group})
    for g in n:
        df[g] = (df["g"] == g).astype(float)

    def printed(formula, data, rename):
        res = smf.ols(formula, data=data).fit()
        out = {rename.get(k, k): {"b": float(res.params[k]), "se": float(res.bse[k])}
               for k in res.params.index}
        out["r2"] = float(res.rsquared)
        return out

    base = {"Intercept": "const"}
    df["m"] = df["support"] - df["support"].mean()
    table1 = {"n": n,
              "continuous": {"y": {s: {g: float(getattr(df.loc[df.g == g, "y"], s)())
                                       for g in n} for s in ("mean",)}},
              "categorical_percent": {
                  "sex": {c: {g: float(100 * ((df.loc[df.g == g, "boy"] == (c == "boy")).mean()))
                              for g in n} for c in ("girl", "boy")},
                  "support": {str(v): {g: float(100 * (df.loc[df.g == g, "support"] == v).mean())
                                       for g in n} for v in range(1, 6)}}}
    table1["continuous"]["y"]["sd"] = {g: float(df.loc[df.g == g, "y"].std()) for g in n}
    return {
        "outcome": "y", "controls": ["boy"], "table1": table1,
        "y_scale": {"items": 4, "response_range": [1, 5], "cronbach_alpha": 0.8},
        "migration_rule": {"reference": "home"},
        "table2": {"model1": printed("y ~ away + split", df, base),
                   "model2": printed("y ~ away + split + boy", df, base)},
        "table3_main_effects": {"support": printed(
            "y ~ away + split + boy + m", df, {**base, "m": "moderator"})},
        "table4_interactions": {"support": printed(
            "y ~ away + split + boy + m + away:m + split:m", df,
            {**base, "m": "moderator", "away:m": "away_x", "split:m": "split_x"})},
        "model_conventions": {"centering": {"table3": {"*": "mean"}, "table4": {"*": "mean"}}},
    }


@pytest.mark.slow
def test_made_up_paper_is_reproduced():
    figures = made_up_paper()
    fig = load_figures(figures)
    assert fig.reference == "home" and fig.comparison_groups == ("away", "split")
    cases = build_valid_cases(fig, n_incomplete=40, factor_ok=np.ones(40, bool),
                              seed_seq=np.random.SeedSequence(3), n_random=10, n_local=10)
    cc = cases.frame[cases.frame["complete"]].copy()
    cc["boy"] = (cc["sex"] == "boy").astype(float)
    cc["support"] = cc["support__value"]
    cc["m"] = cc["support"] - cc["support"].mean()
    for g in ("away", "split"):
        cc[g] = (cc["group"] == g).astype(float)
    assert cc["group"].value_counts().to_dict() == figures["table1"]["n"]
    checks = [("y ~ away + split", figures["table2"]["model1"]),
              ("y ~ away + split + boy", figures["table2"]["model2"]),
              ("y ~ away + split + boy + m", figures["table3_main_effects"]["support"]),
              ("y ~ away + split + boy + m + away:m + split:m",
               figures["table4_interactions"]["support"])]
    names = {"const": "Intercept", "moderator": "m", "away_x": "away:m", "split_x": "split:m"}
    for formula, printed in checks:
        res = smf.ols(formula, data=cc).fit()
        for term, spec in printed.items():
            if term == "r2":
                assert abs(res.rsquared - spec) < 0.02, formula
            else:
                assert abs(res.params[names.get(term, term)] - spec["b"]) < spec["se"], (formula, term)
    items = cases.frame[[f"y_item{j}" for j in range(1, 5)]]
    assert np.array_equal(items.sum(axis=1), cases.frame["y"])
