"""Numeric-coded groups in the model series: integer codes in term names, group-aware term keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.models.series import (group_term, integer_codes, main_effect_series, moderation_series,
                                      term_keys)


@pytest.fixture
def frame():
    rng = np.random.default_rng(5)
    n = 120
    return pd.DataFrame({"y": rng.normal(size=n), "care": rng.integers(1, 4, n).astype(float),
                         "school": rng.integers(1, 3, n).astype(float), "s": rng.normal(size=n)})


def test_group_term_writes_integer_codes():
    assert group_term("care", 2.0) == group_term("care", np.float64(2.0)) == "C(care, Treatment(2))"
    assert group_term("care", 2.5) == "C(care, Treatment(2.5))"
    assert group_term("a b", "none") == "C(Q('a b'), Treatment('none'))"


def test_integer_codes():
    frame = pd.DataFrame({"g": [1.0, 2.0], "h": [1.0, np.nan], "x": [0.5, 1.0], "t": ["a", "b"]})
    out = integer_codes(frame, ["g", "h", "x", "t", "absent"])
    assert out["g"].tolist() == [1, 2] and out["g"].dtype == "int64"
    assert out["h"].dtype == out["x"].dtype == "float64" and out["t"].tolist() == ["a", "b"]
    assert frame["g"].dtype == "float64"  # the input is not changed
    assert integer_codes(frame, ["x"]) is frame


def test_moderation_series_with_float_codes_and_integer_reference(frame):
    frame.loc[3, "care"] = np.nan
    res = moderation_series(frame, "y ~ C(school)", "care", ["s"], reference=1)
    model = res.models["s"]
    assert "C(care, Treatment(1))[T.2]" in model.result.terms
    assert not any(".0]" in t for t in model.result.terms if "care" in t)
    assert model.term_keys["C(care, Treatment(1))[T.3]:s"] == "3_x"
    assert model.term_keys["C(school)[T.2.0]"] == "C(school)[T.2.0]"  # not the group: keeps its name
    same = moderation_series(frame, "y ~ C(school)", "care", ["s"], reference=1.0)
    assert np.allclose(same.models["s"].result.coefficients["b"], model.result.coefficients["b"])


def test_term_keys_of_two_factors_with_the_same_levels():
    terms = ["Intercept", "C(care, Treatment(1))[T.2]", "C(school)[T.2]", "s", "C(care, Treatment(1))[T.2]:s"]
    assert term_keys(terms, "s", group="care") == {
        "Intercept": "const", "C(care, Treatment(1))[T.2]": "2", "C(school)[T.2]": "C(school)[T.2]",
        "s": "moderator", "C(care, Treatment(1))[T.2]:s": "2_x"}
    # without a group every dummy is keyed by its level and the second "2" keeps its term name
    assert term_keys(terms, "s")["C(school)[T.2]"] == "C(school)[T.2]"


def test_main_effect_series_keys_the_group(frame):
    frame = integer_codes(frame, ["care", "school"])
    res = main_effect_series(frame, "y ~ C(care, Treatment(3)) + C(school)", ["s"], group="care")
    keys = res.models["s"].term_keys
    assert keys["C(care, Treatment(3))[T.1]"] == "1" and keys["C(school)[T.2]"] == "C(school)[T.2]"
