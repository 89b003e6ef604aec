"""`/v1/symptoms`: the shared symptom vocabulary and the conditions that list each symptom."""

from fastapi import APIRouter, Request, Response

from app.api import presenters
from app.api.deps import AfterDep, LimitQuery, SessionDep
from app.api.routes.vocabulary import detail, list_page
from app.models.public import SymptomDetail, SymptomPage
from app.queries.pagination import DEFAULT_LIMIT
from app.queries.vocabulary import SYMPTOMS

router = APIRouter(prefix="/symptoms", tags=["symptoms"])


@router.get("", response_model=SymptomPage)
def list_symptoms(
    request: Request,
    response: Response,
    session: SessionDep,
    after: AfterDep,
    limit: LimitQuery = DEFAULT_LIMIT,
) -> SymptomPage:
    """List symptoms, ordered by slug."""
    return list_page(
        request,
        response,
        session,
        SYMPTOMS,
        after=after,
        limit=limit,
        page=SymptomPage,
        summary=presenters.symptom_summary,  # type: ignore[arg-type]
    )


@router.get("/{slug}", response_model=SymptomDetail)
def get_symptom(slug: str, session: SessionDep) -> SymptomDetail:
    """Get a symptom and the conditions that list it."""
    return detail(session, SYMPTOMS, slug, presenters.symptom_detail)
