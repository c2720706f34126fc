"""Word output of :class:`leftbehind.present.table.Table` via python-docx (layer L4).

The table is a real Word table: a caption paragraph (style ``Caption``), header rows marked to
repeat on every page (``w:tblHeader``), merged cells for spanners and group headings, and the
notes as small paragraphs under it. :func:`docx_bytes` saves a python-docx document with fixed
zip timestamps and fixed core properties so the same table always gives the same bytes.

Examples
--------
>>> from leftbehind.present.table import Row, Table
>>> data = Table(columns=("b",), rows=[Row("Girl", ("1.085*",))], title="T").to_docx_bytes()
>>> data[:2]
b'PK'
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from leftbehind.present.table import Table

_FIXED_TIME = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def new_docx_document(*, title: str | None = None) -> Any:
    """A new python-docx ``Document`` with fixed core properties (no 'now' timestamps)."""
    import docx

    document = docx.Document()
    props = document.core_properties
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.last_printed = _FIXED_TIME
    props.author = "leftbehind"
    props.last_modified_by = "leftbehind"
    props.revision = 1
    props.title = title or ""
    return document


def docx_bytes(document: Any) -> bytes:
    """Save ``document`` and rewrite the zip with fixed timestamps: reproducible bytes."""
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _mark_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _no_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


THREE_LINE = "three-line"


def _border(parent: Any, tag: str, *, edges: dict[str, int], before: tuple[str, ...] = ()) -> None:
    """Add ``<w:{tag}>`` with single-line ``edges`` ({"top": size in eighths of a point}) to
    ``parent``, placed before the first child named in ``before`` (the schema's order)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement(f"w:{tag}")
    for edge, size in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    successor = next((child for child in parent if child.tag in {qn(f"w:{name}") for name in before}), None)
    if successor is None:
        parent.append(borders)
    else:
        successor.addprevious(borders)


_TBL_PR_AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
_TC_PR_AFTER_BORDERS = ("shd", "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def _three_line(word_table: Any, table: Table) -> None:
    """Rules of a three-line table: thick above the header and below the body, thin below the
    header, a thin rule under each labelled spanner (like booktabs' cmidrule) and a thin rule
    above the model statistics (the first ``summary`` row)."""
    _border(word_table._tbl.tblPr, "tblBorders", edges={"top": 12, "bottom": 12}, before=_TBL_PR_AFTER_BORDERS)
    headers = table.header_rows()
    for number, header in enumerate(headers):
        tcs = word_table.rows[number]._tr.tc_lst
        for (text, _), tc in zip(header, tcs):
            if number == len(headers) - 1 or (text and tc is not tcs[0]):
                size = 6 if number == len(headers) - 1 else 4
                _border(tc.get_or_add_tcPr(), "tcBorders", edges={"bottom": size}, before=_TC_PR_AFTER_BORDERS)
    lines = list(table.iter_lines())
    first_summary = next((i for i, (kind, item) in enumerate(lines) if kind == "row" and item.role == "summary"), None)
    if first_summary is not None:
        for tc in word_table.rows[len(headers) + first_summary]._tr.tc_lst:
            _border(tc.get_or_add_tcPr(), "tcBorders", edges={"top": 4}, before=_TC_PR_AFTER_BORDERS)


def _set_text(cell: Any, text: str, *, bold: bool = False, italic: bool = False, align: Any = None,
              indent: bool = False, font_size: float | None = None) -> None:
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if font_size:
        run.font.size = Pt(font_size)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.left_indent = Pt(10)
    paragraph.paragraph_format.space_after = Pt(0)


def add_table_to_docx(table: Table, document: Any, *, style: str | None = THREE_LINE,
                      font_size: float | None = 9.0) -> Any:
    """Append caption, table and notes to ``document``; return the python-docx table."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    if table.title:
        document.add_paragraph(table.title, style="Caption")
    headers = table.header_rows()
    lines = list(table.iter_lines())
    width = table.n_columns + 1
    word_table = document.add_table(rows=len(headers) + len(lines), cols=width)
    if style == THREE_LINE:
        word_table.style = document.styles["Normal Table"]
    elif style:
        try:
            word_table.style = document.styles[style]
        except KeyError as exc:
            from leftbehind.errors import InputError

            raise InputError(f"the Word document has no table style {style!r}",
                             hint=f"use '{THREE_LINE}', 'Table Grid' or another table style of the template") from exc
    centre = WD_ALIGN_PARAGRAPH.CENTER
    aligns = {"r": WD_ALIGN_PARAGRAPH.RIGHT, "c": centre, "l": None}
    for r, header in enumerate(headers):
        row = word_table.rows[r]
        _mark_header(row)
        column = 0
        for text, span in header:
            cell = row.cells[column]
            if span > 1:
                cell = cell.merge(row.cells[column + span - 1])
            _set_text(cell, text, bold=True, align=None if column == 0 else centre, font_size=font_size)
            column += span
    for offset, (kind, item) in enumerate(lines):
        row = word_table.rows[len(headers) + offset]
        _no_split(row)
        if kind == "heading":
            cell = row.cells[0].merge(row.cells[width - 1])
            _set_text(cell, item, italic=True, font_size=font_size)
            continue
        _set_text(row.cells[0], item.label, indent=item.group is not None, font_size=font_size)
        for column, (text, where) in enumerate(zip(item.cells, table.alignments), start=1):
            _set_text(row.cells[column], text, align=aligns[where], font_size=font_size)
    if style == THREE_LINE:
        _three_line(word_table, table)
    for note in table.notes:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(note)
        if font_size:
            run.font.size = Pt(font_size)
        paragraph.paragraph_format.space_after = Pt(0)
    return word_table


def table_docx_bytes(table: Table) -> bytes:
    """A reproducible .docx holding only ``table``."""
    document = new_docx_document(title=table.title)
    add_table_to_docx(table, document)
    return docx_bytes(document)
