"""Time the vectorised bootstrap against a loop of statsmodels fits on the same resamples.

Run from the repository root:  python bench/bench_bootstrap.py [--reps 2000]

Uses the moderation model of the synthetic Hunchun-like data set in tests/reference/data.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from leftbehind.models.bootstrap import bootstrap_ols, resample_indices
from leftbehind.models.ols import fit_ols

DATA = Path(__file__).resolve().parents[1] / "tests" / "reference" / "data" / "models_hunchun.csv"
FORMULA = "depression ~ C(group, Treatment('none')) * belonging + girl + age + grade"


def main() -> None:
    import statsmodels.api as sm

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    res = fit_ols(pd.read_csv(DATA), FORMULA)
    bootstrap_ols(res, n_boot=10)  # warm-up
    start = time.perf_counter()
    boot = bootstrap_ols(res, n_boot=args.reps, seed=args.seed)
    t_vec = time.perf_counter() - start

    x = np.asarray(res.sm_result.model.exog)
    y = np.asarray(res.sm_result.model.endog)
    start = time.perf_counter()
    loop = [sm.OLS(y[i], x[i]).fit().params
            for batch in resample_indices(res.n, n_boot=args.reps, seed=args.seed) for i in batch]
    t_loop = time.perf_counter() - start
    diff = float(np.max(np.abs(np.vstack(loop) - boot.draws.to_numpy())))

    print(f"Case bootstrap of {len(res.terms)} coefficients, n = {res.n}, {args.reps} replicates")
    print(f"{'method':28s} {'seconds':>9s} {'rel. time':>9s} {'max |db|':>10s}")
    print(f"{'vectorised bootstrap_ols':28s} {t_vec:9.3f} {1.0:8.1f}x {0.0:10.2e}")
    print(f"{'loop sm.OLS(y, X)':28s} {t_loop:9.3f} {t_loop / t_vec:8.1f}x {diff:10.2e}")


if __name__ == "__main__":
    main()
