"""Levels of categorical variables: stable codes and the reference level as declared (layer L2).

A group or categorical control may be text (``"none"``, ``"mother"``) or numeric codes with value
labels (``1 = "Both parents at home"``). :func:`resolve_level` turns what a researcher wrote -
a code (``1``), a code as text (``"1"``) or a label (``"Both parents at home"``) - into the code as
it is in the data; ``leftbehind check`` and ``leftbehind run`` both call it. Codes are plain
(``2``, not ``2.0`` as SPSS and CSV files store them); ``models.series.integer_codes`` stores the
columns the same way before fitting, so model terms are named ``C(care)[T.2]``, never ``[T.2.0]``.

Examples
--------
>>> import pandas as pd
>>> care = pd.Series([1.0, 2.0, 2.0, 3.0])
>>> labels = {1: "Both parents at home", 2: "Mother away", 3: "Father away", 4: "Both away"}
>>> resolve_level(care, "Both parents at home", labels=labels, variable="care")
1
>>> resolve_level(care, "2", labels=labels, variable="care"), resolve_level(care, 3.0, labels=labels, variable="care")
(2, 3)

The R equivalent is ``relevel(factor(care), ref = "1")``; in Stata ``ib1.care``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from leftbehind.errors import DataError, StudyFileError
from leftbehind.spec.model import to_code
from leftbehind.survey.intake import plain_code


def data_levels(values: pd.Series) -> list[Any]:
    """The distinct non-missing values of ``values`` as plain codes, sorted (numbers before text).

    >>> data_levels(pd.Series([2.0, None, 1.0, 2.0]))
    [1, 2]
    """
    levels = dict.fromkeys(plain_code(v) for v in pd.unique(values.dropna()))
    return sorted(levels, key=lambda v: (isinstance(v, str), v if not isinstance(v, str) else 0, str(v)))


def study_value_labels(data_labels: Mapping[str, Mapping[Any, str]], study: Any,
                       names: Sequence[str]) -> dict[str, dict[Any, str]]:
    """Value labels of ``names``: the data file's, replaced by the study file's where it has any.

    >>> from leftbehind.spec import Study
    >>> study = Study(study={"title": "t"}, survey={"files": ["q.sav"]}, items={"care": {"labels": {1: "home"}}})
    >>> study_value_labels({"care": {1: "at home"}, "school": {1: "A"}}, study, ["care", "school"])
    {'care': {1: 'home'}, 'school': {1: 'A'}}
    """
    labels = {k: dict(v) for k, v in data_labels.items()}
    for name in names:
        own = study.value_labels_for(name)
        if own:
            labels[name] = own
    return labels


def describe_levels(levels: Sequence[Any], labels: Mapping[Any, str] | None = None) -> str:
    """``1 = "Both parents at home", 2 = "Mother away"`` (codes with their labels, if any).

    >>> describe_levels([1, 2], {1: "home"}), describe_levels(["none", "mother"])
    ('1 = "home", 2', 'none, mother')
    """
    found = {plain_code(k): v for k, v in (labels or {}).items()}
    return ", ".join(f'{level} = "{found[level]}"' if level in found else str(level) for level in levels)


def resolve_level(values: pd.Series, reference: Any, *, labels: Mapping[Any, str] | None, variable: str,
                  key: str = "analysis.reference", file: str | None = None, line: int | None = None) -> Any:
    """The code in ``values`` that ``reference`` names: a code, a code written as text, or a label.

    Parameters
    ----------
    values
        The column of the group (or categorical variable) on the cases the models use.
    reference
        As written in the study file: ``1``, ``"1"``, ``"none"`` or ``"Both parents at home"``.
    labels
        The variable's value labels, code -> label (study file over data file), or None.
    variable
        The column name (for messages).
    key, file, line
        Where ``reference`` is written (for messages).

    Returns
    -------
    The level as a plain code (``1``, never ``1.0``; text as it is in the data).

    Raises
    ------
    StudyFileError
        ``reference`` is neither a level in the data, nor a labelled code, nor a label; or it
        names two different codes (as a label and as a code).
    DataError
        ``reference`` is a labelled code that no case in ``values`` has.

    Examples
    --------
    >>> resolve_level(pd.Series(["none", "mother"]), "none", labels=None, variable="migration")
    'none'
    >>> try:
    ...     resolve_level(pd.Series([1, 2]), "Grandparents", labels={1: "home", 2: "away"}, variable="care")
    ... except StudyFileError as err:
    ...     print(err.message)
    reference level 'Grandparents' is not a code or value label of 'care'
    """
    present = data_levels(values)
    labelled = {plain_code(to_code(k) if isinstance(k, str) else k): str(v) for k, v in (labels or {}).items()}
    known = list(dict.fromkeys([*present, *sorted(labelled, key=str)]))
    where = {"key": key, "file": file, "line": line}
    found = _match(reference, known, labelled)
    if found is None:
        raise StudyFileError(f"reference level {reference!r} is not a code or value label of {variable!r}",
                             hint=f"use one of {describe_levels(known, labelled)}" if known
                             else f"{variable!r} has no cases and no value labels", **where)
    if len(found) > 1:
        raise StudyFileError(f"reference level {reference!r} of {variable!r} names two codes, "
                             f"{found[0]!r} (as a label) and {found[1]!r} (as a code)",
                             hint=f"write the code itself, e.g. reference = {found[0]!r}", **where)
    level = found[0]
    if level not in present:
        label = f" ({labelled[level]!r})" if level in labelled and labelled[level] != str(level) else ""
        raise DataError(f"reference level {level!r}{label} of {variable!r} does not occur in the data",
                        column=variable, hint=f"levels in the data: {describe_levels(present, labelled) or 'none'}; "
                        "choose one of them as reference", **where)
    return level


def _match(reference: Any, known: list[Any], labelled: Mapping[Any, str]) -> list[Any] | None:
    """The codes ``reference`` can mean: one, two (ambiguous) or None (unknown)."""
    if isinstance(reference, bool):
        return None
    if not isinstance(reference, str):
        code = plain_code(reference)
        return [code] if code in known else None
    if reference in known:
        return [reference]
    by_label = [code for code, label in labelled.items() if label == reference]
    as_code = to_code(reference)
    by_code = [plain_code(as_code)] if not isinstance(as_code, str) and plain_code(as_code) in known else []
    found = list(dict.fromkeys(by_label[:1] + by_code))
    return found or None
