"""The survey-arm report of a study run as a neutral document (layer L5).

:func:`study_document` lays out the sample flow, the measures, Table 1, the models with their
follow-ups and plots, the replication of published figures and automatic cautions; the HTML
and DOCX renderers of :mod:`leftbehind.report` turn it into files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leftbehind.present.numfmt import fmt, fmt_int
from leftbehind.report.document import Caution, Document, Figure, Paragraph, Section, TableBlock
from leftbehind.report.survey_tables import build_tables, draw_figures, study_labels

__all__ = ["build_tables", "draw_figures", "replication", "compose_document", "cautions"]

SMALL_GROUP = 30


def replication(study, data: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Rows of the replication table when the study names its published figures, else None."""
    from leftbehind.audit import load_figures
    from leftbehind.audit.model_rules import model_tables
    from leftbehind.audit.replication import replication_rows

    name = getattr(study.study, "published_figures", None)
    if not name:
        return None
    figures = load_figures(study.root / name)
    tables = {published: table.name for published in model_tables(figures)
              for table in reversed(study.declared_tables()) if table.reproduces(published)}
    return replication_rows(figures, data["models"], cutoffs=tuple(study.tables.stars), tables=tables)


def cautions(results) -> list[str]:
    """Plain warnings a careful reader needs: small groups, cases lost to listwise deletion, few clusters."""
    notes = []
    flow = results.flow
    valid, complete = flow.n("included") or flow.n("valid"), flow.n("complete")
    if valid and complete is not None and complete < valid:
        share = 100 * (valid - complete) / valid
        notes.append(f"Listwise deletion removed {valid - complete} of {valid} valid cases ({fmt(share, 1)}%). "
                     "If answers are not missing completely at random, estimates may be biased; consider "
                     "multiple imputation as a sensitivity analysis.")
    group = results.study.analysis.group
    counts = results.analysis_frame[group].value_counts()
    labels = study_labels(results)
    for level, n in counts.items():
        if n < SMALL_GROUP:
            notes.append(f"The group '{labels.value(group, level)}' has only {n} cases: its coefficients have wide "
                         "confidence intervals and the power to detect its interactions is low "
                         "(see `leftbehind power` for the sample size a given effect needs).")
    analysis, cluster = results.study.analysis, results.study.survey.cluster
    if analysis.clustered and cluster and cluster in results.analysis_frame:
        from leftbehind.models.small_clusters import few_clusters_caution

        text = few_clusters_caution(int(results.analysis_frame[cluster].nunique()), cluster=labels.variable(cluster),
                                    corrected=analysis.se == "CR2" or analysis.wild_bootstrap is not None)
        if text:
            notes.append(text)
    return notes


def _figure_blocks(figures: dict[str, list[Path]], labels) -> list[Figure]:
    blocks = []
    for moderator, paths in figures.items():
        png = next((p for p in paths if p.suffix == ".png"), None)
        svg = next((p for p in paths if p.suffix == ".svg"), None)
        blocks.append(Figure(png=png, svg=svg, caption=f"Predicted outcome by group across {labels.variable(moderator)} "
                                                       "(95% confidence bands; other variables at their means)."))
    return blocks


QUAL_METHODS = ("Fieldwork and participants", "Coding procedure")
QUAL_APPENDIX = ("Appendix: Codebook",)


_KIND_SECTIONS = {"nested": "Nested models", "main_effects": "Moderators as main effects", "moderation": "Moderation"}


def _model_sections(results, tables: dict, figures: dict[str, list[Path]], labels) -> list[Section]:
    """One section per declared model table, in the declared order; a moderation table carries
    its interaction figures, the first one also the simple slopes and Johnson–Neyman regions."""
    from leftbehind.report.pipeline import follow_up_key
    from leftbehind.report.survey_tables import change_table_name

    sections, changes, keys, follow_ups = [], {}, {}, True
    for name, model_set in results.tables.items():
        blocks = [TableBlock(tables[name])]
        if model_set.kind == "nested":
            change = change_table_name(name, changes)
            changes[change] = True
            blocks.append(TableBlock(tables[change]))
        if model_set.kind == "moderation":
            mine = {}
            for moderator in model_set.series:
                key = follow_up_key(moderator, name, keys)
                keys[key] = True
                if key in figures:
                    mine[moderator] = figures[key]
            blocks += _figure_blocks(mine, labels)
            if follow_ups:
                blocks += [TableBlock(tables[t]) for t in ("simple_slopes", "johnson_neyman") if t in tables]
                follow_ups = False
        sections.append(Section(_KIND_SECTIONS.get(model_set.kind) or tables[name].title, blocks=tuple(blocks)))
    return sections


