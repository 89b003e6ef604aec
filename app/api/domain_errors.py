"""Domain errors of the query layer, worded for HTTP clients."""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.core.errors import DatabaseUnavailable, InvalidParam, UnknownReference, clipped, problem_response
from app.models.base import EntryType
from app.models.code_systems import CodeSystem
from app.queries.references import UnknownReferences
from app.queries.search_engine import NoSearchIndex
from app.representation.presenters import API_PREFIX

logger = logging.getLogger(__name__)

# Where a client can see the valid values of each kind of reference.
_LISTED_AT = {
    **{kind.value: f"GET {API_PREFIX}/{kind.plural}" for kind in EntryType},
    **{system.value: f"GET {API_PREFIX}/codes/{system.value}/{{code}}" for system in CodeSystem},
}


def _reason(kind: str, value: str) -> str:
    if kind == "icd10":
        return f"'{clipped(value)}' is not in the ICD-10-CM code set this server holds"
    if kind == CodeSystem.SNOMED.value:
        return f"'{clipped(value)}' is not a SNOMED CT concept id: {CodeSystem.SNOMED.spec.shape}"
    if kind in CodeSystem.__members__.values():
        return f"'{clipped(value)}' is not in the {CodeSystem(kind).label} release this server holds"
    return f"no {kind} is named '{clipped(value)}'"


async def _unknown_references(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownReferences)
    errors = [InvalidParam(name=r.kind, location="query", reason=_reason(r.kind, r.value)) for r in exc.references]
    listed = sorted({_LISTED_AT[r.kind] for r in exc.references if r.kind in _LISTED_AT})
    detail = "; ".join(f"Query parameter '{e.name}': {e.reason}" for e in errors)
    return problem_response(
        request,
        status=UnknownReference.status,
        detail=f"{detail}. What exists: {', '.join(listed)}." if listed else f"{detail}.",
        type_uri=UnknownReference.type_uri(),
        title=UnknownReference.title,
        errors=errors,
    )


async def _no_search_index(request: Request, exc: Exception) -> JSONResponse:
    logger.error("search is unavailable: %s", exc)
    return problem_response(
        request,
        status=DatabaseUnavailable.status,
        detail="Search is unavailable: the database has no search index yet. The operator has to run "
        "`conditions-api seed`.",
        type_uri=DatabaseUnavailable.type_uri(),
        title=DatabaseUnavailable.title,
    )


def install_domain_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(UnknownReferences, _unknown_references)
    app.add_exception_handler(NoSearchIndex, _no_search_index)
