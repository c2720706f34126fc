"""A small, fast survey study for pipeline tests: raw questionnaire columns as in the Hunchun
design, random but seeded, with a few invalid and incomplete cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

STUDY_TOML = '''
[study]
title = "Small test study"

[survey]
files = ["data/questionnaires.csv"]
id = "qid"
distributed = 340
cluster = "school"

[value_labels.agree5]
1 = "strongly disagree"
2 = "disagree"
3 = "neutral"
4 = "agree"
5 = "strongly agree"

[items.school]
range = [1, 4]

[items.consent]
range = [1, 2]

[items.gender]
range = [1, 2]
labels = { 1 = "boy", 2 = "girl" }

[items.age]
label = "Age (years)"
range = [8, 18]

[items.parent_away]
range = [1, 2]

[items.mother_months]
range = [0, 240]

[items.father_months]
range = [0, 240]

[[item_blocks]]
names = ["mother_alive", "father_alive"]
range = [1, 2]

[[item_blocks]]
names = ["dep1", "dep2", "dep3", "dep4"]
range = [1, 5]

[[item_blocks]]
names = ["teach_life", "teach_guardian", "teach_praise"]
range = [1, 4]

[items.belong]
range = [1, 5]
labels = "agree5"

[[validity]]
rule = "blank"
columns = ["dep1", "dep2", "dep3", "dep4", "belong"]
reason = "blank questionnaire"

[[validity]]
rule = "condition"
column = "consent"
op = "=="
value = 2
reason = "no consent"

[derived.girl]
rule = "recode"
source = "gender"
map = { 1 = 0, 2 = 1 }
label = "Girl"

[derived.migration]
rule = "parental_migration"
label = "Parental migration"
any_away = "parent_away"
away_values = [1]
mother_months = "mother_months"
father_months = "father_months"
threshold_months = 6
mother_alive = "mother_alive"
father_alive = "father_alive"
deceased_value = 2
labels = { none = "No parent away", mother = "Mother only away", father = "Father only away", both = "Both parents away" }

[derived.school_belonging]
rule = "copy"
source = "belong"
label = "School belonging"

[scales.depression]
items = ["dep1", "dep2", "dep3", "dep4"]
score = "sum"
label = "Depression"

[factors.teacher_attitude]
items = ["teach_life", "teach_guardian", "teach_praise"]
label = "Teacher attitude"

[descriptives]
by = "migration"
continuous = ["depression", "age", "teacher_attitude"]
categorical = ["girl", "school_belonging"]

[analysis]
outcome = "depression"
group = "migration"
reference = "none"
controls = ["girl", "age"]
se = "classical"

[[analysis.nested]]
name = "Model 1"
add = []

[[analysis.nested]]
name = "Model 2"
add = ["@controls"]

[[analysis.moderators]]
variable = "school_belonging"
center_interaction = false

[[analysis.moderators]]
variable = "teacher_attitude"

[tables]
formats = ["markdown", "html", "docx", "latex"]
'''


def make_small_study(folder: Path, *, n: int = 320, seed: int = 7) -> Path:
    """Write ``study.toml`` and ``data/questionnaires.csv`` into ``folder``; return the folder."""
    rng = np.random.default_rng(seed)
    group = rng.choice(["none", "mother", "father", "both"], size=n, p=[0.55, 0.1, 0.2, 0.15])
    away = np.where(group == "none", 2, 1)
    mother_months = np.where(np.isin(group, ["mother", "both"]), rng.integers(6, 60, n),
                             np.where(away == 1, rng.integers(0, 5, n), -1)).astype(float)
    father_months = np.where(np.isin(group, ["father", "both"]), rng.integers(6, 60, n),
                             np.where(away == 1, rng.integers(0, 5, n), -1)).astype(float)
    mother_months[mother_months < 0] = np.nan
    father_months[father_months < 0] = np.nan
    belong = np.clip(np.round(rng.normal(4, 1, n)), 1, 5)
    teacher_latent = rng.normal(size=n)
    teach = np.clip(np.round(2.5 + 0.9 * teacher_latent[:, None] + rng.normal(0, 0.7, (n, 3))), 1, 4)
    girl = rng.integers(0, 2, n)
    age = rng.integers(10, 16, n)
    severity = (8 + 2.5 * (group == "mother") - 0.8 * (belong - 4) - 1.2 * (group == "mother") * (belong - 4)
                + 0.8 * girl - 0.5 * teacher_latent + rng.normal(0, 2.5, n))
    dep = np.clip(np.round(severity[:, None] / 4 + rng.normal(0, 0.6, (n, 4))), 1, 5)
    frame = pd.DataFrame({
        "qid": np.arange(1, n + 1), "school": rng.integers(1, 5, n), "consent": 1, "gender": girl + 1, "age": age,
        "parent_away": away, "mother_months": mother_months, "father_months": father_months,
        "mother_alive": 1, "father_alive": 1, "belong": belong,
        **{f"dep{i + 1}": dep[:, i] for i in range(4)},
        **{name: teach[:, i] for i, name in enumerate(["teach_life", "teach_guardian", "teach_praise"])}})
    frame.loc[0:3, "consent"] = 2                     # 4 without consent
    frame.loc[4:6, ["dep1", "dep2", "dep3", "dep4", "belong"]] = np.nan   # 3 blank
    frame.loc[7, "father_alive"] = 2                  # deceased parent: migration missing
    frame.loc[8:12, "belong"] = np.nan                # item nonresponse
    frame.loc[13:15, "age"] = np.nan
    (folder / "data").mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "data" / "questionnaires.csv", index=False)
    (folder / "study.toml").write_text(STUDY_TOML, encoding="utf-8")
    return folder