def survey_sections(results, tables: dict, figures: dict[str, list[Path]]) -> tuple[list[Section], list[Section]]:
    """The survey's method sections (sample, measures) and result sections (Table 1, models)."""
    labels = study_labels(results)
    flow = results.flow
    flow_text = (f"Of {fmt_int(flow.distributed)} questionnaires distributed, " if flow.distributed else "") + \
        f"{fmt_int(flow.n('collected'))} were collected and {fmt_int(flow.n('valid'))} were valid; " \
        f"{fmt_int(flow.n('complete'))} cases are complete on every analysis variable."
    methods = [Section("Sample", blocks=(Paragraph(flow_text), TableBlock(tables["flow"])))]
    measure_blocks = [TableBlock(t) for name, t in tables.items() if name.startswith(("reliability_", "efa_"))]
    if measure_blocks:
        methods.append(Section("Measures", blocks=tuple(measure_blocks)))
    found = []
    if "table1" in tables:
        found.append(Section("Descriptive statistics", blocks=(TableBlock(tables["table1"]),)))
    found += _model_sections(results, tables, figures, labels)
    if "wild_bootstrap" in tables:
        found.append(Section("Wild cluster bootstrap", blocks=(TableBlock(tables["wild_bootstrap"]),)))
    from leftbehind.report.imputation import COMPARISON_TABLE, MISSINGNESS_TABLE

    if COMPARISON_TABLE in tables:
        found.append(Section("Missing data: listwise deletion and multiple imputation",
                             blocks=(TableBlock(tables[MISSINGNESS_TABLE]), TableBlock(tables[COMPARISON_TABLE]))))
    return methods, found


def compose_document(study, *, survey=None, qual=None, mixed=None) -> Document:
    """The study report: methods, survey results, interview findings, integration, cautions, appendix.

    ``survey`` is ``(results, tables, figures)`` from the survey pipeline; ``qual`` a
    :class:`~leftbehind.report.qual_report.QualReport`; ``mixed`` a
    :class:`~leftbehind.report.mixed_report.MixedReport`. Any of them may be missing.
    """
    methods, found, notes = [], [], []
    if survey is not None:
        results, tables, figures = survey
        methods, found = survey_sections(results, tables, figures)
        notes += cautions(results)
    qual_sections = list(qual.sections) if qual is not None else []
    methods += [s for s in qual_sections if s.title in QUAL_METHODS]
    findings = [s for s in qual_sections if s.title not in QUAL_METHODS + QUAL_APPENDIX]
    appendix = [s for s in qual_sections if s.title in QUAL_APPENDIX]
    sections = []
    if study.study.description:
        sections.append(Section("About the study", blocks=(Paragraph(study.study.description),)))
    if methods:
        sections.append(Section("Methods", subsections=tuple(methods)))
    if found:
        sections.append(Section("Survey results", subsections=tuple(found)))
    if findings:
        title = (study.qual.title if study.qual is not None else None) or "Interview findings"
        sections.append(Section(title, subsections=tuple(findings)))
    if mixed is not None:
        sections.append(Section("Integration", subsections=mixed.sections))
        notes += mixed.data.get("power_cautions", [])
    if survey is not None and "replication" in survey[1]:
        sections.append(Section("Replication of the published figures", blocks=(TableBlock(survey[1]["replication"]),)))
    if notes:
        sections.append(Section("Cautions", blocks=tuple(Caution(n) for n in notes)))
    sections += appendix
    meta = []
    if survey is not None:
        results = survey[0]
        meta += [("Data", ", ".join(study.survey.files)), ("Complete cases", str(results.flow.n("complete"))),
                 ("Standard errors", study.analysis.se)]
    if qual is not None:
        counts = qual.data.get("counts", {})
        meta += [(k.replace("_", " ").capitalize(), str(v)) for k, v in counts.items() if isinstance(v, int)]
    kind = " and ".join(k for k, part in (("survey", survey), ("interviews", qual)) if part is not None)
    return Document(title=study.study.title, subtitle=f"Study report: {kind} (leftbehind)", metadata=tuple(meta),
                    sections=tuple(sections))
