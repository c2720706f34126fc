"""[analysis] reference as a code or label, categorical controls C(name) and categorical = [...]."""

from __future__ import annotations

import pytest

from leftbehind.errors import StudyFileProblems
from leftbehind.spec import Analysis, load_study

BASE = '''[study]
title = "t"

[survey]
files = ["q.csv"]

[items.y]
[items.care]
labels = { 1 = "Both parents at home", 2 = "Mother away" }
[items.school]
[items.age]

[analysis]
outcome = "y"
group = "care"
'''


def load(write_study, extra: str):
    return load_study(write_study(BASE + extra))


def problems(write_study, extra: str):
    with pytest.raises(StudyFileProblems) as info:
        load(write_study, extra)
    return [(p.location.key, p.message, p.hint) for p in info.value.problems]


@pytest.mark.parametrize("written, value", [("1", 1), ("1.0", 1.0), ('"1"', "1"),
                                            ('"Both parents at home"', "Both parents at home")])
def test_reference_is_a_code_or_text(write_study, written, value):
    analysis = load(write_study, f"reference = {written}\n").analysis
    assert analysis.reference == value and type(analysis.reference) is type(value)


def test_reference_true_is_refused(write_study):
    ((key, message, _),) = problems(write_study, "reference = true\n")
    assert key == "analysis.reference" and "valid integer" in message


def test_categorical_controls(write_study):
    analysis = load(write_study, 'controls = ["C(school)", "age"]\ncategorical = ["age"]\n').analysis
    assert analysis.variables() == ["y", "care", "school", "age"]
    assert analysis.factor_columns() == ["care", "school", "age"]
    assert [analysis.is_categorical(t) for t in analysis.controls] == [True, True]


@pytest.mark.parametrize("extra, key, message", [
    ('controls = ["C(schol)"]\n', "analysis.controls[0]", "'schol' is not defined"),
    ('controls = ["C(school, Sum)"]\n', "analysis.controls[0]", "'C(school, Sum)' is not a factor term of the form C(name)"),
    ('categorical = ["region"]\n', "analysis.categorical[0]", "'region' is not defined"),
    ('categorical = ["school", "school"]\n', "analysis.categorical[1]", "'school' is listed twice"),
    ('[[analysis.nested]]\nname = "M"\nadd = ["C(ag)"]\n', "analysis.nested[0].add[0]", "'ag' is not defined"),
])
def test_control_terms_are_cross_checked(write_study, extra, key, message):
    found = problems(write_study, extra)
    assert [(k, m) for k, m, _ in found] == [(key, message)]


def test_factor_term_hint(write_study):
    ((_, _, hint),) = problems(write_study, 'controls = ["C(school, Sum)"]\n')
    assert 'C(school)' in hint


MIGRATION = '''[study]
title = "t"
[survey]
files = ["q.csv"]
[items.y]
[items.away]
[items.m]
[items.f]
[derived.migration]
rule = "parental_migration"
any_away = "away"
mother_months = "m"
father_months = "f"
labels = { none = "No parent away", mother = "Mother only away" }
[analysis]
outcome = "y"
group = "migration"
'''


def test_migration_reference_by_category_or_label(write_study):
    assert load_study(write_study(MIGRATION + 'reference = "No parent away"\n')).analysis.reference == "No parent away"
    with pytest.raises(StudyFileProblems) as info:
        load_study(write_study(MIGRATION + 'reference = "nobody"\n'))
    (problem,) = info.value.problems
    assert problem.message == "'nobody' is not a category of 'migration'"
    assert problem.hint == "use one of none, mother, father, both or its label ('No parent away', 'Mother only away')"


def test_block_terms_keep_factor_terms():
    a = Analysis(outcome="y", group="g", controls=["C(school)"], nested=[{"name": "M", "add": ["@controls"]}])
    assert a.block_terms(0) == ["g", "C(school)"] and a.column("C( school )") == "school"
