"""Shared fixtures: the R reference values and the data sets both sides read."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
REF_DIR = ROOT / "tests" / "reference"


@pytest.fixture(scope="session")
def ref() -> dict:
    return json.loads((REF_DIR / "models" / "models.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def datasets() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(REF_DIR / "data" / f"models_{name}.csv")
            for name in ("petersen", "iris", "hunchun")}


def assert_close(actual: float, expected: float, *, what: str = "", rtol: float = 1e-8) -> None:
    """Relative agreement (well beyond 6 significant digits); p-values get rtol 1e-6."""
    actual = float(actual)
    assert math.isfinite(actual), what
    tol = rtol * abs(expected) + 1e-13
    assert abs(actual - expected) <= tol, f"{what}: {actual!r} != {expected!r}"


def compare_table(frame: pd.DataFrame, expected: dict, columns=("b", "se", "t", "p", "ci_low", "ci_high")) -> float:
    """Compare every column of a coefficient table with R's; return the max abs difference."""
    assert set(frame.index) == set(expected), (sorted(frame.index), sorted(expected))
    worst = 0.0
    for term, row in expected.items():
        for col in columns:
            if col not in row:
                continue
            rtol = 1e-6 if col == "p" else 1e-8
            assert_close(frame.loc[term, col], row[col], what=f"{term} {col}", rtol=rtol)
            worst = max(worst, abs(float(frame.loc[term, col]) - row[col]))
    return worst


@pytest.fixture(scope="session")
def close():
    return assert_close


@pytest.fixture(scope="session")
def compare():
    return compare_table
