"""The tables and figures of a study run, built from the pipeline's results (layer L5).

Table names are stable (they are the file names under ``output/tables/``): ``flow``,
``reliability_<scale>``, ``efa_<factor>``, ``table1``, one per declared model table (its
``[[model_tables]] name``), ``nested_change`` (the R² change of the first nested table;
``<name>_change`` of any further one), ``simple_slopes``, ``johnson_neyman`` and ``replication``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leftbehind.present.descriptives_table import descriptives_table
from leftbehind.present.flow_table import flow_table
from leftbehind.present.labels import Labels, parse_term
from leftbehind.present.numfmt import fmt, fmt_ci, fmt_p
from leftbehind.present.regression_table import regression_table
from leftbehind.present.table import Row, Table


def p_phrase(p) -> str:
    """``p < .001`` or ``p = .031``, as a sentence writes it.

    >>> p_phrase(0.0001), p_phrase(0.0312)
    ('p < .001', 'p = .031')
    """
    text = fmt_p(p)
    return f"p {text[0]} {text[1:]}" if text.startswith("<") else f"p = {text}"


FLOW_STAGES = {"distributed": "Distributed", "collected": "Collected", "valid": "Valid",
               "included": "Included", "complete": "Complete cases"}


def study_labels(results) -> Labels:
    """Variable and value labels: the data file's, overridden by the study file's."""
    study, prepared = results.study, results.prepared
    names = set(prepared.variable_labels) | set(study.defined_names()) | set(results.analysis_frame.columns)
    variables = {name: study.display_label(name) for name in names if study.display_label(name) != name}
    variables = {**{k: v for k, v in prepared.variable_labels.items() if v}, **variables}
    return Labels(variables=variables, values=dict(prepared.value_labels))


def term_columns(term: str) -> set[str]:
    """The data columns a model term reads (``C(school)[T.2]:age`` -> ``{'school', 'age'}``).

    >>> sorted(term_columns("C(care, Treatment(1))[T.2]:belong")), term_columns("Intercept")
    (['belong', 'care'], set())
    """
    if term in ("Intercept", "const"):
        return set()
    return {part.variable for part in parse_term(term)}


def _model_terms(model_set, *, group: str, hide: tuple[str, ...] = ()) -> list[str]:
    """Terms in display order: group dummies, moderators, interactions, others, constant.

    ``hide`` names columns (the controls): a term reading only those is left out, so a
    categorical control hides all its dummies.
    """
    ordered: list[str] = []
    keys = {}
    for name, model in model_set.models.items():
        for term in model.coefficients.index:
            keys[term] = model_set.term_keys[name].get(term, term)
            if term not in ordered:
                ordered.append(term)
    groups = [t for t in ordered if term_columns(t) == {group} and ":" not in t]
    hidden = set(hide)

    def weight(term: str) -> tuple[int, int]:
        key = keys[term]
        if term in groups:
            return (0, ordered.index(term))
        if key == "moderator":
            return (1, ordered.index(term))
        if key.endswith("_x"):
            return (2, ordered.index(term))
        if key == "const":
            return (4, 0)
        return (3, ordered.index(term))

    return sorted((t for t in ordered if not (term_columns(t) and term_columns(t) <= hidden)), key=weight)


def factor_term_labels(results, labels: Labels) -> Labels:
    """``labels`` with the dummies of categorical controls shown as ``Discipline: B`` (variable
    label, then value label); the group's dummies keep their value label alone (``AsstProf``)."""
    analysis = results.study.analysis
    factors = set(results.study.factor_columns()) - {analysis.group}
    terms = {}
    for model_set in results.tables.values():
        for model in model_set.models.values():
            for term in model.coefficients.index:
                parts = parse_term(term) if term not in ("Intercept", "const") else ()
                if len(parts) == 1 and parts[0].level is not None and parts[0].variable in factors:
                    variable = parts[0].variable
                    terms[term] = f"{labels.variable(variable)}: {labels.value(variable, parts[0].level)}"
    return labels.merged(Labels(terms=terms, intercept=labels.intercept)) if terms else labels


