"""The exception tree of leftbehind (layer L0).

Every problem a user can fix is a :class:`LeftbehindError`: a message saying what is wrong,
a location (file, row, column, line or key) saying where, and a hint saying how to fix it.
The CLI prints ``str(error)`` as one line and exits with status 2.

Examples
--------
>>> err = DataError("value 7 is outside the range 1-5", file="data/q.csv", row=12, column="dep3",
...                 hint="correct the response or widen the item's range in study.toml")
>>> print(err)
data/q.csv, row 12, column 'dep3': value 7 is outside the range 1-5 (hint: correct the response or widen the item's range in study.toml)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: any of file, line, row, column and key (a dotted TOML key path)."""

    file: str | None = None
    line: int | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.key:
            parts.append(f"key '{self.key}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)


class LeftbehindError(Exception):
    """A problem the user can fix: what is wrong, where, and how to fix it.

    Parameters
    ----------
    message
        What is wrong, in one sentence without a final full stop.
    hint
        How to fix it (optional).
    file, line, row, column, key
        Where the problem is; any subset.
    """

    def __init__(self, message: str, *, hint: str | None = None, file: str | None = None,
                 line: int | None = None, row: int | None = None, column: str | None = None,
                 key: str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.location = Location(file=None if file is None else str(file), line=line, row=row,
                                 column=column, key=key)
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split("\n"))


class StudyFileError(LeftbehindError):
    """study.toml is malformed or inconsistent."""


class StudyFileProblems(StudyFileError):
    """Several problems in a study file, collected so they can all be listed at once."""

    def __init__(self, problems: list[StudyFileError], *, file: str | None = None) -> None:
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        count = len(self.problems)
        summary = f"{count} problem(s) in the study file; first: {first}" if first else "problems"
        super().__init__(summary, file=None)
        self.location = Location(file=file)

    def __str__(self) -> str:
        return self.message


class DataError(LeftbehindError):
    """A data file cannot be read or holds values that break a declared rule."""


class InputError(LeftbehindError):
    """A command-line argument or function argument is invalid (unknown column, bad formula...)."""


class AnalysisError(LeftbehindError):
    """An analysis cannot be carried out on the given data (singular design, too few cases...)."""


class StoreError(LeftbehindError):
    """The qualitative store refused an operation (unknown document, overlapping ids...)."""


class MissingDependencyError(LeftbehindError):
    """An optional package needed for this feature is not installed."""
