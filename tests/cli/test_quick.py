"""The quick commands end to end on .csv, .sav and .dta files, against the R references.

The same data are written to SPSS and Stata files (with pyreadstat) so each format goes through
its real reader; the numbers must equal what R printed for the CSV (tests/reference/*/).
"""

import json
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from leftbehind.cli.main import main

REF = Path(__file__).parents[1] / "reference"
ALPHA = json.loads((REF / "measures" / "alpha.json").read_text())["bfi_N_listwise"]
EFA = json.loads((REF / "measures" / "efa.json").read_text())
MODELS = json.loads((REF / "models" / "models.json").read_text())


def as_format(csv: Path, fmt: str, tmp_path: Path) -> Path:
    if fmt == "csv":
        return csv
    frame = pd.read_csv(csv)
    path = tmp_path / f"{csv.stem}.{fmt}"
    if fmt == "sav":
        pyreadstat.write_sav(frame, path, column_labels={c: f"label of {c}" for c in frame.columns})
    else:
        pyreadstat.write_dta(frame, path)
    return path


def run_json(capsys, *args) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("fmt", ["csv", "sav", "dta"])
def test_alpha(fmt, tmp_path, capsys):
    data = as_format(REF / "data" / "measures_bfi.csv", fmt, tmp_path)
    out = run_json(capsys, "alpha", str(data), "--items", ",".join(ALPHA["items"]))
    expected = ALPHA["result"]
    assert out["n"] == expected["n"]
    assert out["alpha"] == pytest.approx(expected["alpha"], rel=1e-6)
    assert out["ci95"] == pytest.approx(expected["feldt"], rel=1e-6)
    for item, stats in expected["items"].items():
        assert out["items"][item]["alpha_if_deleted"] == pytest.approx(stats["alpha_if_deleted"], rel=1e-6)
        assert out["items"][item]["item_rest_r"] == pytest.approx(stats["item_rest_r"], rel=1e-6)


@pytest.mark.parametrize("fmt", ["csv", "sav", "dta"])
def test_efa_and_scores(fmt, tmp_path, capsys):
    case = EFA["attitude"]
    data = as_format(REF / "data" / case["data"], fmt, tmp_path)
    expected = case["results"]["minres_varimax"]
    scores = tmp_path / "scores.csv"
    out = run_json(capsys, "efa", str(data), "--items", ",".join(case["items"]), "--factors", str(case["n_factors"]),
                   "--method", "minres", "--rotation", "varimax", "--scores", str(scores))
    assert out["n"] == case["n"]
    for item, loadings in expected["loadings"].items():
        assert out["loadings"][item] == pytest.approx(loadings, abs=1e-3)
    assert len(pd.read_csv(scores)) == case["n"]


@pytest.mark.parametrize("fmt", ["csv", "sav", "dta"])
@pytest.mark.parametrize("name", ["hunchun_classical", "hunchun_HC1", "hunchun_cluster_school", "hunchun_moderation_HC3"])
def test_ols(fmt, name, tmp_path, capsys):
    case = next(c for c in MODELS["ols"] if c["name"] == name)
    data = as_format(REF / "data" / "models_hunchun.csv", fmt, tmp_path)
    out = run_json(capsys, "ols", str(data), "--formula", case["formula"], "--se", case["se"])
    assert out["n"] == case["n"] and out["r2"] == pytest.approx(case["r2"], rel=1e-6)
    for term, row in case["coefficients"].items():
        for key in ("b", "se", "t", "p"):
            assert out["coefficients"][term][key] == pytest.approx(row[key], rel=1e-6), (term, key)


def test_nested(tmp_path, capsys):
    ref = MODELS["nested"]
    out = run_json(capsys, "nested", str(REF / "data" / "models_hunchun.csv"),
                   *[arg for block in ref["blocks_in"] for arg in ("--block", block)])
    assert out["n"] == ref["n"]
    for ours, theirs in zip(out["blocks"], ref["blocks"]):
        for key in ("r2", "delta_r2", "f_change", "p_change"):
            assert ours[key] == pytest.approx(theirs[key], rel=1e-6)


