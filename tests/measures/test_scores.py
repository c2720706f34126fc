"""scale_score against R (rowSums / rowMeans on the exported depression data) and its errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import DataError, InputError
from leftbehind.measures import scale_score

ITEMS = [f"dep{i}" for i in range(1, 7)]


@pytest.fixture(scope="module")
def depression(ref_loader):
    _, load_data, ref_dir = ref_loader
    data = load_data("measures_depression.csv")
    expected = pd.read_csv(ref_dir / "scale_scores.csv")
    assert list(data["id"]) == list(expected["id"])
    return data, expected


@pytest.mark.parametrize("column, kwargs", [
    ("sum_all", {"method": "sum"}),
    ("mean_all", {"method": "mean"}),
    ("sum_min5", {"method": "sum", "min_items": 5}),
    ("mean_min5", {"method": "mean", "min_items": 5}),
    ("prorated_min5", {"method": "prorated", "min_items": 5}),
])
def test_scale_score_matches_r(depression, column, kwargs):
    data, expected = depression
    got = scale_score(data, ITEMS, valid_range=(1, 5), **kwargs)
    want = expected[column].to_numpy(dtype=float)
    assert np.array_equal(np.isnan(got.to_numpy()), np.isnan(want))
    assert np.allclose(got.to_numpy()[~np.isnan(want)], want[~np.isnan(want)], rtol=0, atol=1e-12)
    # the exported data really have gaps, so the missing-answer rule is exercised
    assert np.isnan(want).sum() > 0 and (~np.isnan(want)).sum() > 200


def test_index_and_name_are_kept():
    df = pd.DataFrame({"a": [1, 2], "b": [3, 4]}, index=["s01", "s02"])
    got = scale_score(df, ["a", "b"], name="dep")
    assert list(got.index) == ["s01", "s02"] and got.name == "dep"
    assert got.tolist() == [4.0, 6.0]


def test_out_of_range_names_row_label_and_column():
    df = pd.DataFrame({"dep1": [1, 2, 3], "dep2": [2, 9, 1]}, index=[101, 102, 103])
    with pytest.raises(DataError) as info:
        scale_score(df, ["dep1", "dep2"], valid_range=(1, 5))
    err = info.value
    assert err.location.row == 102 and err.location.column == "dep2"
    assert err.hint and "9" in err.message


def test_unknown_item_is_named():
    df = pd.DataFrame({"dep1": [1, 2], "dep2": [2, 3]})
    with pytest.raises(InputError) as info:
        scale_score(df, ["dep1", "dep9"])
    assert "dep9" in str(info.value) and info.value.location.column == "dep9"
    assert info.value.hint


def test_non_numeric_item():
    df = pd.DataFrame({"dep1": [1, 2], "dep2": ["often", "never"]})
    with pytest.raises(DataError) as info:
        scale_score(df, ["dep1", "dep2"])
    assert info.value.location.column == "dep2" and info.value.hint


@pytest.mark.parametrize("kwargs", [
    {"method": "median"}, {"min_items": 0}, {"min_items": 3}, {"valid_range": (5, 1)},
    {"valid_range": "1-5"},
])
def test_bad_arguments(kwargs):
    df = pd.DataFrame({"a": [1, 2], "b": [2, 3]})
    with pytest.raises(InputError):
        scale_score(df, ["a", "b"], **kwargs)


def test_items_as_plain_string_is_refused():
    df = pd.DataFrame({"a": [1, 2]})
    with pytest.raises(InputError):
        scale_score(df, "a")


def test_methods_agree_on_complete_rows_property():
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays

    @settings(max_examples=60, deadline=None)
    @given(arrays(np.int64, st.tuples(st.integers(1, 20), st.integers(1, 6)),
                  elements=st.integers(1, 5)))
    def check(values):
        df = pd.DataFrame(values, columns=[f"i{j}" for j in range(values.shape[1])])
        items = list(df.columns)
        total = scale_score(df, items, valid_range=(1, 5))
        assert total.tolist() == values.sum(axis=1).astype(float).tolist()
        prorated = scale_score(df, items, method="prorated", min_items=1)
        mean = scale_score(df, items, method="mean")
        assert np.allclose(prorated, total) and np.allclose(mean * len(items), total)

    check()


@pytest.mark.parametrize("column, kwargs", [
    ("mean_all", {"method": "mean"}),
    ("mean_min5", {"method": "mean", "min_items": 5}),
    ("mean_min4", {"method": "mean", "min_items": 4}),
    ("mean_any", {"method": "mean", "min_items": 1}),
    ("sum_min5", {"method": "sum", "min_items": 5}),
    ("sum_min4", {"method": "sum", "min_items": 4}),
    ("prorated_min4", {"method": "prorated", "min_items": 4}),
])
def test_scale_score_matches_pspp_mean_k(depression, ref_loader, column, kwargs):
    """SPSS MEAN.k / SUM.k as computed by GNU PSPP (scale_scores_pspp.sps)."""
    data, _ = depression
    expected = pd.read_csv(ref_loader[2] / "scale_scores_pspp.csv", na_values=[" "])
    assert list(expected["id"]) == list(data["id"])
    got = scale_score(data, ITEMS, **kwargs).to_numpy()
    want = expected[column].to_numpy(dtype=float)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert np.allclose(got[~np.isnan(want)], want[~np.isnan(want)], rtol=0, atol=1e-12)


def test_scoring_rule_words():
    from leftbehind.measures import scoring_rule

    assert scoring_rule("mean", 6, min_items=6) == scoring_rule("mean", 6)
    assert "SPSS MEAN.4" in scoring_rule("mean", 6, min_items=4)
    assert "SPSS SUM.4" in scoring_rule("sum", 6, min_items=4)
    assert "× 6" in scoring_rule("prorated", 6, min_items=4)
