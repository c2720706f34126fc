"""Write a study run to ``output/``: tables, plots, results.json and the report (layer L5).

Everything is written into a temporary folder that replaces ``output/`` only when complete, so a
failure never leaves half a report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

from leftbehind._atomic import replace_dir_atomic
from leftbehind._result import json_safe

Progress = Callable[[str], None]
SUFFIX = {"markdown": ".md", "html": ".html", "latex": ".tex", "docx": ".docx", "csv": ".csv", "json": ".json"}


def planned_steps(study) -> int:
    """How many progress steps ``run_and_write`` reports for ``study`` (for a progress bar)."""
    steps = 2  # results.json, report
    if study.survey is not None and study.analysis is not None:
        moderators = len(study.analysis.moderators)
        steps += (1 + len(study.scales) + len(study.factors) + (1 if study.descriptives else 0) + 1
                  + (2 + moderators if moderators else 0) + 2)  # read, measures, Table 1, models, slopes, tables, plots
        steps += 1 if study.analysis.wild_bootstrap is not None else 0
        steps += 1 if study.missing.method == "mice" else 0
    if study.qual is not None:
        steps += 1 + (1 if study.survey is not None and study.hypotheses else 0)
    return steps


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


def study_store(study):
    """The study's qualitative store (``study.db`` or ``[qual] database``): opened, or created and loaded
    from ``[qual] folder`` on first use."""
    from leftbehind.qual.folder import load_folder
    from leftbehind.qual.store import init_store, open_store

    if study.qual.database is not None:
        # a shared database: made on first use; filled from the folder while it holds no transcript
        store = init_store(study.qual.database)
        if study.qual.folder:
            from leftbehind.qual.query import documents_frame

            if documents_frame(store).empty:
                load_folder(store, study.root / study.qual.folder)
        return store
    if not (study.root / "study.db").exists():
        store = init_store(study.root)
        if study.qual.folder:
            load_folder(store, study.root / study.qual.folder)
        return store
    return open_store(study.root)


def run_and_write(study_path, *, out: Path | None = None, progress: Progress | None = None) -> Path:
    """Run the study at ``study_path`` and write every output; return the output folder.

    Survey studies get tables, plots and models; studies with ``[qual]`` get the interview
    report; studies with both and ``[[hypotheses]]`` get joint displays and the framework figure.
    """
    from leftbehind.report.docx import render_docx
    from leftbehind.report.html import render_html
    from leftbehind.report.pipeline import load, run_study
    from leftbehind.report.results_json import results_dict
    from leftbehind.report.study_report import build_tables, compose_document, draw_figures, replication

    study = load(study_path)
    out = Path(out) if out is not None else study.root / "output"
    results = run_study(study, progress=progress) if study.survey is not None else None
    store = study_store(study) if study.qual is not None else None
    data: dict = {"version": 1, "study": {"title": study.study.title}}
    if results is not None:
        data = results_dict(results)
        rows = replication(study, data)
        if rows is not None:
            data["replication"] = rows
    with store if store is not None else nullcontext(), replace_dir_atomic(out) as tmp:  # store closed after
        tables, survey, qual, mixed = {}, None, None, None
        if results is not None:
            _tick(progress, "tables")
            tables = build_tables(results, replication_rows=data.get("replication"))
            _tick(progress, "plots")
            survey = (results, tables, draw_figures(results, tmp / "figures"))
        if store is not None:
            from leftbehind.report.qual_report import qual_sections

            _tick(progress, "interviews")
            qual = qual_sections(store, tmp / "figures", coders=study.qual.coders or None,
                                 primary_coder=study.qual.primary_coder)
            tables = {**tables, **{f"qual_{k}": v for k, v in qual.tables.items()}}
            data["qual"] = qual.data
            if results is not None and study.hypotheses:
                from leftbehind.qual.query import codings_frame
                from leftbehind.report.mixed_report import mixed_part
                from leftbehind.report.survey_tables import study_labels

                _tick(progress, "joint displays")
                coder = qual.data.get("primary_coder")
                mixed = mixed_part(results, store, codings_frame(store, coders=[coder] if coder else None),
                                   tmp / "figures", study_labels(results))
                tables.update(mixed.tables)
                data["mixed"] = mixed.data
                for name, frame in mixed.frames.items():
                    (tmp / "data").mkdir(exist_ok=True)
                    frame.to_csv(tmp / "data" / f"{name}.csv", index=False)
        write_tables(tables, tmp / "tables", study.tables.formats)
        _tick(progress, "results.json")
        (tmp / "results.json").write_text(json.dumps(json_safe(data), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                                          encoding="utf-8")
        _tick(progress, "report")
        document = compose_document(study, survey=survey, qual=qual, mixed=mixed)
        (tmp / "report.html").write_text(render_html(document), encoding="utf-8")
        render_docx(document, tmp / "report.docx")
    return out
