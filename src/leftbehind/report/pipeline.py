"""The survey pipeline of a study: from raw questionnaires to every quantitative result (layer L5).

``run_study(study)`` loads and cleans the data (``survey``), scores scales and factors
(``measures``), keeps complete cases on the analysis variables, describes the groups and fits
the nested, main-effect and moderation models (``models``). It computes; it writes nothing
(see :mod:`leftbehind.report.outputs`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Progress = Callable[[str], None]


def group_formula(group: str, reference: Any) -> str:
    """The formula term of the grouping variable (``models.series.group_term`` with a reference).

    ``reference`` is the level as it is in the data (see :func:`resolve_reference`); without one
    the lowest level is the reference, as in R.

    >>> group_formula("care", 1), group_formula("care", None)
    ('C(care, Treatment(1))', 'C(care)')
    """
    from leftbehind.models.series import group_term

    return group_term(group, reference) if reference is not None else f"C({group})"


def control_term(analysis, term: str) -> str:
    """The formula term of a control or nested addition: ``C(name)`` for a categorical one
    (written ``C(name)`` or listed under ``categorical``), else the name itself.

    >>> from leftbehind.spec import Analysis
    >>> a = Analysis(outcome="y", group="g", controls=["C(school)", "region", "age"], categorical=["region"])
    >>> [control_term(a, t) for t in a.controls]
    ['C(school)', 'C(region)', 'age']
    """
    from leftbehind.models._formula import term_code

    return f"C({term_code(analysis.column(term))})" if analysis.is_categorical(term) else term


def first_level(values) -> Any:
    """The level patsy's ``C(values)`` takes as reference: the first category of a pandas
    categorical, else the smallest value.

    >>> import pandas as pd
    >>> first_level(pd.Series(pd.Categorical(["b", "a"], categories=["b", "a"]))), first_level(pd.Series([3, 1]))
    ('b', 1)
    """
    import pandas as pd

    from leftbehind.models.series import plain_level

    if isinstance(values.dtype, pd.CategoricalDtype):
        return plain_level(values.cat.categories[0])
    return plain_level(sorted(pd.unique(values.dropna()))[0])


def resolve_reference(study, frame, value_labels=None) -> Any:
    """The group's reference level as it is in ``frame`` (``survey.levels.resolve_level`` on the
    study's ``reference``: a code, a code as text or a value label), or None when none is set."""
    from leftbehind.spec.crosscheck import key_line
    from leftbehind.survey.levels import resolve_level

    analysis = study.analysis
    if analysis.reference is None:
        return None
    labels = (value_labels or {}).get(analysis.group) or study.value_labels_for(analysis.group)
    return resolve_level(frame[analysis.group], analysis.reference, labels=labels, variable=analysis.group,
                         file=None if study.path is None else str(study.path),
                         line=key_line(study.path, ("analysis", "reference")))


@dataclass(frozen=True)
class ModelSet:
    """The models of one table, by name, with the stable key of every term."""

    title: str
    models: dict[str, Any]
    term_keys: dict[str, dict[str, str]]
    series: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StudyResults:
    """Everything ``run_study`` computed."""

    study: Any
    prepared: Any
    analysis_frame: Any
    flow: Any
    reliability: dict[str, Any]
    omega: dict[str, Any]
    factors: dict[str, Any]
    descriptives: Any
    nested: Any
    tables: dict[str, ModelSet]
    slopes: dict[str, dict[str, Any]]
    johnson_neyman: dict[str, dict[str, Any]]
    reference: Any = None
    """The group's reference level as it is in the data (the study's ``reference`` resolved from a
    code or label), or None when the study gives none."""
    imputation: Any = None
    """``[missing] method = "mice"``: the nested blocks after multiple imputation
    (:class:`~leftbehind.report.imputation.ImputedModels`), else None."""
    wild_bootstrap: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)


