"""One error hierarchy rendered as RFC 9457 problem details (`application/problem+json`).

Every error a client can see goes through `problem_response`, so the body shape is the same everywhere:
`type`, `title`, `status`, `detail`, `instance`, `request_id`, plus `errors` for invalid parameters.
"""

import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match

from app.core import read_pool
from app.core.request_context import current_request_id

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
    request_id: str | None = Field(
        default=None,
        description="The request's id, as in its `X-Request-ID` header and the server's log: quote it when "
        "reporting a problem.",
        examples=["5f0c6d2e9b7a4f1c8e3d2b1a09f8e7d6"],
    )


class AppError(Exception):
    """Base of every error the API reports on purpose."""

    status: ClassVar[int] = 500
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal Server Error"
    description: ClassVar[str] = "The server failed to answer; the failure was logged."
    headers: ClassVar[Mapping[str, str]] = {}

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


class UnknownReference(AppError):
    status = 404
    slug = "unknown-reference"
    title = "Unknown Reference"
    description = (
        "A query parameter names an entry that does not exist (a symptom, cause or treatment slug, a symptom "
        "that no words match, or an ICD-10-CM code the server does not hold); `errors` names each one."
    )


class CursorNotInLog(AppError):
    status = 409
    slug = "cursor-not-in-log"
    title = "Cursor Not In Change Log"
    description = (
        "The `since` cursor lies beyond the end of this server's change log, so it was issued by another "
        "database (one that was replaced or rebuilt). Changes cannot be followed from it: fetch `/v1/export` "
        "again and follow `/v1/changes` from the export's `cursor`."
    )


class ApiKeyRequired(AppError):
    status = 401
    slug = "api-key-required"
    title = "API Key Required"
    description = (
        "This server serves `/v1/...` only to callers with an API key. Send it as `Authorization: Bearer <key>`; "
        "the server's operator creates keys (`conditions-api keys create NAME`)."
    )


class InvalidApiKey(AppError):
    status = 401
    slug = "invalid-api-key"
    title = "Invalid API Key"
    description = (
        "The `Authorization` header does not hold a key this server accepts: not a `Bearer` key, mistyped, "
        "revoked or expired. Ask the server's operator for a valid key, or call without one."
    )


class InvalidEhrToken(AppError):
    status = 401
    slug = "invalid-ehr-token"
    title = "Invalid EHR Token"
    description = (
        "This server's CDS Hooks services accept calls signed by the EHRs it trusts (`CDS_HOOKS_KEYS`): the "
        "`Authorization: Bearer <JWT>` header is missing, or its JWT is unsigned, expired, signed by a key the "
        "server does not hold, or addressed (`aud`) to another service."
    )
    headers: ClassVar[Mapping[str, str]] = {
        "WWW-Authenticate": 'Bearer realm="cds-services", error="invalid_token"',
        "Cache-Control": "no-store",
    }


class RateLimited(AppError):
    status = 429
    slug = "rate-limited"
    title = "Too Many Requests"
    description = (
        "The caller made more requests than its rate limit allows (per API key, or per client address without "
        "one). Wait `Retry-After` seconds; the `RateLimit` and `RateLimit-Policy` headers of every response say "
        "how much is left and the quota."
    )


class InvalidParameters(AppError):
    status = 422
    slug = "invalid-parameters"
    title = "Invalid Parameters"
    description = "One or more parameters are missing, malformed or unknown; `errors` names each one."


class InvalidKnowledgeRequest(AppError):
    status = 400
    slug = "invalid-knowledge-request"
    title = "Invalid Knowledge Request"
    description = (
        "An HL7 Infobutton knowledge request (`GET /infobutton`) is missing a parameter it needs, or names a code "
        "system, recipient or response type this server does not serve; `errors` names each parameter."
    )


class InvalidBody(AppError):
    status = 400
    slug = "invalid-body"
    title = "Invalid Body"
    description = (
        "The request's body is not JSON, or not the JSON this endpoint reads (for CDS Hooks, a call shaped as the "
        "specification says); `errors` names each field that is missing or wrong."
    )


class BodyTooLarge(AppError):
    status = 413
    slug = "body-too-large"
    title = "Content Too Large"
    description = "The request's body is larger than this endpoint reads; the detail says how large it may be."


class NotReady(AppError):
    status = 503
    slug = "not-ready"
    title = "Service Unavailable"
    description = "The database is unreachable, damaged or not migrated to the version this server expects."


class DatabaseUnavailable(AppError):
    status = 503
    slug = "database-unavailable"
    title = "Service Unavailable"
    description = (
        "The server's database cannot be read right now (missing, not migrated or damaged). The operator has to "
        "repair it; `/ready` says what is wrong. Retrying later may help."
    )


class TimeLimitExceeded(AppError):
    status = 503
    slug = "time-limit-exceeded"
    title = "Service Unavailable"
    description = (
        "The request needed more database time than the server allows per query (`QUERY_TIME_LIMIT_MS`), so it "
        "was stopped. The server may be busy: retry after `Retry-After` seconds, or ask for less."
    )


PROBLEM_TYPES: tuple[type[AppError], ...] = (
    AppError,
    NotFound,
    UnknownReference,
    CursorNotInLog,
    ApiKeyRequired,
    InvalidApiKey,
    InvalidEhrToken,
    RateLimited,
    InvalidParameters,
    InvalidKnowledgeRequest,
    InvalidBody,
    BodyTooLarge,
    NotReady,
    DatabaseUnavailable,
    TimeLimitExceeded,
)
RETRY_AFTER_SECONDS = 1
MAX_ECHOED = 200  # characters of a client's path echoed back: a problem body stays small whatever was sent


