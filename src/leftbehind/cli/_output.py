"""Small helpers the command modules share: printing JSON and plain tables (layer L6)."""

from __future__ import annotations

import json
from typing import Any

import typer

from leftbehind._result import json_safe


def echo_json(data: Any) -> None:
    """Print ``data`` as indented UTF-8 JSON on standard output."""
    typer.echo(json.dumps(json_safe(data), indent=2, ensure_ascii=False))


def split_names(text: str) -> list[str]:
    """Split a comma-separated list of names, dropping blanks: ``"a, b,"`` -> ``["a", "b"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]
