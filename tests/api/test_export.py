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


@pytest.mark.parametrize(("header", "status"), [("bytes=99999999-", 416), ("bytes=5-2", 400)])
async def test_an_unusable_range_is_a_problem(client: httpx.AsyncClient, header: str, status: int) -> None:
    response = await client.get("/v1/export", headers={"Accept-Encoding": "identity", "Range": header})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "bytes" in response.json()["detail"]
