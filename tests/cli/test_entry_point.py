"""The CLI entry point: help stays light, usage errors are one-line exit-2 errors."""

import subprocess
import sys

HEAVY = ("pandas", "numpy", "statsmodels", "sqlalchemy", "matplotlib", "docx", "scipy", "jieba")


def run(*args):
    return subprocess.run([sys.executable, "-m", "leftbehind", *args], capture_output=True, text=True)


def test_help_imports_no_heavy_library():
    code = ("import sys; from leftbehind.cli.main import main; main(['--help']); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_command_group():
    out = run("--help").stdout
    for command in ("alpha", "efa", "ols", "slopes", "nested", "describe", "run", "check", "demo", "audit", "qual"):
        assert f"  {command} " in out


def test_usage_errors_exit_2_without_traceback():
    for args in (("alpha",), ("alpha", "x.csv", "--items", "a", "--bogus"), ("nosuch",), ("qual",)):
        proc = run(*args)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr


def test_missing_data_file(tmp_path):
    proc = run("alpha", str(tmp_path / "none.csv"), "--items", "a,b")
    assert proc.returncode == 2
    assert "none.csv" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
