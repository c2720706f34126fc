"""Labelled .sav / .dta files read one way everywhere, against R's haven + psych + lm.

The files and the reference values are committed: tests/reference/survey/make_labelled.py wrote
the files (pyreadstat), tests/reference/survey/labelled.R read them with haven (user-missing codes
and ranges, Stata's .a-.z become NA) and wrote labelled.json. ``read_data().frame``, the quick
commands through the real CLI entry point and ``leftbehind run`` must all give R's numbers.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leftbehind.cli.main import main
from leftbehind.measures import cronbach_alpha
from leftbehind.present.labels import Labels
from leftbehind.survey import read_data

HERE = Path(__file__).parents[1] / "reference" / "survey"
REF = json.loads((HERE / "labelled.json").read_text(encoding="utf-8"))
FILES = [name for name in REF if not name.startswith("_")]
TOL = 1e-9


def close(ours, theirs) -> bool:
    if theirs is None:
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    return ours == pytest.approx(theirs, rel=TOL, abs=TOL)


def run_json(capsys, *args) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", FILES)
def test_read_data_frame_equals_haven(name):
    ref = REF[name]
    data = read_data(HERE / name)
    assert data.variable_labels == ref["variable_labels"]
    for column, labels in ref["value_labels"].items():
        numeric = {str(code): text for code, text in data.value_labels[column].items() if not isinstance(code, str)}
        assert numeric == labels, column
    for column, stats in ref["stats"].items():
        values = data.frame[column].dropna()
        assert len(values) == stats["n"], column
        assert close(float(values.mean()) if len(values) else None, stats["mean"]), column
        assert close(float(values.std(ddof=1)) if len(values) > 1 else None, stats["sd"]), column


@pytest.mark.parametrize("name", FILES)
def test_read_data_frame_equals_pspp(name):
    """GNU PSPP (tests/reference/survey/labelled_pspp.sps) reads the .sav files without ReadStat;
    the .dta files hold the same data, their missing codes as Stata's .a-.z."""
    pspp = pd.read_csv(HERE / f"{name.split('.')[0]}_pspp.csv").iloc[0]
    frame = read_data(HERE / name).frame
    for key, value in pspp.items():
        column, _, stat = str(key).rpartition("_")
        if key == "whole":
            continue
        values = frame[column].dropna()
        ours = {"n": len(values), "mean": values.mean(), "sd": values.std(ddof=1)}[stat]
        assert ours == pytest.approx(float(value), rel=1e-12, abs=1e-12), key


@pytest.mark.parametrize("name", FILES)
def test_raw_codes_stay_reachable(name):
    data = read_data(HERE / name)
    declared = set(data.user_missing) | set(data.missing_ranges)
    assert declared
    for column in declared:
        assert data.raw[column].notna().sum() > data.frame[column].notna().sum(), column
    assert data.frame.notna().sum().sum() < data.raw.notna().sum().sum()


@pytest.mark.parametrize("name", FILES)
def test_alpha_command(name, capsys):
    ref = REF[name]["alpha"]
    out = run_json(capsys, "alpha", str(HERE / name), "--items", ",".join(ref["items"]))
    assert out["n"] == ref["n"]
    assert close(out["alpha"], ref["alpha"]) and close(out["std_alpha"], ref["std_alpha"])


@pytest.mark.parametrize("name", FILES)
def test_ols_command_numbers_and_labels(name, capsys):
    ref = REF[name]["lm"]
    out = run_json(capsys, "ols", str(HERE / name), "--formula", ref["formula"])
    assert out["n"] == ref["n"] and close(out["r2"], ref["r2"])
    assert set(out["coefficients"]) == set(ref["coefficients"])
    for term, row in ref["coefficients"].items():
        for key in ("b", "se", "t", "p"):
            assert close(out["coefficients"][term][key], row[key]), (term, key)
    labels = REF[name]["value_labels"]
    group = REF[name]["by_group"]["by"]
    for term, row in out["coefficients"].items():
        if term.startswith(f"C({group})[T."):
            code = term.split("[T.")[1].rstrip("]").removesuffix(".0")
            assert row["label"] == labels[group][code]
    assert main(["ols", str(HERE / name), "--formula", ref["formula"]]) == 0
    text = capsys.readouterr().out
    assert labels[group]["2"] in text and f"C({group})[T.2.0]" in text


