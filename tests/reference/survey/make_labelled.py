"""Write the labelled SPSS and Stata files that tests/reference/survey/labelled.R reads.

Run from the repository root: ``python tests/reference/survey/make_labelled.py``, then
``Rscript tests/reference/survey/labelled.R`` and ``pspp tests/reference/survey/labelled_pspp.sps``.
The files are committed; tests read only them.

Two data sets, each as ``.sav`` (SPSS user-missing codes and ranges) and ``.dta`` (Stata
extended missing values ``.a``, ``.b``, ``.z``):

- ``labelled_bfi``: the first 400 rows of psych::bfi (``tests/reference/data/measures_bfi.csv``),
  items N1-N5 and A2, with "refused" (9) and "don't know" (8) answers written into the items and
  a constructed caregiver variable ``care`` (1-3, value labels, 99 = "not asked").
- ``labelled_edge``: 30 constructed cases: a 97-99 missing range next to a discrete code 9, a
  column whose every answer is user-missing, system-missing cells, labelled codes that never occur.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

HERE = Path(__file__).parent
BFI = HERE.parent / "data" / "measures_bfi.csv"
N_ITEMS = ["N1", "N2", "N3", "N4", "N5"]
AGREE6 = {1: "Very inaccurate", 2: "Moderately inaccurate", 3: "Slightly inaccurate", 4: "Slightly accurate",
          5: "Moderately accurate", 6: "Very accurate"}


def bfi() -> tuple[pd.DataFrame, dict, dict, dict]:
    source = pd.read_csv(BFI).head(400)
    rng = np.random.default_rng(20261203)
    frame = source[["id", *N_ITEMS, "A2"]].astype(float).copy()
    for item in N_ITEMS:
        refused = rng.choice(len(frame), 12, replace=False)
        frame.loc[refused, item] = 9.0
        unsure = rng.choice(np.setdiff1d(np.arange(len(frame)), refused), 8, replace=False)
        frame.loc[unsure, item] = 8.0
    care = np.where(source["A1"] <= 2, 1.0, np.where(source["A1"] <= 4, 2.0, 3.0))
    care[rng.choice(len(frame), 10, replace=False)] = 99.0
    care[np.isnan(source["A1"].to_numpy(float))] = np.nan
    frame.insert(1, "care", care)
    labels = {"id": "Respondent", "care": "Caregiver arrangement", "A2": "Inquire about others' well-being",
              **{item: f"Neuroticism item {item[1]}" for item in N_ITEMS}}
    values = {"care": {1: "Both parents home", 2: "Father away", 3: "Mother away", 99: "not asked"},
              "A2": AGREE6, **{item: {**AGREE6, 8: "don't know", 9: "refused"} for item in N_ITEMS}}
    missing = {"care": [99.0], "N1": [8.0, 9.0], "N2": [{"lo": 8.0, "hi": 9.0}], "N3": [{"lo": 8.0, "hi": 9.0}],
               "N4": [8.0, 9.0], "N5": [{"lo": 8.0, "hi": 9.0}]}
    return frame, labels, values, missing


def edge() -> tuple[pd.DataFrame, dict, dict, dict]:
    rng = np.random.default_rng(7)
    n = 30
    frame = pd.DataFrame({"id": np.arange(1.0, n + 1), "g": rng.integers(1, 3, n).astype(float),
                          "e1": rng.integers(1, 6, n).astype(float), "e2": rng.integers(1, 6, n).astype(float),
                          "e3": rng.integers(1, 6, n).astype(float), "gone": np.full(n, 9.0)})
    frame["e2"] = (frame["e1"] + rng.integers(-1, 2, n)).clip(1, 5)
    frame["e3"] = (frame["e1"] + rng.integers(-2, 2, n)).clip(1, 5)
    frame.loc[[2, 11, 19], "e1"] = [97.0, 98.0, 99.0]
    frame.loc[[5, 23], "e1"] = 9.0
    frame.loc[[4, 8], "e2"] = np.nan
    frame.loc[[1, 14, 28], "g"] = 9.0
    frame.loc[[7], "e3"] = 97.0
    labels = {"g": "Group", "e1": "Edge item 1", "e2": "Edge item 2", "e3": "Edge item 3", "gone": "Never answered"}
    values = {"g": {1: "Girls' school", 2: "Boys' school", 3: "Mixed (no case)", 9: "unknown"},
              "e1": {9: "refused", 97: "skipped", 98: "illegible", 99: "not asked"},
              "gone": {9: "refused"}}
    missing = {"g": [9.0], "e1": [{"lo": 97.0, "hi": 99.0}, 9.0], "e3": [{"lo": 97.0, "hi": 99.0}], "gone": [9.0]}
    return frame, labels, values, missing


LETTERS = {8.0: "b", 9.0: "a", 97.0: "b", 98.0: "b", 99.0: "z"}


def as_stata(frame: pd.DataFrame, values: dict, missing: dict) -> tuple[pd.DataFrame, dict, dict]:
    """The SPSS user-missing codes as Stata extended missing values, with the same value labels."""
    frame = frame.astype(object)
    letters: dict[str, list[str]] = {}
    labels = {k: dict(v) for k, v in values.items()}
    for column, declared in missing.items():
        codes = set()
        for entry in declared:
            codes |= ({c for c in LETTERS if entry["lo"] <= c <= entry["hi"]} if isinstance(entry, dict) else {entry})
        hit = frame[column].isin(list(codes))
        used = sorted({LETTERS[c] for c in codes})
        for code in codes:
            if code in labels.get(column, {}):
                labels[column][LETTERS[code]] = labels[column].pop(code)
        frame.loc[hit, column] = frame.loc[hit, column].map(LETTERS)
        letters[column] = used
    return frame, labels, letters


def write(name: str, frame: pd.DataFrame, labels: dict, values: dict, missing: dict) -> None:
    column_labels = [labels.get(c, "") for c in frame.columns]
    pyreadstat.write_sav(frame, str(HERE / f"{name}.sav"), column_labels=column_labels,
                         variable_value_labels=values, missing_ranges=missing)
    stata, stata_values, letters = as_stata(frame, values, missing)
    pyreadstat.write_dta(stata, str(HERE / f"{name}.dta"), column_labels=column_labels,
                         variable_value_labels=stata_values, missing_user_values=letters)


if __name__ == "__main__":
    write("labelled_bfi", *bfi())
    write("labelled_edge", *edge())
