"""The sample flow: distributed -> collected -> valid -> (included) -> complete cases (layer L2).

Examples
--------
>>> flow = SampleFlow.from_counts(distributed=1059, collected=980, valid=933)
>>> round(flow.response_rate, 2), round(flow.valid_response_rate, 2)
(92.54, 88.1)
>>> flow.to_frame()[["stage", "n"]].values.tolist()
[['distributed', 1059], ['collected', 980], ['valid', 933]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError
from leftbehind.survey.intake import close_match_hint, plain_code


@dataclass(frozen=True)
class FlowStage:
    """One stage of the sample flow."""

    stage: str
    n: int
    note: str = ""


@dataclass(frozen=True)
class CompleteCasesReport(ResultMixin):
    """What listwise deletion did: cases before and after, missing answers per variable."""

    columns: tuple[str, ...]
    n_before: int
    n_after: int
    missing: dict[str, int]
    dropped: tuple = ()

    def to_frame(self) -> pd.DataFrame:
        """Missing answers per variable (among the cases before deletion)."""
        return pd.DataFrame({"variable": list(self.missing), "missing": list(self.missing.values())})

    def to_dict(self) -> dict:
        """JSON-safe summary."""
        return {"columns": list(self.columns), "n_before": self.n_before, "n_after": self.n_after,
                "missing": dict(self.missing), "dropped": [plain_code(i) for i in self.dropped]}


def complete_cases(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, CompleteCasesReport]:
    """Keep the rows with an answer in every one of ``columns`` (listwise deletion).

    >>> frame = pd.DataFrame({"y": [1, None, 3], "x": [1, 2, None]})
    >>> kept, report = complete_cases(frame, ["y", "x"])
    >>> len(kept), report.missing
    (1, {'y': 1, 'x': 1})

    Raises
    ------
    InputError
        A column is not in ``frame``.
    """
    columns = list(dict.fromkeys(columns))
    for column in columns:
        if column not in frame.columns:
            raise InputError(f"column '{column}' is not in the data", column=column,
                             hint=close_match_hint(column, list(frame.columns), otherwise="compute it (scale, "
                                                   "factor or derived variable) before listwise deletion"))
    absent = frame[columns].isna()
    keep = ~absent.any(axis=1)
    report = CompleteCasesReport(columns=tuple(columns), n_before=int(len(frame)), n_after=int(keep.sum()),
                                 missing={c: int(absent[c].sum()) for c in columns},
                                 dropped=tuple(frame.index[~keep]))
    return frame.loc[keep], report


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class SampleFlow(ResultMixin):
    """Counts at each stage of the sample, with the rules and missing answers behind them.

    Attributes
    ----------
    stages
        In order: ``distributed`` (if known), ``collected``, ``valid``, ``included`` (when
        there are exclusions), ``complete`` (after :meth:`with_complete_cases`).
    distributed
        Questionnaires handed out (None if unknown).
    rule_counts
        One row per rule: step, reason, decisive (cases it removed), applies (cases it fits).
    missing
        For the listwise step: variable -> missing answers among the cases before it.
    """

    stages: tuple[FlowStage, ...]
    distributed: int | None = None
    rule_counts: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["step", "reason", "decisive", "applies"]))
    missing: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_counts(cls, *, collected: int, valid: int, distributed: int | None = None,
                    included: int | None = None, rule_counts: pd.DataFrame | None = None) -> "SampleFlow":
        """Build a flow from stage counts."""
        stages = [FlowStage("distributed", distributed)] if distributed is not None else []
        stages += [FlowStage("collected", collected),
                   FlowStage("valid", valid, _note(rule_counts, "range", "validity"))]
        if included is not None:
            stages.append(FlowStage("included", included, _note(rule_counts, "exclusion")))
        kwargs = {} if rule_counts is None else {"rule_counts": rule_counts}
        return cls(stages=tuple(stages), distributed=distributed, **kwargs)

    def n(self, stage: str) -> int | None:
        """The count at ``stage`` (None if the flow has no such stage)."""
        return next((s.n for s in self.stages if s.stage == stage), None)

    @property
    def response_rate(self) -> float | None:
        """Collected / distributed, in percent."""
        return None if not self.distributed else 100 * self.n("collected") / self.distributed

    @property
    def valid_response_rate(self) -> float | None:
        """Valid / distributed, in percent."""
        return None if not self.distributed else 100 * self.n("valid") / self.distributed

    def with_complete_cases(self, report: CompleteCasesReport) -> "SampleFlow":
        """The flow with a final ``complete`` stage from :func:`complete_cases`."""
        worst = sorted(report.missing.items(), key=lambda kv: -kv[1])
        note = "listwise deletion; missing: " + ", ".join(f"{k} {v}" for k, v in worst if v)
        stages = tuple(s for s in self.stages if s.stage != "complete")
        return replace(self, stages=(*stages, FlowStage("complete", report.n_after, note)),
                       missing=dict(report.missing))

    def to_frame(self) -> pd.DataFrame:
        """The flow table: stage, n, percent (of distributed, else of collected), note."""
        base = self.distributed or self.n("collected") or 0
        return pd.DataFrame({"stage": [s.stage for s in self.stages], "n": [s.n for s in self.stages],
                             "percent": [100 * s.n / base if base else float("nan") for s in self.stages],
                             "note": [s.note for s in self.stages]})

    def to_dict(self) -> dict:
        """JSON-safe: stages, rates, rule counts, missing answers per variable."""
        return {"stages": [{"stage": s.stage, "n": int(s.n), "note": s.note} for s in self.stages],
                "distributed": self.distributed, "response_rate": self.response_rate,
                "valid_response_rate": self.valid_response_rate,
                "rules": [{k: plain_code(v) for k, v in r.items()} for r in self.rule_counts.to_dict(orient="records")],
                "missing": dict(self.missing)}


def _note(rule_counts: pd.DataFrame | None, *steps: str) -> str:
    if rule_counts is None or rule_counts.empty:
        return ""
    rows = rule_counts[rule_counts["step"].isin(steps)]
    return "; ".join(f"{r.reason}: {r.decisive}" for r in rows.itertuples() if r.decisive)
