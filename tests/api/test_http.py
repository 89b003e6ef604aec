"""HTTP semantics for mobile clients: validators and 304s, compression, HEAD, CORS, lean payloads."""

import asyncio
import gzip
import json
import os
import shutil
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.core.config import Settings
from app.core.monitor import VERSION_FRESH_SECONDS
from app.core.paths import SEED_DIR
from app.main import create_app
from tests.api.conftest import LIBRARY
from tests.conftest import sqlite_url

pytestmark = pytest.mark.anyio

LUMBAR = "/v1/conditions/lumbar-muscle-spasm"


async def test_every_get_carries_validators_and_cache_headers(client: httpx.AsyncClient) -> None:
    response = await client.get(LUMBAR, headers={"Accept-Encoding": "identity"})
    etag = response.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["cache-control"] == "public, max-age=300, stale-while-revalidate=86400"
    assert response.headers["vary"] == "Accept, Accept-Encoding, Accept-Language"
    assert parsedate_to_datetime(response.headers["last-modified"])
    assert int(response.headers["content-length"]) == len(response.content)


async def test_the_etag_depends_on_content_only(db_url: str, client: httpx.AsyncClient) -> None:
    """Another replica (a second app on the same data) gives the same ETag: no process-local state."""
    replica = create_app(Settings(database_url=db_url))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=replica), base_url="http://r") as other:
        theirs = (await other.get(LUMBAR, headers={"Accept-Encoding": "identity"})).headers["etag"]
    ours = (await client.get(LUMBAR, headers={"Accept-Encoding": "identity"})).headers["etag"]
    replica.state.close()
    assert ours == theirs
    assert (
        ours != (await client.get("/v1/conditions/sciatica", headers={"Accept-Encoding": "identity"})).headers["etag"]
    )


async def test_if_none_match_answers_304_without_a_body(client: httpx.AsyncClient) -> None:
    first = await client.get(LUMBAR, headers={"Accept-Encoding": "identity"})
    etag = first.headers["etag"]
    again = await client.get(LUMBAR, headers={"If-None-Match": etag, "Accept-Encoding": "identity"})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    # The compressed variant's validator matches the same content.
    assert (await client.get(LUMBAR, headers={"If-None-Match": etag, "Accept-Encoding": "br"})).status_code == 304
    assert (await client.get(LUMBAR, headers={"If-None-Match": '"other"'})).status_code == 200
    assert (await client.get(LUMBAR, headers={"If-None-Match": "*"})).status_code == 304


async def test_if_modified_since(client: httpx.AsyncClient) -> None:
    modified = parsedate_to_datetime((await client.get(LUMBAR)).headers["last-modified"])
    later = format_datetime(modified + timedelta(seconds=1), usegmt=True)
    earlier = format_datetime(modified - timedelta(days=1), usegmt=True)
    assert (await client.get(LUMBAR, headers={"If-Modified-Since": later})).status_code == 304
    assert (await client.get(LUMBAR, headers={"If-Modified-Since": earlier})).status_code == 200
    assert (await client.get(LUMBAR, headers={"If-Modified-Since": "not a date"})).status_code == 200


@pytest.mark.parametrize(("accept", "coding"), [("br, gzip", "br"), ("gzip", "gzip"), ("identity", None)])
async def test_large_bodies_are_compressed_as_accepted(
    client: httpx.AsyncClient, accept: str, coding: str | None
) -> None:
    plain = (await client.get(LUMBAR, headers={"Accept-Encoding": "identity"})).content
    response = await client.get(LUMBAR, headers={"Accept-Encoding": accept})
    assert response.headers.get("content-encoding") == coding
    on_the_wire = int(response.headers["content-length"])
    assert on_the_wire < len(plain) / 2 if coding else on_the_wire == len(plain)


async def test_compressed_bodies_decode_to_the_same_json(client: httpx.AsyncClient) -> None:
    plain = (await client.get(LUMBAR, headers={"Accept-Encoding": "identity"})).json()
    assert (await client.get(LUMBAR, headers={"Accept-Encoding": "gzip"})).json() == plain
    assert (await client.get(LUMBAR, headers={"Accept-Encoding": "br"})).json() == plain


