"""`leftbehind run` end to end on a small study, checked against an independent derivation."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from leftbehind.cli.main import main

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402


@pytest.fixture(scope="module")
def run_output(tmp_path_factory):
    folder = make_small_study(tmp_path_factory.mktemp("study"))
    assert main(["run", str(folder)]) == 0
    return folder, json.loads((folder / "output" / "results.json").read_text())


def independent_frame(folder: Path) -> pd.DataFrame:
    """The analysis sample derived by hand from the raw file, without leftbehind."""
    raw = pd.read_csv(folder / "data" / "questionnaires.csv")
    deps = ["dep1", "dep2", "dep3", "dep4"]
    blank = raw[deps + ["belong"]].isna().all(axis=1)
    valid = raw[(raw["consent"] != 2) & ~blank].copy()
    mother = valid["mother_months"] >= 6
    father = valid["father_months"] >= 6
    group = np.select([valid["parent_away"] == 2, mother & father, mother, father], ["none", "both", "mother", "father"], "none")
    valid["migration"] = np.where((valid["mother_alive"] == 2) | (valid["father_alive"] == 2), None, group)
    valid["depression"] = valid[deps].sum(axis=1, min_count=4)
    valid["girl"] = valid["gender"] - 1
    valid["school_belonging"] = valid["belong"]
    return valid


def test_flow_and_table2_match_statsmodels(run_output):
    folder, results = run_output
    frame = independent_frame(folder)
    stages = {s["stage"]: s["n"] for s in results["sample_flow"]["stages"]}
    assert (stages["distributed"], stages["collected"], stages["valid"]) == (340, 320, 313)
    cols = ["depression", "migration", "girl", "age", "school_belonging", "teach_life", "teach_guardian", "teach_praise"]
    complete = frame.dropna(subset=cols)
    assert stages["complete"] == len(complete)
    fit = smf.ols("depression ~ C(migration, Treatment('none')) + girl + age", data=complete).fit()
    ours = results["models"]["nested"]["Model 2"]
    assert ours["n"] == len(complete)
    assert ours["r2"] == pytest.approx(fit.rsquared, rel=1e-10)
    for term, b in fit.params.items():
        key = {"Intercept": "const"}.get(term, term.split("[T.")[-1].rstrip("]") if "[T." in term else term)
        assert ours["terms"][key]["b"] == pytest.approx(b, rel=1e-9)
        assert ours["terms"][key]["se"] == pytest.approx(fit.bse[term], rel=1e-9)
    # Table 3: the moderator centred at its sample mean changes only the constant.
    centred = complete.assign(school_belonging=complete["school_belonging"] - complete["school_belonging"].mean())
    fit3 = smf.ols("depression ~ C(migration, Treatment('none')) + girl + age + school_belonging", data=centred).fit()
    t3 = results["models"]["main_effects"]["school_belonging"]["terms"]
    assert t3["moderator"]["b"] == pytest.approx(fit3.params["school_belonging"], rel=1e-9)
    assert t3["const"]["b"] == pytest.approx(fit3.params["Intercept"], rel=1e-9)
    # Table 4: school belonging uncentred, as declared in the study file.
    fit4 = smf.ols("depression ~ girl + age + C(migration, Treatment('none')) * school_belonging", data=complete).fit()
    t4 = results["models"]["moderation"]["school_belonging"]["terms"]
    assert t4["mother_x"]["b"] == pytest.approx(fit4.params["C(migration, Treatment('none'))[T.mother]:school_belonging"], rel=1e-9)
    assert t4["mother"]["b"] == pytest.approx(fit4.params["C(migration, Treatment('none'))[T.mother]"], rel=1e-9)


def test_outputs_written(run_output):
    folder, results = run_output
    out = folder / "output"
    for name in ("report.html", "report.docx", "results.json", "tables/table1.md", "tables/moderation.docx",
                 "tables/nested.tex", "figures/interaction_school_belonging.svg", "figures/interaction_school_belonging.png"):
        assert (out / name).is_file(), name
    html = (out / "report.html").read_text()
    assert "group × moderator interactions" in html and "data:image/svg+xml" in html
    assert results["reliability"]["depression"]["alpha"] > 0.5
    assert set(results["johnson_neyman"]["school_belonging"]) == {"mother", "father", "both"}


def test_report_is_deterministic(run_output, tmp_path):
    folder, _ = run_output
    first = (folder / "output" / "report.html").read_bytes()
    assert main(["run", str(folder), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "report.html").read_bytes() == first


def test_bad_study_exits_2_and_keeps_previous_output(run_output, tmp_path):
    folder, _ = run_output
    before = (folder / "output" / "results.json").read_bytes()
    broken = tmp_path / "broken"
    make_small_study(broken)
    text = (broken / "study.toml").read_text().replace('outcome = "depression"', 'outcome = "depresion"')
    (broken / "study.toml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "leftbehind", "run", str(broken)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "depresion" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (broken / "output").exists()
    assert (folder / "output" / "results.json").read_bytes() == before


def test_failure_mid_run_leaves_no_half_output(tmp_path):
    folder = make_small_study(tmp_path / "s")
    data = folder / "data" / "questionnaires.csv"
    frame = pd.read_csv(data)
    frame.loc[20, "dep1"] = 9  # out of range: the run stops with a DataError
    frame.to_csv(data, index=False)
    assert main(["run", str(folder)]) == 2
    assert not (folder / "output").exists()


def test_progress_steps_match_the_plan(tmp_path):
    from leftbehind.report.outputs import planned_steps, run_and_write
    from leftbehind.spec import load_study

    folder = make_small_study(tmp_path / "s")
    ticks = []
    run_and_write(folder, progress=ticks.append)
    assert len(ticks) == planned_steps(load_study(folder))
