"""Scale and factor-score keys of study.toml change the run's output (`min_items`, `scores`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind.cli.main import main
from leftbehind.measures import efa

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402

DEPS = ["dep1", "dep2", "dep3", "dep4"]
TEACH = ["teach_life", "teach_guardian", "teach_praise"]


def _run(folder: Path, *, scale: str, factor: str) -> tuple[dict, str, pd.DataFrame]:
    raw = pd.read_csv(folder / "data" / "questionnaires.csv")
    raw.loc[20:29, "dep2"] = np.nan          # one item unanswered: scored only under MEAN.3
    raw.loc[30:31, ["dep2", "dep3"]] = np.nan  # two unanswered: never scored with min_items = 3
    raw.to_csv(folder / "data" / "questionnaires.csv", index=False)
    toml = (folder / "study.toml").read_text(encoding="utf-8")
    toml = toml.replace('items = ["dep1", "dep2", "dep3", "dep4"]\nscore = "sum"', scale)
    toml = toml.replace('items = ["teach_life", "teach_guardian", "teach_praise"]\nlabel = "Teacher attitude"',
                        f'items = {json.dumps(TEACH)}\n{factor}\nlabel = "Teacher attitude"')
    (folder / "study.toml").write_text(toml, encoding="utf-8")
    assert main(["run", str(folder)]) == 0
    results = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))
    html = (folder / "output" / "report.html").read_text(encoding="utf-8")
    return results, html, raw


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    default = _run(make_small_study(tmp_path_factory.mktemp("default")),
                   scale='items = ["dep1", "dep2", "dep3", "dep4"]\nscore = "sum"', factor="")
    chosen = _run(make_small_study(tmp_path_factory.mktemp("chosen")),
                  scale='items = ["dep1", "dep2", "dep3", "dep4"]\nscore = "mean"\nmin_items = 3',
                  factor='scores = "bartlett"')
    return default, chosen


def _complete(results: dict) -> int:
    return {s["stage"]: s["n"] for s in results["sample_flow"]["stages"]}["complete"]


def _group_mean(results: dict, variable: str, group: str) -> float:
    return next(r["mean"] for r in results["descriptives"]["table"]
                if r["variable"] == variable and r["group"] == group)


def test_min_items_scores_respondents_with_one_item_missing(runs):
    (default, _, _), (chosen, _, _) = runs
    # ten more respondents keep a score: the rows with one of the four items missing
    assert _complete(chosen) - _complete(default) == 10


def test_rule_printed_in_reliability_note(runs):
    (_, default_html, _), (_, chosen_html, _) = runs
    assert "Scale score: sum of the 4 items; a respondent with any item missing gets no score." in default_html
    assert ("Scale score: mean of the answered items when at least 3 of the 4 are answered "
            "(SPSS MEAN.3).") in chosen_html


def test_scores_key_selects_bartlett_scores(runs):
    """The group means of the factor score equal Bartlett scores derived by hand."""
    from test_run import independent_frame

    (default, default_html, _), (chosen, chosen_html, raw) = runs
    assert "Factor scores by the regression method" in default_html
    assert "Factor scores by the Bartlett method" in chosen_html
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pd, "read_csv", lambda *_a, **_k: raw.copy())
        valid = independent_frame(Path("unused"))
    valid["depression"] = valid[DEPS].mean(axis=1).where(valid[DEPS].notna().sum(axis=1) >= 3)
    fit = efa(valid, TEACH, n_factors=1, rotation="none")
    for method, results in (("bartlett", chosen), ("regression", default)):
        valid["teacher_attitude"] = fit.scores(valid, method=method).iloc[:, 0]
        if method == "regression":
            valid["depression"] = valid[DEPS].sum(axis=1, min_count=4)
        cols = ["depression", "migration", "girl", "age", "school_belonging", "teacher_attitude"]
        complete = valid.dropna(subset=cols)
        want = complete.loc[complete["migration"] == "none", "teacher_attitude"].mean()
        assert _group_mean(results, "teacher_attitude", "none") == pytest.approx(want, rel=1e-10)


def _run_with_moderator(folder: Path, extra: str) -> int:
    toml = (folder / "study.toml").read_text(encoding="utf-8")
    toml = toml.replace('variable = "school_belonging"\ncenter_interaction = false',
                        f'variable = "school_belonging"\ncenter_interaction = false\n{extra}')
    (folder / "study.toml").write_text(toml, encoding="utf-8")
    return main(["run", str(folder)])


def test_slopes_at_values_and_percentiles(tmp_path):
    folder = make_small_study(tmp_path / "values")
    assert _run_with_moderator(folder, "slopes_at = [2, 4]") == 0
    results = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))
    ats = [row["at"] for row in results["simple_slopes"]["school_belonging"]["mother"]["slopes"]]
    assert ats == [2.0, 4.0]  # the interaction model leaves this moderator uncentred
    folder = make_small_study(tmp_path / "pct")
    assert _run_with_moderator(folder, 'slopes_at = "percentiles"\npercentiles = [10, 90]') == 0
    results = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))
    slopes = results["simple_slopes"]["school_belonging"]["mother"]
    assert slopes["labels"] == ["P10", "P90"]
    belong = pd.read_csv(folder / "data" / "questionnaires.csv")["belong"]
    assert min(r["at"] for r in slopes["slopes"]) >= belong.min()


def test_slopes_at_outside_the_item_range_is_refused(tmp_path, capsys):
    folder = make_small_study(tmp_path / "bad")
    assert _run_with_moderator(folder, "slopes_at = [2, 7]") == 2
    assert "simple-slope value 7 lies outside the range 1-5" in capsys.readouterr().err


def test_check_finds_slopes_at_outside_the_item_range(tmp_path, capsys):
    folder = make_small_study(tmp_path / "check")
    toml = (folder / "study.toml").read_text(encoding="utf-8")
    toml = toml.replace('variable = "school_belonging"\ncenter_interaction = false',
                        'variable = "school_belonging"\ncenter_interaction = false\nslopes_at = [2, 7]')
    (folder / "study.toml").write_text(toml, encoding="utf-8")
    assert main(["check", str(folder)]) == 2
    out = capsys.readouterr().out
    assert "key 'analysis.moderators[0].slopes_at[1]'" in out and "outside the range 1-5" in out


def _two_factor_study(folder: Path, rotation: str, *, refer: str) -> Path:
    make_small_study(folder)
    toml = (folder / "study.toml").read_text(encoding="utf-8")
    toml = toml.replace('items = ["teach_life", "teach_guardian", "teach_praise"]\nlabel = "Teacher attitude"',
                        f'items = {json.dumps(TEACH + DEPS)}\nn_factors = 2\nrotation = "{rotation}"\n'
                        'label = "Teacher attitude"')
    toml = toml.replace('"teacher_attitude"]', f'"{refer}"]').replace('variable = "teacher_attitude"',
                                                                    f'variable = "{refer}"')
    (folder / "study.toml").write_text(toml, encoding="utf-8")
    return folder


def test_two_factors_are_named_name_1_and_name_2(tmp_path, capsys):
    """n_factors = 2 scores NAME_1 and NAME_2; check refuses NAME itself and suggests them."""
    folder = _two_factor_study(tmp_path / "old", "varimax", refer="teacher_attitude")
    assert main(["check", str(folder)]) == 2
    assert "'teacher_attitude' is not defined" in capsys.readouterr().out
    folder = _two_factor_study(tmp_path / "new", "varimax", refer="teacher_attitude_1")
    assert main(["run", str(folder)]) == 0
    results = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))
    assert len(results["factors"]["teacher_attitude"]["factors"]) == 2


def test_rotation_changes_the_loadings(tmp_path):
    loadings = {}
    for rotation in ("varimax", "oblimin"):
        folder = _two_factor_study(tmp_path / rotation, rotation, refer="teacher_attitude_1")
        assert main(["run", str(folder)]) == 0
        fit = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))["factors"]["teacher_attitude"]
        assert fit["rotation"] == rotation
        loadings[rotation] = fit
    assert loadings["varimax"]["phi"] is None and loadings["oblimin"]["phi"] is not None
    assert loadings["varimax"]["loadings"] != loadings["oblimin"]["loadings"]
