"""The integration of both arms in the report: joint displays, quantitized codes, framework (layer L5).

For every ``[[hypotheses]]`` entry the survey estimate of its term (and of the same term in the
models of its ``other_moderators``) is set beside the interview codes that bear on it and the
``counter_codes`` that speak against it, counted among linked informants of the focus group and
the others, with exemplar quotes of both and the meta-inference; codes' categories are
quantitized per informant and cross-tabulated against the focus group with exact tests; the
framework figure joins the paradigm model with the tested paths; and small groups get a power
caution computed from the study's own estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from leftbehind.mixed.exact import exact_test
from leftbehind.mixed.joint_display import Hypothesis, JointDisplay, joint_display
from leftbehind.mixed.link import link_informants
from leftbehind.mixed.quantitize import flatten, quantitize
from leftbehind.present.numfmt import fmt, fmt_ci, fmt_p, stars
from leftbehind.present.table import Row, Table
from leftbehind.report.document import Figure, Paragraph, Quote, Section, TableBlock

DESCRIPTOR = "{role}, {age}, {group_label}, {caregivers}"


@dataclass(frozen=True)
class MixedReport:
    """The integration part of a study run: sections, tables, figures and JSON-ready data."""

    sections: tuple[Section, ...]
    tables: dict[str, Table]
    figures: dict[str, list[Path]]
    data: dict[str, Any] = field(default_factory=dict)
    displays: tuple[JointDisplay, ...] = ()
    frames: dict[str, Any] = field(default_factory=dict)
    """Data sets written as CSV under ``output/data/`` (pseudonyms only)."""


def linked_informants(results, store, labels):
    """Participants joined to their survey case (group, outcome, moderators) with descriptors."""
    from leftbehind.grounded.quotes import describe
    from leftbehind.qual import query

    study = results.study
    group = study.analysis.group
    people = query.participants_frame(store)
    families = query.families_frame(store)[["family", "caregivers", "migration_pattern"]]
    people = people.merge(families, on="family", how="left", suffixes=("", "_family"))
    if "caregivers_family" in people:
        people["caregivers"] = people["caregivers"].where(people["caregivers"].notna() & (people["caregivers"] != ""),
                                                          people["caregivers_family"])
    survey = results.analysis_frame.copy()
    attributes = [group, study.analysis.outcome, *[m.variable for m in study.analysis.moderators]]
    linked = link_informants(people, survey, id_column=study.survey.id, attributes=attributes,
                             link_column=study.qual.link_column)
    linked["group_label"] = [labels.value(group, g) + " (survey)" if isinstance(g, str) and g else ""
                             for g in linked[group].astype("object").where(linked[group].notna(), "")]
    linked[group] = linked[group].astype("object").where(linked[group].notna(), "")
    linked["descriptor"] = [describe(row, template=DESCRIPTOR) for row in linked.to_dict("records")]
    return linked


def _term(results, h, model_name: str | None = None) -> tuple[dict[str, float], str]:
    """The figures and the term name of ``h.term`` in model ``model_name`` (default the tested one)."""
    from leftbehind.errors import InputError

    name = model_name or h.model_name()
    model_set = results.tables[h.table]
    if name not in model_set.models:
        raise InputError(f"hypothesis {h.id}: table '{h.table}' has no model '{name}'",
                         key=f"hypotheses.{h.id}.other_moderators",
                         hint=f"models are: {', '.join(model_set.models)}")
    keys = {key: term for term, key in model_set.term_keys[name].items()}
    if h.term not in keys:
        raise InputError(f"hypothesis {h.id}: model '{name}' has no term '{h.term}'", key=f"hypotheses.{h.id}.term",
                         hint=f"terms are: {', '.join(keys)}")
    row = model_set.models[name].coefficients.loc[keys[h.term]]
    return {k: float(row[k]) for k in ("b", "se", "p", "ci_low", "ci_high")}, keys[h.term]


def _estimate(t, cutoffs) -> tuple[str, str]:
    return (f"b = {fmt(t['b'])}{stars(t['p'], cutoffs)}", f"95% CI {fmt_ci(t['ci_low'], t['ci_high'])}, p {fmt_p(t['p'])}")


def _code_rows(d: JointDisplay, rows, group: str) -> list[Row]:
    return [Row(r["code"], (f"{r['segments_focus']} segments, {r['participants_focus']} of {d.n_focus}",
                            f"{r['segments_other']} segments, {r['participants_other']} of {d.n_other}",
                            f"{r['segments_unlinked']} segments, {r['participants_unlinked']} informants"), group=group)
            for r in rows]


def _shares(focus: float | None, other: float | None) -> tuple[str, str]:
    return (f"{fmt(100 * focus, 0)}%" if focus is not None else "", f"{fmt(100 * other, 0)}%" if other is not None else "")


def _display_table(d: JointDisplay, labels, cutoffs) -> Table:
    h = d.hypothesis
    quant = "Quantitative strand"
    rows = [Row("Survey estimate", (*_estimate(h.term, cutoffs), d.verdict), group=quant)]
    rows += [Row(f"Survey estimate, {t['label']}", (*_estimate(t, cutoffs), t["verdict"]), group=quant)
             for t in d.other_tests]
    group = "Qualitative strand: codes"
    rows += _code_rows(d, d.code_rows, group)
    rows.append(Row("Informants carrying any code", (*_shares(d.share_focus, d.share_other), d.support_direction),
                    group=group))
    if h.counter_codes:
        group = "Qualitative strand: counter-evidence"
        rows += _code_rows(d, d.counter_rows, group)
        rows.append(Row("Informants carrying any counter-code",
                        (*_shares(d.counter_share_focus, d.counter_share_other), d.counter_direction), group=group))
        rows.append(Row("Interview strand, both counted", ("", "", d.qual_direction), group=group))
    rows.append(Row("Researcher", (h.researcher_inference or "(none recorded)", "", ""), group="Meta-inference"))
    rows.append(Row("Suggested from both strands", (d.suggested, d.reason, ""), group="Meta-inference"))
    focus = labels.value(d.extra.get("group", ""), h.focus) if d.extra.get("group") else h.focus
    notes = [f"Tested term: {h.term_label} ({h.term}), expected sign {h.expected_sign}."]
    if h.counter_codes:
        notes.append("Counter-codes speak against the hypothesis; the interview strand's direction counts them "
                     "against the supporting codes.")
    return Table(columns=(f"Focus: {focus}", "Other linked children", "Not linked / verdict"), rows=tuple(rows),
                 stub="", title=f"Joint display {h.id}: {h.statement}", notes=tuple(notes))


def joint_displays(results, store, codings, linked, labels):
    """A joint display per hypothesis of the study file."""
    study = results.study
    group = study.analysis.group
    displays = []
    for spec in study.hypotheses:
        term, name = _term(results, spec)
        others = {labels.variable(m): _term(results, spec, m)[0] for m in spec.other_moderators}
        h = Hypothesis(id=spec.id, statement=spec.statement, term=term, expected_sign=spec.expected_sign,
                       codes=tuple(spec.codes), focus=spec.focus, term_label=labels.term(name),
                       qual_expect=spec.qual_expect, memo=spec.memo, researcher_inference=spec.meta_inference or "",
                       counter_codes=tuple(spec.counter_codes), other_terms=others)
        d = joint_display(h, codings, linked, group_column=group)
        displays.append(replace(d, extra={"group": group, "model": spec.model_name(),
                                          "table": spec.table}))
    return displays


def quantitized_table(codings, turns, categories, linked, group: str, focus: str, labels):
    """Per category: linked children of the focus group vs the other linked children carrying it, exact test."""
    children = linked[(linked["role"] == "child") & (linked[group] != "")]
    cats = {row["category"]: list(row["codes"]) for row in categories.to_dict("records")}
    q = quantitize(codings, turns, categories=cats, participants=list(children["participant"]))
    in_focus = children.set_index("participant")[group].reindex(q.index) == focus
    rows, data = [], {}
    for cat in cats:
        present = q[(cat, "presence")] == 1
        a, b = int((present & in_focus).sum()), int((~present & in_focus).sum())
        c, d = int((present & ~in_focus).sum()), int((~present & ~in_focus).sum())
        test = exact_test([[a, b], [c, d]]) if (a + b) and (c + d) else None
        share = q[(cat, "share")]
        rows.append(Row(cat, (f"{a} of {a + b}", f"{c} of {c + d}",
                              fmt(100 * share[in_focus].mean(), 1) if in_focus.any() else "",
                              fmt(100 * share[~in_focus].mean(), 1) if (~in_focus).any() else "",
                              fmt_p(test.p_value) if test else "")))
        data[cat] = {"focus": [a, a + b], "others": [c, c + d], "p_exact": test.p_value if test else None}
    table = Table(columns=(f"{labels.value(group, focus)}: children", "Other children", "% of talk (focus)",
                           "% of talk (others)", "Fisher exact p"), rows=tuple(rows), stub="Category",
                  title="Categories quantitized per linked child",
                  notes=("Presence of any code of the category in the child's own talk; share = coded characters "
                         "as a percentage of the child's talk. Exact test (Fisher) for small qualitative samples.",))
    return table, {"children": int(len(children)), "categories": data}


def power_cautions(results, displays, labels) -> list[str]:
    """For small groups: the power to detect an interaction of the size the study estimated."""
    from leftbehind.simulate.sample_size import effect_from_estimate, exact_power, size_for_power

    group = results.study.analysis.group
    values = results.analysis_frame[group]
    counts = values.value_counts()
    order = list(values.cat.categories) if hasattr(values, "cat") else list(counts.index)
    reference = results.reference if results.reference is not None else order[0]  # as it is in the data
    sizes = {str(reference): int(counts.get(reference, 0)),
             **{str(g): int(counts[g]) for g in order if g != reference and g in counts}}
    notes = []
    for d in displays:
        h = d.hypothesis
        if sizes.get(h.focus, 1000) >= 30 or not h.term_label or not h.term.get("se"):
            continue
        effect = effect_from_estimate(h.term["b"], h.term["se"], sizes, target=h.focus)
        power = exact_power(sizes, effect, target=h.focus)
        text = (f"{h.id}: the group '{labels.value(group, h.focus)}' has {sizes[h.focus]} children. If the true "
                f"interaction were as large as estimated (b = {fmt(h.term['b'])}), the power to detect it at p < .05 "
                f"would be {fmt(power, 2)}")
        if power < 0.8:
            needed = size_for_power(sizes, effect, target=h.focus, n_reps=400, seed=0)
            text += f"; about {needed.size} children in that group would give 80% power"
        notes.append(text + ".")
    return notes


def mixed_part(results, store, codings, figures_dir: Path, labels) -> MixedReport:
    """Joint displays, quantitized categories, framework figure and power cautions of a study run."""
    from leftbehind.grounded.paradigm import paradigm_model
    from leftbehind.present.framework_plot import TestedPath, framework_diagram
    from leftbehind.qual import query

    study = results.study
    group = study.analysis.group
    linked = linked_informants(results, store, labels)
    displays = joint_displays(results, store, codings, linked, labels)
    tables, blocks_by_h = {}, []
    cutoffs = tuple(study.tables.stars)
    for d in displays:
        table = _display_table(d, labels, cutoffs)
        tables[f"joint_display_{d.hypothesis.id}"] = table
        quotes = [Quote(q["text"], attribution=q["descriptor"]) for q in d.quotes]
        if d.counter_quotes:
            quotes += [Paragraph("Counter-evidence:"),
                       *[Quote(q["text"], attribution=f"{q['descriptor']} (counter-evidence: {q['code']})")
                         for q in d.counter_quotes]]
        memo = [Paragraph(f"Meta-inference: {d.hypothesis.memo}")] if d.hypothesis.memo else []
        blocks_by_h.append(Section(f"{d.hypothesis.id}: {d.hypothesis.statement}",
                                   blocks=(TableBlock(table), *quotes, *memo)))
    categories = query.categories_frame(store)
    turns = query.turns_frame(store)
    focus = study.hypotheses[0].focus if study.hypotheses else None
    sections = [Section("Joint displays", blocks=(Paragraph(
        "Each hypothesis is tested in the survey and set beside the interview codes that bear on it, counted "
        "among interviewed children linked to their questionnaire; the meta-inference names whether the strands "
        "converge, complement each other or diverge."),), subsections=tuple(blocks_by_h))]
    data: dict[str, Any] = {"joint_displays": [d.to_dict() for d in displays],
                            "linked_informants": int(linked["linked"].sum())}
    if focus is not None:
        table, qdata = quantitized_table(codings, turns, categories, linked, group, focus, labels)
        tables["quantitized"] = table
        data["quantitized"] = qdata
        sections.append(Section("Quantitized categories", blocks=(TableBlock(table),)))
    figures = {}
    if not categories.empty:
        relations = query.relations_frame(store)
        model = paradigm_model(categories, relations)
        code_to_cat = {c: row["category"] for row in categories.to_dict("records") for c in row["codes"]}
        paths = [TestedPath(d.hypothesis.id, f"{labels.variable(d.extra['model'])} × {labels.value(group, d.hypothesis.focus)}"
                            f" → {labels.variable(study.analysis.outcome)}",
                            f"b = {fmt(d.hypothesis.term['b'])}{stars(d.hypothesis.term['p'], cutoffs)}", d.verdict,
                            tuple(dict.fromkeys(code_to_cat[c] for c in d.hypothesis.codes if c in code_to_cat)))
                 for d in displays]
        figures["framework"] = framework_diagram(model, paths, figures_dir / "framework")
        png = next(p for p in figures["framework"] if p.suffix == ".png")
        svg = next(p for p in figures["framework"] if p.suffix == ".svg")
        sections.append(Section("Conceptual framework", blocks=(Figure(png=png, svg=svg, caption=(
            "The paradigm model of the interviews (above) joined with the survey's tested paths (below): "
            "green supported, grey not supported, red contradicted; dashed lines tie each path to the "
            "categories whose codes bear on it.")),)))
    data["power_cautions"] = power_cautions(results, displays, labels)
    return MixedReport(tuple(sections), tables, figures, data, tuple(displays),
                       {"informants_quantitized": informant_variables(linked, codings, turns, categories, results)})


def informant_variables(linked, codings, turns, categories, results):
    """One row per informant: pseudonym, role, survey link and scores, and every category's
    presence, count and share of talk — the quantitized interviews joined to the survey side."""
    study = results.study
    cats = {row["category"]: list(row["codes"]) for row in categories.to_dict("records")}
    keep = ["participant", "role", "family", study.qual.link_column, "linked", study.analysis.group,
            study.analysis.outcome, *[m.variable for m in study.analysis.moderators]]
    base = linked[[c for c in dict.fromkeys(keep) if c in linked.columns]].set_index("participant")
    if not cats:
        return base.reset_index()
    quantities = flatten(quantitize(codings, turns, categories=cats, participants=list(base.index)))
    return base.join(quantities).reset_index()
