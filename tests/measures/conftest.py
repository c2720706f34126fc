"""Fixtures for the measures tests: reference values written by tests/reference/measures/make_reference.R."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
REF_DIR = ROOT / "reference" / "measures"
DATA_DIR = ROOT / "reference" / "data"


def load_ref(name: str) -> dict:
    """A JSON file written by make_reference.R."""
    return json.loads((REF_DIR / name).read_text(encoding="utf-8"))


def load_data(name: str) -> pd.DataFrame:
    """An input data set exported by make_reference.R."""
    return pd.read_csv(DATA_DIR / name)


@pytest.fixture(scope="session")
def ref_loader():
    """Access to the reference files: (load_ref, load_data, REF_DIR)."""
    return load_ref, load_data, REF_DIR
