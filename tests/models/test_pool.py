"""Rubin's rules against R mice on the SAME completed data sets (tests/reference/mice/mice.R).

R wrote the m completed data sets of two imputations (mice::nhanes2, a mice::boys subset) and
pool(), pool.r.squared() and D1() of lm fits on them; we refit on those rows, pool, and must
agree to 1e-8 relative (only floating-point rounding separates the two sides).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, InputError
from leftbehind.models.ols import fit_ols
from leftbehind.models.pool import barnard_rubin, pool_d1, pool_fits, pool_r_squared, pool_scalar

from .conftest import REF_DIR, assert_close

LEVELS = {"nhanes2": {"age": ["20-39", "40-59", "60-99"], "hyp": ["no", "yes"]},
          "boys": {"reg": ["north", "east", "west", "south", "city"]}}

POOL_REF = json.loads((REF_DIR / "mice" / "pool.json").read_text(encoding="utf-8"))

CASES = [(name, i) for name, entries in POOL_REF.items() for i in range(len(entries))]


def completed(name: str) -> list[pd.DataFrame]:
    long = pd.read_csv(REF_DIR / "data" / f"mice_{name}_completed.csv")
    for col, levels in LEVELS[name].items():
        long[col] = pd.Categorical(long[col], categories=levels)
    return [part.drop(columns=".imp").reset_index(drop=True) for _, part in long.groupby(".imp")]


def py_terms(name: str, r_terms: list[str]) -> list[str]:
    """R's term names in patsy's spelling: (Intercept) -> Intercept, age40-59 -> age[T.40-59]."""
    out = []
    for term in r_terms:
        patsy = "Intercept" if term == "(Intercept)" else term
        for col, levels in LEVELS[name].items():
            for level in levels:
                if term == col + level:
                    patsy = f"{col}[T.{level}]"
        out.append(patsy)
    return out


@pytest.fixture(scope="module")
def frames() -> dict[str, list[pd.DataFrame]]:
    return {name: completed(name) for name in POOL_REF}


@pytest.mark.parametrize(("name", "i"), CASES)
def test_pool_matches_mice(frames, name, i):
    exp = POOL_REF[name][i]
    fits = [fit_ols(d, exp["formula"]) for d in frames[name]]
    pooled = pool_fits(fits)
    assert pooled.m == exp["m"] and pooled.dfcom == exp["dfcom"]
    terms = py_terms(name, exp["terms"])
    assert sorted(pooled.terms) == sorted(terms)
    tab = pooled.coefficients.loc[terms]
    for col, rcol in [("b", "estimate"), ("ubar", "ubar"), ("between", "b"), ("total", "t"),
                      ("df", "df"), ("riv", "riv"), ("lambda_", "lambda"), ("fmi", "fmi")]:
        for j, term in enumerate(exp["terms"]):
            assert_close(tab[col].iloc[j], exp[rcol][j], what=f"{name} {term} {col}")
    assert_close(tab["se"].iloc[0], np.sqrt(exp["t"][0]), what="se")


# R² of an intercept-only model is 0 (z = 0): nothing to pool, so those cases are left out
@pytest.mark.parametrize(("name", "i"), [c for c in CASES if not POOL_REF[c[0]][c[1]]["formula"].endswith("~ 1")])
def test_pool_r_squared_matches_mice(frames, name, i):
    exp = POOL_REF[name][i]
    fits = [fit_ols(d, exp["formula"]) for d in frames[name]]
    for adjusted, key in [(False, "r2"), (True, "adj_r2")]:
        got = pool_r_squared(fits, adjusted=adjusted)
        for attr, rkey in [("estimate", "est"), ("ci_low", "lo95"), ("ci_high", "hi95"),
                           ("fmi", "fmi")]:
            assert_close(getattr(got, attr), exp[key][rkey], what=f"{name} {key} {attr}")


@pytest.mark.parametrize(("name", "i"), [c for c in CASES if "d1" in POOL_REF[c[0]][c[1]]])
def test_d1_matches_mice(frames, name, i):
    exp = POOL_REF[name][i]
    fits = [fit_ols(d, exp["formula"]) for d in frames[name]]
    null = [fit_ols(d, exp["null_formula"]) for d in frames[name]]
    got = pool_d1(fits, null)
    assert got.df1 == exp["d1"]["df1"]
    for attr in ("f", "df2", "riv"):
        assert_close(getattr(got, attr), exp["d1"][attr], what=f"{name} D1 {attr}")
    assert_close(got.p, exp["d1"]["p"], what=f"{name} D1 p", rtol=1e-6)


def test_lambda_clamped_when_between_variance_is_zero(frames):
    # age is never missing in boys: B = 0, lambda is clamped at 1e-4 inside barnard.rubin only
    pooled = pool_fits([fit_ols(d, "age ~ 1") for d in frames["boys"]])
    row = pooled.coefficients.loc["Intercept"]
    # the same column in every data set: B is zero up to rounding of the QR solve
    assert abs(row["between"]) < 1e-20 and abs(row["lambda_"]) < 1e-20
    dfold = 9 / 1e-8
    dfobs = (747 + 1) / (747 + 3) * 747 * (1 - 1e-4)
    assert_close(row["df"], dfold * dfobs / (dfold + dfobs), what="clamped df")


def test_barnard_rubin_infinite_dfcom_is_rubin_1987():
    assert_close(barnard_rubin(3, np.array([2.0]), np.array([4.0]), float("inf"))[0],
                 2 / ((4 / 3 * 2 / 4) ** 2), what="dfold")


def test_pool_scalar_hand_computed():
    p = pool_scalar([1.0, 3.0], [1.0, 3.0])
    assert (p.qbar, p.ubar, p.between, p.total) == (2.0, 2.0, 2.0, 5.0)
    assert_close(p.riv, 1.5, what="riv")


def test_pool_needs_two_imputations(frames):
    with pytest.raises(InputError, match="at least two"):
        pool_fits([fit_ols(frames["boys"][0], "hc ~ age")])


def test_pool_refuses_different_terms(frames):
    a = fit_ols(frames["boys"][0], "hc ~ age")
    b = fit_ols(frames["boys"][1], "hc ~ age + wgt")
    with pytest.raises(AnalysisError, match="terms"):
        pool_fits([a, b])


def test_d1_refuses_non_nested(frames):
    fits = [fit_ols(d, "hc ~ age") for d in frames["boys"][:3]]
    with pytest.raises(AnalysisError, match="adds no term"):
        pool_d1(fits, fits)
    with pytest.raises(InputError, match="null-model"):
        pool_d1(fits, fits[:2])


def test_to_dict_is_json_safe(frames):
    pooled = pool_fits([fit_ols(d, "hc ~ age + reg") for d in frames["boys"]])
    text = json.dumps(pooled.to_dict())
    assert '"m": 10' in text and "reg[T.city]" in text
    assert "<table" in pooled._repr_html_()
