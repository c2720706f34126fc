"""prepare() on 400 questionnaires against base R (tests/reference/survey/pipeline.R)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind.spec import load_study
from leftbehind.survey import prepare

from .conftest import DEP, example_toml

HERE = Path(__file__).resolve().parents[1] / "reference" / "survey"
EXPECTED = pd.read_csv(HERE / "pipeline_expected.csv", keep_default_na=False, na_values=[""])
COUNTS = json.loads((HERE / "pipeline.json").read_text(encoding="utf-8"))
VARIABLES = list(COUNTS["missing"])


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipeline")
    (folder / "data").mkdir()
    shutil.copy(HERE / "pipeline_data.csv", folder / "data" / "hunchun_survey.csv")
    (folder / "study.toml").write_text(example_toml(), encoding="utf-8")
    return prepare(load_study(folder))


def test_status_and_decisive_reason(prepared):
    log = prepared.case_log
    assert log["status"].tolist() == EXPECTED["status"].tolist()
    assert log["decisive"].tolist() == EXPECTED["decisive"].fillna("").tolist()


def test_flow_counts(prepared):
    assert prepared.flow.n("collected") == COUNTS["collected"]
    assert prepared.flow.n("valid") == COUNTS["valid"]
    decisive = prepared.flow.rule_counts.set_index("reason")["decisive"].to_dict()
    assert decisive == COUNTS["decisive"]


@pytest.mark.parametrize("column", ["girl", "siblings", "korean", "mother_education", "father_education"])
def test_recodes(prepared, column):
    expected = EXPECTED.set_index("position").loc[prepared.valid.index, column]
    np.testing.assert_array_equal(prepared.valid[column].to_numpy(float), expected.to_numpy(float))


def test_migration(prepared):
    expected = EXPECTED.set_index("position").loc[prepared.valid.index, "migration"]
    ours = prepared.valid["migration"].astype(object).where(prepared.valid["migration"].notna(), None)
    assert ours.tolist() == expected.astype(object).where(expected.notna(), None).tolist()
    deceased = EXPECTED.set_index("position").loc[prepared.valid.index, "deceased"].astype(str) == "True"
    reasons = prepared.case_log.loc[prepared.valid.index, "reasons"]
    assert (reasons.str.contains("deceased parent") == deceased).all()


def test_complete_cases(prepared):
    scored = prepared.valid.assign(depression=prepared.valid[DEP].sum(axis=1, min_count=len(DEP)))
    complete, flow = prepared.listwise(scored, columns=VARIABLES)
    assert len(complete) == COUNTS["complete"] == flow.n("complete")
    assert flow.missing == COUNTS["missing"]
    assert complete["migration"].value_counts().to_dict() == COUNTS["migration"]
