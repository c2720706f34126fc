"""Settings shared by the whole test suite.

- ``--update-goldens`` rewrites the golden files under tests/golden instead of comparing with
  them (the ``golden`` fixture); without it a missing or different golden file fails.
- Tests that need PostgreSQL carry the ``postgres`` mark and are skipped, with the reason, when
  ``LEFTBEHIND_TEST_PG_URL`` is not set. Skips for any other reason are counted separately in
  the summary line (``N skipped beyond PostgreSQL``); under ``CI`` any skip fails the run, since
  CI installs everything the suite can use.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

# No per-example deadline (CI machines are slower than laptops); in CI the examples are derived
# from the test itself, so a run is repeatable and a failure can be reproduced.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

# The golden-file helpers and seed-table fixtures, importable as ``lb_golden`` by any test module.
if "lb_golden" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("lb_golden", Path(__file__).parent / "golden" / "_golden.py")
    assert _spec is not None and _spec.loader is not None
    sys.modules["lb_golden"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["lb_golden"])

BEYOND_POSTGRES = "skipped beyond PostgreSQL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite the golden files of tests/golden instead of comparing with them; "
                          "review git diff tests/golden before committing")


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """``golden(name, actual)`` compares ``actual`` with tests/golden/<name> (see the module docstring)."""
    update = bool(request.config.getoption("--update-goldens"))

    def check(name: str, actual: str) -> None:
        sys.modules["lb_golden"].check_golden(name, actual, update=update)

    return check


class _Counted:
    """An entry of the terminal reporter's stats: counted in the summary line only."""


def pytest_terminal_summary(terminalreporter) -> None:
    """Count the skips that are not PostgreSQL's into the summary line."""
    beyond = [r for r in terminalreporter.stats.get("skipped", []) if "postgres" not in r.keywords]
    if beyond:
        terminalreporter.stats[BEYOND_POSTGRES] = [_Counted() for _ in beyond]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if os.environ.get("CI") and skipped and exitstatus == 0:
        # CI has PostgreSQL, Chromium and LibreOffice: a skip there is a missing install step.
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"CI: {len(skipped)} test(s) skipped; every test must run in CI "
                                "(see the skip reasons above)", red=True)
