"""`/health` (the process answers) and `/ready` (the database is reachable and fully migrated)."""

from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError

from app import migrations
from app.core.errors import PROBLEM_MEDIA_TYPE, NotReady, Problem
from app.models.public import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
async def health() -> Health:
    """Report that the server process is alive (no database access)."""
    return Health(status="ok")


@router.get(
    "/ready",
    response_model=Readiness,
    responses={503: {"model": Problem, "description": "Not ready", "content": {PROBLEM_MEDIA_TYPE: {}}}},
)
def ready(request: Request) -> Readiness:
    """Report whether the database is reachable and at the migration head this server expects."""
    expected = migrations.head_revision(request.app.state.settings.database_url)
    try:
        current = migrations.current_revision(request.app.state.engine)
    except SQLAlchemyError as exc:
        raise NotReady("The database cannot be reached.") from exc
    if current != expected:
        raise NotReady(f"The database is at migration {current}, expected {expected}: run `conditions-api migrate`.")
    return Readiness(status="ready", revision=current or "")
