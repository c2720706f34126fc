"""Loads the shared golden-file helpers of tests/golden/_golden.py as the module ``lb_golden``."""

import importlib.util
import sys
from pathlib import Path

if "lb_golden" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("lb_golden", Path(__file__).parents[1] / "golden" / "_golden.py")
    sys.modules["lb_golden"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["lb_golden"])
