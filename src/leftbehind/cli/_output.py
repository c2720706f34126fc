"""Small helpers the command modules share: printing JSON and plain tables (layer L6)."""

from __future__ import annotations

import json
import math
from typing import Any

import typer


def _clean(value: Any) -> Any:
    """Make ``value`` JSON-safe: NaN/inf become None, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def echo_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON on standard output."""
    typer.echo(json.dumps(_clean(data), indent=2, ensure_ascii=False))


def split_names(text: str) -> list[str]:
    """Split a comma-separated list of names, dropping blanks: ``"a, b,"`` -> ``["a", "b"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]
