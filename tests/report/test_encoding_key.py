"""`[survey] encoding` decides how a CSV file's text answers are read, end to end through the CLI."""

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from leftbehind.cli.main import main

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402

RECODE = '''
[items.vit_avec]
missing = ["refusé"]

[derived.grandmother]
rule = "recode"
source = "vit_avec"
map = { "mère" = 0, "grand-mère" = 1 }
labels = { 0 = "lives with mother", 1 = "lives with grandmother" }
label = "Lives with grandmother"
'''


def _latin1_study(folder: Path, encoding: str | None) -> tuple[Path, pd.DataFrame]:
    make_small_study(folder)
    csv = folder / "data" / "questionnaires.csv"
    raw = pd.read_csv(csv)
    # children with no parent away live with their mother, the others with their grandmother;
    # every tenth answer is refused (the last column: "é" then a newline is not GB18030 either)
    raw["vit_avec"] = np.where(raw["parent_away"] == 2, "mère", "grand-mère")
    raw.loc[::10, "vit_avec"] = "refusé"
    raw.to_csv(csv, index=False, encoding="latin-1")
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8").replace('categorical = ["girl", ', 'categorical = ["grandmother", "girl", ')
    if encoding:
        text = text.replace('id = "qid"\n', f'id = "qid"\nencoding = "{encoding}"\n')
    toml.write_text(text + RECODE, encoding="utf-8")
    return folder, raw


def test_encoding_reads_a_latin1_file_that_fails_without_it(tmp_path, capsys):
    folder, raw = _latin1_study(tmp_path / "latin1", "latin-1")
    assert main(["run", str(folder)]) == 0
    capsys.readouterr()
    results = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))
    desc = results["descriptives"]
    rows = {(r["level"], r["group"]): r for r in desc["table"] if r["variable"] == "grandmother"}
    count = {key: r["count"] or 0 for key, r in rows.items()}
    n = {group: rows[("0", group)]["n"] for group in desc["group_n"]}
    assert count[("0", "none")] == n["none"] > 0 and count.get(("1", "none"), 0) == 0
    for group in ("mother", "father", "both"):
        assert count[("1", group)] == n[group] > 0 and count.get(("0", group), 0) == 0
    assert sum(n.values()) < sum(desc["group_n"].values())       # the refused answers are missing
    assert "lives with grandmother" in (folder / "output" / "tables" / "table1.csv").read_text(encoding="utf-8")

    plain, _ = _latin1_study(tmp_path / "plain", None)
    csv = plain / "data" / "questionnaires.csv"
    for codec in ("utf-8", "gb18030"):                          # the file is neither
        with pytest.raises(UnicodeDecodeError):
            csv.read_bytes().decode(codec)
    assert main(["run", str(plain)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "questionnaires.csv" in err and "encoding" in err
