"""Checks and joins over the query-contract frames that every grounded analysis shares.

The analyses of :mod:`leftbehind.grounded` are pure functions over the pandas frames that
``leftbehind.qual.query`` returns (codings, participants, families, turns, codes, ...). This
module holds the few steps they all need: checking that a frame has the columns an analysis
reads, and attaching speaker and family attributes to coded segments.

Examples
--------
>>> import pandas as pd
>>> codings = pd.DataFrame({"document": ["d1"], "start": [0], "end": [4], "code": ["miss"],
...                         "coder": ["A"], "text": ["I miss"], "participant": ["Lili"],
...                         "role": ["child"], "family": ["F01"]})
>>> people = pd.DataFrame({"participant": ["Lili"], "role": ["child"], "age": [11],
...                        "sex": ["girl"], "family": ["F01"]})
>>> with_attributes(codings, people)[["participant", "age"]].to_dict("records")
[{'participant': 'Lili', 'age': 11}]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from leftbehind.errors import InputError

CODING_COLUMNS = ("document", "start", "end", "code", "coder", "text", "participant", "role", "family")


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, name: str) -> None:
    """Raise :class:`InputError` when ``frame`` lacks any of ``columns``.

    Parameters
    ----------
    frame
        The frame to check.
    columns
        The column names the caller reads.
    name
        What the frame is (``"codings"``, ``"participants"``...), for the message.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{name} must be a pandas DataFrame, not {type(frame).__name__}",
                         hint=f"pass the frame returned by leftbehind.qual.query.{name}_frame(store)")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"the {name} frame has no column(s) {', '.join(map(repr, missing))}",
                         hint=f"pass the frame returned by leftbehind.qual.query.{name}_frame(store); "
                              f"it has {', '.join(map(str, frame.columns))}")


def as_list(value: object) -> list:
    """Return ``value`` as a list: a list/tuple/set as is, anything else wrapped."""
    if isinstance(value, (list, tuple, set, frozenset, pd.Index, pd.Series)):
        return list(value)
    return [value]


def with_attributes(codings: pd.DataFrame, participants: pd.DataFrame | None = None, *,
                    families: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return ``codings`` with the speaker's participant and family attributes as extra columns.

    Columns already in ``codings`` win (they come from the same store); participant attributes
    are matched on the ``participant`` pseudonym, family attributes on ``family``.
    """
    require_columns(codings, ("participant", "family"), name="codings")
    out = codings.copy()
    if participants is not None:
        require_columns(participants, ("participant",), name="participants")
        extra = [c for c in participants.columns if c not in out.columns or c == "participant"]
        people = participants[extra].drop_duplicates("participant")
        out = out.merge(people, on="participant", how="left")
    if families is not None:
        require_columns(families, ("family",), name="families")
        extra = [c for c in families.columns if c not in out.columns or c == "family"]
        fams = families[extra].drop_duplicates("family")
        out = out.merge(fams, on="family", how="left")
    return out


def check_attribute(frame: pd.DataFrame, attribute: str) -> None:
    """Raise :class:`InputError` naming the available attributes when ``attribute`` is unknown."""
    if attribute not in frame.columns:
        hidden = {"coding_id", "start", "end", "text", "document"}
        names = [c for c in frame.columns if c not in hidden]
        raise InputError(f"unknown attribute {attribute!r}",
                         hint=f"use one of {', '.join(map(str, names))}")


def expand_codes(codes: Sequence[str], codebook: pd.DataFrame | None) -> list[str]:
    """Return ``codes`` plus all their descendants in ``codebook`` (columns code, parent)."""
    wanted = list(dict.fromkeys(codes))
    if codebook is None:
        return wanted
    require_columns(codebook, ("code", "parent"), name="codes")
    children: dict[str, list[str]] = {}
    for code, parent in zip(codebook["code"], codebook["parent"]):
        if isinstance(parent, str) and parent:
            children.setdefault(parent, []).append(code)
    queue = list(wanted)
    while queue:
        for child in children.get(queue.pop(0), []):
            if child not in wanted:
                wanted.append(child)
                queue.append(child)
    return wanted


def unknown_codes(codes: Iterable[str], known: Iterable[str]) -> None:
    """Raise :class:`InputError` when a requested code is not among ``known``."""
    known_set = set(known)
    missing = [c for c in codes if c not in known_set]
    if missing:
        shown = ", ".join(sorted(map(str, known_set))[:20]) or "none"
        raise InputError(f"unknown code(s) {', '.join(map(repr, missing))}",
                         hint=f"codes in use: {shown}")


def value_label(value: object, *, missing: str = "(none)") -> str:
    """Return an attribute value as text: whole floats without ``.0``, missing as ``missing``.

    >>> [value_label(v) for v in (11.0, None, float("nan"), "girl")]
    ['11', '(none)', '(none)', 'girl']
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return missing
    if isinstance(value, float):
        if value != value:
            return missing
        if value.is_integer():
            return str(int(value))
    return str(value)
