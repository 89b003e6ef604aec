"""The outermost layer: gives each request its id (`X-Request-ID`, echoed when sane, made up otherwise), binds
its `RequestContext`, and when the answer has gone out writes the access log line and records the metrics.

The access log names the route template (`/v1/conditions/{slug}`), never the query string or the client's
address: what someone searches for in a health library is their business.
"""

import logging
import re
import time
from collections.abc import Collection, Sequence
from functools import lru_cache

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api import metrics
from app.core import request_context
from app.core.logs import ACCESS_LOGGER
from app.core.request_context import RequestContext

access_log = logging.getLogger(ACCESS_LOGGER)

REQUEST_ID_HEADER = "x-request-id"
_READ = frozenset((b"x-request-id", b"traceparent"))


class RouteTemplates:
    """The path template of the route a request path falls on (`/v1/conditions/{slug}`), found by matching the
    app's routes (a cache hit never reaches the router to say). Bounded labels for logs and metrics."""

    def __init__(self, routes: Sequence[BaseRoute]) -> None:
        self.routes = routes
        self._patterns: list[tuple[re.Pattern[str], str, Collection[str] | None]] | None = None
        self.template = lru_cache(maxsize=4096)(self._template)

    def _template(self, path: str, method: str) -> str | None:
        if self._patterns is None:  # on first use: every route has been added by then
            self._patterns = [
                (context.path_regex, context.path, context.methods)
                for context in iter_route_contexts(self.routes)
                if context.path_regex is not None and context.path is not None
            ]
        wrong_method: str | None = None
        for pattern, template, methods in self._patterns:
            if pattern.match(path):
                if methods is None or method in methods:
                    return template
                wrong_method = wrong_method or template
        return wrong_method


class ObserverMiddleware:
    def __init__(self, app: ASGIApp, *, routes: Sequence[BaseRoute], metrics_enabled: bool) -> None:
        self.app = app
        self.templates = RouteTemplates(routes)
        self.metrics_enabled = metrics_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = {name.decode(): value.decode("latin-1") for name, value in scope["headers"] if name in _READ}
        context = RequestContext(
            request_id=request_context.request_id_from(sent.get("x-request-id")),
            trace_id=request_context.trace_id_from(sent.get("traceparent")),
        )
        started = time.perf_counter()
        status = 500  # what the client gets if the app fails before it answers (the server sends a 500)
        body_bytes = 0
        observed = False

        def observe() -> None:
            nonlocal observed
            if observed:
                return
            observed = True
            seconds = time.perf_counter() - started
            context.route = self.templates.template(scope["path"], scope["method"])
            self._log(scope, context, status, body_bytes, seconds)
            if self.metrics_enabled:
                metrics.record(context, scope["method"], status, seconds)

        async def send_observed(message: Message) -> None:
            nonlocal status, body_bytes
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [*message.get("headers", []), (REQUEST_ID_HEADER.encode(), context.request_id.encode())]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                body_bytes += len(message.get("body", b""))
                if not message.get("more_body", False):
                    # Logged and counted before the last bytes leave: a client that has its answer (and then
                    # scrapes /metrics) finds its request already there.
                    observe()
            await send(message)

        token = request_context.begin(context)
        try:
            await self.app(scope, receive, send_observed)
        finally:
            observe()  # an answer cut short (a client gone, a failure) is logged and counted too
            request_context.end(token)

    @staticmethod
    def _log(scope: Scope, context: RequestContext, status: int, body_bytes: int, seconds: float) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        fields = {
            "method": scope["method"],
            "route": context.route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "bytes": body_bytes,
            "cache": context.cache,
            "key": context.key_name,
            "trace_id": context.trace_id,
        }
        access_log.info(
            "%s %s %d %.1f ms %d B cache=%s key=%s",
            scope["method"],
            context.route or "(no route)",
            status,
            seconds * 1000,
            body_bytes,
            context.cache or "-",
            context.key_name or "-",
            extra={"fields": fields},
        )
