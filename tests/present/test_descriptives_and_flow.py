"""descriptives_table (the seed's Table 1) and flow_table (its sample flow)."""

import math

import pandas as pd
import pytest
from lb_golden import seed_flow, seed_table1, seed_table1_long

from leftbehind.errors import InputError
from leftbehind.present.descriptives_table import descriptives_table
from leftbehind.present.flow_table import flow_table


def _row(table, label):
    return next(r for r in table.rows if r.label == label)


def test_seed_table1_cells_as_printed():
    # expected strings typed from the printed Table 1
    table = seed_table1()
    # columns: both, father, mother, then the reference group (none)
    assert table.columns == ("Both parents away", "Father only away", "Mother only away", "Neither parent away")
    assert table.rows[0].label == "N" and table.rows[0].cells == ("85", "123", "29", "368")
    depression = _row(table, "Depression, mean (SD)").cells
    assert depression[2] == "13.552 (6.983)" and depression[3] == "11.433 (5.568)"
    assert depression[:2] == ("11.118 (5.687)", "11.183 (5.269)")
    assert _row(table, "Teacher attitude, mean (SD)").cells == ("-0.104 (0.961)", "-0.167 (0.959)",
                                                                "-0.190 (0.881)", "0.082 (1.025)")
    boy = _row(table, "Boy (%)")
    assert boy.group == "Child's gender" and boy.cells == ("48.24", "39.17", "37.93", "43.05")
    assert _row(table, "2+ (%)").cells == ("2.35", "2.50", "3.45", "3.81")


@pytest.mark.parametrize("suffix", ["md", "html", "csv"])
def test_seed_table1_golden(golden, suffix):
    golden(f"seed_table1.{suffix}", seed_table1().render(suffix))


def test_overall_column_pools_groups():
    long = pd.DataFrame({
        "variable": ["score", "score", "sex", "sex", "sex", "sex"], "level": [None, None, "f", "m", "f", "m"],
        "group": ["a", "b", "a", "a", "b", "b"], "n": [2, 3, 2, 2, 3, 3],
        "mean": [1.0, 4.0, None, None, None, None], "sd": [math.sqrt(2), 1.0, None, None, None, None],
        "count": [None, None, 1, 1, 3, 0], "percent": [None, None, 50.0, 50.0, 100.0, 0.0]})
    # raw data behind it: a = {0, 2}, b = {3, 4, 5}; all five: mean 2.8, sd sqrt(14.8 / 4)
    table = descriptives_table(long, overall=True, group_order=["b", "a"])
    assert table.columns == ("b", "a", "Overall")
    assert table.rows[0].cells == ("3", "2", "5")
    assert _row(table, "score, mean (SD)").cells == ("4.000 (1.000)", "1.000 (1.414)", "2.800 (1.924)")
    assert _row(table, "f (%)").cells == ("100.00", "50.00", "80.00")
    assert _row(table, "m (%)").cells == ("0.00", "50.00", "20.00")


def test_descriptives_errors():
    long = seed_table1_long()
    with pytest.raises(InputError):
        descriptives_table(long.drop(columns="sd"))
    with pytest.raises(InputError):
        descriptives_table(pd.concat([long, long.iloc[:1]]))
    with pytest.raises(InputError):
        descriptives_table(long, group_order=["none", "grandparents"])
    with pytest.raises(InputError):
        descriptives_table(long.to_dict())
    mixed = long.copy()
    mixed.loc[mixed.index[0], "level"] = "x"
    with pytest.raises(InputError):
        descriptives_table(mixed)


def test_seed_flow_table(golden):
    table = seed_flow()
    assert table.columns == ("N", "%", "Note")
    assert [r.cells[:2] for r in table.rows] == [("1,059", ""), ("980", "92.54"), ("933", "88.10"), ("605", "")]
    golden("seed_flow.md", table.to_markdown())


def test_flow_table_without_notes_and_errors():
    table = flow_table(pd.DataFrame({"stage": ["a", "b"], "n": [10, 8]}), title=None)
    assert table.columns == ("N", "%") and table.rows[1].cells == ("8", "")
    with pytest.raises(InputError):
        flow_table(pd.DataFrame({"stage": ["a"]}))
    with pytest.raises(InputError):
        flow_table(pd.DataFrame({"stage": ["a"], "n": [1.5]}))
    with pytest.raises(InputError):
        flow_table([1, 2])


def test_descriptives_table_takes_the_data_labels():
    """A labelled .sav (tests/reference/survey/make_labelled.py): groups and levels by value label."""
    from pathlib import Path

    from leftbehind.present.descriptives_table import descriptives_table
    from leftbehind.survey import describe_by_group, read_data

    data = read_data(Path(__file__).parents[1] / "reference" / "survey" / "labelled_bfi.sav")
    long = describe_by_group(data.frame, "care", continuous=["N1"], categorical=["A2"],
                             value_labels=data.value_labels).to_frame()
    table = descriptives_table(long, labels=data)
    assert table.columns == ("Both parents home", "Father away", "Mother away")
    labels = [row.label for row in table.rows]
    assert "Neuroticism item 1, mean (SD)" in labels and "Very accurate (%)" in labels
    assert {row.group for row in table.rows if row.group} == {"Inquire about others' well-being"}
