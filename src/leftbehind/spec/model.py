"""Frozen pydantic models of the instrument part of ``study.toml`` (layer L1).

The instrument part says what was asked and how answers are cleaned: ``[study]``,
``[survey]``, ``[value_labels.*]``, ``[items.*]``, ``[[item_blocks]]``, ``[[validity]]``,
``[[exclusions]]`` and ``[derived.*]``. The analysis part (scales, factors, descriptives,
models, tables) is in :mod:`leftbehind.spec.analysis`. Every model forbids unknown keys and
nothing in a study file is executed: rules are a closed set of built-ins with parameters.

Examples
--------
>>> rule = ConditionRule(column="consent", op="==", value=2, reason="no consent")
>>> rule.op, rule.value
('==', 2)
>>> Item(range=(1, 5), labels="agree5").range
(1.0, 5.0)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Code = int | float | str
"""A response code as written in a study file (``1``, ``2.5`` or ``"M"``)."""

OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "missing", "not_missing")


def to_code(key: Any) -> Code:
    """Turn a TOML key such as ``"1"`` into the code it stands for (``1``).

    >>> to_code("1"), to_code("2.5"), to_code("M")
    (1, 2.5, 'M')
    """
    if isinstance(key, (int, float)) and not isinstance(key, bool):
        return key
    text = str(key).strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


class Frozen(BaseModel):
    """Base of every study-file model: immutable, unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", protected_namespaces=())  # "model_tables" is a key


def _label_map(value: Any) -> Any:
    if isinstance(value, dict):
        return {to_code(k): v for k, v in value.items()}
    return value


LabelSet = Annotated[dict[Code, str], BeforeValidator(_label_map)]
"""A ``[value_labels.NAME]`` table: code -> label."""

LabelRef = Annotated[Union[str, dict[Code, str], None], BeforeValidator(_label_map)]
"""Value labels: the name of a ``[value_labels.NAME]`` set, or an inline table."""


class StudyInfo(Frozen):
    """``[study]``: what the study is called."""

    title: str
    description: str = ""
    published_figures: str | None = None
    """A published-figures JSON (docs/published-figures.md) to compare the results with."""


class SurveyFiles(Frozen):
    """``[survey]``: where the questionnaires are and how they are identified."""

    files: Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else v)] = Field(min_length=1)
    id: str = "qid"
    distributed: int | None = Field(default=None, gt=0)
    cluster: str | None = None
    encoding: str | None = None
    out_of_range: Literal["error", "missing", "invalid"] = "error"


class Item(Frozen):
    """``[items.NAME]``: one question of the instrument."""

    label: str | None = None
    range: tuple[float, float] | None = None
    labels: LabelRef = None
    missing: list[Code] = Field(default_factory=list)

    @field_validator("range")
    @classmethod
    def _ordered(cls, value: tuple[float, float] | None) -> tuple[float, float] | None:
        if value is not None and value[0] > value[1]:
            raise ValueError(f"range must be [min, max] with min <= max, got {list(value)}")
        return value


class ItemBlock(Frozen):
    """``[[item_blocks]]``: several items sharing range, labels and missing codes."""

    names: list[str] = Field(min_length=1)
    label: str | None = None
    range: tuple[float, float] | None = None
    labels: LabelRef = None
    missing: list[Code] = Field(default_factory=list)

    def items(self) -> dict[str, Item]:
        """The block as one :class:`Item` per name."""
        return {name: Item(label=None, range=self.range, labels=self.labels, missing=self.missing)
                for name in self.names}


class ConditionRule(Frozen):
    """A comparison on one column: ``column op value`` (``[[exclusions]]`` and validity)."""

    rule: Literal["condition"] = "condition"
    column: str
    op: Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in", "missing", "not_missing"]
    value: Code | list[Code] | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> "ConditionRule":
        if self.op in ("missing", "not_missing"):
            if self.value is not None:
                raise ValueError(f"op '{self.op}' takes no value; remove 'value'")
        elif self.op in ("in", "not_in"):
            if not isinstance(self.value, list):
                raise ValueError(f"op '{self.op}' needs a list value, e.g. value = [1, 2]")
        elif self.value is None or isinstance(self.value, list):
            raise ValueError(f"op '{self.op}' needs one value, e.g. value = 1")
        return self

    def describe(self) -> str:
        """The reason shown in the case log."""
        if self.reason:
            return self.reason
        if self.op in ("missing", "not_missing"):
            return f"{self.column} {self.op.replace('_', ' ')}"
        return f"{self.column} {self.op.replace('_', ' ')} {self.value}"


