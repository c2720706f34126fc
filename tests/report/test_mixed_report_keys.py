"""The mixed report honours `counter_codes`, `other_moderators` and a labelled `analysis.reference`."""

from types import SimpleNamespace as NS

import pandas as pd

from leftbehind.present.labels import Labels
from leftbehind.report.mixed_report import _display_table, joint_displays, power_cautions
from leftbehind.spec.mixed import Hypothesis as HypothesisSpec

TEXT = "a segment long enough to be quoted in a joint display, written for the test"


def model_set():
    def fit(b, p):
        return NS(coefficients=pd.DataFrame({"b": [b], "se": [0.9], "p": [p], "ci_low": [b - 1.8],
                                             "ci_high": [b + 1.8], "t": [b / 0.9]}, index=["mother:mod"]))
    models = {"belonging": fit(-2.5, 0.01), "attitude": fit(-0.4, 0.6), "friends": fit(2.6, 0.004)}
    return NS(models=models, term_keys={m: {"mother:mod": "mother_x"} for m in models})


def results(**hyp):
    given = {"id": "H1", "statement": "s", "table": "table4", "moderator": "belonging", "term": "mother_x", "expected_sign": "-",
             "focus": "mother", "codes": ["refuge"], **hyp}
    spec = HypothesisSpec(**given)
    study = NS(hypotheses=[spec], analysis=NS(group="migration", reference="Not migrant"))
    return NS(study=study, tables={"table4": model_set()}, reference="none",
              analysis_frame=pd.DataFrame({"migration": pd.Categorical(["none"] * 50 + ["mother"] * 12)}))


def linked():
    return pd.DataFrame({"participant": ["M1", "M2", "N1", "N2"], "migration": ["mother", "mother", "none", "none"],
                         "descriptor": ["child, M1", "child, M2", "child, N1", "child, N2"]})


CODINGS = pd.DataFrame({"participant": ["M1", "N1", "M1", "M2"], "code": ["refuge", "refuge", "margin", "margin"],
                        "text": [f"{TEXT} {i}" for i in range(4)], "document": ["d"] * 4, "start": [0, 0, 100, 0]})
LABELS = Labels(variables={"attitude": "Teacher attitude", "friends": "Best friends"})


def rows(table):
    return {(r.group, r.label): r.cells for r in table.rows}


def test_counter_codes_show_as_counter_evidence_and_enter_the_meta_inference():
    plain = joint_displays(results(), None, CODINGS, linked(), LABELS)[0]
    d = joint_displays(results(counter_codes=["margin"]), None, CODINGS, linked(), LABELS)[0]
    assert plain.qual_direction == "none" and d.qual_direction == "opposite"   # 2 of 2 vs 0 of 2 carry it
    assert (plain.suggested, d.suggested) == ("complementarity", "divergence")
    table = rows(_display_table(d, LABELS, (0.05, 0.01, 0.001)))
    assert table[("Qualitative strand: counter-evidence", "margin")][0] == "2 segments, 2 of 2"
    assert table[("Qualitative strand: counter-evidence", "Informants carrying any counter-code")][:2] == \
        ("100%", "0%")
    assert not any(g == "Qualitative strand: counter-evidence" for g, _ in rows(_display_table(plain, LABELS, ())))


def test_other_moderators_are_extra_survey_rows():
    d = joint_displays(results(other_moderators=["attitude", "friends"]), None, CODINGS, linked(), LABELS)[0]
    table = rows(_display_table(d, LABELS, (0.05, 0.01, 0.001)))
    assert table[("Quantitative strand", "Survey estimate, Teacher attitude")][2] == "not supported"
    assert table[("Quantitative strand", "Survey estimate, Best friends")][2] == "contradicted"
    assert table[("Quantitative strand", "Survey estimate, Best friends")][0].startswith("b = 2.60")
    plain = rows(_display_table(joint_displays(results(), None, CODINGS, linked(), LABELS)[0], LABELS, ()))
    assert [k for k in plain if k[0] == "Quantitative strand"] == [("Quantitative strand", "Survey estimate")]


def test_unknown_other_moderator_names_the_key():
    import pytest

    from leftbehind.errors import InputError

    with pytest.raises(InputError, match="nope") as err:
        joint_displays(results(other_moderators=["nope"]), None, CODINGS, linked(), LABELS)
    assert "other_moderators" in str(err.value)


def test_power_cautions_use_the_resolved_reference_not_the_label():
    run = results()
    displays = joint_displays(run, None, CODINGS, linked(), LABELS)
    notes = power_cautions(run, displays, LABELS)   # the study's reference is a label, "Not migrant"
    assert len(notes) == 1 and "has 12 children" in notes[0]


def display(**hyp):
    return joint_displays(results(**hyp), None, CODINGS, linked(), LABELS)[0]


def test_moderator_and_term_choose_the_survey_estimate():
    assert display().hypothesis.term["b"] == -2.5
    assert display(moderator="friends").hypothesis.term["b"] == 2.6
    import pytest

    from leftbehind.errors import InputError

    with pytest.raises(InputError, match="no term 'father_x'"):
        display(term="father_x")


def test_table_chooses_the_model_set():
    run = results(table="table3")
    other = model_set()
    other.models["belonging"].coefficients.loc["mother:mod", "b"] = -9.0
    run.tables["table3"] = other
    assert joint_displays(run, None, CODINGS, linked(), LABELS)[0].hypothesis.term["b"] == -9.0


def test_id_and_statement_title_the_display():
    spec = dict(id="H7", statement="Belonging buffers the absence")
    run = results()
    run.study.hypotheses[0] = run.study.hypotheses[0].model_copy(update=spec)
    d = joint_displays(run, None, CODINGS, linked(), LABELS)[0]
    assert _display_table(d, LABELS, ()).title == "Joint display H7: Belonging buffers the absence"


def test_expected_sign_decides_the_verdict():
    assert display().verdict == "supported"
    assert display(expected_sign="+").verdict == "contradicted"


def test_focus_and_codes_decide_the_counts():
    d = display()
    assert (d.n_focus, d.n_other, d.code_rows[0]["participants_focus"]) == (2, 2, 1)
    swapped = display(focus="none")
    assert swapped.code_rows[0]["participants_focus"] == 1 and swapped.hypothesis.focus == "none"
    assert display(codes=["margin"]).share_focus == 1.0 and display().share_focus == 0.5


def test_qual_expect_turns_the_interview_direction():
    assert display(codes=["margin"]).qual_direction == "expected"
    assert display(codes=["margin"], qual_expect="less").qual_direction == "opposite"


def test_meta_inference_and_memo_are_shown():
    d = display(meta_inference="divergence", memo="Both strands read together.")
    table = rows(_display_table(d, LABELS, ()))
    assert table[("Meta-inference", "Researcher")][0] == "divergence"
    assert rows(_display_table(display(), LABELS, ()))[("Meta-inference", "Researcher")][0] == "(none recorded)"
    assert d.to_dict()["meta_inference"]["memo"] == "Both strands read together."
