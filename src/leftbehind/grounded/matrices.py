"""Code-by-attribute matrices and code co-occurrence.

A code-by-attribute matrix counts, for every code and every value of an informant attribute
(role, care arrangement, which parent migrated ...), the coded segments and the distinct
participants whose accounts carry the code. Co-occurrence counts how often two codes meet:
overlapping spans, the same speaker turn, or the same document.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({
...     "document": ["d1", "d1", "d2"], "start": [0, 4, 0], "end": [10, 8, 5],
...     "code": ["miss", "calls", "miss"], "coder": ["A"] * 3, "text": ["..."] * 3,
...     "participant": ["Lili", "Lili", "Tao"], "role": ["child"] * 3, "family": ["F1", "F1", "F2"]})
>>> families = pd.DataFrame({"family": ["F1", "F2"], "caregivers": ["grandparents", "mother"]})
>>> m = code_attribute_matrix(codings, None, attribute="caregivers", families=families)
>>> m.segments.loc["miss"].to_dict()
{'grandparents': 1, 'mother': 1, 'total': 2}
>>> int(cooccurrence(codings, by="overlap").loc["miss", "calls"])
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.grounded._frames import (CODING_COLUMNS, check_attribute, require_columns,
                                         value_label, with_attributes)

MISSING = "(none)"


@dataclass(frozen=True)
class CodeMatrix(ResultMixin):
    """Counts of coded segments and of distinct participants per code and attribute value.

    Attributes
    ----------
    attribute
        The attribute the columns are values of.
    segments
        Codes (rows) by attribute values (columns): number of coded segments.
    participants
        Same shape: number of distinct participants whose segments carry the code.
    """

    attribute: str
    segments: pd.DataFrame
    participants: pd.DataFrame

    def to_frame(self, count: Literal["segments", "participants", "both"] = "segments") -> pd.DataFrame:
        """Return one of the matrices, or ``"both"`` as cells ``"segments (participants)"``."""
        if count == "segments":
            return self.segments.copy()
        if count == "participants":
            return self.participants.copy()
        if count == "both":
            return self.segments.astype(str) + " (" + self.participants.astype(str) + ")"
        raise InputError(f"unknown count {count!r}", hint="use segments, participants or both")

    def to_dict(self) -> dict:
        """Return ``{"attribute", "values", "codes", "segments": {code: {value: n}}, "participants": ...}``."""
        def nested(frame: pd.DataFrame) -> dict:
            return {str(c): {str(v): int(n) for v, n in row.items()} for c, row in frame.iterrows()}
        return {"attribute": self.attribute, "values": [str(v) for v in self.segments.columns],
                "codes": [str(c) for c in self.segments.index],
                "segments": nested(self.segments), "participants": nested(self.participants)}


def code_attribute_matrix(codings: pd.DataFrame, participants: pd.DataFrame | None = None, *,
                          attribute: str,
                          families: pd.DataFrame | None = None,
                          codes: Sequence[str] | None = None,
                          totals: bool = True) -> CodeMatrix:
    """Count segments and distinct participants per code and value of ``attribute``.

    Parameters
    ----------
    codings
        The codings frame (``qual.query.codings_frame``).
    participants
        The participants frame (for participant attributes such as age, sex, free attributes).
    attribute
        A column of codings, participants or families (``role``, ``caregivers``,
        ``migration_pattern`` ...). Segments whose speaker lacks a value are counted under
        ``"(none)"``.
    families
        The families frame (for family attributes).
    codes
        The codes to show as rows, in this order (codes without segments get zeros); default
        every code used, sorted.
    totals
        Add a ``"total"`` column (all segments; distinct participants over all values).

    Returns
    -------
    CodeMatrix
    """
    require_columns(codings, CODING_COLUMNS, name="codings")
    frame = with_attributes(codings, participants, families=families)
    check_attribute(frame, attribute)
    frame = frame.assign(_value=frame[attribute].map(value_label))
    rows = list(codes) if codes is not None else sorted(frame["code"].unique(), key=str)
    values = sorted(frame["_value"].unique(), key=lambda v: (v == MISSING, v))
    segments = pd.crosstab(frame["code"], frame["_value"]).reindex(index=rows, columns=values, fill_value=0)
    people = frame.dropna(subset=["participant"]).drop_duplicates(["code", "_value", "participant"])
    distinct = pd.crosstab(people["code"], people["_value"]).reindex(index=rows, columns=values,
                                                                     fill_value=0)
    if totals:
        segments["total"] = frame.groupby("code").size().reindex(rows, fill_value=0)
        distinct["total"] = (frame.dropna(subset=["participant"]).groupby("code")["participant"]
                             .nunique().reindex(rows, fill_value=0))
    for m in (segments, distinct):
        m.index.name = "code"
        m.columns.name = attribute
    return CodeMatrix(attribute=attribute, segments=segments.astype(int), participants=distinct.astype(int))


def _overlap_counts(codings: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """Count pairs of segments (code a, code b) whose spans overlap, per document."""
    index = {c: i for i, c in enumerate(codes)}
    counts = np.zeros((len(codes), len(codes)), dtype=np.int64)
    for _, doc in codings.groupby("document", sort=False):
        starts = doc["start"].to_numpy()
        ends = doc["end"].to_numpy()
        idx = doc["code"].map(index).to_numpy()
        overlap = (starts[:, None] < ends[None, :]) & (starts[None, :] < ends[:, None])
        np.fill_diagonal(overlap, False)
        a, b = np.nonzero(overlap)
        np.add.at(counts, (idx[a], idx[b]), 1)
    return counts


def _unit_counts(units: pd.DataFrame, codes: list[str]) -> np.ndarray:
    """Count units (rows of ``units``: unit, code) that carry both codes."""
    incidence = pd.crosstab(units["unit"], units["code"]).reindex(columns=codes, fill_value=0)
    binary = (incidence.to_numpy() > 0).astype(np.int64)
    return binary.T @ binary


def cooccurrence(codings: pd.DataFrame, *, by: Literal["overlap", "turn", "document"] = "overlap",
                 turns: pd.DataFrame | None = None,
                 codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the symmetric code-by-code co-occurrence matrix.

    Parameters
    ----------
    codings
        The codings frame.
    by
        ``"overlap"``: number of pairs of segments, one of each code, in the same document whose
        half-open spans ``[start, end)`` overlap by at least one character; the diagonal counts
        overlapping pairs of two different segments of the same code.
        ``"turn"``: number of speaker turns touched by segments of both codes (a segment touches
        every turn it overlaps); the diagonal is the number of turns carrying the code.
        ``"document"``: number of documents carrying both codes; the diagonal is the number of
        documents carrying the code.
    turns
        The turns frame (``document, start, end``); needed for ``by="turn"``.
    codes
        Rows and columns, in this order; default every code used, sorted.

    Returns
    -------
    pandas.DataFrame
        Integer counts, codes by codes.
    """
    require_columns(codings, ("document", "start", "end", "code"), name="codings")
    names = list(codes) if codes is not None else sorted(codings["code"].unique(), key=str)
    frame = codings[codings["code"].isin(names)]
    if by == "overlap":
        counts = _overlap_counts(frame, names)
    elif by == "document":
        counts = _unit_counts(frame.rename(columns={"document": "unit"}), names)
    elif by == "turn":
        if turns is None:
            raise InputError("co-occurrence by turn needs the turns frame",
                             hint="pass turns=turns_frame(store), or use by='overlap' or 'document'")
        require_columns(turns, ("document", "start", "end"), name="turns")
        t = turns.reset_index(drop=True).assign(unit=lambda f: np.arange(len(f)))
        pairs = frame.merge(t[["document", "start", "end", "unit"]], on="document", suffixes=("", "_turn"))
        pairs = pairs[(pairs["start"] < pairs["end_turn"]) & (pairs["start_turn"] < pairs["end"])]
        counts = _unit_counts(pairs[["unit", "code"]], names)
    else:
        raise InputError(f"unknown co-occurrence basis {by!r}", hint="use overlap, turn or document")
    result = pd.DataFrame(counts, index=pd.Index(names, name="code"), columns=pd.Index(names, name="code"))
    return result.astype(int)
