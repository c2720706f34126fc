"""The table model of leftbehind and its renderers (layer L4).

A :class:`Table` holds text only: a title, an optional spanner header row, column headers,
body rows (a label and already-formatted string cells, see :mod:`leftbehind.present.numfmt`),
row groups with a heading row, and notes. Renderers turn it into Markdown, HTML, LaTeX
(booktabs), CSV, JSON or a Word table; :meth:`Table.write` picks one by file suffix and writes
atomically.

Examples
--------
>>> t = Table(columns=("None", "Mother"), stub="Variable", title="Table 1",
...           rows=(Row("N", ("368", "29")),
...                 Row("Boy (%)", ("43.05", "37.93"), group="Child's gender"),
...                 Row("Girl (%)", ("56.95", "62.07"), group="Child's gender")),
...           notes=("Percentages within group.",))
>>> print(t.to_markdown(), end="")
**Table 1**
<BLANKLINE>
| Variable | None | Mother |
|:---|---:|---:|
| N | 368 | 29 |
| *Child's gender* |  |  |
| &nbsp;&nbsp;Boy (%) | 43.05 | 37.93 |
| &nbsp;&nbsp;Girl (%) | 56.95 | 62.07 |
<BLANKLINE>
Percentages within group.
>>> t.to_dict()["rows"][1]
{'label': 'Boy (%)', 'cells': ['43.05', '37.93'], 'group': "Child's gender", 'role': 'body'}
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leftbehind._atomic import write_bytes_atomic, write_text_atomic
from leftbehind.errors import InputError

__all__ = ["ROLES", "Row", "Spanner", "Table"]

#: Row roles: ``body`` (a normal row), ``detail`` (the line under a coefficient: its SE, t or
#: CI), ``summary`` (N, R² and other model statistics; renderers draw a rule above the first).
ROLES = ("body", "detail", "summary")

_SUFFIXES = (".md", ".html", ".tex", ".csv", ".json", ".docx")

_INDEX_LABEL_DEFAULT: Any = object()


@dataclass(frozen=True)
class Spanner:
    """A header cell spanning ``span`` adjacent data columns (``label`` may be empty)."""

    label: str
    span: int

    def __post_init__(self) -> None:
        if not isinstance(self.span, int) or isinstance(self.span, bool) or self.span < 1:
            raise InputError(f"a spanner must span at least one column, got span={self.span!r}",
                             hint="give each spanner a positive whole number of columns")
        object.__setattr__(self, "label", str(self.label))


@dataclass(frozen=True)
class Row:
    """One body row: a label (the stub) and one already-formatted string per column.

    ``group`` puts the row under a heading row; consecutive rows with the same group share
    one heading. ``role`` is one of :data:`ROLES`.
    """

    label: str
    cells: tuple[str, ...]
    group: str | None = None
    role: str = "body"

    def __post_init__(self) -> None:
        if isinstance(self.cells, str):
            raise InputError(f"the cells of row {self.label!r} must be a sequence of strings, not one string",
                             hint="wrap a single cell in a tuple: ('1.23',)")
        cells = tuple(self.cells)
        bad = [c for c in cells if not isinstance(c, str)]
        if bad:
            raise InputError(f"row {self.label!r} holds a cell that is not text: {bad[0]!r}",
                             hint="format numbers first with leftbehind.present.numfmt (fmt, fmt_int, ...)")
        if self.role not in ROLES:
            raise InputError(f"unknown row role {self.role!r} in row {self.label!r}",
                             hint=f"use one of {', '.join(ROLES)}")
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "label", str(self.label))
        if self.group is not None:
            object.__setattr__(self, "group", str(self.group))

    def to_dict(self) -> dict:
        """JSON-safe form: label, cells, group and role."""
        return {"label": self.label, "cells": list(self.cells), "group": self.group, "role": self.role}


@dataclass(frozen=True)
class Table:
    """A publication table: text cells, row groups, an optional spanner row and notes.

    Parameters
    ----------
    columns
        The data column headers (the stub column is separate, see ``stub``).
    rows
        The body rows, each with ``len(columns)`` cells.
    title
        The caption (``None`` for none).
    stub
        The header of the label column (often empty).
    spanners
        An optional header row above ``columns``; the spans must add up to ``len(columns)``.
    notes
        Lines printed under the table.
    align
        Per data column ``"r"`` (right, for numbers), ``"l"`` (left, for text) or ``"c"``;
        empty means every column right-aligned.

    Examples
    --------
    >>> Table(columns=("(1)", "(2)"), rows=[Row("Mother away", ("2.082", "2.690*"))]).n_columns
    2
    """

    columns: tuple[str, ...]
    rows: tuple[Row, ...] = ()
    title: str | None = None
    stub: str = ""
    spanners: tuple[Spanner, ...] = ()
    notes: tuple[str, ...] = ()
    align: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.columns, str) or isinstance(self.notes, str):
            raise InputError("columns and notes must be sequences of strings, not one string",
                             hint="wrap a single header or note in a tuple")
        columns = tuple(str(c) for c in self.columns)
        rows = tuple(r if isinstance(r, Row) else Row(*r) for r in self.rows)
        spanners = tuple(s if isinstance(s, Spanner) else Spanner(*s) for s in self.spanners)
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "spanners", spanners)
        object.__setattr__(self, "notes", tuple(str(n) for n in self.notes))
        object.__setattr__(self, "stub", str(self.stub))
        for number, row in enumerate(rows, start=1):
            if len(row.cells) != len(columns):
                raise InputError(f"row {number} ({row.label!r}) has {len(row.cells)} cells but the table has "
                                 f"{len(columns)} columns", hint="give every row one cell per column ('' for blank)")
        if spanners and sum(s.span for s in spanners) != len(columns):
            raise InputError(f"the spanners cover {sum(s.span for s in spanners)} columns but the table has "
                             f"{len(columns)}", hint="add a Spanner('', k) for columns without a spanner")
        align = tuple(self.align)
        if align and (len(align) != len(columns) or any(a not in ("l", "c", "r") for a in align)):
            raise InputError(f"align must give 'l', 'c' or 'r' for each of the {len(columns)} columns, got {self.align!r}",
                             hint="for example align=('r', 'r', 'l'), or leave it empty for all right-aligned")
        object.__setattr__(self, "align", align or ("r",) * len(columns))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_frame(cls, df: Any, *, title: str | None = None, notes: Sequence[str] = (),
                   index_label: str | None = _INDEX_LABEL_DEFAULT, digits: int = 3) -> Table:
        """Build a table from a pandas DataFrame.

        The index gives the row labels (a two-level index gives row groups: level 0 is the
        group, level 1 the label); a two-level column index gives a spanner row. Strings are
        kept as they are, whole numbers are written without decimals and other numbers with
        ``digits`` decimals (:func:`~leftbehind.present.numfmt.fmt`); missing values are blank.

        Parameters
        ----------
        df
            The frame.
        title, notes
            Caption and notes.
        index_label
            Header of the label column; by default the index name (or ``""``).
        digits
            Decimals of non-integer numbers.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"n": [368, 29], "mean": [11.4333, 13.5517]}, index=["none", "mother"])
        >>> t = Table.from_frame(df, title="Depression", index_label="Group")
        >>> [r.cells for r in t.rows]
        [('368', '11.433'), ('29', '13.552')]
        """
        from leftbehind.present._table_frame import table_parts_from_frame

        stub, columns, spanners, rows = table_parts_from_frame(
            df, index_label=None if index_label is _INDEX_LABEL_DEFAULT else index_label,
            use_index_name=index_label is _INDEX_LABEL_DEFAULT, digits=digits)
        return cls(columns=columns, rows=rows, title=title, stub=stub, spanners=spanners, notes=tuple(notes))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Table:
        """Rebuild a table from :meth:`to_dict` output (for example read back from JSON).

        Examples
        --------
        >>> t = Table(columns=("a",), rows=[Row("x", ("1",), group="G")], notes=("n",))
        >>> Table.from_dict(t.to_dict()) == t
        True
        """
        try:
            return cls(columns=data["columns"], title=data.get("title"), stub=data.get("stub", ""),
                       notes=data.get("notes", ()), align=data.get("align", ()),
                       spanners=[Spanner(s["label"], s["span"]) for s in data.get("spanners", ())],
                       rows=[Row(r["label"], r["cells"], group=r.get("group"), role=r.get("role", "body"))
                             for r in data.get("rows", ())])
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"not a table dictionary: {exc!r}",
                             hint="pass what Table.to_dict() or Table.to_json() produced") from exc

    # ------------------------------------------------------------------ structure helpers
    @property
    def n_columns(self) -> int:
        """Number of data columns (without the stub)."""
        return len(self.columns)

    @property
    def alignments(self) -> tuple[str, ...]:
        """The alignment of each data column (``"r"`` unless ``align`` says otherwise)."""
        return self.align

    def iter_lines(self) -> Iterator[tuple[str, Row | str]]:
        """Yield the body in display order: ``("heading", group)`` before each run of a group,
        then ``("row", row)``.

        Examples
        --------
        >>> t = Table(columns=("a",), rows=[Row("x", ("1",), group="G"), Row("y", ("2",))])
        >>> [(kind, getattr(item, "label", item)) for kind, item in t.iter_lines()]
        [('heading', 'G'), ('row', 'x'), ('row', 'y')]
        """
        current: str | None = None
        for row in self.rows:
            if row.group is not None and row.group != current:
                yield "heading", row.group
            current = row.group
            yield "row", row

    def header_rows(self) -> list[list[tuple[str, int]]]:
        """The header as rows of ``(text, span)`` including the stub cell; spanner row first."""
        rows = []
        if self.spanners:
            rows.append([("", 1)] + [(s.label, s.span) for s in self.spanners])
        rows.append([(self.stub, 1)] + [(c, 1) for c in self.columns])
        return rows

    def flat_headers(self) -> list[str]:
        """Column headers with their spanner prepended (``"Model 1: b"``) for one-line formats."""
        if not self.spanners:
            return list(self.columns)
        owners = [s.label for s in self.spanners for _ in range(s.span)]
        return [f"{o}: {c}" if o and c else (o or c) for o, c in zip(owners, self.columns)]

    # ------------------------------------------------------------------ plain data
    def to_dict(self) -> dict:
        """JSON-safe form: ``{"title", "stub", "spanners", "columns", "rows", "notes"}``."""
        return {
            "title": self.title,
            "stub": self.stub,
            "spanners": [{"label": s.label, "span": s.span} for s in self.spanners],
            "columns": list(self.columns),
            "rows": [r.to_dict() for r in self.rows],
            "notes": list(self.notes),
            "align": list(self.alignments),
        }

    def to_frame(self):
        """A pandas DataFrame of the cells (index: labels; a ``group`` column when rows are grouped)."""
        import pandas as pd

        frame = pd.DataFrame([list(r.cells) for r in self.rows], columns=self.flat_headers(),
                             index=pd.Index([r.label for r in self.rows], name=self.stub or None), dtype=object)
        if any(r.group is not None for r in self.rows):
            frame.insert(0, "group", [r.group for r in self.rows])
        return frame

    # ------------------------------------------------------------------ renderers
    def to_json(self) -> str:
        """The table as JSON text (see :meth:`to_dict`), UTF-8, indented, key order fixed."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """CSV text: a header row, then one line per body row; a leading ``group`` column when
        rows are grouped. Spanners are folded into the headers (``"Model 1: b"``)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        grouped = any(r.group is not None for r in self.rows)
        writer.writerow((["group"] if grouped else []) + [self.stub] + self.flat_headers())
        for row in self.rows:
            writer.writerow(([row.group or ""] if grouped else []) + [row.label, *row.cells])
        return buffer.getvalue()

    def to_markdown(self) -> str:
        """GitHub-flavoured Markdown (title in bold, group headings in italics, notes below)."""
        from leftbehind.present._table_text import render_markdown

        return render_markdown(self)

    def to_html(self, *, table_class: str = "lb-table") -> str:
        """A semantic HTML ``<table>`` (caption, thead, tbody, tfoot for notes); text is escaped.

        No scripts, no inline styles and no ids, so the output is deterministic and safe to
        embed; style it through the class names ``lb-table``, ``lb-spanner``, ``lb-group``,
        ``lb-indent``, ``lb-detail``, ``lb-summary``, ``lb-notes``, ``lb-left`` and ``lb-center``.
        """
        from leftbehind.present._table_text import render_html

        return render_html(self, table_class=table_class)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_latex(self, *, label: str | None = None, float_env: bool = True) -> str:
        """LaTeX with booktabs rules (``\\usepackage{booktabs}``); special characters escaped."""
        from leftbehind.present._table_text import render_latex

        return render_latex(self, label=label, float_env=float_env)

    def add_to_docx(self, document: Any, *, style: str | None = "three-line", font_size: float | None = 9.0) -> Any:
        """Append the table to a python-docx ``Document``: caption, a real Word table whose
        header rows repeat on every page, and the notes. Returns the python-docx table.

        ``style`` is a Word table style of the document (``"Table Grid"``, ``"Light Shading"``...)
        or ``"three-line"`` (default): the journal three-line table (三线表), i.e. Word's
        ``Normal Table`` with rules above and below the header and below the body only."""
        from leftbehind.present._table_docx import add_table_to_docx

        return add_table_to_docx(self, document, style=style, font_size=font_size)

    def to_docx_bytes(self) -> bytes:
        """A complete .docx file holding only this table (reproducible: fixed zip timestamps)."""
        from leftbehind.present._table_docx import table_docx_bytes

        return table_docx_bytes(self)

    def render(self, fmt: str) -> str:
        """Render to ``"markdown"``, ``"html"``, ``"latex"``, ``"csv"`` or ``"json"``.

        Examples
        --------
        >>> Table(columns=("a",), rows=[Row("x", ("1",))]).render("csv")
        ',a\\nx,1\\n'
        """
        renderers = {"markdown": self.to_markdown, "md": self.to_markdown, "html": self.to_html,
                     "latex": self.to_latex, "tex": self.to_latex, "csv": self.to_csv, "json": self.to_json}
        if fmt not in renderers:
            raise InputError(f"unknown table format {fmt!r}", hint="use markdown, html, latex, csv or json")
        return renderers[fmt]()

    def write(self, path: str | os.PathLike) -> Path:
        """Write the table to ``path``, choosing the format by suffix, atomically.

        Suffixes: ``.md``, ``.html``, ``.tex``, ``.csv``, ``.json``, ``.docx``. Returns the path.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = Table(columns=("a",), rows=[Row("x", ("1",))]).write(pathlib.Path(tempfile.mkdtemp()) / "t.csv")
        >>> p.read_text()
        ',a\\nx,1\\n'
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".docx":
            write_bytes_atomic(path, self.to_docx_bytes())
        elif suffix in _SUFFIXES:
            write_text_atomic(path, self.render(suffix[1:]))
        else:
            raise InputError(f"cannot tell the table format from the suffix {path.suffix or '(none)'!r}",
                             file=str(path), hint=f"use one of {' '.join(_SUFFIXES)}")
        return path

