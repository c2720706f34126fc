"""Frozen pydantic models of the analysis part of ``study.toml`` (layer L1).

``[scales.*]``, ``[factors.*]``, ``[descriptives]``, ``[analysis]`` with its nested blocks and
moderators, and ``[tables]``. The instrument part is in :mod:`leftbehind.spec.model`.

Examples
--------
>>> a = Analysis(outcome="depression", group="migration", controls=["girl", "age"],
...              nested=[{"name": "Model 1", "add": []}, {"name": "Model 2", "add": ["@controls"]}])
>>> [a.block_terms(i) for i in range(2)]
[['migration'], ['migration', 'girl', 'age']]
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from leftbehind.spec.model import Frozen

CONTROLS_TOKEN = "@controls"
"""In ``[[analysis.nested]] add = [...]``, stands for the whole ``controls`` list."""

TABLE_FORMATS = ("markdown", "html", "latex", "docx", "csv", "json")


class Scale(Frozen):
    """``[scales.NAME]``: a sum or mean score over items."""

    items: list[str] = Field(min_length=1)
    score: Literal["sum", "mean"] = "sum"
    label: str | None = None


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
    """``[[analysis.moderators]]``: a moderator of the group effect."""

    variable: str
    label: str | None = None
    center_main: bool = True
    center_interaction: bool = True


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
    reference: str | None = None
    controls: list[str] = Field(default_factory=list)
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

    def block_terms(self, index: int) -> list[str]:
        """All terms of nested block ``index``: the group, then every ``add`` up to it.

        ``"@controls"`` expands to the ``controls`` list.
        """
        terms = [self.group]
        for block in self.nested[: index + 1]:
            for term in block.add:
                for name in (self.controls if term == CONTROLS_TOKEN else [term]):
                    if name not in terms:
                        terms.append(name)
        return terms

    def variables(self) -> list[str]:
        """Every variable the models use (the columns for listwise deletion), in order."""
        names = [self.outcome, self.group, *self.controls]
        for i in range(len(self.nested)):
            names += self.block_terms(i)
        names += [m.variable for m in self.moderators]
        return list(dict.fromkeys(names))


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
