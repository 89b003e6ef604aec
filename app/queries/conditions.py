"""Every read of conditions: by slug (with all links, in a fixed number of queries), by alias, and lists."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.core.errors import InvalidParam, InvalidParameters
from app.models import (
    Cause,
    Condition,
    ConditionAlias,
    ConditionCause,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    Symptom,
    Treatment,
)


@dataclass(frozen=True)
class ConditionFilters:
    symptoms: Sequence[str] = field(default_factory=tuple)
    causes: Sequence[str] = field(default_factory=tuple)
    treatments: Sequence[str] = field(default_factory=tuple)
    specialty: str | None = None


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


_LINKS = (
    ("symptom", Symptom, col(ConditionSymptom.condition_id), col(ConditionSymptom.symptom_id)),
    ("cause", Cause, col(ConditionCause.condition_id), col(ConditionCause.cause_id)),
    ("treatment", Treatment, col(ConditionTreatment.condition_id), col(ConditionTreatment.treatment_id)),
)


def _filter_clauses(session: Session, filters: ConditionFilters) -> list[ColumnElement[bool]]:
    """SQL conditions for the filters; unknown slugs are a 422 naming them, not a silently empty list."""
    clauses: list[ColumnElement[bool]] = []
    errors: list[InvalidParam] = []
    wanted = {"symptom": filters.symptoms, "cause": filters.causes, "treatment": filters.treatments}
    for name, table, link_condition, link_term in _LINKS:
        slugs = list(dict.fromkeys(wanted[name]))
        if not slugs:
            continue
        rows = session.exec(select(col(table.slug), col(table.id)).where(col(table.slug).in_(slugs))).all()
        found: dict[str, int | None] = dict(rows)
        for slug in slugs:
            if slug not in found:
                errors.append(InvalidParam(name=name, location="query", reason=f"no {name} has the slug '{slug}'"))
                continue
            members = select(link_condition).where(link_term == found[slug])
            clauses.append(col(Condition.id).in_(members))
    if errors:
        detail = "; ".join(f"Query parameter '{e.name}': {e.reason}" for e in errors)
        raise InvalidParameters(f"{detail}. GET /v1/{errors[0].name}s lists the valid slugs.", errors=errors)
    if filters.specialty is not None:
        clauses.append(func.lower(col(Condition.specialty)) == filters.specialty.lower())
    return clauses


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
