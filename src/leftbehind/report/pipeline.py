"""The survey pipeline of a study: from raw questionnaires to every quantitative result (layer L5).

``run_study(study)`` loads and cleans the data (``survey``), scores scales and factors
(``measures``), keeps complete cases on the analysis variables, describes the groups and fits
every declared model table (``[[model_tables]]``: nested blocks, main-effect and moderation
series, single models; ``models``). It computes; it writes nothing
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
    """The models of one declared model table, by name, with the stable key of every term.

    ``kind`` is the table's kind (``nested``, ``main_effects``, ``moderation``, ``single``);
    ``nested`` the :class:`~leftbehind.models.nested.NestedResult` of a nested table.
    """

    title: str
    models: dict[str, Any]
    term_keys: dict[str, dict[str, str]]
    series: dict[str, Any] = field(default_factory=dict)
    kind: str = "nested"
    nested: Any = None

@dataclass(frozen=True)
class StudyResults:
    """Everything ``run_study`` computed.

    ``tables`` holds one :class:`ModelSet` per declared model table (``[[model_tables]]``, or
    the defaults of ``[analysis]``) by name; ``nested`` is the R² change of the first nested
    table; ``slopes`` and ``johnson_neyman`` hold the follow-up of every moderation table by
    :func:`follow_up_key`. :meth:`to_dict` is the content of ``output/results.json``; in a
    notebook the object shows the sample flow and the model tables (:meth:`_repr_html_`).
    """

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

    def to_dict(self) -> dict[str, Any]:
        """Every number under the stable keys of ``output/results.json`` (``docs/results-json.md``)."""
        from leftbehind.report.results_json import results_dict

        return results_dict(self)

    def _repr_html_(self) -> str:
        """A compact HTML summary for notebooks: the study title, the sample flow and every model table."""
        from html import escape

        from leftbehind.report.survey_tables import model_tables, sample_flow_table, study_labels

        tables = model_tables(self, study_labels(self))
        parts = [f"<h3>{escape(self.study.study.title)}</h3>", sample_flow_table(self).to_html()]
        parts += [tables[name].to_html() for name in self.tables]
        return '<div class="lb-results">' + "\n".join(parts) + "</div>"


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

    def redo_nested(result):
        if result is None:
            return None
        return replace(result, blocks=tuple(replace(block, result=redo(block.result)) for block in result.blocks))

    out = {name: replace(model_set, models={key: redo(m) for key, m in model_set.models.items()},
                         series={key: replace(fit, result=redo(fit.result)) for key, fit in model_set.series.items()},
                         nested=redo_nested(model_set.nested))
           for name, model_set in tables.items()}
    first = next((m.nested for m in out.values() if m.nested is not None), None)
    return (first if first is not None else redo_nested(nested)), out


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
    """Fit every declared model table (``study.declared_tables()``), by table name.

    Returns ``(nested, tables)``: the :class:`~leftbehind.models.nested.NestedResult` of the
    first nested table (None without one) and ``{name: ModelSet}`` in the declared order.
    Categorical controls enter every model as ``C(name)``; the reference level is resolved
    against ``frame`` and ``value_labels`` (variable -> {code: label}).
    """
    from leftbehind.models.series import integer_codes

    analysis = study.analysis
    frame = integer_codes(frame, study.factor_columns())
    reference = resolve_reference(study, frame, value_labels)
    context = {"study": study, "frame": frame, "reference": reference, "se": _se_options(study),
               "group": group_formula(analysis.group, reference), "progress": progress}
    tables = {table.name: _FIT[table.kind](table, **context) for table in study.declared_tables()}
    nested = next((m.nested for m in tables.values() if m.kind == "nested"), None)
    return nested, tables


def _rhs(analysis, group: str, terms: list[str]) -> str:
    return " + ".join(group if t == analysis.group else control_term(analysis, t) for t in terms)


def _fit_nested(table, *, study, frame, se, group, progress, **_) -> ModelSet:
    from leftbehind.models.nested import nested_models
    from leftbehind.models.series import term_keys

    analysis = study.analysis
    declared = table.blocks_of(analysis)
    formulas, previous = [], [analysis.group]
    for i in range(len(declared) or 1):
        terms = analysis.block_terms(i, declared) if declared else [analysis.group]
        if i == 0:
            formulas.append(f"{table.outcome_of(analysis)} ~ {_rhs(analysis, group, terms)}")
        else:
            formulas.append("+ " + _rhs(analysis, group, [t for t in terms if t not in previous]))
        previous = terms
    _tick(progress, "nested models")
    nested = nested_models(frame, formulas, **se)
    names = study.model_names(table)
    fits = [block.result for block in nested.blocks]
    return ModelSet(table.title, dict(zip(names, fits)),
                    {n: term_keys(list(m.coefficients.index), None, group=analysis.group) for n, m in zip(names, fits)},
                    kind="nested", nested=nested)


def _base_terms(analysis) -> list[str]:
    return analysis.block_terms(len(analysis.nested) - 1) if analysis.nested else [analysis.group]


def _fit_main_effects(table, *, study, frame, se, group, progress, **_) -> ModelSet:
    from leftbehind.models.series import main_effect_series

    analysis = study.analysis
    moderators = table.moderators_of(analysis)
    base = f"{table.outcome_of(analysis)} ~ " + _rhs(analysis, group, _base_terms(analysis))
    _tick(progress, "main-effect series")
    series = main_effect_series(frame, base, [m.variable for m in moderators], group=analysis.group,
                                center={m.variable: m.center_main for m in moderators}, **se)
    return _series_set(table, series, moderators)


def _fit_moderation(table, *, study, frame, se, group, reference, progress, **_) -> ModelSet:
    from leftbehind.models.series import moderation_series

    analysis = study.analysis
    moderators = table.moderators_of(analysis)
    base = f"{table.outcome_of(analysis)} ~ " + (
        _rhs(analysis, group, [t for t in _base_terms(analysis) if t != analysis.group]) or "1")
    _tick(progress, "moderation series")
    series = moderation_series(frame, base, analysis.group, [m.variable for m in moderators],
                               reference=reference if reference is not None else first_level(frame[analysis.group]),
                               center={m.variable: m.center_interaction for m in moderators}, **se)
    return _series_set(table, series, moderators)


def _fit_single(table, *, study, frame, se, group, progress, **_) -> ModelSet:
    from leftbehind.models.ols import fit_ols
    from leftbehind.models.series import term_keys

    analysis = study.analysis
    outcome = table.outcome_of(analysis)
    _tick(progress, f"model {table.name}")
    fit = fit_ols(frame, f"{outcome} ~ " + _rhs(analysis, group, analysis.expand(table.terms)), **se)
    return ModelSet(table.title, {outcome: fit},
                    {outcome: term_keys(list(fit.coefficients.index), None, group=analysis.group)}, kind="single")


_FIT = {"nested": _fit_nested, "main_effects": _fit_main_effects, "moderation": _fit_moderation,
        "single": _fit_single}


def _series_set(table, series, moderators) -> ModelSet:
    fits = {m.variable: series.models[m.variable] for m in moderators}
    return ModelSet(table.title, {name: fit.result for name, fit in fits.items()},
                    {name: dict(fit.term_keys) for name, fit in fits.items()}, fits, kind=table.kind)


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


def follow_up_key(moderator: str, table: str, taken) -> str:
    """The key of a moderator's simple slopes, regions and figure: the moderator, or
    ``TABLE.MODERATOR`` when an earlier moderation table has the same moderator.

    >>> follow_up_key("belong", "moderation", {}), follow_up_key("belong", "anxiety", {"belong": 1})
    ('belong', 'anxiety.belong')
    """
    return moderator if moderator not in taken else f"{table}.{moderator}"


def follow_up(study, tables: dict[str, ModelSet], progress: Progress | None = None):
    """Simple slopes and Johnson-Neyman regions of every group dummy in every model of every
    moderation table, keyed by :func:`follow_up_key`."""
    from leftbehind.models.moderation import johnson_neyman, simple_slopes

    slopes, regions = {}, {}
    for table, model_set in tables.items():
        if model_set.kind != "moderation":
            continue
        for name, fit in model_set.series.items():
            _tick(progress, f"simple slopes {name}")
            key = follow_up_key(name, table, slopes)
            keys = fit.term_keys
            levels = [k[:-2] for k in keys.values() if k.endswith("_x")]  # LEVEL_x: group x moderator
            dummies = {level: term for term, level in keys.items() if level in levels}
            options = _slope_options(study, fit)
            slopes[key] = {level: simple_slopes(fit, t, fit.moderator, **options) for level, t in dummies.items()}
            regions[key] = {level: johnson_neyman(fit, t, fit.moderator) for level, t in dummies.items()}
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
    """Run the whole survey pipeline of a study folder (or a loaded study) and return every result.

    Parameters
    ----------
    study_or_path
        A study folder, its ``study.toml``, or a loaded :class:`~leftbehind.spec.Study`.
    progress
        Called with a short message before each step.

    Returns
    -------
    StudyResults
        Every result; ``to_dict()`` gives the ``results.json`` content. Nothing is written
        (``leftbehind run`` writes the outputs).

    Examples
    --------
    >>> from importlib.resources import files
    >>> results = run_study(files("leftbehind") / "examples" / "hunchun")
    >>> list(results.tables), list(results.to_dict()["models"]["table2"])
    (['table2', 'table3', 'table4'], ['Model 1', 'Model 2'])
    >>> "Sample flow" in results._repr_html_()
    True

    R: ``lm()`` per model, ``anova()`` for the R² change of the nested blocks; Stata:
    ``nestreg: regress``.
    """
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
    columns = study.analysis_columns()
    if study.analysis.clustered and study.survey.cluster:
        columns.append(study.survey.cluster)
    analysis_frame, flow = prepared.listwise(frame, columns=columns)
    analysis_frame = integer_codes(analysis_frame, study.factor_columns())
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
    slopes, regions = follow_up(study, tables, progress)
    return StudyResults(study=study, prepared=prepared, analysis_frame=analysis_frame, flow=flow,
                        reliability=reliability, omega=omega, factors=factors,
                        descriptives=descriptives, nested=nested, tables=tables, slopes=slopes,
                        johnson_neyman=regions, reference=reference, wild_bootstrap=boot,
                        imputation=imputation)