def model_tables(results, labels: Labels) -> dict[str, Table]:
    """Every declared model table in the journal layout, plus the F-change table of each nested one."""
    study = results.study
    labels = factor_term_labels(results, labels)
    options = study.tables
    group = study.analysis.group
    controls = tuple(dict.fromkeys(study.analysis.column(c) for c in study.analysis.controls))
    common = {"labels": labels, "se_style": options.se_style, "stars": tuple(options.stars), "digits": options.digits}
    se_note = {"classical": "conventional OLS standard errors", "HC1": "HC1 robust standard errors",
               "HC3": "HC3 robust standard errors", "cluster": f"standard errors clustered by {study.survey.cluster}",
               "CR2": f"CR2 (Bell–McCaffrey) standard errors clustered by {study.survey.cluster}, t tests on "
                      "Satterthwaite degrees of freedom"}
    if study.analysis.se == "cluster" and study.analysis.cluster_df == "G-1":
        se_note["cluster"] += ", t tests on G − 1 degrees of freedom"
    tables = {}
    declared = {t.name: t for t in study.declared_tables()}
    for name, model_set in results.tables.items():
        spec = declared[name]
        outcome = labels.variable(spec.outcome_of(study.analysis))
        hide = controls if model_set.kind in ("main_effects", "moderation") else ()
        columns = {k if model_set.kind == "nested" else labels.variable(k): m for k, m in model_set.models.items()}
        notes = [f"All models: {se_note[study.analysis.se]}."]
        if hide:
            notes.append("Models also control for " + ", ".join(labels.variable(c) for c in controls) + ".")
        centred = [labels.variable(m) for m, fit in model_set.series.items() if getattr(fit, "centre", None) is not None]
        if centred:
            notes.append("Moderators centred at their sample mean: " + ", ".join(centred) + ".")
        tables[name] = regression_table(columns, terms=_model_terms(model_set, group=group, hide=hide),
                                        title=spec.title.format(outcome=outcome), notes=tuple(notes),
                                        stats=("n", "r2", "adj_r2"), **common)
        if model_set.nested is not None:
            tables[change_table_name(name, tables)] = _change_table(model_set)
    return tables


def change_table_name(table: str, tables) -> str:
    """``nested_change`` for the first nested table, ``<table>_change`` for any further one.

    >>> change_table_name("nested", {}), change_table_name("anxiety", {"nested_change": None})
    ('nested_change', 'anxiety_change')
    """
    return "nested_change" if "nested_change" not in tables else f"{table}_change"


def _change_table(model_set) -> Table:
    """The R² change from block to block of a nested table."""
    nested = model_set.nested.to_frame().reset_index()
    names = list(model_set.models)
    rows = tuple(Row(names[i], (fmt(r.r2), fmt(r.adj_r2), fmt(r.delta_r2), fmt(r.f_change, 2),
                                f"{r.df1}, {r.df2}" if r.df1 == r.df1 else "", fmt_p(r.p_change)))
                 for i, r in enumerate(nested.itertuples()))
    return Table(columns=("R²", "Adjusted R²", "ΔR²", "F change", "df", "p"), rows=rows,
                 stub="Model", title="Nested models: change in R²",
                 notes=(f"n = {model_set.nested.n} in every block (complete cases).",))


_SCORE_METHODS = {"regression": "regression method", "bartlett": "Bartlett method"}


def _scale_rule(study, name: str) -> str:
    from leftbehind.measures import scoring_rule

    scale = study.scales[name]
    return scoring_rule(scale.score, len(scale.items), min_items=scale.min_items)


def _fit_phrase(result) -> str:
    """The ML objective and any Heywood case, for the factor-analysis note."""
    text = ""
    if result.method == "ml" and result.objective is not None:
        text = f" ML objective = {fmt(result.objective, 4)} (best of {result.starts} starts)."
    if result.heywood:
        text += (" Heywood case: uniqueness at the bound 0.005 for "
                 + ", ".join(result.heywood) + "; interpret with care.")
    return text


