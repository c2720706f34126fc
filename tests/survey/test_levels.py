"""survey.levels.resolve_level: the reference as a code, a code as text or a value label."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import DataError, StudyFileError
from leftbehind.survey.levels import data_levels, describe_levels, resolve_level

CARE = pd.Series([1.0, 2.0, np.nan, 3.0, 2.0], name="care")
LABELS = {1: "Both parents at home", 2: "Mother away", 3: "Father away", 4: "Both away"}


@pytest.mark.parametrize("reference", [1, 1.0, np.int64(1), np.float64(1.0), "1", "1.0", "Both parents at home"])
def test_every_way_of_naming_code_1(reference):
    level = resolve_level(CARE, reference, labels=LABELS, variable="care")
    assert level == 1 and type(level) is int


def test_text_levels_and_their_labels():
    migration = pd.Series(pd.Categorical(["none", "mother", "none"]))
    labels = {"none": "No parent away", "mother": "Mother only away"}
    assert resolve_level(migration, "none", labels=labels, variable="migration") == "none"
    assert resolve_level(migration, "No parent away", labels=labels, variable="migration") == "none"


def test_levels_of_the_data_without_labels():
    assert resolve_level(CARE, "3", labels=None, variable="care") == 3
    assert resolve_level(pd.Series([0.5, 1.5]), 1.5, labels=None, variable="dose") == 1.5


@pytest.mark.parametrize("reference", ["Grandparents", 5, "5", True, 1.5])
def test_unknown_reference(reference):
    with pytest.raises(StudyFileError) as info:
        resolve_level(CARE, reference, labels=LABELS, variable="care", file="study.toml", line=12)
    err = info.value
    assert err.message == f"reference level {reference!r} is not a code or value label of 'care'"
    assert err.location.key == "analysis.reference" and err.location.line == 12
    assert err.hint == ('use one of 1 = "Both parents at home", 2 = "Mother away", 3 = "Father away", '
                        '4 = "Both away"')


def test_labelled_level_absent_from_the_data():
    with pytest.raises(DataError) as info:
        resolve_level(CARE, "Both away", labels=LABELS, variable="care")
    assert info.value.message == "reference level 4 ('Both away') of 'care' does not occur in the data"
    assert info.value.hint.startswith('levels in the data: 1 = "Both parents at home", 2 = "Mother away"')


def test_a_label_that_is_another_code_is_ambiguous():
    with pytest.raises(StudyFileError, match=r"names two codes, 1 \(as a label\) and 2 \(as a code\)"):
        resolve_level(pd.Series([1, 2]), "2", labels={1: "2", 2: "1"}, variable="siblings")
    # the same code both ways is not ambiguous
    assert resolve_level(pd.Series([0, 1, 2]), "1", labels={0: "0", 1: "1", 2: "2+"}, variable="siblings") == 1


def test_no_cases_and_no_labels():
    with pytest.raises(StudyFileError) as info:
        resolve_level(pd.Series([np.nan]), 1, labels=None, variable="care")
    assert info.value.hint == "'care' has no cases and no value labels"


def test_data_levels_and_descriptions():
    assert data_levels(pd.Series([3.0, 1.0, np.nan, 1.0])) == [1, 3]
    assert data_levels(pd.Series(["b", "a"])) == ["a", "b"]
    assert describe_levels([1, 2], {1.0: "home"}) == '1 = "home", 2'
