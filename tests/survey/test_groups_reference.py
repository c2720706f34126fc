"""Numeric-coded labelled groups and categorical controls in every model of a study, against R.

R: tests/reference/survey/groups.R (``lm`` with ``relevel(factor(rank), ref = "3")`` and
``factor(discipline)`` on carData::Salaries; ``relevel(factor(partic), ref = "2")`` and
``factor(region)`` on carData::Womenlf). The Salaries study reads an SPSS file whose value labels
name the ranks, and gives the reference by label; Womenlf gives it as a code written as text.
"""

from __future__ import annotations

import json

import pytest

from leftbehind.report.pipeline import run_study
from leftbehind.report.results_json import results_dict
from leftbehind.report.survey_tables import build_tables

from .groups_study import GROUPS, salaries_study, womenlf_study

REL = 1e-8


def assert_like_r(coefficients, term_keys, expected):
    keyed = {term_keys[term]: row for term, row in coefficients.iterrows()}
    assert sorted(keyed) == sorted(expected["coefficients"])
    for key, want in expected["coefficients"].items():
        for stat in ("b", "se", "t"):
            assert keyed[key][stat] == pytest.approx(want[stat], rel=REL), (key, stat)
        assert keyed[key]["p"] == pytest.approx(want["p"], rel=1e-6, abs=1e-15), key


@pytest.fixture(scope="module")
def salaries(tmp_path_factory):
    return run_study(salaries_study(tmp_path_factory.mktemp("salaries")))


def test_nested_models_equal_r(salaries):
    models = salaries.tables["nested"]
    for name, expected in GROUPS["salaries"]["nested"].items():
        fit = models.models[name]
        assert fit.n == expected["n"] == 392
        assert fit.r2 == pytest.approx(expected["r2"], rel=REL)
        assert_like_r(fit.coefficients, models.term_keys[name], expected)


def test_main_effect_and_moderation_equal_r(salaries):
    main = salaries.tables["main_effects"].series["yrs_since_phd"]
    assert main.centre == pytest.approx(GROUPS["salaries"]["centre"], rel=1e-12)
    assert_like_r(main.result.coefficients, main.term_keys, GROUPS["salaries"]["main_effect"])
    inter = salaries.tables["moderation"].series["yrs_since_phd"]
    assert inter.result.r2 == pytest.approx(GROUPS["salaries"]["moderation"]["r2"], rel=REL)
    assert_like_r(inter.result.coefficients, inter.term_keys, GROUPS["salaries"]["moderation"])


def test_terms_have_integer_codes_and_tables_show_labels(salaries):
    terms = list(salaries.tables["nested"].models["Model 2"].coefficients.index)
    assert terms == ["Intercept", "C(rank, Treatment(3))[T.1]", "C(rank, Treatment(3))[T.2]", "C(discipline)[T.2]",
                     "yrs_service"]
    keys = json.loads(json.dumps(results_dict(salaries)))["models"]["moderation"]["yrs_since_phd"]["terms"]
    assert {"1", "2", "1_x", "2_x", "moderator", "C(discipline)[T.2]"} <= set(keys)
    tables = build_tables(salaries)
    assert [row.label for row in tables["nested"].rows if row.label][:5] == [
        "AsstProf", "AssocProf", "Discipline: B", "Years of service", "Constant"]
    assert [row.label for row in tables["moderation"].rows if row.label][:6] == [
        "AsstProf", "AssocProf", "Years since PhD", "AsstProf × Years since PhD", "AssocProf × Years since PhD",
        "Constant"]  # the controls, categorical or not, are hidden and named in a note
    assert "Models also control for Discipline, Years of service." in tables["moderation"].notes


@pytest.mark.parametrize("reference", ['3', '3.0', '"3"', '"Prof"'])
def test_reference_by_code_or_label_gives_the_same_models(reference, tmp_path, salaries):
    results = run_study(salaries_study(tmp_path, reference=reference))
    assert results.reference == 3 and type(results.reference) is int
    fit = results.tables["nested"].models["Model 2"]
    assert list(fit.coefficients.index) == list(salaries.tables["nested"].models["Model 2"].coefficients.index)
    assert_like_r(fit.coefficients, results.tables["nested"].term_keys["Model 2"],
                  GROUPS["salaries"]["nested"]["Model 2"])


def test_declared_categorical_control_equals_r(tmp_path):
    results = run_study(womenlf_study(tmp_path))
    models = results.tables["nested"]
    assert "C(region)[T.5]" in models.term_keys["Model 2"]
    for name, expected in GROUPS["womenlf"]["nested"].items():
        assert models.models[name].n == expected["n"]
        assert models.models[name].r2 == pytest.approx(expected["r2"], rel=REL)
        assert_like_r(models.models[name].coefficients, models.term_keys[name], expected)


def test_without_reference_the_lowest_code_is_the_reference(tmp_path):
    results = run_study(salaries_study(tmp_path, reference=None))
    nested = results.tables["nested"]
    expected = GROUPS["salaries"]["nested"]["Model 1"]
    fit = nested.models["Model 1"]
    keyed = {nested.term_keys["Model 1"][t]: row for t, row in fit.coefficients.iterrows()}
    assert sorted(keyed) == ["2", "3", "const"]
    # R's reference is Prof (3): with AsstProf (1) as reference, Prof's effect is minus R's AsstProf effect
    assert keyed["3"]["b"] == pytest.approx(-expected["coefficients"]["1"]["b"], rel=REL)
    assert keyed["3"]["se"] == pytest.approx(expected["coefficients"]["1"]["se"], rel=REL)
    assert fit.r2 == pytest.approx(expected["r2"], rel=REL)
    inter = results.tables["moderation"].series["yrs_since_phd"]
    assert {"2_x", "3_x"} <= set(inter.term_keys.values())
    assert inter.result.r2 == pytest.approx(GROUPS["salaries"]["moderation"]["r2"], rel=REL)
