"""The deterministic steps of logreg and polyreg against R mice (tests/reference/mice/mice_parts.R).

On the first completed data set of mice.R: mice:::augment's pseudo-observations (exact), the
weighted logistic fit of mice.impute.logreg (glm.fit: coefficients 1e-7,
cov.unscaled 1e-5) and
the multinomial fit of mice.impute.polyreg (nnet::multinom run to tight tolerances): fitted
probabilities within 1e-6 absolute, as nnet's BFGS stops a little short of the optimum
Newton–Raphson reaches, and R takes the alphabetically first category as reference (the
probabilities do not depend on it).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.models.impute import _augment, _logit_fit, _multinom_fit

from .conftest import REF_DIR

LEVELS = ["north", "east", "west", "south", "city"]
PARTS = json.loads((REF_DIR / "mice" / "parts.json").read_text(encoding="utf-8"))


def first_completed(name: str) -> pd.DataFrame:
    long = pd.read_csv(REF_DIR / "data" / f"mice_{name}_completed.csv")
    return long[long[".imp"] == 1].drop(columns=".imp").reset_index(drop=True)


@pytest.fixture(scope="module")
def nhanes():
    done = first_completed("nhanes2")
    x = np.column_stack([(done["age"] == "40-59"), (done["age"] == "60-99"), done["bmi"],
                         done["chl"]]).astype(float)
    y = (done["hyp"] == "yes").to_numpy(float)
    ry = pd.read_csv(REF_DIR / "data" / "mice_nhanes2.csv")["hyp"].notna().to_numpy()
    return y, ry, x


@pytest.fixture(scope="module")
def boys():
    done = first_completed("boys")
    y = done["reg"].map({lv: i for i, lv in enumerate(LEVELS)}).to_numpy(float)
    x = done[["age", "hgt", "wgt", "hc"]].to_numpy(float)
    ry = pd.read_csv(REF_DIR / "data" / "mice_boys.csv")["reg"].notna().to_numpy()
    return y, ry, x


@pytest.mark.parametrize(("key", "k"), [("augment_logreg", 2), ("augment_polyreg", 5)])
def test_augment_matches_mice(nhanes, boys, key, k):
    y, ry, x = nhanes if k == 2 else boys
    ya, rya, xa, w = _augment(y, ry, x, k)
    n = len(y)
    exp = PARTS[key]
    levels = ["no", "yes"] if k == 2 else LEVELS
    np.testing.assert_allclose(xa[n:], np.array(exp["x"]), rtol=1e-12)
    assert [levels[int(c)] for c in ya[n:]] == exp["y"]
    np.testing.assert_allclose(w[n:], exp["w"], rtol=1e-12)
    assert rya[n:].all() and (w[:n] == 1).all()


def test_logistic_fit_matches_glm(nhanes):
    y, ry, x = nhanes
    ya, rya, xa, w = _augment(y, ry, x, 2)
    xa = np.column_stack([np.ones(len(xa)), xa])
    beta, cov = _logit_fit(xa[rya], ya[rya], w[rya])
    np.testing.assert_allclose(beta, PARTS["logreg"]["coef"], rtol=1e-7)
    # glm.fit stops when the deviance changes by < 1e-8 relative and takes cov.unscaled from the
    # working weights of its last iteration: agreement to about 1e-6, not to machine precision
    np.testing.assert_allclose(cov, np.array(PARTS["logreg"]["cov_unscaled"]), rtol=1e-5)


def test_multinomial_fit_matches_nnet(boys):
    y, ry, x = boys
    ya, rya, xa, w = _augment(y, ry, x, 5)
    xa = np.column_stack([np.ones(len(xa)), xa])
    beta = _multinom_fit(xa[rya], ya[rya], w[rya], 5)
    eta = np.column_stack([np.zeros(rya.sum()), xa[rya] @ beta])
    prob = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    assert PARTS["polyreg"]["levels"] == LEVELS
    np.testing.assert_allclose(prob, np.array(PARTS["polyreg"]["fitted"]), atol=1e-6)
