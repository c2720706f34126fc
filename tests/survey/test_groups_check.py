"""``leftbehind check`` finds, before any model is fitted, every group and category problem:
an unknown reference level, a reference absent from the data, a group level with no cases
after cleaning, a model column that is constant. Each is tested through the CLI on a study
folder reading a labelled .sav (exit 2, key path, line and hint) and through the library."""

from __future__ import annotations

import pytest

from leftbehind.cli.main import main
from leftbehind.errors import DataError, StudyFileError
from leftbehind.report.pipeline import run_study
from leftbehind.survey import check_study

from .groups_study import salaries_study


def cli_check(folder, capsys) -> tuple[int, list[str]]:
    status = main(["check", str(folder)])
    return status, capsys.readouterr().out.strip().splitlines()


def test_sound_study_checks_ok_and_runs(tmp_path, capsys):
    folder = salaries_study(tmp_path)
    assert cli_check(folder, capsys) == (0, ["ok: no problems found"])
    assert main(["run", str(folder)]) == 0
    results = (folder / "output" / "results.json").read_text(encoding="utf-8")
    assert '"C(rank, Treatment(3))[T.1]"' in results and "T.1.0" not in results


def test_unknown_reference(tmp_path, capsys):
    folder = salaries_study(tmp_path, reference='"Emeritus"')
    status, lines = cli_check(folder, capsys)
    assert status == 2 and lines[-1] == "1 problem(s)"
    assert "line 29, key 'analysis.reference': reference level 'Emeritus' is not a code or value label of 'rank'" \
        in lines[0]
    assert '(hint: use one of 1 = "AsstProf", 2 = "AssocProf", 3 = "Prof")' in lines[0]
    (problem,) = check_study(folder)
    assert isinstance(problem, StudyFileError) and problem.location.key == "analysis.reference"
    with pytest.raises(StudyFileError, match="'Emeritus' is not a code or value label"):
        run_study(folder)  # run stops at the same problem, before fitting


def test_reference_code_without_label_is_unknown(tmp_path):
    (problem,) = check_study(salaries_study(tmp_path, reference="7"))
    assert problem.message == "reference level 7 is not a code or value label of 'rank'"


def test_reference_level_absent_from_data(tmp_path, capsys):
    folder = salaries_study(tmp_path, reference='"Lecturer"')
    text = (folder / "study.toml").read_text().replace(
        'range = [1, 3]', 'range = [1, 4]\nlabels = { 1 = "AsstProf", 2 = "AssocProf", 3 = "Prof", 4 = "Lecturer" }')
    (folder / "study.toml").write_text(text)
    status, lines = cli_check(folder, capsys)
    assert status == 2 and len(lines) == 2
    assert "key 'analysis.reference', column 'rank': reference level 4 ('Lecturer') of 'rank' does not occur in " \
           "the data" in lines[0]
    assert 'hint: levels in the data: 1 = "AsstProf", 2 = "AssocProf", 3 = "Prof"; choose one of them' in lines[0]
    (problem,) = check_study(folder)
    assert isinstance(problem, DataError)


def test_group_level_with_no_cases_after_cleaning(tmp_path, capsys):
    exclusion = '\n[[exclusions]]\ncolumn = "rank"\nop = "=="\nvalue = 1\nreason = "assistant professors"\n'
    folder = salaries_study(tmp_path, extra=exclusion)
    status, lines = cli_check(folder, capsys)
    assert status == 2 and len(lines) == 2
    assert "key 'analysis.group', column 'rank': level 1 ('AsstProf') of 'rank' has no cases after cleaning " \
           "(67 in the data, none valid)" in lines[0]
    assert "hint: check the [[validity]] and [[exclusions]] rules" in lines[0]
    # as the reference, the same problem points at the reference
    (problem,) = check_study(salaries_study(tmp_path, reference='"AsstProf"', extra=exclusion))
    assert problem.location.key == "analysis.reference" and problem.message.startswith("reference level 1")
    assert problem.hint.startswith("choose another reference level")


def test_group_with_no_cases_or_one_level_left(tmp_path):
    rules = "".join(f'\n[[exclusions]]\ncolumn = "rank"\nop = "=="\nvalue = {v}\n' for v in (1, 2))
    problems = check_study(salaries_study(tmp_path, extra=rules))
    assert [p.message for p in problems][-1] == "'rank' has a single level among the valid cases (3)"
    rules += '\n[[exclusions]]\ncolumn = "rank"\nop = "=="\nvalue = 3\n'
    problems = check_study(salaries_study(tmp_path, extra=rules))
    assert problems[-1].message == "group 'rank' has no cases after cleaning"


def test_constant_model_column(tmp_path, capsys):
    folder = salaries_study(tmp_path, extra='\n[[exclusions]]\ncolumn = "discipline"\nop = "=="\nvalue = 2\n')
    status, lines = cli_check(folder, capsys)
    assert status == 2 and len(lines) == 2
    assert "key 'analysis.controls[0]', column 'discipline': column 'discipline' is constant among the valid " \
           "cases (every value is 1)" in lines[0]
    assert "hint: a model cannot estimate the effect of a constant" in lines[0]
    (problem,) = check_study(folder)
    assert problem.location.column == "discipline" and problem.location.line == 30


def test_blank_moderator(tmp_path):
    folder = salaries_study(tmp_path)
    every_value = ", ".join(str(v) for v in range(0, 100))
    text = (folder / "study.toml").read_text().replace('label = "Years since PhD"',
                                                       f'label = "Years since PhD"\nmissing = [{every_value}]')
    (folder / "study.toml").write_text(text)
    (problem,) = check_study(folder)
    assert problem.message == "column 'yrs_since_phd' is constant among the valid cases (every value is blank)"
    assert problem.location.key == "analysis.moderators[0].variable"


def test_constant_column_named_only_by_a_model_table(tmp_path, capsys):
    extra = ('\n[derived.one]\nrule = "recode"\nsource = "discipline"\nmap = { 1 = 1, 2 = 1 }\n'
             '\n[[model_tables]]\nname = "extra"\nkind = "single"\ntitle = "Salary on one"\nterms = ["rank", "one"]\n')
    folder = salaries_study(tmp_path, extra=extra)
    status, lines = cli_check(folder, capsys)
    assert status == 2
    assert any("key 'model_tables[0].terms[1]', column 'one': column 'one' is constant" in line for line in lines)
