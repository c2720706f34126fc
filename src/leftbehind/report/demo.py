"""``leftbehind demo``: copy the bundled example studies and run them end to end (layer L5).

The examples live in the repository's ``examples/`` folder (``hunchun``: the calibrated
synthetic survey with its published figures and linked interviews; ``kaihua``: the interview
study). The folder is
found beside the installed package source (an editable install or a source checkout) or at
``$LEFTBEHIND_EXAMPLES``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from leftbehind.errors import InputError



def examples_dir() -> Path:
    """The folder holding the bundled example studies."""
    env = os.environ.get("LEFTBEHIND_EXAMPLES")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[3] / "examples")
    for candidate in candidates:
        if (candidate / "hunchun" / "study.toml").is_file():
            return candidate
    raise InputError("the bundled example studies were not found",
                     hint="run from a source checkout installed with 'pip install -e .', "
                          "or set LEFTBEHIND_EXAMPLES to the repository's examples/ folder")


def copy_examples(folder: Path, *, force: bool = False) -> dict[str, Path]:
    """Copy the examples: the Hunchun study becomes ``folder`` itself, the Kaihua study ``folder/kaihua``.

    ``folder`` must not exist or be empty, unless ``force`` (then it is replaced).
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise InputError(f"the folder {folder} exists and is not empty",
                             hint="choose another folder or pass --force to replace it")
        shutil.rmtree(folder)
    source = examples_dir()
    ignore = shutil.ignore_patterns("output", "study.db*", "*.draft.*", "__pycache__")
    shutil.copytree(source / "hunchun", folder, ignore=ignore)
    copied = {"hunchun": folder}
    if (source / "kaihua").is_dir():
        shutil.copytree(source / "kaihua", folder / "kaihua", ignore=ignore)
        copied["kaihua"] = folder / "kaihua"
    return copied


def demo_steps() -> int:
    """Progress steps of :func:`run_demo` (for a progress bar)."""
    from leftbehind.report.outputs import planned_steps
    from leftbehind.spec import load_study

    source = examples_dir()
    return sum(planned_steps(load_study(source / name)) for name in ("hunchun", "kaihua")
               if (source / name / "study.toml").is_file())


def run_demo(folder: Path, *, force: bool = False, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Copy the examples into ``folder`` and run each; return the report files written.

    ``folder/output/`` gets the integrated report of the Hunchun example (survey, interviews,
    joint displays, replication); ``folder/kaihua/output/`` the interview report of the Kaihua example.
    """
    from leftbehind.report.outputs import run_and_write

    written = []
    for name, study in copy_examples(folder, force=force).items():
        out = run_and_write(study, progress=progress)
        written += [out / "report.html", out / "report.docx", out / "results.json"]
    return written
