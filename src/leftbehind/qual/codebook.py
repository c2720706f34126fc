"""Writes to the codebook, the codings and the grounded-theory categories (layer L2).

Re-exported by :mod:`leftbehind.qual.services`. Every change of a code (create, update,
rename, merge, split) and of a coding is an event whose payload lists the ids of the codes it
touched under ``"codes"``, so :func:`leftbehind.qual.query.history` can follow a code through
renames and merges.

Examples
--------
>>> import tempfile
>>> from leftbehind.qual.store import init_store
>>> from leftbehind.qual.services import add_document
>>> store = init_store(tempfile.mkdtemp())
>>> _ = add_document(store, "d.txt", "我想妈妈 😢")
>>> cid = add_coding(store, "d.txt", 0, 4, "missing parents", coder="A", create_code=True)
>>> rename_code(store, "missing parents", to="longing")
>>> store.close()
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from leftbehind.errors import StoreError
from leftbehind.qual import models as m
from leftbehind.qual._write import check_choice, find, get, log, require_new
from leftbehind.qual.store import Store

CODE_FIELDS = ("description", "inclusion", "exclusion", "example", "colour")


def _new_code(s: Any, name: str, *, parent: str | None, fields: Mapping[str, str | None],
              actor: str | None) -> m.Code:
    if not name or not name.strip():
        raise StoreError("a code name is empty", key="code", hint="give every code a name")
    require_new(s, m.Code, name)
    par = get(s, m.Code, parent) if parent else None
    code = m.Code(name=name, parent_id=par.id if par else None,
                  **{k: fields.get(k) for k in CODE_FIELDS})
    s.add(code)
    s.flush()
    log(s, "create", "code", code.id,
        {"name": name, "parent": parent, "codes": [code.id] + ([par.id] if par else [])},
        actor=actor)
    return code


def add_code(store: Store, name: str, *, parent: str | None = None,
             description: str | None = None, inclusion: str | None = None,
             exclusion: str | None = None, example: str | None = None,
             colour: str | None = None, actor: str | None = None) -> int:
    """Add a code to the codebook (``parent`` must exist already); return its id."""
    fields = dict(description=description, inclusion=inclusion, exclusion=exclusion,
                  example=example, colour=colour)
    with store.transaction(actor=actor) as s:
        return _new_code(s, name, parent=parent, fields=fields, actor=actor).id


def update_code(store: Store, name: str, *, actor: str | None = None,
                **changes: str | None) -> None:
    """Change a code's parent or its description, inclusion, exclusion, example or colour."""
    unknown = set(changes) - set(CODE_FIELDS) - {"parent"}
    if unknown:
        raise StoreError(f"unknown code field(s): {', '.join(sorted(unknown))}", key="code",
                         hint="fields: parent, " + ", ".join(CODE_FIELDS))
    with store.transaction(actor=actor) as s:
        code = get(s, m.Code, name)
        old = {k: (getattr(code, k) if k != "parent" else None) for k in changes}
        for key, value in changes.items():
            if key == "parent":
                par = get(s, m.Code, value) if value else None
                if par is not None and _is_descendant(s, par, code):
                    raise StoreError(f"code '{value}' cannot be the parent of '{name}'",
                                     key="parent", hint="that would make a loop in the tree")
                code.parent_id = par.id if par else None
            else:
                setattr(code, key, value)
        log(s, "update", "code", code.id, {"name": name, "old": old, "new": dict(changes),
                                           "codes": [code.id]}, actor=actor)


def _is_descendant(s: Any, candidate: m.Code, ancestor: m.Code) -> bool:
    node: m.Code | None = candidate
    while node is not None:
        if node.id == ancestor.id:
            return True
        node = s.get(m.Code, node.parent_id) if node.parent_id else None
    return False


def rename_code(store: Store, old: str, *, to: str, actor: str | None = None) -> None:
    """Rename a code; its codings, memos and category links follow (they refer to its id)."""
    with store.transaction(actor=actor) as s:
        code = get(s, m.Code, old)
        require_new(s, m.Code, to)
        code.name = to
        log(s, "rename", "code", code.id, {"old": old, "new": to, "codes": [code.id]}, actor=actor)


def _move_codings(s: Any, source: m.Code, target: m.Code, coding_ids: set[int] | None) -> int:
    """Re-point codings of ``source`` to ``target``; drop exact duplicates; return moved count."""
    from sqlalchemy import select

    moved = 0
    for coding in s.scalars(select(m.Coding).where(m.Coding.code_id == source.id)).all():
        if coding_ids is not None and coding.id not in coding_ids:
            continue
        twin = s.scalars(select(m.Coding).where(
            m.Coding.document_id == coding.document_id, m.Coding.start == coding.start,
            m.Coding.end == coding.end, m.Coding.code_id == target.id,
            m.Coding.coder == coding.coder)).first()
        if twin is not None:
            s.delete(coding)
        else:
            coding.code_id = target.id
        moved += 1
    s.flush()
    return moved


