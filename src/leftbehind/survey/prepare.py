"""From a study to analysable data: read, clean, derive, log (layer L2).

:func:`prepare` stops at the valid cases with their derived variables. Scale and factor scores
(:mod:`leftbehind.measures`) come next, then :meth:`PreparedSurvey.listwise` on the analysis
variables gives the complete cases and the finished sample flow.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "q.csv").write_text("qid,consent,away\\n1,1,2\\n2,2,1\\n3,1,\\n")
>>> _ = (folder / "study.toml").write_text('''
... [study]
... title = "Demo"
... [survey]
... files = ["q.csv"]
... distributed = 4
... [items.consent]
... range = [1, 2]
... [items.away]
... range = [1, 2]
... [[validity]]
... rule = "condition"
... column = "consent"
... op = "=="
... value = 2
... reason = "no consent"
... [derived.left]
... rule = "recode"
... source = "away"
... map = { 1 = 1, 2 = 0 }
... ''')
>>> from leftbehind.spec import load_study
>>> prepared = prepare(load_study(folder))
>>> prepared.valid["left"].tolist()
[0.0, nan]
>>> prepared.case_log[["id", "row", "status", "reasons"]].values.tolist()
[[1, 1, 'valid', ''], [2, 2, 'invalid', 'no consent'], [3, 3, 'valid', '']]
>>> complete, flow = prepared.listwise(columns=["left"])
>>> flow.to_frame()[["stage", "n"]].values.tolist()
[['distributed', 4], ['collected', 3], ['valid', 2], ['complete', 1]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import StudyFileError, InputError
from leftbehind.spec import Study
from leftbehind.survey.checks import structure_problems
from leftbehind.survey.cleaning import add_notes, clean
from leftbehind.survey.derive import apply_rule
from leftbehind.survey.describe import Descriptives, describe_study
from leftbehind.survey.flow import SampleFlow, complete_cases
from leftbehind.survey.intake import read_survey
from leftbehind.survey.levels import study_value_labels


def derive_all(frame: pd.DataFrame, study: Study) -> tuple[pd.DataFrame, pd.Series]:
    """Add every ``[derived.*]`` variable to a copy of ``frame``, in the order of the file.

    Returns the frame and one note string per row (``"; "``-joined, ``""`` when none).

    >>> study = Study(study={"title": "t"}, survey={"files": ["q.csv"]}, items={"g": {}},
    ...               derived={"girl": {"rule": "recode", "source": "g", "map": {1: 0, 2: 1}}})
    >>> derive_all(pd.DataFrame({"g": [2, 1]}), study)[0]["girl"].tolist()
    [1.0, 0.0]
    """
    frame = frame.copy()
    notes = pd.Series("", index=frame.index, dtype=object)
    items = study.all_items()
    for name, rule in study.derived.items():
        source = getattr(rule, "source", None)
        item_range = items[source].range if source in items else None
        values, rule_notes = apply_rule(frame, name, rule, item_range=item_range)
        frame[name] = values
        has = rule_notes != ""
        notes[has] = notes[has].where(notes[has] == "", notes[has] + "; ") + rule_notes[has]
    return frame, notes


def study_variable_labels(study: Study, file_labels: dict[str, str]) -> dict[str, str]:
    """Variable labels: the data file's, overridden by the study file's.

    An item declared only in an ``[[item_blocks]]`` entry keeps the label the data file gives it
    (a block's ``label`` names the block and is the item's label only when the file has none);
    ``[labels]`` always wins.

    >>> study = Study(study={"title": "t"}, survey={"files": ["q.sav"]},
    ...               item_blocks=[{"names": ["dep1", "dep2"], "label": "Depressive symptoms"}])
    >>> study_variable_labels(study, {"dep1": "Felt sad"})
    {'dep1': 'Felt sad', 'dep2': 'Depressive symptoms'}
    """
    in_blocks = {name for block in study.item_blocks for name in block.names} - set(study.items)
    labels = dict(file_labels)
    for name in study.defined_names():
        label = study.display_label(name)
        if label == name or (name in in_blocks and name not in study.labels and file_labels.get(name)):
            continue
        labels[name] = label
    return labels


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class PreparedSurvey(ResultMixin):
    """The survey after intake, cleaning and derivation.

    Attributes
    ----------
    study
        The study it was prepared from.
    raw
        Every questionnaire with the codes as written in the files (user-missing codes kept),
        stacked, index 0..n-1.
    valid
        The valid cases (status ``valid``) with missing codes applied and derived variables added;
        the index is the position in ``raw``.
    case_log
        One row per questionnaire: id, file, row, status, decisive, reasons.
    flow
        The sample flow up to the valid (or included) cases.
    variable_labels, value_labels
        From the data file and the study file; the study file wins.
    """

    study: Study
    raw: pd.DataFrame
    valid: pd.DataFrame
    case_log: pd.DataFrame
    flow: SampleFlow
    variable_labels: dict[str, str]
    value_labels: dict[str, dict[Any, str]]

    def listwise(self, frame: pd.DataFrame | None = None, *,
                 columns: Sequence[str] | None = None) -> tuple[pd.DataFrame, SampleFlow]:
        """Complete cases of ``frame`` (default ``valid``) on ``columns`` (default: the analysis
        variables of the study) and the flow with its ``complete`` stage."""
        frame = self.valid if frame is None else frame
        if columns is None:
            if self.study.analysis is None:
                raise InputError("no columns given and the study has no [analysis]",
                                 hint="pass columns=[...] or add [analysis] to study.toml")
            columns = self.study.analysis_columns()
        kept, report = complete_cases(frame, columns)
        return kept, self.flow.with_complete_cases(report)

    def describe(self, frame: pd.DataFrame | None = None) -> Descriptives:
        """The study's ``[descriptives]`` table of ``frame`` (default ``valid``), with its value labels."""
        return describe_study(self.valid if frame is None else frame, self.study, value_labels=self.value_labels)

    def to_frame(self) -> pd.DataFrame:
        """The valid cases."""
        return self.valid

    def to_dict(self) -> dict:
        """JSON-safe summary: the flow and the case-log status counts."""
        return {"flow": self.flow.to_dict(),
                "status": {str(k): int(v) for k, v in self.case_log["status"].value_counts().items()}}


