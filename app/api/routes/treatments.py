"""`/v1/treatments`: the shared treatment vocabulary and the conditions that list each treatment."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.api import presenters
from app.api.deps import AfterDep, DatabaseDep, LimitQuery
from app.api.routes.vocabulary import detail, list_page
from app.models import TreatmentKind
from app.models.public import TreatmentDetail, TreatmentPage
from app.queries.pagination import DEFAULT_LIMIT
from app.queries.vocabulary import TREATMENTS

router = APIRouter(prefix="/treatments", tags=["treatments"])


@router.get("", response_model=TreatmentPage)
async def list_treatments(
    request: Request,
    response: Response,
    db: DatabaseDep,
    after: AfterDep,
    limit: LimitQuery = DEFAULT_LIMIT,
    kind: Annotated[TreatmentKind | None, Query(description="Only treatments of this kind.")] = None,
) -> TreatmentPage:
    """List treatments, ordered by slug, optionally of one kind."""
    return await list_page(
        request,
        response,
        db,
        TREATMENTS,
        after=after,
        limit=limit,
        page=TreatmentPage,
        summary=presenters.treatment_summary,  # type: ignore[arg-type]
        kind=kind,
    )


@router.get("/{slug}", response_model=TreatmentDetail)
async def get_treatment(slug: str, db: DatabaseDep) -> TreatmentDetail:
    """Get a treatment and the conditions that list it."""
    return await detail(db, TREATMENTS, slug, presenters.treatment_detail)
