"""Default simple-slope values stay inside the data (slopes_range.R): clipped mean ± SD, percentiles."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models.moderation import simple_slopes
from leftbehind.models.ols import fit_ols

REF = Path(__file__).resolve().parents[1] / "reference"
CASES = json.loads((REF / "models" / "slopes_range.json").read_text(encoding="utf-8"))


def _fit(name):
    case = CASES[name]
    data = pd.read_csv(REF / "data" / case["data"])
    return case, fit_ols(data, case["formula"])


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("at", ["sd", "percentiles"])
def test_default_values_match_r(name, at):
    case, res = _fit(name)
    out = simple_slopes(res, case["focal"], case["moderator"], at=None if at == "sd" else at)
    frame = out.to_frame()
    for i, row in enumerate(case[at]):
        for key, want in row.items():
            assert frame.loc[i, key] == pytest.approx(want, rel=1e-6 if key == "p" else 1e-8, abs=1e-12)
    if at == "sd":
        clipped = [label for label, c in zip(out.labels, case["clipped"]) if c]
        assert [note.split(" (")[0] for note in out.notes] == clipped
        assert out.to_dict()["notes"] == list(out.notes)
    else:
        assert out.labels == ("P16", "P50", "P84") and out.notes == ()


def test_values_outside_the_declared_range_are_refused():
    case, res = _fit("mtcars_am")
    with pytest.raises(InputError, match="outside the declared range 0-1"):
        simple_slopes(res, "hp", "am", at=[0, 1.5], valid_range=(0, 1))
    ok = simple_slopes(res, "hp", "am", at=[0, 1], valid_range=(0, 1))
    assert ok.labels == ("0", "1")


def test_bad_percentiles():
    _, res = _fit("iris_inside")
    with pytest.raises(InputError, match="between 0 and 100"):
        simple_slopes(res, "Petal_Length", "Sepal_Width", at="percentiles", percentiles=[50, 120])
    with pytest.raises(InputError, match="unknown moderator values"):
        simple_slopes(res, "Petal_Length", "Sepal_Width", at="quartiles")
