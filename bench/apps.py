"""Baselines: a bare ASGI app (the anchor of `make bench` and `make bench-search`) and a FastAPI async route
(`make bench`), each returning fixed bytes read from the file named by BENCH_BODY, served by the same uvicorn
as our API. The bare app answers every path."""

import os
from pathlib import Path

from fastapi import FastAPI, Response
from starlette.types import Receive, Scope, Send

BODY = Path(os.environ.get("BENCH_BODY", "/dev/null")).read_bytes()
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def bare(scope: Scope, _receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


framework = FastAPI()


@framework.get("/v1/conditions/{slug}")
async def fixed(slug: str) -> Response:
    del slug
    return Response(BODY, media_type="application/json")
