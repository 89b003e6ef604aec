"""One entry's public record, read by slug: what the API, the widget and the pages for people all show.
None when no entry has the slug (callers decide what that means for them)."""

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session

from app.models.public import ConditionDetail
from app.queries import conditions, vocabulary
from app.queries.vocabulary import Vocabulary
from app.representation import presenters

DetailT = TypeVar("DetailT")


def condition_record(session: Session, slug: str) -> ConditionDetail | None:
    condition = conditions.get_by_slug(session, slug=slug)
    if condition is None or condition.id is None:
        return None
    return presenters.condition_detail(
        condition, can_lead_to=conditions.can_lead_to(session, condition_id=condition.id)
    )


def term_record(session: Session, vocab: Vocabulary, slug: str, build: Callable[..., DetailT]) -> DetailT | None:
    term = vocabulary.get_by_slug(session, vocab, slug=slug)
    if term is None or term.id is None:
        return None
    return build(
        term, conditions=presenters.condition_uses(vocabulary.conditions_using(session, vocab, term_id=term.id))
    )
