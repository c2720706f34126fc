"""Shared fixtures: simulated studies and an analysis derived from their raw answers.

The derivation below is written from the declared rules (validity rules, migration rule,
recodes, sum score, one-factor regression score) and does not call the generator's code.
The factor score uses the closed form of a one-factor model on three items, where minres
fits exactly: loading_i = sqrt(r_ij r_ik / r_jk); regression weights = R^-1 loadings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

#: The Hunchun paper's printed figures, as kept with the bundled example.
FIGURES_PATH = Path(__file__).parents[2] / "src/leftbehind/examples/hunchun/data/published_figures.json"
#: The team's transcription of the paper they were made from (tests/reference/data).
TRANSCRIPTION_PATH = Path(__file__).parents[2] / "tests/reference/data/wang2023_published_figures.json"

DEP = [f"dep{j}" for j in range(1, 7)]
TEACHER = ["teach_life", "teach_guardian", "teach_praise"]
RATING = DEP + ["belong"] + TEACHER + ["teacher_sat", "best_friends", "classmate_close", "peer_sat"]
CONTROLS = ["girl", "age", "grade", "siblings", "korean", "mother_education", "father_education"]
MODERATORS = {"school_belonging": "belong", "teacher_attitude": None,
              "teacher_satisfaction": "teacher_sat", "best_friends": "best_friends",
              "classmate_closeness": "classmate_close", "peer_satisfaction": "peer_sat"}
#: model_conventions of the figures file, as printed there in words
UNCENTRED_TABLE4 = {"school_belonging"}
#: The bundled example's study file: its [[hypotheses]] name the tested terms.
STUDY_PATH = Path(__file__).parents[2] / "src/leftbehind/examples/hunchun/study.toml"


def hypothesis_tests() -> list[tuple[str, str]]:
    """(model, term) of each hypothesis of the bundled study: the interaction term of the
    moderator's interaction model (docs/study-file.md)."""
    import tomllib

    spec = tomllib.loads(STUDY_PATH.read_text(encoding="utf-8"))
    return [(f"table4.{h['moderator']}", h["term"]) for h in spec["hypotheses"]]


def figures() -> dict:
    return json.loads(FIGURES_PATH.read_text(encoding="utf-8"))


def validity(raw: pd.DataFrame) -> pd.Series:
    """'' for valid rows, else the first rule the row breaks."""
    answers = [c for c in raw.columns if c not in ("qid", "school")]
    rule = pd.Series("", index=raw.index)
    blank = raw[answers].isna().all(axis=1)
    refused = raw["consent"] != 1
    duplicate = raw["qid"].duplicated(keep="first")
    block = raw[RATING]
    straight = block.notna().all(axis=1) & (block.nunique(axis=1) == 1)
    for name, mask in [("straight_lining", straight), ("duplicate_id", duplicate),
                       ("no_consent", refused), ("blank", blank)]:
        rule[mask] = name
    return rule


def migration(raw: pd.DataFrame) -> pd.Series:
    out = []
    for r in raw.itertuples():
        if r.mother_alive != 1 or r.father_alive != 1 or np.isnan(r.parent_away):
            out.append(None)
            continue
        if r.parent_away == 2:
            out.append("none" if not np.isnan(r.parents_separated) else None)
            continue
        if r.parents_separated == 1:
            months = {1: r.mother_months, 2: r.father_months}.get(r.custody, np.nan)
            who = {1: "mother", 2: "father"}.get(r.custody)
            out.append(None if np.isnan(months) else (who if months >= 6 else "none"))
            continue
        if np.isnan(r.parents_separated) or np.isnan(r.mother_months) or np.isnan(r.father_months):
            out.append(None)
            continue
        m, f = r.mother_months >= 6, r.father_months >= 6
        out.append("both" if m and f else "mother" if m else "father" if f else "none")
    return pd.Series(out, index=raw.index, dtype=object)


def three_item_scores(items: pd.DataFrame) -> pd.Series:
    ok = items.dropna()
    r = np.corrcoef(ok.to_numpy(float), rowvar=False)
    lam = np.array([np.sqrt(r[0, 1] * r[0, 2] / r[1, 2]), np.sqrt(r[0, 1] * r[1, 2] / r[0, 2]),
                    np.sqrt(r[0, 2] * r[1, 2] / r[0, 1])])
    z = (ok - ok.mean()) / ok.std(ddof=1)
    return pd.Series(z.to_numpy() @ np.linalg.solve(r, lam), index=ok.index).reindex(items.index)


def derive(raw: pd.DataFrame) -> pd.DataFrame:
    """Analysis variables of the valid rows."""
    v = raw[validity(raw) == ""].copy()
    edu = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}
    d = pd.DataFrame(index=v.index)
    d["migration"] = migration(v)
    d["depression"] = v[DEP].sum(axis=1, min_count=6).where(v[DEP].notna().all(axis=1))
    d["girl"] = (v["gender"] == 2).astype(float).where(v["gender"].notna())
    d["age"], d["grade"] = v["age"], v["grade"]
    d["siblings"] = v["n_siblings"].clip(upper=2)
    d["korean"] = (v["ethnicity"] == 2).astype(float).where(v["ethnicity"].notna())
    d["mother_education"] = v["mother_edu"].map(edu)
    d["father_education"] = v["father_edu"].map(edu)
    for name, col in MODERATORS.items():
        d[name] = three_item_scores(v[TEACHER]) if col is None else v[col]
    for g in ("mother", "father", "both"):
        d[g] = (d["migration"] == g).astype(float)
    return d


def complete_cases(d: pd.DataFrame) -> pd.DataFrame:
    need = ["migration", "depression", *CONTROLS, *MODERATORS]
    return d.dropna(subset=need).copy()


@pytest.fixture(scope="session")
def hunchun_figures() -> dict:
    return figures()


_CACHE: dict[int, object] = {}


@pytest.fixture(scope="session")
def simulated():
    """simulated(seed) -> SimulatedStudy, cached for the session."""
    from leftbehind.simulate import simulate_study

    def get(seed: int):
        if seed not in _CACHE:
            terms = tuple(f"{m}.{t}" for m, t in hypothesis_tests())
            _CACHE[seed] = simulate_study(figures(), seed=seed, must_match=terms)
        return _CACHE[seed]
    return get


@pytest.fixture(scope="session")
def tools():
    """This module: the derivation helpers above (test modules cannot import conftest)."""
    return sys.modules[__name__]
