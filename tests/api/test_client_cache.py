"""A phone's standards-following HTTP cache (hishel, RFC 9111) in front of the real server: syncing through it
after a content change gives the server's copy, never a stale feed."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from hishel import SqliteStorage
from hishel.httpx import CacheTransport

from app.content.seed import seed
from app.core.db import create_db_engine
from tests.api.test_sync import KINDS, Library, as_library
from tests.conftest import build_database, sqlite_url
from tests.servers import api_server

pytestmark = pytest.mark.e2e
REFETCH = {"Cache-Control": "no-cache"}  # what the README tells apps to send when the feed says "changed"


def follow(client: httpx.Client, local: Library, cursor: str) -> str:
    while True:
        page = client.get("/v1/changes", params={"since": cursor}).json()
        for change in page["items"]:
            key = (change["type"], change["slug"])
            if change["action"] == "delete":
                local.pop(key, None)
            else:
                local[key] = client.get(change["href"], headers=REFETCH).json()
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return str(cursor)


def test_syncing_through_an_http_cache_is_never_stale(content_copy: Path, tmp_path: Path) -> None:
    database = tmp_path / "phone.db"
    build_database(database, content_copy)
    storage = SqliteStorage(database_path=tmp_path / "http-cache.db")
    with api_server(database) as base:
        cached = CacheTransport(next_transport=httpx.HTTPTransport(), storage=storage, rfc={"shared": False})
        with httpx.Client(base_url=base, transport=cached, timeout=30) as client:
            export = client.get("/v1/export").json()
            local, cursor = as_library(export), export["cursor"]
            # The phone reads pages and polls the feed: all of it now sits in its HTTP cache.
            assert client.get("/v1/conditions/lumbar-muscle-spasm").json()["summary"] != "A changed summary."
            assert client.get("/v1/changes", params={"since": cursor}).json()["items"] == []

            page = content_copy / "conditions" / "lumbar-muscle-spasm.md"
            text = page.read_text(encoding="utf-8")
            start, end = text.index("summary: >-"), text.index("specialty:")
            page.write_text(text[:start] + "summary: A changed summary.\n" + text[end:], encoding="utf-8")
            writer = create_db_engine(sqlite_url(database))
            seed(writer, content_copy)
            writer.dispose()

            feed = client.get("/v1/changes", params={"since": cursor}).json()
            assert [(c["type"], c["slug"]) for c in feed["items"]] == [("condition", "lumbar-muscle-spasm")]
            cursor = follow(client, local, cursor)
            assert local[("condition", "lumbar-muscle-spasm")]["summary"] == "A changed summary."

            server: dict[str, Any] = httpx.get(f"{base}/v1/export", timeout=30).json()
            assert local == as_library(server)
            assert cursor == server["cursor"]
            assert len(local) == sum(len(server[key]) for _, key in KINDS)
