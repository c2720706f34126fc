"""Joint displays: each hypothesis's survey estimate beside the interview evidence (layer L3).

For a hypothesis the display shows the model estimate with its CI, p and a verdict; beside it,
the codes that bear on it with counts of segments and participants in the focus group (e.g.
mother-only migrant children) and among the other linked informants; exemplar quotes with
informant descriptors (pseudonyms only); and the meta-inference — the researcher's, from a
memo, and a suggestion computed from the direction of both strands:

- both strands point the same way (or both show nothing): **convergence**;
- one strand shows the expected pattern and the other shows nothing: **complementarity**;
- the strands point opposite ways: **divergence**.

Counter-codes (codes speaking against the hypothesis) are counted the same way and shown beside
the supporting codes, with their own quotes. They enter the interview strand's direction: the
supporting codes score +1 when they are carried as expected (``qual_expect``), -1 when the
other way; the counter-codes score -1 when they are carried *as the supporting codes are
expected to be* (e.g. more often in the focus group) and +1 when the other way; the strand
points the expected way when the sum is positive, the opposite way when negative, nowhere at 0.
Further survey tests of the same construct (``other_terms``, e.g. the interaction of a second
moderator) are shown as additional survey rows with their own verdicts.

Examples
--------
>>> import pandas as pd
>>> h = Hypothesis(id="H1", statement="Belonging buffers", term={"b": -3.2, "se": 1.4, "p": 0.02,
...                "ci_low": -5.9, "ci_high": -0.5}, expected_sign="-", codes=("belonging",), focus="mother")
>>> codings = pd.DataFrame({"participant": ["a", "a", "b"], "code": ["belonging"] * 3,
...                         "text": ["x" * 60, "y" * 50, "z" * 80], "document": ["d"] * 3, "start": [0, 70, 200]})
>>> people = pd.DataFrame({"participant": ["a", "b", "c"], "group": ["mother", "none", "none"],
...                        "descriptor": ["child, 12", "child, 13", "child, 11"]})
>>> d = joint_display(h, codings, people, group_column="group")
>>> d.verdict, d.suggested, [r["participants_focus"] for r in d.code_rows]
('supported', 'convergence', [1])
>>> codings.loc[2, "code"] = "margin"          # b's segment now speaks against the hypothesis
>>> h2 = Hypothesis(id="H1", statement="s", term=h.term, expected_sign="-", codes=("belonging",),
...                 counter_codes=("margin",), focus="mother")
>>> d2 = joint_display(h2, codings, people, group_column="group")
>>> [r["participants_other"] for r in d2.counter_rows], d2.counter_direction, d2.qual_direction
([1], 'expected', 'expected')

R/Stata: the counts are ``table(participant %in% carriers, group)`` per code; the meta-inference
is the researcher's (this module only suggests one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from leftbehind._result import ResultMixin
from leftbehind.errors import InputError

META_INFERENCES = ("convergence", "complementarity", "divergence")


@dataclass(frozen=True)
class Hypothesis:
    """A hypothesis with its quantitative test result and the codes that bear on it.

    ``term`` holds the estimate of the tested term: ``b``, ``se``, ``p``, ``ci_low``, ``ci_high``.
    ``qual_expect`` says whether the codes are expected ``"more"`` or ``"less"`` often in the
    focus group than among the other informants.
    """

    id: str
    statement: str
    term: Mapping[str, float]
    expected_sign: str
    codes: tuple[str, ...]
    focus: str
    term_label: str = ""
    qual_expect: str = "more"
    memo: str = ""
    researcher_inference: str = ""
    alpha: float = 0.05
    counter_codes: tuple[str, ...] = ()
    """Codes speaking against the hypothesis."""
    other_terms: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """Further survey tests of the same construct, by label (e.g. another moderator's
    interaction), each with ``b``, ``se``, ``p``, ``ci_low``, ``ci_high``."""

    def __post_init__(self) -> None:
        if self.expected_sign not in ("+", "-"):
            raise InputError(f"hypothesis {self.id}: expected_sign must be '+' or '-'", key=f"hypotheses.{self.id}")
        if self.qual_expect not in ("more", "less"):
            raise InputError(f"hypothesis {self.id}: qual_expect must be 'more' or 'less'", key=f"hypotheses.{self.id}")
        if self.researcher_inference and self.researcher_inference not in META_INFERENCES:
            raise InputError(f"hypothesis {self.id}: meta-inference '{self.researcher_inference}' is not one of "
                             f"{', '.join(META_INFERENCES)}", key=f"hypotheses.{self.id}")


@dataclass(frozen=True)
class JointDisplay(ResultMixin):
    """One hypothesis's joint display (see the module docstring)."""

    hypothesis: Hypothesis
    verdict: str
    quant_direction: str
    qual_direction: str
    share_focus: float | None
    share_other: float | None
    code_rows: tuple[dict[str, Any], ...]
    quotes: tuple[dict[str, str], ...]
    suggested: str
    reason: str
    n_focus: int = 0
    n_other: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    counter_rows: tuple[dict[str, Any], ...] = ()
    counter_quotes: tuple[dict[str, str], ...] = ()
    counter_share_focus: float | None = None
    counter_share_other: float | None = None
    support_direction: str = "none"
    """The direction of the supporting codes alone; ``qual_direction`` adds the counter-codes."""
    counter_direction: str = "none"
    """``"expected"`` when the counter-codes are carried against the hypothesis's expectation
    (so they do not undercut it), ``"opposite"`` when carried as the supporting codes should be."""
    other_tests: tuple[dict[str, Any], ...] = ()
    """Per entry of ``hypothesis.other_terms``: ``label``, the term's figures and a ``verdict``."""

    def to_dict(self) -> dict[str, Any]:
        h = self.hypothesis
        return {"id": h.id, "statement": h.statement, "term": dict(h.term), "term_label": h.term_label,
                "expected_sign": h.expected_sign, "verdict": self.verdict, "focus": h.focus,
                "quant_direction": self.quant_direction, "qual_direction": self.qual_direction,
                "share_focus": self.share_focus, "share_other": self.share_other,
                "n_focus": self.n_focus, "n_other": self.n_other,
                "codes": [dict(r) for r in self.code_rows], "quotes": [dict(q) for q in self.quotes],
                "counter_codes": [dict(r) for r in self.counter_rows],
                "counter_quotes": [dict(q) for q in self.counter_quotes],
                "counter_share_focus": self.counter_share_focus, "counter_share_other": self.counter_share_other,
                "support_direction": self.support_direction, "counter_direction": self.counter_direction,
                "other_tests": [dict(t) for t in self.other_tests],
                "meta_inference": {"researcher": h.researcher_inference or None, "memo": h.memo or None,
                                   "suggested": self.suggested, "reason": self.reason}}

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(list(self.code_rows))


