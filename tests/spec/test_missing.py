"""The ``[missing]`` section: defaults, validation, key paths in errors."""

from __future__ import annotations

import pytest

from leftbehind.errors import StudyFileProblems
from leftbehind.spec import load_study

MINIMAL = '[study]\ntitle = "t"\n\n[survey]\nfiles = ["q.csv"]\n'


def problems_of(folder):
    with pytest.raises(StudyFileProblems) as info:
        load_study(folder)
    return info.value.problems


def test_default_is_listwise(write_study):
    missing = load_study(write_study(MINIMAL)).missing
    assert (missing.method, missing.m, missing.maxit, missing.seed, missing.donors) == \
        ("listwise", 20, 10, None, 5)


def test_mice_section_loads(write_study):
    text = MINIMAL + '[missing]\nmethod = "mice"\nm = 40\nmaxit = 15\nseed = 7\nauxiliary = ["x"]\n'
    missing = load_study(write_study(text)).missing
    assert (missing.method, missing.m, missing.maxit, missing.seed, missing.auxiliary) == \
        ("mice", 40, 15, 7, ["x"])


def test_mice_needs_a_seed(write_study):
    (problem,) = problems_of(write_study(MINIMAL + '[missing]\nmethod = "mice"\n'))
    assert "needs a seed" in problem.message
    assert problem.location.key == "missing"


@pytest.mark.parametrize(("line", "key"), [("m = 1", "missing.m"), ("maxit = 0", "missing.maxit"),
                                           ('method = "hotdeck"', "missing.method"),
                                           ("seed = -1", "missing.seed")])
def test_bad_values_name_their_key(write_study, line, key):
    (problem,) = problems_of(write_study(MINIMAL + f"[missing]\n{line}\n"))
    assert problem.location.key == key


def test_unknown_key_is_an_error(write_study):
    (problem,) = problems_of(write_study(MINIMAL + "[missing]\nimputations = 5\n"))
    assert problem.location.key == "missing.imputations" and "maxit" in problem.hint
