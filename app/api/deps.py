"""Dependencies shared by the routes, as `Annotated` aliases so handlers stay short."""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.api.cursors import SlugCursorQuery
from app.core.config import Settings
from app.core.errors import InvalidParam, InvalidParameters, clipped
from app.core.read_pool import ReadPool
from app.queries.pagination import DEFAULT_LIMIT, MAX_LIMIT


async def get_read_pool(request: Request) -> ReadPool:
    pool: ReadPool = request.app.state.read_pool
    return pool


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseDep = Annotated[ReadPool, Depends(get_read_pool)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

LimitQuery = Annotated[
    int,
    Query(ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT}).", examples=[DEFAULT_LIMIT]),
]


async def after_slug(cursor: SlugCursorQuery = None) -> str | None:
    return cursor


AfterDep = Annotated[str | None, Depends(after_slug)]

MAX_NAMED = 10  # unknown parameters named in one problem

# Cached on the route object itself: routes are unhashable, and ids of collected routes get reused.
_ALLOWED = "_conditions_api_query_params"


def _query_param_names(dependant: Dependant) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_param_names(sub)
    return names


async def reject_unknown_query_params(request: Request) -> None:
    """A misspelt parameter (`limt=5`) is an error, not silently ignored."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    allowed: frozenset[str] | None = getattr(route, _ALLOWED, None)
    if allowed is None:
        allowed = frozenset(_query_param_names(route.dependant))
        setattr(route, _ALLOWED, allowed)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in allowed]
    if unknown:
        accepted = ", ".join(sorted(allowed)) or "none"
        # Named, but bounded: thousands of long names must not make a problem body larger than the request.
        shown = [clipped(name) for name in unknown[:MAX_NAMED]]
        errors = [InvalidParam(name=name, location="query", reason="unknown parameter") for name in shown]
        names = ", ".join(f"'{name}'" for name in shown) + (
            f" and {len(unknown) - MAX_NAMED} more" if len(unknown) > MAX_NAMED else ""
        )
        raise InvalidParameters(f"unknown query parameter {names}; this endpoint accepts: {accepted}.", errors=errors)
