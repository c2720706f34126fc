"""Write a study run to ``output/``: tables, plots, results.json and the report (layer L5).

Everything is written into a temporary folder that replaces ``output/`` only when complete, so a
failure never leaves half a report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from leftbehind._atomic import replace_dir_atomic
from leftbehind._result import json_safe

Progress = Callable[[str], None]
SUFFIX = {"markdown": ".md", "html": ".html", "latex": ".tex", "docx": ".docx", "csv": ".csv", "json": ".json"}


def planned_steps(study) -> int:
    """How many progress steps ``run_and_write`` reports for ``study`` (for a progress bar)."""
    moderators = len(study.analysis.moderators) if study.analysis else 0
    return 1 + 2 * len(study.scales) + len(study.factors) + 1 + 1 + (2 if moderators else 0) + 2 * moderators + 4


def _tick(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def write_tables(tables: dict, folder: Path, formats) -> list[Path]:
    """Write each present Table in every requested format (CSV and JSON always) to ``folder``."""
    suffixes = dict.fromkeys([SUFFIX[f] for f in formats] + [".csv", ".json"])
    written = []
    for name, table in tables.items():
        for suffix in suffixes:
            written.append(table.write(folder / f"{name}{suffix}"))
    return written


def run_and_write(study_path, *, out: Path | None = None, progress: Progress | None = None) -> Path:
    """Run the study at ``study_path`` and write every output; return the output folder."""
    from leftbehind.report.pipeline import load, run_study
    from leftbehind.report.results_json import results_dict
    from leftbehind.report.study_report import build_tables, draw_figures, replication, study_document
    from leftbehind.report.docx import render_docx
    from leftbehind.report.html import render_html

    study = load(study_path)
    out = Path(out) if out is not None else study.root / "output"
    results = run_study(study, progress=progress)
    data = results_dict(results)
    rows = replication(study, data)
    if rows is not None:
        data["replication"] = rows
    with replace_dir_atomic(out) as tmp:
        _tick(progress, "tables")
        tables = build_tables(results, replication_rows=rows)
        write_tables(tables, tmp / "tables", study.tables.formats)
        _tick(progress, "plots")
        figures = draw_figures(results, tmp / "figures")
        _tick(progress, "results.json")
        (tmp / "results.json").write_text(json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                                          encoding="utf-8")
        _tick(progress, "report")
        document = study_document(results, tables, figures)
        (tmp / "report.html").write_text(render_html(document), encoding="utf-8")
        render_docx(document, tmp / "report.docx")
    return out
