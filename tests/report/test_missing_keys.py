"""`[missing]` keys `seed`, `maxit` and `donors` change the imputations of a study's models."""

import sys
from pathlib import Path

import numpy as np

from leftbehind.report.imputation import impute_study_models

sys.path.insert(0, str(Path(__file__).parent))
from test_imputation import make_frame, make_study  # noqa: E402


def pooled_b(**missing):
    imputed = impute_study_models(make_study(**missing), make_frame())
    return np.concatenate([p.coefficients["b"].to_numpy() for p in imputed.pooled.values()])


def test_seed_maxit_and_donors_change_the_imputations():
    base = pooled_b()
    np.testing.assert_array_equal(base, pooled_b())          # same keys, same numbers
    for key, value in (("seed", 12), ("maxit", 1), ("donors", 1)):
        assert not np.allclose(base, pooled_b(**{key: value}), rtol=0, atol=1e-12), key
