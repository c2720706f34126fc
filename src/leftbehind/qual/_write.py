"""What every write service shares: the event log and name-to-row look-ups (internal, layer L2).

Examples
--------
>>> parse_left_behind_age("5")
60
>>> parse_left_behind_age("shortly after birth"), parse_left_behind_age("5 or 6")
(0, None)
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, TypeVar

from leftbehind.errors import StoreError
from leftbehind.qual import models as m

T = TypeVar("T")

#: attribute that names a row of each entity (what users type), and the entity's word in errors
NAME_OF = {
    m.Family: ("name", "family"),
    m.Participant: ("pseudonym", "participant"),
    m.Interview: ("name", "interview"),
    m.Document: ("name", "document"),
    m.Code: ("name", "code"),
    m.Category: ("name", "category"),
}
LISTING = {
    m.Family: "leftbehind qual people STUDY_DIR",
    m.Participant: "leftbehind qual people STUDY_DIR",
    m.Code: "leftbehind qual codes STUDY_DIR",
}


def log(session: Any, action: str, entity: str, entity_id: int | None,
        payload: dict[str, Any] | None = None, *, actor: str | None = None) -> None:
    """Append one event to the log inside the current transaction."""
    session.add(m.Event(at=dt.datetime.now(dt.timezone.utc),
                        actor=actor or session.info.get("actor") or "unknown",
                        action=action, entity=entity, entity_id=entity_id,
                        payload=dict(payload or {})))


def find(session: Any, model: type[T], name: str) -> T | None:
    """The row of ``model`` whose name (pseudonym for participants) is ``name``, or ``None``."""
    from sqlalchemy import select

    attr, _ = NAME_OF[model]
    return session.scalars(select(model).where(getattr(model, attr) == name)).first()


def get(session: Any, model: type[T], name: str, *, file: str | None = None,
        row: int | None = None, column: str | None = None) -> T:
    """Like :func:`find` but raise :class:`StoreError` naming the unknown entity."""
    found = find(session, model, name)
    if found is None:
        word = NAME_OF[model][1]
        where = LISTING.get(model)
        hint = f"check the spelling; `{where}` lists them" if where else f"add the {word} first"
        raise StoreError(f"unknown {word} '{name}'", key=None if file else word, file=file,
                         row=row, column=column, hint=hint)
    return found


def require_new(session: Any, model: type, name: str, *, file: str | None = None,
                row: int | None = None, column: str | None = None) -> None:
    """Raise :class:`StoreError` when a row named ``name`` already exists."""
    if find(session, model, name) is not None:
        word = NAME_OF[model][1]
        raise StoreError(f"{word} '{name}' already exists", file=file, row=row, column=column,
                         key=None if file else word, hint=f"choose another {word} name")


def check_choice(value: str, allowed: tuple[str, ...], *, what: str, file: str | None = None,
                 row: int | None = None, column: str | None = None) -> str:
    """Return ``value`` if it is one of ``allowed``, else raise :class:`StoreError`."""
    if value not in allowed:
        raise StoreError(f"unknown {what} '{value}'", file=file, row=row, column=column,
                         key=None if file else what, hint="use one of: " + ", ".join(allowed))
    return value


_NUMBER = r"(\d+(?:\.\d+)?)"
_BIRTH = re.compile(r"^(shortly after birth|at birth|after birth|birth|出生后不久|出生不久|刚出生|出生)$")


def parse_left_behind_age(text: str | None) -> int | None:
    """Months of age when the child was left behind, where the written value states one.

    A bare number is years (``"2"`` -> 24); ``"N months"`` / ``"N个月"`` are months;
    ``"N years"`` / ``"N岁"`` years; ``"shortly after birth"`` (``"出生后不久"``) is 0.
    Ranges (``"5 or 6"``), ``"unknown"`` and vague values (``"a few months"``) give ``None``:
    the text is kept as written and no number is invented.

    Examples
    --------
    >>> [parse_left_behind_age(t) for t in ["2", "18 months", "3岁", "unknown", "A few months"]]
    [24, 18, 36, None, None]
    """
    if text is None:
        return None
    t = text.strip().lower()
    if _BIRTH.match(t):
        return 0
    for pattern, factor in ((rf"^{_NUMBER}$", 12), (rf"^{_NUMBER}\s*(years?|yrs?|岁|周岁)$", 12),
                            (rf"^{_NUMBER}\s*(months?|个月|月)$", 1)):
        hit = re.match(pattern, t)
        if hit:
            return round(float(hit.group(1)) * factor)
    return None
