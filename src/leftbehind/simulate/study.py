"""Simulate a whole field study: raw questionnaires calibrated to a paper's published figures.

:func:`simulate_study` returns a :class:`SimulatedStudy`: the raw data set as it comes back
from the schools (every collected questionnaire, in questionnaire coding, blanks included,
invalid returns included), the hidden truth about each row (its group, why it is invalid or
incomplete) and the sample flow. :func:`write_study` writes it into a study folder as an SPSS
file with variable and value labels. Nothing depends on a bundled seed: every seed gives a
data set that meets the published figures (see :mod:`leftbehind.simulate.calibrate`).

Schools follow ``sample_flow``: the questionnaires distributed in ethnic-Korean and in Han
schools; school 1 is the (Korean) primary school, 2 the Korean secondary school, 3 and 4 the
Han secondary schools. Primary-school grades go to school 1, then Korean children fill the
Korean schools' share of the collected questionnaires, the rest go to the Han schools.

Examples
--------
>>> study = simulate_study(HUNCHUN_FIGURES, seed=7)                     # doctest: +SKIP
>>> study.flow["complete"], len(study.raw)                             # doctest: +SKIP
(605, 980)
>>> schools_frame(527, 532, collected={1: 90, 2: 400, 3: 250, 4: 240})["distributed"].tolist()
[97, 430, 271, 261]
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from leftbehind._atomic import write_text_atomic
from leftbehind._result import ResultMixin
from leftbehind.errors import AnalysisError, InputError
from leftbehind.simulate import questionnaire as q
from leftbehind.simulate.build import build_valid_cases
from leftbehind.simulate.design import exact_counts
from leftbehind.simulate.figures import load_figures

__all__ = ["SimulatedStudy", "simulate_study", "write_study", "hypothesis_terms", "schools_frame",
           "RAW_COLUMNS",
           "VALIDITY_MIX"]

RAW_COLUMNS = ["qid", "school", "consent", "gender", "age", "grade", "n_siblings", "ethnicity",
               "mother_edu", "father_edu", "parent_away", "mother_months", "father_months",
               "mother_alive", "father_alive", "parents_separated", "custody",
               *q.DEPRESSION, "belong", *q.TEACHER, "teacher_sat", "best_friends",
               "classmate_close", "peer_sat"]
#: Relative shares of the invalid returns by validity rule (in the order rules are checked).
VALIDITY_MIX = {"blank": 0.15, "no_consent": 0.3, "duplicate_id": 0.25, "straight_lining": 0.3}
SCHOOLS = {1: ("primary", "korean"), 2: ("secondary", "korean"), 3: ("secondary", "han"),
           4: ("secondary", "han")}


@dataclass(frozen=True)
class SimulatedStudy(ResultMixin):
    """A simulated field data set.

    Attributes
    ----------
    raw
        One row per collected questionnaire, columns :data:`RAW_COLUMNS` (floats, NaN blank).
    truth
        Same rows: ``qid``, ``status`` (``complete``, ``incomplete``, ``invalid``),
        ``reason`` (the validity rule or the blank answers), ``group`` (generating group).
    flow
        Sample flow: distributed, collected, invalid by rule, valid, complete, group sizes.
    schools
        School, level, language, distributed and collected questionnaires.
    seed
        The seed.
    calibration
        Structural solution summary (centring used, worst miss of the solver in SEs).
    """

    raw: pd.DataFrame = field(repr=False)
    truth: pd.DataFrame = field(repr=False)
    flow: dict[str, Any]
    schools: pd.DataFrame = field(repr=False)
    seed: int
    calibration: dict[str, Any] = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The raw questionnaires."""
        return self.raw

    def to_dict(self) -> dict[str, Any]:
        """Flow, schools and calibration summary (JSON-safe)."""
        return {"seed": self.seed, "flow": self.flow, "calibration": self.calibration,
                "schools": self.schools.to_dict(orient="records")}


def schools_frame(korean: int, han: int, *, collected: dict[int, int]) -> pd.DataFrame:
    """Distributed questionnaires per school: each language's total shared in proportion to
    the questionnaires collected there."""
    rows = []
    for language, total in (("korean", korean), ("han", han)):
        ids = [s for s, (_, lang) in SCHOOLS.items() if lang == language]
        dist = exact_counts([collected[s] for s in ids], total)
        rows += [{"school": s, "level": SCHOOLS[s][0], "language": language,
                  "distributed": int(d), "collected": int(collected[s])}
                 for s, d in zip(ids, dist)]
    return pd.DataFrame(rows)