@pytest.mark.parametrize("name", FILES)
def test_describe_command_uses_value_labels(name, capsys):
    ref = REF[name]["by_group"]
    out = run_json(capsys, "describe", str(HERE / name), "--by", ref["by"], "--vars", ref["outcome"],
                   "--continuous", ref["outcome"])
    rows = {r["group"]: r for r in out["table"] if r["variable"] == ref["outcome"]}
    assert set(rows) == set(ref["groups"])
    for group, stats in ref["groups"].items():
        assert rows[group]["n"] == stats["n"]
        assert close(rows[group]["mean"], stats["mean"]) and close(rows[group]["sd"], stats["sd"])


def test_describe_guess_and_override(capsys):
    path = HERE / "labelled_bfi.sav"
    out = run_json(capsys, "describe", str(path), "--by", "care", "--vars", "N1,A2")
    levels = {r["level"] for r in out["table"] if r["variable"] == "A2"}
    assert levels == {"Very inaccurate", "Moderately inaccurate", "Slightly inaccurate", "Slightly accurate",
                      "Moderately accurate", "Very accurate"}  # every answer labelled: categorical
    assert "refused" not in {r["level"] for r in out["table"]}  # user-missing codes are not levels
    out = run_json(capsys, "describe", str(path), "--by", "care", "--vars", "N1,A2", "--continuous", "A2",
                   "--categorical", "N1")
    assert {r["level"] for r in out["table"] if r["variable"] == "A2"} == {""}
    assert main(["describe", str(path), "--by", "care", "--vars", "N1", "--continuous", "N1",
                 "--categorical", "N1"]) == 2
    assert "both categorical and continuous" in capsys.readouterr().err
    assert main(["describe", str(path), "--by", "care", "--vars", "N1,A2", "--overall"]) == 0
    text = capsys.readouterr().out
    for shown in ("Father away", "Mother away", "Neuroticism item 1", "Inquire about others' well-being",
                  "Very accurate (%)"):
        assert shown in text


def test_quick_text_tables_name_items_by_label(capsys):
    assert main(["alpha", str(HERE / "labelled_edge.dta"), "--items", "e1,e2,e3"]) == 0
    text = capsys.readouterr().out
    assert "Edge item 1" in text and "Edge item 3" in text


STUDY = """
[study]
title = "Labelled"
[survey]
files = ["data/{file}"]
id = "id"
[[item_blocks]]
names = ["N1", "N2", "N3", "N4", "N5", "A2"]
range = [1, 6]
[items.care]
range = [1, 3]
[scales.neuro]
items = ["N1", "N2", "N3", "N4", "N5"]
[analysis]
outcome = "neuro"
group = "care"
controls = ["A2"]
"""


@pytest.mark.parametrize("file", ["labelled_bfi.sav", "labelled_bfi.dta"])
def test_run_quick_and_api_agree(file, tmp_path, capsys):
    """One reading everywhere: `run`, `alpha` and read_data().frame give R's n and alpha."""
    ref = REF[file]["alpha"]
    (tmp_path / "data").mkdir()
    shutil.copy(HERE / file, tmp_path / "data" / file)
    (tmp_path / "study.toml").write_text(STUDY.format(file=file), encoding="utf-8")
    assert main(["run", str(tmp_path)]) == 0
    capsys.readouterr()
    results = json.loads((tmp_path / "output" / "results.json").read_text(encoding="utf-8"))
    ran = results["reliability"]["neuro"]
    quick = run_json(capsys, "alpha", str(tmp_path / "data" / file), "--items", ",".join(ref["items"]))
    api = cronbach_alpha(read_data(tmp_path / "data" / file).frame, ref["items"])
    assert ran["n"] == quick["n"] == api.n == ref["n"]
    assert close(ran["alpha"], ref["alpha"]) and close(quick["alpha"], ref["alpha"]) and close(api.alpha, ref["alpha"])
    table2 = (tmp_path / "output" / "tables" / "nested.md").read_text(encoding="utf-8")
    assert "Father away" in table2 and "T.2" not in table2


