"""Write the raw questionnaires as SPSS ``.sav`` with variable and value labels.

Examples
--------
>>> sorted(VALUE_LABELS["custody"].items())
[(1.0, 'mother'), (2.0, 'father')]
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pandas as pd

__all__ = ["VARIABLE_LABELS", "VALUE_LABELS", "write_labelled_sav"]

_AGREE = {1.0: "strongly disagree", 2.0: "disagree", 3.0: "neutral", 4.0: "agree",
          5.0: "strongly agree"}
_SATISFIED = {1.0: "strongly dissatisfied", 2.0: "dissatisfied", 3.0: "neutral",
              4.0: "satisfied", 5.0: "strongly satisfied"}
_FREQUENCY = {1.0: "never or almost never", 2.0: "several times a year",
              3.0: "several times a month", 4.0: "several times a week"}
_DEPRESSED = {1.0: "never", 2.0: "rarely", 3.0: "sometimes", 4.0: "often", 5.0: "always"}
_EDU = {1.0: "primary or below", 2.0: "middle school", 3.0: "technical secondary",
        4.0: "high school", 5.0: "college", 6.0: "university or above"}
_YES_NO = {1.0: "yes", 2.0: "no"}
_ALIVE = {1.0: "alive", 2.0: "deceased"}

VARIABLE_LABELS = {
    "qid": "Questionnaire id", "school": "School", "consent": "Agrees to take part",
    "gender": "Gender", "age": "Age in years", "grade": "Grade", "n_siblings": "Number of siblings",
    "ethnicity": "Ethnicity", "mother_edu": "Mother's education", "father_edu": "Father's education",
    "parent_away": "Is any parent working outside the hometown?",
    "mother_months": "Months mother has worked outside", "father_months": "Months father has worked outside",
    "mother_alive": "Mother alive", "father_alive": "Father alive",
    "parents_separated": "Parents separated or divorced", "custody": "Parent with custody",
    "dep1": "Past 7 days: felt depressed", "dep2": "Past 7 days: felt life meaningless",
    "dep3": "Past 7 days: felt nervous or anxious", "dep4": "Past 7 days: felt restless",
    "dep5": "Past 7 days: felt hopeless", "dep6": "Past 7 days: felt everything was difficult",
    "belong": "Feels a part of the class (belonging)",
    "teach_life": "Head teacher: asks about my life outside school (past year)",
    "teach_guardian": "Head teacher: discusses my schoolwork with my guardian (past year)",
    "teach_praise": "Head teacher: praises me in front of the class (past year)",
    "teacher_sat": "Satisfaction with the head teacher relationship",
    "best_friends": "Number of best friends at school",
    "classmate_close": "Closeness with classmates", "peer_sat": "Satisfaction with peer relationships",
}
VALUE_LABELS = {
    "school": {1.0: "Korean primary school", 2.0: "Korean secondary school",
               3.0: "Han secondary school A", 4.0: "Han secondary school B"},
    "consent": _YES_NO, "gender": {1.0: "boy", 2.0: "girl"},
    "ethnicity": {1.0: "Han", 2.0: "Korean"}, "mother_edu": _EDU, "father_edu": _EDU,
    "parent_away": _YES_NO, "mother_alive": _ALIVE, "father_alive": _ALIVE,
    "parents_separated": _YES_NO, "custody": {1.0: "mother", 2.0: "father"},
    **{f"dep{j}": _DEPRESSED for j in range(1, 7)}, "belong": _AGREE,
    "teach_life": _FREQUENCY, "teach_guardian": _FREQUENCY, "teach_praise": _FREQUENCY,
    "teacher_sat": _SATISFIED,
    "best_friends": {1.0: "none", 2.0: "1-3", 3.0: "4-7", 4.0: "8 or more"},
    "classmate_close": {1.0: "not at all close", 2.0: "not that close", 3.0: "neither",
                        4.0: "somewhat close", 5.0: "very close"},
    "peer_sat": _SATISFIED,
}


def write_labelled_sav(raw: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``raw`` to ``path`` (SPSS) with labels, atomically (temporary file, then rename)."""
    import pyreadstat

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pyreadstat.write_sav(
            raw, tmp,
            column_labels=[VARIABLE_LABELS.get(c, c) for c in raw.columns],
            variable_value_labels={c: v for c, v in VALUE_LABELS.items() if c in raw.columns},
            variable_measure={c: ("nominal" if c in ("school", "gender", "ethnicity") else "scale")
                              for c in raw.columns})
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
