"""Frozen pydantic models of the interview and integration parts of ``study.toml`` (layer L1).

``[qual]`` says where the interview material is and who coded it; ``[[hypotheses]]`` ties each
hypothesis to its survey test (a term of a model of a declared model table) and to the interview codes that
bear on it, for the joint displays.

Examples
--------
>>> h = Hypothesis(id="H1", statement="Belonging buffers", moderator="school_belonging", term="mother_x",
...                expected_sign="-", focus="mother", codes=["class_as_refuge"])
>>> h.table, h.model_name()
(None, 'school_belonging')

``table`` names a declared model table; left out, the study fills in its first moderation
table (its first nested table when ``model`` is given), see ``Study``.
>>> Qual(folder="interviews").link_column
'survey_id'
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from leftbehind.spec.model import Frozen


class Qual(Frozen):
    """``[qual]``: the interview arm of a study."""

    folder: str | None = None
    """A folder in the import formats of docs/qual-formats.md, loaded into study.db on first run."""
    database: str | None = None
    """A database URL (PostgreSQL for teams); default: ``study.db`` in the study folder."""
    link_column: str = "survey_id"
    """The participant attribute holding the survey id of a linked informant."""
    coders: list[str] = Field(default_factory=list)
    """Coders compared for agreement (default: all)."""
    primary_coder: str | None = None
    """Whose codings feed quotes, matrices and joint displays (default: the coder with most codings)."""
    title: str | None = None


class Hypothesis(Frozen):
    """``[[hypotheses]]``: a hypothesis with its survey test and the codes that bear on it."""

    id: str
    statement: str
    moderator: str | None = None
    other_moderators: list[str] = Field(default_factory=list)
    table: str | None = None
    """The declared model table (``[[model_tables]] name``) holding the tested model."""
    model: str | None = None
    term: str
    expected_sign: Literal["+", "-"]
    focus: str
    codes: list[str] = Field(min_length=1)
    counter_codes: list[str] = Field(default_factory=list)
    qual_expect: Literal["more", "less"] = "more"
    meta_inference: Literal["convergence", "complementarity", "divergence"] | None = None
    memo: str = ""

    @model_validator(mode="after")
    def _model_named(self) -> "Hypothesis":
        if self.model is None and self.moderator is None and self.table is None:
            raise ValueError("name the tested model: give 'moderator' (moderator tables), 'model' (nested "
                             "tables) or the 'table' of a single model")
        return self

    def model_name(self) -> str:
        """The model of ``table`` that tests the hypothesis (the moderator's, unless ``model`` is given)."""
        return self.model or self.moderator or ""