def test_api_tables_and_plots_take_the_data_labels(tmp_path):
    from leftbehind.models import fit_ols
    from leftbehind.present.interaction_plot import interaction_plot
    from leftbehind.present.regression_table import regression_table

    data = read_data(HERE / "labelled_bfi.sav")
    fit = fit_ols(data.frame, "N1 ~ C(care) * A2")
    table = regression_table({"(1)": fit}, labels=data)
    shown = [row.label for row in table.rows if row.label]
    assert "Father away" in shown and "Mother away × Inquire about others' well-being" in shown
    assert not any("T." in label for label in shown)
    svg = interaction_plot(fit, "care", "A2", tmp_path / "plot", labels=Labels.from_data(data))[1].read_text(
        encoding="utf-8")
    for text in ("Both parents home", "Father away", "Mother away", "Caregiver arrangement",
                 "Inquire about others", "Predicted Neuroticism item 1"):
        assert text in svg, text
    assert "C(care)" not in svg


def test_study_missing_codes_in_text(tmp_path):
    """`missing = [9, "不知道"]` on a CSV column holding numbers and text."""
    from leftbehind.spec import load_study
    from leftbehind.survey import prepare

    (tmp_path / "q.csv").write_text("qid,worry\n1,2\n2,不知道\n3,9\n4,4\n", encoding="utf-8")
    (tmp_path / "study.toml").write_text(
        '[study]\ntitle = "t"\n[survey]\nfiles = ["q.csv"]\n'
        '[items.worry]\nrange = [1, 5]\nmissing = [9, "不知道"]\n', encoding="utf-8")
    prepared = prepare(load_study(tmp_path))
    values = prepared.valid["worry"]
    assert values.dtype.kind == "f"
    assert values.iloc[[0, 3]].tolist() == [2.0, 4.0] and values.iloc[[1, 2]].isna().all()
    assert prepared.raw["worry"].tolist() == ["2", "不知道", "9", "4"]


def test_text_answers_mapped_to_codes(tmp_path):
    """The documented value map: text answers become codes with a recode rule."""
    from leftbehind.spec import load_study
    from leftbehind.survey import prepare

    (tmp_path / "q.csv").write_text("qid,lives_with\n1,父母\n2,祖父母\n3,不知道\n4,父母\n", encoding="utf-8")
    (tmp_path / "study.toml").write_text(
        '[study]\ntitle = "t"\n[survey]\nfiles = ["q.csv"]\n'
        '[items.lives_with]\nmissing = ["不知道"]\n'
        '[derived.with_grandparents]\nrule = "recode"\nsource = "lives_with"\n'
        'map = { "父母" = 0, "祖父母" = 1 }\nlabels = { 0 = "parents", 1 = "grandparents" }\n', encoding="utf-8")
    prepared = prepare(load_study(tmp_path))
    got = prepared.valid["with_grandparents"]
    assert got.iloc[[0, 1, 3]].tolist() == [0.0, 1.0, 0.0] and np.isnan(got.iloc[2])
    assert prepared.value_labels["with_grandparents"] == {0: "parents", 1: "grandparents"}


def test_block_items_fall_back_to_the_file_labels(tmp_path):
    from leftbehind.spec import load_study
    from leftbehind.survey import prepare

    (tmp_path / "data").mkdir()
    shutil.copy(HERE / "labelled_bfi.sav", tmp_path / "data" / "labelled_bfi.sav")
    (tmp_path / "study.toml").write_text(
        '[study]\ntitle = "t"\n[survey]\nfiles = ["data/labelled_bfi.sav"]\nid = "id"\n'
        '[[item_blocks]]\nnames = ["N1", "N2"]\nlabel = "Neuroticism"\nrange = [1, 6]\n'
        '[labels]\nN2 = "Angry easily"\n', encoding="utf-8")
    labels = prepare(load_study(tmp_path)).variable_labels
    assert labels["N1"] == "Neuroticism item 1" and labels["N2"] == "Angry easily"
    assert labels["care"] == "Caregiver arrangement"


