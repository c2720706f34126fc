"""Quote extracts labelled with an informant descriptor built from attributes.

Reports quote informants by a descriptor, never by name: "child, 11, grandparents as
caregivers, both parents away". The descriptor is a template over the speaker's participant
and family attributes (``{role}``, ``{age}``, ``{sex}``, ``{caregivers}``,
``{migration_pattern}``, any free attribute); ``phrases`` turns stored values into wording
(``{"caregivers": {"grandparents": "grandparents as caregivers"}}``). Empty fields are dropped
together with their separator. The pseudonym is available as ``{participant}`` but the default
template leaves it out; fields that would locate an informant (village, township, school ...)
are refused.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({
...     "document": ["d1"], "start": [0], "end": [10], "code": ["missing parents"], "coder": ["A"],
...     "text": ["I miss them  at night"], "participant": ["Lili"], "role": ["child"],
...     "family": ["F01"]})
>>> people = pd.DataFrame({"participant": ["Lili"], "role": ["child"], "age": [11], "family": ["F01"]})
>>> families = pd.DataFrame({"family": ["F01"], "caregivers": ["grandparents"],
...                          "migration_pattern": ["both"]})
>>> q = quotes(codings, people, families=families, code="missing parents",
...            phrases={"caregivers": {"grandparents": "grandparents as caregivers"},
...                     "migration_pattern": {"both": "both parents away"}})
>>> print(q.lines()[0])
"I miss them at night" (child, 11, grandparents as caregivers, both parents away)
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import (CODING_COLUMNS, as_list, require_columns, value_label,
                                         with_attributes)

DEFAULT_TEMPLATE = "{role}, {age}, {caregivers}, {migration_pattern}"
#: Fields that would locate an informant; a descriptor may not use them.
IDENTIFYING = frozenset({"village", "township", "real_name", "name", "school", "address", "phone"})


@dataclass(frozen=True)
class Quotes(ResultMixin):
    """Quote extracts with informant descriptors (result of :func:`quotes`).

    Attributes
    ----------
    frame
        ``document, start, end, code, participant, role, family, descriptor, quote``.
    """

    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """Return the quotes frame."""
        return self.frame.copy()

    def to_dict(self) -> dict:
        """Return ``{"quotes": [{document, start, end, code, descriptor, quote}]}`` (pseudonyms only)."""
        cols = ["document", "start", "end", "code", "participant", "descriptor", "quote"]
        return {"quotes": [{k: (int(v) if k in ("start", "end") else v) for k, v in r.items()}
                           for r in self.frame[cols].to_dict("records")]}

    def lines(self) -> list[str]:
        """Return ``'"quote" (descriptor)'`` for every extract."""
        return [f'"{q}" ({d})' if d else f'"{q}"' for q, d in zip(self.frame["quote"], self.frame["descriptor"])]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def describe(attributes: Mapping[str, object], *, template: str = DEFAULT_TEMPLATE,
             phrases: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Fill ``template`` with ``attributes`` and drop empty fields with their separators.

    >>> describe({"role": "grandparent", "age": 67}, template="{role}, {age}, {caregivers}")
    'grandparent, 67'
    """
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    except ValueError as exc:
        raise InputError(f"invalid descriptor template {template!r}: {exc}",
                         hint="use field names in braces, e.g. '{role}, {age}'") from exc
    banned = sorted(fields & IDENTIFYING)
    if banned:
        raise InputError(f"the descriptor template uses identifying field(s) {', '.join(banned)}",
                         hint="describe informants by role, age, sex, care arrangement and migration pattern")
    values = _Blank()
    for key, value in attributes.items():
        text = value_label(value, missing="")
        values[key] = (phrases or {}).get(key, {}).get(text, text)
    try:
        filled = string.Formatter().vformat(template, (), values)
    except (ValueError, IndexError) as exc:
        raise InputError(f"invalid descriptor template {template!r}: {exc}",
                         hint="use field names in braces, e.g. '{role}, {age}'") from exc
    parts = [p.strip() for p in re.split(r"\s*[,;]\s*", filled)]
    return ", ".join(p for p in parts if p)


def quotes(codings: pd.DataFrame, participants: pd.DataFrame | None = None, *,
           code: str | Sequence[str] | None = None,
           families: pd.DataFrame | None = None,
           template: str = DEFAULT_TEMPLATE,
           phrases: Mapping[str, Mapping[str, str]] | None = None,
           max_chars: int | None = None,
           per_participant: int | None = None) -> Quotes:
    """Return the coded segments of ``code`` as quotes labelled with informant descriptors.

    Parameters
    ----------
    codings
        The codings frame.
    participants
        The participants frame (age, sex, free attributes).
    code
        One code or a list (default: every code).
    families
        The families frame (caregivers, migration pattern...).
    template
        Descriptor template; fields are attribute names in braces; fields separated by commas.
    phrases
        ``{attribute: {stored value: wording}}``.
    max_chars
        Shorten longer quotes to this many characters, ending with "…".
    per_participant
        Keep at most this many quotes per participant (the first ones in document order).

    Returns
    -------
    Quotes
        White space inside quotes is collapsed; order is document, then start.
    """
    require_columns(codings, CODING_COLUMNS, name="codings")
    if max_chars is not None and max_chars < 2:
        raise InputError(f"max_chars must be at least 2, not {max_chars}", hint="use e.g. 300")
    frame = with_attributes(codings, participants, families=families)
    if code is not None:
        wanted = as_list(code)
        missing = [c for c in wanted if c not in set(codings["code"])]
        if missing:
            raise InputError(f"no segments coded {', '.join(map(repr, missing))}",
                             hint="check the code name (qual retrieve lists coded segments)")
        frame = frame[frame["code"].isin(wanted)]
    frame = frame.sort_values(["document", "start", "end"], kind="stable")
    if per_participant is not None:
        frame = frame.groupby(frame["participant"].fillna("(none)"), sort=False).head(per_participant)
    records = []
    for row in frame.to_dict("records"):
        text = " ".join(str(row["text"]).split())
        if max_chars is not None and len(text) > max_chars:
            text = text[:max_chars - 1].rstrip() + "…"
        records.append({"document": row["document"], "start": row["start"], "end": row["end"],
                        "code": row["code"], "participant": row["participant"], "role": row["role"],
                        "family": row["family"],
                        "descriptor": describe(row, template=template, phrases=phrases), "quote": text})
    columns = ["document", "start", "end", "code", "participant", "role", "family", "descriptor", "quote"]
    return Quotes(frame=pd.DataFrame(records, columns=columns))