def _flow_numbers(fig) -> tuple[int, int, int, int]:
    flow = fig.sample_flow
    complete = fig.n_total
    collected = int(flow.get("collected", complete))
    valid = int(flow.get("valid", complete))
    distributed = int(flow.get("distributed", collected))
    if not distributed >= collected >= valid >= complete:
        raise InputError("sample flow must shrink: distributed >= collected >= valid >= complete",
                         key="sample_flow", hint="check the printed counts")
    if flow.get("complete_cases", complete) != complete:
        raise InputError("complete_cases differs from the sum of the Table 1 group sizes",
                         key="sample_flow.complete_cases", hint="check table1.n")
    return distributed, collected, valid, complete


#: Table 1 rows the questionnaire writer codes into the instrument's raw columns.
INSTRUMENT_VARIABLES = ("gender", "age", "grade", "siblings", "ethnicity", "mother_education",
                        "father_education", "school_belonging", "teacher_attitude",
                        "teacher_satisfaction", "best_friends", "classmate_closeness",
                        "peer_satisfaction", "depression")


def _check_instrument(fig) -> None:
    known = set(fig.categorical) | set(fig.continuous)
    missing = [v for v in INSTRUMENT_VARIABLES if v not in known]
    if missing:
        raise InputError(f"the questionnaire writer needs Table 1 rows {missing}", key="table1",
                         hint="the raw questionnaire follows the Hunchun instrument; describe "
                         "the same variables, or use leftbehind.simulate.build for analysis "
                         "variables only")


