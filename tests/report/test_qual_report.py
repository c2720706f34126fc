"""The qualitative report sections, built from the Kaihua example study loaded into a fresh store.

Expected values come from the example's CSV and TOML files (read here with the standard
library), or from the grounded analysis the report wires in, never from the report itself.
"""

from __future__ import annotations

import base64
import csv
import re
import tomllib
from pathlib import Path

import docx
import pytest
from lb_golden import docx_table_cells, html_tables

from leftbehind.errors import InputError, LeftbehindError
from leftbehind.grounded import agreement
from leftbehind.qual import query, services
from leftbehind.qual.folder import load_folder
from leftbehind.qual.store import init_store
from leftbehind.report.document import Quote, TableBlock
from leftbehind.report.docx import render_docx
from leftbehind.report.html import render_html
from leftbehind.report.qual_report import REDACTED, qual_document, qual_sections

EXAMPLES = Path(__file__).parents[2] / "src" / "leftbehind" / "examples"
KAIHUA = EXAMPLES / "kaihua"
HUNCHUN = EXAMPLES / "hunchun" / "interviews"
TITLES = ["Fieldwork and participants", "Coding procedure", "Saturation", "Categories", "Paradigm model",
          "Triangulation across family members", "Memos", "Appendix: Codebook"]
ROLE_ORDER = ["causal_conditions", "phenomenon", "context", "intervening_conditions", "strategies", "consequences"]


