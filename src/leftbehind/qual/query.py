"""Every read of the qualitative store, as pandas DataFrames (layer L2).

These frames are the contract the analyses in :mod:`leftbehind.grounded` build on: the
columns listed in each docstring come first and in that order; extra columns may follow.
Participants appear only by pseudonym: no frame holds a real name or a speaker label as
written. Spans are Unicode code-point offsets, half-open ``[start, end)``.

Examples
--------
>>> import tempfile
>>> from leftbehind.qual.store import init_store
>>> from leftbehind.qual import services as sv
>>> store = init_store(tempfile.mkdtemp())
>>> _ = sv.add_family(store, "F01")
>>> _ = sv.add_participant(store, "Lan", role="child", family="F01")
>>> _ = sv.add_document(store, "d.txt", "Lan: 我想妈妈", turns=[(0, 9, "Lan", "Lan")])
>>> _ = sv.add_coding(store, "d.txt", 5, 9, "missing mother", coder="A", create_code=True)
>>> codings_frame(store)[["code", "text", "participant", "family"]].values.tolist()
[['missing mother', '我想妈妈', 'Lan', 'F01']]
>>> store.close()
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import StoreError
from leftbehind.qual import models as m
from leftbehind.qual.store import Store


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    return frame.reset_index(drop=True)


def _all(store: Store, model: type, *order: Any) -> list[Any]:
    from sqlalchemy import select

    with store.reading() as s:
        stmt = select(model)
        if order:
            stmt = stmt.order_by(*order)
        return list(s.scalars(stmt).all())


def _names(store: Store, model: type, attr: str = "name") -> dict[int, str]:
    return {row.id: getattr(row, attr) for row in _all(store, model)}


def documents_frame(store: Store) -> pd.DataFrame:
    """One row per document: ``document_id, document, interview, language, length, date``.

    ``length`` counts code points. Extra column: ``has_translation``.
    """
    interviews = _names(store, m.Interview)
    rows = [{"document_id": d.id, "document": d.name,
             "interview": interviews.get(d.interview_id), "language": d.language,
             "length": len(d.text), "date": d.date, "has_translation": d.translation is not None}
            for d in _all(store, m.Document, m.Document.name)]
    return _frame(rows, ["document_id", "document", "interview", "language", "length", "date",
                         "has_translation"])


def document_text(store: Store, document: str, *, translation: bool = False) -> str:
    """The text of a document exactly as stored (or its translation with ``translation=True``)."""
    from sqlalchemy import select

    with store.reading() as s:
        doc = s.scalars(select(m.Document).where(m.Document.name == document)).first()
        if doc is None:
            raise StoreError(f"unknown document '{document}'", key="document",
                             hint="documents_frame(store) lists the documents")
        if translation:
            if doc.translation is None:
                raise StoreError(f"document '{document}' has no translation", key="document",
                                 hint="import one with the manifest column 'translation'")
            return doc.translation
        return doc.text


def participants_frame(store: Store) -> pd.DataFrame:
    """``participant_id, participant`` (pseudonym)``, role, age, sex, family``, then one column
    per free attribute (sorted by name; empty where a participant lacks it)."""
    families = _names(store, m.Family)
    people = _all(store, m.Participant, m.Participant.pseudonym)
    extra = sorted({k for p in people for k in (p.attributes or {})}
                   - {"participant_id", "participant", "role", "age", "sex", "family"})
    rows = []
    for p in people:
        row = {"participant_id": p.id, "participant": p.pseudonym, "role": p.role,
               "age": p.age, "sex": p.sex, "family": families.get(p.family_id)}
        row.update({k: (p.attributes or {}).get(k) for k in extra})
        rows.append(row)
    frame = _frame(rows, ["participant_id", "participant", "role", "age", "sex", "family", *extra])
    frame["age"] = frame["age"].astype("Int64")
    return frame


def families_frame(store: Store) -> pd.DataFrame:
    """``family_id, family, village, township, migration_pattern, caregivers, left_behind_age,
    left_behind_age_months`` (the age as written, and in months where it states one)."""
    rows = [{"family_id": f.id, "family": f.name, "village": f.village, "township": f.township,
             "migration_pattern": f.migration_pattern, "caregivers": f.caregivers,
             "left_behind_age": f.left_behind_age_text,
             "left_behind_age_months": f.left_behind_age_months}
            for f in _all(store, m.Family, m.Family.name)]
    frame = _frame(rows, ["family_id", "family", "village", "township", "migration_pattern",
                          "caregivers", "left_behind_age", "left_behind_age_months"])
    frame["left_behind_age_months"] = frame["left_behind_age_months"].astype("Int64")
    return frame


def _people(store: Store) -> dict[int, tuple[str, str, str | None]]:
    families = _names(store, m.Family)
    return {p.id: (p.pseudonym, p.role, families.get(p.family_id))
            for p in _all(store, m.Participant)}


def turns_frame(store: Store) -> pd.DataFrame:
    """``document, start, end, participant, role, family`` of every speaker turn.

    Interviewer turns have ``role == "interviewer"`` and no participant; extra column
    ``turn_id``. Speaker labels as written are not shown (they may be real names).
    """
    people = _people(store)
    docs = _names(store, m.Document)
    rows = []
    for t in _all(store, m.Turn, m.Turn.document_id, m.Turn.start):
        who, role, fam = people.get(t.participant_id, (None, "interviewer", None))
        rows.append({"document": docs[t.document_id], "start": t.start, "end": t.end,
                     "participant": who, "role": role, "family": fam, "turn_id": t.id})
    return _frame(rows, ["document", "start", "end", "participant", "role", "family", "turn_id"])


def observations_frame(store: Store) -> pd.DataFrame:
    """``document, start, end, note`` of the observation spans (behaviour, expressions)."""
    docs = _names(store, m.Document)
    rows = [{"document": docs[o.document_id], "start": o.start, "end": o.end, "note": o.note}
            for o in _all(store, m.Observation, m.Observation.document_id, m.Observation.start)]
    return _frame(rows, ["document", "start", "end", "note"])


def _code_categories(store: Store) -> dict[int, list[str]]:
    cats = _names(store, m.Category)
    out: dict[int, list[str]] = defaultdict(list)
    for link in _all(store, m.CategoryCode):
        out[link.code_id].append(cats[link.category_id])
    return {k: sorted(v) for k, v in out.items()}


def codes_frame(store: Store) -> pd.DataFrame:
    """``code_id, code, parent, description, category`` (categories joined by ``"; "``).

    Extra columns: ``inclusion, exclusion, example, colour, n_codings``.
    """
    from sqlalchemy import func, select

    codes = _all(store, m.Code, m.Code.name)
    names = {c.id: c.name for c in codes}
    cats = _code_categories(store)
    with store.reading() as s:
        counts = dict(s.execute(select(m.Coding.code_id, func.count()).group_by(m.Coding.code_id)).all())
    rows = [{"code_id": c.id, "code": c.name, "parent": names.get(c.parent_id),
             "description": c.description, "category": "; ".join(cats.get(c.id, [])) or None,
             "inclusion": c.inclusion, "exclusion": c.exclusion, "example": c.example,
             "colour": c.colour, "n_codings": int(counts.get(c.id, 0))} for c in codes]
    return _frame(rows, ["code_id", "code", "parent", "description", "category", "inclusion",
                         "exclusion", "example", "colour", "n_codings"])


def _speaker_at(turns: list[tuple[int, int, int | None]], starts: list[int], pos: int) -> int | None:
    """Participant id of the turn containing ``pos`` (``-1`` for an interviewer turn)."""
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and turns[i][0] <= pos < turns[i][1]:
        return -1 if turns[i][2] is None else turns[i][2]
    return None


def codings_frame(store: Store, *, coders: Iterable[str] | None = None,
                  codes: Iterable[str] | None = None) -> pd.DataFrame:
    """``coding_id, document, start, end, code, coder, text, participant, role, family``.

    ``participant``, ``role`` and ``family`` belong to the speaker turn containing the span's
    start; they are empty when no participant turn contains it (``role`` is
    ``"interviewer"`` inside an interviewer turn). ``coders`` / ``codes`` keep only those.
    """
    from sqlalchemy import select

    with store.reading() as s:
        stmt = (select(m.Coding, m.Code.name, m.Document.name)
                .join(m.Code, m.Coding.code_id == m.Code.id)
                .join(m.Document, m.Coding.document_id == m.Document.id)
                .order_by(m.Document.name, m.Coding.start, m.Coding.end, m.Code.name, m.Coding.coder))
        if coders is not None:
            stmt = stmt.where(m.Coding.coder.in_(list(coders)))
        if codes is not None:
            stmt = stmt.where(m.Code.name.in_(list(codes)))
        found = s.execute(stmt).all()
        doc_ids = {c.document_id for c, _, _ in found}
        texts = {d.id: d.text for d in s.scalars(select(m.Document).where(m.Document.id.in_(doc_ids)))}
        turns: dict[int, list[tuple[int, int, int | None]]] = defaultdict(list)
        for t in s.scalars(select(m.Turn).where(m.Turn.document_id.in_(doc_ids))
                           .order_by(m.Turn.document_id, m.Turn.start)):
            turns[t.document_id].append((t.start, t.end, t.participant_id))
    people = _people(store)
    starts = {d: [t[0] for t in ts] for d, ts in turns.items()}
    rows = []
    for c, code, doc in found:
        pid = _speaker_at(turns.get(c.document_id, []), starts.get(c.document_id, []), c.start)
        who, role, fam = (None, "interviewer", None) if pid == -1 else people.get(pid, (None, None, None))
        rows.append({"coding_id": c.id, "document": doc, "start": c.start, "end": c.end,
                     "code": code, "coder": c.coder, "text": texts[c.document_id][c.start:c.end],
                     "participant": who, "role": role, "family": fam})
    return _frame(rows, ["coding_id", "document", "start", "end", "code", "coder", "text",
                         "participant", "role", "family"])


def categories_frame(store: Store) -> pd.DataFrame:
    """``category, paradigm_role, description, codes`` (list of code names).

    Extra columns: ``is_core`` and ``properties`` (list of dicts with ``name,
    dimension_low, dimension_high``).
    """
    code_names = _names(store, m.Code)
    links: dict[int, list[str]] = defaultdict(list)
    for link in _all(store, m.CategoryCode):
        links[link.category_id].append(code_names[link.code_id])
    props: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in _all(store, m.CategoryProperty, m.CategoryProperty.id):
        props[p.category_id].append({"name": p.name, "dimension_low": p.dimension_low,
                                     "dimension_high": p.dimension_high})
    rows = [{"category": c.name, "paradigm_role": c.paradigm_role, "description": c.description,
             "codes": sorted(links.get(c.id, [])), "is_core": bool(c.is_core),
             "properties": props.get(c.id, [])} for c in _all(store, m.Category, m.Category.name)]
    return _frame(rows, ["category", "paradigm_role", "description", "codes", "is_core",
                         "properties"])


def relations_frame(store: Store) -> pd.DataFrame:
    """``from_category, to_category, kind, note`` of every relation between categories."""
    cats = _names(store, m.Category)
    rows = [{"from_category": cats[r.from_category_id], "to_category": cats[r.to_category_id],
             "kind": r.kind, "note": r.note} for r in _all(store, m.Relation, m.Relation.id)]
    return _frame(rows, ["from_category", "to_category", "kind", "note"])


def interviews_frame(store: Store) -> pd.DataFrame:
    """``interview, date, wave, language, duration_min, interviewer, participants`` (list of
    pseudonyms)``, suspended, suspended_reason, referral_offered``."""
    with store.reading() as s:
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        ivs = s.scalars(select(m.Interview).options(selectinload(m.Interview.participants))
                        .order_by(m.Interview.name)).all()
        rows = [{"interview": i.name, "date": i.date, "wave": i.wave, "language": i.language,
                 "duration_min": i.duration_min, "interviewer": i.interviewer,
                 "participants": [p.pseudonym for p in i.participants],
                 "suspended": bool(i.suspended), "suspended_reason": i.suspended_reason,
                 "referral_offered": bool(i.referral_offered)} for i in ivs]
    return _frame(rows, ["interview", "date", "wave", "language", "duration_min", "interviewer",
                         "participants", "suspended", "suspended_reason", "referral_offered"])


def _target_names(store: Store) -> dict[str, dict[int, str]]:
    return {"code": _names(store, m.Code), "category": _names(store, m.Category),
            "document": _names(store, m.Document), "family": _names(store, m.Family),
            "participant": _names(store, m.Participant, "pseudonym")}


def memos_frame(store: Store) -> pd.DataFrame:
    """``memo_id, target_type, target, author, date, title, text``; ``target`` is the name
    (pseudonym for participants, the id for codings)."""
    names = _target_names(store)
    rows = [{"memo_id": x.id, "target_type": x.target_type,
             "target": (str(x.target_id) if x.target_type == "coding"
                        else names.get(x.target_type, {}).get(x.target_id)),
             "author": x.author, "date": x.date, "title": x.title, "text": x.text}
            for x in _all(store, m.Memo, m.Memo.id)]
    return _frame(rows, ["memo_id", "target_type", "target", "author", "date", "title", "text"])


def sampling_frame(store: Store) -> pd.DataFrame:
    """``sampling_id, target_type, target, date, reason, category`` of the theoretical-sampling log."""
    names = _target_names(store)
    rows = [{"sampling_id": x.id, "target_type": x.target_type,
             "target": names[x.target_type].get(x.target_id), "date": x.date,
             "reason": x.reason, "category": names["category"].get(x.category_id)}
            for x in _all(store, m.SamplingLog, m.SamplingLog.id)]
    return _frame(rows, ["sampling_id", "target_type", "target", "date", "reason", "category"])


@dataclass(frozen=True)
class HistoryEvent:
    """One entry of the event log."""

    event_id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class History(ResultMixin):
    """The events that touched one code (through renames and merges) or one coding."""

    subject: str
    events: tuple[HistoryEvent, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per event, oldest first."""
        return _frame([vars(e) for e in self.events],
                      ["event_id", "at", "actor", "action", "entity", "entity_id", "payload"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form: ``{"subject": ..., "events": [...]}``."""
        return {"subject": self.subject, "events": [dict(vars(e)) for e in self.events]}


def _utc(at: Any) -> str:
    """ISO time in UTC (SQLite hands back naive datetimes; they were written in UTC)."""
    import datetime as dt

    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone(dt.timezone.utc).isoformat()


def _code_ids(events: list[Any], name: str) -> set[int]:
    """Ids a code called ``name`` ever had, and the ids of codes merged into or renamed from it."""
    ids: set[int] = set()
    for e in events:
        p = e.payload or {}
        if e.entity == "code" and name in (p.get("name"), p.get("old"), p.get("new")):
            ids.add(e.entity_id)
    grew = True
    while grew:
        grew = False
        for e in events:
            p = e.payload or {}
            if e.action == "merge" and e.entity_id in ids:
                new = set(p.get("codes", [])) - ids
                if new:
                    ids |= new
                    grew = True
    return ids


def history(store: Store, *, code: str | None = None, coding: int | None = None) -> History:
    """The events of a code (by any name it ever had) or of a coding, oldest first.

    A code's history covers its creation, edits, renames, merges and splits, and the codings
    made with it or with codes merged into it.

    Examples
    --------
    >>> import tempfile
    >>> from leftbehind.qual.store import init_store
    >>> from leftbehind.qual import services as sv
    >>> store = init_store(tempfile.mkdtemp())
    >>> _ = sv.add_code(store, "loneliness", actor="ana")
    >>> sv.rename_code(store, "loneliness", to="feeling alone", actor="ana")
    >>> [e.action for e in history(store, code="loneliness").events]
    ['create', 'rename']
    >>> store.close()
    """
    from sqlalchemy import select

    if (code is None) == (coding is None):
        raise StoreError("give either a code or a coding", key="history",
                         hint="history(store, code='name') or history(store, coding=12)")
    with store.reading() as s:
        if coding is not None:
            events = list(s.scalars(select(m.Event).where(m.Event.entity == "coding",
                                                          m.Event.entity_id == int(coding))
                                    .order_by(m.Event.id)))
            subject = f"coding {coding}"
        else:
            pool = list(s.scalars(select(m.Event).where(m.Event.entity.in_(["code", "coding"]))
                                  .order_by(m.Event.id)))
            ids = _code_ids(pool, code)
            events = [e for e in pool
                      if (e.entity == "code" and e.entity_id in ids)
                      or set((e.payload or {}).get("codes", [])) & ids]
            subject = f"code {code}"
    if not events:
        raise StoreError(f"no history for {subject}", key="code" if code else "coding",
                         hint="check the name; `leftbehind qual codes STUDY_DIR` lists the codes")
    return History(subject=subject, events=tuple(
        HistoryEvent(event_id=e.id, at=_utc(e.at), actor=e.actor, action=e.action,
                     entity=e.entity, entity_id=e.entity_id, payload=dict(e.payload or {}))
        for e in events))


def consents_frame(store: Store) -> pd.DataFrame:
    """``participant, kind, given_by, date`` of every consent record (pseudonyms only)."""
    from sqlalchemy import select

    from leftbehind.qual import models as m

    with store.reading() as s:
        names = dict(s.execute(select(m.Participant.id, m.Participant.pseudonym)).all())
        rows = [{"participant": names.get(c.participant_id), "kind": c.kind,
                 "given_by": names.get(c.given_by_participant_id, c.given_by_text), "date": c.date}
                for c in s.scalars(select(m.Consent).order_by(m.Consent.id))]
    return _frame(rows, ["participant", "kind", "given_by", "date"])
