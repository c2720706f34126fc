"""Sample size for an interaction: the standardised SE, the search, and agreement with simulation."""

import numpy as np
import pytest
import statsmodels.api as sm

from leftbehind.errors import InputError
from leftbehind.simulate.sample_size import effect_from_estimate, exact_power, size_for_power, standardised_se

SIZES = {"none": 368, "mother": 29, "father": 123, "both": 85}


def test_standardised_se_equals_an_ols_fit_with_unit_variances():
    rng = np.random.default_rng(3)
    groups, moderator = [], []
    for level, n in SIZES.items():
        m = rng.standard_normal(n)
        moderator.append((m - m.mean()) / m.std(ddof=1))  # unit sample variance in every group
        groups += [level] * n
    m = np.concatenate(moderator)
    g = np.array(groups)
    dummies = np.column_stack([(g == level).astype(float) for level in ("mother", "father", "both")])
    x = np.column_stack([np.ones_like(m), dummies, m, dummies * m[:, None]])
    # With unit residual variance the coefficient covariance is (X'X)^-1.
    se = np.sqrt(np.linalg.inv(x.T @ x)[5, 5])
    assert standardised_se(SIZES, target="mother") == pytest.approx(se, rel=1e-12)
    # and statsmodels agrees on the same design with a residual SD of 1 (scale fixed)
    fit = sm.OLS(rng.standard_normal(len(m)), x).fit()
    assert np.sqrt(fit.normalized_cov_params[5, 5]) == pytest.approx(se, rel=1e-12)


def test_exact_power_equals_the_noncentral_t_formula():
    # df = 605 - 8 = 597; ncp = 0.45 / sqrt(1/28 + 1/367); power = P(|T'| > t_.975)
    from scipy import stats

    ncp = 0.45 / np.sqrt(1 / 28 + 1 / 367)
    crit = stats.t.ppf(0.975, 597)
    expected = stats.nct.sf(crit, 597, ncp) + stats.nct.cdf(-crit, 597, ncp)
    assert exact_power(SIZES, 0.45, target="mother") == pytest.approx(expected, rel=1e-12)


def test_effect_from_estimate_scales_t():
    effect = effect_from_estimate(-3.244, 1.39, SIZES, target="mother")
    assert effect == pytest.approx(-3.244 / 1.39 * np.sqrt(1 / 28 + 1 / 367))


def test_size_is_the_smallest_reaching_power():
    effect = 0.45
    result = size_for_power(SIZES, effect, target="mother", power=0.8, n_reps=2000, seed=5)
    below = dict(SIZES, mother=result.size_exact - 1)
    at = dict(SIZES, mother=result.size_exact)
    assert exact_power(at, effect, target="mother") >= 0.8 > exact_power(below, effect, target="mother")
    assert result.current_power < 0.8
    assert result.simulated.power >= 0.8 and result.size >= result.size_exact
    # the simulation varies the moderator's spread, so it needs a few more cases, not many more
    assert result.size <= 1.3 * result.size_exact


def test_bad_arguments():
    with pytest.raises(InputError):
        size_for_power(SIZES, 0.4, target="grandma")
    with pytest.raises(InputError):
        size_for_power(SIZES, 0.4, target="mother", power=1.5)
    with pytest.raises(InputError):
        effect_from_estimate(1.0, 0.0, SIZES, target="mother")
