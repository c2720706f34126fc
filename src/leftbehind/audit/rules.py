"""The audit rules: each takes the published-figures dict and yields findings.

The figures format is documented in ``docs/published-figures.md``: ``sample_flow``, ``table1``
(``n`` per group, ``continuous`` means and SDs, ``categorical_percent``) and model tables
(any top-level ``table*`` entry whose models map term keys to ``{"b", "se", "stars"}``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from leftbehind.audit.findings import Finding
from leftbehind.audit.granularity import (
    decimals_of,
    feasible_ns,
    grim_totals,
    grimmer_consistent,
    percent_counts,
    section_decimals,
)

DEFAULT_STARS = (0.05, 0.01, 0.001)
_FLOW_ORDER = ("distributed", "collected", "valid", "complete_cases")


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole


def check_sample_flow(figures: Mapping[str, Any]) -> Iterator[Finding]:
    """Stages never grow, printed rates equal their ratios, parts add up to wholes."""
    flow = figures.get("sample_flow") or {}
    stages = [(k, flow[k]) for k in _FLOW_ORDER if k in flow]
    for (a, na), (b, nb) in zip(stages, stages[1:]):
        ok = nb <= na
        yield Finding("flow_order", f"sample_flow.{b}", "ok" if ok else "problem",
                      f"{b} ({nb}) {'does not exceed' if ok else 'exceeds'} {a} ({na})", {a: na, b: nb})
    rates = {"response_rate_percent": ("collected", ("distributed",)),
             "valid_response_rate_percent": ("valid", ("distributed", "collected"))}
    for key, (num, denominators) in rates.items():
        if key not in flow or num not in flow:
            continue
        printed = flow[key]
        dec = max(decimals_of(printed), 2)
        tried = {d: round(_pct(flow[num], flow[d]), dec) for d in denominators if d in flow}
        match = [d for d, value in tried.items() if abs(value - printed) <= 0.5 * 10**-dec + 1e-9]
        if match:
            msg = f"{key} {printed} = {flow[num]}/{flow[match[0]]} ({num}/{match[0]})"
            yield Finding("flow_rate", f"sample_flow.{key}", "ok", msg, {"printed": printed, **tried})
        else:
            shown = ", ".join(f"{num}/{d} = {v}" for d, v in tried.items())
            yield Finding("flow_rate", f"sample_flow.{key}", "problem",
                          f"{key} is printed as {printed}, but {shown}", {"printed": printed, **tried})
    parts = {k: v for k, v in flow.items() if k.startswith("distributed_")}
    if parts and "distributed" in flow:
        total = sum(parts.values())
        ok = total == flow["distributed"]
        yield Finding("flow_parts", "sample_flow.distributed", "ok" if ok else "problem",
                      f"the parts {sorted(parts)} add up to {total}, distributed is {flow['distributed']}",
                      {"parts_total": total, "distributed": flow["distributed"]})
    group_n = (figures.get("table1") or {}).get("n")
    if group_n and "complete_cases" in flow:
        total = sum(group_n.values())
        ok = total == flow["complete_cases"]
        yield Finding("flow_groups", "table1.n", "ok" if ok else "problem",
                      f"group sizes add up to {total}; the complete-case sample is {flow['complete_cases']}",
                      {"groups_total": total, "complete_cases": flow["complete_cases"]})


def check_percentages(figures: Mapping[str, Any]) -> Iterator[Finding]:
    """Each printed percentage must be ``100 k / n`` for the group's n; columns add up to 100."""
    table1 = figures.get("table1") or {}
    group_n = table1.get("n") or {}
    for variable, levels in (table1.get("categorical_percent") or {}).items():
        decimals = section_decimals(p for row in levels.values() for p in row.values())
        for group, n in group_n.items():
            column = {level: row[group] for level, row in levels.items() if group in row}
            bad = {level: p for level, p in column.items() if not percent_counts(p, n, decimals=decimals)}
            total = sum(column.values())
            slack = len(column) * 0.5 * 10**-decimals + 1e-9
            location = f"table1.categorical_percent.{variable}.{group}"
            if bad:
                near = feasible_ns(list(column.values()), decimals=decimals,
                                   candidates=range(max(1, int(n * 0.8)), int(n * 1.2) + 2))
                nearest = sorted(near, key=lambda m: abs(m - n))[:3]
                yield Finding("percent_granularity", location, "problem",
                              f"{', '.join(f'{lv} = {p}%' for lv, p in bad.items())} cannot be a share of "
                              f"n = {n} children; the whole column is possible for n in {nearest or 'none near'}",
                              {"n": n, "impossible": bad, "feasible_n_nearby": nearest})
            else:
                yield Finding("percent_granularity", location, "ok",
                              f"every percentage is possible for n = {n}", {"n": n})
            if abs(total - 100) > slack:
                yield Finding("percent_sum", location, "problem",
                              f"percentages add up to {total:.2f}, more than rounding allows ({100 - slack:.2f}-{100 + slack:.2f})",
                              {"sum": round(total, 6)})
    yield from _duplicate_rows(table1)


