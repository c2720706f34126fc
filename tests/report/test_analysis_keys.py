"""`[analysis] categorical` and `[analysis.wild_bootstrap] terms` change a study run's models."""

import sys
from pathlib import Path

import pytest

from leftbehind.report.pipeline import run_study

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402


def _run(folder: Path, old: str, new: str):
    make_small_study(folder)
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new), encoding="utf-8")
    return run_study(folder)


def test_categorical_enters_a_control_as_a_factor(tmp_path):
    plain = _run(tmp_path / "plain", "", "").tables["nested"].models["Model 2"].coefficients
    factor = _run(tmp_path / "factor", 'controls = ["girl", "age"]\n',
                  'controls = ["girl", "age"]\ncategorical = ["girl"]\n').tables["nested"].models["Model 2"].coefficients
    assert "girl" in plain.index and "girl" not in factor.index and "C(girl)[T.1]" in factor.index
    # a 0/1 control entered as a factor has one dummy equal to the numeric column: same estimate
    assert factor.loc["C(girl)[T.1]", "b"] == pytest.approx(plain.loc["girl", "b"], rel=1e-10)


def test_wild_bootstrap_terms_choose_the_tested_coefficients(tmp_path):
    boot = '\n[analysis.wild_bootstrap]\nreps = 99\nseed = 3\n'
    default = _run(tmp_path / "group", 'se = "classical"\n', 'se = "CR2"\n' + boot).wild_bootstrap
    chosen = _run(tmp_path / "girl", 'se = "classical"\n', 'se = "CR2"\n' + boot + 'terms = ["girl"]\n').wild_bootstrap
    assert sorted(default["nested"]["Model 2"]) == ["both", "father", "mother"]   # default: the group
    assert list(chosen["nested"]["Model 2"]) == ["girl"] and list(chosen["nested"]["Model 1"]) == []
