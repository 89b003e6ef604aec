"""Middleware that makes every response safe to hand to a browser, whatever produced it.

- `SecurityHeadersMiddleware`: `nosniff`, a referrer policy, `Cross-Origin-Resource-Policy: cross-origin` (the
  API and the widget are meant to be used from other sites) and HSTS when the public URL is https. A route's own
  value (the widget's stricter headers) wins.
- `ErrorBoundaryMiddleware`: an unexpected exception becomes a 500 problem *inside* the CORS middleware, so a
  browser app can read it (Starlette's own last-resort handler sits outside every middleware).
"""

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.disconnect import ClientDisconnected
from app.core.config import Settings
from app.core.errors import AppError, clipped, problem_response

logger = logging.getLogger(__name__)

HSTS_SECONDS = 31_536_000


def security_headers(settings: Settings) -> list[tuple[bytes, bytes]]:
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"cross-origin-resource-policy", b"cross-origin"),
    ]
    if settings.base_url.startswith("https://"):
        headers.append((b"strict-transport-security", f"max-age={HSTS_SECONDS}".encode()))
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.headers = security_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


class ErrorBoundaryMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except ClientDisconnected:
            return  # nobody to answer
        except Exception as exc:
            if started:
                raise  # part of the response is out: all that can be done is to end the connection
            request = Request(scope)
            logger.exception("unhandled error on %s %s", request.method, clipped(request.url.path), exc_info=exc)
            response = problem_response(
                request,
                status=500,
                detail="The server failed to answer this request. The failure was logged; retrying may help.",
                type_uri=AppError.type_uri(),
                title=AppError.title,
            )
            await response(scope, receive, send)