def measure_tables(results) -> dict[str, Table]:
    """Reliability of every scale and the factor analysis of every factor."""
    tables = {}
    item_label = study_labels(results).variable
    for name, alpha in results.reliability.items():
        omega = results.omega[name]
        items = alpha.items
        rows = tuple(Row(item_label(str(item)), (fmt(r["mean"], 2), fmt(r["sd"], 2), fmt(r["item_rest_r"]), fmt(r["alpha_if_deleted"])))
                     for item, r in items.iterrows())
        lo, hi = alpha.ci95
        tables[f"reliability_{name}"] = Table(
            columns=("Mean", "SD", "Item–rest r", "Alpha if deleted"), rows=rows, stub="Item",
            title=f"Reliability of {results.study.display_label(name)}",
            notes=(f"Cronbach's alpha = {fmt(alpha.alpha, 4)} (95% CI {fmt_ci(lo, hi, digits=4)}, Feldt), "
                   f"McDonald's omega total = {fmt(omega.omega_total, 4)}; n = {alpha.n} complete cases, "
                   f"{alpha.k} items. Scale score: {_scale_rule(results.study, name)}.",))
    for name, result in results.factors.items():
        frame = result.to_frame()
        rows = tuple(Row(item_label(str(item)), tuple(fmt(v) for v in r.values))
                     for item, r in frame.iterrows())
        var = result.variance_explained
        proportion = ", ".join(f"{f} {fmt(100 * v, 1)}%" for f, v in var["proportion"].items())
        bart = result.bartlett
        tables[f"efa_{name}"] = Table(
            columns=(*map(str, result.loadings.columns), "Communality", "Uniqueness"), rows=rows, stub="Item",
            title=f"Exploratory factor analysis: {results.study.display_label(name)}",
            notes=(f"{result.method} extraction, rotation {result.rotation}; n = {result.n}. Variance explained: "
                   f"{proportion}. KMO = {fmt(result.kmo)}; Bartlett's test χ²({bart['df']}) = {fmt(bart['chi2'], 2)}, "
                   f"{p_phrase(bart['p'])}.{_fit_phrase(result)} Factor scores by the "
                   f"{_SCORE_METHODS[results.study.factors[name].scores]}; positive = more of the construct.",))
    return tables


def follow_up_tables(results, labels: Labels) -> dict[str, Table]:
    """Simple slopes of each group effect and the Johnson–Neyman regions."""
    slope_rows, jn_rows, value_notes = [], [], {}
    for moderator, by_level in results.slopes.items():
        for level, slopes in by_level.items():
            value_notes.setdefault(moderator, (slopes.labels, slopes.notes))
            for r in slopes.to_frame().itertuples():
                slope_rows.append(Row(f"{labels.value(results.study.analysis.group, level)} at {fmt(r.at, 2)}",
                                      (fmt(r.slope), fmt(r.se), fmt_ci(r.ci_low, r.ci_high), fmt_p(r.p)),
                                      group=labels.variable(moderator)))
            jn = results.johnson_neyman[moderator][level]
            jn_rows.append(Row(labels.value(results.study.analysis.group, level), (describe_region(jn),),
                               group=labels.variable(moderator)))
    if not slope_rows:
        return {}
    return {
        "simple_slopes": Table(columns=("Effect", "SE", "95% CI", "p"), rows=tuple(slope_rows), stub="Group effect",
                               title="Simple slopes of each group effect at moderator values",
                               notes=("Moderator values on the model's scale (centred where the model centres).",
                                      *_slope_value_notes(value_notes, labels))),
        "johnson_neyman": Table(columns=("Region of significance (p < .05)",), rows=tuple(jn_rows),
                                stub="Group effect", title="Johnson–Neyman regions"),
    }


def _slope_value_notes(value_notes: dict, labels: Labels) -> list[str]:
    """Per moderator: which values were probed, and any moved into the observed range."""
    out = []
    for moderator, (names, notes) in value_notes.items():
        text = f"{labels.variable(moderator)}: {', '.join(names)}"
        if notes:
            text += "; " + "; ".join(notes)
        out.append(text + ".")
    return out


