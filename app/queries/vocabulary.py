"""Reads of the shared vocabulary (symptoms, causes, treatments), one set of functions for all three."""

from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sqlalchemy import func, literal
from sqlalchemy import select as sa_select
from sqlalchemy.orm import joinedload
from sqlmodel import Session, col, select

from app.models import (
    Cause,
    Condition,
    ConditionCause,
    ConditionSymptom,
    ConditionTreatment,
    Symptom,
    Treatment,
)

Term = Symptom | Cause | Treatment


@dataclass(frozen=True)
class Vocabulary:
    """One kind of term: its table and the link table that ties it to conditions."""

    name: str  # singular, as in URLs and messages
    table: type[Symptom] | type[Cause] | type[Treatment]
    link: type[ConditionSymptom] | type[ConditionCause] | type[ConditionTreatment]
    link_column: Any


SYMPTOMS = Vocabulary("symptom", Symptom, ConditionSymptom, col(ConditionSymptom.symptom_id))
CAUSES = Vocabulary("cause", Cause, ConditionCause, col(ConditionCause.cause_id))
TREATMENTS = Vocabulary("treatment", Treatment, ConditionTreatment, col(ConditionTreatment.treatment_id))


def _options(vocabulary: Vocabulary) -> list[Any]:
    return [joinedload(Cause.condition)] if vocabulary.table is Cause else []  # type: ignore[arg-type]


def get_by_slug(session: Session, vocabulary: Vocabulary, *, slug: str) -> Term | None:
    table = vocabulary.table
    statement = select(table).where(col(table.slug) == slug).options(*_options(vocabulary))
    # mypy joins the three table types to their base class; the row is one of them.
    return cast(Term | None, session.exec(statement).first())


def all_terms(session: Session, vocabulary: Vocabulary) -> list[Term]:
    table = vocabulary.table
    statement = select(table).order_by(col(table.slug)).options(*_options(vocabulary))
    return cast(list[Term], list(session.exec(statement)))


def list_terms(
    session: Session, vocabulary: Vocabulary, *, after: str | None, limit: int, **equals: object
) -> tuple[list[Term], int]:
    """One page of terms ordered by slug, with optional equality filters on columns (e.g. kind=...)."""
    table = vocabulary.table
    clauses = [col(getattr(table, column)) == value for column, value in equals.items() if value is not None]
    total = session.exec(select(func.count()).select_from(table).where(*clauses)).one()
    statement = select(table).where(*clauses).order_by(col(table.slug)).limit(limit).options(*_options(vocabulary))
    if after is not None:
        statement = statement.where(col(table.slug) > after)
    return cast(list[Term], list(session.exec(statement))), total


class Use(NamedTuple):
    """One condition that names a term: only what a term's page shows of it (a large library has many)."""

    slug: str
    name: str
    text: str  # the condition's own words for the term
    note: str | None
    section: str | None
    position: int  # of the item in its section, from 1 (where a translation's words for it are)


def uses_by_term(
    session: Session, vocabulary: Vocabulary, *, term_ids: list[int] | None = None
) -> dict[int, list[Use]]:
    """The conditions that list each term (all, or those with `term_ids`), by condition name."""
    link: Any = vocabulary.link
    section = col(link.section) if hasattr(link, "section") else literal(None)
    statement = (  # seven columns: more than sqlmodel's select() types, so SQLAlchemy's
        sa_select(
            vocabulary.link_column,
            col(Condition.slug),
            col(Condition.name),
            col(link.text),
            col(link.note),
            section,
            col(link.position),
        )
        .join(link, col(link.condition_id) == col(Condition.id))
        .order_by(col(Condition.name), col(Condition.slug), section, col(link.position))
    )
    if term_ids is not None:
        statement = statement.where(vocabulary.link_column.in_(term_ids))
    found: dict[int, list[Use]] = {}
    for term_id, slug, name, text, note, part, position in session.execute(statement):
        found.setdefault(term_id, []).append(Use(slug, name, text, note, str(part) if part else None, position))
    return found


def conditions_using(session: Session, vocabulary: Vocabulary, *, term_id: int) -> list[Use]:
    return uses_by_term(session, vocabulary, term_ids=[term_id]).get(term_id, [])
