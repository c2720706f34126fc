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

from pathlib import Path

import pandas as pd

from leftbehind.errors import DataError, LeftbehindError
from leftbehind.spec import Study, load_study
from leftbehind.spec.load import study_problems
from leftbehind.survey.cleaning import out_of_range, set_missing_codes
from leftbehind.survey.intake import (SurveyData, close_match_hint, column_mismatches, plain_code, read_data,
                                     stack_data)


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
    (when ``out_of_range = "error"``) and derivations that fail."""
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
    try:
        derive_all(frame, study)
    except LeftbehindError as exc:
        problems.append(exc)
    return problems


def check_study(path: str | Path) -> list[LeftbehindError]:
    """Every problem of a study: the study file first; if it loads, its data.

    Returns an empty list when the study is ready to run (see the module example).
    """
    problems: list[LeftbehindError] = list(study_problems(path))
    if problems:
        return problems
    return check_study_data(load_study(path))
