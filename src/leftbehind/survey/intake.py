"""Read questionnaires from CSV, XLSX, SPSS, Stata and Parquet files (layer L2).

``SurveyData.frame`` is the analysable frame: system-missing values and the user-missing codes and
ranges a ``.sav`` or ``.dta`` file declares are NaN there, as with ``haven::read_sav()``; the codes
as written stay in ``SurveyData.raw``. ``leftbehind run``, every quick command and the Python API
read files through :func:`read_data`, so they all see the same values.

Rows are numbered as *data rows* of their file: 1 is the first row under the header, so a
CSV's data row 12 is on line 13 and a spreadsheet's on sheet row 13. Empty lines of a CSV file
are skipped and not counted; empty sheet rows are skipped but counted. Several files of one survey are stacked with
:func:`read_survey`; ``SurveyData.origin`` keeps the file and data row of every case.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
>>> _ = path.write_text("qid,dep1\\n1,3\\n2,\\n", encoding="utf-8")
>>> data = read_data(path)
>>> data.source_format, data.frame["dep1"].tolist(), data.origin["row"].tolist()
('csv', [3.0, nan], [1, 2])
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from leftbehind._result import ResultMixin, plain_value
from leftbehind.errors import DataError

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".sav": "sav", ".zsav": "sav",
           ".dta": "dta", ".parquet": "parquet", ".pq": "parquet"}


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class SurveyData(ResultMixin):
    """Questionnaire data as read, with the labels the file carried.

    Attributes
    ----------
    frame
        One row per questionnaire, columns as in the file; index 0..n-1. User-missing codes and
        ranges declared in the file are NaN (the analysable frame).
    variable_labels
        Column -> label (SPSS and Stata files).
    value_labels
        Column -> {code: label} (SPSS and Stata files).
    source_format
        ``"csv"``, ``"xlsx"``, ``"sav"``, ``"dta"``, ``"parquet"`` (or ``"mixed"``).
    origin
        Columns ``file`` and ``row`` (1-based data row in that file), aligned with ``frame``.
    user_missing
        Column -> codes the file declares user-missing (SPSS codes, Stata letters ``"a"``-``"z"``).
    missing_ranges
        Column -> ``(low, high)`` user-missing ranges declared in the file (SPSS).
    raw
        The codes as written in the file, user-missing codes kept (``frame`` when none is declared).
    """

    frame: pd.DataFrame
    variable_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    source_format: str = "csv"
    origin: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"file": [], "row": []}))
    user_missing: dict[str, list[Any]] = field(default_factory=dict)
    missing_ranges: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    raw: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.raw is None:
            object.__setattr__(self, "raw", self.frame)

    def to_frame(self) -> pd.DataFrame:
        """The data."""
        return self.frame

    def to_dict(self) -> dict:
        """A JSON-safe summary: format, files, rows and columns, labels."""
        return {"source_format": self.source_format, "files": sorted(set(self.origin["file"].astype(str))),
                "n_rows": int(len(self.frame)), "columns": [str(c) for c in self.frame.columns],
                "variable_labels": dict(self.variable_labels),
                "value_labels": {k: {str(c): v for c, v in m.items()} for k, m in self.value_labels.items()}}

    def where(self, position: int) -> dict[str, Any]:
        """``file=`` and ``row=`` of the case at ``position`` (for error messages)."""
        return {"file": str(self.origin["file"].iloc[position]), "row": int(self.origin["row"].iloc[position])}


def read_data(path: str | Path, *, encoding: str | None = None) -> SurveyData:
    """Read one questionnaire file, keeping the variable and value labels it carries.

    User-missing codes and ranges of ``.sav`` files and Stata's extended missing values
    (``.a``-``.z``) are NaN in ``frame`` and kept in ``raw``; system-missing values are NaN in both.
    R: ``haven::read_sav(path)`` (``user_na = TRUE`` for ``raw``); Stata: ``use path``.

    Parameters
    ----------
    path
        A ``.csv``, ``.xlsx``, ``.sav``, ``.dta`` or ``.parquet`` file.
    encoding
        Text encoding of a CSV file. By default UTF-8 (with or without BOM) is tried, then GB18030.

    Raises
    ------
    DataError
        Unsupported extension, undecodable text (with the byte offset), unreadable file, or a
        file without columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "q.csv"
    >>> _ = path.write_bytes("编号,年级\\n1,5\\n".encode("gb18030"))
    >>> read_data(path).frame.columns.tolist()
    ['编号', '年级']
    >>> import pyreadstat, pandas as pd
    >>> sav = path.with_suffix(".sav")
    >>> pyreadstat.write_sav(pd.DataFrame({"dep1": [3.0, 9.0]}), str(sav), missing_ranges={"dep1": [9]},
    ...                      variable_value_labels={"dep1": {9: "refused"}})
    >>> data = read_data(sav)
    >>> data.frame["dep1"].tolist(), data.raw["dep1"].tolist(), data.value_labels
    ([3.0, nan], [3.0, 9.0], {'dep1': {9: 'refused'}})
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise DataError(f"unsupported data file type '{path.suffix}'", file=str(path),
                        hint=f"save the data as one of {', '.join(sorted(set(FORMATS)))}")
    if not path.is_file():
        raise DataError("data file not found", file=str(path),
                        hint="check the file name and folder; a relative path starts at the current folder")
    reader = {"csv": _read_csv, "xlsx": _read_xlsx, "sav": _read_stat, "dta": _read_stat,
              "parquet": _read_parquet}[kind]
    try:
        frame, meta = reader(path, encoding)
    except DataError:
        raise
    except Exception as exc:  # a corrupt file: report it as the user's data problem
        raise DataError(f"cannot read the {kind} file ({type(exc).__name__}: {exc})", file=str(path),
                        hint="check that the file opens in the program that wrote it") from exc
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    _refuse_repeats(list(frame.columns), path)
    rows = meta.pop("rows", range(1, len(frame) + 1))
    origin = pd.DataFrame({"file": [str(path)] * len(frame), "row": list(rows)})
    analysable = mask_missing(frame, meta.get("user_missing", {}), missing_ranges=meta.get("missing_ranges", {}))
    return SurveyData(frame=analysable, source_format=kind, origin=origin, raw=frame, **meta)


