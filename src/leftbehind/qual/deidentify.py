"""De-identification check: registered real names still present in the documents (layer L2).

The result keeps the real name (the researcher needs it to fix the transcript), but its
``to_frame()`` / ``to_dict()`` leave it out unless asked (``with_names=True``): listings show
the document, the offset, the length and the participant's pseudonym only.

Examples
--------
>>> import tempfile
>>> from leftbehind.qual.store import init_store
>>> from leftbehind.qual import services as sv
>>> store = init_store(tempfile.mkdtemp())
>>> _ = sv.add_participant(store, "Lan", role="child", real_name="王小兰")
>>> _ = sv.add_document(store, "a.txt", "我叫王小兰。")
>>> check_real_names(store).to_frame().values.tolist()
[['a.txt', 'text', 2, 3, 'Lan']]
>>> store.close()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leftbehind._result import ResultMixin
from leftbehind.qual import models as m
from leftbehind.qual.store import Store

COLUMNS = ["document", "field", "offset", "length", "participant"]


@dataclass(frozen=True)
class NameHit:
    """A real name found at ``[offset, offset + length)`` of a document's text or translation."""

    document: str
    field: str
    offset: int
    length: int
    participant: str
    name: str


@dataclass(frozen=True)
class RealNameReport(ResultMixin):
    """Every place a registered real name occurs in the stored documents."""

    hits: tuple[NameHit, ...]

    @property
    def clean(self) -> bool:
        """True when no registered real name occurs anywhere."""
        return not self.hits

    def to_frame(self, *, with_names: bool = False):
        """One row per hit: ``document, field, offset, length, participant`` (+ ``name``)."""
        import pandas as pd

        cols = COLUMNS + (["name"] if with_names else [])
        return pd.DataFrame([{c: getattr(h, c) for c in cols} for h in self.hits], columns=cols)

    def to_dict(self, *, with_names: bool = False) -> dict[str, Any]:
        """JSON-safe form: ``{"clean": bool, "hits": [...]}`` (real names only if asked)."""
        cols = COLUMNS + (["name"] if with_names else [])
        return {"clean": self.clean,
                "hits": [{c: getattr(h, c) for c in cols} for h in self.hits]}


def _occurrences(text: str, name: str) -> list[int]:
    """Start offsets of ``name`` in ``text``, ignoring case (same length after casefold only)."""
    hay, needle = text, name
    if len(text.casefold()) == len(text) and len(name.casefold()) == len(name):
        hay, needle = text.casefold(), name.casefold()
    out, pos = [], hay.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = hay.find(needle, pos + 1)
    return out


def check_real_names(store: Store) -> RealNameReport:
    """List every registered real name still present in any document text or translation."""
    from sqlalchemy import select

    with store.reading() as s:
        people = s.execute(select(m.Identity.real_name, m.Participant.pseudonym)
                           .join(m.Participant, m.Identity.participant_id == m.Participant.id)
                           .order_by(m.Participant.pseudonym)).all()
        docs = s.execute(select(m.Document.name, m.Document.text, m.Document.translation)
                         .order_by(m.Document.name)).all()
    hits = []
    for doc, text, translation in docs:
        for field, body in (("text", text), ("translation", translation)):
            if not body:
                continue
            for real, pseudonym in people:
                real = real.strip()
                if real:
                    hits.extend(NameHit(doc, field, pos, len(real), pseudonym, real)
                                for pos in _occurrences(body, real))
    hits.sort(key=lambda h: (h.document, h.field, h.offset, h.participant))
    return RealNameReport(hits=tuple(hits))


def registered_names(store) -> list[str]:
    """The registered real names, longest first: for screening texts before they leave the store."""
    from sqlalchemy import select

    from leftbehind.qual import models as m

    with store.reading() as s:
        names = {str(n).strip() for n in s.scalars(select(m.Identity.real_name)) if n and str(n).strip()}
    return sorted(names, key=lambda n: (-len(n), n))
