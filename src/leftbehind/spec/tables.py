"""``[[model_tables]]``: the model tables of a study, each with its name, kind and title (layer L1).

A study declares any number of tables; each is one of four kinds:

``nested``
    Blocks of terms added one after another to the group (``blocks``, default the
    ``[[analysis.nested]]`` blocks), with the change in R² from block to block.
``main_effects``
    One model per moderator: the last nested block plus the centred moderator (``moderators``,
    default every ``[[analysis.moderators]]`` variable).
``moderation``
    One model per moderator with the group × moderator interaction; simple slopes and
    Johnson–Neyman regions follow every such table.
``single``
    One model of ``outcome`` on ``terms``.

Without ``[[model_tables]]`` the ``[analysis]`` section stands for :data:`DEFAULT_TABLES`:
a nested table, and with moderators a main-effect and a moderation table.

Examples
--------
>>> from leftbehind.spec.analysis import Analysis
>>> a = Analysis(outcome="dep", group="care", moderators=[{"variable": "belong"}])
>>> [(t.name, t.kind) for t in declared_tables([], a)]
[('nested', 'nested'), ('main_effects', 'main_effects'), ('moderation', 'moderation')]
>>> t = ModelTable(name="anx", kind="single", title="{outcome} on care", outcome="anx", terms=["care"])
>>> t.outcome_of(a), t.title.format(outcome="Anxiety")
('anx', 'Anxiety on care')
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from leftbehind.spec.analysis import Analysis, NestedBlock
from leftbehind.spec.model import Frozen

TableKind = Literal["nested", "main_effects", "moderation", "single"]


class ModelTable(Frozen):
    """``[[model_tables]]``: one table of models, by ``name`` (its key in results and file name)."""

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    kind: TableKind
    title: str
    """The display title; ``{outcome}`` is replaced by the outcome's label."""
    outcome: str | None = None
    """The outcome of the table's models (default ``[analysis].outcome``)."""
    blocks: list[NestedBlock] | None = None
    """``nested``: its blocks (default ``[[analysis.nested]]``)."""
    moderators: list[str] | None = None
    """``main_effects`` / ``moderation``: the moderators, a subset of ``[[analysis.moderators]]`` (default all)."""
    terms: list[str] = Field(default_factory=list)
    """``single``: the right-hand side (``"@controls"`` stands for the controls)."""
    published: list[str] = Field(default_factory=list)
    """Tables of a published-figures file this table reproduces (default: those whose name starts with ``name``)."""

    @model_validator(mode="after")
    def _kind_keys(self) -> "ModelTable":
        if self.kind == "single" and not self.terms:
            raise ValueError(f"model table '{self.name}' of kind \"single\" needs terms = [...]")
        if self.kind != "single" and self.terms:
            raise ValueError(f"model table '{self.name}': terms apply to kind \"single\" only")
        if self.blocks is not None and self.kind != "nested":
            raise ValueError(f"model table '{self.name}': blocks apply to kind \"nested\" only")
        if self.moderators is not None and self.kind not in ("main_effects", "moderation"):
            raise ValueError(f"model table '{self.name}': moderators apply to kinds \"main_effects\" "
                             "and \"moderation\" only")
        return self

    def outcome_of(self, analysis: Analysis) -> str:
        """The outcome of the table's models."""
        return self.outcome or analysis.outcome

    def blocks_of(self, analysis: Analysis) -> list[NestedBlock]:
        """The nested blocks (``nested`` tables): its own, else ``[[analysis.nested]]``."""
        return list(self.blocks) if self.blocks is not None else list(analysis.nested)

    def moderators_of(self, analysis: Analysis) -> list:
        """The ``[[analysis.moderators]]`` entries of the table, in its order."""
        by_name = {m.variable: m for m in analysis.moderators}
        names = self.moderators if self.moderators is not None else list(by_name)
        return [by_name[n] for n in names if n in by_name]

    def reproduces(self, published: str) -> bool:
        """Whether the published table ``published`` is this table (``published``, else by name prefix)."""
        return published in self.published if self.published else published.startswith(self.name)


DEFAULT_TABLES = (
    ModelTable(name="nested", kind="nested", title="Nested models of {outcome}"),
    ModelTable(name="main_effects", kind="main_effects", title="{outcome}: moderators as main effects"),
    ModelTable(name="moderation", kind="moderation", title="{outcome}: group × moderator interactions"),
)
"""The tables ``[analysis]`` stands for when a study declares no ``[[model_tables]]`` (the last
two only with ``[[analysis.moderators]]``)."""


def declared_tables(model_tables: list[ModelTable], analysis: Analysis | None) -> list[ModelTable]:
    """The study's model tables: ``[[model_tables]]``, else :data:`DEFAULT_TABLES` for ``analysis``."""
    if model_tables:
        return list(model_tables)
    if analysis is None:
        return []
    return [t for t in DEFAULT_TABLES if t.kind == "nested" or analysis.moderators]