def _quant(h: Hypothesis, term: Mapping[str, float] | None = None) -> tuple[str, str]:
    term = h.term if term is None else term
    b, p = float(term["b"]), float(term["p"])
    sign_ok = (b < 0) == (h.expected_sign == "-")
    if p < h.alpha:
        return ("supported", "expected") if sign_ok else ("contradicted", "opposite")
    return "not supported", "none"


def _suggest(quant: str, qual: str) -> tuple[str, str]:
    if quant == qual:
        text = "both strands show the expected pattern" if quant == "expected" else (
            "neither strand shows the expected pattern" if quant == "none" else "both strands point against it")
        return "convergence", text
    if "none" in (quant, qual):
        shows = "the survey" if quant != "none" else "the interviews"
        return "complementarity", f"only {shows} show a pattern; the other strand adds no contrary evidence"
    return "divergence", "the survey and the interviews point in opposite directions"


def _pick_quotes(codings, people, focus: str, group_column: str, *, limit: int, min_len: int = 40, max_len: int = 400):
    pool = codings.merge(people[["participant", group_column, "descriptor"]], on="participant", how="left")
    pool = pool[pool["text"].str.len().between(min_len, max_len)].copy()
    pool["in_focus"] = pool[group_column] == focus
    pool["closeness"] = (pool["text"].str.len() - 160).abs()
    pool = pool.sort_values(["in_focus", "closeness", "document", "start"], ascending=[False, True, True, True])
    pool = pool.drop_duplicates("participant")
    return tuple({"participant": r.participant, "descriptor": r.descriptor if isinstance(r.descriptor, str) else "",
                  "text": r.text, "code": r.code} for r in pool.head(limit).itertuples())


