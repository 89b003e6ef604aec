"""Every expensive input has a bound, every error a problem body of bounded size, every response safe headers."""

import asyncio
import base64
import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlmodel import Session

from app.api.http_cache import HttpCacheMiddleware
from app.core.config import Settings
from app.core.read_pool import ReadPool
from app.main import create_app
from tests.api.test_query_count import DETAIL_STATEMENTS, counting
from tests.conftest import sqlite_url
from tests.servers import api_server

pytestmark = pytest.mark.anyio

COUNT_FOREVER = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


@pytest.fixture
async def make_client(db_path: Path) -> AsyncIterator[Any]:
    apps: list[FastAPI] = []

    def make(app: FastAPI | None = None, **settings: Any) -> httpx.AsyncClient:
        app = app or create_app(Settings(database_url=sqlite_url(db_path), **settings))
        apps.append(app)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    yield make
    for app in apps:
        app.state.close()


def cache_of(app: FastAPI) -> HttpCacheMiddleware:
    layer: Any = app.middleware_stack
    while not isinstance(layer, HttpCacheMiddleware):
        layer = getattr(layer, "app", None) or layer.api
    return layer


def count_forever(session: Session) -> int:
    return int(session.execute(text(COUNT_FOREVER)).scalar_one())


def app_with_a_slow_route(db_path: Path, **settings: Any) -> tuple[FastAPI, ReadPool]:
    """The app plus `GET /slow`: a query that runs until the time limit stops it (a 503)."""
    app = create_app(Settings(database_url=sqlite_url(db_path), **settings))
    pool: ReadPool = app.state.read_pool

    @app.get("/slow")
    async def slow() -> int:
        return await pool.run(count_forever)

    return app, pool


def get_scope(path: str, query: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }


async def hang_up(app: FastAPI, query: str, *, after: float) -> list[Any]:
    """`GET /v1/search?{query}` from a client that disconnects `after` seconds; what the app sent it."""
    messages = [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[Any] = []

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.sleep(after)
        return {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(get_scope("/v1/search", query), receive, send)
    return sent


async def test_a_query_past_the_time_limit_is_a_503_with_retry_after(db_path: Path, make_client: Any) -> None:
    app, _ = app_with_a_slow_route(db_path, query_time_limit_ms=100)

    async with make_client(app) as client:
        response = await client.get("/slow")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "1"
        assert response.json()["type"] == "/problems/time-limit-exceeded"
        assert "100 ms" in response.json()["detail"]
        # The thread and its connection are fine afterwards.
        assert (await client.get("/v1/conditions/lumbar-muscle-spasm")).status_code == 200


async def test_the_cache_stays_within_its_byte_bound(make_client: Any) -> None:
    limit = 64 * 1024
    async with make_client(cache_max_bytes=limit) as client:
        for page in range(1, 41):
            response = await client.get(f"/v1/symptoms?limit={page}", headers={"Accept-Encoding": "identity"})
            assert response.status_code == 200
        assert (await client.get("/v1/conditions/lumbar-muscle-spasm")).status_code == 200
        cache = cache_of(client._transport.app)
    assert 0 < cache.size <= limit
    assert cache.size == sum(entry.size for entry in cache.entries.values())
    assert len(cache.entries) < 41  # the oldest left


async def test_a_stampede_of_one_request_builds_it_once(make_client: Any) -> None:
    client = make_client()
    app = client._transport.app
    async with client:
        with counting(app.state.read_pool.engine) as statements:
            answers = await asyncio.gather(*(client.get("/v1/conditions/lumbar-muscle-spasm") for _ in range(32)))
    assert [a.status_code for a in answers] == [200] * 32
    assert len({a.headers["etag"] for a in answers}) == 1
    assert len(statements) == DETAIL_STATEMENTS


async def test_match_refuses_more_symptoms_than_its_budget(make_client: Any) -> None:
    """Each value that is not a slug is a search, so the number of values bounds the cost of a match."""
    async with make_client() as client:
        words = ("back", "neck", "leg", "arm", "hip", "foot", "knee", "hand", "head", "side", "toe")
        eleven = [f"pain {word}" for word in words]
        refused = await client.get("/v1/conditions/match", params={"symptom": eleven})
        assert refused.status_code == 422
        assert "at most 10 items" in refused.json()["detail"]
        ten = await client.get("/v1/conditions/match", params={"symptom": [*eleven[:9], "low-back-pain"]})
        assert ten.status_code in (200, 404), ten.text  # accepted: every free-text value searched
        long = await client.get("/v1/conditions/match", params={"symptom": "back " * 30})
        assert long.status_code == 422 and "at most 100 characters" in long.json()["detail"]


def nested(depth: int) -> str:
    return base64.urlsafe_b64encode(("[" * depth + "]" * depth).encode()).decode()


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        (f"/v1/changes?since={nested(5000)}", "since"),
        (f"/v1/conditions?cursor={nested(5000)}", "cursor"),
        (f"/v1/conditions?cursor={'A' * 5000}", "cursor"),
        (f"/v1/search?q=pain&cursor={nested(60)}", "cursor"),
        (f"/v1/search?q=pain&cursor={'9' * 5000}", "cursor"),
        (f"/v1/changes?since={'9' * 19}", "since"),  # past SQLite's 64-bit integers
    ],
)
async def test_crafted_cursors_are_422s(make_client: Any, path: str, parameter: str) -> None:
    async with make_client() as client:
        response = await client.get(path)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["name"] == parameter
    assert len(response.content) < 1024


