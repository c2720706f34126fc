"""`[qual] database` puts a study's store in that database instead of ``study.db`` in its folder."""

import json
import sys
from pathlib import Path

import pytest

from leftbehind.cli.main import main

sys.path.insert(0, str(Path(__file__).parents[1] / "report"))
from kaihua_copy import kaihua_copy  # noqa: E402

PRIMARY = 'primary_coder = "coder_a"\n'


def _qual(folder: Path, capsys) -> dict:
    assert main(["run", str(folder)]) == 0
    capsys.readouterr()
    return json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))["qual"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """A fresh database outside the study folder: a SQLite file by URL, or the PostgreSQL test database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared' / 'team.db'}"
        return
    url, reset = request.getfixturevalue("pg_url_reset")
    reset(url)
    yield url
    reset(url)


def test_database_holds_the_store_of_a_run(tmp_path, capsys, database_url):
    if database_url.startswith("sqlite"):
        (tmp_path / "shared").mkdir()
    plain = kaihua_copy(tmp_path / "plain")
    shared = kaihua_copy(tmp_path / "shared_study", replace={PRIMARY: PRIMARY + f'database = "{database_url}"\n'})
    expected = _qual(plain, capsys)
    assert (plain / "study.db").exists()
    first = _qual(shared, capsys)
    assert not (shared / "study.db").exists()
    assert (shared / "output" / "report.html").exists()
    for key in ("documents", "codes", "categories", "codings", "interviews", "saturation", "agreement"):
        assert first[key] == expected[key], key
    if database_url.startswith("sqlite"):
        assert (tmp_path / "shared" / "team.db").exists()
    # a second run opens the filled database and does not load the folder again
    assert _qual(shared, capsys)["codings"] == expected["codings"]
    assert not (shared / "study.db").exists()
