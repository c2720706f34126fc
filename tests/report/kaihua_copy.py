"""A writable copy of the bundled interview-only example (``leftbehind.examples/kaihua``)."""

import shutil
from importlib.resources import files
from pathlib import Path


def kaihua_copy(folder: Path, *, replace: dict[str, str] | None = None) -> Path:
    """Copy the example to ``folder``, apply each ``old -> new`` to its study.toml; return ``folder``."""
    shutil.copytree(str(files("leftbehind.examples") / "kaihua"), folder)
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    toml.write_text(text, encoding="utf-8")
    return folder
