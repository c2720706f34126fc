"""Quantitizing: codes and categories as participant-level variables (layer L3).

Each participant gets, per code (or per category, pooling its codes), ``presence`` (0/1),
``count`` (coded segments) and ``share`` (coded characters as a share of the participant's own
talk, overlapping codings of the same code counted once). These join the survey side by
participant and can be cross-tabulated against a survey attribute with an exact test suited to
small qualitative samples (:func:`exact_test`).

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({"participant": ["a", "a", "b"], "code": ["x", "x", "y"],
...                         "document": ["d1", "d1", "d2"], "start": [0, 5, 0], "end": [10, 20, 4]})
>>> turns = pd.DataFrame({"participant": ["a", "b", "c"], "document": ["d1", "d2", "d3"],
...                       "start": [0, 0, 0], "end": [40, 8, 10]})
>>> q = quantitize(codings, turns)
>>> [q.loc["a", ("x", m)].item() for m in ("presence", "count", "share")]
[1, 2, 0.5]
>>> int(q.loc["c", ("y", "presence")])
0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from leftbehind.errors import InputError

MEASURES = ("presence", "count", "share")


def _require(frame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks the column(s) {', '.join(missing)}",
                         hint=f"{what} needs the columns {', '.join(columns)}")


def _covered(spans) -> int:
    """Characters covered by the union of ``[start, end)`` spans (one document)."""
    total, reach = 0, None
    for start, end in sorted(spans):
        if reach is None or start >= reach:
            total += end - start
            reach = end
        elif end > reach:
            total += end - reach
            reach = end
    return total


def quantitize(codings, turns, *, categories: Mapping[str, Sequence[str]] | None = None,
               participants: Sequence[str] | None = None):
    """Participant x (code, measure) frame of presence, count and share of talk.

    Parameters
    ----------
    codings
        Frame with ``participant, code, document, start, end`` (the store's ``codings_frame``).
    turns
        Frame with ``participant, document, start, end``: every participant's talk.
    categories
        Optional ``{category: [codes]}``; then the columns are categories, pooling their codes.
    participants
        Rows to return (default: everyone who talks); participants without codings get zeros.
    """
    import pandas as pd

    _require(codings, ("participant", "code", "document", "start", "end"), "the codings")
    _require(turns, ("participant", "document", "start", "end"), "the turns")
    codings = codings[codings["participant"].notna() & (codings["participant"] != "")].copy()
    if categories is not None:
        owner = {code: cat for cat, codes in categories.items() for code in codes}
        codings["code"] = codings["code"].map(owner)
        codings = codings[codings["code"].notna()]
        names = list(categories)
    else:
        names = sorted(codings["code"].unique())
    people = list(participants) if participants is not None else sorted(turns["participant"].dropna().unique())
    talk = (turns.assign(length=turns["end"] - turns["start"]).groupby("participant")["length"].sum())
    columns = pd.MultiIndex.from_product([names, MEASURES], names=["code", "measure"])
    out = pd.DataFrame(0.0, index=pd.Index(people, name="participant"), columns=columns)
    for (person, code), group in codings.groupby(["participant", "code"]):
        if person not in out.index:
            continue
        covered = sum(_covered(zip(g["start"], g["end"])) for _, g in group.groupby("document"))
        out.loc[person, (code, "presence")] = 1
        out.loc[person, (code, "count")] = len(group)
        out.loc[person, (code, "share")] = covered / talk[person] if talk.get(person, 0) else 0.0
    for name in names:
        out[(name, "presence")] = out[(name, "presence")].astype(int)
        out[(name, "count")] = out[(name, "count")].astype(int)
    return out


def flatten(quantitized, *, measures: Sequence[str] = MEASURES):
    """One column per (code, measure), named ``code__measure``, ready to join a survey frame."""
    kept = quantitized.loc[:, quantitized.columns.get_level_values("measure").isin(measures)]
    flat = kept.copy()
    flat.columns = [f"{code}__{measure}" for code, measure in kept.columns]
    return flat
