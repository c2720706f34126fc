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
from leftbehind.spec.tables import ModelTable, declared_tables
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
    model_tables: list[ModelTable] = Field(default_factory=list)

    @model_validator(mode="after")
    def _arms(self) -> "Study":
        if self.survey is None and self.qual is None:
            raise ValueError("a study needs a [survey] (questionnaires) or a [qual] (interviews) section, or both")
        if self.survey is None and (self.analysis or self.descriptives or self.scales or self.factors):
            raise ValueError("[analysis], [descriptives], [scales] and [factors] need a [survey] section")
        if self.model_tables and self.analysis is None:
            raise ValueError("[[model_tables]] needs an [analysis] section (group, controls, moderators)")
        names = [t.name for t in self.model_tables]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"model table name '{name}' is used twice; give every [[model_tables]] its own name")
        hypotheses = [self._hypothesis(i, h) for i, h in enumerate(self.hypotheses)]
        self.__dict__["hypotheses"] = hypotheses  # the table each hypothesis tests, resolved
        return self

    def _hypothesis(self, i: int, h: Hypothesis) -> Hypothesis:
        """``h`` with its table (and the model of a one-model table) filled in and checked."""
        tables = self.declared_tables()
        if h.table is None:
            kind = "moderation" if h.model is None else "nested"
            table = next((t for t in tables if t.kind == kind), None)
            if table is None:
                raise ValueError(f"hypotheses[{i}] ({h.id}): no {kind} table holds model '{h.model_name()}' "
                                 "(the study declares none); add [analysis] or [[model_tables]]")
        else:
            table = next((t for t in tables if t.name == h.table), None)
            if table is None:
                raise ValueError(f"hypotheses[{i}] ({h.id}): table '{h.table}' is not a declared model table: "
                                 f"{', '.join(t.name for t in tables) or 'none'}")
        models = self.model_names(table)
        model = h.model_name() or (models[0] if len(models) == 1 else "")
        if model not in models:
            raise ValueError(f"hypotheses[{i}] ({h.id}): model '{model}' is not a model of table "
                             f"'{table.name}': {', '.join(models) or 'none'}")
        return h.model_copy(update={"table": table.name, **({} if h.model_name() else {"model": model})})

    def declared_tables(self) -> list[ModelTable]:
        """The model tables: ``[[model_tables]]``, else the defaults ``[analysis]`` stands for
        (see :mod:`leftbehind.spec.tables`)."""
        return declared_tables(self.model_tables, self.analysis)

    def model_names(self, table: ModelTable) -> list[str]:
        """The names of the models of ``table``: block names, moderators, or the outcome (``single``)."""
        if table.kind == "nested":
            return [b.name for b in table.blocks_of(self.analysis)] or ["Model 1"]
        if table.kind == "single":
            return [table.outcome_of(self.analysis)]
        return [m.variable for m in table.moderators_of(self.analysis)]

    def model_terms(self) -> list[str]:
        """Every outcome and term of the declared tables beyond ``[analysis]`` (for listwise deletion)."""
        analysis = self.analysis
        terms: list[str] = []
        for table in self.declared_tables():
            terms.append(table.outcome_of(analysis))
            if table.kind == "nested":
                blocks = table.blocks_of(analysis)
                terms += [t for i in range(len(blocks)) for t in analysis.block_terms(i, blocks)]
            elif table.kind == "single":
                terms += analysis.expand(table.terms)
        return list(dict.fromkeys(terms))

    def analysis_columns(self) -> list[str]:
        """The data columns of every model (``[analysis]`` and the declared tables), in order."""
        analysis = self.analysis
        return list(dict.fromkeys([*analysis.variables(), *(analysis.column(t) for t in self.model_terms())]))

    def factor_columns(self) -> list[str]:
        """The columns the models enter as factors (``Analysis.factor_columns`` plus the tables' terms)."""
        analysis = self.analysis
        extra = [analysis.column(t) for t in self.model_terms() if analysis.is_categorical(t)]
        return list(dict.fromkeys([*analysis.factor_columns(), *extra]))

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
