"""`[study] title` and `[survey] id` change a study run."""

import json
import sys
from pathlib import Path

import pandas as pd

from leftbehind.cli.main import main
from leftbehind.report.pipeline import run_study

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402


def _edit(folder: Path, old: str, new: str) -> Path:
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_title_heads_the_report_and_results(tmp_path, capsys):
    folder = _edit(make_small_study(tmp_path / "s"), 'title = "Small test study"', 'title = "Belonging in Yanbian"')
    assert main(["run", str(folder)]) == 0
    capsys.readouterr()
    html = (folder / "output" / "report.html").read_text(encoding="utf-8")
    assert "<title>Belonging in Yanbian" in html and "Small test study" not in html
    assert json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))["study"]["title"] == \
        "Belonging in Yanbian"


def test_id_names_the_case_column(tmp_path):
    folder = make_small_study(tmp_path / "s")
    csv = folder / "data" / "questionnaires.csv"
    raw = pd.read_csv(csv).rename(columns={"qid": "case"})
    raw["case"] = raw["case"] + 5000
    raw.to_csv(csv, index=False)
    _edit(folder, 'id = "qid"\n', 'id = "case"\n')
    results = run_study(folder)
    assert results.analysis_frame["case"].min() > 5000
    assert set(results.prepared.case_log["id"].astype(int)) == set(raw["case"])


def test_description_opens_the_report(tmp_path, capsys):
    plain = make_small_study(tmp_path / "plain")
    folder = _edit(make_small_study(tmp_path / "s"), 'title = "Small test study"',
                   'title = "Small test study"\ndescription = "Questionnaires from four schools, spring term."')
    assert main(["run", str(plain)]) == 0 and main(["run", str(folder)]) == 0
    capsys.readouterr()
    html = (folder / "output" / "report.html").read_text(encoding="utf-8")
    assert "About the study" in html and "Questionnaires from four schools, spring term." in html
    assert "About the study" not in (plain / "output" / "report.html").read_text(encoding="utf-8")


def test_qual_title_names_the_interview_part(tmp_path, capsys):
    import shutil
    from importlib.resources import files

    folder = tmp_path / "kaihua"
    shutil.copytree(str(files("leftbehind.examples") / "kaihua"), folder)
    _edit(folder, 'title = "Interview study"', 'title = "Voices of grandparents and children"')
    assert main(["run", str(folder)]) == 0
    capsys.readouterr()
    html = (folder / "output" / "report.html").read_text(encoding="utf-8")
    assert "Voices of grandparents and children" in html and ">Interview findings<" not in html
