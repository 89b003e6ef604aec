"""The export file: one per content version and format, revalidated by ETag, resumable with Range."""

import json

import httpx
import pytest

pytestmark = pytest.mark.anyio


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
