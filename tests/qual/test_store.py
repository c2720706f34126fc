"""Opening, creating and migrating the store."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from leftbehind.errors import StoreError
from leftbehind.qual import query as q
from leftbehind.qual import services as sv
from leftbehind.qual import store as st


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path):
    with st.init_store(tmp_path / "s") as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        sv.add_family(store, "F01")
    with sqlite3.connect(tmp_path / "s" / "study.db") as raw:  # foreign keys are off here
        raw.execute("PRAGMA foreign_keys=ON")
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("INSERT INTO participant (pseudonym, role, family_id, attributes) VALUES ('x', 'child', 99, '{}')")


def test_open_store_needs_an_existing_store(tmp_path):
    with pytest.raises(StoreError, match="no qualitative store") as err:
        st.open_store(tmp_path)
    assert "qual init" in err.value.hint
    sqlite3.connect(tmp_path / "other.db").execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(StoreError, match="holds no leftbehind store"):
        st.open_store(tmp_path / "other.db")


def test_upgrade_backs_up_the_sqlite_file_first(tmp_path, monkeypatch):
    study = tmp_path / "s"
    with st.init_store(study) as store:
        sv.add_family(store, "F01")
    migrations = tmp_path / "migrations"
    shutil.copytree(st.MIGRATIONS, migrations)
    (migrations / "versions" / "0002_test.py").write_text(
        'import sqlalchemy as sa\nfrom alembic import op\n'
        'revision = "0002"\ndown_revision = "0001"\nbranch_labels = None\ndepends_on = None\n\n'
        'def upgrade():\n    op.add_column("family", sa.Column("note", sa.Text()))\n', encoding="utf-8")
    monkeypatch.setattr(st, "MIGRATIONS", migrations)
    with st.open_store(study) as store:
        assert store.revision() == "0002"
    backups = list(study.glob("study.db.bak-0001-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert old.execute("SELECT name FROM family").fetchall() == [("F01",)]
        assert "note" not in [r[1] for r in old.execute("PRAGMA table_info(family)")]
    monkeypatch.setattr(st, "MIGRATIONS", st.Path(st.__file__).with_name("migrations"))
    with pytest.raises(StoreError, match="unknown to this version"):
        st.open_store(study)


def test_store_reopens_with_its_data(store_target):
    with st.init_store(store_target) as store:
        sv.add_family(store, "F01", left_behind_age="2")
    with st.open_store(store_target) as store:
        assert q.families_frame(store)["left_behind_age_months"].tolist() == [24]
        assert store.revision() == st.head_revision()


def test_left_behind_ages_of_the_published_family_table():
    """Every value of Zhao et al.'s Table 1 (tests/reference/data) parses as documented."""
    import csv
    import pathlib

    from leftbehind.qual._write import parse_left_behind_age

    table = pathlib.Path(__file__).parents[1] / "reference" / "data" / "zhao2018_family_table.csv"
    with table.open(encoding="utf-8") as handle:
        values = [row["child_age_when_left_behind"] for row in csv.DictReader(handle)]
    assert len(values) == 30
    for value in values:
        if value.isdigit():
            expected = int(value) * 12  # the table gives whole years
        elif value == "Shortly after birth":
            expected = 0
        else:  # "Unknown", "A few months", "5 or 6": kept as text, no number invented
            assert value in ("Unknown", "A few months", "5 or 6")
            expected = None
        assert parse_left_behind_age(value) == expected, value


def test_reads_do_not_wait_for_a_writer_in_another_connection(tmp_path):
    with st.init_store(tmp_path / "s") as writer, st.open_store(tmp_path / "s") as reader:
        sv.add_family(writer, "F01")
        with writer.transaction():
            sv.add_family(writer, "F02")  # uncommitted, holding the write lock
            assert q.families_frame(reader)["family"].tolist() == ["F01"]
        assert q.families_frame(reader)["family"].tolist() == ["F01", "F02"]
