"""A study with four schools run with se = "CR2", cluster_df = "G-1" and [analysis.wild_bootstrap].

The statistics themselves are checked against R in tests/models/test_small_clusters.py and
test_wild_bootstrap.py; here the pipeline must hand them to every model, table, caution and
results.json.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from leftbehind.models import fit_ols
from leftbehind.models.small_clusters import cr2_tests
from leftbehind.models.wild_bootstrap import wild_cluster_bootstrap

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402

BOOT = '\n[analysis.wild_bootstrap]\nreps = 999\nweights = "webb"\nseed = 3\n'


def _study(folder: Path, se: str, extra: str = "") -> Path:
    make_small_study(folder)
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8").replace('se = "classical"\n', se + "\n" + extra)
    toml.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cr2_run(tmp_path_factory):
    from leftbehind.report.outputs import planned_steps, run_and_write
    from leftbehind.report.pipeline import run_study
    from leftbehind.spec import load_study

    folder = _study(tmp_path_factory.mktemp("cr2"), 'se = "CR2"', BOOT)
    ticks: list[str] = []
    out = run_and_write(folder, progress=ticks.append)
    assert len(ticks) == planned_steps(load_study(folder))
    return run_study(folder), out


def test_every_model_has_cr2_tests(cr2_run):
    results, _ = cr2_run
    for fit in [m for s in results.tables.values() for m in s.models.values()]:
        assert fit.se_type == "CR2:school" and fit.n_clusters == 4 and "df" in fit.coefficients
    for block in results.nested.blocks:  # uncentred: refit from the analysis frame
        plain = fit_ols(results.analysis_frame, block.formula, se="cluster:school")
        expected = cr2_tests(plain).coefficients
        np.testing.assert_allclose(block.result.coefficients[["se", "df", "p"]], expected[["se", "df", "p"]],
                                   rtol=1e-10)
        assert any(m is block.result for m in results.tables["nested"].models.values())
    for name, fit in results.tables["moderation"].series.items():
        assert fit.result is results.tables["moderation"].models[name]


def test_bootstrap_of_the_group_terms(cr2_run):
    results, _ = cr2_run
    boot = results.wild_bootstrap
    first = results.tables["nested"].models["Model 1"]
    tests = boot["nested"]["Model 1"]
    assert sorted(tests) == ["both", "father", "mother"]
    again = wild_cluster_bootstrap(first, tests["mother"].term, reps=999, weights="webb", seed=3)
    assert tests["mother"].p == again.p and tests["mother"].reps == 999
    assert {"mother", "mother_x"} <= set(boot["moderation"]["school_belonging"])


def test_outputs_carry_cr2_bootstrap_and_caution(cr2_run):
    from leftbehind.report.study_report import cautions

    results, out = cr2_run
    notes = cautions(results)
    assert any(n.startswith("Only 4 clusters (") and "corrections used here" in n for n in notes)
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    model = data["models"]["nested"]["Model 1"]
    assert model["se_type"] == "CR2:school" and "df" in model["terms"]["mother"]
    assert data["wild_bootstrap"]["nested"]["Model 1"]["mother"]["weights"] == "webb"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Wild cluster bootstrap p-values" in html and "Satterthwaite degrees of freedom" in html
    assert "Only 4 clusters" in html
    table = (out / "tables" / "wild_bootstrap.md").read_text(encoding="utf-8")
    assert "Mother only away × School belonging" in table and "webb weights, 999 draws, seed 3" in table


def test_g_minus_one_and_caution(tmp_path):
    from leftbehind.report.pipeline import run_study
    from leftbehind.report.study_report import cautions

    results = run_study(_study(tmp_path / "g1", 'se = "cluster"\ncluster_df = "G-1"'))
    assert results.wild_bootstrap == {}
    fit = results.tables["nested"].models["Model 2"]
    table = fit.coefficients
    assert fit.se_type == "cluster:school" and (table["df"] == 3).all()
    np.testing.assert_allclose(table["p"], 2 * stats.t.sf(np.abs(table["b"] / table["se"]), 3), rtol=1e-12)
    notes = cautions(results)
    assert any(n.startswith("Only 4 clusters (") and 'se = "CR2"' in n for n in notes)
