"""Conditions with every link as plain rows, for building many representations at once (the change log).

`conditions.with_links` gives ORM objects, which cost ~30 µs each to load; a condition has ~20 of them (links,
FAQs, codes), so 20,000 conditions took ~20 s. These rows carry the same attributes (the presenters read either)
from one Core query per table. Terms are the ORM's: there are few, and each is loaded once.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlmodel import Session, col

from app.models import (
    Cause,
    Condition,
    ConditionAlias,
    ConditionCause,
    ConditionCode,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    Faq,
    ReviewStatus,
    Symptom,
    SymptomSection,
    Treatment,
    TreatmentSection,
)


@dataclass(frozen=True, slots=True)
class Alias:
    name: str


@dataclass(frozen=True, slots=True)
class FaqRow:
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class CodeRow:
    system: str
    code: str
    display: str
    match: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Named:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class RelatedRow:
    related: Named


@dataclass(frozen=True, slots=True)
class SymptomLink:
    position: int
    text: str
    note: str | None
    section: SymptomSection
    symptom: Symptom


@dataclass(frozen=True, slots=True)
class CauseLink:
    position: int
    text: str
    note: str | None
    cause: Cause


@dataclass(frozen=True, slots=True)
class TreatmentLink:
    position: int
    text: str
    note: str | None
    section: TreatmentSection
    treatment: Treatment


@dataclass(slots=True)
class ConditionRow:
    id: int
    slug: str
    name: str
    summary: str
    description: str
    specialty: str
    body_area: str
    duration_min_days: int | None
    duration_max_days: int | None
    duration_text: str | None
    causes_intro: str | None
    symptoms_intro: str | None
    treatments_intro: str | None
    self_care_intro: str | None
    editor_notes: list[str]
    review_status: ReviewStatus
    last_reviewed: date
    next_review_due: date
    source_title: str
    source_url: str | None
    source_attribution: str
    content_hash: str
    created_at: datetime
    updated_at: datetime
    aliases: list[Alias] = field(default_factory=list)
    symptom_links: list[SymptomLink] = field(default_factory=list)
    cause_links: list[CauseLink] = field(default_factory=list)
    treatment_links: list[TreatmentLink] = field(default_factory=list)
    faqs: list[FaqRow] = field(default_factory=list)
    codes: list[CodeRow] = field(default_factory=list)
    related_links: list[RelatedRow] = field(default_factory=list)


def _by_id(session: Session, table: Any, *options: Any) -> dict[int, Any]:
    return {row.id: row for row in session.scalars(select(table).options(*options))}


def with_links(session: Session, *, ids: Sequence[int]) -> list[ConditionRow]:
    """The conditions with `ids`, ordered by slug, each with every link in the order the ORM's relationships
    give them; a fixed number of queries."""
    columns = Condition.__table__.columns  # type: ignore[attr-defined]
    rows = session.execute(select(*columns).where(col(Condition.id).in_(ids)).order_by(col(Condition.slug)))
    found = {row.id: ConditionRow(**row._mapping) for row in rows}
    symptoms = _by_id(session, Symptom)
    causes = _by_id(session, Cause, joinedload(Cause.condition))  # type: ignore[arg-type]
    treatments = _by_id(session, Treatment)

    def linked(table: Any, *order: Any) -> Any:
        """The table's rows for the conditions, in each condition's order."""
        statement = select(*table.__table__.columns).where(col(table.condition_id).in_(ids))
        return session.execute(statement.order_by(col(table.condition_id), *order))

    for row in linked(ConditionAlias, col(ConditionAlias.position)):
        found[row.condition_id].aliases.append(Alias(row.name))
    for row in linked(
        ConditionSymptom,
        col(ConditionSymptom.section),
        col(ConditionSymptom.position),
        col(ConditionSymptom.term_position),
    ):
        symptom = SymptomLink(row.position, row.text, row.note, row.section, symptoms[row.symptom_id])
        found[row.condition_id].symptom_links.append(symptom)
    for row in linked(ConditionCause, col(ConditionCause.position), col(ConditionCause.term_position)):
        found[row.condition_id].cause_links.append(CauseLink(row.position, row.text, row.note, causes[row.cause_id]))
    for row in linked(
        ConditionTreatment,
        col(ConditionTreatment.section),
        col(ConditionTreatment.position),
        col(ConditionTreatment.term_position),
    ):
        treatment = TreatmentLink(row.position, row.text, row.note, row.section, treatments[row.treatment_id])
        found[row.condition_id].treatment_links.append(treatment)
    for row in linked(Faq, col(Faq.position)):
        found[row.condition_id].faqs.append(FaqRow(row.question, row.answer))
    for row in linked(ConditionCode, col(ConditionCode.position)):
        found[row.condition_id].codes.append(CodeRow(row.system, row.code, row.display, row.match, row.note))
    related = (
        select(col(ConditionRelated.condition_id), col(Condition.slug), col(Condition.name))
        .join(Condition, col(Condition.id) == col(ConditionRelated.related_id))
        .where(col(ConditionRelated.condition_id).in_(ids))
        .order_by(col(ConditionRelated.condition_id), col(ConditionRelated.position))
    )
    for condition_id, slug, name in session.execute(related):
        found[condition_id].related_links.append(RelatedRow(Named(slug, name)))
    return list(found.values())