def clipped(text: str) -> str:
    return text if len(text) <= MAX_ECHOED else text[:MAX_ECHOED] + "…"


def problem_response(
    request: Request | None,
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
        instance=clipped(request.url.path) if request is not None else None,
        errors=errors,
        request_id=current_request_id(),
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


# How to word a value that fails a declared pattern, keyed by the pattern: "should match '^[0-9]{1,18}$'" tells a
# client less than "is not a cursor this API issued".
_PATTERN_REASONS: dict[str, Callable[[str], str]] = {}


def explain_pattern(pattern: str, reason: Callable[[str], str]) -> str:
    """Register how a mismatch of `pattern` is explained, given the value sent; returns the pattern."""
    _PATTERN_REASONS[pattern] = reason
    return pattern


def _reason(error: dict[str, Any]) -> str:
    pattern = error.get("ctx", {}).get("pattern") if error.get("type") == "string_pattern_mismatch" else None
    explain = _PATTERN_REASONS.get(pattern) if isinstance(pattern, str) else None
    if explain is not None:
        return explain(clipped(str(error.get("input", ""))))
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
        headers=exc.headers,
    )


def invalid_params(exc: RequestValidationError) -> list[InvalidParam]:
    """Each parameter FastAPI's validation refused, with why in words."""
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":  # located at ("body", <offset>): the offset is no field's name
            offset = tuple(error.get("loc", ()))[-1]
            reason = f"not valid JSON ({error.get('ctx', {}).get('error', 'decode error')} at character {offset})"
            errors.append(InvalidParam(name="body", location="body", reason=reason))
            continue
        where, name = _location(tuple(error.get("loc", ())))
        errors.append(InvalidParam(name=name, location=where, reason=_reason(error)))
    return errors


def invalid_params_detail(errors: list[InvalidParam]) -> str:
    """The errors in words, at most MAX_WORDED of them: a body of thousands of wrong fields gets a bounded answer."""
    detail = "; ".join(_wording(e) for e in errors[:MAX_WORDED])
    if len(errors) > MAX_WORDED:
        detail += f"; and {len(errors) - MAX_WORDED} more"
    return detail


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = invalid_params(exc)
    # A body that cannot be read is a malformed request (400), as CDS Hooks has it; a parameter out of its range
    # or unknown stays a 422, as it always was here.
    kind = InvalidBody if any(e.location == "body" for e in errors) else InvalidParameters
    detail = invalid_params_detail(errors)
    return problem_response(
        request,
        status=kind.status,
        detail=detail or "The request is invalid.",
        type_uri=kind.type_uri(),
        title=kind.title,
        errors=errors[:MAX_WORDED],
    )


MAX_WORDED = 20  # errors named in one problem: a body of thousands of wrong fields gets a bounded answer


def _wording(error: InvalidParam) -> str:
    if error.location == "body":
        return f"body field '{error.name}': {error.reason}" if error.name != "body" else f"body: {error.reason}"
    return f"{error.location} parameter '{error.name}': {error.reason}"


def _without_trailing_slash(request: Request) -> str | None:
    """The path without its trailing slash, when that path is a route (`/v1/conditions/` -> `/v1/conditions`)."""
    path = request.url.path
    if len(path) < 2 or not path.endswith("/"):
        return None
    stripped = {**request.scope, "path": path.rstrip("/")}
    for route in request.app.router.routes:
        if route.matches(stripped)[0] == Match.FULL:
            return str(stripped["path"])
    return None


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and (target := _without_trailing_slash(request)) is not None:
        # Relative, unlike Starlette's own slash redirect, which builds the URL from the client's Host header.
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(target + query, status_code=308)
    if exc.status_code == 404:
        detail = f"No resource at '{clipped(request.url.path)}'. The API lives under /v1; see /docs."
        return problem_response(request, status=404, detail=detail, type_uri=NotFound.type_uri(), title="Not Found")
    detail = str(exc.detail)
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on '{clipped(request.url.path)}'."
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


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    del exc  # logged by the read pool
    return await _app_error(
        request,
        DatabaseUnavailable("The database cannot be read right now; the operator has been told (see /ready)."),
    )


async def _time_limit(request: Request, exc: Exception) -> JSONResponse:
    logger.warning("%s %s: %s", request.method, clipped(request.url.path), exc)
    response = await _app_error(
        request,
        TimeLimitExceeded(f"This request was stopped: {exc}. Retry later, or narrow it (fewer words, a smaller page)."),
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(read_pool.DatabaseUnavailable, _database_unavailable)
    app.add_exception_handler(read_pool.QueryTimeout, _time_limit)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {
        "model": Problem,
        "description": "Not found, or a query parameter names an entry that does not exist (`unknown-reference`)",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
    401: {
        "model": Problem,
        "description": "No API key where the server requires one (`api-key-required`), or a key it does not "
        "accept (`invalid-api-key`)",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
    429: {
        "model": Problem,
        "description": "Over the rate limit (`rate-limited`): retry after `Retry-After` seconds",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
    422: {
        "model": Problem,
        "description": "Invalid or unknown parameter",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
    500: {"model": Problem, "description": "Unexpected server error", "content": {PROBLEM_MEDIA_TYPE: {}}},
    503: {
        "model": Problem,
        "description": "The database is unavailable, or the request ran past the query time limit (`Retry-After`)",
        "content": {PROBLEM_MEDIA_TYPE: {}},
    },
}