def test_slopes(tmp_path, capsys):
    case = MODELS["moderation"]["iris_versicolor_classical"]
    out = run_json(capsys, "slopes", str(REF / "data" / "models_iris.csv"), "--formula", case["formula"],
                   "--focal", case["focal"], "--moderator", case["moderator"])
    assert out["jn_bounds"] == pytest.approx(case["jn"]["bounds"], abs=1e-3)
    assert [row["slope"] for row in out["slopes"]] == pytest.approx([s["slope"] for s in case["slopes"]], rel=1e-6)


def test_describe(tmp_path, capsys):
    out = run_json(capsys, "describe", str(REF / "data" / "models_hunchun.csv"), "--by", "group",
                   "--vars", "depression,girl", "--categorical", "girl")
    frame = pd.read_csv(REF / "data" / "models_hunchun.csv")
    rows = out["table"]
    mother = next(r for r in rows if r["variable"] == "depression" and r["group"] == "mother")
    sub = frame.loc[frame["group"] == "mother", "depression"].dropna()
    assert mother["mean"] == pytest.approx(sub.mean()) and mother["sd"] == pytest.approx(sub.std())


def test_quick_errors(tmp_path, capsys):
    data = REF / "data" / "models_hunchun.csv"
    assert main(["ols", str(data), "--formula", "depression ~ nosuch"]) == 2
    assert main(["ols", str(data), "--formula", "depression ~ girl", "--se", "cluster:nosuch"]) == 2
    assert main(["alpha", str(data), "--items", "girl,nosuch"]) == 2
    bad = tmp_path / "data.xyz"
    bad.write_text("a,b\n1,2\n")
    assert main(["alpha", str(bad), "--items", "a,b"]) == 2
    err = capsys.readouterr().err
    assert "nosuch" in err and "data.xyz" in err and "Traceback" not in err


def test_beta_and_suggest(capsys):
    data = REF / "data" / "models_hunchun.csv"
    out = run_json(capsys, "ols", str(data), "--formula", "depression ~ girl + age", "--beta")
    frame = pd.read_csv(data).dropna(subset=["depression", "girl", "age"])
    b = out["coefficients"]["age"]["b"]
    assert out["coefficients"]["age"]["beta"] == pytest.approx(b * frame["age"].std() / frame["depression"].std())
    parallel = json.loads((REF / "measures" / "parallel.json").read_text())
    case = next(iter(parallel.values()))
    advice = run_json(capsys, "efa", str(REF / "data" / case["data"]), "--items", ",".join(case["items"]), "--suggest")
    assert (advice["kaiser"], advice["parallel"]) == (case["kaiser"], case["ncomp"])  # R: psych::fa.parallel


def test_describe_overall_once_and_tests_in_a_note(capsys):
    data = REF / "data" / "models_hunchun.csv"
    assert main(["describe", str(data), "--by", "group", "--vars", "depression,girl", "--categorical", "girl",
                 "--overall", "--tests"]) == 0
    text = capsys.readouterr().out
    header = next(line for line in text.splitlines() if line.startswith("|  |"))
    assert header.count("Overall") == 1 and "overall" not in header
    n_row = next(line for line in text.splitlines() if line.startswith("| N |"))
    frame = pd.read_csv(data).dropna(subset=["group"])
    assert n_row.rstrip(" |").endswith(str(len(frame)))
    assert "F(3, " in text and "χ²(3)" in text


def test_ols_cr2_matches_clubsandwich(capsys):
    """`ols --se CR2:school` on the four-school data of few_clusters.R (clubSandwich coef_test)."""
    want = json.loads((REF / "models" / "few_clusters.json").read_text())["cr2"]["four"]
    out = run_json(capsys, "ols", str(REF / "data" / "few_clusters_four.csv"),
                   "--formula", "y ~ x + treated + z", "--se", "CR2:school")
    assert out["n"] == want["n"]
    for j, term in enumerate(want["terms"]):
        for key in ("b", "se", "p"):
            assert out["coefficients"][term][key] == pytest.approx(want["cr2"][key][j], rel=1e-8), (term, key)
