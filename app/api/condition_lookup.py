"""Finding a condition by slug for every representation (JSON, JSON-LD, the widget): an alias or a slug in
another case redirects to the canonical URL, anything else is a 404 that says where to look."""

from collections.abc import Callable

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.api import presenters
from app.core.errors import NotFound
from app.models.public import ConditionDetail
from app.queries import conditions


def condition_detail(session: Session, slug: str) -> ConditionDetail | None:
    condition = conditions.get_by_slug(session, slug=slug)
    if condition is None:
        return None
    assert condition.id is not None
    return presenters.condition_detail(
        condition, can_lead_to=conditions.can_lead_to(session, condition_id=condition.id)
    )


def redirect_to_canonical(
    session: Session, slug: str, request: Request, url_for: Callable[[str], str]
) -> RedirectResponse:
    """A 301 to `url_for(canonical slug)` keeping the query, or NotFound when no slug or alias matches."""
    canonical = conditions.canonical_slug(session, slug=slug)
    if canonical is None:
        raise NotFound(f"No condition has the slug or alias '{slug}'. GET /v1/conditions lists them.")
    # A relative Location stays right behind proxies that rewrite the host.
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(url_for(canonical) + query, status_code=301)
