"""Retrieving coded segments with the speaker's attributes, for constant comparison.

Constant comparison sets the segments of one code side by side across groups of informants
(children against grandparents, mother-migrant against father-migrant families ...).
:func:`retrieve` returns the segments of a code with the speaker's participant and family
attributes, filtered by attribute values and optionally grouped by one attribute.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({
...     "document": ["d1", "d2", "d3"], "start": [0, 5, 9], "end": [8, 20, 14],
...     "code": ["missing parents", "missing parents", "phone calls"], "coder": ["A"] * 3,
...     "text": ["I miss mum", "She cries at night", "we call"],
...     "participant": ["Lili", "Nainai Wang", "Lili"],
...     "role": ["child", "grandparent", "child"], "family": ["F01", "F01", "F01"]})
>>> people = pd.DataFrame({"participant": ["Lili", "Nainai Wang"], "role": ["child", "grandparent"],
...                        "age": [11, 63], "sex": ["girl", "woman"], "family": ["F01", "F01"]})
>>> found = retrieve(codings, people, code="missing parents", by="role")
>>> found.to_frame()[["role", "participant", "text"]].values.tolist()
[['child', 'Lili', 'I miss mum'], ['grandparent', 'Nainai Wang', 'She cries at night']]
>>> found.counts()
{'child': 1, 'grandparent': 1}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import (CODING_COLUMNS, as_list, check_attribute, expand_codes,
                                         require_columns, unknown_codes, value_label,
                                         with_attributes)


@dataclass(frozen=True)
class Segments(ResultMixin):
    """Coded segments with speaker attributes (result of :func:`retrieve`).

    Attributes
    ----------
    frame
        One row per coded segment: the coding columns plus participant and family attributes.
    by
        The attribute the segments are grouped by, or ``None``.
    """

    frame: pd.DataFrame
    by: str | None = None

    def to_frame(self) -> pd.DataFrame:
        """Return a copy of the segments frame."""
        return self.frame.copy()

    def groups(self) -> dict[str, pd.DataFrame]:
        """Return ``{attribute value: segments}`` for the grouping attribute (missing -> ``"(none)"``)."""
        if self.by is None:
            return {"(all)": self.frame.copy()}
        keys = self.frame[self.by].map(value_label)
        return {key: self.frame[keys == key].copy() for key in dict.fromkeys(keys)}

    def counts(self) -> dict[str, int]:
        """Return ``{attribute value: number of segments}`` (one entry ``"(all)"`` when ungrouped)."""
        return {key: len(part) for key, part in self.groups().items()}

    def to_dict(self) -> dict:
        """Return ``{"by", "groups": {value: [segment, ...]}}`` with JSON-safe values."""
        columns = [c for c in ("document", "start", "end", "code", "coder", "participant", "role",
                               "family", "text") if c in self.frame.columns]
        groups = {}
        for key, part in self.groups().items():
            records = part[columns].astype(object).where(part[columns].notna(), None)
            groups[key] = records.to_dict("records")
        return {"by": self.by, "groups": groups}


def retrieve(codings: pd.DataFrame, participants: pd.DataFrame | None = None, *,
             code: str | Sequence[str] | None = None,
             where: Mapping[str, object] | None = None,
             by: str | None = None,
             families: pd.DataFrame | None = None,
             codebook: pd.DataFrame | None = None,
             include_subcodes: bool = False) -> Segments:
    """Return the coded segments of ``code`` with speaker attributes, filtered by ``where``.

    Parameters
    ----------
    codings
        The codings frame (``qual.query.codings_frame``).
    participants
        The participants frame; its attributes (age, sex, free attributes...) are attached.
    code
        One code or a list of codes; ``None`` keeps every code.
    where
        ``{attribute: value or list of values}``; a segment is kept when each attribute's value
        is the value or one of the list (values compared as text, so ``11`` matches ``"11"``).
    by
        Group (and sort) the segments by this attribute, for constant comparison.
    families
        The families frame; its attributes (migration pattern, caregivers ...) are attached.
    codebook
        The codes frame; with ``include_subcodes=True`` the descendants of ``code`` are kept too.
    include_subcodes
        Keep the segments of sub-codes of ``code`` (needs ``codebook``).

    Returns
    -------
    Segments
        Segments sorted by the ``by`` attribute (if any), document and start.

    Raises
    ------
    InputError
        An unknown code or attribute.
    """
    require_columns(codings, CODING_COLUMNS, name="codings")
    frame = with_attributes(codings, participants, families=families)
    if code is not None:
        wanted = as_list(code)
        known = list(codebook["code"]) if codebook is not None else list(codings["code"].unique())
        unknown_codes(wanted, known)
        if include_subcodes:
            if codebook is None:
                raise InputError("include_subcodes needs the codebook",
                                 hint="pass codebook=codes_frame(store)")
            wanted = expand_codes(wanted, codebook)
        frame = frame[frame["code"].isin(wanted)]
    for attribute, value in (where or {}).items():
        check_attribute(frame, attribute)
        allowed = {value_label(v) for v in as_list(value)}
        frame = frame[frame[attribute].map(value_label).isin(allowed)]
    order = ["document", "start", "end"]
    if by is not None:
        check_attribute(frame, by)
        frame = frame.assign(_key=frame[by].map(value_label))
        frame = frame.sort_values(["_key", *order], kind="stable").drop(columns="_key")
    else:
        frame = frame.sort_values(order, kind="stable")
    return Segments(frame=frame.reset_index(drop=True), by=by)