def prepare(study: Study) -> PreparedSurvey:
    """Read the study's data files, clean them, derive variables and log every case.

    Raises
    ------
    DataError
        A data file cannot be read, stacked files differ, a column named in the study is
        missing from the data, an id is blank or repeated (without a ``duplicate_id`` rule), or
        an answer is out of range under ``out_of_range = "error"``.

    Examples
    --------
    See the module docstring for a study folder prepared end to end.
    """
    if study.survey is None:
        raise StudyFileError("the study file has no [survey] section", key="survey",
                             hint="add [survey] with the questionnaire files (docs/study-file.md)")
    data = read_survey(study.data_paths(), encoding=study.survey.encoding)
    problems = structure_problems(data, study)
    if problems:
        raise problems[0]
    cleaned = clean(data, study)
    derived, notes = derive_all(cleaned.frame, study)
    is_valid = cleaned.case_log["status"] == "valid"
    case_log = add_notes(cleaned.case_log, notes.where(is_valid, ""))
    counts = cleaned.rule_counts
    valid_n = int((case_log["status"] != "invalid").sum())
    flow = SampleFlow.from_counts(distributed=study.survey.distributed, collected=len(case_log), valid=valid_n,
                                  included=int(is_valid.sum()) if study.exclusions else None, rule_counts=counts)
    names = [str(c) for c in derived.columns]
    variable_labels = study_variable_labels(study, data.variable_labels)
    value_labels = study_value_labels(data.value_labels, study, names)
    return PreparedSurvey(study=study, raw=data.raw, valid=derived.loc[is_valid], case_log=case_log, flow=flow,
                          variable_labels=variable_labels, value_labels=value_labels)
