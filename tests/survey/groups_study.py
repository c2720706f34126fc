"""Study folders over the carData references of tests/reference/survey/groups.R.

``salaries_study`` writes the Salaries data as an SPSS file whose value labels name the ranks
and disciplines (so the reference can be given by label), ``womenlf_study`` the Womenlf data as
CSV with the labels in the study file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

REF = Path(__file__).parents[1] / "reference" / "survey"
GROUPS = json.loads((REF / "groups.json").read_text(encoding="utf-8"))

SALARIES_TOML = '''
[study]
title = "Salaries by rank"

[survey]
files = ["data/salaries.sav"]
id = "id"

[items.salary]
label = "Nine-month salary (USD)"

[items.rank]
label = "Rank"
range = [1, 3]

[items.discipline]
label = "Discipline"
range = [1, 2]

[items.yrs_service]
label = "Years of service"

[items.yrs_since_phd]
label = "Years since PhD"

[analysis]
outcome = "salary"
group = "rank"
reference = REFERENCE
controls = ["C(discipline)", "yrs_service"]

[[analysis.nested]]
name = "Model 1"
add = []

[[analysis.nested]]
name = "Model 2"
add = ["@controls"]

[[analysis.moderators]]
variable = "yrs_since_phd"
'''

WOMENLF_TOML = '''
[study]
title = "Husband's income by the wife's labour-force participation"

[survey]
files = ["data/womenlf.csv"]
id = "id"

[value_labels.partic]
1 = "fulltime"
2 = "not.work"
3 = "parttime"

[items.hincome]
[items.partic]
labels = "partic"
[items.children]
[items.region]
labels = { 1 = "Atlantic", 2 = "BC", 3 = "Ontario", 4 = "Prairie", 5 = "Quebec" }

[analysis]
outcome = "hincome"
group = "partic"
reference = "2"
controls = ["children", "region"]
categorical = ["region"]

[[analysis.nested]]
name = "Model 1"
add = []

[[analysis.nested]]
name = "Model 2"
add = ["@controls"]
'''


def salaries_labels() -> dict[str, dict[float, str]]:
    labels = GROUPS["salaries"]["labels"]
    return {name: {float(code): text for code, text in codes.items()} for name, codes in labels.items()}


def salaries_study(folder: Path, *, reference: str | None = '"Prof"', extra: str = "") -> Path:
    """A study folder with data/salaries.sav (value labels for rank and discipline); the
    reference as written in TOML, or None to leave it out."""
    import pyreadstat

    (folder / "data").mkdir(parents=True, exist_ok=True)
    frame = pd.read_csv(REF / "groups_salaries.csv").astype(float)
    pyreadstat.write_sav(frame, folder / "data" / "salaries.sav", variable_value_labels=salaries_labels())
    text = SALARIES_TOML.replace("reference = REFERENCE\n", "" if reference is None else f"reference = {reference}\n")
    (folder / "study.toml").write_text(text + extra, encoding="utf-8")
    return folder


def womenlf_study(folder: Path) -> Path:
    """A study folder with data/womenlf.csv; labels and the categorical region in the study file."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    pd.read_csv(REF / "groups_womenlf.csv").to_csv(folder / "data" / "womenlf.csv", index=False)
    (folder / "study.toml").write_text(WOMENLF_TOML, encoding="utf-8")
    return folder
