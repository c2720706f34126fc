"""Every write to the qualitative store (layer L2).

Each function runs in one transaction (or joins the one opened by ``store.transaction()``,
so a batch import commits all or nothing) and appends an event to the log that
:func:`leftbehind.qual.query.history` reads. Rows are named as users name them: families and
interviews by name, participants by pseudonym, documents by file name, codes by name.
The codebook writes (codes, codings, categories) live in :mod:`leftbehind.qual.codebook` and
are re-exported here.

Examples
--------
>>> import tempfile
>>> from leftbehind.qual.store import init_store
>>> store = init_store(tempfile.mkdtemp())
>>> add_family(store, "F01", village="V1", left_behind_age="Shortly after birth")
1
>>> add_participant(store, "Lan", role="child", age=10, family="F01", real_name="Real Person")
1
>>> add_document(store, "F01_child.txt", "Lan: hello", turns=[(0, 10, "Lan", "Lan")])
1
>>> store.close()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leftbehind.errors import StoreError
from leftbehind.qual import models as m
from leftbehind.qual._write import (check_choice, find, get, log, parse_left_behind_age,
                                    require_new)
from leftbehind.qual.codebook import (add_category, add_code, add_coding, add_relation,
                                      merge_codes, remove_coding, rename_code,
                                      set_core_category, split_code, update_code)
from leftbehind.qual.store import Store

__all__ = [
    "add_family", "add_participant", "set_identity", "add_consent", "add_interview",
    "add_document", "add_memo", "add_sampling", "add_code", "update_code", "rename_code",
    "merge_codes", "split_code", "add_coding", "remove_coding", "add_category",
    "add_relation", "set_core_category",
]

#: one span of a document for :func:`add_document`: (start, end, participant or None, label)
TurnSpec = tuple[int, int, "str | None", "str | None"]


def add_family(store: Store, name: str, *, village: str | None = None,
               township: str | None = None, migration_pattern: str | None = None,
               caregivers: str | None = None, left_behind_age: str | None = None,
               actor: str | None = None) -> int:
    """Register a family; ``left_behind_age`` is kept as written and parsed to months if it can be.

    Returns the new family's id. See :func:`leftbehind.qual._write.parse_left_behind_age`.
    """
    with store.transaction(actor=actor) as s:
        require_new(s, m.Family, name)
        fam = m.Family(name=name, village=village, township=township,
                       migration_pattern=migration_pattern, caregivers=caregivers,
                       left_behind_age_text=left_behind_age,
                       left_behind_age_months=parse_left_behind_age(left_behind_age))
        s.add(fam)
        s.flush()
        log(s, "create", "family", fam.id, {"name": name}, actor=actor)
        return fam.id


def add_participant(store: Store, pseudonym: str, *, role: str, age: int | None = None,
                    sex: str | None = None, family: str | None = None,
                    attributes: Mapping[str, Any] | None = None, real_name: str | None = None,
                    identity_fields: Mapping[str, Any] | None = None,
                    actor: str | None = None) -> int:
    """Register a participant under a pseudonym; the real name (if given) goes to its own table.

    ``role`` is one of :data:`leftbehind.qual.models.ROLES`. The event log records the
    pseudonym only, never the real name.
    """
    check_choice(role, m.ROLES, what="role")
    with store.transaction(actor=actor) as s:
        require_new(s, m.Participant, pseudonym)
        fam = get(s, m.Family, family) if family else None
        p = m.Participant(pseudonym=pseudonym, role=role, age=age, sex=sex,
                          family_id=fam.id if fam else None, attributes=dict(attributes or {}))
        s.add(p)
        s.flush()
        log(s, "create", "participant", p.id,
            {"pseudonym": pseudonym, "role": role, "family": family}, actor=actor)
        if real_name:
            set_identity(store, pseudonym, real_name=real_name, fields=identity_fields, actor=actor)
        return p.id


def set_identity(store: Store, participant: str, *, real_name: str,
                 fields: Mapping[str, Any] | None = None, actor: str | None = None) -> None:
    """Record (or replace) the real name and other identifying fields of a participant."""
    if not real_name.strip():
        raise StoreError("the real name is empty", key="real_name", hint="give the name or leave it out")
    with store.transaction(actor=actor) as s:
        p = get(s, m.Participant, participant)
        ident = s.get(m.Identity, p.id)
        if ident is None:
            s.add(m.Identity(participant_id=p.id, real_name=real_name, fields=dict(fields or {})))
        else:
            ident.real_name = real_name
            ident.fields = dict(fields or {})
        log(s, "set_identity", "participant", p.id, {"pseudonym": participant}, actor=actor)


def add_consent(store: Store, participant: str, *, kind: str, given_by: str | None = None,
                date: str | None = None, actor: str | None = None) -> int:
    """Record assent or consent; ``given_by`` is a participant's pseudonym or free text.

    A child's consent usually comes from a caregiver: ``given_by="grandmother (not interviewed)"``.
    """
    check_choice(kind, m.CONSENT_KINDS, what="consent kind")
    with store.transaction(actor=actor) as s:
        p = get(s, m.Participant, participant)
        by = find(s, m.Participant, given_by) if given_by else None
        c = m.Consent(participant_id=p.id, kind=kind, date=date,
                      given_by_participant_id=by.id if by else None,
                      given_by_text=None if by else given_by)
        s.add(c)
        s.flush()
        log(s, "create", "consent", c.id, {"participant": participant, "kind": kind}, actor=actor)
        return c.id


def add_interview(store: Store, name: str, *, date: str | None = None, wave: str | None = None,
                  language: str | None = None, duration_min: float | None = None,
                  interviewer: str | None = None, participants: Sequence[str] = (),
                  suspended: bool = False, suspended_reason: str | None = None,
                  referral_offered: bool = False, actor: str | None = None) -> int:
    """Register an interview with the participants present (several for conjoint interviews)."""
    with store.transaction(actor=actor) as s:
        require_new(s, m.Interview, name)
        people = [get(s, m.Participant, p) for p in participants]
        iv = m.Interview(name=name, date=date, wave=wave, language=language,
                         duration_min=duration_min, interviewer=interviewer,
                         suspended=bool(suspended), suspended_reason=suspended_reason,
                         referral_offered=bool(referral_offered), participants=people)
        s.add(iv)
        s.flush()
        log(s, "create", "interview", iv.id,
            {"name": name, "participants": list(participants), "suspended": bool(suspended)},
            actor=actor)
        return iv.id


def add_interview_participant(store: Store, interview: str, participant: str, *,
                              actor: str | None = None) -> None:
    """Add one more participant to those present at an interview (no-op if already there)."""
    with store.transaction(actor=actor) as s:
        iv = get(s, m.Interview, interview)
        p = get(s, m.Participant, participant)
        if p not in iv.participants:
            iv.participants.append(p)
            log(s, "add_participant", "interview", iv.id, {"participant": participant}, actor=actor)


def _check_span(start: int, end: int, length: int, *, what: str, file: str | None = None,
                row: int | None = None, line: int | None = None) -> None:
    if not (0 <= start < end <= length):
        raise StoreError(f"{what} [{start}, {end}) is not inside the text (length {length})",
                         file=file, row=row, line=line,
                         hint="spans are code-point offsets with 0 <= start < end <= length")


def add_document(store: Store, name: str, text: str, *, interview: str | None = None,
                 language: str | None = None, date: str | None = None,
                 translation: str | None = None, turns: Sequence[TurnSpec] = (),
                 observations: Sequence[tuple[int, int, str]] = (),
                 actor: str | None = None) -> int:
    """Store a transcript exactly as written, with its speaker turns and observation spans.

    ``turns`` holds ``(start, end, participant pseudonym or None, speaker label)``;
    ``observations`` holds ``(start, end, note)``. The importers in
    :mod:`leftbehind.qual.importers` produce both from a file.
    """
    with store.transaction(actor=actor) as s:
        require_new(s, m.Document, name)
        iv = get(s, m.Interview, interview) if interview else None
        doc = m.Document(name=name, text=text, translation=translation, language=language,
                         date=date, interview_id=iv.id if iv else None)
        s.add(doc)
        s.flush()
        for start, end, who, label in turns:
            _check_span(start, end, len(text), what="turn", file=name)
            pid = get(s, m.Participant, who).id if who else None
            s.add(m.Turn(document_id=doc.id, start=start, end=end, participant_id=pid,
                         speaker_label=label))
        for start, end, note in observations:
            _check_span(start, end, len(text), what="observation", file=name)
            s.add(m.Observation(document_id=doc.id, start=start, end=end, note=note))
        log(s, "import", "document", doc.id,
            {"name": name, "length": len(text), "turns": len(turns),
             "observations": len(observations), "interview": interview}, actor=actor)
        return doc.id


def resolve_target(session: Any, target_type: str, target: str | int, *,
                   file: str | None = None, row: int | None = None) -> int:
    """Id of a memo or sampling target given by name (coding: by id)."""
    check_choice(target_type, m.MEMO_TARGETS, what="target type", file=file, row=row,
                 column="target_type" if file else None)
    if target_type == "coding":
        try:
            cid = int(target)
        except ValueError:
            raise StoreError(f"coding target '{target}' is not a coding id", file=file, row=row,
                             column="target" if file else None,
                             hint="codings are named by their numeric id") from None
        if session.get(m.Coding, cid) is None:
            raise StoreError(f"unknown coding {cid}", file=file, row=row, hint="see codings_frame")
        return cid
    model = {"code": m.Code, "category": m.Category, "document": m.Document,
             "participant": m.Participant, "family": m.Family}[target_type]
    return get(session, model, str(target), file=file, row=row,
               column="target" if file else None).id


def add_memo(store: Store, target_type: str, *, target: str | int, author: str, title: str,
             text: str, date: str | None = None, actor: str | None = None) -> int:
    """Attach a memo to a code, category, document, participant, family or coding."""
    with store.transaction(actor=actor or author) as s:
        tid = resolve_target(s, target_type, target)
        memo = m.Memo(target_type=target_type, target_id=tid, author=author, date=date,
                      title=title, text=text)
        s.add(memo)
        s.flush()
        log(s, "create", "memo", memo.id,
            {"target_type": target_type, "target_id": tid, "title": title}, actor=actor or author)
        if target_type in ("code", "coding"):
            log(s, "memo", target_type, tid, {"memo": memo.id, "title": title}, actor=actor or author)
        return memo.id


def add_sampling(store: Store, target_type: str, target: str, *, reason: str,
                 category: str | None = None, date: str | None = None,
                 actor: str | None = None) -> int:
    """Log why a participant or family was sampled and which category it was meant to test."""
    check_choice(target_type, m.SAMPLING_TARGETS, what="sampling target type")
    with store.transaction(actor=actor) as s:
        tid = resolve_target(s, target_type, target)
        cat = get(s, m.Category, category) if category else None
        entry = m.SamplingLog(target_type=target_type, target_id=tid, reason=reason,
                              category_id=cat.id if cat else None, date=date)
        s.add(entry)
        s.flush()
        log(s, "create", "sampling", entry.id,
            {"target_type": target_type, "target_id": tid, "category": category}, actor=actor)
        return entry.id
