"""Golden-file checks and seed-study fixtures shared by tests/present and tests/report.

``python -m pytest tests/present tests/report --update-goldens`` rewrites the golden files (the
``golden`` fixture of tests/conftest.py); review every changed file (``git diff tests/golden``)
before it is committed. Without the option a missing or different golden file fails.
The seed tables are built from tests/reference/data/wang2023_published_figures.json (the team's
transcription of the paper) -- the numbers printed in the paper, not numbers computed by leftbehind.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest

GOLDEN_DIR = Path(__file__).parent
SEED_FIGURES = GOLDEN_DIR.parent / "reference" / "data" / "wang2023_published_figures.json"


def check_golden(name: str, actual: str, *, update: bool = False) -> None:
    """Compare ``actual`` with tests/golden/<name>; with ``update`` (``--update-goldens``) rewrite it."""
    path = GOLDEN_DIR / name
    if update:
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"golden file tests/golden/{name} is missing: run pytest with --update-goldens "
                    "and review the new file")
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, (f"output differs from tests/golden/{name} (if the change is intended: "
                                "pytest --update-goldens, then review git diff tests/golden)")


def seed() -> dict:
    return json.loads(SEED_FIGURES.read_text(encoding="utf-8"))


TERM_NAMES = {"mother": "C(migration, Treatment('none'))[T.mother]",
              "father": "C(migration, Treatment('none'))[T.father]",
              "both": "C(migration, Treatment('none'))[T.both]", "const": "Intercept"}


def published_model(entry: dict, *, n_predictors: int):
    """A duck-typed model from a printed column: b and se as printed, p from t(b/se, n-k-1)."""
    import pandas as pd
    from scipy import stats

    n = entry.get("n", 605)
    rows = {}
    for key, value in entry.items():
        if isinstance(value, dict):
            t = value["b"] / value["se"]
            p = 2 * stats.t.sf(abs(t), n - n_predictors - 1)
            rows[TERM_NAMES.get(key, key)] = {"b": value["b"], "se": value["se"], "t": t, "p": p,
                                              "ci_low": value["b"] - 1.96 * value["se"],
                                              "ci_high": value["b"] + 1.96 * value["se"]}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return SimpleNamespace(coefficients=frame, n=n, r2=entry["r2"], adj_r2=float("nan"))


def seed_labels():
    from leftbehind.present.labels import Labels

    return Labels(
        variables={"girl": "Girl", "age": "Age", "grade": "Grade", "siblings": "Siblings",
                   "korean": "Korean ethnicity", "mother_education": "Mother's education",
                   "father_education": "Father's education", "migration": "Parental migration",
                   "depression": "Depression", "teacher_attitude": "Teacher attitude",
                   "gender": "Child's gender"},
        values={"migration": {"none": "Neither parent away", "mother": "Mother only away",
                              "father": "Father only away", "both": "Both parents away"},
                "gender": {"boy": "Boy", "girl": "Girl"}})


def seed_table2():
    from leftbehind.present.regression_table import regression_table

    figures = seed()["table2"]
    models = {"Model 1": published_model(figures["model1"], n_predictors=3),
              "Model 2": published_model(figures["model2"], n_predictors=10)}
    return regression_table(models, labels=seed_labels(), title="Table 2. Parental migration and depression",
                            notes=("OLS with conventional standard errors; reference group: neither parent away.",))


def seed_table1_long():
    """Table 1 as the long frame descriptives_table reads (counts from the printed percentages)."""
    import pandas as pd

    table1 = seed()["table1"]
    groups = list(table1["n"])
    lines = []
    for variable, stats_ in table1["continuous"].items():
        for group in groups:
            lines.append({"variable": variable, "level": "", "group": group, "n": table1["n"][group],
                          "mean": stats_["mean"][group], "sd": stats_["sd"][group], "count": None, "percent": None})
    for variable in ("gender", "siblings"):
        for level, by_group in table1["categorical_percent"][variable].items():
            for group in groups:
                lines.append({"variable": variable, "level": level, "group": group, "n": table1["n"][group],
                              "mean": None, "sd": None,
                              "count": round(by_group[group] * table1["n"][group] / 100),
                              "percent": by_group[group]})
    return pd.DataFrame(lines)


def seed_table1():
    from leftbehind.present.descriptives_table import descriptives_table

    # reference group last, the others in reverse: tests group_order (and no run of the seed's cells)
    return descriptives_table(seed_table1_long(), labels=seed_labels(), group_variable="migration",
                              group_order=["both", "father", "mother", "none"],
                              title="Table 1. Characteristics by parental migration")


def seed_flow():
    import pandas as pd

    from leftbehind.present.flow_table import flow_table

    flow = seed()["sample_flow"]
    frame = pd.DataFrame({
        "stage": ["Questionnaires distributed", "Questionnaires collected", "Valid questionnaires",
                  "Complete cases"],
        "n": [flow["distributed"], flow["collected"], flow["valid"], flow["complete_cases"]],
        "percent": [None, flow["response_rate_percent"], flow["valid_response_rate_percent"], None],
        "note": ["", "response rate", "valid response rate", "no missing value in the model variables"]})
    return flow_table(frame, thousands=True)


class CellTexts(HTMLParser):
    """Collect the text of every th/td, row by row, from HTML (thead, tbody and tfoot)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def html_tables(page: str) -> list[list[list[str]]]:
    """Cell texts of each <table> in ``page``."""
    tables = []
    for chunk in page.split("<table")[1:]:
        parser = CellTexts()
        parser.feed("<table" + chunk.split("</table>")[0] + "</table>")
        tables.append(parser.rows)
    return tables


def docx_table_cells(table) -> list[list[str]]:
    """Cell texts of a python-docx table, one entry per real cell (merged cells counted once)."""
    from docx.table import _Cell

    return [[_Cell(tc, table).text for tc in row._tr.tc_lst] for row in table.rows]
