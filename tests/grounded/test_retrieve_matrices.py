"""Retrieval, code-by-attribute matrices and co-occurrence on hand-built frames (counts by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.grounded.matrices import code_attribute_matrix, cooccurrence
from leftbehind.grounded.retrieve import retrieve


def test_retrieve_filters_and_groups(frames):
    found = retrieve(frames["codings"], frames["participants"], code="missing parents",
                     families=frames["families"], by="caregivers")
    frame = found.to_frame()
    # Rows 1, 3 (Lili, grandparents) and 5, 6 (Tao, Mei, mother): grouped by caregivers.
    assert frame["participant"].tolist() == ["Lili", "Lili", "Tao", "Mei"]
    assert found.counts() == {"grandparents": 2, "mother": 2}
    assert frame["age"].tolist() == [11, 11, 10, 38]
    children = retrieve(frames["codings"], frames["participants"], where={"role": "child", "age": [10, 11]})
    assert len(children.to_frame()) == 5  # rows 1, 2, 3, 5, 7
    eleven = retrieve(frames["codings"], frames["participants"], where={"age": "11"})
    assert set(eleven.to_frame()["participant"]) == {"Lili"}
    data = found.to_dict()
    assert list(data["groups"]) == ["grandparents", "mother"]
    assert data["groups"]["mother"][1]["participant"] == "Mei"


def test_retrieve_subcodes_and_errors(frames):
    codebook = pd.DataFrame({"code": ["longing", "missing parents", "phone calls", "good child"],
                             "parent": [None, "longing", None, None]})
    found = retrieve(frames["codings"], frames["participants"], code="longing", codebook=codebook,
                     include_subcodes=True)
    assert len(found.to_frame()) == 4
    with pytest.raises(InputError, match="unknown code"):
        retrieve(frames["codings"], frames["participants"], code="nope")
    with pytest.raises(InputError, match="unknown attribute 'caste'"):
        retrieve(frames["codings"], frames["participants"], where={"caste": "x"})
    with pytest.raises(InputError, match="no column"):
        retrieve(frames["codings"].drop(columns=["coder"]), frames["participants"])


def test_code_by_attribute_matrix(frames):
    m = code_attribute_matrix(frames["codings"], frames["participants"], attribute="caregivers",
                              families=frames["families"])
    # Worked by hand from the eight codings of the fixture (see conftest).
    assert m.segments.to_dict("index") == {
        "good child": {"grandparents": 0, "mother": 0, "(none)": 1, "total": 1},
        "missing parents": {"grandparents": 2, "mother": 2, "(none)": 0, "total": 4},
        "phone calls": {"grandparents": 2, "mother": 1, "(none)": 0, "total": 3}}
    assert m.participants.to_dict("index") == {
        "good child": {"grandparents": 0, "mother": 0, "(none)": 0, "total": 0},
        "missing parents": {"grandparents": 1, "mother": 2, "(none)": 0, "total": 3},
        "phone calls": {"grandparents": 2, "mother": 1, "(none)": 0, "total": 3}}
    assert m.to_frame("both").loc["missing parents", "mother"] == "2 (2)"
    assert m.to_dict()["values"] == ["grandparents", "mother", "(none)", "total"]
    by_role = code_attribute_matrix(frames["codings"], frames["participants"], attribute="role",
                                    totals=False, codes=["phone calls"])
    assert by_role.segments.loc["phone calls"].to_dict() == {"child": 2, "grandmother": 1, "interviewer": 0,
                                                             "mother": 0}
    with pytest.raises(InputError, match="unknown attribute"):
        code_attribute_matrix(frames["codings"], frames["participants"], attribute="income")


def test_cooccurrence_three_bases(frames):
    codings, turns = frames["codings"], frames["turns"]
    names = ["missing parents", "phone calls", "good child"]
    overlap = cooccurrence(codings, by="overlap", codes=names)
    # Only d1 [0,10) missing parents and [5,20) phone calls overlap.
    assert overlap.values.tolist() == [[0, 1, 0], [1, 0, 0], [0, 0, 0]]
    document = cooccurrence(codings, by="document", codes=names)
    assert document.values.tolist() == [[2, 2, 1], [2, 3, 1], [1, 1, 1]]
    turn = cooccurrence(codings, by="turn", turns=turns, codes=names)
    # missing parents touches turns d1#0, d1#1, d3#0, d3#1; phone calls d1#0, d2#0, d3#2.
    assert turn.values.tolist() == [[4, 1, 0], [1, 3, 0], [0, 0, 1]]
    with pytest.raises(InputError, match="needs the turns"):
        cooccurrence(codings, by="turn")
    with pytest.raises(InputError, match="unknown co-occurrence"):
        cooccurrence(codings, by="sentence")


def test_overlap_is_half_open():
    codings = pd.DataFrame({"document": ["d", "d", "d"], "start": [0, 5, 4], "end": [5, 9, 5],
                            "code": ["a", "b", "c"]})
    m = cooccurrence(codings, by="overlap")
    assert m.loc["a", "b"] == 0  # [0,5) and [5,9) touch but share no character
    assert m.loc["a", "c"] == 1 and m.loc["b", "c"] == 0
