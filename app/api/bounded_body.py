"""A route class that reads at most a set number of body bytes, declared or streamed (chunked), before FastAPI
parses the body: a client cannot make the server hold an unbounded body in memory."""

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from app.core.errors import BodyTooLarge

MAX_BODY_BYTES = 4 * 1024 * 1024  # a chart's prefetched conditions are kilobytes; thousands still fit


class BoundedBodyRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            too_large = BodyTooLarge(f"The body may be at most {MAX_BODY_BYTES} bytes.")
            declared = request.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise too_large
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise too_large
            request._body = bytes(body)  # what Request.body() returns from now on: FastAPI reads it there
            return await handler(request)

        return bounded