def test_quick_file_not_found_hint(tmp_path, capsys):
    assert main(["alpha", str(tmp_path / "absent.sav"), "--items", "a,b"]) == 2
    err = capsys.readouterr().err
    assert "not found" in err and "[survey]" not in err and "absent.sav" in err


def test_study_file_not_found_hint(tmp_path, capsys):
    from leftbehind.errors import DataError
    from leftbehind.survey import read_survey

    with pytest.raises(DataError, match="not found") as info:
        read_survey([tmp_path / "absent.csv"])
    assert "[survey] files" in info.value.hint


def test_stacked_files_keep_raw_codes():
    from leftbehind.survey import read_survey

    data = read_survey([HERE / "labelled_edge.sav", HERE / "labelled_edge.dta"])
    assert len(data.frame) == len(data.raw) == 60
    assert data.frame["e1"].notna().sum() == 2 * REF["labelled_edge.sav"]["stats"]["e1"]["n"]
    assert pd.to_numeric(data.raw["e1"].iloc[:30]).isin([9, 97, 98, 99]).sum() == 5


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), fmt=st.sampled_from(["sav", "dta"]))
def test_one_reading_property(tmp_path_factory, data, fmt):
    """Whatever codes are declared missing, the study path, `alpha` and read_data().frame see the
    same cases: those left after the test itself blanks the declared codes."""
    import pyreadstat

    from leftbehind.spec import load_study
    from leftbehind.survey import prepare

    folder = tmp_path_factory.mktemp("prop")
    n = data.draw(st.integers(min_value=8, max_value=30))
    answers = st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 9.0, np.nan]), min_size=n, max_size=n)
    frame = pd.DataFrame({"qid": np.arange(1.0, n + 1), **{f"i{k}": data.draw(answers) for k in (1, 2, 3)}})
    declared = {f"i{k}": data.draw(st.sampled_from([[8.0], [9.0], [8.0, 9.0]])) for k in (1, 2, 3)}
    path = folder / f"q.{fmt}"
    if fmt == "sav":
        pyreadstat.write_sav(frame, str(path), missing_ranges=declared)
    else:
        letters = {8.0: "b", 9.0: "a"}
        stata = frame.astype(object)
        for column, codes in declared.items():
            hit = stata[column].isin(codes)
            stata.loc[hit, column] = stata.loc[hit, column].map(letters)
        pyreadstat.write_dta(stata, str(path), missing_user_values={c: sorted(letters[v] for v in codes)
                                                                     for c, codes in declared.items()})
    expected = frame.copy()
    for column, codes in declared.items():
        expected.loc[expected[column].isin(codes), column] = np.nan
    items = ["i1", "i2", "i3"]
    complete = expected[items].dropna()
    api = read_data(path).frame
    pd.testing.assert_frame_equal(api[items], expected[items], check_dtype=False)
    (folder / "study.toml").write_text(
        f'[study]\ntitle = "p"\n[survey]\nfiles = ["q.{fmt}"]\n[[item_blocks]]\nnames = {items!r}\n'.replace("'", '"'),
        encoding="utf-8")
    prepared = prepare(load_study(folder)).valid
    pd.testing.assert_frame_equal(prepared[items].reset_index(drop=True), expected[items], check_dtype=False)
    if len(complete) < 3 or (complete.var() == 0).any() or complete.sum(axis=1).var() == 0:
        return
    studied = cronbach_alpha(prepared, items)
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["alpha", str(path), "--items", ",".join(items), "--json"]) == 0
    quick = json.loads(buffer.getvalue())
    assert studied.n == quick["n"] == len(complete)
    assert close(quick["alpha"], studied.alpha) and close(cronbach_alpha(api, items).alpha, studied.alpha)


def test_slopes_text_names_the_focal_term_by_label(capsys):
    path = HERE / "labelled_bfi.dta"
    assert main(["slopes", str(path), "--formula", "N1 ~ C(care) * A2", "--focal", "C(care)[T.2.0]",
                 "--moderator", "A2"]) == 0
    text = capsys.readouterr().out
    assert "Simple slopes of Father away (C(care)[T.2.0]) at values of Inquire about others' well-being" in text
    assert "Johnson-Neyman: Father away" in text
