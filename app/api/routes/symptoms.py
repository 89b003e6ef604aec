"""`/v1/symptoms`: the shared symptom vocabulary and the conditions that list each symptom."""

from fastapi import APIRouter, Request, Response

from app.api import presenters
from app.api.deps import AfterDep, DatabaseDep, LimitQuery
from app.api.routes.vocabulary import detail, list_page
from app.models.public import SymptomDetail, SymptomPage
from app.queries.pagination import DEFAULT_LIMIT
from app.queries.vocabulary import SYMPTOMS

router = APIRouter(prefix="/symptoms", tags=["symptoms"])


@router.get("", response_model=SymptomPage)
async def list_symptoms(
    request: Request,
    response: Response,
    db: DatabaseDep,
    after: AfterDep,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SymptomPage:
    """List symptoms, ordered by slug."""
    return await list_page(
        request,
        response,
        db,
        SYMPTOMS,
        after=after,
        limit=limit,
        page=SymptomPage,
        summary=presenters.symptom_summary,  # type: ignore[arg-type]
    )


@router.get("/{slug}", response_model=SymptomDetail)
async def get_symptom(slug: str, db: DatabaseDep) -> SymptomDetail:
    """Get a symptom and the conditions that list it."""
    return await detail(db, SYMPTOMS, slug, presenters.symptom_detail)
