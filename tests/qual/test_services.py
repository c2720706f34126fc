"""Writes: one transaction each, an event per change, history through renames, merges and splits."""

from __future__ import annotations

import json

import pytest

from leftbehind.errors import StoreError
from leftbehind.qual import query as q
from leftbehind.qual import services as sv


@pytest.fixture
def coded(store):
    sv.add_participant(store, "Lan", role="child", real_name="王小兰")
    sv.add_document(store, "d.txt", "Lan: 我想妈妈，也想爸爸。", turns=[(0, 15, "Lan", "Lan")])
    sv.add_code(store, "longing")
    sv.add_coding(store, "d.txt", 5, 9, "longing", coder="A")    # 我想妈妈
    sv.add_coding(store, "d.txt", 10, 15, "longing", coder="A")  # 也想爸爸。
    return store


def test_events_name_actor_and_never_the_real_name(coded):
    sv.rename_code(coded, "longing", to="missing parents", actor="ana")
    from sqlalchemy import select

    from leftbehind.qual import models as m

    with coded.reading() as s:
        events = s.scalars(select(m.Event).order_by(m.Event.id)).all()
        dumped = json.dumps([e.payload for e in events], ensure_ascii=False)
        assert events[-1].actor == "ana" and events[-1].action == "rename"
    assert "王小兰" not in dumped


def test_history_follows_a_code_through_rename_merge_and_split(coded):
    sv.rename_code(coded, "longing", to="missing parents")
    sv.add_code(coded, "homesick")
    sv.merge_codes(coded, ["missing parents"], into="homesick")
    first = int(q.codings_frame(coded)["coding_id"].min())
    sv.split_code(coded, "homesick", into=["mother", "father"], move={first: "mother"})
    actions = [e.action for e in q.history(coded, code="longing").events]
    # the code's own events and its codings; not what later happened to the code it merged into
    assert actions == ["create", "create", "create", "rename", "merged_into", "merge"]
    # the target's history includes the merged code's past (backward lineage) and the split
    target = [(e.action, e.entity) for e in q.history(coded, code="homesick").events]
    assert target[0] == ("create", "code") and ("rename", "code") in target
    assert target[-3:] == [("create", "code"), ("create", "code"), ("split", "code")]
    frame = q.codings_frame(coded).sort_values("start")
    assert frame["code"].tolist() == ["mother", "homesick"]
    assert q.codes_frame(coded).set_index("code").loc["mother", "parent"] == "homesick"
    coding_events = q.history(coded, coding=first).events
    assert [e.action for e in coding_events] == ["create"]


def test_merge_drops_exact_duplicates_and_moves_memos(coded):
    sv.add_code(coded, "missing mother")
    sv.add_coding(coded, "d.txt", 5, 9, "missing mother", coder="A")
    sv.add_memo(coded, "code", target="missing mother", author="A", title="t", text="x")
    moved = sv.merge_codes(coded, ["missing mother"], into="longing")
    assert moved == 1
    assert len(q.codings_frame(coded)) == 2
    assert q.memos_frame(coded)["target"].tolist() == ["longing"]
    assert "missing mother" not in q.codes_frame(coded)["code"].tolist()


def test_a_failing_batch_leaves_nothing(store):
    with pytest.raises(StoreError, match="already exists"):
        with store.transaction(actor="batch"):
            sv.add_family(store, "F01")
            sv.add_family(store, "F02")
            sv.add_family(store, "F01")
    assert q.families_frame(store).empty
    from sqlalchemy import func, select

    from leftbehind.qual import models as m

    with store.reading() as s:
        assert s.scalar(select(func.count()).select_from(m.Event)) == 0


@pytest.mark.parametrize("call, message", [
    (lambda s: sv.add_participant(s, "X", role="uncle"), "unknown role 'uncle'"),
    (lambda s: sv.add_coding(s, "d.txt", 3, 3, "longing", coder="A"), r"span \[3, 3\)"),
    (lambda s: sv.add_coding(s, "d.txt", 0, 16, "longing", coder="A"), "length 15"),
    (lambda s: sv.add_coding(s, "d.txt", 5, 9, "longing", coder="A"), "already coded"),
    (lambda s: sv.add_coding(s, "d.txt", 0, 2, "nope", coder="A"), "unknown code 'nope'"),
    (lambda s: sv.add_consent(s, "Lan", kind="permission"), "unknown consent kind"),
    (lambda s: sv.rename_code(s, "longing", to="longing"), "already exists"),
    (lambda s: sv.merge_codes(s, ["longing"], into="longing"), "into itself"),
    (lambda s: sv.update_code(s, "longing", flavour="x"), "unknown code field"),
    (lambda s: sv.add_memo(s, "coding", target="abc", author="A", title="t", text="x"), "not a coding id"),
    (lambda s: q.history(s, code="never existed"), "no history"),
])
def test_user_errors_are_store_errors_with_a_hint(coded, call, message):
    with pytest.raises(StoreError, match=message) as err:
        call(coded)
    assert err.value.hint


def test_update_code_refuses_a_loop(coded):
    sv.add_code(coded, "child", parent="longing")
    with pytest.raises(StoreError, match="loop"):
        sv.update_code(coded, "longing", parent="child")
    sv.update_code(coded, "longing", description="wishing parents were home")
    assert q.codes_frame(coded).set_index("code").loc["longing", "description"] == "wishing parents were home"


def test_consent_by_another_participant_or_text_and_sampling(coded):
    sv.add_family(coded, "F01")
    sv.add_participant(coded, "Nai", role="grandparent", family="F01")
    sv.add_consent(coded, "Lan", kind="consent", given_by="Nai", date="2013-09-20")
    sv.add_consent(coded, "Lan", kind="assent", given_by="the child herself")
    sv.add_category(coded, "Separation", paradigm_role="causal_conditions")
    sv.add_sampling(coded, "family", "F01", reason="grandparent care", category="Separation")
    assert q.sampling_frame(coded)[["target", "category"]].values.tolist() == [["F01", "Separation"]]
    with pytest.raises(StoreError, match="paradigm role"):
        sv.add_category(coded, "X", paradigm_role="outcome")