def merge_codes(store: Store, sources: Sequence[str], *, into: str,
                actor: str | None = None) -> int:
    """Merge ``sources`` into the code ``into`` (created if new); return the codings moved.

    Codings, child codes, memos and category links of the sources move to ``into``; the
    source codes are removed; the event log keeps their names and ids.
    """
    from sqlalchemy import select

    if not sources:
        raise StoreError("nothing to merge", key="code", hint="name at least one source code")
    with store.transaction(actor=actor) as s:
        target = find(s, m.Code, into) or _new_code(s, into, parent=None, fields={}, actor=actor)
        olds = [get(s, m.Code, name) for name in sources]
        if any(o.id == target.id for o in olds):
            raise StoreError(f"code '{into}' cannot be merged into itself", key="code",
                             hint="leave the target out of the source codes")
        moved = 0
        for old in olds:
            moved += _move_codings(s, old, target, None)
            for child in s.scalars(select(m.Code).where(m.Code.parent_id == old.id)):
                child.parent_id = target.id
            for memo in s.scalars(select(m.Memo).where(m.Memo.target_type == "code",
                                                       m.Memo.target_id == old.id)):
                memo.target_id = target.id
            for link in s.scalars(select(m.CategoryCode).where(m.CategoryCode.code_id == old.id)):
                if s.get(m.CategoryCode, (link.category_id, target.id)) is None:
                    s.add(m.CategoryCode(category_id=link.category_id, code_id=target.id))
                s.delete(link)
            if target.parent_id == old.id:
                target.parent_id = old.parent_id
            s.flush()
            log(s, "merged_into", "code", old.id,
                {"name": old.name, "into": into, "codes": [old.id, target.id]}, actor=actor)
            s.delete(old)
        s.flush()
        log(s, "merge", "code", target.id,
            {"into": into, "sources": list(sources), "codings_moved": moved,
             "codes": [target.id] + [o.id for o in olds]}, actor=actor)
        return moved


def split_code(store: Store, name: str, *, into: Sequence[str],
               move: Mapping[int, str] | None = None, actor: str | None = None) -> list[int]:
    """Split a code: create the codes ``into`` as its children and move chosen codings to them.

    ``move`` maps coding ids to one of the new code names; unlisted codings stay with
    ``name``. Returns the ids of the new codes.
    """
    into = list(into)
    move = dict(move or {})
    bad = sorted(set(move.values()) - set(into))
    if not into or bad:
        raise StoreError(f"split of '{name}' needs target codes" + (f"; unknown {bad}" if bad else ""),
                         key="code", hint="list the new code names and move codings only to them")
    with store.transaction(actor=actor) as s:
        old = get(s, m.Code, name)
        new_codes = {n: _new_code(s, n, parent=name, fields={}, actor=actor) for n in into}
        for cid, target in move.items():
            coding = s.get(m.Coding, int(cid))
            if coding is None or coding.code_id != old.id:
                raise StoreError(f"coding {cid} is not coded '{name}'", key="move",
                                 hint="move only codings of the code being split")
            _move_codings(s, old, new_codes[target], {int(cid)})
        log(s, "split", "code", old.id,
            {"name": name, "into": into, "moved": {str(k): v for k, v in move.items()},
             "codes": [old.id] + [c.id for c in new_codes.values()]}, actor=actor)
        return [c.id for c in new_codes.values()]