def read_survey(paths: Sequence[str | Path], *, encoding: str | None = None) -> SurveyData:
    """Read several files of one survey and stack them (see :func:`stack_data`).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.csv").write_text("qid\\n1\\n2\\n"), (folder / "b.csv").write_text("qid\\n3\\n")
    >>> read_survey([folder / "a.csv", folder / "b.csv"]).origin["row"].tolist()
    [1, 2, 1]
    """
    for path in paths:
        if Path(path).suffix.lower() in FORMATS and not Path(path).is_file():
            raise DataError("data file not found", file=str(path),
                            hint="check [survey] files in study.toml (paths are relative to the study folder)")
    return stack_data([read_data(p, encoding=encoding) for p in paths])


def stack_data(parts: Sequence[SurveyData]) -> SurveyData:
    """Stack the files of one survey; labels of earlier files win.

    Raises
    ------
    DataError
        No files, or a file whose columns differ from the first file's.
    """
    if not parts:
        raise DataError("no data files given", hint="list the files in [survey] files = [...]")
    problems = column_mismatches(parts)
    if problems:
        raise problems[0]
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    frame = pd.concat([p.frame[list(first.frame.columns)] for p in parts], ignore_index=True)
    raw = pd.concat([p.raw[list(first.frame.columns)] for p in parts], ignore_index=True)
    origin = pd.concat([p.origin for p in parts], ignore_index=True)
    merged: dict[str, Any] = {"variable_labels": {}, "value_labels": {}, "user_missing": {}, "missing_ranges": {}}
    for part in reversed(parts):
        for key in merged:
            merged[key].update(getattr(part, key))
    kinds = {p.source_format for p in parts}
    return SurveyData(frame=frame, origin=origin, source_format=kinds.pop() if len(kinds) == 1 else "mixed",
                      raw=raw, **merged)


def column_mismatches(parts: Sequence[SurveyData]) -> list[DataError]:
    """One error per file whose columns differ from the first file's."""
    problems = []
    reference = list(parts[0].frame.columns)
    first_file = parts[0].origin["file"].iloc[0] if len(parts[0].origin) else "the first file"
    for part in parts[1:]:
        file = part.origin["file"].iloc[0] if len(part.origin) else None
        columns = list(part.frame.columns)
        lacking = [c for c in reference if c not in columns]
        extra = [c for c in columns if c not in reference]
        if lacking or extra:
            text = "; ".join(s for s in (f"lacks {', '.join(lacking)}" if lacking else "",
                                         f"has extra {', '.join(extra)}" if extra else "") if s)
            problems.append(DataError(f"columns differ from {first_file}: {text}", file=file,
                                      hint="stacked files need the same columns; rename or add them"))
    return problems


