"""End to end: `leftbehind demo` from a clean folder, and simulate -> run at another seed.

The calibration promise of the simulator is checked through the real pipeline and its
results.json (not the generator's internals): group sizes exact, Table 1 percentages within 2
points and means within 0.1 SD, depression alpha within 0.02 of .9131, every coefficient of
Tables 2-4 within half a published SE, the stars of at least 90 of the 93 terms and of every
hypothesis's term as printed, and every R² within 0.02.
"""

import csv
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import docx
import pytest

from leftbehind.cli.main import main

ROOT = Path(__file__).parents[2]
FIGURES = ROOT / "src" / "leftbehind" / "examples" / "hunchun" / "data" / "published_figures.json"
STUDY = ROOT / "src" / "leftbehind" / "examples" / "hunchun" / "study.toml"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo") / "leftbehind-demo"
    proc = subprocess.run([sys.executable, "-m", "leftbehind", "demo", str(folder)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return folder


def numeric_order(levels):
    return sorted(levels, key=lambda v: float(v))


def check_calibration(results: dict, published: dict) -> None:
    table1 = published["table1"]
    assert results["descriptives"]["group_n"] == table1["n"]
    rows = results["descriptives"]["table"]
    for variable, stats in table1["continuous"].items():
        for group, mean in stats["mean"].items():
            ours = next(r for r in rows if r["variable"] == variable and r["group"] == group)
            assert abs(ours["mean"] - mean) <= 0.1 * stats["sd"][group], (variable, group)
    names = {"gender": "gender", "ethnicity": "ethnicity"}
    for variable, levels in table1["categorical_percent"].items():
        ours = [r for r in rows if r["variable"] == names.get(variable, variable)]
        our_levels = numeric_order({r["level"] for r in ours})
        assert len(our_levels) == len(levels), variable
        for published_level, our_level in zip(levels, our_levels):
            for group, percent in levels[published_level].items():
                got = next(r["percent"] for r in ours if r["level"] == our_level and r["group"] == group)
                assert abs(got - percent) <= 2.0, (variable, published_level, group, got, percent)
    assert abs(results["reliability"]["depression"]["alpha"] - 0.9131) <= 0.02
    coefficients = [r for r in results["replication"] if r["term"] != "r2"]
    assert len(coefficients) == 93
    assert all(r["reproduced_b"] is not None for r in coefficients)
    assert max(abs(r["diff_in_se"]) for r in coefficients) <= 0.5
    assert sum(bool(r["same_stars"]) for r in coefficients) >= 90
    spec = tomllib.loads(STUDY.read_text(encoding="utf-8"))
    for h in spec["hypotheses"]:
        row = next(r for r in coefficients if (r["table"], r["model"], r["term"])
                   == ("table4_interactions", h["moderator"], h["term"]))
        assert row["same_stars"], row
    for r in results["replication"]:
        if r["term"] == "r2":
            assert abs(r["reproduced_b"] - r["published_b"]) <= 0.02, r


def test_demo_writes_both_reports_from_a_clean_folder(demo):
    for path in ("output/report.html", "output/report.docx", "output/results.json",
                 "kaihua/output/report.html", "kaihua/output/report.docx", "kaihua/output/results.json"):
        assert (demo / path).is_file(), path
    results = json.loads((demo / "output" / "results.json").read_text())
    assert {"replication", "qual", "mixed"} <= set(results)
    joined = csv.DictReader((demo / "output" / "data" / "informants_quantitized.csv").read_text(encoding="utf-8").splitlines())
    assert {"participant", "survey_id", "migration", "depression"} <= set(joined.fieldnames)
    stages = {s["stage"]: s["n"] for s in results["sample_flow"]["stages"]}
    assert (stages["collected"], stages["valid"], stages["complete"]) == (980, 933, 605)
    row = results["replication"][0]
    assert {"table", "model", "term", "published_b", "published_se", "reproduced_b", "reproduced_se",
            "diff_in_se"} <= set(row)


def test_bundled_example_meets_the_calibration(demo):
    check_calibration(json.loads((demo / "output" / "results.json").read_text()), json.loads(FIGURES.read_text()))


def test_reports_carry_pseudonyms_only(demo):
    for study, people in ((demo, demo / "interviews" / "participants.csv"),
                          (demo / "kaihua", demo / "kaihua" / "participants.csv")):
        names = [r["real_name"] for r in csv.DictReader(people.read_text(encoding="utf-8").splitlines()) if r["real_name"]]
        assert names
        html = (study / "output" / "report.html").read_text(encoding="utf-8")
        document = docx.Document(study / "output" / "report.docx")
        text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            c.text for t in document.tables for row in t.rows for c in row.cells)
        data = (study / "output" / "results.json").read_text(encoding="utf-8")
        joined = study / "output" / "data" / "informants_quantitized.csv"
        if joined.exists():
            data += joined.read_text(encoding="utf-8")
        for name in names:
            assert name not in html and name not in text and name not in data, name


def test_integrated_report_has_every_part(demo):
    html = (demo / "output" / "report.html").read_text(encoding="utf-8")
    for heading in ("About the study", "Methods", "Survey results",
                    "Interviews with children, parents, grandparents and teachers",  # [qual] title
                    "Joint displays", "Conceptual framework", "Quantitized categories", "Replication of the published figures", "Cautions", "Appendix: Codebook",
                    "Table 4", "Coding procedure"):
        assert heading in html, heading
    document = docx.Document(demo / "output" / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Integration" in headings and len(document.tables) > 20


def test_report_is_byte_identical_on_a_second_run(demo, tmp_path):
    assert main(["run", str(demo), "--out", str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / "report.html").read_bytes() == (demo / "output" / "report.html").read_bytes()


@pytest.mark.slow
def test_simulate_then_run_meets_the_calibration_at_another_seed(tmp_path):
    folder = tmp_path / "sim"
    assert main(["simulate", "--published", str(FIGURES), "--out", str(folder), "--seed", "11"]) == 0
    assert main(["run", str(folder)]) == 0
    check_calibration(json.loads((folder / "output" / "results.json").read_text()), json.loads(FIGURES.read_text()))


def test_docx_opens_in_libreoffice(demo, tmp_path):
    """An independent reader of our DOCX: LibreOffice converts it to a PDF with every page."""
    import os
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(demo / "output" / "report.docx")],
                          capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "report.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 100_000


def test_integrated_report_in_chromium(demo, tmp_path):
    """The full integrated report loads in headless Chromium without a console message."""
    import os
    import re
    import shutil

    chromium = shutil.which("chromium")
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "report-demo.png"
    proc = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--enable-logging=stderr", "--v=0", f"--user-data-dir={tmp_path / 'profile'}",
                           "--window-size=1200,6000", f"--screenshot={shot}", (demo / "output" / "report.html").as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert [line for line in proc.stderr.splitlines() if re.search(r":CONSOLE|Uncaught", line)] == []
    assert shot.is_file()


def test_docx_tables_match_html_tables(demo):
    """Every table of the Word report holds the same cell texts as the HTML report's table."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tables, self.cell, self.footer = [], None, False

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tfoot":
                self.footer = True  # table notes: Word has them as paragraphs under the table
            elif tag in ("td", "th") and self.tables and not self.footer:
                self.cell = []

        def handle_endtag(self, tag):
            if tag == "tfoot":
                self.footer = False
            if tag in ("td", "th") and self.cell is not None:
                self.tables[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    parser.feed((demo / "output" / "report.html").read_text(encoding="utf-8"))
    document = docx.Document(demo / "output" / "report.docx")
    word = [[" ".join(c.text.split()) for row in t.rows for c in row.cells] for t in document.tables]
    assert len(word) == len(parser.tables)
    for html_cells, word_cells in zip(parser.tables, word):
        assert {c for c in html_cells if c} == {c for c in word_cells if c}
