"""regression_table against the seed study's printed Table 2 (Wang 2023)."""

from types import SimpleNamespace

import pandas as pd
import pytest
from lb_golden import TERM_NAMES, published_model, seed, seed_labels, seed_table2

from leftbehind.errors import InputError
from leftbehind.present.regression_table import regression_table


def _cells(table, label):
    rows = list(table.rows)
    index = next(i for i, r in enumerate(rows) if r.label == label)
    return rows[index].cells, rows[index + 1].cells


def test_seed_table2_cells_as_printed():
    # expected strings typed from the printed Table 2 (3 decimals), not produced by leftbehind
    table = seed_table2()
    assert table.columns == ("Model 1", "Model 2")
    assert _cells(table, "Mother only away") == (("2.082", "2.690*"), ("(1.084)", "(1.100)"))
    assert _cells(table, "Father only away") == (("-0.381", "0.061"), ("(0.585)", "(0.674)"))
    assert _cells(table, "Girl") == (("", "1.085*"), ("", "(0.456)"))
    assert _cells(table, "Grade") == (("", "1.129**"), ("", "(0.402)"))
    assert _cells(table, "Constant") == (("11.470***", "0.753"), ("(0.293)", "(2.946)"))
    assert [(r.label, r.cells, r.role) for r in table.rows[-2:]] == [
        ("N", ("605", "605"), "summary"), ("R²", ("0.008", "0.079"), "summary")]
    assert table.notes[0] == "Standard errors in parentheses. * p < .05, ** p < .01, *** p < .001."


@pytest.mark.parametrize("key, n_predictors", [("table2", None), ("table3_main_effects", 11),
                                                ("table4_interactions", 14)])
def test_stars_from_printed_b_and_se_match_printed_stars(key, n_predictors):
    """p from t = b/se with n - k - 1 df must give the stars the paper printed, for all 93 cells."""
    figures = seed()[key]
    if key == "table2":
        columns = {"model1": (figures["model1"], 3), "model2": (figures["model2"], 10)}
    else:
        columns = {name: (entry, n_predictors) for name, entry in figures.items()}
    checked = 0
    for name, (entry, k) in columns.items():
        table = regression_table({name: published_model(entry, n_predictors=k)}, stats=())
        coefficient_rows = [r for r in table.rows if r.role == "body"]
        terms = [t for t, v in entry.items() if isinstance(v, dict)]
        terms = [t for t in terms if t != "const"] + (["const"] if "const" in terms else [])
        for term, row in zip(terms, coefficient_rows, strict=True):
            printed = entry[term]["stars"]
            assert row.cells[0].endswith(printed) and not row.cells[0][: -len(printed) or None].endswith("*"), \
                (name, term, row.cells[0], printed)
            checked += 1
    assert checked == sum(1 for entry, _ in columns.values() for v in entry.values() if isinstance(v, dict))


@pytest.mark.parametrize("suffix", ["md", "html", "tex", "csv", "json"])
def test_seed_table2_golden(golden, suffix):
    golden(f"seed_table2.{suffix}", seed_table2().render(suffix))


def _model(rows, n=100, r2=0.5, adj_r2=0.45):
    frame = pd.DataFrame(rows, columns=["term", "b", "se", "t", "p", "ci_low", "ci_high"]).set_index("term")
    return SimpleNamespace(coefficients=frame, n=n, r2=r2, adj_r2=adj_r2)


M1 = _model([("Intercept", 1.0, 0.5, 2.0, 0.048, 0.02, 1.98), ("x", 0.25, 0.1, 2.5, 0.012, 0.05, 0.45)])
M2 = _model([("x", -0.0004, 0.1, -0.004, 0.997, -0.2, 0.2), ("z", 3.0, 1.0, 3.0, 0.0009, 1.0, 5.0),
             ("Intercept", 2.0, 1.0, 2.0, float("nan"), 0.0, 4.0)], n=1234)


def test_order_subset_blank_cells_and_intercept_last():
    table = regression_table({"(1)": M1, "(2)": M2})
    labels = [r.label for r in table.rows if r.role == "body"]
    assert labels == ["x", "z", "Constant"]
    assert _cells(table, "x") == (("0.250*", "0.000"), ("(0.100)", "(0.100)"))
    assert _cells(table, "z") == (("", "3.000***"), ("", "(1.000)"))
    assert _cells(table, "Constant") == (("1.000*", "2.000"), ("(0.500)", "(1.000)"))   # NaN p: no stars
    subset = regression_table({"(1)": M1, "(2)": M2}, terms=["z", "x"])
    assert [r.label for r in subset.rows if r.role == "body"] == ["z", "x"]


def test_se_styles_stars_digits_and_stats():
    t_table = regression_table({"A": M1}, se_style="t", digits=2, stats=("n", "r2", "adj_r2"))
    assert _cells(t_table, "x") == (("0.25*",), ("(2.50)",))
    assert [r.label for r in t_table.rows if r.role == "summary"] == ["N", "R²", "Adjusted R²"]
    assert t_table.notes[0].startswith("t statistics in parentheses.")
    ci_table = regression_table({"A": M1}, se_style="ci", stars=(0.1, 0.05))
    assert _cells(ci_table, "x") == (("0.250**",), ("[0.050, 0.450]",))
    assert ci_table.notes[0] == "Confidence intervals in brackets. * p < .1, ** p < .05."
    plain = regression_table({"A": M1}, stars=(), notes=("Robust SE.",), title="T")
    assert _cells(plain, "x")[0] == ("0.250",)
    assert plain.notes == ("Standard errors in parentheses.", "Robust SE.")
    assert regression_table({"B": M2}, stats=("n",)).rows[-1].cells == ("1234",)


def test_labels_rename_terms():
    table = regression_table({"A": M1}, labels={"x": "Mother away"})
    assert [r.label for r in table.rows if r.role == "body"] == ["Mother away", "Constant"]
    models = {"m": published_model(seed()["table2"]["model1"], n_predictors=3)}
    assert "Mother only away" in [r.label for r in regression_table(models, labels=seed_labels()).rows]
    assert TERM_NAMES["mother"] in models["m"].coefficients.index


@pytest.mark.parametrize("call", [
    lambda: regression_table({}),
    lambda: regression_table([M1]),
    lambda: regression_table({"A": M1}, se_style="z"),
    lambda: regression_table({"A": M1}, terms=["nope"]),
    lambda: regression_table({"A": M1}, terms="x"),
    lambda: regression_table({"A": M1}, stats=("deviance",)),
    lambda: regression_table({"A": SimpleNamespace(coefficients=None)}),
    lambda: regression_table({"A": SimpleNamespace(coefficients=pd.DataFrame({"b": [1.0]}))}),
    lambda: regression_table({"A": M1}, se_style="ci", stars=(0.5, 0.5)),
    lambda: regression_table({"A": SimpleNamespace(coefficients=pd.concat([M1.coefficients] * 2), n=1, r2=0)}),
])
def test_user_errors_raise_input_error(call):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.hint
