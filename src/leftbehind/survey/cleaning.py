"""Cleaning: missing codes, out-of-range answers, validity rules, exclusions, the case log (layer L2).

Rules run in the order of the study file, validity first, then exclusions. Every rule is
evaluated on every questionnaire, so the case log lists every reason that applies; the first
one decides the status (``invalid``, ``excluded`` or ``valid``).

Examples
--------
>>> import pandas as pd
>>> from leftbehind.spec import ConditionRule
>>> frame = pd.DataFrame({"consent": [1, 2, None]})
>>> condition_mask(frame, ConditionRule(column="consent", op="==", value=2)).tolist()
[False, True, False]
>>> condition_mask(frame, ConditionRule(column="consent", op="missing")).tolist()
[False, False, True]
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import DataError
from leftbehind.spec import Study
from leftbehind.spec.model import ConditionRule, Item
from leftbehind.survey.intake import SurveyData, mask_missing, plain_code

_COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
            ">=": operator.ge}
CASE_LOG_COLUMNS = ["id", "file", "row", "status", "decisive", "reasons"]


def condition_mask(frame: pd.DataFrame, rule: ConditionRule) -> pd.Series:
    """Rows where ``column op value`` holds; a blank answer satisfies only ``missing``.

    >>> condition_mask(pd.DataFrame({"age": [9, 12, None]}), ConditionRule(column="age", op="<", value=10)).tolist()
    [True, False, False]
    """
    values = frame[rule.column]
    if rule.op == "missing":
        return values.isna()
    if rule.op == "not_missing":
        return values.notna()
    present = values.notna()
    if rule.op in ("in", "not_in"):
        inside = values.isin(list(rule.value))
        return present & (inside if rule.op == "in" else ~inside)
    target = rule.value
    if isinstance(target, (int, float)):
        values = pd.to_numeric(values, errors="coerce")
        present = values.notna()
    else:
        values = values.astype(str)
    return present & _COMPARE[rule.op](values, target).fillna(False).astype(bool)


def set_missing_codes(frame: pd.DataFrame, items: Mapping[str, Item],
                      user_missing: Mapping[str, list[Any]] | None = None, *,
                      missing_ranges: Mapping[str, list[tuple[float, float]]] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with declared missing codes (study file and data file) set to NaN.

    ``missing_ranges`` are inclusive ``(low, high)`` ranges of user-missing codes. Codes match as
    numbers or text (see :func:`~leftbehind.survey.intake.mask_missing`), so a study file can
    say ``missing = [9, "不知道"]``; a column left with numbers only becomes numeric.

    >>> set_missing_codes(pd.DataFrame({"a": [1, 9]}), {"a": Item(missing=[9])})["a"].tolist()
    [1.0, nan]
    >>> set_missing_codes(pd.DataFrame({"a": ["2", "不知道"]}), {"a": Item(missing=["不知道"])})["a"].tolist()
    [2.0, nan]
    """
    codes = {column: [*(user_missing or {}).get(column, []), *(items[column].missing if column in items else [])]
             for column in frame.columns}
    return mask_missing(frame, codes, missing_ranges=missing_ranges)


@dataclass(frozen=True)
class OutOfRange:
    """One answer outside its item's range: position in the frame, column, value, range."""

    position: int
    column: str
    value: Any
    low: float
    high: float

    def error(self, data: SurveyData) -> DataError:
        """The answer as a :class:`DataError` naming file, data row and column."""
        return DataError(f"value {self.value!r} is outside the range {self.low:g}-{self.high:g} (data row "
                         f"{data.where(self.position)['row']})", column=self.column, **data.where(self.position),
                         hint="correct the answer, widen the item's range, declare it a missing code, or "
                              "set survey.out_of_range = \"missing\" or \"invalid\"")


def out_of_range(frame: pd.DataFrame, items: Mapping[str, Item]) -> list[OutOfRange]:
    """Every non-missing answer outside its item's ``range`` (text counts as outside).

    >>> [(o.position, o.value) for o in out_of_range(pd.DataFrame({"a": [1, 7, None]}),
    ...                                              {"a": Item(range=(1, 5))})]
    [(1, 7)]
    """
    found = []
    for column, item in items.items():
        if item.range is None or column not in frame.columns:
            continue
        raw = frame[column]
        numbers = pd.to_numeric(raw, errors="coerce")
        low, high = item.range
        bad = raw.notna() & (numbers.isna() | (numbers < low) | (numbers > high))
        for position in np.flatnonzero(bad.to_numpy()):
            found.append(OutOfRange(int(position), column, plain_code(raw.iloc[position]), low, high))
    return sorted(found, key=lambda o: (o.position, o.column))


