"""Render a :class:`~leftbehind.report.document.Document` to Word (.docx) with python-docx (L5).

Sections become real Word headings (``Heading 1``/``2``/``3``...), so Word's navigation pane and
table of contents work; tables are real Word tables (:meth:`Table.add_to_docx`, header rows
repeated on each page); figures are PNG pictures followed by a ``Caption`` paragraph. The file
is written atomically, with fixed zip timestamps and core properties, so the same document gives
the same bytes.

Examples
--------
>>> import tempfile, pathlib, docx
>>> from leftbehind.report.document import Document, Paragraph, Section
>>> doc = Document(title="Report", sections=[Section("Sample", blocks=[Paragraph("605 cases.")])])
>>> path = render_docx(doc, pathlib.Path(tempfile.mkdtemp()) / "report.docx")
>>> [(p.style.name, p.text) for p in docx.Document(path).paragraphs]
[('Title', 'Report'), ('Heading 1', 'Sample'), ('Normal', '605 cases.')]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from leftbehind._atomic import write_bytes_atomic
from leftbehind.errors import InputError
from leftbehind.present._table_docx import docx_bytes, new_docx_document
from leftbehind.report.document import (BulletList, Caution, Document, Figure, Paragraph, Quote, Section,
                                        TableBlock)

__all__ = ["render_docx"]


def _add_figure(document: Any, figure: Figure, width_inches: float) -> None:
    from docx.shared import Inches

    if figure.png is None:
        raise InputError(f"Word cannot show the SVG-only figure {figure.caption!r}", file=str(figure.svg),
                         hint="save the figure as PNG too (save_figure writes both by default)")
    try:
        data = figure.png.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the PNG file: {exc.strerror or exc}", file=str(figure.png),
                         hint="save the figure first and pass its path") from exc
    import io

    document.add_picture(io.BytesIO(data), width=Inches(width_inches))
    if figure.caption:
        document.add_paragraph(figure.caption, style="Caption")


#: Tables with more data columns than this go on a landscape page.
WIDE_TABLE_COLUMNS = 5


def _orient(document: Any, *, landscape: bool) -> None:
    """Start a new page section in the wanted orientation, unless the current one has it."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    current = document.sections[-1]
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = section.page_width, section.page_height
    if (width < height) == landscape:
        section.page_width, section.page_height = height, width


def _add_block(document: Any, block: Any, *, figure_width: float, caution_label: str) -> None:
    if isinstance(block, Paragraph):
        document.add_paragraph(block.text)
    elif isinstance(block, TableBlock):
        wide = block.table.n_columns > WIDE_TABLE_COLUMNS
        if wide:
            _orient(document, landscape=True)
        block.table.add_to_docx(document)
        document.add_paragraph()
        if wide:
            _orient(document, landscape=False)
    elif isinstance(block, Figure):
        _add_figure(document, block, figure_width)
    elif isinstance(block, BulletList):
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif isinstance(block, Caution):
        paragraph = document.add_paragraph(style="Intense Quote")
        paragraph.add_run(f"{caution_label}: ").bold = True
        paragraph.add_run(block.text)
    elif isinstance(block, Quote):
        paragraph = document.add_paragraph(block.text, style="Quote")
        if block.attribution:
            paragraph.add_run(f"\n— {block.attribution}")
    else:  # pragma: no cover - Section validates its blocks
        raise InputError(f"unknown block {type(block).__name__}", hint="use the blocks of report.document")


def _add_section(document: Any, section: Section, depth: int, **options: Any) -> None:
    document.add_heading(section.title, level=min(depth, 9))
    for block in section.blocks:
        _add_block(document, block, **options)
    for sub in section.subsections:
        _add_section(document, sub, depth + 1, **options)


def build_docx(document: Document, *, figure_width: float = 6.0, caution_label: str = "Caution") -> Any:
    """Build the python-docx ``Document`` for ``document`` (without saving it)."""
    if not isinstance(document, Document):
        raise InputError(f"render_docx needs a Document, got {type(document).__name__}",
                         hint="build one with leftbehind.report.document.Document")
    word = new_docx_document(title=document.title)
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    for key, value in document.metadata:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(value)
    for section in document.sections:
        _add_section(word, section, 1, figure_width=figure_width, caution_label=caution_label)
    return word


def render_docx(document: Document, path: str | os.PathLike, *, figure_width: float = 6.0,
                caution_label: str = "Caution") -> Path:
    """Render ``document`` to a Word file at ``path``, atomically; returns the path.

    Parameters
    ----------
    document
        The report.
    path
        Where to write the .docx.
    figure_width
        Picture width in inches.
    caution_label
        The word printed before a caution.
    """
    path = Path(path)
    word = build_docx(document, figure_width=figure_width, caution_label=caution_label)
    write_bytes_atomic(path, docx_bytes(word))
    return path
