"""The whole study file as one frozen object (layer L1).

Examples
--------
>>> s = Study(study={"title": "t"}, survey={"files": ["data/q.csv"]},
...           value_labels={"yesno": {"1": "yes", "2": "no"}},
...           items={"consent": {"labels": "yesno"}},
...           item_blocks=[{"names": ["dep1", "dep2"], "range": [1, 5]}])
>>> sorted(s.all_items())
['consent', 'dep1', 'dep2']
>>> s.value_labels_for("consent")
{1: 'yes', 2: 'no'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, model_validator

from leftbehind.spec.analysis import Analysis, Descriptives, Factor, Scale, Tables
from leftbehind.spec.missing import Missing
from leftbehind.spec.mixed import Hypothesis, Qual
from leftbehind.spec.model import (Code, ConditionRule, DerivedRule, Frozen, Item, ItemBlock,
                                   LabelSet, StudyInfo, SurveyFiles, ValidityRule)


class Study(Frozen):
    """A validated ``study.toml``; :attr:`root` is the study folder (see :func:`load_study`).

    >>> s = Study(study={"title": "t"}, survey={"files": ["q.csv"]}, items={"age": {"label": "Age"}})
    >>> s.display_label("age"), s.defined_names()
    ('Age', ['qid', 'age'])
    """

    study: StudyInfo
    survey: SurveyFiles | None = None
    value_labels: dict[str, LabelSet] = Field(default_factory=dict)
    items: dict[str, Item] = Field(default_factory=dict)
    item_blocks: list[ItemBlock] = Field(default_factory=list)
    validity: list[ValidityRule] = Field(default_factory=list)
    exclusions: list[ConditionRule] = Field(default_factory=list)
    derived: dict[str, DerivedRule] = Field(default_factory=dict)
    scales: dict[str, Scale] = Field(default_factory=dict)
    factors: dict[str, Factor] = Field(default_factory=dict)
    descriptives: Descriptives | None = None
    analysis: Analysis | None = None
    missing: Missing = Field(default_factory=Missing)
    tables: Tables = Field(default_factory=Tables)
    labels: dict[str, str] = Field(default_factory=dict)
    qual: Qual | None = None
    hypotheses: list[Hypothesis] = Field(default_factory=list)

    @model_validator(mode="after")
    def _arms(self) -> "Study":
        if self.survey is None and self.qual is None:
            raise ValueError("a study needs a [survey] (questionnaires) or a [qual] (interviews) section, or both")
        if self.survey is None and (self.analysis or self.descriptives or self.scales or self.factors):
            raise ValueError("[analysis], [descriptives], [scales] and [factors] need a [survey] section")
        moderators = {m.variable for m in self.analysis.moderators} if self.analysis else set()
        nested = {b.name for b in self.analysis.nested} if self.analysis else set()
        for i, h in enumerate(self.hypotheses):
            if h.table == "table2" and h.model_name() not in nested:
                raise ValueError(f"hypotheses[{i}] ({h.id}): model '{h.model_name()}' is not one of "
                                 f"[[analysis.nested]]: {', '.join(sorted(nested)) or 'none'}")
            if h.table != "table2" and h.model_name() not in moderators:
                raise ValueError(f"hypotheses[{i}] ({h.id}): moderator '{h.model_name()}' is not one of "
                                 f"[[analysis.moderators]]: {', '.join(sorted(moderators)) or 'none'}")
        return self

    _root: Path = PrivateAttr(default_factory=Path.cwd)
    _path: Path | None = PrivateAttr(default=None)

    @property
    def root(self) -> Path:
        """The study folder; relative paths in the file are resolved against it."""
        return self._root

    @property
    def path(self) -> Path | None:
        """The ``study.toml`` this study was loaded from (None if built in code)."""
        return self._path

    def data_paths(self) -> list[Path]:
        """The questionnaire files, resolved against :attr:`root`."""
        return [self.root / f for f in self.survey.files] if self.survey else []

    def all_items(self) -> dict[str, Item]:
        """``[items.*]`` and every ``[[item_blocks]]`` name, each as an :class:`Item`."""
        merged = dict(self.items)
        for block in self.item_blocks:
            merged.update(block.items())
        return merged

    def value_labels_for(self, name: str) -> dict[Code, str]:
        """The value labels of an item or derived variable (named set resolved), or ``{}``.

        A ``copy`` without labels of its own has the labels of its source.
        """
        entry = self.all_items().get(name) or self.derived.get(name)
        ref = getattr(entry, "labels", None)
        if ref is None and getattr(entry, "rule", None) == "copy" and entry.source != name:
            return self.value_labels_for(entry.source)
        if isinstance(ref, str):
            ref = self.value_labels.get(ref)
        return dict(ref) if isinstance(ref, dict) else {}

    def display_label(self, name: str) -> str:
        """``[labels]`` first, then the ``label`` of the item, block, derived, scale or factor."""
        if name in self.labels:
            return self.labels[name]
        for block in self.item_blocks:
            if name in block.names and block.label:
                return block.label
        for table in (self.items, self.derived, self.scales, self.factors):
            label = getattr(table.get(name), "label", None)
            if label:
                return label
        return name

    def defined_names(self) -> list[str]:
        """Every name a study can refer to: id, items, derived variables, scales, factor scores
        (``NAME`` for one factor, ``NAME_1`` … ``NAME_k`` for k)."""
        ids = [self.survey.id] if self.survey else []
        scores = [f"{name}_{i}" if factor.n_factors > 1 else name
                  for name, factor in self.factors.items() for i in range(1, factor.n_factors + 1)]
        return list(dict.fromkeys([*ids, *self.all_items(), *self.derived, *self.scales, *scores]))
