"""Checks of questionnaire data against the study file, collected as lists (layer L2).

:func:`check_study_data` backs ``leftbehind check``: it reads the data and lists every problem
instead of stopping at the first one. :func:`check_study` adds the study-file problems.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "q.csv").write_text("qid,dep_1\\n1,3\\n1,9\\n")
>>> _ = (folder / "study.toml").write_text(
...     '[study]\\ntitle = "t"\\n[survey]\\nfiles = ["q.csv"]\\n[items.dep1]\\nrange = [1, 5]\\n')
>>> for problem in check_study(folder): print(problem.message)
column 'dep1' is named in the study file but not in the data
id 1 occurs again in data row 2 (first at data row 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from leftbehind.errors import DataError, LeftbehindError
from leftbehind.spec import Analysis, Study, load_study
from leftbehind.spec._locate import format_key
from leftbehind.spec.analysis import CONTROLS_TOKEN
from leftbehind.spec.crosscheck import key_line
from leftbehind.spec.load import study_problems
from leftbehind.survey.cleaning import clean, out_of_range, set_missing_codes
from leftbehind.survey.intake import (SurveyData, close_match_hint, column_mismatches, plain_code, read_data,
                                     stack_data)
from leftbehind.survey.levels import data_levels, resolve_level, study_value_labels


def structure_problems(data: SurveyData, study: Study) -> list[DataError]:
    """Missing id column, study columns absent from the data, blank and (unruled) duplicate ids.

    >>> from leftbehind.spec import Study
    >>> study = Study(study={"title": "t"}, survey={"files": ["q.csv"]}, items={"age": {}})
    >>> data = SurveyData(frame=pd.DataFrame({"qid": [1], "agee": [12]}),
    ...                   origin=pd.DataFrame({"file": ["q.csv"], "row": [1]}))
    >>> [p.hint for p in structure_problems(data, study)]
    ["did you mean 'agee'?"]
    """
    problems: list[DataError] = []
    columns = list(data.frame.columns)
    first_file = str(data.origin["file"].iloc[0]) if len(data.origin) else None
    needed = [study.survey.id, *study.all_items()]
    for name in needed:
        if name not in columns:
            problems.append(DataError(f"column '{name}' is named in the study file but not in the data",
                                      file=first_file, column=name, hint=close_match_hint(name, columns)))
    if study.survey.id not in columns:
        return problems
    ids = data.frame[study.survey.id]
    for position in ids.index[ids.isna()]:
        problems.append(DataError(f"the id is blank (data row {data.where(position)['row']})",
                                  column=study.survey.id, **data.where(position),
                                  hint="give every questionnaire an id"))
    if not any(rule.rule == "duplicate_id" for rule in study.validity):
        first_seen: dict = {}
        for position, value in enumerate(ids.tolist()):
            if pd.isna(value):
                continue
            if value in first_seen:
                earlier = data.where(first_seen[value])
                here = data.where(position)
                first = f"data row {earlier['row']}"
                if earlier["file"] != here["file"]:
                    first = f"{earlier['file']}, {first}"
                problems.append(DataError(
                    f"id {plain_code(value)!r} occurs again in data row {here['row']} (first at {first})",
                    column=study.survey.id, **here,
                    hint="correct the id, or add [[validity]] rule = \"duplicate_id\" to drop repeats"))
            else:
                first_seen[value] = position
    return problems


def check_study_data(study: Study) -> list[LeftbehindError]:
    """Every problem of the study's data files: unreadable files, mismatched columns, columns
    the study names but the data lacks, blank or duplicate ids, answers outside their range
    (when ``out_of_range = "error"``), derivations that fail and, when the data are sound, the
    model problems of :func:`model_problems`."""
    from leftbehind.survey.prepare import derive_all

    problems: list[LeftbehindError] = []
    if study.survey is None:
        return problems
    parts = []
    for path in study.data_paths():
        try:
            parts.append(read_data(path, encoding=study.survey.encoding))
        except LeftbehindError as exc:
            problems.append(exc)
    if problems or not parts:
        return problems
    mismatched = column_mismatches(parts)
    if mismatched:
        return mismatched + [p for part in parts for p in structure_problems(part, study)
                             if p.message.endswith("not in the data")]
    data = stack_data(parts)
    structural = structure_problems(data, study)
    problems += structural
    if any(p.message.endswith("not in the data") for p in structural):
        return problems
    items = study.all_items()
    frame = set_missing_codes(data.frame, items, data.user_missing, missing_ranges=data.missing_ranges)
    if study.survey.out_of_range == "error":
        problems += [o.error(data) for o in out_of_range(frame, items)]
    cleaned = None if problems else clean(data, study)  # clean stops at the first out-of-range answer
    try:
        derived, _ = derive_all(frame if cleaned is None else cleaned.frame, study)
    except LeftbehindError as exc:
        return [*problems, exc]
    if cleaned is None or study.analysis is None:
        return problems
    valid = derived.loc[cleaned.case_log["status"] == "valid"]
    labels = study_value_labels(data.value_labels, study, [str(c) for c in derived.columns])
    return model_problems(study, derived, valid, value_labels=labels)


def _analysis_keys(analysis: Analysis) -> dict[str, tuple[str | int, ...]]:
    """Each column the models use -> the key where the study file first names it."""
    keys: dict[str, tuple[str | int, ...]] = {analysis.outcome: ("analysis", "outcome"),
                                              analysis.group: ("analysis", "group")}
    for i, term in enumerate(analysis.controls):
        keys.setdefault(analysis.column(term), ("analysis", "controls", i))
    for b, block in enumerate(analysis.nested):
        for i, term in enumerate(block.add):
            if term != CONTROLS_TOKEN:
                keys.setdefault(analysis.column(term), ("analysis", "nested", b, "add", i))
    for m, moderator in enumerate(analysis.moderators):
        keys.setdefault(moderator.variable, ("analysis", "moderators", m, "variable"))
    return keys


def _model_table_keys(study: Study) -> dict[str, tuple[str | int, ...]]:
    """Columns that only ``[[model_tables]]`` name (outcomes, block additions, single-model terms)."""
    analysis = study.analysis
    keys: dict[str, tuple[str | int, ...]] = {}
    for t, table in enumerate(study.model_tables):
        if table.outcome is not None:
            keys.setdefault(table.outcome, ("model_tables", t, "outcome"))
        for b, block in enumerate(table.blocks or []):
            for i, term in enumerate(block.add):
                if term != CONTROLS_TOKEN:
                    keys.setdefault(analysis.column(term), ("model_tables", t, "blocks", b, "add", i))
        for i, term in enumerate(table.terms):
            if term != CONTROLS_TOKEN:
                keys.setdefault(analysis.column(term), ("model_tables", t, "terms", i))
    return keys


def model_problems(study: Study, derived: pd.DataFrame, valid: pd.DataFrame, *,
                   value_labels: Mapping[str, Mapping[Any, str]] | None = None) -> list[LeftbehindError]:
    """What can be known about the models before fitting them.

    The reference level is unknown (no code, label or level of the group) or absent from the
    data; a level of the group that the data has loses all its cases to cleaning (validity rules
    and exclusions); a column a model uses is constant (or blank) among the valid cases. Scale
    and factor scores are not computed here, so their columns are not checked.

    Parameters
    ----------
    study
        The study (its ``[analysis]``).
    derived
        Every questionnaire with missing codes applied and derived variables added.
    valid
        The valid cases of ``derived`` (after validity rules and exclusions).
    value_labels
        Variable -> {code: label}, study file over data file.

    Examples
    --------
    >>> study = Study(study={"title": "t"}, survey={"files": ["q.csv"]},
    ...               items={"y": {}, "care": {"labels": {1: "home", 2: "away"}}, "age": {}},
    ...               analysis={"outcome": "y", "group": "care", "reference": "home", "controls": ["age"]})
    >>> frame = pd.DataFrame({"y": [1.0, 2, 3], "care": [1, 1, 2], "age": [9, 9, 9]})
    >>> for p in model_problems(study, frame, frame.iloc[:2]): print(p.location.key, p.message)
    analysis.group level 2 ('away') of 'care' has no cases after cleaning (1 in the data, none valid)
    analysis.group 'care' has a single level among the valid cases (1)
    analysis.controls[0] column 'age' is constant among the valid cases (every value is 9)
    """
    analysis = study.analysis
    if analysis is None:
        return []
    file = None if study.path is None else str(study.path)

    def where(path: tuple[str | int, ...]) -> dict[str, Any]:
        return {"file": file, "key": format_key(path), "line": key_line(study.path, path)}

    group = analysis.group
    problems: list[LeftbehindError] = []
    labels = dict((value_labels or {}).get(group) or study.value_labels_for(group))
    reference = None
    if group in derived.columns and analysis.reference is not None:
        try:
            reference = resolve_level(derived[group], analysis.reference, labels=labels, variable=group,
                                      **where(("analysis", "reference")))
        except LeftbehindError as exc:
            problems.append(exc)
    if group in valid.columns:
        problems += _group_problems(derived[group], valid[group], reference=reference, labels=labels,
                                    where=where)
    if group in valid.columns and valid[group].isna().all():
        return problems  # no case left: every other column would be reported blank
    for column, path in {**_model_table_keys(study), **_analysis_keys(analysis)}.items():
        if column == group or column not in valid.columns:
            continue
        present = data_levels(valid[column])
        if len(present) <= 1:
            what = f"every value is {present[0]!r}" if present else "every value is blank"
            problems.append(DataError(f"column {column!r} is constant among the valid cases ({what})",
                                      column=column, hint="a model cannot estimate the effect of a constant; "
                                      "drop it from [analysis] or check the cleaning rules", **where(path)))
    return problems


def _group_problems(everyone: pd.Series, kept: pd.Series, *, reference: Any, labels: Mapping[Any, str],
                    where) -> list[LeftbehindError]:
    """Group levels with no valid case, a group with no or one level left."""
    variable = str(everyone.name)
    problems: list[LeftbehindError] = []
    kept_levels = data_levels(kept)
    counts = everyone.map(plain_code).value_counts()
    for level in data_levels(everyone):
        if level in kept_levels:
            continue
        label = f" ({labels[level]!r})" if level in labels and labels[level] != str(level) else ""
        is_reference = level == reference
        path = ("analysis", "reference") if is_reference else ("analysis", "group")
        problems.append(DataError(
            f"{'reference ' if is_reference else ''}level {level!r}{label} of {variable!r} has no cases after "
            f"cleaning ({int(counts.get(level, 0))} in the data, none valid)", column=variable,
            hint=("choose another reference level, or " if is_reference else "")
            + "check the [[validity]] and [[exclusions]] rules, or merge the level with a recode", **where(path)))
    if not kept_levels:
        problems.append(DataError(f"group {variable!r} has no cases after cleaning", column=variable,
                                  hint="check the [[validity]] and [[exclusions]] rules and the group's derivation",
                                  **where(("analysis", "group"))))
    elif len(kept_levels) == 1:
        problems.append(DataError(f"{variable!r} has a single level among the valid cases ({kept_levels[0]!r})",
                                  column=variable, hint="the models compare groups: the group needs two levels "
                                  "or more", **where(("analysis", "group"))))
    return problems


def check_study(path: str | Path) -> list[LeftbehindError]:
    """Every problem of a study: the study file first; if it loads, its data.

    Returns an empty list when the study is ready to run (see the module example).
    """
    problems: list[LeftbehindError] = list(study_problems(path))
    if problems:
        return problems
    return check_study_data(load_study(path))
