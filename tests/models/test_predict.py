"""Predictions at covariate means against R (model.matrix means, X b, sqrt(diag(X V X')))."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models.ols import fit_ols
from leftbehind.models.predict import design_rows, predict_at


def test_predictions_match_r(ref, datasets, close):
    spec = ref["predictions"]
    res = fit_ols(datasets["hunchun"], spec["formula"])
    grid = pd.DataFrame({"group": spec["group"], "belonging": spec["belonging"]})
    out = predict_at(res, grid).to_frame()
    for col in ("fit", "se", "ci_low", "ci_high"):
        for got, want in zip(out[col], spec[col]):
            close(got, want, what=col)
    json.dumps(predict_at(res, grid).to_dict(), allow_nan=False)


def test_other_terms_are_held_at_means(datasets):
    res = fit_ols(datasets["hunchun"], "depression ~ C(group, Treatment('none')) + belonging + girl + age")
    rows = design_rows(res, pd.DataFrame({"belonging": [2.0, 4.0]}))
    for term in res.terms:
        if term != "belonging":
            np.testing.assert_allclose(rows[term], res.design_means[term])
    fixed = design_rows(res, pd.DataFrame({"belonging": [2.0]}), covariates={"girl": 1})
    assert fixed["girl"].iloc[0] == 1.0


def test_errors(datasets):
    res = fit_ols(datasets["hunchun"], "depression ~ C(group, Treatment('none')) * belonging")
    with pytest.raises(InputError):
        predict_at(res, pd.DataFrame())
    with pytest.raises(InputError, match="not a predictor"):
        predict_at(res, pd.DataFrame({"age": [12]}))
    with pytest.raises(InputError, match="levels"):
        predict_at(res, pd.DataFrame({"group": ["aunt"], "belonging": [3.0]}))
    with pytest.raises(InputError, match="covariates"):
        predict_at(res, pd.DataFrame({"belonging": [3.0]}), covariates="median")
