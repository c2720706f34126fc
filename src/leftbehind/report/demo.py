"""``leftbehind demo``: copy the bundled example studies and run them end to end (layer L5).

The examples live in the repository's ``examples/`` folder (``hunchun``: the calibrated
synthetic survey with its published figures; ``kaihua``: the interview study). The folder is
found beside the installed package source (an editable install or a source checkout) or at
``$LEFTBEHIND_EXAMPLES``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from leftbehind.errors import InputError

EXAMPLES = ("hunchun", "kaihua")


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
    """Copy every example study into ``folder`` (which must not exist, unless ``force``)."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        if not force:
            raise InputError(f"the folder {folder} exists and is not empty",
                             hint="choose another folder or pass --force to replace it")
        shutil.rmtree(folder)
    source = examples_dir()
    copied = {}
    for name in EXAMPLES:
        if (source / name).is_dir():
            target = folder / name
            shutil.copytree(source / name, target, ignore=shutil.ignore_patterns("output", "study.db*", "*.draft.*"))
            copied[name] = target
    return copied


def run_demo(folder: Path, *, force: bool = False, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Copy the examples into ``folder`` and run each; return the report files written."""
    from leftbehind.report.outputs import run_and_write

    copied = copy_examples(folder, force=force)
    written = []
    out = run_and_write(copied["hunchun"], progress=progress)
    written += [out / "report.html", out / "report.docx", out / "results.json"]
    return written
