"""Loading and checking published-figures files."""

from __future__ import annotations

import copy
import json

import pytest

from leftbehind.errors import InputError
from leftbehind.simulate import load_figures


def test_hunchun_figures_load(hunchun_figures):
    fig = load_figures(hunchun_figures)
    assert fig.groups == ("none", "mother", "father", "both")
    assert fig.reference == "none"
    assert fig.n_total == 605
    assert len(fig.models) == 14
    assert sum(len(m.terms) for m in fig.models) == 93
    assert fig.moderators[0] == "school_belonging"
    assert "teacher_attitude" in fig.factor_scores
    by_name = {m.name: m for m in fig.models}
    assert by_name["table4.school_belonging"].centred is False
    assert by_name["table4.peer_satisfaction"].centred is True
    assert by_name["table4.peer_satisfaction"].interaction
    assert not by_name["table2.model1"].controls and by_name["table2.model2"].controls


def test_bundled_copy_matches_the_transcription(tools):
    shared = json.loads(tools.TRANSCRIPTION_PATH.read_text(encoding="utf-8"))
    bundled = tools.figures()
    for key in ("sample_flow", "table1", "table2", "table3_main_effects", "table4_interactions",
                "depression_scale", "controls", "migration_rule"):
        assert bundled[key] == shared[key], key


def test_centring_left_open_when_not_declared(tools):
    raw = tools.figures()
    del raw["model_conventions"]
    fig = load_figures(raw)
    assert {m.centred for m in fig.models if m.moderator} == {None}


def test_category_values_and_controls(hunchun_figures):
    fig = load_figures(hunchun_figures)
    assert fig.category_value("school_belonging", "4_agree") == 4.0
    assert fig.category_value("mother_education", "college_or_above") == 3.0
    assert fig.category_value("siblings", "2+") == 2.0
    assert fig.control_source("girl") == ("gender", "girl")
    assert fig.control_source("korean") == ("ethnicity", "korean")
    assert fig.control_source("age") == ("age", None)


@pytest.mark.parametrize("mutate, key", [
    (lambda f: f.pop("table1"), "table1"),
    (lambda f: f["table1"]["n"].pop("both"), "table1.continuous.depression.mean"),
    (lambda f: f["table2"]["model1"]["mother"].update(b="2.08"), "table2.model1.mother.b"),
    (lambda f: f["table2"]["model1"]["mother"].update(se=0), "table2.model1.mother.se"),
    (lambda f: f["table2"]["model1"].pop("father"), "table2.model1"),
    (lambda f: f.update(controls=["height"]), "controls"),
    (lambda f: f.update(model_conventions={"centering": {"table4": {"*": "median"}}}),
     "model_conventions.centering.table4.school_belonging"),
])
def test_bad_figures_name_the_key(hunchun_figures, mutate, key):
    raw = copy.deepcopy(hunchun_figures)
    mutate(raw)
    with pytest.raises(InputError) as info:
        load_figures(raw)
    assert info.value.location.key == key
    assert info.value.hint


def test_file_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_figures(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"table1": ', encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_figures(bad)
    assert info.value.location.file == str(bad)