async def test_tiny_bodies_and_304s_are_not_compressed(client: httpx.AsyncClient) -> None:
    small = await client.get("/v1/conditions/lumbar-muscle-spasm?fields=name", headers={"Accept-Encoding": "br"})
    assert len(small.content) < 1024 and "content-encoding" not in small.headers
    etag = (await client.get(LUMBAR, headers={"Accept-Encoding": "br"})).headers["etag"]
    not_modified = await client.get(LUMBAR, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert not_modified.status_code == 304 and "content-encoding" not in not_modified.headers


@pytest.mark.parametrize("path", [LUMBAR, "/v1/conditions", "/v1/search?q=spasm", "/health", "/docs", "/v1/nope"])
async def test_head_works_wherever_get_does(client: httpx.AsyncClient, path: str) -> None:
    get = await client.get(path, headers={"Accept-Encoding": "identity"})
    head = await client.head(path, headers={"Accept-Encoding": "identity"})
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers.get("etag") == get.headers.get("etag")


async def test_requests_with_cookies_are_not_shared(client: httpx.AsyncClient) -> None:
    response = await client.get(LUMBAR, headers={"Cookie": "session=x", "Accept-Encoding": "identity"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-cache"
    assert (
        response.headers["etag"] == (await client.get(LUMBAR, headers={"Accept-Encoding": "identity"})).headers["etag"]
    )


async def test_fields_select_top_level_fields(client: httpx.AsyncClient) -> None:
    body = (await client.get(LUMBAR, params={"fields": "name,symptoms,duration"})).json()
    assert set(body) == {"name", "symptoms", "duration"}
    for wrong in ("name,colour", "name, symptoms", "name,,symptoms", ""):
        bad = await client.get(LUMBAR, params={"fields": wrong})
        assert bad.status_code == 422, wrong
        assert bad.json()["errors"][0]["name"] == "fields" and "comma-separated list" in bad.json()["detail"]
    assert "unknown name(s) 'colour'" in (await client.get(LUMBAR, params={"fields": "name,colour"})).json()["detail"]


async def test_the_list_is_lean_unless_expanded(client: httpx.AsyncClient) -> None:
    lean = (await client.get("/v1/conditions", params={"limit": "3"})).json()["items"][0]
    assert set(lean) == {"slug", "name", "href", "summary", "specialty", "body_area", "language"}
    expanded = await client.get("/v1/conditions", params={"limit": "3", "expand": "codes,can_lead_to"})
    item = expanded.json()["items"][0]
    assert set(item) == set(lean) | {"codes", "can_lead_to"}
    assert item["codes"] == (await client.get(item["href"])).json()["codes"]
    assert 'rel="next"' in expanded.headers["link"]
    assert (await client.get("/v1/conditions", params={"expand": "colour"})).status_code == 422


async def test_cors_preflight_follows_settings(db_url: str) -> None:
    app: FastAPI = create_app(Settings(database_url=db_url, cors_origins=["https://clinic.example"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        allowed = await client.options(
            LUMBAR, headers={"Origin": "https://clinic.example", "Access-Control-Request-Method": "GET"}
        )
        refused = await client.options(
            LUMBAR, headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"}
        )
        simple = await client.get(LUMBAR, headers={"Origin": "https://clinic.example"})
    app.state.close()
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://clinic.example"
    assert refused.status_code == 400
    assert "CORS_ORIGINS setting" in refused.json()["detail"] and "is empty" not in refused.json()["detail"]
    assert "etag" in simple.headers["access-control-expose-headers"].lower()
    assert json.loads(simple.content)["slug"] == "lumbar-muscle-spasm"


async def test_with_no_cors_origins_a_preflight_is_a_problem_that_says_why(db_url: str) -> None:
    """Found from outside: with the default (empty) CORS_ORIGINS a preflight answered a bare 405."""
    app: FastAPI = create_app(Settings(database_url=db_url, cors_origins=[]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        refused = await client.options(
            LUMBAR, headers={"Origin": "https://clinic.example", "Access-Control-Request-Method": "GET"}
        )
        simple = await client.get(LUMBAR, headers={"Origin": "https://clinic.example"})
    app.state.close()
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert "CORS_ORIGINS setting is empty" in refused.json()["detail"]
    assert "access-control-allow-origin" not in simple.headers and simple.status_code == 200


def test_gzip_is_deterministic() -> None:
    assert gzip.compress(b"x" * 2000, mtime=0) == gzip.compress(b"x" * 2000, mtime=0)


@pytest.mark.parametrize("path", ["/openapi.json", "/docs", "/problems/not-found", "/v1/search?q=spasm"])
async def test_documents_outside_the_entries_carry_validators_too(client: httpx.AsyncClient, path: str) -> None:
    first = await client.get(path)
    assert first.headers["etag"]
    assert (await client.get(path, headers={"If-None-Match": first.headers["etag"]})).status_code == 304


async def test_probes_are_never_cached(client: httpx.AsyncClient) -> None:
    for path in ("/health", "/ready"):
        assert "etag" not in (await client.get(path)).headers


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        (LUMBAR, "public, max-age=300, stale-while-revalidate=86400"),
        ("/v1/conditions?limit=2", "public, max-age=300, stale-while-revalidate=86400"),
        ("/v1/search/suggest?q=lum", "public, max-age=300, stale-while-revalidate=86400"),
        ("/v1/changes", "public, no-cache"),
        ("/v1/export", "public, no-cache"),
        ("/v1/search?q=spasm", "public, no-cache"),
        ("/v1/conditions/match?symptom=low-back-pain", "public, no-cache"),
    ],
)
async def test_cursor_feeds_and_rankings_are_revalidated_on_every_use(
    client: httpx.AsyncClient, path: str, policy: str
) -> None:
    response = await client.get(path)
    assert response.headers["cache-control"] == policy
    assert response.headers["etag"]


async def test_a_database_moved_into_place_is_what_every_request_reads(
    db_path: Path, library_template: Path, tmp_path: Path
) -> None:
    """A deploy moves a new file over the old one (`mv`): open connections would keep reading the old file."""
    app = create_app(Settings(database_url=sqlite_url(db_path), export_dir=str(tmp_path / "exports")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        before = (await client.get("/v1/conditions?limit=1")).json()["total"]
        for page in range(1, 9):  # every read thread holds a connection to the old file
            assert (await client.get(f"/v1/symptoms?limit={page}")).status_code == 200
        replacement = tmp_path / "replacement.db"
        shutil.copyfile(library_template, replacement)
        os.replace(replacement, db_path)
        await asyncio.sleep(VERSION_FRESH_SECONDS * 2)  # how long a version answer is reused (documented)
        after = [(await client.get(f"/v1/conditions?limit={n}")).json()["total"] for n in (1, 2, 3, 4, 5, 6, 7, 8)]
        assert (await client.get("/ready")).status_code == 200
    app.state.close()
    assert before == len(list((SEED_DIR / "conditions").glob("*.md")))
    assert after == [len(LIBRARY)] * 8
