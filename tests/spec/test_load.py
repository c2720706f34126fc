"""load_study: the documented example, every schema error path, lines and key paths."""

from __future__ import annotations

import pytest

from leftbehind.errors import StudyFileError, StudyFileProblems
from leftbehind.spec import load_study, study_problems
from leftbehind.spec.model import ParentalMigration

MINIMAL = '[study]\ntitle = "t"\n\n[survey]\nfiles = ["q.csv"]\n'


def problems_of(folder):
    with pytest.raises(StudyFileProblems) as info:
        load_study(folder)
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle (computed from the text, not our locator)."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_documented_example_loads(example, write_study):
    study = load_study(write_study(example))
    assert study.study.title.startswith("Parental migration")
    assert study.survey.distributed == 1059
    assert study.root == write_study(example).resolve()
    assert study.path.name == "study.toml"
    items = study.all_items()
    assert {"dep1", "dep6", "teach_praise", "mother_edu", "custody"} <= set(items)
    assert items["dep3"].range == (1.0, 5.0)
    assert isinstance(study.derived["migration"], ParentalMigration)
    assert study.derived["migration"].threshold_months == 6
    assert study.value_labels_for("father_education") == {1: "middle school or below",
                                                          2: "technical or high school", 3: "college or above"}
    assert study.value_labels_for("gender") == {1: "boy", 2: "girl"}
    assert study.display_label("dep1") == "Felt depressed"
    assert study.display_label("depression") == "Depression"
    assert study.display_label("unknown_name") == "unknown_name"
    assert study.analysis.block_terms(1)[:3] == ["migration", "girl", "age"]
    assert study.analysis.variables()[:2] == ["depression", "migration"]
    assert [m.center_interaction for m in study.analysis.moderators][:2] == [False, True]
    assert study.tables.stars == [0.05, 0.01, 0.001]
    assert study.hypotheses[0].id == "H1" and study.hypotheses[0].model_name() == "school_belonging"


def test_toml_file_path_and_folder_path_agree(example, write_study):
    folder = write_study(example)
    assert load_study(folder / "study.toml") == load_study(folder)


def test_study_is_frozen(write_study):
    study = load_study(write_study(MINIMAL))
    with pytest.raises(Exception):
        study.survey.id = "other"


def test_defaults(write_study):
    study = load_study(write_study(MINIMAL))
    assert study.survey.id == "qid" and study.survey.out_of_range == "error"
    assert study.analysis is None and study.tables.digits == 3
    assert study.data_paths() == [study.root / "q.csv"]


def test_missing_file_is_a_study_file_error(tmp_path):
    with pytest.raises(StudyFileError, match="not found"):
        load_study(tmp_path)
    assert study_problems(tmp_path)[0].hint


def test_syntax_error_keeps_line(write_study):
    text = MINIMAL + "\n[items.dep1\nrange = [1, 5]\n"
    (problem,) = problems_of(write_study(text))
    assert problem.location.line == line_of(text, "[items.dep1")
    assert "TOML syntax error" in problem.message and "column" in problem.message


def test_unknown_key_names_valid_keys_and_close_match(write_study):
    text = MINIMAL + 'encodng = "gb18030"\n'
    (problem,) = problems_of(write_study(text))
    assert problem.location.key == "survey.encodng"
    assert problem.location.line == line_of(text, "encodng")
    assert "did you mean 'encoding'" in problem.hint
    assert "files, id, distributed, cluster, encoding, out_of_range" in problem.hint


def test_unknown_top_level_section(write_study):
    (problem,) = problems_of(write_study(MINIMAL + "[analyses]\noutcome = 'y'\n"))
    assert problem.location.key == "analyses" and "analysis" in problem.hint


def test_unknown_rule_name_lists_rules(write_study):
    text = MINIMAL + '[items.a]\n\n[[validity]]\nrule = "blank"\ncolumns = ["a"]\n\n[[validity]]\nrule = "empty"\n'
    (problem,) = problems_of(write_study(text))
    assert problem.message == "unknown rule 'empty'"
    assert problem.location.key == "validity[1].rule"
    assert problem.location.line == line_of(text, 'rule = "empty"')
    assert "straightlining" in problem.hint


