"""The tables of the qualitative store as SQLAlchemy 2 ORM classes (layer L2).

Only :mod:`leftbehind.qual` imports this module; everything else reads through
:mod:`leftbehind.qual.query` and writes through :mod:`leftbehind.qual.services`.
The schema is created and changed by the Alembic migrations in ``qual/migrations``;
a model change needs a new migration (see ``docs/qual-formats.md``).

Spans (``start``, ``end``) are Unicode code-point offsets into ``Document.text``,
half-open ``[start, end)``.

Examples
--------
>>> sorted(Base.metadata.tables)[:3]
['category', 'category_code', 'category_property']
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer,
                        MetaData, String, Table, Text, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("child", "mother", "father", "grandmother", "grandfather", "grandparent",
         "other_relative", "caregiver", "teacher", "village_leader", "community_member",
         "key_informant", "other")
PARADIGM_ROLES = ("phenomenon", "causal_conditions", "context", "intervening_conditions",
                  "strategies", "consequences")
MEMO_TARGETS = ("code", "category", "document", "participant", "family", "coding")
SAMPLING_TARGETS = ("participant", "family")
CONSENT_KINDS = ("assent", "consent")


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention (needed by Alembic on SQLite)."""

    metadata = MetaData(naming_convention=NAMING)


interview_participant = Table(
    "interview_participant", Base.metadata,
    Column("interview_id", ForeignKey("interview.id", ondelete="CASCADE"), primary_key=True),
    Column("participant_id", ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True),
)


class Family(Base):
    """A migrant family; ``left_behind_age_text`` is kept as written."""

    __tablename__ = "family"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    village: Mapped[str | None] = mapped_column(String(200))
    township: Mapped[str | None] = mapped_column(String(200))
    migration_pattern: Mapped[str | None] = mapped_column(String(200))
    caregivers: Mapped[str | None] = mapped_column(String(200))
    left_behind_age_text: Mapped[str | None] = mapped_column(String(200))
    left_behind_age_months: Mapped[int | None] = mapped_column(Integer)


class Participant(Base):
    """An informant, known by a unique pseudonym; real names live in :class:`Identity`."""

    __tablename__ = "participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(50))
    age: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(20))
    family_id: Mapped[int | None] = mapped_column(ForeignKey("family.id", ondelete="RESTRICT"))
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    family: Mapped[Family | None] = relationship()


class Identity(Base):
    """Identifying data of one participant (real name and other fields), in its own table."""

    __tablename__ = "identity"
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True)
    real_name: Mapped[str] = mapped_column(String(200))
    fields: Mapped[dict] = mapped_column(JSON, default=dict)


class Consent(Base):
    """Assent (child) or consent, given by the participant, another participant or a text."""

    __tablename__ = "consent"
    __table_args__ = (CheckConstraint("kind IN ('assent', 'consent')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    given_by_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"))
    given_by_text: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    date: Mapped[str | None] = mapped_column(String(10))


class Interview(Base):
    """One interview session; several participants for conjoint family interviews."""

    __tablename__ = "interview"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    date: Mapped[str | None] = mapped_column(String(10))
    wave: Mapped[str | None] = mapped_column(String(50))
    language: Mapped[str | None] = mapped_column(String(20))
    duration_min: Mapped[float | None] = mapped_column()
    interviewer: Mapped[str | None] = mapped_column(String(200))
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    referral_offered: Mapped[bool] = mapped_column(Boolean, default=False)
    participants: Mapped[list[Participant]] = relationship(secondary=interview_participant,
                                                           order_by="Participant.pseudonym")


class Document(Base):
    """A transcript: the text exactly as written (line endings kept) and an optional translation."""

    __tablename__ = "document"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    interview_id: Mapped[int | None] = mapped_column(ForeignKey("interview.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    date: Mapped[str | None] = mapped_column(String(10))
    interview: Mapped[Interview | None] = relationship()


class Turn(Base):
    """A speaker turn ``[start, end)`` of a document; ``participant_id`` empty for the interviewer."""

    __tablename__ = "turn"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    speaker_label: Mapped[str | None] = mapped_column(String(200))


class Observation(Base):
    """A field note on behaviour or expression, marked in the text by the bracket convention."""

    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)


class Code(Base):
    """A code of the codebook; renames, merges and splits are kept in the event log."""

    __tablename__ = "code"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="SET NULL"))
    description: Mapped[str | None] = mapped_column(Text)
    inclusion: Mapped[str | None] = mapped_column(Text)
    exclusion: Mapped[str | None] = mapped_column(Text)
    example: Mapped[str | None] = mapped_column(Text)
    colour: Mapped[str | None] = mapped_column(String(20))


class Coding(Base):
    """A code applied by a coder to the span ``[start, end)`` of a document."""

    __tablename__ = "coding"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end", "code_id", "coder", name="uq_coding_span"),
        CheckConstraint('"start" >= 0 AND "start" < "end"', name="span_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"), index=True)
    coder: Mapped[str] = mapped_column(String(100))


class Memo(Base):
    """An analytic memo attached to a code, category, document, participant, family or coding."""

    __tablename__ = "memo"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(100))
    date: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)


class Category(Base):
    """A grounded-theory category with its paradigm role; ``is_core`` marks the core category."""

    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    paradigm_role: Mapped[str | None] = mapped_column(String(30))
    is_core: Mapped[bool] = mapped_column(Boolean, default=False)


class CategoryProperty(Base):
    """A property of a category and the two ends of its dimension."""

    __tablename__ = "category_property"
    __table_args__ = (UniqueConstraint("category_id", "name", name="uq_category_property_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    dimension_low: Mapped[str | None] = mapped_column(String(200))
    dimension_high: Mapped[str | None] = mapped_column(String(200))


class CategoryCode(Base):
    """Link between a category and one of its codes."""

    __tablename__ = "category_code"
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"),
                                             primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"), primary_key=True)


class Relation(Base):
    """A directed relation between two categories (e.g. ``leads_to``)."""

    __tablename__ = "relation"
    id: Mapped[int] = mapped_column(primary_key=True)
    from_category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    to_category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class SamplingLog(Base):
    """Why a participant or family was sampled (theoretical sampling), and which category it tested."""

    __tablename__ = "sampling_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    date: Mapped[str | None] = mapped_column(String(10))


class Event(Base):
    """One entry of the append-only event log that every write adds to."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(30), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
