"""Quantitizing, exact tests and interviewee selection."""

import json
from pathlib import Path

import pandas as pd
import pytest

from leftbehind.errors import InputError
from leftbehind.mixed.exact import exact_test
from leftbehind.mixed.quantitize import flatten, quantitize
from leftbehind.mixed.select import by_residual, high_low, stratified

REFERENCE = Path(__file__).parents[1] / "reference" / "mixed" / "fisher.json"


@pytest.mark.parametrize("name", sorted(json.loads(REFERENCE.read_text())))
def test_exact_test_matches_r_fisher_test(name):
    case = json.loads(REFERENCE.read_text())[name]
    assert exact_test(case["table"]).p_value == pytest.approx(case["p_value"], rel=1e-9)


def test_exact_test_rejects_bad_tables():
    with pytest.raises(InputError):
        exact_test([[1, 2]])
    with pytest.raises(InputError):
        exact_test([[1, -2], [3, 4]])


def test_quantitize_presence_count_share_and_categories():
    codings = pd.DataFrame({
        "participant": ["a", "a", "a", "b", ""],
        "code": ["miss", "miss", "call", "call", "miss"],
        "document": ["d1", "d1", "d1", "d2", "d3"],
        "start": [0, 10, 50, 0, 0], "end": [20, 30, 60, 5, 9]})
    turns = pd.DataFrame({"participant": ["a", "a", "b", "c"], "document": ["d1", "d1", "d2", "d3"],
                          "start": [0, 60, 0, 0], "end": [50, 100, 10, 9]})
    q = quantitize(codings, turns)
    # a: two overlapping "miss" codings cover 0-30 = 30 characters of 90 spoken.
    assert q.loc["a", ("miss", "count")] == 2
    assert q.loc["a", ("miss", "share")] == pytest.approx(30 / 90)
    assert q.loc["b", ("call", "share")] == pytest.approx(0.5)
    assert q.loc["c"].sum() == 0  # the unattributed coding is ignored
    pooled = quantitize(codings, turns, categories={"longing": ["miss", "call"]})
    assert pooled.loc["a", ("longing", "count")] == 3
    assert pooled.loc["a", ("longing", "share")] == pytest.approx(40 / 90)
    assert list(flatten(pooled, measures=("presence",)).columns) == ["longing__presence"]


def test_quantitize_missing_column():
    with pytest.raises(InputError, match="start"):
        quantitize(pd.DataFrame({"participant": [], "code": [], "document": []}), pd.DataFrame())


def test_selection_strategies():
    frame = pd.DataFrame({"g": ["a"] * 5 + ["b"] * 2, "x": [1, 2, 3, 4, 5, 6, 7], "y": [7, 6, 5, 4, 3, 2, 1]},
                         index=[f"p{i}" for i in range(7)])
    chosen = stratified(frame, "g", n_per_group=3, seed=0)
    assert (chosen["g"] == "a").sum() == 3 and (chosen["g"] == "b").sum() == 2
    assert stratified(frame, "g", n_per_group=3, seed=0).index.equals(chosen.index)
    hl = high_low(frame, high="x", low="y", high_quantile=0.7, low_quantile=0.3)
    assert list(hl.index) == ["p5", "p6"] and "high x" in hl["reason"].iloc[0]

    class Model:
        formula = "y ~ x"
        residuals = pd.Series([0.1, -3.0, 2.5, 0.0, -0.2, 1.0, 4.0], index=frame.index)

    extreme = by_residual(Model(), frame, n=3)
    assert list(extreme.index) == ["p6", "p2", "p1"]
    assert list(by_residual(Model(), frame, n=2, kind="typical").index) == ["p3", "p0"]
    with pytest.raises(InputError):
        stratified(frame, "nope", n_per_group=1)


# --- joint displays ---------------------------------------------------------------------------

from leftbehind.mixed.joint_display import Hypothesis, joint_display  # noqa: E402
from leftbehind.mixed.link import link_informants  # noqa: E402


def small_study():
    """Six informants: three mother-only children (M1-M3), two others (N1, N2), one teacher (T1)."""
    people = pd.DataFrame({"participant": ["M1", "M2", "M3", "N1", "N2", "T1"],
                           "role": ["child"] * 5 + ["teacher"], "survey_id": [1, 2, 3, 4, 5, None]})
    survey = pd.DataFrame({"qid": [1, 2, 3, 4, 5, 6], "migration": ["mother"] * 3 + ["none", "father", "none"]})
    linked = link_informants(people, survey, id_column="qid", attributes=["migration"])
    linked["descriptor"] = linked["role"] + ", " + linked["participant"]
    text = "a segment long enough to be quoted in a joint display, written for the test"
    codings = pd.DataFrame({
        "participant": ["M1", "M1", "M2", "N1", "T1"], "code": ["belong", "belong", "belong", "belong", "belong"],
        "text": [text, text + " again", text, text, text], "document": ["d1", "d1", "d2", "d3", "d4"],
        "start": [0, 100, 0, 0, 0]})
    return linked, codings


def hypothesis(b, p, **kw):
    return Hypothesis(id="H1", statement="s", term={"b": b, "se": 1.0, "p": p, "ci_low": b - 2, "ci_high": b + 2},
                      expected_sign="-", codes=("belong",), focus="mother", **kw)


def test_joint_display_counts_and_shares():
    linked, codings = small_study()
    d = joint_display(hypothesis(-3.0, 0.01), codings, linked, group_column="migration")
    row = d.code_rows[0]
    # focus: M1 (2 segments) and M2 (1) of M1-M3; other linked: N1 (1) of N1, N2; T1 unlinked.
    assert (row["segments_focus"], row["participants_focus"]) == (3, 2)
    assert (row["segments_other"], row["participants_other"]) == (1, 1)
    assert (row["segments_unlinked"], row["participants_unlinked"]) == (1, 1)
    assert d.share_focus == pytest.approx(2 / 3) and d.share_other == pytest.approx(1 / 2)
    assert (d.verdict, d.qual_direction, d.suggested) == ("supported", "expected", "convergence")
    # quotes: one per participant, focus group first, pseudonym descriptors only
    assert [q["participant"] for q in d.quotes] == ["M1", "M2", "N1"]
    assert d.quotes[0]["descriptor"] == "child, M1"


@pytest.mark.parametrize("b,p,qual_expect,expected", [
    (-3.0, 0.20, "more", ("not supported", "complementarity")),   # survey null, interviews as expected
    (3.0, 0.01, "more", ("contradicted", "divergence")),           # survey against, interviews for
    (-3.0, 0.01, "less", ("supported", "divergence")),             # interviews show the opposite of "less"
])
def test_joint_display_meta_inference(b, p, qual_expect, expected):
    linked, codings = small_study()
    d = joint_display(hypothesis(b, p, qual_expect=qual_expect), codings, linked, group_column="migration")
    assert (d.verdict, d.suggested) == expected


def test_link_errors():
    people = pd.DataFrame({"participant": ["A"], "survey_id": ["99"]})
    with pytest.raises(InputError, match="99"):
        link_informants(people, pd.DataFrame({"qid": [1]}), id_column="qid")
    with pytest.raises(InputError, match="id column"):
        link_informants(people, pd.DataFrame({"x": [1]}), id_column="qid")
