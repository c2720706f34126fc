"""The result of an audit: findings with the numbers behind them.

Examples
--------
>>> report = AuditReport((Finding("flow", "sample_flow", "ok", "collected <= distributed", {"n": 3}),))
>>> report.to_dict()[0]["rule"]
'flow'
>>> report.count("problem")
0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from leftbehind._result import ResultMixin

SEVERITIES = ("problem", "warning", "ok")


@dataclass(frozen=True)
class Finding:
    """One checked statement: which rule, where, how serious, what it means, and its numbers.

    ``severity`` is ``"problem"`` (the printed numbers cannot all be right), ``"warning"``
    (possible, but only under an assumption worth stating) or ``"ok"`` (consistent).
    """

    rule: str
    location: str
    severity: str
    message: str
    numbers: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "location": self.location, "severity": self.severity,
                "message": self.message, "numbers": dict(self.numbers)}


@dataclass(frozen=True)
class AuditReport(ResultMixin):
    """All findings of an audit, problems first."""

    findings: tuple[Finding, ...]

    def count(self, severity: str) -> int:
        """How many findings have ``severity``."""
        return sum(f.severity == severity for f in self.findings)

    def to_dict(self) -> list[dict[str, Any]]:  # type: ignore[override]
        """The findings as a list of dicts with rule, location, severity, message and numbers."""
        return [f.to_dict() for f in self.findings]

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{k: v for k, v in f.to_dict().items() if k != "numbers"} for f in self.findings])

    def to_text(self, *, include_ok: bool = False) -> str:
        """Plain-text listing: one line per finding, then a count line."""
        lines = [f"[{f.severity}] {f.rule} @ {f.location}: {f.message}"
                 for f in self.findings if include_ok or f.severity != "ok"]
        lines.append(f"{self.count('problem')} problem(s), {self.count('warning')} warning(s), "
                     f"{self.count('ok')} check(s) consistent")
        return "\n".join(lines)
