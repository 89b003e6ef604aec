"""The application factory: `uvicorn --factory app.main:create_app` (what `conditions-api serve` runs)."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.api.content_version import ContentVersion
from app.api.cors import PathCorsMiddleware
from app.api.docs import install_docs
from app.api.http_cache import HttpCacheMiddleware
from app.api.main import api_router
from app.api.openapi import install_openapi
from app.api.routes import health, problems
from app.core.config import Settings, get_settings
from app.core.db import create_db_engine
from app.core.errors import install_error_handlers
from app.web import embed, pages

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
    {"name": "health", "description": "Liveness and readiness probes for orchestrators."},
    {"name": "problems", "description": "Descriptions of the problem types used in error responses."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = create_db_engine(settings.database_url, read_only=True)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        version.close()
        engine.dispose()

    app = FastAPI(
        title="conditions-api",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    logging.getLogger("app").setLevel(settings.log_level.upper())

    version = ContentVersion(engine)
    app.state.content_version = version
    install_error_handlers(app)
    # Added last, so it runs first: warm GETs are answered before routing (CORS stays outside it).
    app.add_middleware(HttpCacheMiddleware, settings=settings, version=version)
    app.include_router(health.router)
    app.include_router(api_router)
    app.include_router(problems.router)
    app.include_router(embed.router)
    app.include_router(embed.script_router)
    pages.install_pages(app)
    install_docs(app)
    install_openapi(app)
    app.add_middleware(PathCorsMiddleware, settings=settings)
    return app
