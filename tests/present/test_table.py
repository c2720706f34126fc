"""The Table model and its renderers (Markdown, HTML, LaTeX, CSV, JSON, DOCX) against golden files."""

import json

import docx
import pandas as pd
import pytest
from lb_golden import docx_table_cells, html_tables

from leftbehind.errors import InputError
from leftbehind.present.table import Row, Spanner, Table

FORMATS = ("md", "html", "tex", "csv", "json")


def tricky_table() -> Table:
    """Everything a renderer can get wrong: spanners, groups, roles, escaping, non-ASCII text."""
    return Table(
        title="Table 9. Scores & <ranks> | 50% of x_1 {cases}",
        stub="Variable",
        spanners=(Spanner("Model A", 2), Spanner("", 1)),
        columns=("b", "SE", "留守儿童"),
        rows=(
            Row("Mother only away", ("2.690*", "(1.100)", "是")),
            Row("", ("", "(0.456)", ""), role="detail"),
            Row("Boy (%)", ("43.05", "", "—"), group="Child's gender"),
            Row("Girl (%)", ("56.95", "", "<.001"), group="Child's gender"),
            Row("Age²", ("-0.352", "$5 & ~x^2", "a|b"), group="Other \\ misc #1"),
            Row("N", ("605", "", "1,059"), role="summary"),
            Row("R²", ("0.079", "", ""), role="summary"),
        ),
        notes=("* p < .05, ** p < .01, *** p < .001.", "- a note that looks like a list", "1. numbered?"),
        align=("r", "r", "l"),
    )


@pytest.mark.parametrize("suffix", FORMATS)
def test_tricky_table_golden(golden, suffix):
    golden(f"table_tricky.{suffix}", tricky_table().render(suffix))


def test_write_chooses_format_by_suffix_and_is_atomic(tmp_path):
    table = tricky_table()
    for suffix in FORMATS:
        path = table.write(tmp_path / f"t.{suffix}")
        assert path.read_text(encoding="utf-8") == table.render(suffix)
    table.write(tmp_path / "t.docx")
    assert docx.Document(tmp_path / "t.docx").tables
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"t.{s}" for s in (*FORMATS, "docx"))
    with pytest.raises(InputError) as info:
        table.write(tmp_path / "t.xlsx")
    assert ".md" in info.value.hint
    assert not (tmp_path / "t.xlsx").exists()


def test_json_round_trips_the_structure():
    table = tricky_table()
    data = json.loads(table.to_json())
    assert set(data) >= {"title", "columns", "rows", "notes"}
    assert data["rows"][2] == {"label": "Boy (%)", "cells": ["43.05", "", "—"], "group": "Child's gender",
                               "role": "body"}
    assert data["align"] == ["r", "r", "l"]
    assert Table.from_dict(data) == table
    with pytest.raises(InputError):
        Table.from_dict({"rows": []})


def test_html_is_escaped_and_has_no_script():
    html = tricky_table().to_html()
    assert "<script" not in html and "style=" not in html and " id=" not in html
    assert "&lt;ranks&gt;" in html and "&amp;" in html
    assert html.count("<thead>") == html.count("<tbody>") == html.count("<tfoot>") == 1
    assert '<th scope="colgroup" colspan="2">Model A</th>' in html
    assert '<tr class="lb-group"><th scope="rowgroup" colspan="4">Child&#x27;s gender</th></tr>' in html


def test_html_cells_match_table_cells():
    table = tricky_table()
    rows = html_tables(table.to_html())[0]
    assert rows[1] == ["Variable", "b", "SE", "留守儿童"]
    body = [r for r in rows[2:] if len(r) == 4]
    assert body == [[r.label, *r.cells] for r in table.rows]


def _docx_cells(table: Table, tmp_path) -> list[list[str]]:
    path = table.write(tmp_path / "t.docx")
    return docx_table_cells(docx.Document(path).tables[0])


def test_docx_cells_equal_html_cells(tmp_path):
    table = tricky_table()
    html_rows = html_tables(table.to_html())[0]
    notes = len(table.notes)
    assert _docx_cells(table, tmp_path) == html_rows[: len(html_rows) - notes]


def test_docx_structure(tmp_path):
    table = tricky_table()
    document = docx.Document(table.write(tmp_path / "t.docx"))
    word = document.tables[0]
    assert word.style.name == "Normal Table"  # three-line rules drawn as borders
    borders = word._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders")
    assert borders is not None and [b.tag.split("}")[1] for b in borders] == ["top", "bottom"]
    header_flags = [row._tr.trPr is not None and row._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None for row in word.rows]
    assert header_flags[:2] == [True, True] and not any(header_flags[2:])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    rules = [[tuple(b.tag.split("}")[1] for b in tc.iter(f"{w}tcBorders") for b in b) for tc in row._tr.tc_lst]
             for row in word.rows]
    assert rules[0] == [(), ("bottom",), ()]                      # under the labelled spanner only
    assert rules[1] == [("bottom",)] * 4                          # under the column headers
    first_summary = 2 + [kind == "row" and item.role == "summary" for kind, item in table.iter_lines()].index(True)
    assert rules[first_summary] == [("top",)] * 4                 # above N
    assert all(r in ([()] * 4, [()]) for i, r in enumerate(rules) if i >= 2 and i != first_summary)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Caption", table.title)
    assert [text for _, text in paragraphs[1:]] == list(table.notes)


