"""Loading a study folder of CSV/TOML files into the store in one transaction (layer L2).

The files, their columns and the order they are read in are specified in
``docs/qual-formats.md``; :data:`FOLDER_FILES` is that order. Every error names the file
and row (the header is row 1).

Examples
--------
>>> import tempfile, pathlib
>>> from leftbehind.qual.store import init_store
>>> from leftbehind.qual.query import families_frame
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "families.csv").write_text(
...     "family,village,township,migration_pattern,caregivers,left_behind_age\\n"
...     "F01,V1,T1,both parents,grandparents,Shortly after birth\\n", encoding="utf-8")
>>> store = init_store(d)
>>> load_folder(store, d).loaded
('families.csv',)
>>> families_frame(store)["left_behind_age_months"].tolist()
[0]
>>> store.close()
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leftbehind._result import ResultMixin
from leftbehind.errors import DataError, StudyFileError
from leftbehind.qual import models as m
from leftbehind.qual import services as sv
from leftbehind.qual._write import check_choice, find
from leftbehind.qual.csvio import Row, located, read_rows
from leftbehind.qual.store import Store
from leftbehind.qual.transcripts import import_codings, import_manifest

PARTICIPANT_COLUMNS = ("participant", "family", "role", "age", "sex", "real_name")
CODEBOOK_COLUMNS = ("code", "parent", "description", "inclusion", "exclusion", "example", "colour")


def import_families(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """families.csv: ``family, village, township, migration_pattern, caregivers, left_behind_age``."""
    rows = read_rows(path, required=["family"])
    with store.transaction(actor=actor):
        for row in rows:
            with located(path, row.row):
                sv.add_family(store, row["family"], village=row.get("village"),
                              township=row.get("township"),
                              migration_pattern=row.get("migration_pattern"),
                              caregivers=row.get("caregivers"),
                              left_behind_age=row.get("left_behind_age"), actor=actor)
    return len(rows)


def import_participants(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """participants.csv: ``participant, family, role, age, sex, real_name``; columns named
    ``identity_*`` (e.g. ``identity_school``) go with the real name to the identity table,
    further columns are free attributes."""
    rows = read_rows(path, required=["participant", "role"])
    with store.transaction(actor=actor):
        for row in rows:
            attributes = {k: v for k, v in row.cells.items() if k not in PARTICIPANT_COLUMNS
                          and not k.startswith("identity_") and v is not None}
            identity = {k[len("identity_"):]: v for k, v in row.cells.items()
                        if k.startswith("identity_") and v is not None}
            if identity and not row.get("real_name"):
                raise DataError("identity_ columns need the real_name", file=str(path), row=row.row,
                                column="real_name", hint="fill in real_name or leave identity_* empty")
            with located(path, row.row):
                sv.add_participant(store, row["participant"], role=row["role"],
                                   age=row.integer("age"), sex=row.get("sex"),
                                   family=row.get("family"), attributes=attributes,
                                   real_name=row.get("real_name"), identity_fields=identity,
                                   actor=actor)
    return len(rows)


def import_consent(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """consent.csv: ``participant, given_by, kind, date`` (kind: assent or consent)."""
    rows = read_rows(path, required=["participant", "kind"])
    with store.transaction(actor=actor):
        for row in rows:
            with located(path, row.row):
                sv.add_consent(store, row["participant"], kind=row["kind"],
                               given_by=row.get("given_by"), date=row.get("date"), actor=actor)
    return len(rows)


def import_interviews(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """interviews.csv: ``interview, date, wave, language, duration_min, interviewer,
    participants`` (``;``-separated pseudonyms)``, suspended, suspended_reason, referral_offered``."""
    rows = read_rows(path, required=["interview"])
    with store.transaction(actor=actor):
        for row in rows:
            with located(path, row.row):
                sv.add_interview(store, row["interview"], date=row.get("date"), wave=row.get("wave"),
                                 language=row.get("language"), duration_min=row.number("duration_min"),
                                 interviewer=row.get("interviewer"),
                                 participants=row.names("participants"),
                                 suspended=row.flag("suspended"),
                                 suspended_reason=row.get("suspended_reason"),
                                 referral_offered=row.flag("referral_offered"), actor=actor)
    return len(rows)


def import_codebook(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """codebook.csv: ``code, parent, description, inclusion, exclusion, example, colour``.

    A parent may be listed after its children; a parent that is nowhere is an error.
    """
    rows = read_rows(path, required=["code"])
    pending: list[Row] = list(rows)
    made: set[str] = set()
    with store.transaction(actor=actor) as s:
        while pending:
            ready = [r for r in pending if not r.get("parent") or r.get("parent") in made
                     or find(s, m.Code, r.get("parent")) is not None]
            if not ready:
                row = pending[0]
                raise DataError(f"parent code '{row.get('parent')}' is not defined", file=str(path),
                                row=row.row, column="parent",
                                hint="add the parent as a row of its own (and avoid loops)")
            for row in ready:
                with located(path, row.row):
                    sv.add_code(store, row["code"], parent=row.get("parent"),
                                **{k: row.get(k) for k in CODEBOOK_COLUMNS[2:]}, actor=actor)
                made.add(row["code"])
            pending = [r for r in pending if r not in ready]
    return len(rows)


def _toml_list(value: Any, key: str, path: Path) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise StudyFileError("expected a list", file=str(path), key=key, hint="write [ ... ]")
    return value


def import_grounded(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """grounded.toml: ``[categories.NAME]`` tables, ``[[relations]]`` and ``[core]``.

    ``[categories.NAME]`` takes ``description``, ``codes = [...]``, ``paradigm_role`` and
    ``properties = [{name, dimension_low, dimension_high}]``; ``[[relations]]`` takes
    ``from, to, kind, note``; ``[core]`` takes ``category, storyline`` (and optional
    ``author``, ``date``). Returns the number of categories.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise StudyFileError(f"not valid TOML ({exc})", file=str(path),
                             hint="check quotes and brackets") from None
    categories = data.get("categories", {})
    if not isinstance(categories, dict):
        raise StudyFileError("expected tables [categories.NAME]", file=str(path), key="categories")
    with store.transaction(actor=actor):
        for name, spec in categories.items():
            key = f"categories.{name}"
            if not isinstance(spec, dict):
                raise StudyFileError("expected a table", file=str(path), key=key)
            with _keyed(path, key):
                sv.add_category(store, name, description=spec.get("description"),
                                paradigm_role=spec.get("paradigm_role"),
                                codes=_toml_list(spec.get("codes"), f"{key}.codes", path),
                                properties=_toml_list(spec.get("properties"), f"{key}.properties", path),
                                actor=actor)
        for i, rel in enumerate(_toml_list(data.get("relations"), "relations", path)):
            key = f"relations[{i}]"
            missing = [k for k in ("from", "to", "kind") if not rel.get(k)]
            if missing:
                raise StudyFileError(f"relation lacks {', '.join(missing)}", file=str(path), key=key,
                                     hint="write from, to and kind for every [[relations]]")
            with _keyed(path, key):
                sv.add_relation(store, rel["from"], rel["to"], kind=rel["kind"], note=rel.get("note"),
                                actor=actor)
        core = data.get("core")
        if core:
            if not core.get("category"):
                raise StudyFileError("[core] needs a category", file=str(path), key="core.category")
            with _keyed(path, "core"):
                sv.set_core_category(store, core["category"], storyline=core.get("storyline"),
                                     author=core.get("author") or actor or "unknown",
                                     date=core.get("date"), actor=actor)
    return len(categories)


