"""The HTML report in a real browser: headless Chromium loads it without console messages.

The report has no scripts, so any console line (an error, a failed resource load, a blocked
data URI) is a defect. The screenshot is kept in ``test-artifacts/`` for a person to look at.
Chromium comes from Debian (``apt-get install chromium``); in CI the test must run.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from leftbehind.cli.main import main

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from small_study import make_small_study  # noqa: E402

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]

if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("Chromium is required in CI (apt-get install chromium)", pytrace=False)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


def chromium(url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *extra, url],
                          capture_output=True, text=True, timeout=120)


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if re.search(r":CONSOLE\(|:CONSOLE:|Uncaught", line)]


def test_console_detection_works(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<html><body><script>console.error("broken")</script></body></html>')
    assert console_lines(chromium(page.as_uri(), tmp_path, "--dump-dom").stderr)


def test_report_renders_without_console_messages(tmp_path):
    folder = make_small_study(tmp_path / "study")
    assert main(["run", str(folder)]) == 0
    report = folder / "output" / "report.html"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-small-study.png"
    proc = chromium(report.as_uri(), tmp_path, "--window-size=1200,4000", f"--screenshot={shot}")
    assert console_lines(proc.stderr) == []
    assert shot.is_file() and shot.stat().st_size > 50_000
    dom = chromium(report.as_uri(), tmp_path, "--dump-dom").stdout
    assert "group × moderator interactions" in dom and dom.count("<img") >= 2
