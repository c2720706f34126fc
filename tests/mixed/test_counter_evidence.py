"""`counter_codes` change the joint display and its meta-inference (docs/study-file.md, [[hypotheses]])."""

import pandas as pd
import pytest

from leftbehind.mixed.joint_display import Hypothesis, joint_display

TEXT = "a segment long enough to be quoted in a joint display, written for the test"


def people():
    return pd.DataFrame({"participant": ["M1", "M2", "M3", "N1", "N2", "N3"],
                         "group": ["mother"] * 3 + ["none"] * 3,
                         "descriptor": [f"child, {p}" for p in ["M1", "M2", "M3", "N1", "N2", "N3"]]})


def codings(rows):
    return pd.DataFrame({"participant": [p for p, _ in rows], "code": [c for _, c in rows],
                         "text": [f"{TEXT} {i}" for i in range(len(rows))], "document": ["d"] * len(rows),
                         "start": [10 * i for i in range(len(rows))]})


def hypothesis(p=0.01, **kw):
    return Hypothesis(id="H1", statement="s", term={"b": -2.0, "se": 0.8, "p": p, "ci_low": -3.6, "ci_high": -0.4},
                      expected_sign="-", codes=("refuge",), focus="mother", **kw)


# supporting code: 2 of 3 mother-only children, 1 of 3 others (expected: more in focus)
# counter code: all 3 mother-only children, none of the others (against the hypothesis)
ROWS = [("M1", "refuge"), ("M2", "refuge"), ("N1", "refuge"),
        ("M1", "margin"), ("M2", "margin"), ("M3", "margin"), ("M3", "margin")]


def test_counter_codes_are_counted_quoted_and_cancel_the_supporting_codes():
    plain = joint_display(hypothesis(), codings(ROWS), people(), group_column="group")
    assert (plain.qual_direction, plain.suggested) == ("expected", "convergence")
    assert plain.counter_rows == () and plain.counter_quotes == ()
    d = joint_display(hypothesis(counter_codes=("margin",)), codings(ROWS), people(), group_column="group")
    row = d.counter_rows[0]
    assert (row["code"], row["segments_focus"], row["participants_focus"], row["participants_other"]) == \
        ("margin", 4, 3, 0)
    assert d.counter_share_focus == 1.0 and d.counter_share_other == 0.0
    # the supporting codes point the expected way, the counter-codes against it: the strand shows nothing
    assert (d.support_direction, d.counter_direction, d.qual_direction) == ("expected", "opposite", "none")
    assert d.suggested == "complementarity"
    assert [q["participant"] for q in d.counter_quotes] == ["M1", "M2", "M3"]
    assert {q["code"] for q in d.counter_quotes} == {"margin"}
    assert d.to_dict()["counter_codes"][0]["participants_focus"] == 3


def test_counter_codes_alone_can_turn_the_interview_strand_against():
    rows = [("M1", "refuge"), ("N1", "refuge"), ("M1", "margin"), ("M2", "margin")]  # support: 1/3 vs 1/3
    d = joint_display(hypothesis(counter_codes=("margin",)), codings(rows), people(), group_column="group")
    assert (d.support_direction, d.counter_direction, d.qual_direction, d.suggested) == \
        ("none", "opposite", "opposite", "divergence")
    # counter-codes carried by the others instead back the hypothesis up
    rows = [("M1", "refuge"), ("N1", "refuge"), ("N1", "margin")]
    d = joint_display(hypothesis(counter_codes=("margin",)), codings(rows), people(), group_column="group")
    assert (d.counter_direction, d.qual_direction, d.suggested) == ("expected", "expected", "convergence")


def test_other_terms_are_extra_survey_tests_with_their_own_verdict():
    others = {"Teacher attitude": {"b": -1.0, "se": 0.9, "p": 0.27, "ci_low": -2.8, "ci_high": 0.8},
              "Best friends": {"b": 1.5, "se": 0.5, "p": 0.003, "ci_low": 0.5, "ci_high": 2.5}}
    d = joint_display(hypothesis(other_terms=others), codings(ROWS), people(), group_column="group")
    assert [(t["label"], t["verdict"]) for t in d.other_tests] == [("Teacher attitude", "not supported"),
                                                                   ("Best friends", "contradicted")]
    assert d.to_dict()["other_tests"][1]["b"] == pytest.approx(1.5)
    assert joint_display(hypothesis(), codings(ROWS), people(), group_column="group").other_tests == ()
