"""The condition table and the rows that belong to one condition: aliases, links, FAQs, codes, relations.

Every relationship is `lazy="raise"`: reading one that the query did not load eagerly is an error, so a
per-link query (N+1) cannot slip in unnoticed.
"""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index
from sqlmodel import Field, Relationship, SQLModel

from app.models.base import ReviewStatus, SymptomSection, TreatmentSection, enum_values
from app.models.vocabulary import Cause, Symptom, Treatment

_RAISE = {"lazy": "raise"}


class Condition(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("review_status IN ('draft','reviewed')", name="review_status"),
        CheckConstraint(
            "duration_min_days IS NULL OR duration_max_days IS NULL OR duration_min_days <= duration_max_days",
            name="duration_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=120)
    name: str
    summary: str
    description: str
    specialty: str = Field(index=True)
    body_area: str
    duration_min_days: int | None = None
    duration_max_days: int | None = None
    duration_text: str | None = None
    causes_intro: str | None = None
    symptoms_intro: str | None = None
    treatments_intro: str | None = None
    self_care_intro: str | None = None
    editor_notes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    review_status: ReviewStatus = Field(sa_type=enum_values(ReviewStatus))
    last_reviewed: date
    next_review_due: date
    source_title: str
    source_url: str | None = None
    source_attribution: str
    # Hash of the parsed content file: re-seeding an unchanged file leaves the row (and updated_at) alone.
    content_hash: str
    created_at: datetime
    updated_at: datetime

    aliases: list["ConditionAlias"] = Relationship(
        sa_relationship_kwargs={**_RAISE, "order_by": "ConditionAlias.position"}
    )
    symptom_links: list["ConditionSymptom"] = Relationship(
        sa_relationship_kwargs={
            **_RAISE,
            "order_by": "(ConditionSymptom.section, ConditionSymptom.position, ConditionSymptom.term_position)",
        }
    )
    cause_links: list["ConditionCause"] = Relationship(
        sa_relationship_kwargs={**_RAISE, "order_by": "(ConditionCause.position, ConditionCause.term_position)"}
    )
    treatment_links: list["ConditionTreatment"] = Relationship(
        sa_relationship_kwargs={
            **_RAISE,
            "order_by": "(ConditionTreatment.section, ConditionTreatment.position, ConditionTreatment.term_position)",
        }
    )
    faqs: list["Faq"] = Relationship(sa_relationship_kwargs={**_RAISE, "order_by": "Faq.position"})
    codes: list["ConditionCode"] = Relationship(sa_relationship_kwargs={**_RAISE, "order_by": "ConditionCode.position"})
    related_links: list["ConditionRelated"] = Relationship(
        sa_relationship_kwargs={
            **_RAISE,
            "order_by": "ConditionRelated.position",
            "foreign_keys": "ConditionRelated.condition_id",
        }
    )


class ConditionAlias(SQLModel, table=True):
    """Another name people use; its slug redirects to the condition."""

    __tablename__ = "condition_alias"

    slug: str = Field(primary_key=True, max_length=120)
    condition_id: int = Field(foreign_key="condition.id", ondelete="CASCADE", index=True)
    name: str
    position: int


class _PageItem(SQLModel):
    """An item of a page section: its position, the page's own words, and an optional editor's note.

    One item may name several vocabulary terms ("Rest, ice and immobilization."); each term gets a row
    with the same position and text.
    """

    condition_id: int = Field(foreign_key="condition.id", ondelete="CASCADE", primary_key=True)
    position: int
    term_position: int  # order of the term within its item, as the page names them
    text: str
    note: str | None = None


class ConditionSymptom(_PageItem, table=True):
    __tablename__ = "condition_symptom"
    __table_args__ = (
        CheckConstraint("section IN ('symptom','red-flag')", name="section"),
        # Matching reads a symptom's links of one section: its red flags among tens of thousands of plain ones.
        Index("ix_condition_symptom_symptom_id_section", "symptom_id", "section"),
    )

    symptom_id: int = Field(foreign_key="symptom.id", ondelete="RESTRICT", primary_key=True)
    section: SymptomSection = Field(primary_key=True, sa_type=enum_values(SymptomSection))
    symptom: Symptom = Relationship(sa_relationship_kwargs=_RAISE)


class ConditionCause(_PageItem, table=True):
    __tablename__ = "condition_cause"

    cause_id: int = Field(foreign_key="cause.id", ondelete="RESTRICT", primary_key=True, index=True)
    cause: Cause = Relationship(sa_relationship_kwargs=_RAISE)


class ConditionTreatment(_PageItem, table=True):
    __tablename__ = "condition_treatment"
    __table_args__ = (CheckConstraint("section IN ('treatment','self-care')", name="section"),)

    treatment_id: int = Field(foreign_key="treatment.id", ondelete="RESTRICT", primary_key=True, index=True)
    section: TreatmentSection = Field(primary_key=True, sa_type=enum_values(TreatmentSection))
    treatment: Treatment = Relationship(sa_relationship_kwargs=_RAISE)


class Faq(SQLModel, table=True):
    condition_id: int = Field(foreign_key="condition.id", ondelete="CASCADE", primary_key=True)
    position: int = Field(primary_key=True)
    question: str
    answer: str


class ConditionCode(SQLModel, table=True):
    __tablename__ = "condition_code"

    condition_id: int = Field(foreign_key="condition.id", ondelete="CASCADE", primary_key=True)
    system: str = Field(primary_key=True)
    code: str = Field(primary_key=True, index=True)
    display: str  # the editor's; for MONDO the release's label
    match: str = Field(default="exact", sa_column_kwargs={"server_default": "exact"})  # code_systems.MappingMatch
    note: str | None = None  # the editor's, when the mapping is uncertain (a broader concept, say)
    position: int


class ConditionRelated(SQLModel, table=True):
    __tablename__ = "condition_related"

    condition_id: int = Field(foreign_key="condition.id", ondelete="CASCADE", primary_key=True)
    related_id: int = Field(foreign_key="condition.id", ondelete="CASCADE", primary_key=True, index=True)
    position: int
    related: Condition = Relationship(sa_relationship_kwargs={**_RAISE, "foreign_keys": "ConditionRelated.related_id"})