def test_missing_rule_key(write_study):
    (problem,) = problems_of(write_study(MINIMAL + '[items.a]\n[derived.x]\nsource = "a"\n'))
    assert "rule" in problem.message and problem.location.key == "derived.x"


def test_unknown_derived_rule_name(write_study):
    (problem,) = problems_of(write_study(MINIMAL + '[items.a]\n[derived.x]\nrule = "eval"\nsource = "a"\n'))
    assert problem.message == "unknown rule 'eval'" and "parental_migration" in problem.hint


def test_required_key_missing(write_study):
    (problem,) = problems_of(write_study('[study]\n\n[survey]\nfiles = ["q.csv"]\n'))
    assert problem.location.key == "study.title" and "missing" in problem.message
    assert problem.location.line == 1


def test_wrong_literal_and_type(write_study):
    text = MINIMAL + '[items.a]\n[scales.s]\nitems = ["a"]\nscore = "total"\n[tables]\ndigits = "three"\n'
    found = {p.location.key: p for p in problems_of(write_study(text))}
    assert "'sum', 'mean' or 'prorated'" in found["scales.s.score"].message
    assert found["tables.digits"].location.line == line_of(text, "digits")


@pytest.mark.parametrize("body, key, fragment", [
    ('column = "a"\nop = "in"\nvalue = 1\n', "exclusions[0]", "needs a list"),
    ('column = "a"\nop = "=="\n', "exclusions[0]", "needs one value"),
    ('column = "a"\nop = "missing"\nvalue = 1\n', "exclusions[0]", "takes no value"),
    ('column = "a"\nop = "=~"\nvalue = 1\n', "exclusions[0].op", "Input should be"),
])
def test_condition_values_fit_operator(write_study, body, key, fragment):
    (problem,) = problems_of(write_study(MINIMAL + "[items.a]\n[[exclusions]]\n" + body))
    assert problem.location.key == key and fragment in problem.message


@pytest.mark.parametrize("section, fragment", [
    ('[items.a]\nrange = [5, 1]\n', "min <= max"),
    ('[items.a]\n[[validity]]\nrule = "straightlining"\ncolumns = ["a", "a2"]\nmin_items = 3\n[items.a2]\n',
     "exceeds"),
    ('[items.a]\n[derived.b]\nrule = "cut"\nsource = "a"\nbreaks = [0, 5, 5]\n', "strictly increasing"),
    ('[items.a]\n[derived.b]\nrule = "cut"\nsource = "a"\nbreaks = [0, 5, 9]\nlabels = ["x"]\n', "2 bins"),
    ('[tables]\nstars = [0.01, 0.05]\n', "decrease"),
    ('[tables]\nstars = [5]\n', "between 0 and 1"),
    ('[items.a]\n[items.b]\n[items.c]\n[derived.m]\nrule = "parental_migration"\nany_away = "a"\n'
     'mother_months = "b"\nfather_months = "c"\nseparated = "a"\n', "both 'separated' and 'custody'"),
])
def test_model_validators(write_study, section, fragment):
    problems = problems_of(write_study(MINIMAL + section))
    assert any(fragment in p.message for p in problems), [str(p) for p in problems]


def test_every_problem_is_collected_and_sorted_by_line(example, write_study):
    text = (example.replace("distributed = 1059", "distributed = 1059\ncolour = 1")
            .replace('score = "sum"', 'score = "total"')
            .replace('"dep5", "dep6"]\nscore', '"dep5", "dep7"]\nscore')
            .replace('variable = "best_friends"', 'variable = "bestfriends"'))
    problems = problems_of(write_study(text))
    keys = [p.location.key for p in problems]
    assert keys == ["survey.colour", "scales.depression.items[5]", "scales.depression.score",
                    "analysis.moderators[3].variable"]
    lines = [p.location.line for p in problems]
    assert lines == sorted(lines)
    assert lines[0] == line_of(text, "colour = 1")
    assert lines[-1] == line_of(text, 'variable = "bestfriends"')
    assert "4 problem(s)" in str(pytest.raises(StudyFileProblems, load_study, write_study(text)).value)


