"""describe_by_group against R (tests/reference/survey/describe.R wrote describe.json)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.survey import describe_by_group

HERE = Path(__file__).resolve().parents[1] / "reference" / "survey"
R = json.loads((HERE / "describe.json").read_text(encoding="utf-8"))
GROUPS = ["none", "mother", "father", "both"]


@pytest.fixture(scope="module")
def result():
    frame = pd.read_csv(HERE / "describe_data.csv")
    frame["g"] = pd.Categorical(frame["g"], categories=GROUPS)
    return describe_by_group(frame, "g", continuous=["y", "age"], categorical=["sex", "grade"], tests=True)


def test_layout(result):
    table = result.to_frame()
    assert list(table.columns) == ["variable", "level", "group", "n", "mean", "sd", "count", "percent"]
    assert table["group"].unique().tolist() == GROUPS
    assert (table.loc[table["variable"] == "y", "level"] == "").all()


def test_group_n_matches_r(result):
    assert result.group_n == R["group_n"]


@pytest.mark.parametrize("row", R["rows"], ids=lambda r: f"{r['variable']}-{r['level']}-{r['group']}")
def test_rows_match_r(result, row):
    table = result.to_frame()
    ours = table[(table["variable"] == row["variable"]) & (table["level"] == row["level"])
                 & (table["group"] == row["group"])]
    assert len(ours) == 1
    ours = ours.iloc[0]
    assert ours["n"] == row["n"]
    for key in ("mean", "sd", "count", "percent"):
        if key in row:
            assert ours[key] == pytest.approx(row[key], rel=1e-10)


@pytest.mark.parametrize("test", R["tests"], ids=lambda t: t["variable"])
def test_tests_match_r(result, test):
    ours = result.tests.set_index("variable").loc[test["variable"]]
    assert ours["test"] == test["test"]
    assert ours["statistic"] == pytest.approx(test["statistic"], rel=1e-8)
    assert ours["df1"] == test["df1"]
    assert ours["p"] == pytest.approx(test["p"], rel=1e-6)
    if "df2" in test:
        assert ours["df2"] == test["df2"]
    else:
        assert np.isnan(ours["df2"])


def test_overall_and_value_labels():
    frame = pd.DataFrame({"g": [1, 1, 2, None], "sex": [1, 2, 2, 1], "y": [1.0, 2.0, 3.0, 4.0]})
    result = describe_by_group(frame, "g", continuous=["y"], categorical=["sex"], overall=True,
                               value_labels={"g": {1: "stay", 2: "away"}, "sex": {1: "boy", 2: "girl"}})
    table = result.to_frame()
    assert result.group_n == {"stay": 2, "away": 1, "overall": 3}
    overall = table[(table["group"] == "overall") & (table["variable"] == "y")].iloc[0]
    assert overall["mean"] == 2.0 and overall["n"] == 3
    girls = table[(table["level"] == "girl") & (table["group"] == "stay")].iloc[0]
    assert girls["count"] == 1 and girls["percent"] == 50.0
    assert result.tests.empty
    assert result.to_dict()["table"][0]["count"] is None


def test_errors():
    frame = pd.DataFrame({"g": [1, 2], "name": ["a", "b"]})
    with pytest.raises(InputError, match="'gg'"):
        describe_by_group(frame, "gg")
    with pytest.raises(InputError, match="not numeric"):
        describe_by_group(frame, "g", continuous=["name"])


def test_tests_with_too_little_data_are_nan():
    frame = pd.DataFrame({"g": [1, 1], "y": [1.0, 2.0], "s": [1, 1]})
    result = describe_by_group(frame, "g", continuous=["y"], categorical=["s"], tests=True)
    assert result.tests["p"].isna().all()
