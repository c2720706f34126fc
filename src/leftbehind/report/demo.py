"""``leftbehind demo``: copy the bundled example studies and run them end to end (layer L5).

The examples ship inside the package (``leftbehind/examples/``, read with
:mod:`importlib.resources`, so a wheel has them as well as a source checkout): ``hunchun``, the
calibrated synthetic survey with its published figures and linked interviews, and ``kaihua``,
the interview study.

Examples
--------
>>> sorted(example_names())
['hunchun', 'kaihua']
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from leftbehind.errors import InputError

#: Files of a study folder that a run makes; never copied from the examples.
_NOT_COPIED = ("output", "study.db", "__pycache__")


def examples_root() -> Traversable:
    """The package folder holding the bundled example studies."""
    return files("leftbehind") / "examples"


def example_names() -> list[str]:
    """Names of the bundled example studies (each a folder with a ``study.toml``)."""
    return sorted(entry.name for entry in examples_root().iterdir()
                  if entry.is_dir() and (entry / "study.toml").is_file())


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(_NOT_COPIED) or ".draft." in entry.name:
            continue
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


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
    root, names = examples_root(), example_names()
    if "hunchun" not in names:
        raise InputError("the bundled example studies are missing from the installed package",
                         hint="reinstall leftbehind (pip install --force-reinstall leftbehind)")
    copied = {"hunchun": folder}
    _copy_tree(root / "hunchun", folder)
    for name in names:
        if name != "hunchun":
            copied[name] = folder / name
            _copy_tree(root / name, folder / name)
    return copied


def demo_steps(studies: dict[str, Path]) -> int:
    """Progress steps of :func:`run_examples` over the copied ``studies`` (for a progress bar)."""
    from leftbehind.report.outputs import planned_steps
    from leftbehind.spec import load_study

    return sum(planned_steps(load_study(study)) for study in studies.values())


def run_examples(studies: dict[str, Path], *, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Run each copied example study; return the report files written (HTML, DOCX, JSON)."""
    from leftbehind.report.outputs import run_and_write

    written = []
    for study in studies.values():
        out = run_and_write(study, progress=progress)
        written += [out / "report.html", out / "report.docx", out / "results.json"]
    return written


def run_demo(folder: Path, *, force: bool = False, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Copy the examples into ``folder`` and run each; return the report files written.

    ``folder/output/`` gets the integrated report of the Hunchun example (survey, interviews,
    joint displays, replication); ``folder/kaihua/output/`` the interview report of the Kaihua
    example. There is no R or Stata equivalent: this is the program's own tour.
    """
    return run_examples(copy_examples(folder, force=force), progress=progress)
