"""CORS by path: the widget (`/embed/...`) is fetched by the sites in `EMBED_ORIGINS`, the API by the browser
apps in `CORS_ORIGINS`. Both are read-only GETs without credentials."""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.config import Settings
from app.core.errors import clipped, problem_response

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


def refused_preflight(request_headers: Headers, refused: str, allowed_origins: str) -> Response:
    origin = clipped(request_headers.get("origin", ""))
    return problem_response(
        None,
        status=400,
        detail=f"This CORS preflight from '{origin}' is refused ({refused} not allowed). The server allows "
        f"{allowed_origins}, GET and HEAD, and the headers {', '.join(ALLOWED_HEADERS)}.",
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

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        problem = refused_preflight(request_headers, refused, "the origins in the server's CORS_ORIGINS setting")
        problem.headers.update({k: v for k, v in response.headers.items() if k.startswith("access-control")})
        return problem


def _cors(app: ASGIApp, origins: list[str]) -> ASGIApp:
    if not origins:
        return RefusePreflights(app)
    return ProblemCorsMiddleware(
        app,
        allow_origins=origins,
        allow_methods=["GET", "HEAD", "OPTIONS"],
        allow_headers=ALLOWED_HEADERS,
        expose_headers=EXPOSED,
        max_age=600,
    )


class PathCorsMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.embed = _cors(app, settings.embed_origins)
        self.api = _cors(app, settings.cors_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        handler = self.embed if path.startswith("/embed/") else self.api
        await handler(scope, receive, send)