class BlankRule(Frozen):
    """Validity rule: every listed column is missing."""

    rule: Literal["blank"]
    columns: list[str] = Field(min_length=1)
    reason: str | None = None

    def describe(self) -> str:
        """The reason shown in the case log."""
        return self.reason or "blank questionnaire"


class DuplicateIdRule(Frozen):
    """Validity rule: the id occurs more than once (keep the first or none)."""

    rule: Literal["duplicate_id"]
    keep: Literal["first", "none"] = "first"
    reason: str | None = None

    def describe(self) -> str:
        """The reason shown in the case log."""
        return self.reason or "duplicate id"


class StraightliningRule(Frozen):
    """Validity rule: identical answers over at least ``min_items`` of the listed columns."""

    rule: Literal["straightlining"]
    columns: list[str] = Field(min_length=2)
    min_items: int | None = Field(default=None, ge=2)
    reason: str | None = None

    @model_validator(mode="after")
    def _min_fits(self) -> "StraightliningRule":
        if self.min_items is not None and self.min_items > len(self.columns):
            raise ValueError(f"min_items ({self.min_items}) exceeds the {len(self.columns)} columns listed")
        return self

    def describe(self) -> str:
        """The reason shown in the case log."""
        return self.reason or "identical answers (straightlining)"


class ValidityCondition(ConditionRule):
    """Validity rule: a comparison on one column (``rule = "condition"`` is required here)."""

    rule: Literal["condition"]


ValidityRule = Annotated[Union[BlankRule, DuplicateIdRule, StraightliningRule, ValidityCondition],
                         Field(discriminator="rule")]


class _Derived(Frozen):
    label: str | None = None
    labels: LabelRef = None

    def sources(self) -> list[str]:
        """Columns this rule reads."""
        return [getattr(self, "source")]


class ParentalMigration(_Derived):
    """``rule = "parental_migration"``: none / mother / father / both away."""

    rule: Literal["parental_migration"]
    any_away: str
    away_values: list[Code] = Field(default_factory=lambda: [1], min_length=1)
    mother_months: str
    father_months: str
    threshold_months: float = Field(default=6, gt=0)
    missing_months: Literal["missing", "zero"] = "missing"
    mother_alive: str | None = None
    father_alive: str | None = None
    deceased_value: Code = 2
    separated: str | None = None
    separated_value: Code = 1
    custody: str | None = None
    custody_mother: list[Code] = Field(default_factory=lambda: [1])
    custody_father: list[Code] = Field(default_factory=lambda: [2])

    @model_validator(mode="after")
    def _custody_with_separated(self) -> "ParentalMigration":
        if (self.separated is None) != (self.custody is None):
            raise ValueError("give both 'separated' and 'custody', or neither")
        return self

    def sources(self) -> list[str]:
        """Columns this rule reads."""
        names = [self.any_away, self.mother_months, self.father_months, self.mother_alive,
                 self.father_alive, self.separated, self.custody]
        return [n for n in names if n is not None]


class Recode(_Derived):
    """``rule = "recode"``: map codes to new codes; unmapped values become ``default``."""

    rule: Literal["recode"]
    source: str
    map: Annotated[dict[Code, Code], BeforeValidator(_label_map)] = Field(min_length=1)
    default: Code | None = None


class Cut(_Derived):
    """``rule = "cut"``: bin a numeric column at ``breaks`` (like R's ``cut``)."""

    rule: Literal["cut"]
    source: str
    breaks: list[float] = Field(min_length=2)
    labels: list[str] | None = None  # type: ignore[assignment]
    right: bool = True

    @model_validator(mode="after")
    def _increasing(self) -> "Cut":
        if any(b <= a for a, b in zip(self.breaks, self.breaks[1:])):
            raise ValueError("breaks must be strictly increasing")
        if self.labels is not None and len(self.labels) != len(self.breaks) - 1:
            raise ValueError(f"{len(self.breaks)} breaks make {len(self.breaks) - 1} bins, "
                             f"but {len(self.labels)} labels are given")
        return self


class Copy(_Derived):
    """``rule = "copy"``: the same values under a new name."""

    rule: Literal["copy"]
    source: str


class Reverse(_Derived):
    """``rule = "reverse"``: ``min + max - value`` (range defaults to the item's range)."""

    rule: Literal["reverse"]
    source: str
    range: tuple[float, float] | None = None


DerivedRule = Annotated[Union[ParentalMigration, Recode, Cut, Copy, Reverse], Field(discriminator="rule")]
