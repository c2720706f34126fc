"""The simulated field data: flow, determinism, schools, writing the SPSS file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.simulate import simulate_study, write_study

SEED = 11


@pytest.mark.slow
def test_flow_counts(simulated, tools):
    study = simulated(SEED)
    raw = study.raw
    assert len(raw) == 980
    rules = tools.validity(raw)
    assert (rules != "").sum() == 47
    assert rules[rules != ""].value_counts().to_dict() == {
        k: v for k, v in study.flow["invalid"].items() if v}
    assert set(rules[rules != ""]) == {"blank", "no_consent", "duplicate_id", "straight_lining"}
    derived = tools.derive(raw)
    assert len(derived) == 933
    complete = tools.complete_cases(derived)
    assert len(complete) == 605
    assert len(derived) - len(complete) == 328
    assert complete["migration"].value_counts().to_dict() == {
        "none": 368, "mother": 29, "father": 123, "both": 85}
    valid = raw.loc[derived.index]
    deceased = (valid["mother_alive"] == 2) | (valid["father_alive"] == 2)
    assert deceased.sum() == study.flow["deceased_parent"] > 0
    assert derived.loc[deceased, "migration"].isna().all()
    # truth agrees with the rules applied here
    assert (study.truth.loc[rules != "", "status"] == "invalid").all()
    assert (study.truth.loc[complete.index, "status"] == "complete").all()


@pytest.mark.slow
def test_raw_coding(simulated, tools):
    raw = simulated(SEED).raw
    valid = raw.loc[tools.derive(raw).index]
    cc = raw.loc[tools.complete_cases(tools.derive(raw)).index]
    assert set(cc["grade"].unique()) == {5, 7, 8, 9}
    assert cc["n_siblings"].max() >= 3 and cc["n_siblings"].min() == 0
    assert set(cc["mother_edu"].unique()) == {1, 2, 3, 4, 5, 6}
    assert raw.loc[raw["parent_away"] == 2, ["mother_months", "father_months"]].isna().all().all()
    assert raw.loc[raw["parents_separated"] == 2, "custody"].isna().all()
    assert (cc["parents_separated"] == 1).sum() > 5
    months = pd.concat([cc["mother_months"], cc["father_months"]])
    assert (months == 5).any() and (months == 6).any()
    for col, values in {"dep1": range(1, 6), "teach_praise": range(1, 5),
                        "best_friends": range(1, 5), "peer_sat": range(1, 6)}.items():
        assert set(valid[col].dropna().unique()) <= set(values)
    # grade 5 only in the primary school; Korean schools 1-2, Han schools 3-4
    assert set(raw.loc[raw["grade"] == 5, "school"]) == {1}
    assert (raw.loc[raw["school"].isin([3, 4]), "ethnicity"].dropna() == 1).mean() > 0.9


@pytest.mark.slow
def test_schools_and_distribution(simulated):
    study = simulated(SEED)
    s = study.schools.set_index("school")
    assert s["distributed"].sum() == 1059
    assert s.loc[[1, 2], "distributed"].sum() == 527
    assert s.loc[[3, 4], "distributed"].sum() == 532
    assert (s["collected"] <= s["distributed"]).all()
    assert s["collected"].sum() == 980
    assert study.raw["qid"].nunique() == 980 - study.flow["invalid"]["duplicate_id"]


@pytest.mark.slow
def test_same_seed_same_data_other_seed_other_data(simulated, tools):
    terms = tuple(f"{m}.{t}" for m, t in tools.hypothesis_tests())
    again = simulate_study(tools.figures(), seed=SEED, must_match=terms)
    pd.testing.assert_frame_equal(again.raw, simulated(SEED).raw)
    pd.testing.assert_frame_equal(again.truth, simulated(SEED).truth)
    other = simulated(12).raw
    assert not other.equals(again.raw)


@pytest.mark.slow
def test_centring_inferred_when_not_declared(tools):
    figures = tools.figures()
    del figures["model_conventions"]
    study = simulate_study(figures, seed=5)
    centred = study.calibration["centred"]
    assert centred["table4.school_belonging"] is False
    assert all(v for k, v in centred.items() if k.startswith("table4.") and "belonging" not in k)


@pytest.mark.slow
def test_write_study_sav_with_labels(tmp_path, simulated, tools, monkeypatch):
    import pyreadstat

    import leftbehind.simulate.study as study_module

    monkeypatch.setattr(study_module, "simulate_study", lambda figures, seed, must_match=(): simulated(seed))
    study = write_study(tools.figures(), tmp_path, seed=SEED)
    df, meta = pyreadstat.read_sav(tmp_path / "data" / "questionnaires.sav")
    assert list(df.columns) == list(study.raw.columns)
    pd.testing.assert_frame_equal(df.astype(float), study.raw, check_dtype=False)
    assert meta.variable_value_labels["custody"] == {1.0: "mother", 2.0: "father"}
    assert meta.column_names_to_labels["dep1"].startswith("Past 7 days")
    assert (tmp_path / "data" / "questionnaires.flow.json").exists()


def test_bad_flow_is_an_input_error(tools):
    figures = tools.figures()
    figures["sample_flow"]["valid"] = 500
    with pytest.raises(InputError) as info:
        simulate_study(figures, seed=1)
    assert info.value.location.key == "sample_flow"


def test_unknown_validity_rule_and_foreign_figures(tools):
    with pytest.raises(InputError) as info:
        simulate_study(tools.figures(), seed=1, validity_mix={"illegible": 1.0})
    assert info.value.location.key == "validity_mix"
    figures = tools.figures()
    del figures["table1"]["categorical_percent"]["grade"]
    with pytest.raises(InputError) as info:
        simulate_study(figures, seed=1)
    assert "grade" in str(info.value) and info.value.hint
