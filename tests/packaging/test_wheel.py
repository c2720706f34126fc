"""The built wheel carries everything the package reads at run time (examples, templates, migrations)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "leftbehind"


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory) -> set[str]:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (wheel,) = out.glob("leftbehind-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_every_non_python_file_of_the_package_is_in_the_wheel(wheel_files):
    data = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts]
    assert any("examples" in p.parts for p in data) and any(p.suffix == ".sav" for p in data)
    missing = [p.relative_to(ROOT / "src").as_posix() for p in data
               if p.relative_to(ROOT / "src").as_posix() not in wheel_files]
    assert not missing, missing


def test_the_wheel_has_no_tests_and_an_entry_point(wheel_files):
    assert not [name for name in wheel_files if name.startswith("tests/")]
    assert any(name.endswith(".dist-info/entry_points.txt") for name in wheel_files)
