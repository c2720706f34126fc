"""check_study / check_study_data list every problem instead of stopping at the first."""

from __future__ import annotations

from leftbehind.errors import DataError, StudyFileError
from leftbehind.spec import load_study
from leftbehind.survey import check_study, check_study_data

from .conftest import example_toml, hunchun_frame


def test_clean_study_has_no_problems(hunchun_study):
    assert check_study(hunchun_study) == []


def test_study_file_problems_come_first_and_alone(hunchun_study):
    (hunchun_study / "study.toml").write_text(example_toml().replace('score = "sum"', 'score = "total"'))
    problems = check_study(hunchun_study)
    assert len(problems) == 1 and isinstance(problems[0], StudyFileError)
    assert problems[0].location.key == "scales.depression.score"


def test_missing_study_file(tmp_path):
    (problem,) = check_study(tmp_path)
    assert "not found" in problem.message


def test_every_data_problem_is_listed(hunchun_study):
    frame = hunchun_frame()
    frame.loc[12, "age"] = 40
    frame.loc[13, "dep4"] = 0
    frame.loc[14, "qid"] = None
    frame.to_csv(hunchun_study / "data" / "hunchun_survey.csv", index=False)
    problems = check_study(hunchun_study)
    found = [(p.location.row, p.location.column) for p in problems]
    assert found == [(15, "qid"), (13, "age"), (14, "dep4")]
    assert all(isinstance(p, DataError) for p in problems)


def test_unknown_columns_are_all_listed_and_values_not_checked(hunchun_study):
    frame = hunchun_frame().rename(columns={"dep1": "dep_1", "belong": "belonging"})
    frame.loc[12, "age"] = 40
    frame.to_csv(hunchun_study / "data" / "hunchun_survey.csv", index=False)
    problems = check_study_data(load_study(hunchun_study))
    assert [p.location.column for p in problems] == ["dep1", "belong"]
    assert "'belonging'" in problems[1].hint


def test_unreadable_and_mismatched_files(hunchun_study):
    frame = hunchun_frame()
    frame.iloc[:30].to_csv(hunchun_study / "data" / "a.csv", index=False)
    frame.iloc[30:].drop(columns="peer_sat").to_csv(hunchun_study / "data" / "b.csv", index=False)
    text = example_toml().replace('files = ["data/hunchun_survey.csv"]', 'files = ["data/a.csv", "data/b.csv"]')
    (hunchun_study / "study.toml").write_text(text)
    problems = check_study(hunchun_study)
    assert "lacks peer_sat" in problems[0].message and problems[0].location.file.endswith("b.csv")
    assert problems[1].location.column == "peer_sat" and problems[1].location.file.endswith("b.csv")
    text = example_toml().replace('files = ["data/hunchun_survey.csv"]', 'files = ["data/a.csv", "data/none.csv"]')
    (hunchun_study / "study.toml").write_text(text)
    (problem,) = check_study(hunchun_study)
    assert "not found" in problem.message


def test_out_of_range_not_listed_when_policy_tolerates(hunchun_study):
    frame = hunchun_frame()
    frame.loc[12, "age"] = 40
    frame.to_csv(hunchun_study / "data" / "hunchun_survey.csv", index=False)
    text = example_toml().replace('out_of_range = "error"', 'out_of_range = "missing"')
    (hunchun_study / "study.toml").write_text(text)
    assert check_study(hunchun_study) == []


def test_derivation_failure_is_listed(hunchun_study):
    text = example_toml() + '\n[derived.reversed_age]\nrule = "reverse"\nsource = "qid"\n'
    (hunchun_study / "study.toml").write_text(text)
    (problem,) = check_study(hunchun_study)
    assert problem.location.key == "derived.reversed_age.range"
