"""Prometheus metrics (`GET /metrics`, text format), correct with several workers.

`conditions-api serve` gives its workers a shared folder (`PROMETHEUS_MULTIPROC_DIR`, set before
prometheus-client is first imported): each worker writes its counters to memory-mapped files there, and a
scrape, whichever worker answers it, sums them. Without the folder (an app made in a test), the process's own
registry is served.
"""

import os
from functools import lru_cache

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client import generate_latest as render

from app.core.monitor import DatabaseMonitor
from app.core.request_context import RequestContext

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))

REQUESTS = Counter(
    "conditions_api_requests",
    "Requests answered, by route template, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "conditions_api_request_duration_seconds",
    "Time from the request's arrival until its last bytes are handed to the server, by route template.",
    ["route"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
CACHE_REQUESTS = Counter(
    "conditions_api_cache_requests",
    "Cacheable requests by what the response cache did: hit, miss (built and kept) or bypass (personal).",
    ["outcome"],
)
CACHE_BYTES = Gauge(
    "conditions_api_cache_bytes",
    "Bytes the response caches hold, summed over the live workers.",
    multiprocess_mode="livesum",
)
RATE_LIMITED = Counter(
    "conditions_api_rate_limited",
    "Requests refused with 429, by policy (anonymous: per address; key: per API key).",
    ["policy"],
)
CONTENT_VERSION = Gauge(
    "conditions_api_content_version",
    "Change-log sequence number of the content being served (it grows with every seed that changes content).",
    multiprocess_mode="max",
)


@lru_cache(maxsize=4096)
def _request_series(route: str, method: str, status: int) -> tuple[Counter, Histogram]:
    """The labelled series of one kind of request (looking labels up costs more than counting)."""
    return REQUESTS.labels(route, method, str(status)), LATENCY.labels(route)


@lru_cache(maxsize=8)
def _cache_series(outcome: str) -> Counter:
    return CACHE_REQUESTS.labels(outcome)


def record(context: RequestContext, method: str, status: int, seconds: float) -> None:
    route = context.route or "unmatched"  # bounded labels: a template, never a raw path
    requests, latency = _request_series(route, method if method in _METHODS else "other", status)
    requests.inc()
    latency.observe(seconds)
    if context.cache is not None:
        _cache_series(context.cache).inc()
    if context.rate_limited:
        RATE_LIMITED.labels("key" if context.key_name else "anonymous").inc()


def _registry() -> CollectorRegistry:
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def install_metrics(app: FastAPI, monitor: DatabaseMonitor) -> None:
    @app.get(METRICS_PATH, include_in_schema=False)
    async def metrics() -> Response:
        CONTENT_VERSION.set((await monitor.content_version()).seq)
        return Response(render(_registry()), media_type=CONTENT_TYPE_LATEST)


def worker_stopped() -> None:
    """Drop this worker's live gauges (its cache is gone with it)."""
    if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
