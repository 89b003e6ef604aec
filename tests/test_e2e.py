"""End to end: the real server process, started as `conditions-api serve`, answering over loopback HTTP."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import migrations

COMMAND = str(Path(sys.executable).parent / "conditions-api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(db_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}", "HOST": "127.0.0.1", "PORT": str(port)}
    process = subprocess.Popen([COMMAND, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"server did not start:\n{output}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


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
