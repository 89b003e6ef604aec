"""`/v1/search` (ranked full text, typo tolerant) and `/v1/search/suggest` (type-ahead)."""

import html
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session

from app.api.content_language import answered_in
from app.api.cursors import OffsetCursorQuery
from app.api.deps import DatabaseDep, LimitQuery
from app.api.encoded import json_bytes, json_response
from app.api.languages import LanguageDep
from app.api.links import next_link
from app.core.locales import DEFAULT_LANGUAGE, message
from app.models.base import EntryType
from app.models.public import SearchHit, SearchPage, Suggestion, SuggestionList
from app.queries import search as search_queries
from app.queries.pagination import DEFAULT_LIMIT
from app.representation import presenters
from app.representation.cursors import offset_cursor, offset_of

router = APIRouter(prefix="/search", tags=["search"])


def _highlighted(snippet: str) -> str:
    """HTML-safe: the text is escaped first, then the index's markers become <mark> tags."""
    escaped = html.escape(snippet, quote=True)
    return escaped.replace(search_queries.HIGHLIGHT_START, "<mark>").replace(search_queries.HIGHLIGHT_END, "</mark>")


@router.get("", response_model=SearchPage)
async def search(
    request: Request,
    db: DatabaseDep,
    negotiated: LanguageDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=search_queries.MAX_QUERY_LENGTH,
            description=f"What to look for, in any words (the first {search_queries.MAX_WORDS} count).",
            examples=["back spasm"],
        ),
    ],
    type: Annotated[list[EntryType], Query(description="Only entries of this type; repeat for several.")] = [],  # noqa: B006 (FastAPI copies defaults per request)
    limit: LimitQuery = DEFAULT_LIMIT,
    cursor: OffsetCursorQuery = None,
) -> Response:
    """Search conditions, symptoms, causes and treatments in one language, best match first, tolerant of typos."""
    offset = offset_of(cursor)
    kinds = [entry.value for entry in dict.fromkeys(type)]
    body, cursor_after, language = await db.run(
        encoded_search_page, q, kinds=kinds, limit=limit, offset=offset, language=negotiated.language
    )
    answered_in(request, language)
    return json_response(body, headers=next_link(request, cursor_after))


def encoded_search_page(
    session: Session, q: str, *, kinds: list[str], limit: int, offset: int, language: str
) -> tuple[bytes, str | None, str]:
    """The page's JSON, its next cursor and the language searched."""
    page = search_page(session, q, kinds=kinds, limit=limit, offset=offset, language=language)
    return json_bytes(page), page.next_cursor, page.language


def search_page(
    session: Session, q: str, *, kinds: list[str], limit: int, offset: int, language: str = DEFAULT_LANGUAGE
) -> SearchPage:
    result = search_queries.search(session, q, kinds=kinds, limit=limit, offset=offset, language=language)
    more = offset + len(result.hits) < result.total
    next_cursor = offset_cursor(offset + len(result.hits)) if more else None
    return SearchPage(
        notice=message(result.language, "not_a_diagnosis"),
        query=q,
        searched_for=result.searched_for,
        did_you_mean=result.did_you_mean,
        language=result.language,
        items=[
            SearchHit(
                type=hit.kind,
                slug=hit.slug,
                name=hit.name,
                href=presenters.entry_href(hit.kind, hit.slug),
                snippet=_highlighted(hit.snippet),
                score=round(hit.score, 4),
                language=hit.language,
            )
            for hit in result.hits
        ],
        next_cursor=next_cursor,
        total=result.total,
    )


@router.get("/suggest", response_model=SuggestionList)
async def suggest(
    request: Request,
    db: DatabaseDep,
    negotiated: LanguageDep,
    q: Annotated[
        str, Query(min_length=1, max_length=100, description="What the user has typed so far.", examples=["lum"])
    ],
    limit: Annotated[int, Query(ge=1, le=20, description="At most this many suggestions.")] = 8,
) -> Response:
    """Suggest names and aliases in one language that start with what was typed (at any word), best first."""
    answered_in(request, negotiated.language)
    return json_response(await db.run(encoded_suggestions, q, limit=limit, language=negotiated.language))


def encoded_suggestions(session: Session, q: str, *, limit: int, language: str) -> bytes:
    found = search_queries.suggest(session, q, limit=limit, language=language)
    return json_bytes(
        SuggestionList(
            query=q,
            items=[
                Suggestion(
                    type=s.kind,
                    slug=s.slug,
                    name=s.name,
                    label=s.label,
                    href=presenters.entry_href(s.kind, s.slug),
                    language=s.language,
                )
                for s in found
            ],
        )
    )
