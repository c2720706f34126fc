"""Reading the study CSV files with row numbers, and putting file/row on errors (layer L2).

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "f.csv"
>>> _ = p.write_text("family,village\\nF01,上村\\n", encoding="utf-8")
>>> [(r.row, r["family"], r.get("village")) for r in read_rows(p, required=["family"])]
[(2, 'F01', '上村')]
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from leftbehind.errors import DataError, LeftbehindError


@dataclass(frozen=True)
class Row:
    """One CSV record: cells by column name (stripped; blank cells are ``None``) and its row."""

    file: str
    row: int
    cells: dict[str, str | None]

    def __getitem__(self, column: str) -> str:
        value = self.cells.get(column)
        if value is None:
            raise DataError("this cell must not be empty", file=self.file, row=self.row,
                            column=column, hint=f"fill in the {column}")
        return value

    def get(self, column: str) -> str | None:
        """The cell, or ``None`` when the column is absent or the cell blank."""
        return self.cells.get(column)

    def integer(self, column: str) -> int | None:
        """The cell as a whole number (``None`` when blank)."""
        value = self.get(column)
        if value is None:
            return None
        try:
            return int(float(value)) if float(value).is_integer() else _bad(self, column, "a whole number")
        except ValueError:
            return _bad(self, column, "a whole number")

    def number(self, column: str) -> float | None:
        """The cell as a number (``None`` when blank)."""
        value = self.get(column)
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            return _bad(self, column, "a number")

    def flag(self, column: str) -> bool:
        """The cell as 0/1 (also yes/no, true/false); blank is 0."""
        value = (self.get(column) or "0").lower()
        if value in ("1", "yes", "true", "y"):
            return True
        if value in ("0", "no", "false", "n"):
            return False
        return _bad(self, column, "0 or 1")

    def names(self, column: str) -> list[str]:
        """The cell split at semicolons (``"Lan; Nai"`` -> ``["Lan", "Nai"]``)."""
        return [part.strip() for part in (self.get(column) or "").split(";") if part.strip()]


def _bad(row: Row, column: str, what: str):
    raise DataError(f"'{row.get(column)}' is not {what}", file=row.file, row=row.row,
                    column=column, hint=f"write {what} or leave the cell empty")


def read_rows(path: str | os.PathLike, *, required: Sequence[str]) -> list[Row]:
    """Read a UTF-8 CSV (a byte-order mark is allowed) and check its required columns."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise DataError("the file is empty", file=str(path),
                                hint="write a header line: " + ",".join(required))
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise DataError(f"missing column(s): {', '.join(missing)}", file=str(path), row=1,
                                column=missing[0], hint="the header must name: " + ",".join(required))
            rows = []
            for number, record in enumerate(reader, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                if len(record) > len(header):
                    raise DataError(f"{len(record)} cells but {len(header)} columns", file=str(path),
                                    row=number, hint="quote cells that contain commas")
                cells = {h: (v.strip() or None) for h, v in zip(header, record)}
                rows.append(Row(str(path), number, cells))
            return rows
    except UnicodeDecodeError:
        raise DataError("the file is not UTF-8 text", file=str(path),
                        hint="save the CSV as UTF-8") from None


@contextlib.contextmanager
def located(file: str | os.PathLike, row: int | None = None, *,
            line: int | None = None) -> Iterator[None]:
    """Add ``file`` and ``row`` (or ``line``) to a :class:`LeftbehindError` raised inside."""
    try:
        yield
    except LeftbehindError as exc:
        loc = exc.location
        if loc.file and loc.file != str(file) and (loc.line is not None or loc.row is not None):
            raise  # already located more precisely (a line of a transcript, a row of a CSV)
        new = type(exc).__new__(type(exc))
        LeftbehindError.__init__(new, exc.message, hint=exc.hint, file=str(file),
                                 row=loc.row if loc.row is not None else row,
                                 line=loc.line if loc.line is not None else line,
                                 column=loc.column, key=None)
        raise new from exc
