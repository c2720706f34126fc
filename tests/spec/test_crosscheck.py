"""Cross-checks: names used but never defined, duplicates, derivation order, label sets."""

from __future__ import annotations

import pytest

from leftbehind.errors import StudyFileProblems
from leftbehind.spec import load_study

BASE = '''[study]
title = "t"

[survey]
files = ["q.csv"]

[value_labels.yes_no]
1 = "yes"
2 = "no"

[items.a]
[items.b]
[[item_blocks]]
names = ["dep1", "dep2"]
range = [1, 5]
'''


def problems(write_study, extra: str):
    with pytest.raises(StudyFileProblems) as info:
        load_study(write_study(BASE + extra))
    return [(p.location.key, p.message, p.hint) for p in info.value.problems]


@pytest.mark.parametrize("extra, key", [
    ('[scales.s]\nitems = ["dep1", "dep3"]\n', "scales.s.items[1]"),
    ('[factors.f]\nitems = ["dep1", "dep2", "depx"]\n', "factors.f.items[2]"),
    ('[derived.x]\nrule = "copy"\nsource = "c"\n', "derived.x.source"),
    ('[[validity]]\nrule = "blank"\ncolumns = ["a", "zz"]\n', "validity[0].columns[1]"),
    ('[[validity]]\nrule = "condition"\ncolumn = "zz"\nop = "missing"\n', "validity[0].column"),
    ('[[exclusions]]\ncolumn = "zz"\nop = "missing"\n', "exclusions[0].column"),
    ('[descriptives]\nby = "zz"\n', "descriptives.by"),
    ('[descriptives]\nby = "a"\ncontinuous = ["zz"]\n', "descriptives.continuous[0]"),
    ('[descriptives]\nby = "a"\ncategorical = ["b", "zz"]\n', "descriptives.categorical[1]"),
    ('[analysis]\noutcome = "zz"\ngroup = "a"\n', "analysis.outcome"),
    ('[analysis]\noutcome = "a"\ngroup = "zz"\n', "analysis.group"),
    ('[analysis]\noutcome = "a"\ngroup = "b"\ncontrols = ["zz"]\n', "analysis.controls[0]"),
    ('[analysis]\noutcome = "a"\ngroup = "b"\n[[analysis.nested]]\nname = "m"\nadd = ["@controls", "zz"]\n',
     "analysis.nested[0].add[1]"),
    ('[analysis]\noutcome = "a"\ngroup = "b"\n[[analysis.moderators]]\nvariable = "zz"\n',
     "analysis.moderators[0].variable"),
    ('[labels]\nzz = "Z"\n', "labels.zz"),
])
def test_undefined_names(write_study, extra, key):
    (found,) = problems(write_study, extra)
    assert found[0] == key and found[1].endswith("is not defined")


def test_undefined_cluster(write_study):
    text = BASE.replace('files = ["q.csv"]', 'files = ["q.csv"]\ncluster = "school"')
    with pytest.raises(StudyFileProblems) as info:
        load_study(write_study(text))
    assert info.value.problems[0].location.key == "survey.cluster"


def test_close_matches_in_hint(write_study):
    (found,) = problems(write_study, '[scales.s]\nitems = ["dep_1"]\n')
    assert "did you mean 'dep1'" in found[2]


@pytest.mark.parametrize("extra, key, fragment", [
    ('[items.dep1]\n', "item_blocks[0].names[0]", "defined twice"),
    ('[derived.a]\nrule = "copy"\nsource = "b"\n', "derived.a", "defined twice"),
    ('[scales.b]\nitems = ["dep1"]\n', "scales.b", "defined twice"),
    ('[[item_blocks]]\nnames = ["c", "c"]\n', "item_blocks[1].names[1]", "defined twice"),
    ('[scales.s]\nitems = ["dep1", "dep1"]\n', "scales.s.items[1]", "listed twice"),
    ('[analysis]\noutcome = "a"\ngroup = "b"\ncontrols = ["dep1", "dep1"]\n', "analysis.controls[1]",
     "listed twice"),
    ('[analysis]\noutcome = "a"\ngroup = "b"\n[[analysis.nested]]\nname = "m"\n[[analysis.nested]]\nname = "m"\n',
     "analysis.nested[1].name", "used twice"),
    ('[analysis]\noutcome = "a"\ngroup = "b"\n[[analysis.moderators]]\nvariable = "dep1"\n'
     '[[analysis.moderators]]\nvariable = "dep1"\n', "analysis.moderators[1].variable", "listed twice"),
])
def test_duplicates(write_study, extra, key, fragment):
    found = problems(write_study, extra)
    assert any(k == key and fragment in m for k, m, _ in found), found


def test_derived_may_only_use_what_is_above(write_study):
    extra = '[derived.x]\nrule = "copy"\nsource = "y"\n[derived.y]\nrule = "copy"\nsource = "a"\n'
    (found,) = problems(write_study, extra)
    assert found[0] == "derived.x.source" and "cannot be used here" in found[1]


def test_derived_cannot_use_scales(write_study):
    extra = '[derived.x]\nrule = "copy"\nsource = "s"\n[scales.s]\nitems = ["dep1"]\n'
    (found,) = problems(write_study, extra)
    assert found[0] == "derived.x.source"


def test_scale_of_scale_is_refused(write_study):
    extra = '[scales.s]\nitems = ["dep1"]\n[scales.t]\nitems = ["s"]\n'
    (found,) = problems(write_study, extra)
    assert found[0] == "scales.t.items[0]"


def test_unknown_value_label_set(write_study):
    (found,) = problems(write_study, '[items.c]\nlabels = "yes_n"\n')
    assert found[0] == "items.c.labels" and "did you mean 'yes_no'" in found[2]


def test_too_many_factors(write_study):
    (found,) = problems(write_study, '[factors.f]\nitems = ["dep1", "dep2"]\nn_factors = 2\n')
    assert found[0] == "factors.f.n_factors"


def test_cluster_se_needs_cluster(write_study):
    (found,) = problems(write_study, '[analysis]\noutcome = "a"\ngroup = "b"\nse = "cluster"\n')
    assert found[0] == "analysis.se" and "cluster" in found[2]


def test_reference_must_be_a_migration_category(write_study):
    extra = ('[items.m]\n[items.f]\n[derived.mig]\nrule = "parental_migration"\nany_away = "a"\n'
             'mother_months = "m"\nfather_months = "f"\n[analysis]\noutcome = "b"\ngroup = "mig"\nreference = "nobody"\n')
    (found,) = problems(write_study, extra)
    assert found[0] == "analysis.reference" and "none, mother, father, both" in found[2]


def test_wrong_types_are_left_to_the_schema(write_study):
    found = problems(write_study, '[scales]\ns = 3\n[descriptives]\nby = 1\ncontinuous = "x"\n')
    assert all("not defined" not in m for _, m, _ in found)
    assert found


@pytest.mark.parametrize("extra, key", [
    ('[derived.x]\nrule = "copy"\nsource = "a"\n[[validity]]\nrule = "blank"\ncolumns = ["x"]\n',
     "validity[0].columns[0]"),
    ('[derived.x]\nrule = "copy"\nsource = "a"\n[[exclusions]]\ncolumn = "x"\nop = "missing"\n',
     "exclusions[0].column"),
])
def test_rules_read_answers_not_derived_variables(write_study, extra, key):
    (found,) = problems(write_study, extra)
    assert found[0] == key and "cannot be used here" in found[1] and "before derived" in found[2]