def mask_missing(frame: pd.DataFrame, codes: Mapping[str, Sequence[Any]], *,
                 missing_ranges: Mapping[str, Sequence[tuple[float, float]]] | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with missing ``codes`` and inclusive ``missing_ranges`` set to NaN, by column.

    Codes match as numbers or as text (``9`` matches ``9``, ``9.0`` and ``"9"``; ``"不知道"``
    matches that answer). A column left with numbers only becomes numeric.

    >>> frame = pd.DataFrame({"a": ["1", "不知道", "9"], "b": [1.0, 97.0, 98.0]})
    >>> masked = mask_missing(frame, {"a": [9, "不知道"]}, missing_ranges={"b": [(97, 99)]})
    >>> masked["a"].tolist(), masked["b"].tolist()
    ([1.0, nan, nan], [1.0, nan, nan])
    """
    ranges = missing_ranges or {}
    frame = frame.copy()
    for column in frame.columns:
        listed, spans = list(codes.get(column, [])), list(ranges.get(column, []))
        if not listed and not spans:
            continue
        values = frame[column]
        numbers = pd.to_numeric(values, errors="coerce")
        numeric_codes = [float(c) for c in (pd.to_numeric(pd.Series(listed, dtype=object), errors="coerce"))
                         if pd.notna(c)]
        text_codes = {str(c).strip() for c in listed}
        hit = numbers.isin(numeric_codes)
        if not pd.api.types.is_numeric_dtype(values):
            hit |= values.map(lambda v: isinstance(v, str) and v.strip() in text_codes).astype(bool)
        for low, high in spans:
            hit |= (numbers >= low) & (numbers <= high)
        if hit.any():
            frame[column] = _numeric_if_possible(values.mask(hit))
    return frame


def close_match_hint(name: str, columns: Sequence[str], *,
                     otherwise: str = "rename the column in the data file or in study.toml") -> str:
    """A hint for a column that is not in the data: close matches if any, else ``otherwise``.

    >>> close_match_hint("dep_1", ["dep1", "dep2", "age"])
    "did you mean 'dep1' or 'dep2'?"
    >>> close_match_hint("zz", ["dep1"])
    'rename the column in the data file or in study.toml'
    """
    close = difflib.get_close_matches(name, [str(c) for c in columns], n=3)
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else otherwise


def _refuse_repeats(header: list[str], path: Path) -> None:
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        raise DataError(f"the header repeats column(s) {', '.join(repeated)}", file=str(path),
                        hint="give every column its own name")


def _decode(path: Path, encoding: str | None) -> str:
    data = path.read_bytes()
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as exc:
            raise DataError(f"unknown encoding '{encoding}'", file=str(path),
                            hint="use a Python codec name such as utf-8, gb18030 or latin-1") from exc
        except UnicodeDecodeError as exc:
            raise DataError(f"cannot decode the file as {encoding} (bad byte at offset {exc.start})",
                            file=str(path), hint="set the right survey.encoding in study.toml") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as first:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as second:
            raise DataError(f"cannot decode the file as UTF-8 (bad byte at offset {first.start}) "
                            f"or GB18030 (bad byte at offset {second.start})", file=str(path),
                            hint="set survey.encoding in study.toml, e.g. encoding = \"latin-1\"") from second


def _read_csv(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
    text = _decode(path, encoding)
    if not text.strip():
        raise DataError("the file is empty", file=str(path), hint="export the data again with a header row")
    header = [h.strip() for h in next(csv.reader(io.StringIO(text)))]
    _refuse_repeats(header, path)
    return pd.read_csv(io.StringIO(text), skip_blank_lines=True), {}


def _read_xlsx(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise DataError("the first sheet is empty", file=str(path), hint="put the data on the first sheet")
    header = [("" if h is None else str(h)) for h in rows[0]]
    kept = [(number, r) for number, r in enumerate(rows[1:], start=1) if any(v is not None and v != "" for v in r)]
    frame = pd.DataFrame([r for _, r in kept], columns=header)
    frame = frame.loc[:, [h != "" for h in header]]
    for column in frame.columns:
        frame[column] = _numeric_if_possible(frame[column])
    return frame, {"rows": [number for number, _ in kept]}


def _numeric_if_possible(series: pd.Series) -> pd.Series:
    converted = pd.to_numeric(series, errors="coerce")
    if converted.notna().sum() == series.notna().sum():
        return converted
    return series


def _read_stat(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
    import pyreadstat

    if path.suffix.lower() == ".dta":
        frame, meta = pyreadstat.read_dta(str(path), user_missing=True, encoding=encoding)
    else:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True, encoding=encoding)
    variable_labels = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    value_labels = {k: {plain_code(c): lab for c, lab in m.items()}
                    for k, m in (meta.variable_value_labels or {}).items()}
    user_missing = {k: [plain_code(v) for v in vals] for k, vals in (getattr(meta, "missing_user_values", None)
                                                                   or {}).items()}
    missing_ranges: dict[str, list[tuple[float, float]]] = {}
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for r in ranges:
            low, high = plain_code(r.get("lo")), plain_code(r.get("hi"))
            if low == high:
                user_missing.setdefault(column, [])
                if low not in user_missing[column]:
                    user_missing[column].append(low)
            else:
                missing_ranges.setdefault(column, []).append((low, high))
    return frame, {"variable_labels": variable_labels, "value_labels": value_labels, "user_missing": user_missing,
                   "missing_ranges": missing_ranges}


plain_code = plain_value
"""A code as a plain Python value (:func:`leftbehind._result.plain_value`)."""


def _read_parquet(path: Path, encoding: str | None) -> tuple[pd.DataFrame, dict]:
    return pd.read_parquet(path), {}
