"""The home page a developer lands on (`/`): what this is, a search box with type-ahead, the conditions, and
each condition shown with the widget next to its embed snippet. Server-rendered; the search works without
JavaScript (the form submits to `/?q=`) and the type-ahead improves it when JavaScript runs."""

from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from app import __version__
from app.api import presenters
from app.api.condition_lookup import Canonical, find_condition, redirect_to_canonical
from app.api.deps import DatabaseDep, SettingsDep
from app.models import Condition
from app.models.public import NOT_A_DIAGNOSIS
from app.queries import conditions
from app.queries import search as search_queries
from app.web.rendering import STATIC_DIR, csp_hash, render

SITE_ASSETS = "/static/site"
HOME_LIST_LIMIT = 200  # a larger library is browsed through search or GET /v1/conditions
SEARCH_LIMIT = 20
PAGE_HEADERS = {
    # The card's stylesheet is allowed by its hash: embed.js applies it in the widget's shadow root.
    "Content-Security-Policy": (
        f"default-src 'self'; script-src 'self'; style-src 'self' {csp_hash('card.css')}; img-src 'self' data:; "
        "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def page_href(kind: str, slug: str) -> str:
    """Conditions open their page here; vocabulary entries open their API record."""
    return f"/conditions/{slug}" if kind == "condition" else presenters.entry_href(kind, slug)


def _html(body: str) -> HTMLResponse:
    return HTMLResponse(body, headers=PAGE_HEADERS)


def _home_data(session: Session, query: str) -> tuple[search_queries.SearchResult | None, tuple[list[Condition], int]]:
    result = search_queries.search(session, query, kinds=[], limit=SEARCH_LIMIT, offset=0) if query else None
    listed = conditions.list_conditions(
        session, filters=conditions.ConditionFilters(), after=None, limit=HOME_LIST_LIMIT
    )
    return result, listed


def install_pages(app: FastAPI) -> None:
    app.mount(SITE_ASSETS, StaticFiles(directory=STATIC_DIR), name="site-assets")

    @app.get("/", include_in_schema=False)
    async def home(
        db: DatabaseDep,
        settings: SettingsDep,
        q: Annotated[str | None, Query(max_length=200)] = None,
    ) -> HTMLResponse:
        query = (q or "").strip()
        result, (rows, total) = await db.run(_home_data, query)
        return _html(
            render(
                "home.html",
                version=__version__,
                base_url=settings.base_url,
                query=query,
                result=result,
                page_href=page_href,
                conditions=rows,
                total=total,
                notice=NOT_A_DIAGNOSIS,
            )
        )

    @app.get("/conditions/{slug}", include_in_schema=False)
    async def condition_page(slug: str, request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
        detail = await find_condition(db, slug)
        if isinstance(detail, Canonical):
            return redirect_to_canonical(request, detail, lambda c: f"/conditions/{c}")
        return _html(render("condition.html", condition=detail, base_url=settings.base_url, version=__version__))