def _tick(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


def load(study_or_path) -> Any:
    """A :class:`~leftbehind.spec.Study` from a path (folder or toml) or the object itself."""
    from leftbehind.spec import load_study

    return load_study(study_or_path) if isinstance(study_or_path, (str, Path)) else study_or_path


def score_measures(study, frame, progress: Progress | None = None):
    """Add scale sums/means and factor scores to ``frame``; return it with their results."""
    from leftbehind.measures import cronbach_alpha, efa, omega_total, scale_score

    frame = frame.copy()
    reliability, omega, factors = {}, {}, {}
    for name, scale in study.scales.items():
        _tick(progress, f"scale {name}")
        frame[name] = scale_score(frame, scale.items, method=scale.score, min_items=scale.min_items)
        reliability[name] = cronbach_alpha(frame, scale.items)
        omega[name] = omega_total(frame, scale.items)
    for name, spec in study.factors.items():
        _tick(progress, f"factor analysis {name}")
        result = efa(frame, spec.items, n_factors=spec.n_factors, method=spec.method, rotation=spec.rotation)
        factors[name] = result
        scores = result.scores(frame, method=spec.scores)
        if spec.n_factors == 1:
            frame[name] = scores.iloc[:, 0]
        else:
            for i, column in enumerate(scores.columns, start=1):
                frame[f"{name}_{i}"] = scores[column]
    return frame, reliability, omega, factors


def _se_options(study) -> dict[str, Any]:
    kind = study.analysis.se
    if kind in ("cluster", "CR2"):  # CR2 replaces the CR1 tests afterwards (small_sample)
        return {"se": "cluster", "cluster": study.survey.cluster}
    return {"se": kind, "cluster": None}


def small_sample(study, nested, tables: dict[str, ModelSet]):
    """Redo the tests of every model for few clusters: CR2 + Satterthwaite, or CR1 on G - 1 df.

    ``se = "CR2"`` uses :func:`~leftbehind.models.small_clusters.with_cr2`; ``se = "cluster"``
    with ``cluster_df = "G-1"`` uses :func:`~leftbehind.models.small_clusters.with_cluster_df`.
    Otherwise ``nested`` and ``tables`` come back unchanged.
    """
    from dataclasses import replace

    from leftbehind.models.small_clusters import with_cluster_df, with_cr2

    analysis = study.analysis
    if analysis.se == "CR2":
        adjust = with_cr2
    elif analysis.se == "cluster" and analysis.cluster_df == "G-1":
        adjust = with_cluster_df
    else:
        return nested, tables
    done: dict[int, Any] = {}  # a fit shared by the nested blocks, a table and a series is redone once

    def redo(fit):
        if id(fit) not in done:
            done[id(fit)] = adjust(fit)
        return done[id(fit)]

    nested = replace(nested, blocks=tuple(replace(block, result=redo(block.result)) for block in nested.blocks))
    out = {name: replace(model_set, models={key: redo(m) for key, m in model_set.models.items()},
                         series={key: replace(fit, result=redo(fit.result)) for key, fit in model_set.series.items()})
           for name, model_set in tables.items()}
    return nested, out


def wild_bootstrap_tests(study, tables: dict[str, ModelSet], progress: Progress | None = None):
    """``[analysis.wild_bootstrap]``: a WCR bootstrap of every coefficient involving its terms.

    Returns ``{table: {model: {term key: WildBootstrapResult}}}`` (empty without the table).
    """
    from leftbehind.models.wild_bootstrap import terms_involving, wild_cluster_bootstrap

    spec = study.analysis.wild_bootstrap
    if spec is None:
        return {}
    variables = spec.terms or [study.analysis.group]
    _tick(progress, "wild cluster bootstrap")
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table, model_set in tables.items():
        for name, fit in model_set.models.items():
            keys = model_set.term_keys[name]
            out.setdefault(table, {})[name] = {
                keys.get(term, term): wild_cluster_bootstrap(fit, term, cluster=study.survey.cluster, reps=spec.reps,
                                                             weights=spec.weights, seed=spec.seed)
                for term in terms_involving(fit, variables)}
    return out


def fit_tables(study, frame, progress: Progress | None = None, *, value_labels=None):
    """Fit Table 2 (nested blocks), Table 3 (main effects) and Table 4 (moderation).

    Categorical controls enter every model as ``C(name)``; the reference level is resolved
    against ``frame`` and ``value_labels`` (variable -> {code: label}).
    """
    from leftbehind.models.nested import nested_models
    from leftbehind.models.series import integer_codes, main_effect_series, moderation_series, term_keys

    analysis = study.analysis
    frame = integer_codes(frame, analysis.factor_columns())
    reference = resolve_reference(study, frame, value_labels)
    group = group_formula(analysis.group, reference)

    def rhs(terms: list[str]) -> str:
        return " + ".join(group if t == analysis.group else control_term(analysis, t) for t in terms)

    se = _se_options(study)
    blocks, previous = [], [analysis.group]
    for i, _block in enumerate(analysis.nested or [{"name": "Model 1"}]):
        terms = analysis.block_terms(i) if analysis.nested else [analysis.group]
        if i == 0:
            blocks.append(f"{analysis.outcome} ~ {rhs(terms)}")
        else:
            blocks.append("+ " + rhs([t for t in terms if t not in previous]))
        previous = terms
    _tick(progress, "nested models")
    nested = nested_models(frame, blocks, **se)
    names = [b.name for b in analysis.nested] or ["Model 1"]
    fits = [block.result for block in nested.blocks]
    table2 = ModelSet("Nested models", dict(zip(names, fits)),
                      {n: term_keys(list(m.coefficients.index), None, group=analysis.group)
                       for n, m in zip(names, fits)})
    base_terms = analysis.block_terms(len(analysis.nested) - 1) if analysis.nested else [analysis.group]
    base = f"{analysis.outcome} ~ " + rhs(base_terms)
    base_without_group = f"{analysis.outcome} ~ " + (rhs([t for t in base_terms if t != analysis.group]) or "1")
    tables = {"table2": table2}
    if analysis.moderators:
        variables = [m.variable for m in analysis.moderators]
        _tick(progress, "main-effect series")
        main = main_effect_series(frame, base, variables, group=analysis.group,
                                  center={m.variable: m.center_main for m in analysis.moderators}, **se)
        _tick(progress, "moderation series")
        inter = moderation_series(frame, base_without_group, analysis.group, variables,
                                  reference=reference if reference is not None else first_level(frame[analysis.group]),
                                  center={m.variable: m.center_interaction for m in analysis.moderators}, **se)
        tables["table3"] = _series_set("Main effects of the moderators", main, analysis.moderators)
        tables["table4"] = _series_set("Group × moderator interactions", inter, analysis.moderators)
    return nested, tables


def _series_set(title: str, series, moderators) -> ModelSet:
    fits = {m.variable: series.models[m.variable] for m in moderators}
    return ModelSet(title, {name: fit.result for name, fit in fits.items()},
                    {name: dict(fit.term_keys) for name, fit in fits.items()}, fits)


def _slope_options(study, fit) -> dict[str, Any]:
    """``simple_slopes`` keywords from the moderator's ``[[analysis.moderators]]`` entry."""
    spec = next(m for m in study.analysis.moderators if m.variable == fit.moderator)
    derived = study.derived.get(spec.variable)
    source = derived.source if getattr(derived, "rule", None) == "copy" else spec.variable
    item = study.all_items().get(source)
    options: dict[str, Any] = {"percentiles": spec.percentiles,
                               "valid_range": item.range if item is not None else None}
    if isinstance(spec.slopes_at, list):
        options["at"] = [value - (fit.centre or 0.0) for value in spec.slopes_at]
    else:
        options["at"] = spec.slopes_at
    return options


def follow_up(study, table4: ModelSet, progress: Progress | None = None):
    """Simple slopes and Johnson-Neyman regions of every group dummy in every moderation model."""
    from leftbehind.models.moderation import johnson_neyman, simple_slopes

    slopes, regions = {}, {}
    for name, fit in table4.series.items():
        _tick(progress, f"simple slopes {name}")
        keys = fit.term_keys
        levels = [key[:-2] for key in keys.values() if key.endswith("_x")]  # LEVEL_x: group x moderator
        dummies = {level: term for term, level in keys.items() if level in levels}
        options = _slope_options(study, fit)
        slopes[name] = {level: simple_slopes(fit, t, fit.moderator, **options) for level, t in dummies.items()}
        regions[name] = {level: johnson_neyman(fit, t, fit.moderator) for level, t in dummies.items()}
    return slopes, regions


def impute_nested(study, frame, nested, progress: Progress | None = None):
    """``[missing] method = "mice"``: the nested blocks refitted on multiply imputed data.

    ``frame`` is the analysis frame before listwise deletion; the blocks' own cumulative
    formulas are imputed and pooled (:func:`leftbehind.report.imputation.impute_study_models`).
    Returns None for ``method = "listwise"``.
    """
    if study.missing.method != "mice":
        return None
    from leftbehind.report.imputation import impute_study_models

    _tick(progress, "multiple imputation")
    names = [b.name for b in study.analysis.nested] or ["Model 1"]
    formulas = {name: block.formula for name, block in zip(names, nested.blocks)}
    return impute_study_models(study, frame, formulas=formulas, listwise=nested)


def run_study(study_or_path, *, progress: Progress | None = None) -> StudyResults:
    """Run the whole survey pipeline of a study folder (or a loaded study) and return every result."""
    from leftbehind.errors import StudyFileError
    from leftbehind.models.series import integer_codes
    from leftbehind.survey import describe_by_group, prepare

    study = load(study_or_path)
    _tick(progress, "reading and cleaning the questionnaires")
    prepared = prepare(study)
    frame, reliability, omega, factors = score_measures(study, prepared.valid, progress)
    if study.analysis is None:
        raise StudyFileError("the study file has no [analysis] section", key="analysis",
                             hint="add [analysis] with outcome, group and controls (docs/study-file.md)")
    columns = study.analysis.variables()
    if study.analysis.clustered and study.survey.cluster:
        columns.append(study.survey.cluster)
    analysis_frame, flow = prepared.listwise(frame, columns=columns)
    analysis_frame = integer_codes(analysis_frame, study.analysis.factor_columns())
    reference = resolve_reference(study, analysis_frame, prepared.value_labels)
    descriptives = None
    if study.descriptives is not None:
        _tick(progress, "descriptives by group")
        d = study.descriptives
        descriptives = describe_by_group(analysis_frame, d.by, continuous=d.continuous, categorical=d.categorical,
                                         overall=d.overall, tests=d.tests)
    nested, tables = small_sample(study, *fit_tables(study, analysis_frame, progress,
                                                    value_labels=prepared.value_labels))
    boot = wild_bootstrap_tests(study, tables, progress)
    imputation = impute_nested(study, integer_codes(frame, study.analysis.factor_columns()), nested, progress)
    slopes, regions = follow_up(study, tables["table4"], progress) if "table4" in tables else ({}, {})
    return StudyResults(study=study, prepared=prepared, analysis_frame=analysis_frame, flow=flow,
                        reliability=reliability, omega=omega, factors=factors,
                        descriptives=descriptives, nested=nested, tables=tables, slopes=slopes,
                        johnson_neyman=regions, reference=reference, wild_bootstrap=boot,
                        imputation=imputation)
