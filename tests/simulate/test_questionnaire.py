"""Raw coding: the migration questions, blanks and validity rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.simulate.questionnaire import (RATING_ITEMS, apply_missing, code_migration,
                                               migration_answers, plan_missing, straight_lined,
                                               validity_counts)


def answers(**cols):
    base = {"parent_away": 1, "mother_months": 0, "father_months": 0, "mother_alive": 1,
            "father_alive": 1, "parents_separated": 2, "custody": np.nan}
    base.update(cols)
    return pd.DataFrame({k: [v] for k, v in base.items()}, dtype=float)


@pytest.mark.parametrize("cols, expected", [
    ({"parent_away": 2, "mother_months": np.nan, "father_months": np.nan}, "none"),
    ({"mother_months": 5}, "none"),                   # just under the threshold
    ({"mother_months": 6}, "mother"),                 # at the threshold counts
    ({"father_months": 6, "mother_months": 5}, "father"),
    ({"father_months": 12, "mother_months": 24}, "both"),
    ({"father_months": 12, "mother_months": 24, "parents_separated": 1, "custody": 1}, "mother"),
    ({"father_months": 12, "mother_months": 2, "parents_separated": 1, "custody": 1}, "none"),
    ({"father_months": 12, "mother_months": 24, "parents_separated": 1, "custody": 2}, "father"),
    ({"father_months": np.nan, "father_alive": 2, "mother_months": 24}, None),   # deceased
    ({"mother_months": np.nan, "father_months": 12}, None),                     # blank months
])
def test_migration_rule(cols, expected):
    got = code_migration(answers(**cols)).iloc[0]
    assert (got if isinstance(got, str) else None) == expected


def test_migration_answers_reproduce_groups():
    rng = np.random.default_rng(0)
    groups = rng.choice(["none", "mother", "father", "both"], 3000, p=[0.6, 0.05, 0.2, 0.15])
    raw = migration_answers(groups, rng, separated_share=0.2)
    assert (code_migration(raw) == groups).all()
    # the tricky cases are present: months at and just under the threshold, custody decisions
    months = pd.concat([raw["mother_months"], raw["father_months"]])
    assert (months == 5).any() and (months == 6).any()
    sep = raw["parents_separated"] == 1
    assert sep.any() and raw.loc[sep, "custody"].notna().all()
    assert raw.loc[~sep, "custody"].isna().all()
    assert raw.loc[raw["parent_away"] == 2, ["mother_months", "father_months"]].isna().all().all()
    # custody changes a naive reading: a non-custodial parent away but category by custodian
    naive = (np.where(raw["mother_months"] >= 6, "m", "").astype(object)
             + np.where(raw["father_months"] >= 6, "f", "").astype(object))
    assert ((naive == "mf") & (groups != "both")).any()


def test_planned_blanks_make_cases_incomplete():
    rng = np.random.default_rng(1)
    plans, factor_ok = plan_missing(300, rng)
    assert sum(p == ("deceased",) for p in plans) == 24
    assert all(len(p) >= 1 for p in plans)
    groups = rng.choice(["none", "mother", "father", "both"], 300)
    raw = migration_answers(groups, rng)
    items = pd.DataFrame(3.0, index=raw.index, columns=RATING_ITEMS + [
        "age", "n_siblings", "mother_edu", "father_edu", "gender", "ethnicity"])
    blanked = apply_missing(pd.concat([raw, items], axis=1), plans, rng)
    mig = code_migration(blanked)
    for i, plan in enumerate(plans):
        if plan == ("deceased",) or "parent_away" in plan or "months" in plan:
            assert pd.isna(mig.iloc[i]), plan
        else:
            assert blanked.iloc[i][list(plan)].isna().all()
    teacher = blanked[["teach_life", "teach_guardian", "teach_praise"]].notna().all(axis=1)
    assert np.array_equal(teacher.to_numpy(), factor_ok)


def test_straight_lining_and_counts():
    rows = pd.DataFrame([[2.0] * len(RATING_ITEMS), [2.0] * (len(RATING_ITEMS) - 1) + [3.0],
                         [np.nan] * len(RATING_ITEMS)], columns=RATING_ITEMS)
    assert straight_lined(rows).tolist() == [True, False, False]
    counts = validity_counts(47, {"blank": 0.15, "no_consent": 0.3, "duplicate_id": 0.25,
                                  "straight_lining": 0.3})
    assert sum(counts.values()) == 47 and min(counts.values()) >= 7
