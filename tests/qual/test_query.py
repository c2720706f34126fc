"""The read contract of leftbehind.qual.query, on hand-made data whose answers are known."""

from __future__ import annotations

import pandas as pd
import pytest

from leftbehind.errors import StoreError
from leftbehind.qual import query as q
from leftbehind.qual import services as sv

TEXT = "访谈者：你好\r\n小兰：我想妈妈😢\r\nLan's grandma: she cries"


def _fill(store):
    sv.add_family(store, "F01", village="V1", township="T1", migration_pattern="both parents",
                  caregivers="grandparents", left_behind_age="5 or 6")
    sv.add_family(store, "F02", left_behind_age="3")
    sv.add_participant(store, "Lan", role="child", age=10, sex="girl", family="F01",
                       attributes={"grade": "4"}, real_name="王小兰")
    sv.add_participant(store, "Nai", role="grandparent", age=66, family="F01")
    sv.add_interview(store, "I01", date="2013-09-20", wave="1", language="zh",
                     duration_min=30, interviewer="R1", participants=["Lan", "Nai"])
    # turns: interviewer [0, 6), Lan [8, 16), Nai [18, 42)
    sv.add_document(store, "F01.txt", TEXT, interview="I01", language="zh", date="2013-09-20",
                    turns=[(0, 6, None, "访谈者"), (8, 16, "Lan", "小兰"), (18, 42, "Nai", "Lan's grandma")])


def test_frames_have_the_contract_columns_and_known_values(store):
    _fill(store)
    docs = q.documents_frame(store)
    assert list(docs.columns[:6]) == ["document_id", "document", "interview", "language", "length", "date"]
    assert docs.loc[0, "length"] == 42  # counted by hand: 6 + 2 + 8 + 2 + 24
    assert q.document_text(store, "F01.txt") == TEXT
    people = q.participants_frame(store)
    assert list(people.columns) == ["participant_id", "participant", "role", "age", "sex", "family", "grade"]
    assert "王小兰" not in people.to_csv()
    fam = q.families_frame(store).set_index("family")
    assert fam.loc["F01", "left_behind_age"] == "5 or 6"
    assert fam.loc["F02", "left_behind_age_months"] == 36
    turns = q.turns_frame(store)
    assert turns[["start", "end", "role"]].values.tolist() == [
        [0, 6, "interviewer"], [8, 16, "child"], [18, 42, "grandparent"]]
    assert pd.isna(turns.loc[0, "participant"]) and turns.loc[1, "participant"] == "Lan"
    ivs = q.interviews_frame(store)
    assert ivs.loc[0, "participants"] == ["Lan", "Nai"]


def test_codings_frame_attributes_the_turn_containing_the_start(store):
    _fill(store)
    sv.add_coding(store, "F01.txt", 11, 16, "missing mother", coder="A", create_code=True)
    sv.add_coding(store, "F01.txt", 4, 6, "greeting", coder="B", create_code=True)
    sv.add_coding(store, "F01.txt", 6, 10, "missing mother", coder="B")  # starts in "\r\n"
    frame = q.codings_frame(store)
    rows = frame[["start", "text", "participant", "role", "family"]].values.tolist()
    assert rows[0][:2] == [4, "你好"] and rows[0][3] == "interviewer"
    assert rows[1][:2] == [6, "\r\n小兰"] and all(pd.isna(v) for v in rows[1][2:])
    assert rows[2] == [11, "我想妈妈😢", "Lan", "child", "F01"]
    assert len(q.codings_frame(store, coders=["A"])) == 1
    assert len(q.codings_frame(store, codes=["greeting"])) == 1


def test_codebook_and_categories(store):
    _fill(store)
    sv.add_code(store, "family")
    sv.add_code(store, "separation", parent="family", description="parent away")
    sv.add_category(store, "Separation", paradigm_role="causal_conditions", codes=["separation"],
                    properties=[{"name": "duration", "dimension_low": "short", "dimension_high": "long"}])
    sv.add_category(store, "Distress", paradigm_role="consequences")
    sv.add_relation(store, "Separation", "Distress", kind="leads_to", note="n")
    sv.set_core_category(store, "Separation", storyline="story", author="ana")
    codes = q.codes_frame(store).set_index("code")
    assert codes.loc["separation", "parent"] == "family"
    assert codes.loc["separation", "category"] == "Separation"
    cats = q.categories_frame(store).set_index("category")
    assert cats.loc["Separation", "codes"] == ["separation"]
    assert bool(cats.loc["Separation", "is_core"]) and not bool(cats.loc["Distress", "is_core"])
    assert q.relations_frame(store).values.tolist() == [["Separation", "Distress", "leads_to", "n"]]
    memos = q.memos_frame(store)
    assert memos[["target_type", "target", "title"]].values.tolist() == [["category", "Separation", "Storyline"]]


def test_empty_store_gives_empty_frames_with_columns(store):
    assert list(q.codings_frame(store).columns)[:3] == ["coding_id", "document", "start"]
    assert q.sampling_frame(store).empty and q.memos_frame(store).empty
    with pytest.raises(StoreError, match="unknown document"):
        q.document_text(store, "nope.txt")
