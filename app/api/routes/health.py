"""`/health` (the process answers) and `/ready` (the database can be read, is fully migrated and intact)."""

from fastapi import APIRouter, Request

from app.core.errors import PROBLEM_MEDIA_TYPE, NotReady, Problem
from app.core.monitor import DatabaseMonitor
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
async def ready(request: Request) -> Readiness:
    """Report whether the database can be read, is at the migration head this server expects, and passes
    SQLite's `quick_check` (re-run whenever the file changes)."""
    monitor: DatabaseMonitor = request.app.state.monitor
    verdict = await monitor.readiness()
    if not verdict.ready:
        raise NotReady(verdict.problem)
    return Readiness(status="ready", revision=verdict.revision or "")