def test_values_are_never_evaluated(write_study):
    text = MINIMAL + '[items.a]\n[[exclusions]]\ncolumn = "a"\nop = "=="\nvalue = "__import__(\'os\').system(\'x\')"\n'
    study = load_study(write_study(text))
    assert study.exclusions[0].value == "__import__('os').system('x')"


def test_single_file_may_be_a_string(write_study):
    study = load_study(write_study('[study]\ntitle = "t"\n[survey]\nfiles = "q.csv"\n'))
    assert study.survey.files == ["q.csv"]


def test_union_errors_are_merged_and_tags_dropped_from_paths(write_study):
    text = MINIMAL + ('[items.a]\nlabels = 5\n[derived.b]\nrule = "recode"\nsource = "a"\nmapping = { 1 = 2 }\n'
                      '[[exclusions]]\ncolumn = "a"\nop = "=="\nvalue = { x = 1 }\n')
    found = {p.location.key: p for p in problems_of(write_study(text))}
    assert set(found) == {"items.a.labels", "derived.b.map", "derived.b.mapping", "exclusions[0].value"}
    assert found["items.a.labels"].message == "Input should be a valid string; or Input should be a valid dictionary"
    assert "valid keys: label, labels, rule, source, map, default" in found["derived.b.mapping"].hint
    assert found["derived.b.map"].location.line == line_of(text, "[derived.b]")
    assert found["exclusions[0].value"].location.line == line_of(text, "value = {")


def test_utf8_with_bom_and_chinese_labels(tmp_path):
    text = MINIMAL + '[value_labels."性别"]\n1 = "男"\n2 = "女"\n[items.gender]\nlabels = "性别"\nlabel = "性别"\nrang = [1, 2]\n'
    (tmp_path / "study.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (problem,) = problems_of(tmp_path)
    assert problem.location.key == "items.gender.rang" and problem.location.line == line_of(text, "rang =")
    (tmp_path / "study.toml").write_bytes(b"\xef\xbb\xbf" + text.replace("rang", "range").encode("utf-8"))
    assert load_study(tmp_path).value_labels_for("gender") == {1: "男", 2: "女"}


def test_study_file_not_utf8(tmp_path):
    (tmp_path / "study.toml").write_bytes(MINIMAL.encode() + b'description = "\xff"\n')
    with pytest.raises(StudyFileError, match="not UTF-8"):
        load_study(tmp_path)


def test_copy_inherits_value_labels(example, write_study):
    study = load_study(write_study(example))
    assert study.value_labels_for("school_belonging") == study.value_labels_for("belong")
    assert study.value_labels_for("school_belonging")[5] == "strongly agree"
    assert study.value_labels_for("migration") == {}


def test_hypotheses_and_arms_are_checked(tmp_path):
    from leftbehind.errors import StudyFileProblems
    from leftbehind.spec import load_study

    qual_only = tmp_path / "q" / "study.toml"
    qual_only.parent.mkdir()
    qual_only.write_text('[study]\ntitle = "Interviews"\n\n[qual]\nfolder = "."\n')
    assert load_study(qual_only).survey is None
    empty = tmp_path / "e" / "study.toml"
    empty.parent.mkdir()
    empty.write_text('[study]\ntitle = "Nothing"\n')
    with pytest.raises(StudyFileProblems, match=r"\[survey\].*\[qual\]"):
        load_study(empty)
    bad = tmp_path / "h" / "study.toml"
    bad.parent.mkdir()
    bad.write_text('[study]\ntitle = "t"\n\n[qual]\n\n[[hypotheses]]\nid = "H1"\nstatement = "s"\n'
                   'moderator = "belonging"\nterm = "mother_x"\nexpected_sign = "-"\nfocus = "mother"\ncodes = ["a"]\n')
    with pytest.raises(StudyFileProblems, match="belonging"):
        load_study(bad)
