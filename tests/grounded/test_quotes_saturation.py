"""Quotes with informant descriptors, saturation counts and statements, the paradigm layout."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.grounded.paradigm import normalise_role, paradigm_model
from leftbehind.grounded.quotes import describe, quotes
from leftbehind.grounded.saturation import saturation

PHRASES = {"caregivers": {"grandparents": "grandparents as caregivers", "mother": "mother as caregiver"},
           "migration_pattern": {"both parents": "both parents away", "father only": "father away"}}


def test_quote_descriptors(frames):
    codings = frames["codings"].copy()
    codings.loc[0, "text"] = "I   miss\nmy mother"
    people = frames["participants"].assign(hobby=["Xiaoxue A", None, "Xiaoxue B", None])
    q = quotes(codings, frames["participants"], code="missing parents", families=frames["families"],
               phrases=PHRASES)
    assert q.lines()[0] == '"I miss my mother" (child, 11, grandparents as caregivers, both parents away)'
    assert q.to_frame()["descriptor"].tolist()[2:] == ["child, 10, mother as caregiver, father away",
                                                       "mother, 38, mother as caregiver, father away"]
    short = quotes(codings, people, code="missing parents", max_chars=5, per_participant=1,
                   template="{sex}; {hobby}")
    assert short.to_frame()["quote"].tolist() == ["I mi…", "segm…", "segm…"]
    assert short.to_frame()["descriptor"].tolist() == ["girl, Xiaoxue A", "boy, Xiaoxue B", "woman"]
    assert set(short.to_dict()["quotes"][0]) == {"document", "start", "end", "code", "participant",
                                                 "descriptor", "quote"}
    with pytest.raises(InputError, match="no segments coded"):
        quotes(codings, frames["participants"], code="nope")
    with pytest.raises(InputError, match="invalid descriptor template"):
        describe({"role": "child"}, template="{role")
    with pytest.raises(InputError, match="identifying field"):
        quotes(codings, frames["participants"], families=frames["families"], template="{role}, {village}")


@pytest.fixture
def docs_and_interviews():
    documents = pd.DataFrame({"document": ["d1", "d2", "d3"], "interview": ["i1", "i2", "i3"],
                              "date": [None, None, None]})
    interviews = pd.DataFrame({"interview": ["i3", "i1", "i2", "i4", "i0"],
                               "date": ["2024-03-05", "2024-03-01", "2024-03-02", "2024-03-06", None]})
    return documents, interviews


def test_saturation_counts_and_statement(frames, docs_and_interviews):
    documents, interviews = docs_and_interviews
    codebook = pd.DataFrame({"code": ["missing parents", "phone calls", "good child"],
                             "category": ["longing", "contact", None]})
    s = saturation(frames["codings"], documents, interviews=interviews, codebook=codebook)
    f = s.to_frame()
    # Order: by date, the undated i0 last. i1 brings missing parents and phone calls, i2 nothing new,
    # i3 brings good child (no category), i4 and i0 have no coded documents.
    assert f["interview"].tolist() == ["i1", "i2", "i3", "i4", "i0"]
    assert f["new_codes"].tolist() == [["missing parents", "phone calls"], [], ["good child"], [], []]
    assert f["cumulative_codes"].tolist() == [2, 2, 3, 3, 3]
    assert f["n_new_categories"].tolist() == [2, 0, 0, 0, 0]
    assert s.statement() == ("The last new category appeared in interview 1 of 5 (i1); the last four "
                             "interviews added no new category. The last new code appeared in "
                             "interview 3 of 5 (i3).")
    assert s.to_dict()["interviews"][0]["date"] == "2024-03-01"


def test_saturation_edge_statements():
    documents = pd.DataFrame({"document": ["a", "b"], "interview": ["x", "y"], "date": ["2024-01-02", "2024-01-02"]})
    codings = pd.DataFrame({"document": ["a", "b"], "code": ["c1", "c2"]})
    s = saturation(codings, documents)
    assert s.to_frame()["interview"].tolist() == ["x", "y"]  # same date: by name
    assert s.statement() == "The last new code appeared in interview 2 of 2 (y)."
    cats = pd.DataFrame({"category": ["K1", "K2"], "codes": [["c1"], ["c2"]]})
    assert "the last interview still added a new category" in saturation(codings, documents, categories=cats).statement()
    with pytest.raises(InputError, match="unknown document"):
        saturation(pd.DataFrame({"document": ["zz"], "code": ["c"]}), documents)


def test_paradigm_layout_and_errors():
    cats = pd.DataFrame({"category": ["A", "B", "C", "D", "E", "F"],
                         "paradigm_role": ["causal_conditions", "causal_conditions", "Phenomenon", "context",
                                           "intervening condition", None]})
    model = paradigm_model(cats, core="C")
    pos = model.to_frame().set_index("category")[["x", "y"]]
    assert pos.loc["A"].tolist() == [0.0, 0.25] and pos.loc["B"].tolist() == [0.0, -0.25]
    assert pos.loc["C"].tolist() == [1.0, 0.0]
    assert pos.loc["D"].tolist() == [1.5, 1.0] and pos.loc["E"].tolist() == [1.5, -1.0]
    assert pos.loc["F"].tolist() == [1.5, -2.0]
    assert model.to_dict()["roles"]["unplaced"] == ["F"]
    assert normalise_role("Action/interaction strategies") == "strategies"
    with pytest.raises(InputError, match="unknown paradigm role"):
        normalise_role("mood")
    with pytest.raises(InputError, match="unknown core category"):
        paradigm_model(cats, core="Z")
    with pytest.raises(InputError, match="unknown category"):
        paradigm_model(cats, pd.DataFrame({"from_category": ["A"], "to_category": ["Q"], "kind": ["x"]}))


def test_plots_are_deterministic(tmp_path, frames, docs_and_interviews):
    from leftbehind.present.qual_plots import paradigm_diagram, saturation_plot

    documents, interviews = docs_and_interviews
    s = saturation(frames["codings"], documents, interviews=interviews)
    first = saturation_plot(s, tmp_path / "a")
    second = saturation_plot(s, tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    cats = pd.DataFrame({"category": ["migration", "longing", "calls"],
                         "paradigm_role": ["causal_conditions", "phenomenon", "strategies"],
                         "is_core": [False, True, False]})
    rel = pd.DataFrame({"from_category": ["migration", "longing"], "to_category": ["longing", "calls"],
                        "kind": ["leads_to", "prompts"]})
    svg = paradigm_diagram(paradigm_model(cats, rel), tmp_path / "pm")[1].read_text()
    assert "core category: longing" in svg and "leads to" in svg


def test_saturation_document_without_interview_counts_on_its_own():
    documents = pd.DataFrame({"document": ["a", "memo"], "interview": ["x", None],
                              "date": [None, "2024-01-01"]})
    interviews = pd.DataFrame({"interview": ["x"], "date": ["2024-01-05"]})
    codings = pd.DataFrame({"document": ["a", "memo"], "code": ["c1", "c2"]})
    f = saturation(codings, documents, interviews=interviews).to_frame()
    assert f["interview"].tolist() == ["memo", "x"]  # dated 1 January, before x on 5 January
    assert f["new_codes"].tolist() == [["c2"], ["c1"]]
