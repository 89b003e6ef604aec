"""`/v1/causes`: the shared cause vocabulary and the conditions that list each cause."""

from fastapi import APIRouter, Request, Response

from app.api import presenters
from app.api.deps import AfterDep, DatabaseDep, LimitQuery
from app.api.routes.vocabulary import detail, list_page
from app.models.public import CauseDetail, CausePage
from app.queries.pagination import DEFAULT_LIMIT
from app.queries.vocabulary import CAUSES

router = APIRouter(prefix="/causes", tags=["causes"])


@router.get("", response_model=CausePage)
async def list_causes(
    request: Request,
    response: Response,
    db: DatabaseDep,
    after: AfterDep,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> CausePage:
    """List causes, ordered by slug."""
    return await list_page(
        request,
        response,
        db,
        CAUSES,
        after=after,
        limit=limit,
        page=CausePage,
        summary=presenters.cause_summary,  # type: ignore[arg-type]
    )


@router.get("/{slug}", response_model=CauseDetail)
async def get_cause(slug: str, db: DatabaseDep) -> CauseDetail:
    """Get a cause and the conditions that list it."""
    return await detail(db, CAUSES, slug, presenters.cause_detail)
