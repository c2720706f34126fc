"""Validity rules, exclusions, out-of-range policies and the case log."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import DataError
from leftbehind.spec import ConditionRule, Study
from leftbehind.survey.cleaning import clean, condition_mask
from leftbehind.survey.intake import SurveyData

N = np.nan
FRAME = pd.DataFrame({"qid": [1, 2, 3, 4, 5, 2], "consent": [1, 2, 1, 1, N, 1],
                      "a": [3, N, 4, 2, N, 1], "b": [3, N, 4, 5, N, 2], "c": [3, N, 4, 9, N, 1]})


@pytest.mark.parametrize("op, value, expected", [
    ("==", 1, [1, 0, 1, 1, 0, 1]), ("!=", 1, [0, 1, 0, 0, 0, 0]), ("<", 2, [1, 0, 1, 1, 0, 1]),
    ("<=", 1, [1, 0, 1, 1, 0, 1]), (">", 1, [0, 1, 0, 0, 0, 0]), (">=", 2, [0, 1, 0, 0, 0, 0]),
    ("in", [2, 3], [0, 1, 0, 0, 0, 0]), ("not_in", [2], [1, 0, 1, 1, 0, 1]),
    ("missing", None, [0, 0, 0, 0, 1, 0]), ("not_missing", None, [1, 1, 1, 1, 0, 1]),
])
def test_condition_ops(op, value, expected):
    mask = condition_mask(FRAME, ConditionRule(column="consent", op=op, value=value))
    assert mask.astype(int).tolist() == expected


def test_condition_on_text():
    frame = pd.DataFrame({"s": ["x", "y", None]})
    assert condition_mask(frame, ConditionRule(column="s", op="==", value="y")).tolist() == [False, True, False]


def make(frame: pd.DataFrame, **sections) -> tuple[SurveyData, Study]:
    data = SurveyData(frame=frame, origin=pd.DataFrame({"file": ["q.csv"] * len(frame),
                                                        "row": range(1, len(frame) + 1)}))
    study = Study(study={"title": "t"}, survey={"files": ["q.csv"], **sections.pop("survey", {})},
                  item_blocks=[{"names": ["a", "b", "c"], "range": [1, 5], "missing": [9]},
                               {"names": ["consent"], "range": [1, 2]}], **sections)
    return data, study


def test_missing_codes_become_nan():
    data, study = make(FRAME)
    cleaned = clean(data, study)
    assert np.isnan(cleaned.frame.loc[3, "c"]) and FRAME.loc[3, "c"] == 9


def test_every_reason_is_logged_and_first_decides():
    data, study = make(FRAME, validity=[
        {"rule": "blank", "columns": ["a", "b", "c"]},
        {"rule": "duplicate_id", "keep": "first"},
        {"rule": "straightlining", "columns": ["a", "b", "c"]},
        {"rule": "condition", "column": "consent", "op": "==", "value": 2, "reason": "no consent"},
    ], exclusions=[{"column": "a", "op": ">=", "value": 4, "reason": "a high"}])
    cleaned = clean(data, study)
    log = cleaned.case_log
    assert list(log.columns) == ["id", "file", "row", "status", "decisive", "reasons"]
    assert log["status"].tolist() == ["invalid", "invalid", "invalid", "valid", "invalid", "invalid"]
    assert log["reasons"].tolist() == [
        "identical answers (straightlining)",
        "blank questionnaire; no consent",
        "identical answers (straightlining); a high",
        "",
        "blank questionnaire",
        "duplicate id"]
    assert log["decisive"].tolist()[1] == "blank questionnaire"
    assert log["row"].tolist() == [1, 2, 3, 4, 5, 6]
    counts = cleaned.rule_counts.set_index("reason")
    assert counts.loc["blank questionnaire", "decisive"] == 2
    assert counts.loc["no consent", "decisive"] == 0 and counts.loc["no consent", "applies"] == 1
    assert counts.loc["a high", "applies"] == 1 and counts.loc["a high", "decisive"] == 0
    assert cleaned.to_dict()["status"] == {"invalid": 5, "valid": 1}


def test_exclusions_after_validity():
    data, study = make(FRAME, exclusions=[{"column": "a", "op": ">=", "value": 3}])
    log = clean(data, study).case_log
    assert log["status"].tolist() == ["excluded", "valid", "excluded", "valid", "valid", "valid"]
    assert log["reasons"].iloc[0] == "a >= 3"


def test_duplicate_id_keep_none_and_straightlining_min_items():
    frame = pd.DataFrame({"qid": [1, 1, 2], "consent": [1, 1, 1], "a": [2, 2, 3], "b": [2, N, 3], "c": [2, N, 1]})
    data, study = make(frame, validity=[{"rule": "duplicate_id", "keep": "none"},
                                        {"rule": "straightlining", "columns": ["a", "b", "c"], "min_items": 2}])
    log = clean(data, study).case_log
    assert log["reasons"].tolist() == ["duplicate id; identical answers (straightlining)", "duplicate id", ""]


def test_out_of_range_error_names_file_row_column():
    frame = FRAME.assign(a=[3, N, 4, 2, N, 7])
    data, study = make(frame)
    with pytest.raises(DataError) as info:
        clean(data, study)
    err = info.value
    assert (err.location.file, err.location.row, err.location.column) == ("q.csv", 6, "a")
    assert "data row 6" in err.message and "1-5" in err.message and "out_of_range" in err.hint


def test_out_of_range_text_counts():
    frame = FRAME.assign(b=["3", None, "4", "5", None, "x"])
    data, study = make(frame, survey={"out_of_range": "missing"})
    cleaned = clean(data, study)
    assert pd.isna(cleaned.frame.loc[5, "b"]) and cleaned.frame.loc[0, "b"] == "3"


def test_out_of_range_missing_and_invalid():
    frame = FRAME.assign(a=[3, N, 4, 2, N, 7], b=[3, N, 4, 5, N, 0])
    data, study = make(frame, survey={"out_of_range": "missing"})
    cleaned = clean(data, study)
    assert pd.isna(cleaned.frame.loc[5, "a"]) and pd.isna(cleaned.frame.loc[5, "b"])
    assert (cleaned.case_log["status"] == "valid").all()
    data, study = make(frame, survey={"out_of_range": "invalid"})
    log = clean(data, study).case_log
    assert log.loc[5, "status"] == "invalid" and log.loc[5, "reasons"] == "a out of range; b out of range"