def _validity_mask(frame: pd.DataFrame, rule: Any, id_column: str) -> pd.Series:
    if rule.rule == "blank":
        return frame[rule.columns].isna().all(axis=1)
    if rule.rule == "duplicate_id":
        ids = frame[id_column]
        return ids.notna() & ids.duplicated(keep="first" if rule.keep == "first" else False)
    if rule.rule == "straightlining":
        answers = frame[rule.columns]
        needed = rule.min_items or len(rule.columns)
        return (answers.notna().sum(axis=1) >= needed) & (answers.nunique(axis=1) == 1)
    return condition_mask(frame, rule)


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class Cleaned(ResultMixin):
    """The outcome of :func:`clean`.

    Attributes
    ----------
    frame
        Every questionnaire, missing codes set to NaN (and out-of-range answers if so chosen).
    case_log
        One row per questionnaire: id, file, row, status, decisive, reasons.
    rule_counts
        One row per rule: step (``range``, ``validity``, ``exclusion``), reason, decisive, applies.
    """

    frame: pd.DataFrame
    case_log: pd.DataFrame
    rule_counts: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The case log."""
        return self.case_log

    def to_dict(self) -> dict:
        """Status counts and rule counts."""
        return {"status": {str(k): int(v) for k, v in self.case_log["status"].value_counts().items()},
                "rules": self.rule_counts.to_dict(orient="records")}


def clean(data: SurveyData, study: Study) -> Cleaned:
    """Apply missing codes, the out-of-range policy, validity rules and exclusions.

    Raises
    ------
    DataError
        With ``survey.out_of_range = "error"`` (the default), the first answer outside its range.

    Examples
    --------
    >>> study = Study(study={"title": "t"}, survey={"files": ["q.csv"]}, items={"a": {"range": [1, 5]}},
    ...               validity=[{"rule": "blank", "columns": ["a"]}])
    >>> data = SurveyData(frame=pd.DataFrame({"qid": [1, 2], "a": [3, None]}),
    ...                   origin=pd.DataFrame({"file": ["q.csv"] * 2, "row": [1, 2]}))
    >>> clean(data, study).case_log["status"].tolist()
    ['valid', 'invalid']
    """
    items = study.all_items()
    frame = set_missing_codes(data.frame, items, data.user_missing, missing_ranges=data.missing_ranges)
    steps: list[tuple[str, str, pd.Series]] = []
    policy = study.survey.out_of_range
    found = out_of_range(frame, items)
    if found and policy == "error":
        raise found[0].error(data)
    for problem in found:
        if policy == "missing":
            frame.iloc[problem.position, frame.columns.get_loc(problem.column)] = np.nan
    if policy == "invalid":
        for column in dict.fromkeys(o.column for o in found):
            mask = pd.Series(False, index=frame.index)
            mask.iloc[[o.position for o in found if o.column == column]] = True
            steps.append(("range", f"{column} out of range", mask))
    steps += [("validity", rule.describe(), _validity_mask(frame, rule, study.survey.id)) for rule in study.validity]
    steps += [("exclusion", rule.describe(), condition_mask(frame, rule)) for rule in study.exclusions]
    reasons: list[list[str]] = [[] for _ in range(len(frame))]
    for _, reason, mask in steps:
        for position in np.flatnonzero(mask.to_numpy()):
            reasons[position].append(reason)
    invalid_steps = {r for s, r, _ in steps if s in ("range", "validity")}
    status = ["valid" if not rs else "invalid" if rs[0] in invalid_steps else "excluded" for rs in reasons]
    case_log = pd.DataFrame({
        "id": data.frame[study.survey.id].to_numpy() if study.survey.id in data.frame else np.nan,
        "file": data.origin["file"].to_numpy(), "row": data.origin["row"].to_numpy(), "status": status,
        "decisive": [rs[0] if rs else "" for rs in reasons], "reasons": ["; ".join(rs) for rs in reasons]},
        index=frame.index)
    counts = pd.DataFrame([
        {"step": step, "reason": reason, "decisive": int((case_log["decisive"] == reason).sum()),
         "applies": int(mask.sum())} for step, reason, mask in steps],
        columns=["step", "reason", "decisive", "applies"])
    return Cleaned(frame=frame, case_log=case_log, rule_counts=counts)


def add_notes(case_log: pd.DataFrame, notes: pd.Series) -> pd.DataFrame:
    """A copy of the case log with ``notes`` (aligned by index, ``""`` = none) appended to reasons.

    >>> log = pd.DataFrame({"reasons": ["", "blank"]})
    >>> add_notes(log, pd.Series(["deceased parent", ""]))["reasons"].tolist()
    ['deceased parent', 'blank']
    """
    log = case_log.copy()
    notes = notes.reindex(log.index).fillna("")
    has = notes != ""
    joined = log.loc[has, "reasons"].where(log.loc[has, "reasons"] == "", log.loc[has, "reasons"] + "; ")
    log.loc[has, "reasons"] = joined + notes[has]
    return log
