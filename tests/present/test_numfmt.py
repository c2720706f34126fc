"""leftbehind.present.numfmt against R's sprintf and against hand-checked edge cases."""

import json
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leftbehind.errors import InputError, LeftbehindError
from leftbehind.present.numfmt import (fmt, fmt_b_se, fmt_ci, fmt_int, fmt_p, fmt_percent, stars,
                                       stars_note)

R_CASES = json.loads((Path(__file__).parents[1] / "reference" / "present" / "numfmt.json").read_text())["cases"]


def _unsigned_zero(text: str) -> str:
    """R prints '-0.000' for tiny negatives; leftbehind deliberately prints '0.000'."""
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


@pytest.mark.parametrize("case", R_CASES, ids=lambda c: f"{c['x']}-{c['digits']}")
def test_fmt_matches_r_sprintf(case):
    assert fmt(float(case["x"]), case["digits"]) == _unsigned_zero(case["sprintf"])


def test_reference_has_ties_and_negative_zeros():
    # the reference is only useful if it covers the hard cases
    assert any(c["sprintf"].startswith("-0.000") for c in R_CASES)
    assert any(c["x"] == "0.125" and c["digits"] == 2 for c in R_CASES)


@pytest.mark.parametrize("x, digits, expected", [
    (0.125, 2, "0.12"),          # exact binary tie: round half to even, as C and R
    (0.375, 2, "0.38"),
    (2.675, 2, "2.67"),          # 2.675 is stored as 2.67499999...
    (0.0005, 3, "0.001"),        # 0.0005 is stored as 0.000500000000000000010...
    (-0.0004, 3, "0.000"),       # no "-0.000"
    (-0.0, 3, "0.000"),
    (-0.0006, 3, "-0.001"),
    (-2.5, 0, "-2"),
    (605, 3, "605.000"),
    (np.float32(0.5), 1, "0.5"),
    (np.int64(7), 0, "7"),
    (Decimal("1.5"), 1, "1.5"),
    (math.inf, 3, "Inf"),
    (-math.inf, 3, "-Inf"),
])
def test_fmt_edge_cases(x, digits, expected):
    assert fmt(x, digits) == expected


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT, np.float64("nan")])
def test_missing_values_are_blank(missing):
    assert fmt(missing) == ""
    assert fmt_p(missing) == ""
    assert stars(missing) == ""
    assert fmt_percent(missing) == ""
    assert fmt_int(missing) == ""
    assert fmt_ci(missing, 1.0) == ""
    assert fmt_b_se(missing, missing, p=missing) == ("", "")


@pytest.mark.parametrize("bad", ["1.2", "abc", True, [1.0], object()])
def test_fmt_rejects_non_numbers(bad):
    with pytest.raises(InputError) as info:
        fmt(bad)
    assert info.value.hint


@pytest.mark.parametrize("digits", [-1, 16, 2.0, True, "3"])
def test_fmt_rejects_bad_digits(digits):
    with pytest.raises(LeftbehindError):
        fmt(1.0, digits)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
       st.integers(min_value=0, max_value=6))
def test_fmt_round_trips_within_half_a_unit(x, digits):
    text = fmt(x, digits)
    assert abs(Decimal(text) - Decimal(x)) <= Decimal(10) ** -digits / 2
    assert not text.startswith("-") or Decimal(text) != 0
    assert ("." in text) == (digits > 0)


@pytest.mark.parametrize("p, expected, expected_zero", [
    (0.0, "<.001", "<0.001"),
    (0.0004, "<.001", "<0.001"),
    (0.00099, "<.001", "<0.001"),   # rounds to .001 but is below .001
    (0.001, ".001", "0.001"),
    (0.0312, ".031", "0.031"),
    (0.05, ".050", "0.050"),
    (0.9996, "1.000", "1.000"),
    (1.0, "1.000", "1.000"),
])
def test_fmt_p(p, expected, expected_zero):
    assert fmt_p(p) == expected
    assert fmt_p(p, leading_zero=True) == expected_zero


def test_fmt_p_digits_and_range():
    assert fmt_p(0.0004, 4) == ".0004"
    assert fmt_p(0.00004, 4) == "<.0001"
    assert fmt_p(0.004, 2) == "<.01"
    for bad in (-0.01, 1.01, 2.3):
        with pytest.raises(InputError):
            fmt_p(bad)
    with pytest.raises(InputError):
        fmt_p(0.5, 0)


@pytest.mark.parametrize("p, expected", [
    (0.0, "***"), (0.000999, "***"), (0.001, "**"), (0.00999, "**"), (0.01, "*"),
    (0.0499, "*"), (0.05, ""), (0.5, ""), (1.0, ""),
])
def test_stars_strict_default_cutoffs(p, expected):
    assert stars(p) == expected


def test_stars_custom_cutoffs_any_order():
    assert stars(0.07, (0.1, 0.05, 0.01)) == "*"
    assert stars(0.03, (0.01, 0.1, 0.05)) == "**"
    assert stars(0.03, (0.1,), symbol="+") == "+"
    assert stars(0.0001, ()) == ""
    for bad_p in (-0.1, 1.5, 2.4):
        with pytest.raises(InputError):
            stars(bad_p)
    for bad in ((0.05, 0.05), (0.0,), (1.0,), ("x",)):
        with pytest.raises(InputError):
            stars(0.01, bad)


def test_stars_note():
    assert stars_note() == "* p < .05, ** p < .01, *** p < .001."
    assert stars_note((0.01, 0.1)) == "* p < .1, ** p < .01."
    assert stars_note(()) == ""


def test_fmt_percent_int_ci_b_se():
    assert fmt_percent(92.54) == "92.54"
    assert fmt_percent(0.881, 1, proportion=True, sign=True) == "88.1%"
    assert fmt_int(1059, thousands=True) == "1,059"
    assert fmt_int(1234567, thousands=True, separator="\u202f") == "1\u202f234\u202f567"
    assert fmt_int(np.int64(605)) == "605"
    with pytest.raises(InputError):
        fmt_int(605.5)
    with pytest.raises(InputError):
        fmt_int(math.inf)
    assert fmt_ci(-0.1234, 2.5) == "[-0.123, 2.500]"
    assert fmt_ci(1, 2, digits=0, brackets="()", separator="; ") == "(1; 2)"
    with pytest.raises(InputError):
        fmt_ci(1, 2, brackets="[")
    assert fmt_b_se(2.69, 1.1, p=0.0147) == ("2.690*", "(1.100)")
    assert fmt_b_se(11.47, 0.293, p=1e-40, digits=2) == ("11.47***", "(0.29)")
    assert fmt_b_se(0.5, 0.1, p=0.001, cutoffs=()) == ("0.500", "(0.100)")
    assert fmt_b_se(0.5, None, p=0.2) == ("0.500", "")
