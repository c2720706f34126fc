"""Time chained-equations imputation on a survey-sized frame (900 rows, 16 variables).

Run from the repository root:  python bench/bench_mice.py [--m 20] [--maxit 10]

The frame has a four-category group (polyreg), a two-category sex (logreg) and 14 numeric
columns (pmm), each with about 4% of its values missing completely at random.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from leftbehind.models.impute import mice


def survey_frame(n: int = 900, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"group": rng.choice(["none", "mother", "father", "both"], n,
                                              p=[.6, .1, .2, .1]),
                          "sex": rng.choice(["boy", "girl"], n), "age": rng.normal(13, 1, n)})
    for j in range(13):
        frame[f"x{j}"] = rng.normal(size=n) + 0.3 * frame["age"]
    for column in frame.columns:
        frame.loc[rng.random(n) < 0.04, column] = np.nan
    return frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--m", type=int, default=20)
    parser.add_argument("--maxit", type=int, default=10)
    args = parser.parse_args()
    frame = survey_frame()
    start = time.perf_counter()
    imp = mice(frame, m=args.m, maxit=args.maxit, seed=1)
    seconds = time.perf_counter() - start
    print(f"| rows | variables | m | maxit | complete cases | seconds |\n|---:|---:|---:|---:|---:|---:|\n"
          f"| {len(frame)} | {frame.shape[1]} | {args.m} | {args.maxit} | {imp.n_complete_cases} "
          f"| {seconds:.1f} |")


if __name__ == "__main__":
    main()
