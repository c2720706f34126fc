"""Audit rules for regression tables: stars against b/SE, and group-only models against Table 1."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from leftbehind.audit.findings import Finding
from leftbehind.audit.granularity import printed_decimals, section_decimals

DEFAULT_STARS = (0.05, 0.01, 0.001)
_META = {"n", "r2", "adj_r2", "note", "notes"}


def model_tables(figures: Mapping[str, Any]) -> dict[str, dict[str, dict]]:
    """Top-level ``table*`` entries whose values are models (term -> {"b", "se"})."""
    tables = {}
    for name, table in figures.items():
        if not (name.startswith("table") and isinstance(table, Mapping)):
            continue
        models = {m: spec for m, spec in table.items()
                  if isinstance(spec, Mapping) and any(isinstance(t, Mapping) and "b" in t for t in spec.values())}
        if models:
            tables[name] = models
    return tables


def _terms(model: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {k: v for k, v in model.items() if k not in _META and isinstance(v, Mapping) and "b" in v}


def stars_for(p: float, cutoffs: tuple[float, ...] = DEFAULT_STARS) -> str:
    """Number of stars for ``p`` under strictly-below ``cutoffs`` (sorted any way)."""
    return "*" * sum(p < c for c in cutoffs)


def _p_range(b: float, se: float, df: int | None) -> tuple[float, float]:
    """Smallest and largest two-sided p over the rounding intervals of b and se (t or z)."""
    from scipy import stats

    hb, hs = 0.5 * 10 ** -printed_decimals(b), 0.5 * 10 ** -printed_decimals(se)
    b_abs_lo = max(abs(b) - hb, 0.0)
    b_abs_hi = abs(b) + hb
    se_lo, se_hi = max(se - hs, 1e-12), se + hs
    t_hi, t_lo = b_abs_hi / se_lo, b_abs_lo / se_hi
    dist = stats.t(df) if df else stats.norm()
    return float(2 * dist.sf(t_hi)), float(2 * dist.sf(t_lo))


def check_stars(figures: Mapping[str, Any], *, cutoffs: tuple[float, ...] = DEFAULT_STARS) -> Iterator[Finding]:
    """Printed stars must be reachable from the printed b and SE (t test; rounding allowed)."""
    default_n = (figures.get("sample_flow") or {}).get("complete_cases")
    for table, models in model_tables(figures).items():
        for model, spec in models.items():
            terms = _terms(spec)
            n = spec.get("n", default_n)
            df = n - len(terms) if n else None
            for term, cell in terms.items():
                if "se" not in cell or "stars" not in cell or not cell["se"]:
                    continue
                p_lo, p_hi = _p_range(cell["b"], cell["se"], df)
                printed = cell["stars"] or ""
                lo_n, hi_n = len(stars_for(p_hi, cutoffs)), len(stars_for(p_lo, cutoffs))
                ok = lo_n <= len(printed) <= hi_n
                numbers = {"b": cell["b"], "se": cell["se"], "t": cell["b"] / cell["se"], "df": df,
                           "p_range": [p_lo, p_hi], "printed_stars": printed}
                where = f"{table}.{model}.{term}"
                if ok:
                    yield Finding("stars", where, "ok", f"stars '{printed}' fit t = {cell['b'] / cell['se']:.2f}", numbers)
                else:
                    expected = "*" * (lo_n if len(printed) < lo_n else hi_n)
                    yield Finding("stars", where, "problem",
                                  f"b = {cell['b']}, SE = {cell['se']} give t = {cell['b'] / cell['se']:.2f} and "
                                  f"p between {p_lo:.4g} and {p_hi:.4g}, which earns '{expected}', "
                                  f"but '{printed}' is printed", numbers)


def _outcome(figures: Mapping[str, Any], outcome: str | None) -> str | None:
    continuous = (figures.get("table1") or {}).get("continuous") or {}
    if outcome:
        return outcome
    if figures.get("outcome"):
        return figures["outcome"]
    for key in figures:
        if key.endswith("_scale") and key.removesuffix("_scale") in continuous:
            return key.removesuffix("_scale")
    return None


def check_group_models(figures: Mapping[str, Any], *, outcome: str | None = None) -> Iterator[Finding]:
    """A model with only group dummies must reproduce Table 1: constant = reference mean,
    coefficients = differences of group means, SEs and R² from the pooled within-group SD."""
    table1 = figures.get("table1") or {}
    group_n = table1.get("n") or {}
    outcome = _outcome(figures, outcome)
    stats = ((table1.get("continuous") or {}).get(outcome) or {}) if outcome else {}
    means, sds = stats.get("mean") or {}, stats.get("sd") or {}
    if not (group_n and means and sds):
        return
    dm = section_decimals(means.values())
    for table, models in model_tables(figures).items():
        for model, spec in models.items():
            terms = _terms(spec)
            dummies = [t for t in terms if t != "const"]
            if "const" not in terms or not dummies or not set(dummies) < set(group_n):
                continue
            reference = [g for g in group_n if g not in dummies]
            if len(reference) != 1:
                continue
            yield from _compare_group_model(f"{table}.{model}", terms, spec, reference[0], group_n, means, sds, dm)


def _compare_group_model(where, terms, spec, reference, group_n, means, sds, dm) -> Iterator[Finding]:
    total_n = sum(group_n.values())
    pooled_var = sum((group_n[g] - 1) * sds[g] ** 2 for g in group_n) / (total_n - len(group_n))
    pooled_sd = math.sqrt(pooled_var)
    expected = {"const": (means[reference], pooled_sd / math.sqrt(group_n[reference]))}
    for g in group_n:
        if g != reference:
            expected[g] = (means[g] - means[reference], pooled_sd * math.sqrt(1 / group_n[g] + 1 / group_n[reference]))
    for term, cell in terms.items():
        b_exp, se_exp = expected[term]
        tolerance = 2 * 0.5 * 10**-dm + 0.5 * 10 ** -printed_decimals(cell["b"]) + 1e-9
        diff = cell["b"] - b_exp
        what = f"the mean of '{reference}'" if term == "const" else f"mean('{term}') - mean('{reference}')"
        numbers = {"printed_b": cell["b"], "from_table1": round(b_exp, 6), "difference": round(diff, 6),
                   "tolerance": tolerance, "printed_se": cell.get("se"), "se_from_table1": round(se_exp, 6)}
        if abs(diff) <= tolerance:
            yield Finding("group_model", f"{where}.{term}", "ok", f"b = {cell['b']} equals {what} = {b_exp:.4f}", numbers)
        else:
            yield Finding("group_model", f"{where}.{term}", "problem",
                          f"b = {cell['b']} should equal {what} in Table 1 = {b_exp:.4f} (difference {diff:+.4f}, "
                          f"rounding allows {tolerance:.4f}); the model and Table 1 may use different samples",
                          numbers)
    grand = sum(group_n[g] * means[g] for g in group_n) / total_n
    ss_between = sum(group_n[g] * (means[g] - grand) ** 2 for g in group_n)
    ss_within = pooled_var * (total_n - len(group_n))
    r2 = ss_between / (ss_between + ss_within)
    if "r2" in spec:
        tol = 0.5 * 10 ** -printed_decimals(spec["r2"], significant=1) + 0.002
        ok = abs(spec["r2"] - r2) <= tol
        yield Finding("group_model_r2", f"{where}.r2", "ok" if ok else "problem",
                      f"R² = {spec['r2']} {'matches' if ok else 'differs from'} the R² implied by Table 1's means "
                      f"and SDs ({r2:.4f})", {"printed": spec["r2"], "from_table1": round(r2, 6)})
