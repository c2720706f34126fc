"""The built-in derivation rules of ``[derived.*]`` (layer L2).

A study file can only name these rules and give their parameters; nothing is evaluated.
Each rule returns the new column and, for rules that set values missing on purpose, a note
per row (empty string when nothing happened) that goes into the case log.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"away": [2, 1, 1, 1], "m": [None, 12, 0, 8], "f": [None, 3, 24, 7]})
>>> values, notes = parental_migration(frame, any_away="away", mother_months="m", father_months="f")
>>> values.tolist()
['none', 'mother', 'father', 'both']
>>> recode(pd.Series([1, 2, 3]), map={1: 0, 2: 1}).tolist()
[0.0, 1.0, nan]
>>> reverse(pd.Series([1, 5]), range=(1, 5)).tolist()
[5, 1]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from leftbehind.errors import DataError, StudyFileError

MIGRATION_CATEGORIES = ["none", "mother", "father", "both"]
DECEASED = "deceased parent"
CUSTODY_UNKNOWN = "separated parents, custody unknown"
MONTHS_MISSING = "months away missing"
AWAY_MISSING = "whether a parent works away is missing"


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        raise DataError(f"column '{name}' is not in the data", column=name,
                        hint="check the column names in study.toml against the data file")
    return frame[name]


def _months(frame: pd.DataFrame, name: str) -> pd.Series:
    values = pd.to_numeric(_column(frame, name), errors="coerce")
    return values.astype(float)


def parental_migration(frame: pd.DataFrame, *, any_away: str, mother_months: str, father_months: str,
                       away_values: Sequence[Any] = (1,), threshold_months: float = 6,
                       missing_months: str = "missing", mother_alive: str | None = None,
                       father_alive: str | None = None, deceased_value: Any = 2,
                       separated: str | None = None, separated_value: Any = 1, custody: str | None = None,
                       custody_mother: Sequence[Any] = (1,), custody_father: Sequence[Any] = (2,),
                       ) -> tuple[pd.Series, pd.Series]:
    """Classify parental migration as none / mother / father / both (reference: none).

    The questions are read in order: if no parent works away (``any_away`` not in
    ``away_values``) the child is ``none``; otherwise a parent counts as away when their months
    away are at least ``threshold_months``. A child with a deceased parent is set missing (note
    ``"deceased parent"``); when the parents are separated only the custodial parent counts.

    Parameters
    ----------
    frame
        The questionnaires.
    any_away, mother_months, father_months
        Columns: does a parent work away; months each parent has worked away.
    away_values
        Codes of ``any_away`` meaning yes.
    threshold_months
        Months away from which a parent counts as away (inclusive).
    missing_months
        ``"missing"``: a needed but blank months answer makes the result missing;
        ``"zero"``: it counts as 0 months.
    mother_alive, father_alive, deceased_value
        Columns and the code meaning the parent has died (a blank answer counts as alive).
    separated, separated_value, custody, custody_mother, custody_father
        Column and code for separated parents; column and codes of custody.

    Returns
    -------
    (values, notes)
        A categorical Series with categories none, mother, father, both and a Series of notes.

    Examples
    --------
    >>> frame = pd.DataFrame({"away": [1, 1], "m": [12, 12], "f": [12, 12], "dead": [1, 2],
    ...                       "split": [1, 2], "with": [2, None]})
    >>> values, notes = parental_migration(frame, any_away="away", mother_months="m", father_months="f",
    ...                                    mother_alive="dead", separated="split", custody="with")
    >>> values.tolist(), notes.tolist()
    (['father', nan], ['', 'deceased parent'])
    """
    away_answer = _column(frame, any_away)
    away = away_answer.isin(list(away_values))
    mother_m, father_m = _months(frame, mother_months), _months(frame, father_months)
    if missing_months == "zero":
        mother_m, father_m = mother_m.fillna(0), father_m.fillna(0)
    mother = away & (mother_m >= threshold_months)
    father = away & (father_m >= threshold_months)
    m_unknown = away & mother_m.isna()
    f_unknown = away & father_m.isna()
    unknown = m_unknown | f_unknown
    notes = pd.Series("", index=frame.index, dtype=object)

    if separated is not None and custody is not None:
        split = _column(frame, separated).isin([separated_value])
        holder = _column(frame, custody)
        with_mother = split & holder.isin(list(custody_mother))
        with_father = split & holder.isin(list(custody_father))
        father = father & ~with_mother
        mother = mother & ~with_father
        unknown = (unknown & ~split) | (with_mother & m_unknown) | (with_father & f_unknown)
        no_custody = split & ~with_mother & ~with_father
        notes[no_custody & away] = CUSTODY_UNKNOWN
        unknown = unknown | (no_custody & away)
    notes[unknown & (notes == "")] = MONTHS_MISSING

    codes = np.select([mother & father, mother, father], [3, 1, 2], default=0)
    missing = unknown | away_answer.isna()
    notes[away_answer.isna()] = AWAY_MISSING
    deceased = pd.Series(False, index=frame.index)
    for column in (mother_alive, father_alive):
        if column is not None:
            deceased |= _column(frame, column).isin([deceased_value])
    notes[deceased] = DECEASED
    missing = missing | deceased
    codes = np.where(missing.to_numpy(), -1, codes)
    values = pd.Series(pd.Categorical.from_codes(codes, categories=MIGRATION_CATEGORIES), index=frame.index)
    return values, notes


def recode(series: pd.Series, *, map: Mapping[Any, Any], default: Any = None) -> pd.Series:
    """Replace codes by ``map``; values not in the map become ``default`` (missing if None).

    Numeric targets give a float column; text targets give a categorical column whose
    categories follow the map's order.

    >>> recode(pd.Series([1, 2, None]), map={1: "low", 2: "high"}).tolist()
    ['low', 'high', nan]
    """
    targets = list(map.values()) + ([] if default is None else [default])
    fill = np.nan if default is None else default
    values = []
    for value in series.tolist():
        if pd.isna(value):
            values.append(np.nan)
        else:
            values.append(map[value] if value in map else fill)
    if all(isinstance(t, (int, float)) and not isinstance(t, bool) for t in targets):
        return pd.Series(values, index=series.index, dtype=float)
    return pd.Series(pd.Categorical(values, categories=list(dict.fromkeys(targets))), index=series.index)


def cut(series: pd.Series, *, breaks: Sequence[float], labels: Sequence[str] | None = None,
        right: bool = True) -> pd.Series:
    """Bin numbers at ``breaks`` like R's ``cut``: ``(a, b]`` when ``right`` else ``[a, b)``.

    Values outside the breaks become missing.

    >>> cut(pd.Series([1, 5, 10]), breaks=[0, 5, 10], labels=["low", "high"]).tolist()
    ['low', 'low', 'high']
    """
    numbers = pd.to_numeric(series, errors="coerce")
    return pd.cut(numbers, bins=list(breaks), labels=None if labels is None else list(labels), right=right)


def copy(series: pd.Series) -> pd.Series:
    """The same values.

    >>> copy(pd.Series([1, 2])).tolist()
    [1, 2]
    """
    return series.copy()


def reverse(series: pd.Series, *, range: tuple[float, float]) -> pd.Series:
    """Reverse a rating: ``min + max - value``.

    >>> reverse(pd.Series([1, 4]), range=(1, 4)).tolist()
    [4, 1]
    """
    low, high = range
    return low + high - pd.to_numeric(series, errors="coerce")


def apply_rule(frame: pd.DataFrame, name: str, rule: Any, *, item_range: tuple[float, float] | None = None,
               ) -> tuple[pd.Series, pd.Series]:
    """Run one ``[derived.NAME]`` rule (a :mod:`leftbehind.spec` model) on ``frame``.

    Returns the new column and the per-row notes (empty strings when the rule leaves none).

    >>> from leftbehind.spec import Recode
    >>> apply_rule(pd.DataFrame({"g": [1, 2]}), "girl", Recode(rule="recode", source="g", map={1: 0, 2: 1}))[0].tolist()
    [0.0, 1.0]
    """
    params = rule.model_dump(exclude={"rule", "label", "labels"})
    blank = pd.Series("", index=frame.index, dtype=object)
    if rule.rule == "parental_migration":
        return parental_migration(frame, **params)
    source = _column(frame, params.pop("source"))
    if rule.rule == "recode":
        return recode(source, **params), blank
    if rule.rule == "cut":
        return cut(source, breaks=rule.breaks, labels=rule.labels, right=rule.right), blank
    if rule.rule == "copy":
        return copy(source), blank
    if rule.rule == "reverse":
        bounds = rule.range or item_range
        if bounds is None:
            raise StudyFileError(f"rule 'reverse' for '{name}' needs a range", key=f"derived.{name}.range",
                                 hint=f"add range = [min, max] or give the item '{rule.source}' a range")
        return reverse(source, range=tuple(bounds)), blank
    raise StudyFileError(f"unknown rule '{rule.rule}'", key=f"derived.{name}.rule")  # pragma: no cover