def bootstrap_tables(results, labels: Labels) -> dict[str, Table]:
    """``[analysis.wild_bootstrap]``: the wild cluster bootstrap p-value of every tested term."""
    tests = getattr(results, "wild_bootstrap", None) or {}
    rows, first = [], None
    for table, by_model in tests.items():
        for model, by_term in by_model.items():
            heading = f"{results.tables[table].title}: {labels.variable(model)}"
            for test in by_term.values():
                first = first or test
                rows.append(Row(labels.term(test.term),
                                (fmt(test.estimate), fmt(test.t, 2), fmt_p(test.p)), group=heading))
    if first is None:
        return {}
    draws = (f"all {first.reps} sign vectors of the {first.n_clusters} clusters" if first.enumerated
             else f"{first.reps} draws, seed {first.seed}")
    note = (f"Restricted wild cluster bootstrap (null imposed) of the cluster-robust (CR1) t, clusters: "
            f"{labels.variable(first.cluster)}; {first.weights} weights, {draws}. Symmetric p: share of draws "
            "with |t*| ≥ |t|.")
    return {"wild_bootstrap": Table(columns=("b", "t", "Bootstrap p"), rows=tuple(rows), stub="Term",
                                    title="Wild cluster bootstrap p-values", notes=(note,))}


def describe_region(jn, *, digits: int = 2) -> str:
    """The Johnson–Neyman region in words, on the moderator's original scale.

    >>> from types import SimpleNamespace
    >>> describe_region(SimpleNamespace(bounds=(1.5,), region="below", centre=3.0, observed_range=(-2.0, 2.0), alpha=0.05))
    'significant at p < .05 for moderator values below 4.50 (observed 1.00 to 5.00)'
    """
    bounds = [fmt(b + jn.centre, digits) for b in jn.bounds]
    lo, hi = (fmt(v + jn.centre, digits) for v in jn.observed_range)
    level = f"p < {fmt(jn.alpha, 2).lstrip('0')}"
    where = {"everywhere": "for every moderator value", "nowhere": "for no moderator value",
             "above": f"for moderator values above {bounds[0]}" if bounds else "",
             "below": f"for moderator values below {bounds[0]}" if bounds else "",
             "inside": f"between {bounds[0]} and {bounds[-1]}" if bounds else "",
             "outside": f"outside {bounds[0]} to {bounds[-1]}" if bounds else ""}[jn.region]
    if jn.region == "nowhere":
        return f"not significant at {level} for any moderator value (observed {lo} to {hi})"
    return f"significant at {level} {where} (observed {lo} to {hi})"


def _as_printed(value) -> str:
    """A published figure as transcribed (``0.0608`` stays ``0.0608``; the paper's digits, not ours)."""
    return "" if value is None else repr(float(value)).removesuffix(".0")


def replication_table(rows: list[dict[str, Any]]) -> Table:
    """Published against reproduced coefficients, difference in published SE units, same stars."""
    body = []
    for r in rows:
        if r["term"] == "r2":
            body.append(Row(f"{r['model']}: R²", (_as_printed(r["published_b"]), "", fmt(r["reproduced_b"]), "", "", ""),
                            group=r["table"]))
            continue
        same = "" if r["same_stars"] is None else ("yes" if r["same_stars"] else "no")
        body.append(Row(f"{r['model']}: {r['term']}",
                        (f"{_as_printed(r['published_b'])}{r['published_stars'] or ''}", _as_printed(r["published_se"]),
                         f"{fmt(r['reproduced_b'])}{r['reproduced_stars'] or ''}", fmt(r["reproduced_se"]),
                         fmt(r["diff_in_se"], 2), same), group=r["table"]))
    return Table(columns=("Published b", "Published SE", "Reproduced b", "Reproduced SE", "Difference (SE)",
                          "Same stars"), rows=tuple(body), stub="Model: term", title="Replication of the published tables",
                 notes=("Difference = (reproduced − published) / published SE.",))