def test_docx_bytes_are_reproducible():
    assert tricky_table().to_docx_bytes() == tricky_table().to_docx_bytes()


def test_add_to_docx_with_other_style():
    document = docx.Document()
    word = tricky_table().add_to_docx(document, style="Light Shading", font_size=None)
    assert word.style.name == "Light Shading"
    with pytest.raises(InputError):
        tricky_table().add_to_docx(document, style="No Such Style")


@pytest.mark.parametrize("make", [
    lambda: Table(columns=("a", "b"), rows=[Row("x", ("1",))]),
    lambda: Table(columns=("a",), rows=[Row("x", "1")]),
    lambda: Table(columns=("a",), rows=[Row("x", (1.5,))]),
    lambda: Table(columns=("a",), rows=[Row("x", ("1",), role="footer")]),
    lambda: Table(columns=("a", "b"), spanners=[Spanner("S", 1)]),
    lambda: Table(columns=("a",), spanners=[Spanner("S", 0)]),
    lambda: Table(columns="ab"),
    lambda: Table(columns=("a",), notes="a note"),
    lambda: Table(columns=("a",)).render("rtf"),
    lambda: Table(columns=("a", "b"), align=("l",)),
    lambda: Table(columns=("a",), align=("left",)),
])
def test_invalid_tables_raise_input_error(make):
    with pytest.raises(InputError) as info:
        make()
    assert info.value.hint


def test_table_is_frozen():
    with pytest.raises(AttributeError):
        tricky_table().title = "x"


def test_from_frame_simple_and_missing_values():
    frame = pd.DataFrame({"n": [368, 29], "mean": [11.4333, None], "label": ["a", "b"]},
                         index=pd.Index(["none", "mother"], name="Group"))
    table = Table.from_frame(frame, title="T", notes=["note"])
    assert table.stub == "Group"
    assert table.columns == ("n", "mean", "label")
    assert [r.cells for r in table.rows] == [("368", "11.433", "a"), ("29", "", "b")]
    assert Table.from_frame(frame, index_label="Migration").stub == "Migration"
    assert Table.from_frame(frame, index_label=None).stub == ""
    assert Table.from_frame(frame, digits=1).rows[0].cells[1] == "11.4"


def test_from_frame_multiindex_gives_groups_and_spanners():
    columns = pd.MultiIndex.from_tuples([("Model 1", "b"), ("Model 1", "se"), ("Model 2", "b")])
    index = pd.MultiIndex.from_tuples([("Gender", "Boy"), ("Gender", "Girl"), ("Age", "Mean")])
    frame = pd.DataFrame([[1.0, 0.5, 2.0], [1.5, 0.25, None], [13.0, 1.0, 12.5]], index=index, columns=columns)
    table = Table.from_frame(frame)
    assert table.spanners == (Spanner("Model 1", 2), Spanner("Model 2", 1))
    assert table.columns == ("b", "se", "b")
    assert [(r.group, r.label) for r in table.rows] == [("Gender", "Boy"), ("Gender", "Girl"), ("Age", "Mean")]
    assert table.flat_headers() == ["Model 1: b", "Model 1: se", "Model 2: b"]
    assert list(table.to_frame().columns) == ["group", "Model 1: b", "Model 1: se", "Model 2: b"]


def test_from_frame_rejects_non_frames():
    with pytest.raises(InputError):
        Table.from_frame([[1, 2]])


# ---------------------------------------------------------------------------- properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@st.composite
def tables(draw):
    width = draw(st.integers(1, 4))
    rows = draw(st.lists(st.builds(Row, _TEXT, st.tuples(*[_TEXT] * width),
                                   group=st.none() | st.sampled_from(["G1", "<G&2>"]),
                                   role=st.sampled_from(["body", "detail", "summary"])), max_size=6))
    return Table(columns=draw(st.tuples(*[_TEXT] * width)), rows=rows, title=draw(st.none() | _TEXT),
                 stub=draw(_TEXT), notes=draw(st.lists(_TEXT, max_size=2)),
                 align=draw(st.tuples(*[st.sampled_from("lcr")] * width)))


@settings(max_examples=60, deadline=None)
@given(tables())
def test_any_table_survives_html_and_json(table):
    rows = html_tables(table.to_html())[0]
    body = [r for r in rows[1: len(rows) - len(table.notes)] if len(r) == table.n_columns + 1]
    assert rows[0] == [table.stub, *table.columns]
    assert body == [[r.label, *r.cells] for r in table.rows]
    assert Table.from_dict(json.loads(table.to_json())) == table
    assert len(table.to_csv().splitlines()) >= len(table.rows) + 1


def test_importing_present_and_report_stays_light():
    import subprocess
    import sys

    code = ("import sys, leftbehind.present.table, leftbehind.present.regression_table, "
            "leftbehind.present.descriptives_table, leftbehind.present.flow_table, leftbehind.present.labels, "
            "leftbehind.report.document, leftbehind.report.html, leftbehind.report.docx; "
            "print(sorted(m for m in ('docx', 'matplotlib', 'jinja2', 'pandas') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_frame_and_notebook_views():
    table = tricky_table()
    frame = table.to_frame()
    assert list(frame.columns) == ["group", "Model A: b", "Model A: SE", "留守儿童"]
    assert frame.loc["Boy (%)", "Model A: b"] == "43.05"
    assert table._repr_html_() == table.to_html()
    assert table.render("markdown") == table.render("md") == table.to_markdown()
