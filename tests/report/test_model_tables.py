"""``[[model_tables]]``: any number of named tables of any kind, end to end through the CLI.

Two nested tables with different outcomes, a single model and two moderation tables; every
coefficient is checked against statsmodels on the complete cases derived by hand."""

import json
import sys
from pathlib import Path

import pytest
import statsmodels.formula.api as smf

from leftbehind.cli.main import main
from leftbehind.errors import StudyFileProblems
from leftbehind.spec import load_study

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402
from test_run import independent_frame  # noqa: E402

TABLES = '''
[[model_tables]]
name = "depression_blocks"
kind = "nested"
title = "Nested models of {outcome}"

[[model_tables]]
name = "item_blocks"
kind = "nested"
title = "{outcome} by group"
outcome = "dep1"
blocks = [{ name = "Group", add = [] }, { name = "With controls", add = ["@controls", "school_belonging"] }]

[[model_tables]]
name = "belonging_model"
kind = "single"
title = "{outcome} on group and controls"
outcome = "school_belonging"
terms = ["migration", "@controls"]

[[model_tables]]
name = "buffer"
kind = "moderation"
title = "{outcome}: buffering"
moderators = ["school_belonging"]

[[model_tables]]
name = "item_buffer"
kind = "moderation"
title = "{outcome}: buffering"
outcome = "dep1"
moderators = ["school_belonging"]
'''

HYPOTHESIS = '''
[[hypotheses]]
id = "H{i}"
statement = "s"
table = "{table}"
{model}
term = "mother"
expected_sign = "+"
focus = "mother"
codes = ["a"]
'''


def hypothesis(i: int, table: str, model: str = "") -> str:
    return HYPOTHESIS.format(i=i, table=table, model=f'model = "{model}"' if model else "")


@pytest.fixture(scope="module")
def declared(tmp_path_factory):
    folder = make_small_study(tmp_path_factory.mktemp("tables"))
    with (folder / "study.toml").open("a", encoding="utf-8") as f:
        f.write(TABLES)
    assert main(["run", str(folder)]) == 0
    return folder, json.loads((folder / "output" / "results.json").read_text())


def complete(folder: Path):
    cols = ["depression", "migration", "girl", "age", "school_belonging", "teach_life", "teach_guardian", "teach_praise"]
    return independent_frame(folder).dropna(subset=cols)


def assert_like(ours: dict, fit) -> None:
    assert ours["n"] == int(fit.nobs) and ours["r2"] == pytest.approx(fit.rsquared, rel=1e-10)
    by_term = {cell["term"]: cell for cell in ours["terms"].values()}
    assert set(by_term) == set(fit.params.index)
    for term, b in fit.params.items():
        assert by_term[term]["b"] == pytest.approx(b, rel=1e-9, abs=1e-12)
        assert by_term[term]["se"] == pytest.approx(fit.bse[term], rel=1e-9)


def test_results_have_the_declared_tables_and_models(declared):
    folder, results = declared
    assert list(results["models"]) == ["depression_blocks", "item_blocks", "belonging_model", "buffer",
                                       "item_buffer"]
    assert list(results["models"]["item_blocks"]) == ["Group", "With controls"]
    assert list(results["models"]["belonging_model"]) == ["school_belonging"]
    assert list(results["nested_tables"]) == ["depression_blocks", "item_blocks"]
    assert results["nested"] == results["nested_tables"]["depression_blocks"]
    # follow-up of every moderation table; the second table's moderator is prefixed by its table
    assert list(results["simple_slopes"]) == ["school_belonging", "item_buffer.school_belonging"]
    assert list(results["johnson_neyman"]) == ["school_belonging", "item_buffer.school_belonging"]
    tables = folder / "output" / "tables"
    for name in ("depression_blocks", "item_blocks", "belonging_model", "buffer", "item_buffer",
                 "nested_change", "item_blocks_change"):
        assert (tables / f"{name}.md").is_file(), name
    assert (folder / "output" / "figures" / "interaction_item_buffer_school_belonging.svg").is_file()
    assert "dep1 by group" in (tables / "item_blocks.md").read_text(encoding="utf-8")