def add_coding(store: Store, document: str, start: int, end: int, code: str, *, coder: str,
               create_code: bool = False, actor: str | None = None,
               file: str | None = None, row: int | None = None) -> int:
    """Code the span ``[start, end)`` (code points) of ``document``; return the coding id.

    With ``create_code=True`` an unknown code is added to the codebook first; ``file`` and
    ``row`` only locate errors for batch imports.
    """
    with store.transaction(actor=actor or coder) as s:
        doc = get(s, m.Document, document, file=file, row=row, column="document" if file else None)
        if not (0 <= start < end <= len(doc.text)):
            raise StoreError(f"span [{start}, {end}) is outside document '{document}' "
                             f"(length {len(doc.text)})", file=file, row=row,
                             key=None if file else "span",
                             hint="offsets are code points, 0 <= start < end <= length")
        if not coder or not coder.strip():
            raise StoreError("the coder is empty", file=file, row=row,
                             key=None if file else "coder", hint="name who coded the span")
        found = find(s, m.Code, code)
        if found is None and create_code:
            found = _new_code(s, code, parent=None, fields={}, actor=actor or coder)
        if found is None:
            found = get(s, m.Code, code, file=file, row=row, column="code" if file else None)
        from sqlalchemy import select

        if s.scalars(select(m.Coding.id).where(
                m.Coding.document_id == doc.id, m.Coding.start == start, m.Coding.end == end,
                m.Coding.code_id == found.id, m.Coding.coder == coder)).first() is not None:
            raise StoreError(f"coder '{coder}' already coded [{start}, {end}) of '{document}' "
                             f"as '{code}'", file=file, row=row, hint="remove the duplicate")
        coding = m.Coding(document_id=doc.id, start=start, end=end, code_id=found.id, coder=coder)
        s.add(coding)
        s.flush()
        log(s, "create", "coding", coding.id,
            {"document": document, "start": start, "end": end, "code": code, "coder": coder,
             "codes": [found.id]}, actor=actor or coder)
        return coding.id


def remove_coding(store: Store, coding_id: int, *, actor: str | None = None) -> None:
    """Delete one coding (the event log keeps what it was)."""
    with store.transaction(actor=actor) as s:
        coding = s.get(m.Coding, coding_id)
        if coding is None:
            raise StoreError(f"unknown coding {coding_id}", key="coding",
                             hint="codings_frame lists the coding ids")
        code = s.get(m.Code, coding.code_id)
        log(s, "delete", "coding", coding.id,
            {"start": coding.start, "end": coding.end, "code": code.name, "coder": coding.coder,
             "codes": [code.id]}, actor=actor)
        s.delete(coding)


def add_category(store: Store, name: str, *, description: str | None = None,
                 paradigm_role: str | None = None, codes: Sequence[str] = (),
                 properties: Sequence[Mapping[str, str]] = (), actor: str | None = None) -> int:
    """Add a category with its paradigm role, codes and properties (name, dimension_low/high)."""
    if paradigm_role:
        check_choice(paradigm_role, m.PARADIGM_ROLES, what="paradigm role")
    with store.transaction(actor=actor) as s:
        require_new(s, m.Category, name)
        cat = m.Category(name=name, description=description, paradigm_role=paradigm_role)
        s.add(cat)
        s.flush()
        for code in codes:
            s.add(m.CategoryCode(category_id=cat.id, code_id=get(s, m.Code, code).id))
        for prop in properties:
            if not prop.get("name"):
                raise StoreError(f"a property of category '{name}' has no name", key="properties",
                                 hint="write properties as {name, dimension_low, dimension_high}")
            s.add(m.CategoryProperty(category_id=cat.id, name=prop["name"],
                                     dimension_low=prop.get("dimension_low"),
                                     dimension_high=prop.get("dimension_high")))
        s.flush()
        log(s, "create", "category", cat.id,
            {"name": name, "paradigm_role": paradigm_role, "codes": list(codes)}, actor=actor)
        return cat.id


def add_relation(store: Store, from_category: str, to_category: str, *, kind: str,
                 note: str | None = None, actor: str | None = None) -> int:
    """Relate two categories (for instance ``kind="leads_to"``)."""
    with store.transaction(actor=actor) as s:
        a, b = get(s, m.Category, from_category), get(s, m.Category, to_category)
        rel = m.Relation(from_category_id=a.id, to_category_id=b.id, kind=kind, note=note)
        s.add(rel)
        s.flush()
        log(s, "create", "relation", rel.id,
            {"from": from_category, "to": to_category, "kind": kind}, actor=actor)
        return rel.id


def set_core_category(store: Store, category: str, *, storyline: str | None = None,
                      author: str = "unknown", date: str | None = None,
                      actor: str | None = None) -> int | None:
    """Make ``category`` the core category; a storyline becomes a memo on it (its id returned)."""
    from sqlalchemy import update

    with store.transaction(actor=actor or author) as s:
        cat = get(s, m.Category, category)
        s.execute(update(m.Category).values(is_core=False))
        cat.is_core = True
        memo_id = None
        if storyline:
            memo = m.Memo(target_type="category", target_id=cat.id, author=author, date=date,
                          title="Storyline", text=storyline)
            s.add(memo)
            s.flush()
            memo_id = memo.id
        log(s, "set_core", "category", cat.id, {"name": category, "storyline_memo": memo_id},
            actor=actor or author)
        return memo_id
