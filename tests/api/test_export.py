"""The export file: one per content version and format, revalidated by ETag, resumable with Range."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app import migrations
from app.content.icd10 import load_code_set
from app.content.library import load_library
from app.content.seed import apply_library
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.paths import SEED_DIR
from app.main import create_app
from tests.conftest import sqlite_url

pytestmark = pytest.mark.anyio


@pytest.fixture
async def empty_log_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A library loaded without a change log (as bench/synthetic.py builds them): no content version time."""
    url = sqlite_url(tmp_path / "no-log.db")
    migrations.upgrade(url)
    writer = create_db_engine(url)
    apply_library(writer, load_library(SEED_DIR), load_code_set(), track_changes=False)
    writer.dispose()
    app = create_app(Settings(database_url=url, export_dir=str(tmp_path / "exports")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    app.state.close()


async def test_export_is_a_file_with_validators_and_ranges(client: httpx.AsyncClient) -> None:
    identity = {"Accept-Encoding": "identity"}
    full = await client.get("/v1/export", headers=identity)
    assert full.status_code == 200 and full.headers["accept-ranges"] == "bytes"
    document = full.json()
    assert document["conditions"][0]["slug"] and document["cursor"]
    again = await client.get("/v1/export", headers=identity)
    assert again.content == full.content and again.headers["etag"] == full.headers["etag"]

    unchanged = await client.get("/v1/export", headers={**identity, "If-None-Match": full.headers["etag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""

    part = await client.get("/v1/export", headers={**identity, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == full.content[100:200]

    zipped = await client.get("/v1/export", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.content == full.content  # httpx decoded it
    assert len(zipped.headers["content-length"]) and int(zipped.headers["content-length"]) < len(full.content) / 3
    assert zipped.headers["etag"] == full.headers["etag"][:-1] + '-gz"'

    lines = (await client.get("/v1/export", headers={**identity, "Accept": "application/x-ndjson"})).text.splitlines()
    assert json.loads(lines[0]) == {"type": "cursor", "cursor": document["cursor"]}
    assert [json.loads(line)["data"] for line in lines[1:]] == [
        *document["conditions"],
        *document["symptoms"],
        *document["causes"],
        *document["treatments"],
    ]


async def test_a_range_past_the_end_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/export", headers={"Accept-Encoding": "identity", "Range": "bytes=99999999-"})
    assert response.status_code == 416
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-range"].startswith("bytes */")


@pytest.mark.parametrize("header", ["bytes=5-2", "items=0-5", "bytes=abc", "bytes=1-2,,"])
async def test_a_range_that_cannot_be_used_is_ignored(client: httpx.AsyncClient, header: str) -> None:
    """RFC 9110 14.2: a server ignores a Range it does not understand and sends the whole representation."""
    whole = await client.get("/v1/export", headers={"Accept-Encoding": "identity"})
    response = await client.get("/v1/export", headers={"Accept-Encoding": "identity", "Range": header})
    assert response.status_code == 200 and response.content == whole.content


async def test_if_range_resumes_only_the_same_file(client: httpx.AsyncClient) -> None:
    identity = {"Accept-Encoding": "identity"}
    full = await client.get("/v1/export", headers=identity)
    same = await client.get("/v1/export", headers={**identity, "Range": "bytes=0-9", "If-Range": full.headers["etag"]})
    assert same.status_code == 206 and same.content == full.content[:10]
    other = await client.get("/v1/export", headers={**identity, "Range": "bytes=0-9", "If-Range": '"another"'})
    assert other.status_code == 200 and other.content == full.content


async def test_if_range_without_a_change_log_is_not_a_500(empty_log_client: httpx.AsyncClient) -> None:
    response = await empty_log_client.get("/v1/export", headers={"Range": "bytes=0-9", "If-Range": '"x"'})
    assert response.status_code == 200
    assert "last-modified" not in response.headers


async def test_an_export_built_by_other_code_is_not_served(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export files outlive the server that built them (EXPORT_DIR). After an upgrade, the same content
    version must not be served from a file whose records or cursors the old code shaped."""
    exports = tmp_path / "exports"

    async def export_with(fingerprint: str) -> bytes:
        monkeypatch.setattr("app.api.export_files.code_fingerprint", lambda: fingerprint)
        app = create_app(Settings(database_url=db_url, export_dir=str(exports)))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            body = (await client.get("/v1/export", headers={"Accept-Encoding": "identity"})).content
        app.state.close()
        return body

    built = await export_with("old-code")
    (file,) = (exports / "old-code").glob("*/en/export.json")
    file.write_bytes(built.replace(b'"cursor":"', b'"cursor":"old-shape-'))  # what older code wrote
    assert b"old-shape-" in await export_with("old-code")  # the same code reuses its file
    assert await export_with("new-code") == built


async def test_each_offered_language_has_its_own_file(client: httpx.AsyncClient) -> None:
    """A phone syncs the language it shows: the Spanish file is another representation (its own ETag, resumable
    on its own); a language not offered gets the English file, as `Content-Language` says."""
    identity = {"Accept-Encoding": "identity"}
    english = await client.get("/v1/export", headers=identity)
    spanish = await client.get("/v1/export", params={"lang": "es"}, headers=identity)
    assert (english.headers["content-language"], spanish.headers["content-language"]) == ("en", "es")
    assert spanish.headers["etag"] != english.headers["etag"] and "Accept-Language" in spanish.headers["vary"]
    assert spanish.json()["cursor"] == english.json()["cursor"]
    assert [c["slug"] for c in spanish.json()["conditions"]] == [c["slug"] for c in english.json()["conditions"]]
    assert {c["language"] for c in spanish.json()["conditions"]} == {"es"}

    by_header = await client.get("/v1/export", headers={**identity, "Accept-Language": "es-MX, en;q=0.5"})
    assert by_header.headers["etag"] == spanish.headers["etag"] and by_header.content == spanish.content
    part = await client.get("/v1/export", params={"lang": "es"}, headers={**identity, "Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == spanish.content[10:20]
    unchanged = await client.get(
        "/v1/export", params={"lang": "es"}, headers={"If-None-Match": spanish.headers["etag"]}
    )
    assert unchanged.status_code == 304

    french = await client.get("/v1/export", params={"lang": "fr"}, headers=identity)
    assert french.headers["content-language"] == "en" and french.content == english.content
