"""The built-in derivation rules, table-driven: every branch of the parental migration rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leftbehind.errors import DataError, StudyFileError
from leftbehind.spec.model import Copy, Cut, ParentalMigration, Recode, Reverse
from leftbehind.survey.derive import (AWAY_MISSING, CUSTODY_UNKNOWN, DECEASED, MONTHS_MISSING, apply_rule, cut,
                                      parental_migration, recode, reverse)

N = np.nan
# away, mother months, father months, mother alive, father alive, separated, custody -> category, note
CASES = [
    # nobody away: months are not asked
    ("no parent away", 2, N, N, 1, 1, 2, N, "none", ""),
    ("no parent away, months given anyway", 2, 24, 24, 1, 1, 2, N, "none", ""),
    # the 6-month threshold is inclusive
    ("mother exactly 6 months", 1, 6, 0, 1, 1, 2, N, "mother", ""),
    ("mother 5 months", 1, 5, 0, 1, 1, 2, N, "none", ""),
    ("father exactly 6 months", 1, 0, 6, 1, 1, 2, N, "father", ""),
    ("father 5.9 months", 1, 0, 5.9, 1, 1, 2, N, "none", ""),
    ("both away", 1, 12, 36, 1, 1, 2, N, "both", ""),
    ("away answered yes but nobody 6 months", 1, 3, 2, 1, 1, 2, N, "none", ""),
    # blanks
    ("away unanswered", N, 12, 12, 1, 1, 2, N, None, AWAY_MISSING),
    ("away yes, mother months blank", 1, N, 12, 1, 1, 2, N, None, MONTHS_MISSING),
    ("away yes, father months blank", 1, 12, N, 1, 1, 2, N, None, MONTHS_MISSING),
    ("alive blank counts as alive", 1, 12, 0, N, N, 2, N, "mother", ""),
    # deceased parents are left out whatever else holds
    ("mother deceased", 1, 12, 12, 2, 1, 2, N, None, DECEASED),
    ("father deceased, nobody away", 2, N, N, 1, 2, 2, N, None, DECEASED),
    ("both deceased", 1, 0, 0, 2, 2, 2, N, None, DECEASED),
    ("deceased wins over blank away", N, N, N, 2, 1, 2, N, None, DECEASED),
    # separated: only the custodial parent counts
    ("separated, mother custody, father away", 1, 0, 12, 1, 1, 1, 1, "none", ""),
    ("separated, mother custody, both away", 1, 12, 12, 1, 1, 1, 1, "mother", ""),
    ("separated, father custody, both away", 1, 12, 12, 1, 1, 1, 2, "father", ""),
    ("separated, father custody, mother away", 1, 12, 0, 1, 1, 1, 2, "none", ""),
    ("separated, mother custody, other's months blank", 1, 12, N, 1, 1, 1, 1, "mother", ""),
    ("separated, mother custody, own months blank", 1, N, 12, 1, 1, 1, 1, None, MONTHS_MISSING),
    ("separated, custody unknown, away", 1, 12, 12, 1, 1, 1, N, None, CUSTODY_UNKNOWN),
    ("separated, custody unknown, nobody away", 2, N, N, 1, 1, 1, N, "none", ""),
    ("separated, custody code unknown", 1, 12, 12, 1, 1, 1, 3, None, CUSTODY_UNKNOWN),
    ("not separated, custody ignored", 1, 12, 12, 1, 1, 2, 1, "both", ""),
]
COLUMNS = ["away", "mm", "fm", "ma", "fa", "sep", "cust"]


@pytest.fixture(scope="module")
def classified():
    frame = pd.DataFrame([c[1:8] for c in CASES], columns=COLUMNS, index=[c[0] for c in CASES])
    return frame, parental_migration(frame, any_away="away", mother_months="mm", father_months="fm",
                                     mother_alive="ma", father_alive="fa", separated="sep", custody="cust")


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_parental_migration_branches(classified, case):
    _, (values, notes) = classified
    expected, note = case[8], case[9]
    got = values[case[0]]
    assert (got is np.nan or pd.isna(got)) if expected is None else got == expected
    assert notes[case[0]] == note


def test_categories_and_reference_order(classified):
    _, (values, _) = classified
    assert list(values.cat.categories) == ["none", "mother", "father", "both"]


def test_threshold_and_away_values_are_parameters():
    frame = pd.DataFrame({"away": ["yes", "yes", "no"], "mm": [7, 13, N], "fm": [0, 0, N]})
    values, _ = parental_migration(frame, any_away="away", away_values=["yes"], mother_months="mm",
                                   father_months="fm", threshold_months=12)
    assert values.tolist() == ["none", "mother", "none"]


def test_missing_months_as_zero():
    frame = pd.DataFrame({"away": [1, 1], "mm": [12, N], "fm": [N, N]})
    values, notes = parental_migration(frame, any_away="away", mother_months="mm", father_months="fm",
                                       missing_months="zero")
    assert values.tolist() == ["mother", "none"] and notes.tolist() == ["", ""]


def test_months_as_text_are_numbers():
    frame = pd.DataFrame({"away": [1], "mm": ["8"], "fm": ["x"]})
    values, notes = parental_migration(frame, any_away="away", mother_months="mm", father_months="fm")
    assert pd.isna(values.iloc[0]) and notes.iloc[0] == MONTHS_MISSING


def test_unknown_column():
    with pytest.raises(DataError, match="'gone'"):
        parental_migration(pd.DataFrame({"a": [1]}), any_away="gone", mother_months="a", father_months="a")


@pytest.mark.parametrize("values, mapping, default, expected", [
    ([1, 2, 3, 4, 5, 6], {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}, None, [1, 1, 2, 2, 3, 3]),
    ([0, 1, 2, 3, 4], {0: 0, 1: 1}, 2, [0, 1, 2, 2, 2]),
    ([1.0, 2.0, N], {1: 0, 2: 1}, None, [0, 1, N]),
    ([1, 7], {1: 0}, None, [0, N]),
])
def test_recode(values, mapping, default, expected):
    result = recode(pd.Series(values), map=mapping, default=default)
    np.testing.assert_array_equal(result.to_numpy(dtype=float), np.array(expected, dtype=float))


def test_recode_to_text_is_categorical_in_map_order():
    result = recode(pd.Series([2, 1, N]), map={2: "high", 1: "low"})
    assert list(result.cat.categories) == ["high", "low"] and result.tolist()[:2] == ["high", "low"]


@pytest.mark.parametrize("right, expected", [(True, ["a", "a", "b", None]), (False, ["a", "b", "b", None])])
def test_cut(right, expected):
    result = cut(pd.Series([1, 5, 7, 11]), breaks=[0, 5, 10], labels=["a", "b"], right=right)
    assert [None if pd.isna(v) else v for v in result.tolist()] == expected


def test_reverse():
    assert reverse(pd.Series([1, 2, 5, N]), range=(1, 5)).tolist()[:3] == [5, 4, 1]


def test_apply_rule_dispatch():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    assert apply_rule(frame, "c", Copy(rule="copy", source="a"))[0].tolist() == [1, 2, 3]
    assert apply_rule(frame, "r", Recode(rule="recode", source="a", map={"1": 9}))[0].tolist()[0] == 9
    assert apply_rule(frame, "k", Cut(rule="cut", source="a", breaks=[0, 2, 4]))[0].astype(str).tolist()[0] == "(0.0, 2.0]"
    assert apply_rule(frame, "v", Reverse(rule="reverse", source="a"), item_range=(1, 3))[0].tolist() == [3, 2, 1]
    rule = ParentalMigration(rule="parental_migration", any_away="a", mother_months="a", father_months="a")
    assert apply_rule(frame, "m", rule)[0].tolist() == ["none", "none", "none"]


def test_reverse_without_range_is_a_study_error():
    with pytest.raises(StudyFileError) as info:
        apply_rule(pd.DataFrame({"a": [1]}), "v", Reverse(rule="reverse", source="a"))
    assert info.value.location.key == "derived.v.range"


def classify_one(away, mm, fm, ma, fa, sep, cust, threshold=6):
    """The rule as documented in docs/study-file.md, written row by row as a second implementation."""
    if ma == 2 or fa == 2:
        return None, DECEASED
    if pd.isna(away):
        return None, AWAY_MISSING
    if away != 1:
        return "none", ""
    counts_mother, counts_father = True, True
    if sep == 1:
        if cust == 1:
            counts_father = False
        elif cust == 2:
            counts_mother = False
        else:
            return None, CUSTODY_UNKNOWN
    if (counts_mother and pd.isna(mm)) or (counts_father and pd.isna(fm)):
        return None, MONTHS_MISSING
    mother = counts_mother and mm >= threshold
    father = counts_father and fm >= threshold
    return ("both" if mother and father else "mother" if mother else "father" if father else "none"), ""


answer = st.sampled_from([1, 2, N])
months = st.sampled_from([N, 0, 1, 5, 5.5, 6, 6.5, 7, 12, 48])
row = st.tuples(answer, months, months, answer, answer, answer, st.sampled_from([1, 2, 3, N]))


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=40))
def test_parental_migration_matches_row_by_row_rule(rows):
    frame = pd.DataFrame(rows, columns=COLUMNS)
    values, notes = parental_migration(frame, any_away="away", mother_months="mm", father_months="fm",
                                       mother_alive="ma", father_alive="fa", separated="sep", custody="cust")
    expected = [classify_one(*r) for r in rows]
    assert [None if pd.isna(v) else v for v in values.tolist()] == [e[0] for e in expected]
    assert notes.tolist() == [e[1] for e in expected]
