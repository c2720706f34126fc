"""Properties every rotation must keep, checked on the psych reference data (independent of R)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from leftbehind.errors import AnalysisError, InputError
from leftbehind.measures import efa
from leftbehind.measures.rotation import oblimin, promax, rotate, varimax

ITEMS = [f"{t}{i}" for t in "NEA" for i in range(1, 6)]


@pytest.fixture(scope="module")
def unrotated(ref_loader):
    _, load_data, _ = ref_loader
    fit = efa(load_data("measures_bfi.csv"), ITEMS, n_factors=3, rotation="none")
    return fit.loadings.to_numpy()


@pytest.mark.parametrize("func", [varimax, promax, oblimin])
def test_rotation_reproduces_the_common_part(unrotated, func):
    rotated, phi = func(unrotated)
    phi = np.eye(rotated.shape[1]) if phi is None else phi
    # an admissible rotation leaves the model-implied correlations L Phi L' unchanged
    assert rotated @ phi @ rotated.T == pytest.approx(unrotated @ unrotated.T, abs=1e-10)
    assert np.diag(phi) == pytest.approx(np.ones(rotated.shape[1]), abs=1e-10)


def test_rotate_one_factor_is_identity():
    a = np.array([[0.5], [0.6], [0.7]])
    out, phi = rotate(a, "promax")
    assert phi is None and np.array_equal(out, a)
    with pytest.raises(InputError):
        rotate(a, "bentler")


def test_singular_items_are_reported():
    rng = np.random.default_rng(2)
    df = pd.DataFrame(rng.normal(size=(50, 3)), columns=["a", "b", "c"])
    df["total"] = df[["a", "b", "c"]].sum(axis=1)
    with pytest.raises(AnalysisError) as info:
        efa(df, n_factors=1)
    assert "total" in str(info.value) and info.value.hint
