"""Shared handlers for the three vocabulary resources (symptoms, causes, treatments)."""

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request, Response
from sqlmodel import Session

from app.api import presenters
from app.api.links import next_cursor, set_next_link
from app.core.errors import NotFound
from app.core.read_pool import ReadPool
from app.models import public as api
from app.queries import vocabulary
from app.queries.vocabulary import Term, Vocabulary

PageT = TypeVar("PageT", bound=api.Page)
SummaryT = TypeVar("SummaryT")
DetailT = TypeVar("DetailT")


async def list_page(
    request: Request,
    response: Response,
    db: ReadPool,
    vocab: Vocabulary,
    *,
    after: str | None,
    limit: int,
    page: type[PageT],
    summary: Callable[[Term], SummaryT],
    **equals: object,
) -> PageT:
    def build(session: Session) -> PageT:
        rows, total = vocabulary.list_terms(session, vocab, after=after, limit=limit, **equals)
        cursor = next_cursor([row.slug for row in rows], limit=limit)
        return page(items=[summary(row) for row in rows], next_cursor=cursor, total=total)

    built = await db.run(build)
    set_next_link(request, response, built.next_cursor)
    return built


async def detail(db: ReadPool, vocab: Vocabulary, slug: str, build: Callable[..., DetailT]) -> DetailT:
    return await db.run(term_detail, vocab, slug, build)


def term_detail(session: Session, vocab: Vocabulary, slug: str, build: Callable[..., DetailT]) -> DetailT:
    term = vocabulary.get_by_slug(session, vocab, slug=slug)
    if term is None or term.id is None:
        raise NotFound(f"No {vocab.name} has the slug '{slug[:100]}'. GET /v1/{vocab.name}s lists them.")
    uses = vocabulary.conditions_using(session, vocab, term_id=term.id)
    return build(term, conditions=presenters.condition_uses(uses))