def _school_of(raw: pd.DataFrame, korean_slots: int, rng: np.random.Generator) -> np.ndarray:
    """School per row: primary grades first into the Korean slots, then Korean children."""
    primary = raw["grade"].to_numpy() == raw["grade"].min()
    korean = raw["ethnicity"].to_numpy() == 2
    order = np.lexsort((rng.random(len(raw)), ~korean, ~primary))
    school = np.empty(len(raw), dtype=int)
    in_korean = np.zeros(len(raw), dtype=bool)
    in_korean[order[:korean_slots]] = True
    school[in_korean] = np.where(primary[in_korean], 1, 2)
    han = np.flatnonzero(~in_korean)
    school[han] = np.where(rng.permutation(len(han)) < len(han) // 2, 3, 4)
    if np.any(primary & ~in_korean):
        raise AnalysisError("more primary-school children than Korean-school questionnaires",
                            hint="check the grade percentages against the sample flow")
    return school


def _untangle_straight_lining(raw: pd.DataFrame) -> None:
    """Make sure no valid row meets the straight-lining rule (move one point between items)."""
    for row in raw.index[q.straight_lined(raw)]:
        v = raw.loc[row, "dep1"]
        if not 1 < v < 5:
            raise AnalysisError("a valid case straight-lines at the end of the scale",
                                hint="use another seed")
        raw.loc[row, ["dep1", "dep2"]] = [v - 1, v + 1]


def hypothesis_terms(study_file: str | os.PathLike) -> tuple[str, ...]:
    """The printed terms a study file's ``[[hypotheses]]`` test, as calibration labels
    (``<table>.<moderator>.<term>``, the table being the hypothesis' ``table`` or the first
    moderation table of ``[[model_tables]]``; ``<model>.<term>`` when a hypothesis names its
    model). The labels meet the published figures' model labels when the declared table is
    named as the published one up to its first ``_`` (``table4`` for ``table4_interactions``).

    Examples
    --------
    >>> from importlib.resources import files
    >>> hypothesis_terms(files("leftbehind") / "examples/hunchun/study.toml")
    ('table4.school_belonging.mother_x', 'table4.teacher_satisfaction.mother_x', 'table4.classmate_closeness.mother_x')
    """
    import tomllib

    try:
        spec = tomllib.loads(Path(study_file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("study file not found", file=str(study_file),
                         hint="give the path of a study.toml") from None
    from leftbehind.spec.tables import DEFAULT_TABLES

    declared = [t for t in spec.get("model_tables", []) if isinstance(t, dict)] or \
        [t.model_dump() for t in DEFAULT_TABLES]
    moderation = next((t.get("name") for t in declared if t.get("kind") == "moderation"), None)
    out = []
    for h in spec.get("hypotheses", []):
        if "term" not in h or not (h.get("model") or h.get("moderator")):
            continue
        out.append(f"{h['model']}.{h['term']}" if h.get("model")
                   else f"{h.get('table') or moderation}.{h['moderator']}.{h['term']}")
    return tuple(out)


def simulate_study(figures: dict[str, Any] | str | os.PathLike, *, seed: int,
                   validity_mix: dict[str, float] | None = None,
                   must_match: tuple[str, ...] = ()) -> SimulatedStudy:
    """Raw questionnaires whose complete cases reproduce a paper's published figures.

    Parameters
    ----------
    figures
        A published-figures dict or JSON path (``docs/published-figures.md``).
    seed
        Seed of every random draw; the same seed gives the same data.
    validity_mix
        Relative shares of the invalid returns by rule (default :data:`VALIDITY_MIX`).
    must_match
        Printed terms (``<table>.<moderator>.<term>``) whose significance stars
        must come out as printed, e.g. :func:`hypothesis_terms` of the study file; a draw
        that misses one is replaced by the next (see :mod:`leftbehind.simulate.build`).

    Returns
    -------
    SimulatedStudy
    """
    fig = load_figures(figures)
    _check_instrument(fig)
    distributed, collected, valid, complete = _flow_numbers(fig)
    mix = dict(VALIDITY_MIX if validity_mix is None else validity_mix)
    unknown = set(mix) - set(VALIDITY_MIX)
    if unknown:
        raise InputError(f"unknown validity rules {sorted(unknown)}", key="validity_mix",
                         hint=f"use {list(VALIDITY_MIX)}")
    n_incomplete, n_invalid = valid - complete, collected - valid
    s_plan, s_build, s_raw, s_missing, s_invalid, s_school = np.random.SeedSequence(seed).spawn(6)
    plans, factor_ok = q.plan_missing(n_incomplete, np.random.default_rng(s_plan))
    cases = build_valid_cases(fig, n_incomplete=n_incomplete, factor_ok=factor_ok, seed_seq=s_build,
                              must_match=tuple(must_match))
    frame = cases.frame
    threshold = int(fig.raw.get("migration_rule", {}).get("threshold_months", 6))
    raw = q.raw_answers(frame, np.random.default_rng(s_raw), threshold=threshold)
    derived = q.code_migration(raw, threshold=threshold)
    if not (derived[frame["complete"]] == frame.loc[frame["complete"], "group"]).all():
        raise AnalysisError("migration answers do not reproduce the groups (internal error)")
    incomplete_idx = frame.index[~frame["complete"]]
    raw.loc[incomplete_idx] = q.apply_missing(raw.loc[incomplete_idx], plans,
                                              np.random.default_rng(s_missing))
    _untangle_straight_lining(raw)
    truth = pd.DataFrame({"status": np.where(frame["complete"], "complete", "incomplete"),
                          "reason": [""] * complete + [",".join(p) for p in plans],
                          "group": frame["group"].to_numpy()})
    counts = q.validity_counts(n_invalid, mix)
    rng_inv, rng_school = np.random.default_rng(s_invalid), np.random.default_rng(s_school)
    n_dup = counts.pop("duplicate_id", 0)
    bad, rules, picked = q.invalid_rows(raw.assign(qid=np.nan, school=np.nan), counts, rng_inv)
    korean_slots = int(round(collected * fig.sample_flow.get("distributed_korean_schools",
                                                             distributed / 2) / distributed))
    all_rows = pd.concat([raw, bad[raw.columns]], ignore_index=True)
    templates = np.r_[np.arange(len(raw)), picked]
    dup_korean = int(round(n_dup * korean_slots / collected))
    school_of_unit = _school_of(raw.iloc[templates].reset_index(drop=True),
                                korean_slots - dup_korean, rng_school)
    all_rows["school"] = school_of_unit
    truth = pd.concat([truth, pd.DataFrame({"status": "invalid", "reason": rules,
                                            "group": frame["group"].to_numpy()[templates[len(raw):]]})],
                      ignore_index=True)
    # number the questionnaires within each school in a random order
    order = np.lexsort((rng_school.random(len(all_rows)), all_rows["school"].to_numpy()))
    all_rows, truth = all_rows.iloc[order].reset_index(drop=True), truth.iloc[order].reset_index(drop=True)
    all_rows["qid"] = all_rows["school"] * 1000 + all_rows.groupby("school").cumcount() + 1
    # duplicates: second entries of valid questionnaires, Korean and Han in proportion
    is_valid = (truth["status"] != "invalid").to_numpy()
    kor = np.flatnonzero(is_valid & all_rows["school"].isin([1, 2]).to_numpy())
    han = np.flatnonzero(is_valid & all_rows["school"].isin([3, 4]).to_numpy())
    originals = np.r_[rng_inv.choice(kor, dup_korean, replace=False),
                      rng_inv.choice(han, n_dup - dup_korean, replace=False)].astype(int)
    dups = all_rows.iloc[originals]
    dup_truth = truth.iloc[originals].assign(status="invalid", reason="duplicate_id")
    all_rows = pd.concat([all_rows, dups], ignore_index=True)
    truth = pd.concat([truth, dup_truth], ignore_index=True)
    order = np.argsort(all_rows["school"].to_numpy(), kind="stable")
    all_rows = all_rows.iloc[order].reset_index(drop=True)[RAW_COLUMNS].astype(float)
    truth = truth.iloc[order].reset_index(drop=True)
    truth.insert(0, "qid", all_rows["qid"].astype(int))
    schools = schools_frame(int(fig.sample_flow.get("distributed_korean_schools", distributed // 2)),
                            int(fig.sample_flow.get("distributed_han_schools",
                                                    distributed - distributed // 2)),
                            collected=all_rows["school"].value_counts().to_dict())
    flow = {"distributed": distributed, "collected": int(len(all_rows)),
            "invalid": {rule: int((truth["reason"] == rule).sum()) for rule in VALIDITY_MIX},
            "valid": int(is_valid.sum()), "incomplete": n_incomplete,
            "deceased_parent": int(sum(p == ("deceased",) for p in plans)),
            "complete": complete, "groups": dict(fig.n)}
    calibration = {"centred": cases.calibration.centred,
                   "solver_max_miss": cases.calibration.max_miss_se,
                   "quality": cases.quality,
                   "max_miss_se": max(map(abs, cases.calibration.misses.values())),
                   "max_r2_miss": max(map(abs, cases.calibration.r2_misses.values())),
                   "star_misses": list(cases.calibration.star_misses),
                   "unreachable_stars": list(cases.calibration.unreachable_stars),
                   "must_match": list(must_match),
                   "control_loadings": dict(cases.structure.control_loadings),
                   "moderator_loadings": dict(cases.structure.loadings)}
    return SimulatedStudy(raw=all_rows, truth=truth, flow=flow, schools=schools, seed=seed,
                          calibration=calibration)


STUDY_TEMPLATE = "hunchun.study.toml"
"""The study file written beside simulated data of the Hunchun instrument (package data)."""


def write_study(figures: dict[str, Any] | str | os.PathLike, out_dir: str | os.PathLike, *,
                seed: int, name: str = "questionnaires",
                must_match: tuple[str, ...] = ()) -> SimulatedStudy:
    """Simulate a study and write a complete study folder that ``leftbehind run`` analyses.

    Writes ``<out_dir>/study.toml``, ``data/<name>.sav`` (variable and value labels; blanks are
    system-missing), ``data/<name>.flow.json`` (why each case is invalid or incomplete) and
    ``data/published_figures.json`` (the figures, for the replication table). Nothing is
    written until the simulation has succeeded; each file is written atomically.
    """
    from importlib.resources import files

    from leftbehind.simulate.spss import write_labelled_sav

    raw_figures = figures if isinstance(figures, dict) else json.loads(Path(figures).read_text(encoding="utf-8"))
    study = simulate_study(raw_figures, seed=seed, must_match=must_match)
    data_dir = Path(out_dir) / "data"
    write_text_atomic(data_dir / "published_figures.json", json.dumps(raw_figures, indent=1, ensure_ascii=False) + "\n")
    template = files("leftbehind.simulate").joinpath(STUDY_TEMPLATE).read_text(encoding="utf-8")
    write_text_atomic(Path(out_dir) / "study.toml", template.replace("data/questionnaires.sav", f"data/{name}.sav"))
    write_labelled_sav(study.raw, data_dir / f"{name}.sav")
    write_text_atomic(data_dir / f"{name}.flow.json",
                      json.dumps(study.to_dict(), indent=1, sort_keys=True, default=float) + "\n")
    return study
