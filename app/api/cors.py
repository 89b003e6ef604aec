"""CORS by path: the widget (`/embed/...`) is fetched by the sites in `EMBED_ORIGINS`, the API by the browser
apps in `CORS_ORIGINS`, both with read-only GETs without credentials. Browser-based CDS Hooks clients (in
`CORS_ORIGINS` too) also POST JSON to `/cds-services/...` with the EHR's JWT, as the specification expects."""

from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.config import Settings
from app.core.errors import clipped, problem_response
from app.models.cds_hooks import is_cds_hooks_path

# What a browser app may read: validators, paging, resuming an export, and when to retry.
EXPOSED = [
    "ETag",
    "Last-Modified",
    "Link",
    "Content-Range",
    "Accept-Ranges",
    "Retry-After",
    "X-Request-ID",
    "RateLimit",
    "RateLimit-Policy",
]
# Revalidation (the validators, `Cache-Control: no-cache` when the change feed says "changed") and resuming an
# export download (`Range`).
ALLOWED_HEADERS = [
    "If-None-Match",
    "If-Modified-Since",
    "Cache-Control",
    "Range",
    "Authorization",
    "X-Request-ID",
    "traceparent",
]


READ_METHODS = ["GET", "HEAD"]
CDS_HOOKS_METHODS = ["GET", "POST"]
CDS_HOOKS_HEADERS = [*ALLOWED_HEADERS, "Content-Type"]


def refused_preflight(
    request_headers: Headers,
    refused: str,
    allowed_origins: str,
    methods: list[str] = READ_METHODS,
    headers: list[str] = ALLOWED_HEADERS,
) -> Response:
    origin = clipped(request_headers.get("origin", ""))
    return problem_response(
        None,
        status=400,
        detail=f"This CORS preflight from '{origin}' is refused ({refused} not allowed). The server allows "
        f"{allowed_origins}, {' and '.join(methods)}, and the headers {', '.join(headers)}.",
    )


class RefusePreflights:
    """No origins allowed: every other request passes untouched (no CORS headers, no `Vary: Origin`), and a
    preflight is a problem that says why, not a bare 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if headers is None or scope["method"] != "OPTIONS" or "access-control-request-method" not in headers:
            await self.app(scope, receive, send)
            return
        refused = refused_preflight(headers, "origin", "no origin (its CORS_ORIGINS setting is empty)")
        await refused(scope, receive, send)


class ProblemCorsMiddleware(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered as a problem that names what was refused."""

    def __init__(self, app: ASGIApp, *, methods: list[str], headers: list[str], **options: Any) -> None:
        super().__init__(app, allow_methods=[*methods, "OPTIONS"], allow_headers=headers, **options)
        self.methods = methods
        self.headers = headers

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        problem = refused_preflight(
            request_headers,
            refused,
            "the origins in the server's CORS_ORIGINS setting",
            self.methods,
            self.headers,
        )
        problem.headers.update({k: v for k, v in response.headers.items() if k.startswith("access-control")})
        return problem


def _cors(
    app: ASGIApp, origins: list[str], methods: list[str] = READ_METHODS, headers: list[str] = ALLOWED_HEADERS
) -> ASGIApp:
    if not origins:
        return RefusePreflights(app)
    return ProblemCorsMiddleware(
        app, methods=methods, headers=headers, allow_origins=origins, expose_headers=EXPOSED, max_age=600
    )


class PathCorsMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.embed = _cors(app, settings.embed_origins)
        self.api = _cors(app, settings.cors_origins)
        self.cds_hooks = _cors(app, settings.cors_origins, CDS_HOOKS_METHODS, CDS_HOOKS_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if path.startswith("/embed/"):
            handler = self.embed
        elif is_cds_hooks_path(path):
            handler = self.cds_hooks
        else:
            handler = self.api
        await handler(scope, receive, send)
