"""The sample flow against the published counts and rates, and listwise deletion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.survey import SampleFlow, complete_cases

PUBLISHED = json.loads((Path(__file__).resolve().parents[1] / "reference" / "survey" / "published_flow.json")
                       .read_text(encoding="utf-8"))["sample_flow"]


def test_published_response_rates():
    flow = SampleFlow.from_counts(distributed=PUBLISHED["distributed"], collected=PUBLISHED["collected"],
                                  valid=PUBLISHED["valid"])
    assert round(flow.response_rate, 2) == PUBLISHED["response_rate_percent"]
    assert round(flow.valid_response_rate, 2) == PUBLISHED["valid_response_rate_percent"]


def test_published_flow_table_with_complete_cases():
    flow = SampleFlow.from_counts(distributed=PUBLISHED["distributed"], collected=PUBLISHED["collected"],
                                  valid=PUBLISHED["valid"])
    n_valid, n_complete = PUBLISHED["valid"], PUBLISHED["complete_cases"]
    frame = pd.DataFrame({"y": [1.0] * n_complete + [np.nan] * (n_valid - n_complete),
                          "x": [1.0] * n_valid})
    kept, report = complete_cases(frame, ["y", "x"])
    table = flow.with_complete_cases(report).to_frame()
    assert table["stage"].tolist() == ["distributed", "collected", "valid", "complete"]
    assert table["n"].tolist() == [1059, 980, 933, 605]
    assert table["percent"].round(2).tolist() == [100.0, 92.54, 88.1, round(100 * 605 / 1059, 2)]
    assert "y 328" in table["note"].iloc[-1]
    assert len(kept) == 605 and report.missing == {"y": 328, "x": 0}


def test_without_distributed_percent_is_of_collected():
    flow = SampleFlow.from_counts(collected=200, valid=150, included=120)
    assert flow.response_rate is None and flow.valid_response_rate is None
    table = flow.to_frame()
    assert table["stage"].tolist() == ["collected", "valid", "included"]
    assert table["percent"].tolist() == [100.0, 75.0, 60.0]
    assert flow.to_dict()["stages"][2] == {"stage": "included", "n": 120, "note": ""}


def test_rule_counts_go_into_notes():
    counts = pd.DataFrame({"step": ["validity", "validity", "exclusion"], "reason": ["blank", "no consent", "age"],
                           "decisive": [3, 0, 2], "applies": [3, 1, 2]})
    flow = SampleFlow.from_counts(collected=10, valid=7, included=5, rule_counts=counts)
    assert flow.to_frame()["note"].tolist() == ["", "blank: 3", "age: 2"]
    assert flow.to_dict()["rules"][1] == {"step": "validity", "reason": "no consent", "decisive": 0, "applies": 1}


def test_complete_cases_counts_categorical_missing_and_keeps_index():
    frame = pd.DataFrame({"g": pd.Categorical(["a", None, "b", "a"]), "y": [1, 2, np.nan, 4]}, index=[10, 11, 12, 13])
    kept, report = complete_cases(frame, ["g", "y", "g"])
    assert kept.index.tolist() == [10, 13]
    assert report.missing == {"g": 1, "y": 1}
    assert report.dropped == (11, 12) and report.to_dict()["dropped"] == [11, 12]
    assert report.to_frame()["missing"].tolist() == [1, 1]


def test_complete_cases_unknown_column():
    with pytest.raises(InputError, match="depresion") as info:
        complete_cases(pd.DataFrame({"depression": [1]}), ["depresion"])
    assert "depression" in info.value.hint
