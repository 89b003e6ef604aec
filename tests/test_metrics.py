"""`/metrics` as Prometheus reads it (its own text parser), from the real server with two workers."""

from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.servers import api_process

LUMBAR = "/v1/conditions/lumbar-muscle-spasm"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(scraped: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def test_two_workers_report_every_request_once(db_path: Path) -> None:
    with api_process(db_path, WORKERS="2") as server, httpx.Client(base_url=server.base) as client:
        for _ in range(20):  # new connections: both workers answer some of them
            assert httpx.get(server.base + LUMBAR).status_code == 200
        assert httpx.get(server.base + "/v1/conditions/nope").status_code == 404
        # Whichever worker answers the scrape, it reports the requests of both.
        scrapes = [client.get("/metrics") for _ in range(4)]
    for scrape in scrapes:
        assert scrape.status_code == 200
        assert scrape.headers["content-type"].startswith("text/plain; version=")
        scraped = samples(scrape.text)
        ok = {"route": "/v1/conditions/{slug}", "method": "GET", "status": "200"}
        assert value(scraped, "conditions_api_requests_total", **ok) == 20
        assert value(scraped, "conditions_api_requests_total", **{**ok, "status": "404"}) == 1
        assert value(scraped, "conditions_api_request_duration_seconds_count", route="/v1/conditions/{slug}") == 21
        hits = value(scraped, "conditions_api_cache_requests_total", outcome="hit")
        misses = value(scraped, "conditions_api_cache_requests_total", outcome="miss")
        assert hits + misses == 21 and 1 <= misses <= 3  # each worker's cache builds its own copy once
        assert value(scraped, "conditions_api_cache_bytes") > 0
        assert value(scraped, "conditions_api_content_version") > 0


def test_rate_limited_requests_are_counted_and_metrics_can_be_turned_off(db_path: Path) -> None:
    with api_process(db_path, RATE_LIMIT="2/minute") as server:
        statuses = [httpx.get(server.base + LUMBAR).status_code for _ in range(4)]
        scraped = samples(httpx.get(server.base + "/metrics").text)
    assert statuses == [200, 200, 429, 429]
    assert value(scraped, "conditions_api_rate_limited_total", policy="anonymous") == 2
    assert (
        value(scraped, "conditions_api_requests_total", route="/v1/conditions/{slug}", method="GET", status="429") == 2
    )
    with api_process(db_path, METRICS_ENABLED="false") as server:
        assert httpx.get(server.base + "/metrics").status_code == 404
