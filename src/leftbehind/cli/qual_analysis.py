"""Commands of the qual_analysis group (layer L6): thin wrappers over the library."""

from __future__ import annotations

from leftbehind.cli._app import app, qual_app  # noqa: F401
