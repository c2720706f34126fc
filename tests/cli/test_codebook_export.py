"""`leftbehind qual codes --out`: the codebook as CSV and as a real Word table."""

import csv
from pathlib import Path

import docx

from leftbehind.cli.main import main

KAIHUA = Path(__file__).parents[2] / "src" / "leftbehind" / "examples" / "kaihua"


def test_codebook_csv_and_docx(tmp_path, capsys):
    study = tmp_path / "study"
    study.mkdir()
    assert main(["qual", "init", str(study)]) == 0
    assert main(["qual", "load", str(study), str(KAIHUA)]) == 0
    expected = {row["code"] for row in csv.DictReader((KAIHUA / "codebook.csv").read_text(encoding="utf-8").splitlines())}
    assert main(["qual", "codes", str(study), "--out", str(tmp_path / "codebook.csv")]) == 0
    exported = {row["Code"] for row in csv.DictReader((tmp_path / "codebook.csv").read_text(encoding="utf-8").splitlines())}
    assert exported == expected
    assert main(["qual", "codes", str(study), "--out", str(tmp_path / "codebook.docx")]) == 0
    table = docx.Document(tmp_path / "codebook.docx").tables[0]
    assert {row.cells[0].text for row in table.rows[1:]} == expected
