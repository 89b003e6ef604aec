"""One error hierarchy rendered as RFC 9457 problem details (`application/problem+json`).

Every error a client can see goes through `problem_response`, so the body shape is the same everywhere:
`type`, `title`, `status`, `detail`, `instance`, plus `errors` for invalid parameters.
"""

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"


class InvalidParam(BaseModel):
    """One parameter that was rejected, and why."""

    name: str = Field(description="Parameter name, as sent.", examples=["limit"])
    location: str = Field(description="Where it was sent: query, path or header.", examples=["query"])
    reason: str = Field(description="What is wrong with it.", examples=["must be at most 100"])


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    type: str = Field(description="URI identifying the kind of problem.", examples=["/problems/not-found"])
    title: str = Field(description="Short summary of the kind of problem.", examples=["Not Found"])
    status: int = Field(description="HTTP status code.", examples=[404])
    detail: str = Field(
        description="What went wrong in this request, and what to do about it.",
        examples=["No condition has the slug 'lumbar-spasm'."],
    )
    instance: str | None = Field(default=None, description="The request path.", examples=["/v1/conditions/x"])
    errors: list[InvalidParam] | None = Field(default=None, description="The invalid parameters, if any.")


class AppError(Exception):
    """Base of every error the API reports on purpose."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal Server Error"
    description: ClassVar[str] = "The server failed to answer; the failure was logged."

    def __init__(self, detail: str, *, errors: list[InvalidParam] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors

    @classmethod
    def type_uri(cls) -> str:
        return f"/problems/{cls.slug}"


class NotFound(AppError):
    status = 404
    slug = "not-found"
    title = "Not Found"
    description = "The resource does not exist. Slugs are lowercase; list endpoints show the valid ones."


class InvalidParameters(AppError):
    status = 422
    slug = "invalid-parameters"
    title = "Invalid Parameters"
    description = "One or more parameters are missing, malformed or unknown; `errors` names each one."


class NotReady(AppError):
    status = 503
    slug = "not-ready"
    title = "Service Unavailable"
    description = "The database is unreachable or not migrated to the version this server expects."


PROBLEM_TYPES: tuple[type[AppError], ...] = (AppError, NotFound, InvalidParameters, NotReady)


def problem_response(
    request: Request,
    *,
    status: int,
    detail: str,
    type_uri: str = "about:blank",
    title: str | None = None,
    errors: list[InvalidParam] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    problem = Problem(
        type=type_uri,
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors,
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=dict(headers) if headers else None,
    )


def _location(loc: tuple[int | str, ...]) -> tuple[str, str]:
    where = str(loc[0]) if loc else "request"
    name = ".".join(str(part) for part in loc[1:]) or where
    return where, name


def _reason(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "is invalid"))
    return message[0].lower() + message[1:] if message else message


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    return problem_response(
        request,
        status=exc.status,
        detail=exc.detail,
        type_uri=exc.type_uri(),
        title=exc.title,
        errors=exc.errors,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for error in exc.errors():
        where, name = _location(tuple(error.get("loc", ())))
        errors.append(InvalidParam(name=name, location=where, reason=_reason(error)))
    detail = "; ".join(f"{e.location} parameter '{e.name}': {e.reason}" for e in errors)
    return problem_response(
        request,
        status=InvalidParameters.status,
        detail=detail or "The request is invalid.",
        type_uri=InvalidParameters.type_uri(),
        title=InvalidParameters.title,
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        detail = f"No resource at '{request.url.path}'. The API lives under /v1; see /docs."
        return problem_response(request, status=404, detail=detail, type_uri=NotFound.type_uri(), title="Not Found")
    detail = str(exc.detail)
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on '{request.url.path}'."
    return problem_response(request, status=exc.status_code, detail=detail, headers=exc.headers)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        status=500,
        detail="The server failed to answer this request. The failure was logged; retrying may help.",
        type_uri=AppError.type_uri(),
        title=AppError.title,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Not found", "content": {PROBLEM_MEDIA_TYPE: {}}},
    422: {
        "model": Problem,
        "description": "Invalid or unknown parameter",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
    500: {"model": Problem, "description": "Unexpected server error", "content": {PROBLEM_MEDIA_TYPE: {}}},
}