def sample_flow_table(results) -> Table:
    """The sample flow (distributed, collected, valid, complete cases) as a table."""
    flow = results.flow.to_frame()
    flow["stage"] = flow["stage"].map(lambda s: FLOW_STAGES.get(s, s))
    return flow_table(flow, title="Sample flow")


def build_tables(results, *, replication_rows: list[dict[str, Any]] | None = None) -> dict[str, Table]:
    """Every table of a study run, by stable name."""
    labels = study_labels(results)
    tables = {"flow": sample_flow_table(results)}
    tables.update(measure_tables(results))
    if results.descriptives is not None:
        tables["table1"] = descriptives_block(results.descriptives, labels=labels, digits=results.study.tables.digits,
                                              title="Table 1. Descriptive statistics by group")
    tables.update(model_tables(results, labels))
    tables.update(follow_up_tables(results, labels))
    tables.update(bootstrap_tables(results, labels))
    if getattr(results, "imputation", None) is not None:
        from leftbehind.report.imputation import imputation_tables

        tables.update(imputation_tables(results.imputation, labels=labels))
    if replication_rows:
        tables["replication"] = replication_table(replication_rows)
    return tables


def draw_figures(results, folder: Path) -> dict[str, list[Path]]:
    """Interaction plots of every model of every moderation table (PNG + SVG), keyed as the
    simple slopes (:func:`~leftbehind.report.pipeline.follow_up_key`); the files are
    ``interaction_<key>`` with any ``.`` of the key as ``_``."""
    from leftbehind.report.pipeline import follow_up_key

    labels = study_labels(results)
    declared = {t.name: t for t in results.study.declared_tables()}
    figures: dict[str, list[Path]] = {}
    for table, model_set in results.tables.items():
        outcome = declared[table].outcome_of(results.study.analysis)
        for moderator, fit in model_set.series.items() if model_set.kind == "moderation" else ():
            key = follow_up_key(moderator, table, figures)
            stem = folder / f"interaction_{key.replace('.', '_')}"
            figures[key] = _interaction_figure(results, fit, moderator, outcome, stem, labels)
    return figures


def _interaction_figure(results, fit, moderator: str, outcome: str, stem: Path, labels: Labels) -> list[Path]:
    from leftbehind.present.interaction_plot import interaction_plot

    group = results.study.analysis.group
    levels = results.analysis_frame[group].dropna().unique()
    names = {str(level): labels.value(group, level) for level in levels}
    names.update({moderator: labels.variable(moderator), group: labels.variable(group),
                  outcome: labels.variable(outcome)})
    return interaction_plot(fit, group, moderator, stem, labels=names)


def descriptives_block(descriptives, *, labels: Labels, digits: int = 3, title: str | None = None) -> Table:
    """Table 1 from a :class:`~leftbehind.survey.Descriptives`: its own "overall" group shown as
    "Overall" and its group-difference tests (ANOVA F, Pearson χ²) as a note under the table."""
    by = descriptives.by
    values = {**dict(labels.values.get(by, {})), "overall": "Overall"}
    labels = Labels(variables=labels.variables, values={**labels.values, by: values}, terms=labels.terms)
    notes = []
    tests = descriptives.tests
    if tests is not None and len(tests):
        parts = []
        for t in tests.itertuples():
            name = labels.variable(t.variable)
            if t.test == "anova":
                parts.append(f"{name}: F({int(t.df1)}, {int(t.df2)}) = {fmt(t.statistic, 2)}, {p_phrase(t.p)}")
            else:
                parts.append(f"{name}: χ²({int(t.df1)}) = {fmt(t.statistic, 2)}, {p_phrase(t.p)}")
        notes.append("Group differences (one-way ANOVA for means, Pearson χ² for categories): " + "; ".join(parts) + ".")
    return descriptives_table(descriptives.to_frame(), labels=labels, overall=False, group_variable=by,
                              digits=digits, title=title, notes=tuple(notes))
