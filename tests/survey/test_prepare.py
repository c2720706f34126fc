"""prepare() end to end on the documented Hunchun study file with planted cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import DataError, InputError
from leftbehind.spec import load_study
from leftbehind.survey import prepare

from .conftest import DEP, example_toml, hunchun_frame


def test_statuses_and_reasons(hunchun_study):
    prepared = prepare(load_study(hunchun_study))
    log = prepared.case_log
    assert len(log) == 60 and log["row"].tolist() == list(range(1, 61))
    invalid = log[log["status"] == "invalid"]
    assert invalid.index.tolist() == [0, 2, 3, 4]
    assert invalid["decisive"].tolist() == ["questionnaire returned blank", "second entry of a questionnaire",
                                            "no consent", "the same answer to every question"]
    assert log.loc[8, "status"] == "valid" and log.loc[8, "reasons"] == "deceased parent"
    assert prepared.valid.index.tolist() == [i for i in range(60) if i not in (0, 2, 3, 4)]


def test_flow(hunchun_study):
    flow = prepare(load_study(hunchun_study)).flow
    assert [(s.stage, s.n) for s in flow.stages] == [("distributed", 1059), ("collected", 60), ("valid", 56)]
    assert flow.stages[-1].note == ("questionnaire returned blank: 1; no consent: 1; "
                                    "second entry of a questionnaire: 1; the same answer to every question: 1")
    assert flow.response_rate == pytest.approx(100 * 60 / 1059)


def test_derived_variables(hunchun_study):
    valid = prepare(load_study(hunchun_study)).valid
    raw = hunchun_frame()
    assert valid.loc[[5, 6, 7, 9, 11], "migration"].tolist() == ["mother", "father", "both", "father", "none"]
    assert pd.isna(valid.loc[8, "migration"])
    assert valid["migration"].cat.categories.tolist() == ["none", "mother", "father", "both"]
    rows = valid.index
    assert (valid["girl"] == (raw.loc[rows, "gender"] == 2).astype(float)).all()
    assert (valid["korean"] == (raw.loc[rows, "ethnicity"] == 2).astype(float)).all()
    assert (valid["siblings"] == raw.loc[rows, "n_siblings"].clip(upper=2)).all()
    expected_edu = np.ceil(raw.loc[rows, "mother_edu"] / 2)
    assert (valid["mother_education"] == expected_edu).all()
    assert (valid["school_belonging"] == raw.loc[rows, "belong"]).all()


def test_labels(hunchun_study):
    prepared = prepare(load_study(hunchun_study))
    assert prepared.variable_labels["dep1"] == "Felt depressed"
    assert prepared.variable_labels["migration"] == "Parental migration"
    assert prepared.value_labels["gender"] == {1: "boy", 2: "girl"}
    assert prepared.value_labels["siblings"] == {0: "0", 1: "1", 2: "2+"}


def test_study_labels_win_over_data_file_labels(hunchun_study):
    import pyreadstat

    frame = hunchun_frame().astype(float)
    path = hunchun_study / "data" / "hunchun_survey.sav"
    pyreadstat.write_sav(frame, str(path), column_labels={"dep1": "from the file", "age": "Age from file"},
                         variable_value_labels={"gender": {1: "male", 2: "female"}, "school": {1: "No. 1"}})
    text = example_toml().replace("hunchun_survey.csv", "hunchun_survey.sav")
    assert "hunchun_survey.sav" in text
    (hunchun_study / "study.toml").write_text(text, encoding="utf-8")
    prepared = prepare(load_study(hunchun_study))
    assert prepared.variable_labels["dep1"] == "Felt depressed"
    assert prepared.variable_labels["age"] == "Age (years)"
    assert prepared.value_labels["gender"] == {1: "boy", 2: "girl"}
    assert prepared.value_labels["school"] == {1: "No. 1"}
    assert prepared.case_log["status"].value_counts()["invalid"] == 4


def test_listwise_after_scores(hunchun_study):
    prepared = prepare(load_study(hunchun_study))
    scored = prepared.valid.assign(depression=prepared.valid[DEP].sum(axis=1, min_count=6),
                                   teacher_attitude=0.0)
    complete, flow = prepared.listwise(scored)
    assert 8 not in complete.index and 10 not in complete.index
    assert len(complete) == 54
    assert flow.stages[-1].stage == "complete" and flow.stages[-1].n == 54
    assert flow.missing["depression"] == 1 and flow.missing["migration"] == 1
    with pytest.raises(InputError, match="depression"):
        prepared.listwise()


def test_stacked_files_report_their_own_rows(hunchun_study):
    frame = hunchun_frame()
    frame.iloc[:30].to_csv(hunchun_study / "data" / "a.csv", index=False)
    second = frame.iloc[30:].copy()
    second.loc[45, "dep2"] = 8
    second.to_csv(hunchun_study / "data" / "b.csv", index=False)
    text = example_toml().replace('files = ["data/hunchun_survey.csv"]', 'files = ["data/a.csv", "data/b.csv"]')
    (hunchun_study / "study.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        prepare(load_study(hunchun_study))
    assert info.value.location.file.endswith("b.csv")
    assert (info.value.location.row, info.value.location.column) == (16, "dep2")
    assert "data row 16" in str(info.value)


@pytest.mark.parametrize("change, fragment, column", [
    (lambda f: f.rename(columns={"dep1": "dep_1"}), "named in the study file but not in the data", "dep1"),
    (lambda f: f.drop(columns="qid"), "not in the data", "qid"),
    (lambda f: f.assign(qid=f["qid"].where(f.index != 20)), "the id is blank", "qid"),
    (lambda f: f.assign(age=f["age"].where(f.index != 12, 40)), "outside the range 8-18", "age"),
])
def test_data_errors(hunchun_study, change, fragment, column):
    change(hunchun_frame()).to_csv(hunchun_study / "data" / "hunchun_survey.csv", index=False)
    with pytest.raises(DataError, match=fragment) as info:
        prepare(load_study(hunchun_study))
    assert info.value.location.column == column and info.value.hint


def test_unknown_column_hint_names_close_match(hunchun_study):
    hunchun_frame().rename(columns={"dep1": "dep_1"}).to_csv(hunchun_study / "data" / "hunchun_survey.csv",
                                                               index=False)
    with pytest.raises(DataError) as info:
        prepare(load_study(hunchun_study))
    assert "'dep_1'" in info.value.hint


def test_duplicate_ids_without_rule(hunchun_study):
    text = example_toml().replace('[[validity]]\nrule = "duplicate_id"\nkeep = "first"\n'
                                  'reason = "second entry of a questionnaire"\n', "")
    assert "duplicate_id" not in text
    (hunchun_study / "study.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match="occurs again") as info:
        prepare(load_study(hunchun_study))
    assert info.value.location.row == 3 and "duplicate_id" in info.value.hint


def test_describe_uses_study_settings_and_labels(hunchun_study):
    prepared = prepare(load_study(hunchun_study))
    scored = prepared.valid.assign(depression=prepared.valid[DEP].sum(axis=1, min_count=6), teacher_attitude=0.0)
    complete, _ = prepared.listwise(scored)
    table = prepared.describe(complete).to_frame()
    assert table["group"].unique().tolist() == ["none", "mother", "father", "both"]
    gender = table[table["variable"] == "gender"]
    assert set(gender["level"]) == {"boy", "girl"}
    for group, part in gender.groupby("group"):
        assert part["percent"].sum() == pytest.approx(100)
        assert (part["count"].sum() == part["n"]).all()
    siblings = table[(table["variable"] == "siblings") & (table["group"] == "none")]
    expected = complete.loc[complete["migration"] == "none", "siblings"].value_counts()
    assert siblings.set_index("level")["count"].to_dict() == {"0": expected.get(0, 0), "1": expected.get(1, 0),
                                                             "2+": expected.get(2, 0)}


def test_duplicate_message_names_both_rows(hunchun_study):
    text = example_toml().replace('[[validity]]\nrule = "duplicate_id"\nkeep = "first"\n'
                                  'reason = "second entry of a questionnaire"\n', "")
    (hunchun_study / "study.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"id 3 occurs again in data row 3 \(first at data row 2\)"):
        prepare(load_study(hunchun_study))
