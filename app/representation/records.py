"""One entry's public record, read by slug, in the language asked for: what the API, the widget and the pages
for people all show. None when no entry has the slug (callers decide what that means for them)."""

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from sqlmodel import Session

from app.core.locales import DEFAULT, Negotiated
from app.models.public import ConditionDetail
from app.queries import conditions, vocabulary
from app.queries.vocabulary import Vocabulary
from app.representation import presenters
from app.representation.localize import localize_condition, localize_term, words_for

DetailT = TypeVar("DetailT", bound=BaseModel)


def condition_record(session: Session, slug: str, asked: Negotiated = DEFAULT) -> ConditionDetail | None:
    condition = conditions.get_by_slug(session, slug=slug)
    if condition is None or condition.id is None:
        return None
    detail = presenters.condition_detail(
        condition, can_lead_to=conditions.can_lead_to(session, condition_id=condition.id)
    )
    return localize_condition(detail, words_for(session, asked.language, [detail]), asked)


def term_record(
    session: Session, vocab: Vocabulary, slug: str, build: Callable[..., DetailT], asked: Negotiated = DEFAULT
) -> DetailT | None:
    term = vocabulary.get_by_slug(session, vocab, slug=slug)
    if term is None or term.id is None:
        return None
    uses = vocabulary.conditions_using(session, vocab, term_id=term.id)
    detail = build(term, conditions=presenters.condition_uses(uses))
    # The record links every condition that lists the term: their translations hold its words on their pages.
    return localize_term(detail, uses, words_for(session, asked.language, [detail]), asked)