def rows(name: str, folder: Path = KAIHUA) -> list[dict[str, str]]:
    with open(folder / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def real_names(folder: Path = KAIHUA) -> list[str]:
    return [r["real_name"] for r in rows("participants.csv", folder) if r["real_name"]]


def loaded_store(folder: Path, where: Path):
    store = init_store(where)
    load_folder(store, folder)
    return store


def page_text(page: str) -> str:
    """Visible text of the HTML page plus the decoded text of every embedded SVG."""
    found = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", page)
    svgs = [base64.b64decode(m).decode("utf-8") for m in found]
    return "\n".join([page, *svgs])


def docx_text(path: Path) -> str:
    word = docx.Document(path)
    parts = [p.text for p in word.paragraphs]
    parts += [cell for table in word.tables for row in docx_table_cells(table) for cell in row]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def kaihua(tmp_path_factory):
    base = tmp_path_factory.mktemp("kaihua")
    store = loaded_store(KAIHUA, base / "study")
    document, report = qual_document(store, base / "figures", title="Kaihua interviews")
    html = render_html(document)
    docx_path = render_docx(document, base / "report.docx")
    yield {"store": store, "document": document, "report": report, "html": html, "docx": docx_path, "base": base}
    store.close()


def test_every_section_present_in_order(kaihua):
    document, html = kaihua["document"], kaihua["html"]
    assert [s.title for s in document.sections] == TITLES
    word_headings = [p.text for p in docx.Document(kaihua["docx"]).paragraphs if p.style.name == "Heading 1"]
    assert word_headings == TITLES
    for section in document.sections:
        assert f'<section id="{section.anchor}">' in html


def test_categories_core_first_then_by_paradigm_role(kaihua):
    grounded = tomllib.loads((KAIHUA / "grounded.toml").read_text(encoding="utf-8"))
    cats, core = grounded["categories"], grounded["core"]["category"]
    section = kaihua["document"].sections[TITLES.index("Categories")]
    titles = [s.title for s in section.subsections]
    assert sorted(titles) == sorted(cats)
    assert titles[0] == core
    rest = [ROLE_ORDER.index(cats[t]["paradigm_role"]) for t in titles[1:]]
    assert rest == sorted(rest)
    for sub in section.subsections:
        text = " ".join(getattr(b, "text", "") for b in sub.blocks)
        assert cats[sub.title]["description"] in text
        for code in cats[sub.title]["codes"]:
            assert code in text
        assert sum(isinstance(b, Quote) for b in sub.blocks) == 3


def test_quotes_are_informants_words_with_pseudonyms(kaihua):
    pseudonyms = {r["participant"] for r in rows("participants.csv")}
    texts = {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in (KAIHUA / "transcripts").iterdir()}
    quotes = [b for _, s in kaihua["document"].walk() for b in s.blocks if isinstance(b, Quote)
              and not b.attribution.startswith("storyline")]
    assert len(quotes) == 3 * 8
    for quote in quotes:
        assert quote.attribution.split(" (")[0] in pseudonyms
        assert any(quote.text in text for text in texts.values()), quote.text


def test_agreement_table_equals_the_grounded_result(kaihua):
    store, report = kaihua["store"], kaihua["report"]
    coded = {c: {r["document"] for r in rows(f"codings_{c}.csv")} for c in ("coder_a", "coder_b")}
    common = sorted(coded["coder_a"] & coded["coder_b"])
    assert len(common) == 7
    expected = agreement(query.codings_frame(store), query.documents_frame(store), coders=["coder_a", "coder_b"],
                         only_documents=common).to_dict()
    assert report.data["agreement"]["overall"] == expected["overall"]
    assert report.data["agreement"]["codes"] == expected["codes"]
    assert report.data["agreement"]["documents"] == common
    table = report.tables["agreement"]
    shown = {row.label: row.cells for row in table.rows}
    assert set(shown) == set(expected["codes"]) | {"All codes (pooled)"}
    for code, values in [*expected["codes"].items(), ("All codes (pooled)", expected["overall"])]:
        percent, kappa, alpha = (float(c) for c in shown[code][:3])
        assert percent == pytest.approx(100 * values["percent_agreement"], abs=0.005 + 1e-9)
        assert kappa == pytest.approx(values["kappa"], abs=0.0005 + 1e-9)
        assert alpha == pytest.approx(values["krippendorff_alpha"], abs=0.0005 + 1e-9)
    in_common = [r for c in ("coder_a", "coder_b") for r in rows(f"codings_{c}.csv") if r["document"] in common]
    assert shown["All codes (pooled)"][3:] == tuple(str(sum(r["coder"] == c for r in in_common))
                                                    for c in ("coder_a", "coder_b"))
    assert any(isinstance(b, TableBlock) and b.table == table
               for b in kaihua["document"].sections[TITLES.index("Coding procedure")].blocks)


def test_data_counts_match_the_example_files(kaihua):
    data = kaihua["report"].data
    interviews = rows("interviews.csv")
    assert data["families"] == len(rows("families.csv"))
    assert data["participants"]["total"] == len(rows("participants.csv"))
    assert data["interviews"]["total"] == len(interviews)
    assert data["interviews"]["by_wave"] == {w: sum(r["wave"] == w for r in interviews) for w in ("1", "2")}
    assert data["interviews"]["conjoint"] == [r["interview"] for r in interviews if ";" in r["participants"]]
    assert data["interviews"]["suspended"] == [r["interview"] for r in interviews if r["suspended"] == "1"]
    assert data["documents"] == len(rows("manifest.csv"))
    assert data["codes"] == len(rows("codebook.csv"))
    assert data["categories"] == 8
    assert data["codings"] == {c: len(rows(f"codings_{c}.csv")) for c in ("coder_a", "coder_b")}
    assert data["primary_coder"] == "coder_a"
    assert data["core_category"] == tomllib.loads((KAIHUA / "grounded.toml").read_text("utf-8"))["core"]["category"]
    assert data["names_removed"] == 0


def test_fieldwork_names_the_conjoint_and_the_suspended_interview(kaihua):
    section = kaihua["document"].sections[0]
    text = " ".join(getattr(b, "text", "") for b in section.blocks)
    for r in rows("interviews.csv"):
        if ";" in r["participants"]:
            assert f"Interview {r['interview']} was a conjoint interview" in text
            assert all(p in text for p in r["participants"].split(";"))
        if r["suspended"] == "1":
            assert f"Interview {r['interview']} with {r['participants']} was suspended" in text
            assert r["suspended_reason"] in text and "A referral to support was offered." in text


def test_no_registered_real_name_in_html_or_docx(kaihua):
    assert "Wang Xiaowen" in (KAIHUA / "transcripts" / "t01_teacher_2013.md").read_text(encoding="utf-8")
    html, word = page_text(kaihua["html"]).casefold(), docx_text(kaihua["docx"]).casefold()
    assert html.count("<svg") >= 2  # both figures were decoded and are searched too
    for name in real_names():
        assert name.casefold() not in html, name
        assert name.casefold() not in word, name


def test_a_real_name_in_a_quote_or_memo_is_removed(tmp_path):
    store = loaded_store(KAIHUA, tmp_path / "study")
    text = (KAIHUA / "transcripts" / "t01_teacher_2013.md").read_text(encoding="utf-8")
    start = text.index("There's a girl from Shangxi")
    end = text.index("please leave that out.") + len("please leave that out.")
    services.add_coding(store, "t01_teacher_2013.md", start, end, "hidden feelings", coder="coder_a")
    services.add_memo(store, "code", target="loneliness", author="R1", title=f"Talk with {real_names()[1]}",
                      text="A memo whose title leaks a real name.", date="2014-03-01")
    document, report = qual_document(store, tmp_path / "figures", title="Kaihua", quotes_per_category=100)
    assert any(isinstance(b, Quote) and "shangxi" in b.text.casefold() for _, s in document.walk() for b in s.blocks)
    html = page_text(render_html(document)).casefold()
    word = docx_text(render_docx(document, tmp_path / "r.docx")).casefold()
    for name in real_names():
        assert name.casefold() not in html and name.casefold() not in word, name
    assert REDACTED.casefold() in html and REDACTED.casefold() in word
    assert report.data["names_removed"] >= 2
    assert "replaced by" in " ".join(getattr(b, "text", "") for b in document.sections[0].blocks)
    store.close()


def test_html_is_byte_identical_across_renders_and_rebuilds(kaihua):
    assert render_html(kaihua["document"]) == kaihua["html"]
    again, _ = qual_document(kaihua["store"], kaihua["base"] / "figures-again", title="Kaihua interviews")
    assert render_html(again) == kaihua["html"]
    assert not re.search(r"20[2-9]\d-\d\d-\d\dT", kaihua["html"])


def test_docx_codebook_table_equals_the_html_table(kaihua):
    document, report = kaihua["document"], kaihua["report"]
    index = [id(t) for t in document.tables()].index(id(report.tables["codebook"]))
    html_rows = html_tables(kaihua["html"])[index]
    table = report.tables["codebook"]
    word = docx.Document(kaihua["docx"])
    assert len(word.tables) == len(document.tables())
    assert docx_table_cells(word.tables[index]) == html_rows[: len(html_rows) - len(table.notes)]
    codebook = rows("codebook.csv")
    assert len(table.rows) == len(codebook)
    by_code = {r.label: r.cells for r in table.rows}
    for r in codebook:
        assert by_code[r["code"]] == (r["parent"], r["description"], r["inclusion"], r["exclusion"], r["example"])


def test_tables_and_figures_by_stable_name(kaihua):
    report = kaihua["report"]
    assert set(report.tables) == {"codebook", "agreement", "saturation", "triangulation", "code_by_role",
                                  "cooccurrence", "interviews"}
    assert {k: sorted(p.suffix for p in v) for k, v in report.figures.items()} == {
        "saturation": [".png", ".svg"], "paradigm": [".png", ".svg"]}
    assert all(p.is_file() for v in report.figures.values() for p in v)
    assert len(report.tables["interviews"].rows) == len(rows("interviews.csv"))
    families = {r["family"] for r in rows("participants.csv") if r["family"]}
    assert {r.label for r in report.tables["triangulation"].rows} <= families


def test_primary_coder_and_coders_are_chosen(tmp_path, kaihua):
    store = kaihua["store"]
    one = qual_sections(store, tmp_path, coders=["coder_a"], primary_coder="coder_b", quotes_per_category=1)
    assert one.data["primary_coder"] == "coder_b" and one.data["agreement"] is None
    assert "agreement" not in one.tables
    texts = {" ".join(t.split()) for t in query.codings_frame(store, coders=["coder_b"])["text"]}
    quotes = [b.text for s in one.sections for _, sub in [(0, s), *[(0, x) for x in s.subsections]]
              for b in sub.blocks if isinstance(b, Quote) and not (b.attribution or "").startswith("storyline")]
    assert quotes and all(q in texts for q in quotes)


@pytest.mark.parametrize("kwargs, message", [
    ({"primary_coder": "nobody"}, "primary coder"),
    ({"coders": ["coder_a", "nobody"]}, "nobody"),
    ({"quotes_per_category": -1}, "quotes_per_category"),
])
def test_user_errors_have_hints(tmp_path, kaihua, kwargs, message):
    with pytest.raises(InputError, match=message) as caught:
        qual_sections(kaihua["store"], tmp_path, **kwargs)
    assert caught.value.hint


def test_empty_store_is_a_user_error(tmp_path):
    with init_store(tmp_path / "empty") as store, pytest.raises(LeftbehindError, match="no interview documents"):
        qual_sections(store, tmp_path / "figures")


def test_hunchun_interviews_build_and_render(tmp_path):
    store = loaded_store(HUNCHUN, tmp_path / "study")
    document, report = qual_document(store, tmp_path / "figures", title="Hunchun interviews")
    assert [s.title for s in document.sections] == TITLES
    html = page_text(render_html(document)).casefold()
    word = docx_text(render_docx(document, tmp_path / "r.docx")).casefold()
    for name in real_names(HUNCHUN):
        assert name.casefold() not in html and name.casefold() not in word, name
    assert report.data["interviews"]["total"] == len(rows("interviews.csv", HUNCHUN))
    people = {r["participant"]: r for r in rows("participants.csv", HUNCHUN)}
    interviewed = {p for r in rows("interviews.csv", HUNCHUN) for p in r["participants"].split(";")}
    by_family: dict[str, set[str]] = {}
    for p in interviewed:
        if people[p]["family"]:
            by_family.setdefault(people[p]["family"], set()).add(p)
    several = {f: ps for f, ps in by_family.items() if len(ps) >= 2}
    table = report.tables["triangulation"]
    assert {r.label for r in table.rows} == set(several)
    roles = {people[p]["role"] for ps in several.values() for p in ps}
    assert {c.removeprefix("Only ") for c in table.columns if c.startswith("Only ")} == roles
    store.close()


def test_a_sparse_store_still_gives_every_section(tmp_path):
    with init_store(tmp_path / "study") as store:
        text = "Interviewer: How are you?\nLan: I miss Mama."
        services.add_document(store, "d1", text)
        services.add_coding(store, "d1", text.index("I miss"), len(text), "missing parents", coder="A",
                            create_code=True)
        document, report = qual_document(store, tmp_path / "figures", title="One transcript")
        assert [s.title for s in document.sections] == TITLES
        assert report.data["agreement"] is None and report.data["core_category"] is None
        assert report.figures["paradigm"] == [] and len(report.figures["saturation"]) == 2
        assert "and 0 participants; 0 participants were interviewed" in document.sections[0].blocks[0].text
        render_html(document)
        render_docx(document, tmp_path / "r.docx")
