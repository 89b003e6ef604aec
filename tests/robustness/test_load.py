"""The real server under the loads that froze, crashed or exhausted version 1 (issue 11). Each test sends a
bounded number of requests over loopback and stops by itself; none asserts a timing."""

import asyncio
import json
import random
import signal
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from app.models.public import ConditionDetail
from tests.servers import Server, api_process

pytestmark = pytest.mark.e2e

# Every field of the full record: the heaviest `expand=` a client can ask for.
EXPANDABLE = sorted(ConditionDetail.model_fields.keys() - {"slug", "name", "href", "summary", "specialty"})


def cold_misses(count: int) -> list[str]:
    """Distinct requests of every database-backed kind: none can be answered from the cache."""
    kinds = [
        lambda i: f"/v1/conditions?limit={1 + i % 100}",
        lambda i: f"/v1/search?q=back+{i}",
        lambda i: f"/v1/conditions/match?symptom=low-back-pain&limit={1 + i % 50}",
        lambda i: f"/v1/search/suggest?q=l{chr(97 + i % 26)}&limit={1 + i % 20}",
        lambda i: f"/v1/symptoms?limit={1 + i % 100}",
        lambda i: f"/v1/changes?limit={1 + i}",
        lambda i: f"/v1/conditions/lumbar-muscle-spasm?fields=name,{EXPANDABLE[i % len(EXPANDABLE)]}",
        lambda i: f"/embed/conditions/lumbar-muscle-spasm?sections=faqs&theme={'dark' if i % 2 else 'light'}",
    ]
    return [kinds[i % len(kinds)](i) for i in range(count)]


async def burst(base: str, paths: list[str]) -> list[int | str]:
    limits = httpx.Limits(max_connections=len(paths), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=25, limits=limits) as client:
        answers = await asyncio.gather(*(client.get(path) for path in paths), return_exceptions=True)
    return [a.status_code if isinstance(a, httpx.Response) else type(a).__name__ for a in answers]


def test_a_cold_burst_of_64_cache_misses_is_served(db_path: Path) -> None:
    """Version 1 deadlocked here: 40 threads waited for 15 connections held by requests waiting for a thread."""
    with api_process(db_path) as server:
        statuses = asyncio.run(burst(server.base, cold_misses(64)))
        again = asyncio.run(burst(server.base, cold_misses(256)))
    assert statuses == [200] * 64
    assert again == [200] * 256


def test_concurrent_expanded_lists_of_a_large_library_do_not_crash(large_db: Path) -> None:
    """Version 1 died (segmentation fault) after a few dozen of these from 2 to 4 clients."""
    rng = random.Random(11)
    paths = []
    for _ in range(48):
        fields = EXPANDABLE.copy()
        rng.shuffle(fields)
        paths.append(f"/v1/conditions?limit=100&expand={','.join(fields)}")

    with api_process(large_db) as server, httpx.Client(base_url=server.base, timeout=60) as client:

        def fetch(path: str) -> tuple[int, str]:
            response = client.get(path)
            return response.status_code, response.headers.get("etag", "")

        with ThreadPoolExecutor(max_workers=4) as clients:
            answers = list(clients.map(fetch, paths))
        alive = server.process.poll() is None
    assert alive
    assert [status for status, _ in answers] == [200] * len(paths)
    # The field order sent does not change the answer: one representation, one ETag.
    assert len({etag for _, etag in answers}) == 1


def peak_rss_mb(server: Server) -> float:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


def test_eight_concurrent_exports_of_a_large_library_stay_small(large_db: Path) -> None:
    """Version 1 built the export in memory per request: 4.2 GB for 8 at once. Half ask for Spanish: each
    language's file is built (in batches, translations included) and streamed the same way."""
    variants = [
        (accept, language) for accept in ("application/json", "application/x-ndjson") for language in ("en", "es")
    ]
    with api_process(large_db) as server, httpx.Client(base_url=server.base, timeout=120) as client:
        health: list[int] = []
        done = threading.Event()

        def probe() -> None:
            while not done.is_set():
                health.append(client.get("/health", timeout=10).status_code)
                done.wait(0.2)

        def export(variant: tuple[str, str]) -> tuple[int, int, str]:
            accept, language = variant
            with client.stream(
                "GET", "/v1/export", headers={"Accept": accept, "Accept-Language": language}
            ) as response:
                size = sum(len(chunk) for chunk in response.iter_raw())
                return response.status_code, size, response.headers["etag"]

        prober = threading.Thread(target=probe)
        prober.start()
        with ThreadPoolExecutor(max_workers=8) as clients:
            answers = list(clients.map(export, variants * 2))
        done.set()
        prober.join()
        peak = peak_rss_mb(server)
        document = client.get("/v1/export").json()
        lines = client.get("/v1/export", headers={"Accept": "application/x-ndjson"}).text.splitlines()

    assert [status for status, _, _ in answers] == [200] * 8
    assert len({(size, etag) for _, size, etag in answers}) == 4  # one file per format and language, every time
    assert health and set(health) == {200}
    assert peak < 200, f"peak RSS {peak:.0f} MB"
    assert len(document["conditions"]) == len(lines) - 1 - sum(
        len(document[key]) for key in ("symptoms", "causes", "treatments")
    )
    assert json.loads(lines[0]) == {"type": "cursor", "cursor": document["cursor"]}
    assert json.loads(lines[1]) == {"type": "condition", "data": document["conditions"][0]}


def test_two_workers_agree_on_etags_and_sigterm_drains_requests(large_db: Path) -> None:
    with api_process(large_db, WORKERS="2") as server, httpx.Client(base_url=server.base, timeout=60) as client:
        etags = {
            client.get("/v1/conditions/lumbar-muscle-spasm", headers={"Connection": "close"}).headers["etag"]
            for _ in range(12)
        }
        assert len(etags) == 1
        revalidated = client.get("/v1/conditions/lumbar-muscle-spasm", headers={"If-None-Match": etags.pop()})
        assert revalidated.status_code == 304

        # A slow request in flight when the server is told to stop still gets its whole answer.
        slow = f"/v1/conditions?limit=100&expand={','.join(EXPANDABLE)}"
        with ThreadPoolExecutor(max_workers=1) as background:
            pending = background.submit(client.get, slow)
            threading.Event().wait(0.05)
            server.process.send_signal(signal.SIGTERM)
            response = pending.result()
        assert response.status_code == 200 and len(response.json()["items"]) == 100
        assert server.process.wait(timeout=40) == 0
