"""`[[model_tables]] published` decides which published table a declared table's replication
rows compare against, end to end through the CLI."""

import json
import sys
from pathlib import Path

import pandas as pd

from leftbehind.cli.main import main

sys.path.insert(0, str(Path(__file__).parent))
from small_study import make_small_study  # noqa: E402

# two published tables of one model each, named after the outcome like a `single` table's model
FIGURES = {"table_plain": {"depression": {"mother": {"b": 2.0, "se": 1.0, "stars": "*"}, "r2": 0.05}},
           "table_adjusted": {"depression": {"mother": {"b": 2.5, "se": 1.0, "stars": "*"}, "r2": 0.1}}}


def _study(folder: Path, plain: str, adjusted: str) -> Path:
    make_small_study(folder)
    (folder / "figures.json").write_text(json.dumps(FIGURES), encoding="utf-8")
    toml = folder / "study.toml"
    text = toml.read_text(encoding="utf-8").replace('title = "Small test study"',
                                                    'title = "Small test study"\npublished_figures = "figures.json"')
    text += f'''
[[model_tables]]
name = "plain"
kind = "single"
title = "{{outcome}} by group"
terms = ["migration"]
{plain}

[[model_tables]]
name = "adjusted"
kind = "single"
title = "{{outcome}} by group and controls"
terms = ["migration", "@controls"]
{adjusted}
'''
    toml.write_text(text, encoding="utf-8")
    return folder


def _run(folder: Path, capsys) -> tuple[dict, dict]:
    assert main(["run", str(folder)]) == 0
    capsys.readouterr()
    results = json.loads((folder / "output" / "results.json").read_text(encoding="utf-8"))
    rows = {(r["table"], r["term"]): r for r in results["replication"]}
    mother = {t: results["models"][t]["depression"]["terms"]["mother"] for t in ("plain", "adjusted")}
    return rows, mother


def test_published_picks_the_published_table_a_declared_table_reproduces(tmp_path, capsys):
    rows, mother = _run(_study(tmp_path / "straight", 'published = ["table_plain"]',
                               'published = ["table_adjusted"]'), capsys)
    assert mother["plain"]["b"] != mother["adjusted"]["b"]       # the two tables differ
    assert rows[("table_plain", "mother")]["reproduced_b"] == mother["plain"]["b"]
    assert rows[("table_adjusted", "mother")]["reproduced_b"] == mother["adjusted"]["b"]
    assert rows[("table_plain", "mother")]["diff_in_se"] == round(mother["plain"]["b"] - 2.0, 6)

    swapped, mother = _run(_study(tmp_path / "swapped", 'published = ["table_adjusted"]',
                                  'published = ["table_plain"]'), capsys)
    assert swapped[("table_plain", "mother")]["reproduced_b"] == mother["adjusted"]["b"]
    assert swapped[("table_adjusted", "mother")]["reproduced_b"] == mother["plain"]["b"]
    assert swapped[("table_plain", "mother")]["reproduced_se"] == mother["adjusted"]["se"]

    # neither name starts with "table_...": without `published` nothing is matched
    unmatched, _ = _run(_study(tmp_path / "none", "", ""), capsys)
    assert unmatched.keys() == rows.keys()
    assert all(r["reproduced_b"] is None for r in unmatched.values())

    csv = pd.read_csv(tmp_path / "swapped" / "output" / "tables" / "replication.csv").set_index(["group", "Model: term"])
    assert csv.loc[("table_plain", "depression: mother"), "Reproduced b"].startswith(f"{mother['adjusted']['b']:.3f}")
    assert csv.loc[("table_adjusted", "depression: mother"), "Reproduced b"].startswith(f"{mother['plain']['b']:.3f}")
