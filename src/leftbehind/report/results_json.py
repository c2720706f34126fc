"""``output/results.json``: every number of every table under documented, stable keys (layer L5).

The layout is documented in ``docs/results-json.md``. Models are keyed by declared table
(``[[model_tables]] name``) and model name; ``nested`` is the R² change of the first nested
table (``nested_tables`` holds every nested table's when there are several);
terms by their stable keys (``const``, group levels such as ``mother``, ``moderator``,
``mother_x``, control names), each holding ``term`` (the statsmodels name), ``b``, ``se``,
``t``, ``p``, ``ci_low`` and ``ci_high`` (and ``df`` when the tests use CR2/Satterthwaite or
G - 1 degrees of freedom); ``wild_bootstrap`` (only with ``[analysis.wild_bootstrap]``) holds
the bootstrap test of every tested term by table, model and term key.
"""

from __future__ import annotations

from typing import Any

RESULTS_VERSION = 1


def model_entry(model, keys: dict[str, str]) -> dict[str, Any]:
    """One fitted model as JSON: formula, n, r2, adj_r2, se_type and its terms by stable key."""
    terms = {}
    for term, row in model.coefficients.iterrows():
        terms[keys.get(term, term)] = {"term": term, **{c: float(row[c]) for c in
                                                         ("b", "se", "t", "df", "p", "ci_low", "ci_high") if c in row}}
    return {"formula": model.formula, "n": int(model.n), "r2": float(model.r2), "adj_r2": float(model.adj_r2),
            "se_type": model.se_type, "terms": terms}


def results_dict(results) -> dict[str, Any]:
    """All results of a study run as a JSON-ready dict (see ``docs/results-json.md``)."""
    study = results.study
    out: dict[str, Any] = {
        "version": RESULTS_VERSION,
        "study": {"title": study.study.title},
        "sample_flow": results.flow.to_dict(),
        "reliability": {name: {**r.to_dict(), "omega_total": float(results.omega[name].omega_total)}
                        for name, r in results.reliability.items()},
        "factors": {name: f.to_dict() for name, f in results.factors.items()},
        "descriptives": results.descriptives.to_dict() if results.descriptives is not None else None,
        "nested": results.nested.to_dict() if results.nested is not None else None,
        "models": {table: {name: model_entry(model, model_set.term_keys[name])
                           for name, model in model_set.models.items()}
                   for table, model_set in results.tables.items()},
        "simple_slopes": {name: {level: s.to_dict() for level, s in by_level.items()}
                          for name, by_level in results.slopes.items()},
        "johnson_neyman": {name: {level: jn.to_dict() for level, jn in by_level.items()}
                           for name, by_level in results.johnson_neyman.items()},
    }
    nested = {table: m.nested.to_dict() for table, m in results.tables.items() if m.nested is not None}
    if len(nested) > 1:
        out["nested_tables"] = nested
    boot = getattr(results, "wild_bootstrap", None)
    if boot:
        out["wild_bootstrap"] = {table: {model: {key: test.to_dict() for key, test in by_term.items()}
                                         for model, by_term in by_model.items()}
                                 for table, by_model in boot.items()}
    if getattr(results, "imputation", None) is not None:
        out["imputation"] = results.imputation.to_dict()
    return out
