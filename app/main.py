"""The application factory: `uvicorn --factory app.main:create_app` (what `conditions-api serve` runs)."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute

from app import __version__, migrations
from app.api import metrics
from app.api.callers import CallersMiddleware
from app.api.content_language import ContentLanguageMiddleware
from app.api.cors import PathCorsMiddleware
from app.api.disconnect import CancelOnDisconnectMiddleware
from app.api.docs import install_docs
from app.api.domain_errors import install_domain_error_handlers
from app.api.export_files import ExportFiles, default_directory
from app.api.http_cache import HttpCacheMiddleware
from app.api.main import api_router
from app.api.observer import ObserverMiddleware
from app.api.openapi import install_openapi
from app.api.routes import cds_hooks, health, infobutton, problems
from app.api.safety import ErrorBoundaryMiddleware, SecurityHeadersMiddleware
from app.callers.ehr_tokens import EhrKeys
from app.callers.key_ring import KeyRing
from app.core.config import Settings, get_settings
from app.core.errors import install_error_handlers
from app.core.monitor import DatabaseMonitor
from app.core.read_pool import ReadPool
from app.web import embed, pages
from app.web.error_pages import HtmlErrorPagesMiddleware

DESCRIPTION = """
Structured medical condition knowledge: conditions with their causes, symptoms, treatments, FAQs, typical
duration, ICD-10-CM codes and related conditions, from a shared vocabulary.

**Not medical advice.** The content is information for software and its users, not a diagnosis. Every
condition carries its review status, review dates and source; entries marked `draft` have not been
reviewed by a clinician.

Errors are `application/problem+json` (RFC 9457). Lists are paginated with an opaque `cursor`.
"""

TAGS = [
    {
        "name": "conditions",
        "description": "Conditions: a paginated, filterable list and the full record of each.",
    },
    {
        "name": "symptoms",
        "description": "The shared symptom vocabulary and which conditions list each symptom.",
    },
    {
        "name": "causes",
        "description": "The shared cause vocabulary; a cause may link to its own condition page.",
    },
    {
        "name": "treatments",
        "description": "The shared treatment vocabulary, each with a kind (self-care, medication…).",
    },
    {
        "name": "search",
        "description": "Ranked, typo-tolerant full-text search across every entry, and type-ahead suggestions.",
    },
    {
        "name": "sync",
        "description": "Offline sync: the whole library in one export, then only what changed since a cursor.",
    },
    {"name": "codes", "description": "ICD-10-CM look-ups: the conditions for a code or its nearest ancestor."},
    {
        "name": "embed",
        "description": "For websites: a condition as a self-contained HTML card (iframe) and the `embed.js` loader "
        "that shows cards in a Shadow DOM. Both carry the condition's schema.org JSON-LD.",
    },
    {
        "name": "infobutton",
        "description": "For EHRs: HL7 Infobutton knowledge requests (URL-based), as MedlinePlus Connect takes them, "
        "answered with an Atom feed of the conditions for an ICD-10-CM or SNOMED CT code.",
    },
    {
        "name": "cds-hooks",
        "description": "CDS Hooks 2.0 for EHRs: discovery, and cards linking our pages for the active conditions of "
        "a chart just opened (`patient-view`), read from the prefetched FHIR `Condition`s.",
    },
    {"name": "health", "description": "Liveness and readiness probes for orchestrators."},
    {"name": "problems", "description": "Descriptions of the problem types used in error responses."},
]


def operation_id(route: APIRoute) -> str:
    return route.name


def export_directory(settings: Settings) -> Path:
    return Path(settings.export_dir) if settings.export_dir else default_directory(settings.database_url)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    # Read first: a key file that cannot be used stops the server before anything is opened.
    ehr_keys = EhrKeys.load(settings.cds_hooks_keys) if settings.cds_hooks_keys else None
    url = settings.database_url
    read_pool = ReadPool(url, threads=settings.read_threads, time_limit_ms=settings.query_time_limit_ms)
    monitor = DatabaseMonitor(url, expected_revision=lambda: migrations.head_revision(url))
    export_files = ExportFiles(url, export_directory(settings))
    key_ring = KeyRing(settings.keys_database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        close()

    def close() -> None:
        metrics.worker_stopped()
        key_ring.close()
        export_files.close()
        monitor.close()
        read_pool.close()

    app = FastAPI(
        title="conditions-api",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by install_openapi, with examples from the database
        lifespan=lifespan,
        redirect_slashes=False,  # done by the 404 handler, with a relative Location
        # Generated clients name their methods after operation ids: `client.get_condition(...)`.
        generate_unique_id_function=operation_id,
        # OpenTelemetry is not configured here, yet FastAPI asked on every request whether it was (an
        # environment lookup, 6% of the event loop's time in type-ahead); our own logs and /metrics observe.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.read_pool = read_pool
    app.state.monitor = monitor
    app.state.export_files = export_files
    app.state.ehr_keys = ehr_keys
    app.state.close = close
    logging.getLogger("app").setLevel(settings.log_level.upper())

    install_error_handlers(app)
    install_domain_error_handlers(app)
    # Each middleware added wraps the ones before it. From the outside in: the observer (request id, access log,
    # metrics), security headers, CORS, HTML error pages for people (around every problem, a 500 included), the
    # error boundary (so a 500 still gets CORS headers), the caller check (keys and rate limits, so cached answers
    # count too), the cache (it answers warm GETs before routing), then the cancelling of work for clients that
    # left (on cache misses only).
    app.add_middleware(ContentLanguageMiddleware)
    app.add_middleware(CancelOnDisconnectMiddleware)
    app.add_middleware(HttpCacheMiddleware, settings=settings, monitor=monitor)
    app.add_middleware(CallersMiddleware, settings=settings, keys=key_ring)
    app.add_middleware(ErrorBoundaryMiddleware)
    app.add_middleware(HtmlErrorPagesMiddleware, settings=settings)
    app.include_router(health.router)
    app.include_router(api_router)
    app.include_router(problems.router)
    app.include_router(infobutton.router)
    app.include_router(cds_hooks.router)
    app.include_router(embed.router)
    app.include_router(embed.script_router)
    pages.install_pages(app)
    install_docs(app)
    install_openapi(app)
    if settings.metrics_enabled:
        metrics.install_metrics(app, monitor)
    app.add_middleware(PathCorsMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(
        ObserverMiddleware, routes=app.router.routes, metrics_enabled=settings.metrics_enabled
    )  # outermost: sees every answer
    return app