class _keyed:
    """Re-raise a store error as a :class:`StudyFileError` at a TOML key."""

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key = path, key

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, tb) -> bool:
        from leftbehind.errors import LeftbehindError

        if exc is not None and isinstance(exc, LeftbehindError) and not exc.location.file:
            raise StudyFileError(exc.message, file=str(self.path), key=self.key, hint=exc.hint) from exc
        return False


def import_memos(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """memos.csv: ``target_type, target, author, date, title, text``."""
    rows = read_rows(path, required=["target_type", "target", "author", "title", "text"])
    with store.transaction(actor=actor):
        for row in rows:
            check_choice(row["target_type"], m.MEMO_TARGETS, what="target type", file=str(path),
                         row=row.row, column="target_type")
            with located(path, row.row):
                sv.add_memo(store, row["target_type"], target=row["target"], author=row["author"],
                            title=row["title"], text=row["text"], date=row.get("date"), actor=actor)
    return len(rows)


def import_sampling(store: Store, path: str | os.PathLike, *, actor: str | None = None) -> int:
    """sampling.csv: ``target_type, target, date, reason, category``."""
    rows = read_rows(path, required=["target_type", "target", "reason"])
    with store.transaction(actor=actor):
        for row in rows:
            check_choice(row["target_type"], m.SAMPLING_TARGETS, what="target type", file=str(path),
                         row=row.row, column="target_type")
            with located(path, row.row):
                sv.add_sampling(store, row["target_type"], row["target"], reason=row["reason"],
                                category=row.get("category"), date=row.get("date"), actor=actor)
    return len(rows)


def import_people(store: Store, folder: str | os.PathLike, *, actor: str | None = None) -> tuple[str, ...]:
    """Import families.csv, participants.csv and consent.csv of a folder (those that exist)."""
    folder = Path(folder)
    done = []
    with store.transaction(actor=actor):
        for name, reader in FOLDER_FILES[:3]:
            if (folder / name).is_file():
                reader(store, folder / name, actor=actor)
                done.append(name)
    return tuple(done)


FOLDER_FILES: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("families.csv", import_families),
    ("participants.csv", import_participants),
    ("consent.csv", import_consent),
    ("interviews.csv", import_interviews),
    ("manifest.csv", import_manifest),
    ("codebook.csv", import_codebook),
    ("grounded.toml", import_grounded),
    ("codings_*.csv", import_codings),
    ("memos.csv", import_memos),
    ("sampling.csv", import_sampling),
)


@dataclass(frozen=True)
class FolderLoad(ResultMixin):
    """The files :func:`load_folder` read, in the order it read them."""

    folder: str
    loaded: tuple[str, ...]

    def to_frame(self):
        """One row per file read."""
        import pandas as pd

        return pd.DataFrame({"file": list(self.loaded)})

    def to_dict(self) -> dict:
        """JSON-safe summary."""
        return {"folder": self.folder, "loaded": list(self.loaded)}


def load_folder(store: Store, folder: str | os.PathLike, *, actor: str | None = None) -> FolderLoad:
    """Import whichever of :data:`FOLDER_FILES` exist in ``folder``, in that order, in one
    transaction (all or nothing). ``codings_*.csv`` files are read in name order."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError("the folder does not exist", file=str(folder), hint="check the path")
    loaded: list[str] = []
    with store.transaction(actor=actor):
        for pattern, reader in FOLDER_FILES:
            for path in sorted(folder.glob(pattern)):
                if path.is_file():
                    reader(store, path, actor=actor)
                    loaded.append(path.name)
    if not loaded:
        raise DataError("none of the study files is in this folder", file=str(folder),
                        hint="expected any of " + ", ".join(p for p, _ in FOLDER_FILES))
    return FolderLoad(folder=str(folder), loaded=tuple(loaded))
