"""Load ``study.toml``: parse, validate, cross-check, and report every problem at once (layer L1).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "study.toml").write_text('[study]\\ntitle = "Demo"\\n[survey]\\nfiles = ["q.csv"]\\n')
>>> load_study(folder).study.title
'Demo'
>>> _ = (folder / "study.toml").write_text('[study]\\ntitle = "Demo"\\nyear = 2020\\n[survey]\\nfiles = []\\n')
>>> try:
...     load_study(folder)
... except StudyFileProblems as problems:
...     for p in problems.problems: print(p.location.line, p.location.key, p.message)
3 study.year unknown key 'year'
5 survey.files List should have at least 1 item after validation, not 0
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from leftbehind.errors import StudyFileError, StudyFileProblems
from leftbehind.spec._locate import KeyLocator, format_key
from leftbehind.spec.crosscheck import cross_check
from leftbehind.spec.study import Study

STUDY_FILE = "study.toml"


def study_file(path: str | Path) -> Path:
    """The ``study.toml`` of a study folder, or ``path`` itself if it is a file.

    >>> study_file("my-study").name
    'study.toml'
    """
    path = Path(path)
    return path if path.suffix.lower() == ".toml" else path / STUDY_FILE


def load_study(path: str | Path) -> Study:
    """Read, validate and cross-check a study file.

    Parameters
    ----------
    path
        The study folder (holding ``study.toml``) or the TOML file itself.

    Returns
    -------
    Study
        The frozen study; ``study.root`` is the folder holding the file.

    Raises
    ------
    StudyFileError
        The file does not exist or cannot be read.
    StudyFileProblems
        Every syntax, schema and cross-reference problem, each with key path and line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "study.toml").write_text('[study]\\ntitle = "T"\\n[survey]\\nfiles = ["data/q.csv"]\\n')
    >>> study = load_study(folder)
    >>> study.root == folder.resolve(), study.data_paths()[0].name
    (True, 'q.csv')
    """
    file = study_file(path)
    study, problems = _load(file)
    if problems or study is None:
        raise StudyFileProblems(problems, file=str(file))
    return study


def study_problems(path: str | Path) -> list[StudyFileError]:
    """Every problem of a study file as a list (empty when it loads); never raises for content.

    >>> study_problems("/nonexistent/folder")[0].message
    'study file not found'
    """
    try:
        return _load(study_file(path))[1]
    except StudyFileError as exc:
        return [exc]


def _load(file: Path) -> tuple[Study | None, list[StudyFileError]]:
    if not file.is_file():
        raise StudyFileError("study file not found", file=str(file),
                             hint="pass the study folder or its study.toml (docs/study-file.md describes the file)")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudyFileError(f"study file is not UTF-8 (bad byte at offset {exc.start})", file=str(file),
                             hint="save study.toml as UTF-8") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        if match:
            message += f" (column {match.group(2)})"
        return None, [StudyFileError(f"TOML syntax error: {message}", file=str(file), line=line,
                                     hint="see docs/study-file.md for the syntax")]
    locator = KeyLocator(text)
    problems: list[StudyFileError] = []
    study = None
    try:
        study = Study.model_validate(raw)
    except ValidationError as exc:
        problems += _schema_problems(exc, file, locator)
    for path, message, hint in cross_check(raw):
        problems.append(StudyFileError(message, file=str(file), key=format_key(path),
                                       line=locator.line(path), hint=hint))
    problems.sort(key=lambda p: (p.location.line or 0))
    if study is not None and not problems:
        study._root = file.parent.resolve()
        study._path = file.resolve()
    return (None if problems else study), problems


def _schema_problems(exc: ValidationError, file: Path, locator: KeyLocator) -> list[StudyFileError]:
    merged: dict[tuple, StudyFileError] = {}
    for error in exc.errors():
        path, model = _walk(error["loc"])
        kind = error["type"]
        hint = None
        message = error["msg"]
        if kind == "extra_forbidden":
            key = path[-1]
            valid = list(model.model_fields) if model is not None else []
            close = difflib.get_close_matches(str(key), valid, n=1)
            message = f"unknown key '{key}'"
            hint = (f"did you mean '{close[0]}'? " if close else "") + f"valid keys: {', '.join(valid)}"
        elif kind == "missing":
            message = f"required key '{path[-1]}' is missing"
            hint = f"add {path[-1]} = ... here"
        elif kind == "union_tag_invalid":
            ctx = error.get("ctx", {})
            message = f"unknown rule '{ctx.get('tag')}'"
            hint = f"valid rules: {ctx.get('expected_tags')}"
            path = (*path, "rule")
        elif kind == "union_tag_not_found":
            message = "the key 'rule' is missing"
            hint = "add rule = \"...\" naming one of the built-in rules (see docs/study-file.md)"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        key = tuple(path)
        if key in merged:
            if message not in merged[key].message:
                old = merged[key]
                merged[key] = StudyFileError(f"{old.message}; or {message}", file=str(file), key=old.location.key,
                                             line=old.location.line, hint=old.hint)
            continue
        merged[key] = StudyFileError(message, file=str(file), key=format_key(path), line=locator.line(path),
                                     hint=hint)
    return list(merged.values())


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _walk(loc: tuple) -> tuple[list[str | int], type[BaseModel] | None]:
    """Turn a pydantic error location into a TOML key path and the model holding its last key.

    Discriminator tags and union member names, which pydantic adds to locations, are dropped.
    """
    path: list[str | int] = []
    annotation: Any = Study
    holder: type[BaseModel] | None = Study
    for part in loc:
        annotation = _strip(annotation)
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            members = [_strip(a) for a in typing.get_args(annotation) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            tagged = [m for m in models if part in typing.get_args(m.model_fields.get("rule").annotation)] \
                if models and all("rule" in m.model_fields for m in models) else []
            if tagged:
                annotation = tagged[0]
                continue
            if len(models) == 1 and len(members) == 1:
                annotation = models[0]
            else:
                break  # a union of plain types: the rest of the location names members
            annotation = _strip(annotation)
            origin = typing.get_origin(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            holder = annotation
            path.append(part)
            field = annotation.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                break
            annotation = field.annotation
        elif origin is dict:
            path.append(part)
            annotation = typing.get_args(annotation)[1]
        elif origin in (list, tuple):
            path.append(part)
            annotation = typing.get_args(annotation)[0]
        else:
            break
    return path, holder