def joint_display(hypothesis: Hypothesis, codings, people, *, group_column: str, quotes: int = 3) -> JointDisplay:
    """Build the joint display of ``hypothesis``.

    ``codings``: the store's codings (``participant, code, text, document, start``);
    ``people``: linked participants with ``participant``, ``group_column`` (the survey group, empty
    when unlinked) and ``descriptor`` (an informant descriptor, pseudonyms only).
    """
    for column in ("participant", group_column, "descriptor"):
        if column not in people.columns:
            raise InputError(f"the informants frame lacks '{column}'", column=column)
    h = hypothesis
    linked = people[people[group_column].notna() & (people[group_column] != "")]
    focus_people = set(linked.loc[linked[group_column] == h.focus, "participant"])
    other_people = set(linked["participant"]) - focus_people
    support = _strand(codings, h.codes, focus_people, other_people, h.qual_expect)
    counter = _strand(codings, h.counter_codes, focus_people, other_people, h.qual_expect)
    counter_dir = {"expected": "opposite", "opposite": "expected"}.get(counter["direction"], "none")
    score = _SCORE[support["direction"]] + _SCORE[counter_dir]
    qual_dir = "expected" if score > 0 else ("opposite" if score < 0 else "none")
    verdict, quant_dir = _quant(h)
    suggested, reason = _suggest(quant_dir, qual_dir)
    others = tuple({"label": label, **{k: float(v) for k, v in term.items()}, "verdict": _quant(h, term)[0]}
                   for label, term in h.other_terms.items())
    return JointDisplay(h, verdict, quant_dir, qual_dir, support["share_focus"], support["share_other"],
                        support["rows"], _pick_quotes(support["codings"], people, h.focus, group_column, limit=quotes),
                        suggested, reason, n_focus=len(focus_people), n_other=len(other_people),
                        counter_rows=counter["rows"],
                        counter_quotes=_pick_quotes(counter["codings"], people, h.focus, group_column, limit=quotes),
                        counter_share_focus=counter["share_focus"], counter_share_other=counter["share_other"],
                        support_direction=support["direction"], counter_direction=counter_dir, other_tests=others)


_SCORE = {"expected": 1, "opposite": -1, "none": 0}


def _strand(codings, codes: Sequence[str], focus_people: set, other_people: set, qual_expect: str) -> dict[str, Any]:
    """Counts per code, shares of carriers and the direction of a set of codes (see the module docstring)."""
    relevant = codings[codings["code"].isin(codes)]
    rows = []
    for code in codes:
        these = relevant[relevant["code"] == code]
        in_focus = these[these["participant"].isin(focus_people)]
        in_other = these[these["participant"].isin(other_people)]
        unlinked = these[~these["participant"].isin(focus_people | other_people)]
        rows.append({"code": code, "segments_focus": len(in_focus), "participants_focus": in_focus["participant"].nunique(),
                     "segments_other": len(in_other), "participants_other": in_other["participant"].nunique(),
                     "segments_unlinked": len(unlinked), "participants_unlinked": unlinked["participant"].nunique()})
    carriers = set(relevant["participant"])
    share_focus = len(carriers & focus_people) / len(focus_people) if focus_people and codes else None
    share_other = len(carriers & other_people) / len(other_people) if other_people and codes else None
    if share_focus is None or share_other is None or share_focus == share_other:
        direction = "none"
    else:
        direction = "expected" if (share_focus > share_other) == (qual_expect == "more") else "opposite"
    return {"rows": tuple(rows), "codings": relevant, "share_focus": share_focus, "share_other": share_other,
            "direction": direction}


def hypothesis_from_spec(spec: Mapping[str, Any], term: Mapping[str, float], *, codes: Sequence[str],
                         term_label: str = "") -> Hypothesis:
    """A :class:`Hypothesis` from a ``[[hypotheses]]`` entry of study.toml and the fitted term."""
    return Hypothesis(id=spec["id"], statement=spec["statement"], term=term, expected_sign=spec["expected_sign"],
                      codes=tuple(codes), focus=spec["focus"], term_label=term_label,
                      qual_expect=spec.get("qual_expect", "more"), memo=spec.get("memo", ""),
                      researcher_inference=spec.get("meta_inference", ""),
                      counter_codes=tuple(spec.get("counter_codes", ())))
