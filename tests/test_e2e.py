"""End to end: the real server process, started as `conditions-api serve`, answering over loopback HTTP."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import migrations
from tests.servers import api_server


@pytest.fixture
def server(db_path: Path) -> Iterator[str]:
    with api_server(db_path) as base:
        yield base


@pytest.mark.e2e
def test_the_real_server_serves_the_seeded_page(server: str, db_path: Path) -> None:
    with httpx.Client(base_url=server, timeout=5) as client:
        head = migrations.head_revision(f"sqlite:///{db_path}")
        assert client.get("/ready").json() == {"status": "ready", "revision": head}

        detail = client.get("/v1/conditions/lumbar-muscle-spasm")
        assert detail.status_code == 200
        assert detail.headers["content-type"] == "application/json"
        body = detail.json()
        assert body["name"] == "Lumbar muscle spasm"
        assert len(body["symptoms"]["items"]) == 6 and len(body["faqs"]) == 3

        redirect = client.get("/v1/conditions/back-spasm")
        assert redirect.status_code == 301
        assert redirect.headers["location"] == "/v1/conditions/lumbar-muscle-spasm"

        missing = client.get("/v1/conditions/nope")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"

        docs = client.get("/docs")
        assert docs.status_code == 200 and "/static/docs/swagger-ui-bundle.js" in docs.text
        assert client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
