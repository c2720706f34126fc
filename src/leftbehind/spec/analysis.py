"""Frozen pydantic models of the analysis part of ``study.toml`` (layer L1).

``[scales.*]``, ``[factors.*]``, ``[descriptives]``, ``[analysis]`` with its nested blocks and
moderators, and ``[tables]``. The instrument part is in :mod:`leftbehind.spec.model`.

Examples
--------
>>> a = Analysis(outcome="depression", group="migration", controls=["girl", "age"],
...              nested=[{"name": "Model 1", "add": []}, {"name": "Model 2", "add": ["@controls"]}])
>>> [a.block_terms(i) for i in range(2)]
[['migration'], ['migration', 'girl', 'age']]

A control written ``C(school)``, or listed under ``categorical``, enters every model as one
dummy per level (R: ``factor(school)``); ``reference`` is a code (``1``) or a value label:

>>> a = Analysis(outcome="dep", group="care", reference=1, controls=["C(school)", "girl"])
>>> a.variables(), a.is_categorical("C(school)"), a.column("C(school)")
(['dep', 'care', 'school', 'girl'], True, 'school')
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, StrictFloat, StrictInt, StrictStr, field_validator, model_validator

from leftbehind.spec.model import Frozen

CONTROLS_TOKEN = "@controls"
"""In ``[[analysis.nested]] add = [...]``, stands for the whole ``controls`` list."""

TABLE_FORMATS = ("markdown", "html", "latex", "docx", "csv", "json")

FACTOR_TERM = re.compile(r"^\s*C\(\s*(?P<name>[^(),\s]+)\s*\)\s*$")
"""A control written as a factor: ``C(school)`` (the name inside may not contain brackets or commas)."""

ReferenceLevel = StrictInt | StrictFloat | StrictStr
"""A reference level as written: a code (``1``), a code as text (``"1"``) or a value label."""


def factor_column(term: str) -> str | None:
    """The column inside a ``C(name)`` term, or None if ``term`` is not written that way.

    >>> factor_column("C(school)"), factor_column("school")
    ('school', None)
    """
    match = FACTOR_TERM.match(term)
    return match.group("name") if match else None


class Scale(Frozen):
    """``[scales.NAME]``: a sum or mean score over items, with a rule for missing items.

    ``min_items`` (default: all items) is the fewest answered items for a score, as SPSS
    ``MEAN.k`` / ``SUM.k``; ``score = "prorated"`` is the mean of the answered items times the
    number of items.
    """

    items: list[str] = Field(min_length=1)
    score: Literal["sum", "mean", "prorated"] = "sum"
    min_items: int | None = Field(default=None, ge=1)
    label: str | None = None

    @model_validator(mode="after")
    def _min_items_fit(self) -> Scale:
        if self.min_items is not None and self.min_items > len(self.items):
            raise ValueError(f"min_items ({self.min_items}) exceeds the {len(self.items)} items listed")
        return self


class Factor(Frozen):
    """``[factors.NAME]``: an exploratory factor analysis and its factor scores."""

    items: list[str] = Field(min_length=2)
    n_factors: int = Field(default=1, ge=1)
    method: Literal["minres", "ml", "pa"] = "minres"
    rotation: Literal["none", "varimax", "oblimin", "promax"] = "none"
    scores: Literal["regression", "bartlett"] = "regression"
    label: str | None = None


class Descriptives(Frozen):
    """``[descriptives]``: the by-group table of the sample (Table 1)."""

    by: str
    continuous: list[str] = Field(default_factory=list)
    categorical: list[str] = Field(default_factory=list)
    overall: bool = False
    tests: bool = False


class NestedBlock(Frozen):
    """``[[analysis.nested]]``: terms added to the block before (the first adds to the group)."""

    name: str
    add: list[str] = Field(default_factory=list)


class Moderator(Frozen):
    """``[[analysis.moderators]]``: a moderator of the group effect.

    ``slopes_at`` chooses where simple slopes are probed: ``"sd"`` (mean ± SD clipped to the
    observed range), ``"percentiles"`` (``percentiles``), or a list of values on the
    moderator's original scale.
    """

    variable: str
    label: str | None = None
    center_main: bool = True
    center_interaction: bool = True
    slopes_at: Literal["sd", "percentiles"] | list[float] = "sd"
    percentiles: list[float] = Field(default_factory=lambda: [16.0, 50.0, 84.0], min_length=1)

    @field_validator("percentiles")
    @classmethod
    def _percent(cls, value: list[float]) -> list[float]:
        if any(not 0 <= q <= 100 for q in value):
            raise ValueError(f"percentiles must lie between 0 and 100, got {value}")
        return value


class WildBootstrap(Frozen):
    """``[analysis.wild_bootstrap]``: restricted wild cluster bootstrap p-values (needs ``survey.cluster``).

    ``terms`` are variables; every coefficient of a model that involves one of them is tested
    (default: the group variable).
    """

    reps: int = Field(default=9999, ge=99)
    weights: Literal["rademacher", "webb"] = "rademacher"
    seed: int = 20231
    terms: list[str] = Field(default_factory=list)


class Analysis(Frozen):
    """``[analysis]``: the outcome model, its nested blocks and moderators."""

    outcome: str
    group: str
    reference: ReferenceLevel | None = None
    controls: list[str] = Field(default_factory=list)
    categorical: list[str] = Field(default_factory=list)
    """Variables entered as factors (one dummy per level, lowest code as reference) wherever
    they appear as controls or nested additions; the same as writing ``C(name)``."""
    se: Literal["classical", "HC1", "HC3", "cluster", "CR2"] = "classical"
    cluster_df: Literal["residual", "G-1"] = "residual"
    wild_bootstrap: WildBootstrap | None = None
    nested: list[NestedBlock] = Field(default_factory=list)
    moderators: list[Moderator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cluster_df_needs_cluster(self) -> "Analysis":
        if self.cluster_df == "G-1" and self.se != "cluster":
            raise ValueError(f"cluster_df = \"G-1\" applies to se = \"cluster\", not se = \"{self.se}\" "
                             "(CR2 uses Satterthwaite degrees of freedom)")
        return self

    @property
    def clustered(self) -> bool:
        """Whether the models need the ``survey.cluster`` column (cluster/CR2 errors or the wild bootstrap)."""
        return self.se in ("cluster", "CR2") or self.wild_bootstrap is not None

    def block_terms(self, index: int, blocks: list[NestedBlock] | None = None) -> list[str]:
        """All terms of nested block ``index`` (of ``blocks``, default ``nested``): the group,
        then every ``add`` up to it.

        ``"@controls"`` expands to the ``controls`` list.
        """
        return self.expand([self.group] + [t for block in (self.nested if blocks is None else blocks)[: index + 1]
                                           for t in block.add])

    def expand(self, terms: list[str]) -> list[str]:
        """``terms`` with ``"@controls"`` replaced by the controls, each term once.

        >>> Analysis(outcome="y", group="g", controls=["a", "b"]).expand(["g", "@controls", "a", "m"])
        ['g', 'a', 'b', 'm']
        """
        out: list[str] = []
        for term in terms:
            for name in (self.controls if term == CONTROLS_TOKEN else [term]):
                if name not in out:
                    out.append(name)
        return out

    def column(self, term: str) -> str:
        """The data column of a control or nested term (``C(school)`` -> ``school``)."""
        return factor_column(term) or term

    def is_categorical(self, term: str) -> bool:
        """True for a ``C(name)`` term and for a name listed under ``categorical``."""
        return factor_column(term) is not None or term in self.categorical

    def factor_columns(self) -> list[str]:
        """The columns the models enter as factors: the group and every categorical control."""
        terms = [t for i in range(len(self.nested)) for t in self.block_terms(i)] + self.controls
        return list(dict.fromkeys([self.group] + [self.column(t) for t in terms if self.is_categorical(t)]))

    def variables(self) -> list[str]:
        """Every variable the models use (the columns for listwise deletion), in order."""
        names = [self.outcome, self.group, *self.controls]
        for i in range(len(self.nested)):
            names += self.block_terms(i)
        names += [m.variable for m in self.moderators]
        return list(dict.fromkeys(self.column(n) for n in names))


class Tables(Frozen):
    """``[tables]``: how result tables look."""

    stars: list[float] = Field(default_factory=lambda: [0.05, 0.01, 0.001])
    digits: int = Field(default=3, ge=0, le=10)
    se_style: Literal["se", "t", "ci"] = "se"
    formats: list[Literal["markdown", "html", "latex", "docx", "csv", "json"]] = Field(
        default_factory=lambda: ["markdown", "html", "docx"])

    @field_validator("stars")
    @classmethod
    def _decreasing(cls, value: list[float]) -> list[float]:
        if any(not 0 < p < 1 for p in value):
            raise ValueError("every star cut-off must lie between 0 and 1")
        if any(b >= a for a, b in zip(value, value[1:])):
            raise ValueError("star cut-offs must decrease, e.g. [0.05, 0.01, 0.001]")
        return value
