"""API keys and rate limits, on the real app and real SQLite files (and the real Redis for shared counters)."""

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app import migrations
from app.callers.keys import KeyStore
from app.core.config import Settings
from app.core.logs import ACCESS_LOGGER
from app.main import create_app
from tests.conftest import sqlite_url
from tests.servers import REDIS, forget_redis_keys, redis_answers

pytestmark = pytest.mark.anyio

LUMBAR = "/v1/conditions/lumbar-muscle-spasm"
OPEN_PATHS = ("/health", "/ready", "/docs", "/openapi.json", "/", "/embed.js", "/embed/conditions/lumbar-muscle-spasm")
Serve = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def keys_url(tmp_path: Path) -> str:
    url = sqlite_url(tmp_path / "keys.db")
    migrations.upgrade_keys(url)
    return url


@pytest.fixture
def make_key(keys_url: str) -> Callable[..., str]:
    def make(name: str, *, rate: str | None = None, expires_on: date | None = None) -> str:
        store = KeyStore(keys_url)
        try:
            return store.create(name, rate=rate, expires_on=expires_on)
        finally:
            store.close()

    return make


@pytest.fixture
def serve(db_url: str, tmp_path: Path, keys_url: str) -> Serve:
    @asynccontextmanager
    async def serve(**settings: object) -> AsyncIterator[httpx.AsyncClient]:
        options: dict[str, object] = {"keys_database_url": keys_url, "rate_limit": "0", **settings}
        app = create_app(Settings(database_url=db_url, export_dir=str(tmp_path / "exports"), **options))  # type: ignore[arg-type]
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                yield client
        finally:
            app.state.close()

    return serve


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_a_valid_key_is_served_from_the_shared_cache(
    serve: Serve,
    make_key: Callable[..., str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = make_key("clinic-app")
    async with serve() as client:
        caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
        anonymous = await client.get(LUMBAR)
        keyed = await client.get(LUMBAR, headers=bearer(key))
    assert keyed.status_code == 200
    assert keyed.headers["cache-control"].startswith("public")  # not "private": keys do not change content
    assert keyed.headers["etag"] == anonymous.headers["etag"]
    lines = [record.fields for record in caplog.records if record.name == ACCESS_LOGGER]  # type: ignore[attr-defined]
    assert [(line["cache"], line["key"]) for line in lines] == [("miss", None), ("hit", "clinic-app")]
    assert key not in caplog.text


@pytest.mark.parametrize(
    ("authorization", "in_detail"),
    [
        ("Bearer cak_not-a-key-we-issued", "not one this server issued"),
        ("Basic dXNlcjpwYXNz", "Authorization: Bearer <key>"),
        ("Bearer", "Authorization: Bearer <key>"),
    ],
)
async def test_a_key_the_server_does_not_accept_is_a_401_problem(
    serve: Serve, authorization: str, in_detail: str
) -> None:
    async with serve() as client:
        for path in (LUMBAR, "/", "/embed/conditions/lumbar-muscle-spasm"):
            response = await client.get(path, headers={"Authorization": authorization, "Accept": "application/json"})
            assert response.status_code == 401, path
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"] == 'Bearer realm="conditions-api", error="invalid_token"'
            body = response.json()
            assert body["type"] == "/problems/invalid-api-key"
            assert in_detail in body["detail"]
            assert "dXNlcjpwYXNz" not in response.text and "not-a-key" not in response.text


async def test_revoked_and_expired_keys_are_refused_and_say_why(
    serve: Serve, make_key: Callable[..., str], keys_url: str
) -> None:
    yesterday = date.today() - timedelta(days=1)
    expired = make_key("old-app", expires_on=yesterday)
    through_today = make_key("today-app", expires_on=date.today())
    revoked_later = make_key("leaky-app")
    async with serve() as client:
        refused = await client.get(LUMBAR, headers=bearer(expired))
        assert refused.status_code == 401
        assert f"The API key 'old-app' expired on {yesterday.isoformat()}" in refused.json()["detail"]
        assert (await client.get(LUMBAR, headers=bearer(through_today))).status_code == 200
        assert (await client.get(LUMBAR, headers=bearer(revoked_later))).status_code == 200

        store = KeyStore(keys_url)
        store.revoke("leaky-app")
        store.close()
        await asyncio.sleep(1.2)  # the ring looks at the keys file at most once a second
        refused = await client.get(LUMBAR, headers=bearer(revoked_later))
        assert refused.status_code == 401
        assert "The API key 'leaky-app' was revoked" in refused.json()["detail"]


async def test_a_key_created_while_serving_works_at_once(serve: Serve, make_key: Callable[..., str]) -> None:
    make_key("first")
    async with serve() as client:
        assert (await client.get("/health")).status_code == 200
        await asyncio.sleep(1.2)
        key = make_key("second")
        await asyncio.sleep(1.2)
        assert (await client.get(LUMBAR, headers=bearer(key))).status_code == 200


async def test_with_keys_required_only_the_api_asks_for_one(serve: Serve, make_key: Callable[..., str]) -> None:
    key = make_key("clinic-app")
    async with serve(api_keys_required=True) as client:
        refused = await client.get(LUMBAR)
        assert refused.status_code == 401
        assert refused.json()["type"] == "/problems/api-key-required"
        assert refused.headers["www-authenticate"] == 'Bearer realm="conditions-api"'
        keyed = await client.get(LUMBAR, headers=bearer(key))
        assert keyed.status_code == 200
        assert keyed.headers["cache-control"].startswith("private, ")  # no CDN may pass it to a keyless caller
        for open_path in (
            "/health",
            "/ready",
            "/docs",
            "/openapi.json",
            "/",
            "/embed.js",
            "/embed/conditions/lumbar-muscle-spasm",
        ):
            assert (await client.get(open_path)).status_code == 200, open_path


async def test_anonymous_callers_are_limited_per_address_with_headers(
    serve: Serve,
) -> None:
    async with serve(rate_limit="3/minute") as client:
        answers = [await client.get(LUMBAR) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert {a.headers["ratelimit-policy"] for a in answers} == {'"anonymous";q=3;w=60'}
        remaining = [a.headers["ratelimit"].split(";")[1] for a in answers]
        assert remaining == ["r=2", "r=1", "r=0"]
        over = await client.get(LUMBAR)
        assert over.status_code == 429
        assert over.headers["content-type"] == "application/problem+json"
        assert over.json()["type"] == "/problems/rate-limited"
        assert "3 requests per 60 s" in over.json()["detail"]
        assert 1 <= int(over.headers["retry-after"]) <= 60
        assert over.headers["ratelimit"].startswith('"anonymous";r=0;t=')
        assert (await client.get("/health")).status_code == 200  # probes are never limited
        assert "ratelimit" not in (await client.get("/health")).headers


async def test_keys_have_their_own_quota(serve: Serve, make_key: Callable[..., str]) -> None:
    small = make_key("small", rate="2/minute")
    default = make_key("default")
    async with serve(rate_limit="1/minute", rate_limit_keyed="5/minute") as client:
        assert [(await client.get(LUMBAR, headers=bearer(small))).status_code for _ in range(3)] == [200, 200, 429]
        answer = await client.get(LUMBAR, headers=bearer(default))
        assert answer.headers["ratelimit-policy"] == '"key";q=5;w=60'
        assert (await client.get(LUMBAR)).status_code == 200  # the address's own quota is untouched by keys
        assert (await client.get(LUMBAR)).status_code == 429


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers at 127.0.0.1:6379")
async def test_with_redis_every_server_shares_the_counters(
    serve: Serve,
) -> None:
    prefix = f"conditions-api-test-{uuid.uuid4().hex}"
    shared = {"rate_limit": "4/minute", "rate_limit_storage": REDIS, "rate_limit_prefix": prefix}
    try:
        async with serve(**shared) as first, serve(**shared) as second:
            statuses = [(await (first if n % 2 else second).get(LUMBAR)).status_code for n in range(6)]
        assert statuses == [200, 200, 200, 200, 429, 429]
    finally:
        forget_redis_keys(prefix)


async def test_an_unreachable_counter_store_serves_unlimited_and_says_so(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    async with serve(rate_limit="1/minute", rate_limit_storage="redis://:secret@127.0.0.1:1/0") as client:
        statuses = [(await client.get(LUMBAR)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert "rate limits are not counted" in caplog.text
    assert "secret" not in caplog.text


async def test_a_key_s_last_use_is_recorded(serve: Serve, make_key: Callable[..., str], keys_url: str) -> None:
    key = make_key("clinic-app")
    before = datetime.now(UTC)
    async with serve() as client:
        assert (await client.get(LUMBAR, headers=bearer(key))).status_code == 200
    store = KeyStore(keys_url)  # the server stopped: what it had not written yet, it wrote then
    [stored] = store.all()
    store.close()
    assert stored.last_used_at is not None and before <= stored.last_used_at <= datetime.now(UTC)


async def test_every_counted_operation_documents_its_401_and_429(serve: Serve) -> None:
    async with serve() as client:
        document = (await client.get("/openapi.json")).json()
    counted = {
        (path, method): operation
        for path, operations in document["paths"].items()
        if not path.startswith(("/health", "/ready"))
        for method, operation in operations.items()
    }
    assert ("/embed.js", "get") in counted  # found by schemathesis with RATE_LIMIT on: a 429 it did not know of
    for where, operation in counted.items():
        # CDS Hooks calls are counted too, but carry the EHR's JWT, never an API key: only the service that checks
        # the JWT can answer 401 (discovery is open).
        refusals = {"429"} if where == ("/cds-services", "get") else {"401", "429"}
        assert refusals <= set(operation["responses"]), where
        assert {"Retry-After", "RateLimit"} <= set(operation["responses"]["429"]["headers"]), where
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    assert "401" not in counted[("/cds-services", "get")]["responses"]
