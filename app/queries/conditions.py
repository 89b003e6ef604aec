"""Every read of conditions: by slug (with all links, in a fixed number of queries), by alias, and lists."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, true
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.models import (
    Cause,
    Condition,
    ConditionAlias,
    ConditionCause,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    Symptom,
    SymptomSection,
    Treatment,
)
from app.models.code_systems import CodeSystem
from app.queries.codes import conditions_for
from app.queries.references import Reference, UnknownReferences


@dataclass(frozen=True)
class ConditionFilters:
    symptoms: Sequence[str] = field(default_factory=tuple)
    causes: Sequence[str] = field(default_factory=tuple)
    treatments: Sequence[str] = field(default_factory=tuple)
    specialty: str | None = None
    # ICD-10-CM (with its nearest coded ancestor), SNOMED CT and MONDO (exact matches), as sent
    codes: Mapping[CodeSystem, str | None] = field(default_factory=dict)


# One SELECT per relationship (plus one for the condition): constant however many links a condition has.
_DETAIL_OPTIONS = (
    selectinload(Condition.aliases),  # type: ignore[arg-type]
    selectinload(Condition.symptom_links).joinedload(ConditionSymptom.symptom),  # type: ignore[arg-type]
    selectinload(Condition.cause_links)  # type: ignore[arg-type]
    .joinedload(ConditionCause.cause)  # type: ignore[arg-type]
    .joinedload(Cause.condition),  # type: ignore[arg-type]
    selectinload(Condition.treatment_links).joinedload(ConditionTreatment.treatment),  # type: ignore[arg-type]
    selectinload(Condition.faqs),  # type: ignore[arg-type]
    selectinload(Condition.codes),  # type: ignore[arg-type]
    selectinload(Condition.related_links).joinedload(ConditionRelated.related),  # type: ignore[arg-type]
)


def get_by_slug(session: Session, *, slug: str) -> Condition | None:
    """The condition with every link loaded eagerly."""
    statement = select(Condition).where(col(Condition.slug) == slug).options(*_DETAIL_OPTIONS)
    return session.exec(statement).first()


def canonical_slug(session: Session, *, slug: str) -> str | None:
    """The condition slug that `slug` stands for as an alias, or in other letter case."""
    wanted = slug.lower()
    statement = (
        select(col(Condition.slug))
        .join(ConditionAlias, col(ConditionAlias.condition_id) == col(Condition.id), isouter=True)
        .where((col(ConditionAlias.slug) == wanted) | (col(Condition.slug) == wanted))
        .limit(1)
    )
    return session.exec(statement).first()


# name, term table, link columns, and which links count (a red flag is not one of the condition's symptoms).
_LINKS: tuple[tuple[str, Any, Any, Any, ColumnElement[bool]], ...] = (
    (
        "symptom",
        Symptom,
        col(ConditionSymptom.condition_id),
        col(ConditionSymptom.symptom_id),
        col(ConditionSymptom.section) == SymptomSection.symptom,
    ),
    ("cause", Cause, col(ConditionCause.condition_id), col(ConditionCause.cause_id), true()),
    ("treatment", Treatment, col(ConditionTreatment.condition_id), col(ConditionTreatment.treatment_id), true()),
)


def _filter_clauses(session: Session, filters: ConditionFilters) -> list[ColumnElement[bool]]:
    """SQL conditions for the filters; unknown slugs and codes are an error naming them all, not a silently
    empty list."""
    clauses: list[ColumnElement[bool]] = []
    unknown: list[Reference] = []
    wanted = {"symptom": filters.symptoms, "cause": filters.causes, "treatment": filters.treatments}
    for name, table, link_condition, link_term, counts in _LINKS:
        slugs = list(dict.fromkeys(wanted[name]))
        if not slugs:
            continue
        rows = session.exec(select(col(table.slug), col(table.id)).where(col(table.slug).in_(slugs))).all()
        found: dict[str, int | None] = dict(rows)
        for slug in slugs:
            if slug not in found:
                unknown.append(Reference(name, slug))
                continue
            members = select(link_condition).where(link_term == found[slug], counts)
            clauses.append(col(Condition.id).in_(members))
    for system, written_code in filters.codes.items():
        if written_code is None:
            continue
        stored = system.spec.parse(written_code)
        match = conditions_for(session, system, stored) if stored is not None else None
        if stored is None or (match is None and system is not CodeSystem.SNOMED):
            unknown.append(Reference(system.value, written_code))
        else:  # a SNOMED CT concept no condition carries: no conditions, not an error (there is no release)
            clauses.append(col(Condition.id).in_([c.id for c in match.conditions] if match else []))
    if unknown:
        raise UnknownReferences(unknown)
    if filters.specialty is not None:
        clauses.append(func.lower(col(Condition.specialty)) == filters.specialty.lower())
    return clauses


def with_links(session: Session, *, ids: list[int] | None = None) -> list[Condition]:
    """Conditions (all, or those with `ids`) with every link loaded eagerly: a fixed number of queries."""
    statement = select(Condition).order_by(col(Condition.slug)).options(*_DETAIL_OPTIONS)
    if ids is not None:
        statement = statement.where(col(Condition.id).in_(ids))
    return list(session.exec(statement))


def can_lead_to_by_condition(session: Session, *, ids: list[int] | None = None) -> dict[int, list[Condition]]:
    """The conditions that list a cause whose own page is each condition (all, or those with `ids`)."""
    statement = (
        select(col(Cause.condition_id), Condition)
        .join(ConditionCause, col(ConditionCause.cause_id) == col(Cause.id))
        .join(Condition, col(Condition.id) == col(ConditionCause.condition_id))
        .where(col(Cause.condition_id).is_not(None))
        .distinct()
        .order_by(col(Condition.name), col(Condition.slug))
    )
    if ids is not None:
        statement = statement.where(col(Cause.condition_id).in_(ids))
    found: dict[int, list[Condition]] = {}
    for target, condition in session.exec(statement):
        if target is not None:
            found.setdefault(target, []).append(condition)
    return found


def can_lead_to(session: Session, *, condition_id: int) -> list[Condition]:
    return can_lead_to_by_condition(session, ids=[condition_id]).get(condition_id, [])


def list_conditions(
    session: Session, *, filters: ConditionFilters, after: str | None, limit: int
) -> tuple[list[Condition], int]:
    """One page of conditions ordered by slug, after the slug `after`, and the total that match."""
    clauses = _filter_clauses(session, filters)
    total = session.exec(select(func.count()).select_from(Condition).where(*clauses)).one()
    statement = select(Condition).where(*clauses).order_by(col(Condition.slug)).limit(limit)
    if after is not None:
        statement = statement.where(col(Condition.slug) > after)
    return list(session.exec(statement)), total
