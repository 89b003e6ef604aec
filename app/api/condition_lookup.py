"""Finding a condition by slug for every representation (JSON, JSON-LD, the widget): an alias or a slug in
another case redirects to the canonical URL, anything else is a 404 that says where to look."""

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.core.errors import NotFound
from app.core.locales import DEFAULT, Negotiated
from app.core.read_pool import ReadPool
from app.models.public import ConditionDetail
from app.queries import conditions
from app.representation.records import condition_record


@dataclass(frozen=True)
class Canonical:
    """The slug asked for is an alias (or in other letter case) of this one."""

    slug: str


def detail_or_canonical(session: Session, slug: str, asked: Negotiated = DEFAULT) -> ConditionDetail | Canonical:
    """The condition's record in the language asked for, or the canonical slug it redirects to; NotFound when
    neither exists."""
    detail = condition_record(session, slug, asked)
    if detail is not None:
        return detail
    canonical = conditions.canonical_slug(session, slug=slug)
    if canonical is None:
        raise NotFound(f"No condition has the slug or alias '{slug[:100]}'. GET /v1/conditions lists them.")
    return Canonical(canonical)


async def find_condition(db: ReadPool, slug: str, asked: Negotiated = DEFAULT) -> ConditionDetail | Canonical:
    return await db.run(detail_or_canonical, slug, asked)


def redirect_to(request: Request, path: str) -> RedirectResponse:
    """A 301 to `path`, keeping the query. The Location is relative: it never carries a client-sent host."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(path + query, status_code=301)


def redirect_to_canonical(request: Request, found: Canonical, url_for: Callable[[str], str]) -> RedirectResponse:
    return redirect_to(request, url_for(found.slug))
