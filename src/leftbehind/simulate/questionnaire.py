"""Raw questionnaire coding of the Hunchun instrument, with invalid and incomplete returns.

Every valid case (complete or not) is written as the child would have filled it in: codes
as printed on the questionnaire, the successive migration questions with months away, both
parents' survival and separation with custody. Then the field's imperfections are added:

*Incomplete* (valid, but dropped from the models): children with a deceased parent (their
migration category is undefined) and item nonresponse — one to three blank answers among the
analysis items (a depression item, a teacher item, a support item, a control, a migration
answer). The planned blanks are known before the items are built, so the factor analysis of
the teacher items uses exactly the cases whose three items are answered.

*Invalid* (not counted as valid), one rule each, checked in this order:
``blank`` — nothing answered but the school; ``no_consent`` — consent = 2; ``duplicate_id`` —
a qid already seen in an earlier row (a second entry of the same questionnaire; the first
is kept); ``straight_lining`` — one identical answer to all fourteen rating items.

Migration rule (successive questions, threshold in months): a deceased parent → missing;
parent_away = 2 → none; otherwise a parent counts as away with ``months >= threshold``;
separated parents → only the custodial parent counts; else none / mother / father / both.

Examples
--------
>>> code_migration(pd.DataFrame({"parent_away": [2, 1, 1, 1], "mother_months": [None, 6, 5, 24],
...     "father_months": [None, 0, 12, 36], "mother_alive": [1, 1, 1, 1],
...     "father_alive": [1, 1, 1, 1], "parents_separated": [2, 2, 2, 1],
...     "custody": [None, None, None, 2]})).tolist()
['none', 'mother', 'father', 'father']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from leftbehind.simulate.design import exact_counts

__all__ = ["RATING_ITEMS", "MISSING_CANDIDATES", "code_migration", "migration_answers",
           "plan_missing", "raw_answers", "apply_missing", "invalid_rows", "straight_lined",
           "validity_counts"]

DEPRESSION = [f"dep{j}" for j in range(1, 7)]
TEACHER = ["teach_life", "teach_guardian", "teach_praise"]
SUPPORT = ["belong", "teacher_sat", "best_friends", "classmate_close", "peer_sat"]
RATING_ITEMS = DEPRESSION + ["belong"] + TEACHER + SUPPORT[1:]
#: Answers that can be left blank in an incomplete case, with relative frequencies.
MISSING_CANDIDATES: dict[str, float] = {
    **{d: 1.0 for d in DEPRESSION}, **{t: 1.2 for t in TEACHER}, **{s: 0.8 for s in SUPPORT},
    "age": 0.6, "n_siblings": 0.8, "mother_edu": 2.0, "father_edu": 2.2, "gender": 0.2,
    "ethnicity": 0.3, "parent_away": 0.7, "months": 1.0,
}
EDU_SPLIT = {"middle_or_below": (1, 2, 0.3), "technical_or_high": (3, 4, 0.45),
             "college_or_above": (5, 6, 0.6)}


def code_migration(raw: pd.DataFrame, *, threshold: float = 6) -> pd.Series:
    """Migration category from the raw answers (see the module docstring); NaN if undefined."""
    out = pd.Series(np.nan, index=raw.index, dtype=object)
    alive = (raw["mother_alive"] == 1) & (raw["father_alive"] == 1)
    m = raw["mother_months"] >= threshold
    f = raw["father_months"] >= threshold
    m_known, f_known = raw["mother_months"].notna(), raw["father_months"].notna()
    away = raw["parent_away"] == 1
    sep = raw["parents_separated"] == 1
    out[alive & (raw["parent_away"] == 2) & raw["parents_separated"].notna()] = "none"
    cust_m = alive & away & sep & (raw["custody"] == 1) & m_known
    cust_f = alive & away & sep & (raw["custody"] == 2) & f_known
    out[cust_m] = np.where(m[cust_m], "mother", "none")
    out[cust_f] = np.where(f[cust_f], "father", "none")
    both_known = alive & away & (raw["parents_separated"] == 2) & m_known & f_known
    cat = np.select([m & f, m, f], ["both", "mother", "father"], "none")
    out[both_known] = cat[both_known.to_numpy()]
    return out


def _months_away(rng: np.random.Generator, n: int, threshold: int) -> np.ndarray:
    """Months a migrant parent has been away: often exactly the threshold or a year or more."""
    choices = np.array([threshold, threshold + 1, 8, 10, 12, 18, 24, 36, 48, 60])
    p = np.array([0.12, 0.06, 0.06, 0.06, 0.2, 0.1, 0.15, 0.12, 0.07, 0.06])
    return rng.choice(choices, size=n, p=p / p.sum())


def _months_home(rng: np.random.Generator, n: int, threshold: int) -> np.ndarray:
    """Months of a parent not counted as away: mostly none, some short spells up to threshold - 1."""
    short = np.arange(1, threshold)
    p = np.r_[0.7, np.full(len(short), 0.3 / max(len(short), 1))]
    p[-1] += 0.1
    return rng.choice(np.r_[0, short], size=n, p=p / p.sum())


def migration_answers(groups: np.ndarray, rng: np.random.Generator, *, threshold: int = 6,
                      separated_share: float = 0.08) -> pd.DataFrame:
    """Answers to the migration questions that the rule classifies as ``groups``.

    Separated parents (custody decides) and children who report a parent away for fewer
    months than the threshold are mixed in; every category stays exactly as given.
    """
    n = len(groups)
    away_m = np.isin(groups, ["mother", "both"])
    away_f = np.isin(groups, ["father", "both"])
    sep = (rng.random(n) < separated_share) & (groups != "both")
    custody = np.full(n, np.nan)
    custody[sep & (groups == "mother")] = 1
    custody[sep & (groups == "father")] = 2
    open_custody = sep & (groups == "none")
    custody[open_custody] = rng.choice([1, 2], size=open_custody.sum(), p=[0.7, 0.3])
    mm = np.where(away_m, _months_away(rng, n, threshold), _months_home(rng, n, threshold))
    fm = np.where(away_f, _months_away(rng, n, threshold), _months_home(rng, n, threshold))
    # a separated child's non-custodial parent may be away without changing the category
    noncust = sep & (rng.random(n) < 0.4)
    mm = np.where(noncust & (custody == 2), _months_away(rng, n, threshold), mm)
    fm = np.where(noncust & (custody == 1), _months_away(rng, n, threshold), fm)
    any_away = (mm > 0) | (fm > 0)
    return pd.DataFrame({
        "parent_away": np.where(any_away, 1, 2),
        "mother_months": np.where(any_away, mm, np.nan),
        "father_months": np.where(any_away, fm, np.nan),
        "mother_alive": 1, "father_alive": 1,
        "parents_separated": np.where(sep, 1, 2), "custody": custody})


def plan_missing(n: int, rng: np.random.Generator, *, deceased_share: float = 0.08,
                 ) -> tuple[list[tuple[str, ...]], np.ndarray]:
    """For each of ``n`` incomplete cases, which answers are blank (``("deceased",)`` for a
    deceased parent); and whether all teacher items are answered."""
    n_dead = int(round(n * deceased_share))
    names = list(MISSING_CANDIDATES)
    p = np.array(list(MISSING_CANDIDATES.values()))
    p = p / p.sum()
    plans: list[tuple[str, ...]] = [("deceased",)] * n_dead
    sizes = rng.choice([1, 2, 3], size=n - n_dead, p=[0.6, 0.28, 0.12])
    plans += [tuple(rng.choice(names, size=k, replace=False, p=p)) for k in sizes]
    order = rng.permutation(n)
    plans = [plans[i] for i in order]
    factor_ok = np.array([not any(t in plan for t in TEACHER) for plan in plans])
    return plans, factor_ok


def _siblings(rng, values):
    extra = rng.choice([2, 3, 4], size=len(values), p=[0.8, 0.15, 0.05])
    return np.where(values >= 2, extra, values).astype(float)


def _education(rng, keys):
    out = np.empty(len(keys))
    for key, (lo, hi, p_hi) in EDU_SPLIT.items():
        idx = keys == key
        out[idx] = np.where(rng.random(idx.sum()) < p_hi, hi, lo)
    return out


def raw_answers(frame: pd.DataFrame, rng: np.random.Generator, *, threshold: int = 6,
                outcome: str = "depression", factor: str = "teacher_attitude") -> pd.DataFrame:
    """Questionnaire codes of every valid case in ``frame`` (from
    :func:`leftbehind.simulate.build.build_valid_cases`), nothing blank yet."""
    raw = pd.DataFrame(index=frame.index)
    raw["consent"] = 1
    raw["gender"] = np.where(frame["gender"] == "girl", 2, 1)
    raw["age"] = frame["age"].astype(float)
    raw["grade"] = frame["grade__value"].astype(float)
    raw["n_siblings"] = _siblings(rng, frame["siblings__value"].to_numpy())
    raw["ethnicity"] = np.where(frame["ethnicity"] == "korean", 2, 1)
    raw["mother_edu"] = _education(rng, frame["mother_education"].to_numpy())
    raw["father_edu"] = _education(rng, frame["father_education"].to_numpy())
    mig = migration_answers(frame["group"].to_numpy(), rng, threshold=threshold)
    raw = pd.concat([raw, mig.set_index(frame.index)], axis=1)
    for j, col in enumerate(DEPRESSION):
        raw[col] = frame[f"{outcome}_item{j + 1}"]
    raw["belong"] = frame["school_belonging__value"]
    for j, col in enumerate(TEACHER):
        raw[col] = frame[f"{factor}_item{j + 1}"]
    raw["teacher_sat"] = frame["teacher_satisfaction__value"]
    raw["best_friends"] = frame["best_friends__value"]
    raw["classmate_close"] = frame["classmate_closeness__value"]
    raw["peer_sat"] = frame["peer_satisfaction__value"]
    return raw.astype(float)


def apply_missing(raw: pd.DataFrame, plans: list[tuple[str, ...]], rng: np.random.Generator,
                  ) -> pd.DataFrame:
    """Blank the planned answers of the incomplete cases (rows of ``raw`` in plan order)."""
    raw = raw.copy()
    for row, plan in zip(raw.index, plans):
        for item in plan:
            if item == "deceased":
                parent = "father" if rng.random() < 0.65 else "mother"
                raw.loc[row, f"{parent}_alive"] = 2
                raw.loc[row, f"{parent}_months"] = np.nan
                if raw.loc[row, "parents_separated"] == 1:
                    raw.loc[row, ["parents_separated", "custody"]] = [2, np.nan]
            elif item == "months":
                if raw.loc[row, "parent_away"] == 1:
                    custody = raw.loc[row, "custody"]
                    parent = ("mother" if custody == 1 else "father" if custody == 2
                              else rng.choice(["mother", "father"]))
                    raw.loc[row, f"{parent}_months"] = np.nan
                else:
                    raw.loc[row, "parent_away"] = np.nan
            else:
                raw.loc[row, item] = np.nan
    return raw


def invalid_rows(valid: pd.DataFrame, counts: dict[str, int], rng: np.random.Generator,
                 ) -> tuple[pd.DataFrame, list[str], np.ndarray]:
    """Invalid returns built from valid rows (``valid`` has ``qid`` and ``school``).

    ``blank`` and ``no_consent`` keep only the school (and consent = 2), ``duplicate_id`` is
    an exact second entry of a valid questionnaire (same qid), ``straight_lining`` gives one
    code to every rating item of another child's answers. Blank, refused and straight-lined
    rows get ``qid`` NaN (the caller numbers them). Also returns the row numbers used.
    """
    rows, rules = [], []
    answer_cols = [c for c in valid.columns if c not in ("qid", "school")]
    pick = rng.choice(len(valid), size=sum(counts.values()), replace=False)
    for i, (rule, row_no) in enumerate(zip([r for r, k in counts.items() for _ in range(k)], pick)):
        row = valid.iloc[row_no].copy()
        if rule in ("blank", "no_consent"):
            row[answer_cols] = np.nan
            if rule == "no_consent":
                row["consent"] = 2
        elif rule == "straight_lining":
            row[RATING_ITEMS] = float(rng.integers(1, 5))
        if rule != "duplicate_id":
            row["qid"] = np.nan
        rows.append(row)
        rules.append(rule)
    return pd.DataFrame(rows).reset_index(drop=True), rules, pick


def straight_lined(raw: pd.DataFrame) -> pd.Series:
    """True where all fourteen rating items are answered with one identical code."""
    block = raw[RATING_ITEMS]
    return block.notna().all(axis=1) & (block.nunique(axis=1) == 1)


def validity_counts(n_invalid: int, mix: dict[str, float]) -> dict[str, int]:
    """Whole numbers of invalid returns per rule, summing to ``n_invalid``."""
    return dict(zip(mix, exact_counts(list(mix.values()), n_invalid).tolist()))
