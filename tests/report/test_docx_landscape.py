"""Wide tables go on landscape pages in the Word report; narrow ones stay in portrait."""

import docx
from docx.enum.section import WD_ORIENT

from leftbehind.present.table import Row, Table
from leftbehind.report.docx import WIDE_TABLE_COLUMNS, render_docx
from leftbehind.report.document import Document, Paragraph, Section, TableBlock


def table(columns: int) -> Table:
    return Table(columns=tuple(f"c{i}" for i in range(columns)), rows=(Row("r", tuple("1" * columns)),))


def test_wide_table_on_a_landscape_page(tmp_path):
    doc = Document("t", sections=(Section("s", blocks=(
        TableBlock(table(2)), TableBlock(table(WIDE_TABLE_COLUMNS + 1)), Paragraph("after")),),))
    path = render_docx(doc, tmp_path / "r.docx")
    sections = docx.Document(path).sections
    assert [s.orientation for s in sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = sections[1]
    assert landscape.page_width > landscape.page_height
