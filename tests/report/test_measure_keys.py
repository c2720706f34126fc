"""`[scales.NAME]` and `[factors.NAME]` keys `items`, `label` and `method` change a study run."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from leftbehind.cli.main import main
from leftbehind.report.pipeline import run_study

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402

SCALE = 'items = ["dep1", "dep2", "dep3", "dep4"]\nscore = "sum"\nlabel = "Depression"'
FACTOR = 'items = ["teach_life", "teach_guardian", "teach_praise"]\nlabel = "Teacher attitude"'


def _study(folder: Path, old: str = "", new: str = "") -> Path:
    make_small_study(folder)
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_scale_items_are_the_items_summed(tmp_path):
    results = run_study(_study(tmp_path / "s", SCALE, SCALE.replace(', "dep4"]', "]")))
    frame = results.analysis_frame
    np.testing.assert_allclose(frame["depression"], frame[["dep1", "dep2", "dep3"]].sum(axis=1), rtol=0, atol=1e-12)
    assert results.reliability["depression"].k == 3


def test_factor_items_and_method_choose_the_analysis(tmp_path):
    four = FACTOR.replace('"teach_praise"]', '"teach_praise", "belong"]')   # one factor of three items is exact
    default = run_study(_study(tmp_path / "d", FACTOR, four)).factors["teacher_attitude"]
    ml = run_study(_study(tmp_path / "ml", FACTOR, four + '\nmethod = "ml"')).factors["teacher_attitude"]
    assert (default.method, ml.method) == ("minres", "ml")
    assert not np.allclose(default.loadings.to_numpy(), ml.loadings.to_numpy(), rtol=0, atol=1e-6)
    two = FACTOR.replace('"teach_life", ', "").replace('"teach_praise"]', '"teach_praise", "belong"]')
    other = run_study(_study(tmp_path / "i", FACTOR, two)).factors["teacher_attitude"]
    assert list(other.loadings.index) == ["teach_guardian", "teach_praise", "belong"]


def test_scale_and_factor_labels_name_them_in_the_report(tmp_path):
    folder = _study(tmp_path / "l", 'label = "Depression"', 'label = "Depressive symptoms (CES-D short)"')
    text = (folder / "study.toml").read_text(encoding="utf-8").replace(
        'label = "Teacher attitude"', 'label = "Attitude of the head teacher"')
    (folder / "study.toml").write_text(text, encoding="utf-8")
    assert main(["run", str(folder)]) == 0
    html = (folder / "output" / "report.html").read_text(encoding="utf-8")
    assert "Depressive symptoms (CES-D short)" in html and "Attitude of the head teacher" in html
    assert "Teacher attitude" not in html
    json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _quiet(capsys):
    yield
    capsys.readouterr()
