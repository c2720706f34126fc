"""Time CR2 tests and the closed-form wild cluster bootstrap against refitting every draw.

Run from the repository root:  python bench/bench_few_clusters.py [--reps 9999]

Uses the 14-school synthetic Hunchun-like data set in tests/reference/data.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.models.ols import fit_ols
from leftbehind.models.small_clusters import cr2_tests
from leftbehind.models.wild_bootstrap import wild_cluster_bootstrap

DATA = Path(__file__).resolve().parents[1] / "tests" / "reference" / "data" / "models_hunchun.csv"
FORMULA = "depression ~ C(group, Treatment('none')) * belonging + girl + age + grade"
TERM = "C(group, Treatment('none'))[T.mother]"


def _refit_loop(res, draws: np.ndarray) -> np.ndarray:
    """The textbook WCR: build y* and refit with statsmodels for every draw (CR1 t of TERM)."""
    import statsmodels.api as sm

    x = np.asarray(res.sm_result.model.exog)
    y = np.asarray(res.sm_result.model.endog)
    groups = pd.factorize(res.estimation_data()["school"], sort=True)[0]
    k = list(res.coefficients.index).index(TERM)
    restricted = sm.OLS(y, np.delete(x, k, axis=1)).fit()
    out = np.empty(len(draws))
    for i, w in enumerate(draws):
        fit = sm.OLS(restricted.fittedvalues + restricted.resid * w[groups], x).fit(
            cov_type="cluster", cov_kwds={"groups": groups})
        out[i] = fit.tvalues[k]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=9999)
    parser.add_argument("--loop-reps", type=int, default=200)
    args = parser.parse_args()

    res = fit_ols(pd.read_csv(DATA), FORMULA, se="cluster:school")
    start = time.perf_counter()
    cr2_tests(res)
    t_cr2 = time.perf_counter() - start
    start = time.perf_counter()
    boot = wild_cluster_bootstrap(res, TERM, reps=args.reps, weights="webb", seed=1, keep_draws=True)
    t_boot = time.perf_counter() - start
    rng = np.random.default_rng(2)
    draws = rng.choice([-1.0, 1.0], size=(args.loop_reps, boot.n_clusters))
    start = time.perf_counter()
    looped = _refit_loop(res, draws)
    t_loop = time.perf_counter() - start
    closed = wild_cluster_bootstrap(res, TERM, draws=draws, keep_draws=True).t_star
    print(f"n = {res.n}, G = {boot.n_clusters}, k = {len(res.coefficients)}")
    print(f"{'step':<38}{'seconds':>10}")
    print(f"{'CR2 + Satterthwaite, all terms':<38}{t_cr2:>10.4f}")
    print(f"{'wild bootstrap, closed form, ' + str(args.reps):<38}{t_boot:>10.4f}")
    print(f"{'refit loop, ' + str(args.loop_reps) + ' draws':<38}{t_loop:>10.4f}")
    print(f"max |t* closed form - t* refit| = {np.max(np.abs(closed - looped)):.2e}")


if __name__ == "__main__":
    main()
