"""`/v1/causes`: the shared cause vocabulary and the conditions that list each cause."""

from fastapi import APIRouter, Request, Response

from app.api import presenters
from app.api.deps import AfterDep, LimitQuery, SessionDep
from app.api.routes.vocabulary import detail, list_page
from app.models.public import CauseDetail, CausePage
from app.queries.pagination import DEFAULT_LIMIT
from app.queries.vocabulary import CAUSES

router = APIRouter(prefix="/causes", tags=["causes"])


@router.get("", response_model=CausePage)
def list_causes(
    request: Request,
    response: Response,
    session: SessionDep,
    after: AfterDep,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> CausePage:
    """List causes, ordered by slug."""
    return list_page(
        request,
        response,
        session,
        CAUSES,
        after=after,
        limit=limit,
        page=CausePage,
        summary=presenters.cause_summary,  # type: ignore[arg-type]
    )


@router.get("/{slug}", response_model=CauseDetail)
def get_cause(slug: str, session: SessionDep) -> CauseDetail:
    """Get a cause and the conditions that list it."""
    return detail(session, CAUSES, slug, presenters.cause_detail)
