"""Time the vectorised power estimator against a loop of statsmodels fits on the same data.

Run from the repository root:  python bench/bench_power.py [--reps 1000] [--effect 0.5]

Both estimators see exactly the same simulated replicates (same seed, same batches), so the
table also shows that they reject in the same replicates and agree on every t statistic.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy import stats

from leftbehind.simulate.power import (batched_tests, coefficient_vector, make_design,
                                       simulate_batches, simulate_power)

HUNCHUN = {"none": 368, "mother": 29, "father": 123, "both": 85}


def loop_statsmodels(batches, column: int, *, formula_api: bool, design) -> np.ndarray:
    import pandas as pd
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    out = []
    group = np.repeat(design.levels, design.sizes)
    name = f"C(g, Treatment('{design.levels[0]}'))[T.{design.columns[column][:-2]}]:m"
    mcol = design.columns.index("moderator")
    for x, y in batches:
        for r in range(x.shape[0]):
            if formula_api:
                frame = pd.DataFrame({"y": y[r], "g": group, "m": x[r, :, mcol]})
                fit = smf.ols(f"y ~ C(g, Treatment('{design.levels[0]}')) * m", data=frame).fit()
                out.append(fit.tvalues[name])
            else:
                out.append(sm.OLS(y[r], x[r]).fit().tvalues[column])
    return np.asarray(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=1000)
    parser.add_argument("--effect", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()

    design = make_design(HUNCHUN)
    beta = coefficient_vector(design, args.effect, target="mother")
    column = design.columns.index("mother_x")
    batches = list(simulate_batches(design, beta, n_reps=args.reps, seed=args.seed))
    crit = stats.t.ppf(0.975, design.n - len(design.columns))

    simulate_power(HUNCHUN, args.effect, target="mother", n_reps=10)  # warm-up (imports)
    start = time.perf_counter()
    res = simulate_power(HUNCHUN, args.effect, target="mother", n_reps=args.reps, seed=args.seed)
    t_end_to_end = time.perf_counter() - start

    start = time.perf_counter()
    t_vec = np.concatenate([batched_tests(x, y, [column])[0][:, 0] for x, y in batches])
    t_fit_only = time.perf_counter() - start

    rows = [("vectorised (simulate_power, incl. data)", t_end_to_end, res.power, 0.0),
            ("vectorised fits only", t_fit_only, float(np.mean(np.abs(t_vec) > crit)), 0.0)]
    for label, formula_api in (("loop sm.OLS(y, X)", False), ("loop smf.ols(formula)", True)):
        start = time.perf_counter()
        t_loop = loop_statsmodels(batches, column, formula_api=formula_api, design=design)
        elapsed = time.perf_counter() - start
        rows.append((label, elapsed, float(np.mean(np.abs(t_loop) > crit)),
                     float(np.max(np.abs(t_loop - t_vec)))))

    print(f"Power of the mother x moderator interaction, n = {design.n} "
          f"({', '.join(f'{k} {v}' for k, v in HUNCHUN.items())}), effect = {args.effect}, "
          f"{args.reps} replicates")
    print(f"{'method':42s} {'seconds':>9s} {'rel. time':>9s} {'power':>7s} {'max |dt|':>10s}")
    base = rows[0][1]
    for label, seconds, power, diff in rows:
        print(f"{label:42s} {seconds:9.3f} {seconds / base:8.1f}x {power:7.3f} {diff:10.2e}")


if __name__ == "__main__":
    main()
