"""nested_models against R: summary(lm)$r.squared and anova(m1, m2) on one common sample."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.models.nested import block_formulas, nested_models

KEYS = ("r2", "adj_r2", "delta_r2", "f_change", "p_change")


def test_blocks_match_r_anova(ref, datasets, close):
    spec = ref["nested"]
    res = nested_models(datasets["hunchun"], spec["blocks_in"])
    out = res.to_dict()
    assert out["n"] == spec["n"]
    assert len(out["blocks"]) == len(spec["blocks"])
    for got, exp in zip(out["blocks"], spec["blocks"]):
        assert got["formula"] == exp["formula"]
        assert (got["df1"], got["df2"]) == (exp["df1"], exp["df2"])
        for key in KEYS:
            close(got[key], exp[key], what=key, rtol=1e-6 if key == "p_change" else 1e-8)


def test_block_coefficients_with_cluster_errors(ref, datasets, compare):
    spec = ref["nested"]
    res = nested_models(datasets["hunchun"], spec["blocks_in"], se="cluster:school")
    last = res.blocks[-1].result
    assert last.se_type == "cluster:school"
    compare(last.coefficients, spec["block3_cluster"])
    # the F-change is the classical anova F whatever se is used
    classical = nested_models(datasets["hunchun"], spec["blocks_in"])
    assert res.blocks[1].f_change == pytest.approx(classical.blocks[1].f_change, rel=1e-12)


def test_common_sample_is_listwise_on_all_blocks(datasets):
    data = datasets["hunchun"]
    res = nested_models(data, ["depression ~ age", "+ teacher"])
    expected = data.dropna(subset=["depression", "age", "teacher"]).index
    assert list(res.sample_index) == list(expected)
    assert all(b.result.n == len(expected) for b in res.blocks)


def test_frame_and_json(datasets):
    res = nested_models(datasets["hunchun"], ["depression ~ age", "+ girl", "+ belonging"])
    frame = res.to_frame()
    assert list(frame.index) == [1, 2, 3]
    assert {"r2", "delta_r2", "f_change", "df1", "df2", "p_change"} <= set(frame.columns)
    np.testing.assert_allclose(frame["delta_r2"].sum(), frame["r2"].iloc[-1])
    json.dumps(res.to_dict(), allow_nan=False)


def test_block_formulas():
    assert block_formulas(["y ~ a", " + b", "+ c + d"]) == ["y ~ a", "y ~ a + b", "y ~ a + b + c + d"]


@pytest.mark.parametrize("blocks", [[], "y ~ a", ["a + b"], ["y ~ a", "b"], ["y ~ a", "y ~ b"]])
def test_bad_blocks(blocks):
    with pytest.raises(InputError):
        block_formulas(blocks)


def test_block_adding_nothing(datasets):
    with pytest.raises(InputError) as err:
        nested_models(datasets["hunchun"], ["depression ~ age + girl", "+ age"])
    assert err.value.location.key == "blocks[1]"


def test_unknown_column_in_later_block(datasets):
    with pytest.raises(InputError) as err:
        nested_models(datasets["hunchun"], ["depression ~ age", "+ teachr"])
    assert err.value.location.column == "teachr" and "'teacher'" in err.value.hint


def test_no_intercept_first_block_uses_zero_model():
    df = pd.DataFrame({"y": [1.0, 2.2, 2.9, 4.1, 5.2, 5.9], "a": [1.0, 2, 3, 4, 5, 6],
                       "b": [0.0, 1, 0, 1, 0, 1]})
    res = nested_models(df, ["y ~ a - 1", "+ b"])
    first = res.blocks[0]
    assert first.df1 == 1 and first.df2 == 5
    y = df["y"].to_numpy()
    rss = first.result.rss
    assert first.f_change == pytest.approx(((y @ y) - rss) / (rss / 5))