async def test_no_client_host_in_a_redirect(make_client: Any) -> None:
    async with make_client() as client:
        response = await client.get("/v1/conditions/?limit=2", headers={"Host": "evil.example"})
        assert response.status_code == 308
        assert response.headers["location"] == "/v1/conditions?limit=2"
        alias = await client.get("/v1/conditions/back-spasm", headers={"Host": "evil.example"})
        assert alias.headers["location"] == "/v1/conditions/lumbar-muscle-spasm"
        assert (await client.get("/v1/nothing/")).status_code == 404


async def test_error_bodies_are_bounded(make_client: Any) -> None:
    async with make_client() as client:
        response = await client.get("/" + "x" * 60_000)
        assert response.status_code == 404
        assert response.headers["content-type"] == "application/problem+json"
        assert len(response.content) < 1024
        long_slug = await client.get("/v1/symptoms/" + "y" * 10_000)
        assert long_slug.status_code == 404 and len(long_slug.content) < 1024
        # Found from outside: unknown parameter names were echoed whole (a 30,000-character name, 3,000 names).
        long_name = await client.get("/v1/conditions?" + "z" * 30_000 + "=1")
        assert long_name.status_code == 422 and len(long_name.content) < 2048
        many = await client.get("/v1/conditions?" + "&".join(f"p{i}=1" for i in range(3_000)))
        assert many.status_code == 422 and len(many.content) < 4096 and "and 2990 more" in many.json()["detail"]


async def test_safe_headers_on_every_response(make_client: Any) -> None:
    async with make_client() as client:
        for path in ("/v1/conditions/lumbar-muscle-spasm", "/v1/nothing", "/health", "/embed.js", "/openapi.json"):
            response = await client.get(path)
            assert response.headers["x-content-type-options"] == "nosniff", path
            assert response.headers["referrer-policy"], path
            assert response.headers["cross-origin-resource-policy"] == "cross-origin", path
            assert "strict-transport-security" not in response.headers
    async with make_client(public_url="https://conditions.example") as client:
        response = await client.get("/health")
        assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_a_500_is_a_problem_a_browser_app_can_read(db_path: Path, make_client: Any) -> None:
    app = create_app(Settings(database_url=sqlite_url(db_path), cors_origins=["https://app.example"]))

    @app.get("/v1/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    async with make_client(app) as client:
        response = await client.get("/v1/broken", headers={"Origin": "https://app.example"})
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["access-control-allow-origin"] == "https://app.example"
        assert "a bug" not in response.text and "Traceback" not in response.text
        refused = await client.options(
            "/v1/conditions", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        assert refused.status_code == 400
        assert refused.headers["content-type"] == "application/problem+json"
        assert "origin not allowed" in refused.json()["detail"]


async def test_last_modified_sent_back_is_a_304(make_client: Any) -> None:
    async with make_client() as client:
        first = await client.get("/v1/conditions/lumbar-muscle-spasm")
        again = await client.get(
            "/v1/conditions/lumbar-muscle-spasm", headers={"If-Modified-Since": first.headers["last-modified"]}
        )
    assert again.status_code == 304


def raw_request(base: str, request: bytes) -> tuple[bytes, bytes]:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return head, body


@pytest.mark.e2e
def test_requests_the_server_cannot_parse_get_problems(db_path: Path) -> None:
    with api_server(db_path) as base:
        for request in (
            b"NOT HTTP AT ALL\r\n\r\n",
            b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000,  # headers that never end
            b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
        ):
            head, body = raw_request(base, request)
            assert head.startswith(b"HTTP/1.1 400"), head
            assert b"content-type: application/problem+json" in head.lower()
            assert json.loads(body)["status"] == 400


async def test_work_for_a_client_that_left_is_not_done(db_path: Path, make_client: Any) -> None:
    """Version 1 ran every queued request, even for clients long gone: 150 dropped ones delayed the next by 8 s."""
    app, pool = app_with_a_slow_route(db_path, read_threads=1, query_time_limit_ms=300)

    async with make_client(app) as client:
        with counting(pool.engine) as statements:
            busy = asyncio.ensure_future(client.get("/slow"))  # holds the one thread until its time limit
            await asyncio.sleep(0.05)
            # Each client hangs up while its request waits for the busy thread.
            answers = await asyncio.gather(*(hang_up(app, f"q=back+{index}", after=0.01) for index in range(20)))
            assert (await busy).status_code == 503
            assert (await client.get("/v1/search?q=spasm")).status_code == 200  # the thread serves again
    assert answers == [[]] * 20  # nothing was sent to clients that had gone
    # Every search first reads which index version the content has.
    searches = [statement for statement in statements if "'search_engine'" in statement]
    assert len(searches) == 1, "only the request whose client stayed ran its search"


async def test_when_the_first_client_of_a_stampede_leaves_the_rest_still_share_one_build(
    db_path: Path, make_client: Any
) -> None:
    app, pool = app_with_a_slow_route(db_path, read_threads=1, query_time_limit_ms=300)

    async with make_client(app) as client:
        with counting(pool.engine) as alone:
            assert (await client.get("/v1/search?q=nerve")).status_code == 200
        with counting(pool.engine) as statements:
            busy = asyncio.ensure_future(client.get("/slow"))
            await asyncio.sleep(0.02)
            first = asyncio.ensure_future(hang_up(app, "q=disc", after=0.05))
            await asyncio.sleep(0.01)
            same_key = {"Accept-Encoding": "identity"}  # as the first client's request
            answers = await asyncio.gather(*(client.get("/v1/search?q=disc", headers=same_key) for _ in range(20)))
            await first
            await busy
    assert [answer.status_code for answer in answers] == [200] * 20
    assert len({answer.content for answer in answers}) == 1
    assert len(statements) == len(alone) + 1  # one search build, plus the slow query
