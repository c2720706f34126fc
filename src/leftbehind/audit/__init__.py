"""Consistency audit of a paper's published figures (layer L3).

Checks printed numbers against each other before anyone builds on them: GRIM and GRIMMER for
means and SDs of integer scores, feasibility of percentages for the group sizes, sample-flow
arithmetic and rates, stars against b/SE, and models with only group dummies against Table 1.

Examples
--------
>>> figures = {"sample_flow": {"distributed": 100, "collected": 90, "response_rate_percent": 90.0}}
>>> report = audit_figures(figures)
>>> report.count("problem")
0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leftbehind.audit.findings import SEVERITIES, AuditReport, Finding
from leftbehind.audit.model_rules import DEFAULT_STARS, check_group_models, check_stars
from leftbehind.audit.rules import check_group_sizes, check_means, check_percentages, check_sample_flow

__all__ = ["AuditReport", "Finding", "audit_figures", "load_figures"]


def audit_figures(figures: Mapping[str, Any], *, integer_valued: tuple[str, ...] = (),
                  outcome: str | None = None, stars: tuple[float, ...] = DEFAULT_STARS) -> AuditReport:
    """Run every audit rule on a published-figures dict; problems first, then warnings, then ok."""
    findings: list[Finding] = [
        *check_sample_flow(figures),
        *check_percentages(figures),
        *check_means(figures, integer_valued=tuple(integer_valued)),
        *check_group_sizes(figures, integer_valued=tuple(integer_valued)),
        *check_stars(figures, cutoffs=tuple(stars)),
        *check_group_models(figures, outcome=outcome),
    ]
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: order[f.severity])
    return AuditReport(tuple(findings))


def load_figures(path) -> dict[str, Any]:
    """Read a published-figures JSON file, with a one-line error naming the file on failure."""
    import json
    from pathlib import Path

    from leftbehind.errors import DataError

    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("file not found", file=str(path), hint="give the path of a published-figures JSON file") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON ({exc.msg})", file=str(path), line=exc.lineno,
                        hint="fix the JSON syntax; see docs/published-figures.md") from None
    if not isinstance(data, dict):
        raise DataError("the top level must be a JSON object", file=str(path), hint="see docs/published-figures.md")
    return data
