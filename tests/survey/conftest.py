"""A small questionnaire with the columns of the Hunchun survey and planted problem cases."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "study-file.md"
DEP = [f"dep{i}" for i in range(1, 7)]
TEACH = ["teach_life", "teach_guardian", "teach_praise"]
RATING = DEP + ["belong"] + TEACH + ["teacher_sat", "best_friends", "classmate_close", "peer_sat"]


def example_toml() -> str:
    """The complete example study file of docs/study-file.md, reading data/hunchun_survey.csv."""
    text = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)[-1]
    assert 'files = ["data/questionnaires.sav"]' in text
    return text.replace('files = ["data/questionnaires.sav"]', 'files = ["data/hunchun_survey.csv"]')


def hunchun_frame(n: int = 60, seed: int = 7) -> pd.DataFrame:
    """Random answers within range; rows 0-9 are planted cases (see PLANTED)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "qid": np.arange(1, n + 1), "school": rng.integers(1, 5, n), "consent": 1,
        "gender": rng.integers(1, 3, n), "age": rng.integers(10, 16, n), "grade": rng.choice([5, 7, 8, 9], n),
        "n_siblings": rng.integers(0, 5, n), "ethnicity": rng.integers(1, 3, n),
        "mother_edu": rng.integers(1, 7, n), "father_edu": rng.integers(1, 7, n),
        "parent_away": 2, "mother_months": np.nan, "father_months": np.nan,
        "mother_alive": 1, "father_alive": 1, "parents_separated": 2, "custody": np.nan})
    for column in DEP + ["belong", "teacher_sat", "classmate_close", "peer_sat"]:
        frame[column] = rng.integers(1, 6, n).astype(float)
    for column in TEACH + ["best_friends"]:
        frame[column] = rng.integers(1, 5, n).astype(float)
    frame.loc[0, [c for c in frame.columns if c not in ("qid", "school")]] = np.nan  # blank
    frame.loc[1, "qid"] = 3                                                       # repeats row 2's id
    frame.loc[3, "consent"] = 2                                                   # no consent
    frame.loc[4, RATING] = 4.0                                                    # straightlining
    frame.loc[11, RATING[:-1]] = 2.0                                              # not quite
    frame.loc[5, ["parent_away", "mother_months", "father_months"]] = [1, 12, 2]  # mother away
    frame.loc[6, ["parent_away", "mother_months", "father_months"]] = [1, 0, 6]   # father away
    frame.loc[7, ["parent_away", "mother_months", "father_months"]] = [1, 8, 30]  # both
    frame.loc[8, ["parent_away", "mother_months", "father_months", "father_alive"]] = [1, 12, 0, 2]  # deceased
    frame.loc[9, ["parent_away", "mother_months", "father_months", "parents_separated", "custody"]] = [1, 12, 12, 1, 2]
    frame.loc[10, "dep3"] = np.nan                                                # incomplete depression
    frame.loc[11, "peer_sat"] = 3.0
    return frame


@pytest.fixture
def hunchun_study(tmp_path):
    """A study folder with the documented study file and a CSV of hunchun_frame()."""
    (tmp_path / "data").mkdir()
    hunchun_frame().to_csv(tmp_path / "data" / "hunchun_survey.csv", index=False)
    (tmp_path / "study.toml").write_text(example_toml(), encoding="utf-8")
    return tmp_path