def _duplicate_rows(table1: Mapping[str, Any]) -> Iterator[Finding]:
    seen: dict[tuple, str] = {}
    for variable, levels in (table1.get("categorical_percent") or {}).items():
        for level, row in levels.items():
            values = tuple(sorted(row.items()))
            if len(row) > 1 and any(v for _, v in values):
                where = f"{variable}.{level}"
                if values in seen and not seen[values].startswith(f"{variable}."):
                    yield Finding("duplicate_row", f"table1.categorical_percent.{where}", "warning",
                                  f"the row {where} repeats {seen[values]} in every group "
                                  f"({', '.join(f'{g} {v}' for g, v in values)}); check for a copying error",
                                  {"row": dict(values), "same_as": seen[values]})
                seen.setdefault(values, where)


def _integer_valued(figures: Mapping[str, Any], extra: tuple[str, ...]) -> dict[str, int]:
    """Variables whose values are integers, mapped to their number of items (1 for a sum)."""
    found = {name: 1 for name in figures.get("integer_valued", [])}
    for key, value in figures.items():
        if key.endswith("_scale") and isinstance(value, Mapping) and value.get("score") == "sum":
            found[key.removesuffix("_scale")] = 1
        if key.endswith("_scale") and isinstance(value, Mapping) and value.get("score") == "mean":
            found[key.removesuffix("_scale")] = int(value.get("items", 1))
    found.update({name: 1 for name in extra})
    return found


def check_means(figures: Mapping[str, Any], *, integer_valued: tuple[str, ...] = ()) -> Iterator[Finding]:
    """GRIM for means and GRIMMER for SDs of integer-valued variables in Table 1."""
    table1 = figures.get("table1") or {}
    group_n = table1.get("n") or {}
    integers = _integer_valued(figures, integer_valued)
    for variable, stats in (table1.get("continuous") or {}).items():
        if variable not in integers:
            continue
        items = integers[variable]
        means, sds = stats.get("mean", {}), stats.get("sd", {})
        dm, ds = section_decimals(means.values()), section_decimals(sds.values())
        for group, n in group_n.items():
            if group not in means:
                continue
            location = f"table1.continuous.{variable}.{group}"
            totals = grim_totals(means[group], n, decimals=dm, items=items)
            if not totals:
                below = math.floor(means[group] * n * items) / (n * items)
                above = math.ceil(means[group] * n * items) / (n * items)
                yield Finding("grim", location, "problem",
                              f"a mean of {means[group]} is impossible for {n} integer scores: the nearest "
                              f"possible means are {below:.{dm + 2}f} and {above:.{dm + 2}f}",
                              {"mean": means[group], "n": n, "nearest": [below, above]})
                continue
            yield Finding("grim", location, "ok", f"mean {means[group]} is possible for n = {n}",
                          {"mean": means[group], "n": n, "totals": totals[:5]})
            if group in sds:
                ok = grimmer_consistent(means[group], sds[group], n, decimals_mean=dm, decimals_sd=ds, items=items)
                yield Finding("grimmer", location, "ok" if ok else "problem",
                              f"SD {sds[group]} with mean {means[group]} is "
                              f"{'possible' if ok else 'impossible'} for {n} integer scores",
                              {"mean": means[group], "sd": sds[group], "n": n})


def check_group_sizes(figures: Mapping[str, Any], *, integer_valued: tuple[str, ...] = ()) -> Iterator[Finding]:
    """For each group, the sizes near the printed n for which every percentage and every GRIM mean
    of Table 1 is possible; a problem when the printed n is not among them."""
    table1 = figures.get("table1") or {}
    group_n = table1.get("n") or {}
    percents = table1.get("categorical_percent") or {}
    integers = _integer_valued(figures, integer_valued)
    continuous = {v: s for v, s in (table1.get("continuous") or {}).items() if v in integers}
    for group, n in group_n.items():
        columns = []
        for levels in percents.values():
            decimals = section_decimals(p for row in levels.values() for p in row.values())
            columns.append(([row[group] for row in levels.values() if group in row], decimals))
        means = [(s["mean"][group], section_decimals(s["mean"].values()), integers[v])
                 for v, s in continuous.items() if group in s.get("mean", {})]
        if not columns and not means:
            continue

        def fits(m: int) -> bool:
            return (all(feasible_ns(col, decimals=d, candidates=[m]) for col, d in columns)
                    and all(grim_totals(mean, m, decimals=d, items=k) for mean, d, k in means))

        window = range(max(1, int(n * 0.9)), int(n * 1.1) + 2)
        candidates = [m for m in window if fits(m)]
        location = f"table1.n.{group}"
        if n in candidates:
            yield Finding("group_size", location, "ok", f"every Table 1 figure of '{group}' is possible for n = {n}",
                          {"n": n})
        else:
            nearest = sorted(candidates, key=lambda m: abs(m - n))[:3]
            text = (f"n = {m} fits them all" if (m := (nearest or [None])[0]) else "no n within 10% fits them all")
            yield Finding("group_size", location, "problem",
                          f"Table 1 prints n = {n} for '{group}', but its percentages and means are not all possible "
                          f"for {n} children; {text} (candidates {nearest}): the column was probably computed on "
                          "another sample", {"n": n, "consistent_n": nearest})
