"""Fixtures for the study-file tests: the documented example and a writer of study files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "study-file.md"


def example_toml() -> str:
    """The complete example of docs/study-file.md (the last ```toml block)."""
    blocks = re.findall(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    return blocks[-1]


@pytest.fixture
def example() -> str:
    return example_toml()


@pytest.fixture
def write_study(tmp_path):
    """Write a study.toml into a fresh folder and return the folder."""
    def write(text: str) -> Path:
        (tmp_path / "study.toml").write_text(text, encoding="utf-8")
        return tmp_path
    return write