def test_models_match_statsmodels(declared):
    folder, results = declared
    data = complete(folder)
    group = "C(migration, Treatment('none'))"
    models = results["models"]
    assert_like(models["item_blocks"]["Group"], smf.ols(f"dep1 ~ {group}", data=data).fit())
    assert_like(models["item_blocks"]["With controls"],
                smf.ols(f"dep1 ~ {group} + girl + age + school_belonging", data=data).fit())
    assert_like(models["belonging_model"]["school_belonging"],
                smf.ols(f"school_belonging ~ {group} + girl + age", data=data).fit())
    assert_like(models["item_buffer"]["school_belonging"],
                smf.ols(f"dep1 ~ girl + age + {group} * school_belonging", data=data).fit())
    change = results["nested_tables"]["item_blocks"]
    r2 = [smf.ols(f"dep1 ~ {group}", data=data).fit().rsquared,
          smf.ols(f"dep1 ~ {group} + girl + age + school_belonging", data=data).fit().rsquared]
    assert json.dumps(change).count("delta_r2") >= 1
    assert change["blocks"][1]["delta_r2"] == pytest.approx(r2[1] - r2[0], rel=1e-9)


def test_hypotheses_refer_to_any_declared_table(tmp_path):
    folder = make_small_study(tmp_path)
    text = (folder / "study.toml").read_text(encoding="utf-8") + TABLES
    (folder / "study.toml").write_text(text + hypothesis(1, "belonging_model") + hypothesis(2, "item_blocks", "Group")
                                       + hypothesis(3, "item_buffer", "school_belonging"), encoding="utf-8")
    study = load_study(folder)
    assert [(h.table, h.model_name()) for h in study.hypotheses] == [
        ("belonging_model", "school_belonging"), ("item_blocks", "Group"), ("item_buffer", "school_belonging")]


@pytest.mark.parametrize(("extra", "message"), [
    (hypothesis(1, "no_such_table", "Group"), "table 'no_such_table' is not a declared model table"),
    (hypothesis(1, "item_blocks", "Model 9"), "model 'Model 9' is not a model of table 'item_blocks'"),
    (TABLES.split("\n\n")[1].replace("item_blocks", "belonging_model"), "belonging_model' is used twice"),
    ('\n[[model_tables]]\nname = "m"\nkind = "single"\ntitle = "t"\nterms = ["nowhere"]\n', "'nowhere' is not defined"),
    ('\n[[model_tables]]\nname = "m"\nkind = "moderation"\ntitle = "t"\nmoderators = ["age"]\n', "'age' cannot be used here"),
    ('\n[[model_tables]]\nname = "m"\nkind = "triple"\ntitle = "t"\n', "kind"),
])
def test_check_rejects_bad_tables_with_exit_2(tmp_path, capsys, extra, message):
    folder = make_small_study(tmp_path)
    text = (folder / "study.toml").read_text(encoding="utf-8") + TABLES
    (folder / "study.toml").write_text(text + extra, encoding="utf-8")
    with pytest.raises(StudyFileProblems, match=message.replace("(", r"\(")):
        load_study(folder)
    assert main(["check", str(folder)]) == 2
    out = capsys.readouterr()
    assert message in out.out + out.err


def test_without_model_tables_the_defaults_have_neutral_names(tmp_path):
    study = load_study(make_small_study(tmp_path))
    assert [(t.name, t.kind) for t in study.declared_tables()] == [
        ("nested", "nested"), ("main_effects", "main_effects"), ("moderation", "moderation")]


def test_run_study_result_is_the_results_json_and_shows_in_notebooks(declared):
    from leftbehind.report.pipeline import run_study

    folder, results = declared
    ours = run_study(folder)
    assert json.loads(json.dumps(ours.to_dict())) == results
    html = ours._repr_html_()
    assert html.startswith('<div class="lb-results">') and "Sample flow" in html
    for title in ("Nested models of Depression", "dep1 by group", "School belonging on group and controls",
                  "Depression: buffering", "dep1: buffering"):
        assert title in html, title
    assert html.count("<table") == 1 + 5  # the flow and one per declared table
