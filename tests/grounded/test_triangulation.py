"""Family triangulation on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.grounded.triangulation import triangulate


def test_members_and_divergence(frames):
    tri = triangulate(frames["codings"], frames["participants"])
    rows = tri.to_frame().set_index(["family", "code"])
    assert rows.loc[("F01", "missing parents"), "status"] == "divergent"
    assert rows.loc[("F01", "missing parents"), "carried_by"] == ["Lili"]
    assert rows.loc[("F01", "missing parents"), "absent_roles"] == ["grandmother"]
    assert rows.loc[("F01", "phone calls"), "status"] == "shared"
    assert rows.loc[("F02", "missing parents"), "carried_by"] == ["Tao", "Mei"]
    assert rows.loc[("F02", "phone calls"), "absent_from"] == ["Mei"]
    assert rows.loc[("F01", "missing parents"), "segments"] == 2
    # The interviewer's segment has no speaker and belongs to no account.
    assert "good child" not in set(rows.index.get_level_values("code"))
    matrix = tri.matrix()
    assert list(matrix.columns) == ["child", "mother", "grandmother", "status"]
    assert matrix.loc[("F01", "missing parents")].tolist() == ["yes", "", "no", "divergent"]
    assert matrix.loc[("F02", "phone calls")].tolist() == ["yes", "no", "", "divergent"]
    summary = tri.summary().splitlines()
    assert summary == [
        "F01 'missing parents': carried by child Lili; absent from the account of grandmother Nainai Wang",
        "F02 'phone calls': carried by child Tao; absent from the account of mother Mei"]
    assert tri.to_dict()["members"]["F02"] == [{"participant": "Tao", "role": "child"},
                                               {"participant": "Mei", "role": "mother"}]


def test_partial_cells_and_uninterviewed_members():
    people = pd.DataFrame({"participant": ["Ann", "Bo", "Gran", "Dad"],
                           "role": ["child", "child", "grandparent", "father"], "family": ["F"] * 4})
    codings = pd.DataFrame({"participant": ["Ann", "Gran"], "family": ["F", "F"], "code": ["x", "x"]})
    turns = pd.DataFrame({"participant": ["Ann", "Bo", "Gran"]})  # Dad was not interviewed
    tri = triangulate(codings, people, turns=turns)
    assert tri.matrix().loc[("F", "x")].tolist() == ["1 of 2", "yes", "divergent"]
    assert tri.to_frame()["absent_from"].iloc[0] == ["Bo"]
    alone = triangulate(codings[codings.participant == "Ann"], people[people.participant == "Ann"])
    assert alone.to_frame()["status"].tolist() == ["single account"]


def test_contradicting_codes_between_members():
    people = pd.DataFrame({"participant": ["Xing", "Qiang"], "role": ["child", "father"], "family": ["F"] * 2})
    codings = pd.DataFrame({"participant": ["Xing", "Qiang", "Xing"], "family": ["F"] * 3,
                            "code": ["father distant", "close to children", "misses father"]})
    tri = triangulate(codings, people, contradicting=[("close to children", "father distant")])
    rows = tri.to_frame().set_index("code")
    assert rows.loc["close to children", "contradicted_by"] == [("father distant", ["Xing"])]
    assert rows.loc["father distant", "contradicted_by"] == [("close to children", ["Qiang"])]
    assert rows.loc["misses father", "contradicted_by"] == []
    assert "contradicted by 'father distant' (child Xing)" in tri.summary()
    # A member holding both sides is ambivalent, not contradicted by another account.
    same = triangulate(pd.DataFrame({"participant": ["Xing", "Xing"], "family": ["F", "F"],
                                     "code": ["close to children", "father distant"]}), people,
                       contradicting=[("close to children", "father distant")])
    assert all(not c for c in same.to_frame()["contradicted_by"])
    with pytest.raises(InputError, match="two different codes"):
        triangulate(codings, people, contradicting=[("a", "a")])
