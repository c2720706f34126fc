"""report.imputation: nested blocks after listwise deletion and after MI, and their tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import StudyFileError
from leftbehind.report.imputation import (block_formulas_of, impute_study_models,
                                          imputation_tables)
from leftbehind.spec.study import Study


def make_study(**missing) -> Study:
    return Study(study={"title": "t"}, survey={"files": ["q.csv"], "cluster": "school"},
                 analysis={"outcome": "dep", "group": "group", "reference": "none",
                           "controls": ["girl", "age"], "se": missing.pop("se", "classical"),
                           "nested": [{"name": "Model 1"}, {"name": "Model 2", "add": ["@controls"]}]},
                 missing={"method": "mice", "m": 5, "maxit": 3, "seed": 11, **missing})


def make_frame(n: int = 240, *, holes: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"group": rng.choice(["none", "mother", "father"], n, p=[.6, .2, .2]),
                          "girl": rng.integers(0, 2, n).astype(float),
                          "age": np.round(rng.normal(13, 1, n), 1),
                          "school": rng.integers(1, 9, n)})
    frame["dep"] = 10 + 2 * (frame.group == "mother") + 0.4 * frame.age + rng.normal(0, 3, n)
    if holes:
        frame.loc[rng.random(n) < 0.1, "age"] = np.nan
        frame.loc[rng.random(n) < 0.08, "dep"] = np.nan
        frame.loc[rng.random(n) < 0.05, "group"] = None
    return frame


def test_without_missing_values_mi_equals_listwise():
    # every completed data set is the data itself: B = 0, so Rubin's rules return the
    # complete-data fit and D1 (classical vcov) is the nested-model F of anova(m1, m2)
    imputed = impute_study_models(make_study(), make_frame(holes=False))
    for name, block in zip(imputed.pooled, imputed.listwise.blocks, strict=True):
        pooled = imputed.pooled[name]
        lw = block.result.coefficients
        np.testing.assert_allclose(pooled.coefficients["b"], lw.loc[pooled.terms, "b"], rtol=1e-10)
        np.testing.assert_allclose(pooled.coefficients["se"], lw.loc[pooled.terms, "se"], rtol=1e-10)
        assert pooled.r2.estimate == pytest.approx(block.r2, rel=1e-10)
        d1 = imputed.changes[name]
        assert d1.f == pytest.approx(block.f_change, rel=1e-8)
        assert d1.df1 == block.df1


def test_missing_values_are_imputed_and_tabled():
    frame = make_frame()
    imputed = impute_study_models(make_study(), frame)
    imp = imputed.imputation
    assert imp.methods == {"dep": "pmm", "group": "polyreg", "girl": "", "age": "pmm"}
    assert imp.n_complete_cases == imputed.listwise.n == len(frame[["dep", "group", "girl", "age"]].dropna())
    assert all(p.n == len(frame) for p in imputed.pooled.values())
    tables = imputation_tables(imputed)
    miss = tables["missingness"]
    assert [r.label for r in miss.rows] == ["dep", "group", "girl", "age"]
    assert miss.rows[3].cells[0] == str(int(frame["age"].isna().sum()))
    comp = tables["listwise_vs_mi"]
    assert comp.columns == ("Listwise", "MI") * 2
    assert [s.label for s in comp.spanners] == ["Model 1", "Model 2"]
    n_row = next(r for r in comp.rows if r.label == "N")
    assert n_row.cells == (str(imputed.listwise.n), str(len(frame))) * 2
    labels = [r.label for r in comp.rows if r.role == "summary"]
    assert labels == ["N", "R²", "ΔR²", "F change", "df of F change", "p of F change"]
    assert "Rubin" in comp.notes[-1]
    assert imputed.to_dict()["changes"]["Model 2"]["df1"] == 2


def test_cluster_column_is_not_imputed():
    frame = make_frame()
    frame.loc[:4, "school"] = np.nan
    imputed = impute_study_models(make_study(se="cluster"), frame)
    assert "school" not in imputed.imputation.methods
    assert imputed.pooled["Model 1"].n == len(frame) - 5
    assert imputed.pooled["Model 1"].fits[0].se_type == "cluster:school"


def test_auxiliary_variables_join_the_imputation_model():
    frame = make_frame().assign(extra=lambda d: d["age"] + 1)
    imputed = impute_study_models(make_study(auxiliary=["extra"]), frame)
    assert imputed.imputation.methods["extra"] == "pmm"
    with pytest.raises(StudyFileError, match="auxiliary variable 'nope'") as info:
        impute_study_models(make_study(auxiliary=["nope"]), frame)
    assert info.value.location.key == "missing.auxiliary"


def test_block_formulas_follow_the_nested_blocks():
    assert block_formulas_of(make_study()) == {
        "Model 1": "dep ~ C(group, Treatment('none'))",
        "Model 2": "dep ~ C(group, Treatment('none')) + girl + age"}


def test_impute_results_of_a_study_run(tmp_path):
    import sys
    from pathlib import Path

    from leftbehind.report.imputation import impute_results
    from leftbehind.report.pipeline import run_study

    sys.path.insert(0, str(Path(__file__).parent))
    from small_study import make_small_study

    folder = make_small_study(tmp_path / "s")
    assert impute_results(run_study(folder)) is None  # listwise by default
    toml = folder / "study.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    + '\n[missing]\nmethod = "mice"\nm = 3\nmaxit = 2\nseed = 5\n', encoding="utf-8")
    results = run_study(folder)
    imputed = impute_results(results)
    assert imputed.listwise is results.nested
    assert imputed.imputation.n_complete_cases >= results.nested.n
    first = next(iter(imputed.pooled.values()))
    assert first.n > results.nested.n and first.m == 3
    assert set(imputation_tables(imputed)) == {"missingness", "listwise_vs_mi"}


def test_run_with_mice_reports_both_side_by_side(tmp_path):
    """`leftbehind run` with [missing] method = "mice": report, tables and results.json carry MI."""
    import json
    import sys
    from pathlib import Path

    from leftbehind.cli.main import main

    sys.path.insert(0, str(Path(__file__).parent))
    from small_study import make_small_study

    folder = make_small_study(tmp_path / "s")
    toml = folder / "study.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    + '\n[missing]\nmethod = "mice"\nm = 3\nmaxit = 2\nseed = 5\n', encoding="utf-8")
    assert main(["run", str(folder)]) == 0
    out = folder / "output"
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    listwise_n = results["nested"]["n"]
    pooled = results["imputation"]["pooled"]
    assert set(pooled) == {"Model 1", "Model 2"}
    assert all(block["n"] > listwise_n for block in pooled.values())
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Missing data: listwise deletion and multiple imputation" in html
    assert (out / "tables" / "listwise_vs_mi.csv").exists() and (out / "tables" / "missingness.csv").exists()
