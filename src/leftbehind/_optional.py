"""Optional imports that fail with an error naming the install command (layer L0).

Examples
--------
>>> json = optional_import("json")
>>> json.dumps([1])
'[1]'
"""

from __future__ import annotations

import importlib
from types import ModuleType

from leftbehind.errors import MissingDependencyError


def optional_import(module: str, *, package: str | None = None, purpose: str = "this feature") -> ModuleType:
    """Import ``module`` or raise :class:`MissingDependencyError` naming ``pip install PACKAGE``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - exercised only without the package
        name = package or module.split(".")[0]
        raise MissingDependencyError(
            f"{purpose} needs the Python package '{name}', which is not installed ({exc})",
            hint=f"pip install {name}",
        ) from exc
