"""The site's pages: the home page a developer lands on (`/`: what this is, a search box with type-ahead, the
conditions), each condition shown with the widget next to its embed snippet (`/conditions/{slug}`), and a page
for people per symptom, cause and treatment (`/symptoms/{slug}`…: the conditions that list it, in their words),
where search results lead. Server-rendered; the search works without JavaScript (the form submits to `/?q=`)
and the type-ahead improves it when JavaScript runs."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from app import __version__
from app.api.condition_lookup import Canonical, find_condition, redirect_to_canonical
from app.api.deps import DatabaseDep, SettingsDep
from app.core.errors import NotFound
from app.models import Condition
from app.models import public as api
from app.models.base import SymptomSection, TreatmentSection
from app.models.public import NOT_A_DIAGNOSIS
from app.queries import conditions, vocabulary
from app.queries import search as search_queries
from app.queries.vocabulary import Vocabulary
from app.representation import presenters
from app.representation.card import SECTIONS, Section
from app.representation.presenters import page_href
from app.representation.records import term_record
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


def is_site_page(path: str) -> bool:
    """The home page and the entries' pages for people (the docs, the API and assets are not)."""
    return path == "/" or path.startswith(SITE_PAGE_PREFIXES)


@dataclass(frozen=True)
class TermPage:
    """One kind of vocabulary entry, and how its page for people is built."""

    vocabulary: Vocabulary
    label: str
    build: Callable[..., api.TermDetail]


TERM_PAGES = (
    TermPage(vocabulary.SYMPTOMS, "Symptom", presenters.symptom_detail),
    TermPage(vocabulary.CAUSES, "Cause", presenters.cause_detail),
    TermPage(vocabulary.TREATMENTS, "Treatment", presenters.treatment_detail),
)
SITE_PAGE_PREFIXES = tuple(
    page_href(kind, "") for kind in ("condition", *(page.vocabulary.name for page in TERM_PAGES))
)
# Where a condition page lists a symptom or treatment, titled as the card titles that part (a symptom may be a
# red flag); causes have one part only.
USE_SECTIONS: dict[str | None, Section] = {
    SymptomSection.symptom: SECTIONS["symptoms"],
    SymptomSection.red_flag: SECTIONS["red_flags"],
    TreatmentSection.treatment: SECTIONS["treatments"],
    TreatmentSection.self_care: SECTIONS["self_care"],
}


@dataclass(frozen=True)
class Listing:
    """A condition that lists a term, with the words (and parts) in which its page does."""

    condition: api.Link
    uses: list[tuple[Section | None, str]]


def listings(uses: list[api.ConditionUse]) -> list[Listing]:
    found = []
    for _, group in groupby(uses, key=lambda use: use.slug):  # ordered by condition name, then slug
        rows = list(group)
        link = api.Link(slug=rows[0].slug, name=rows[0].name, href=page_href("condition", rows[0].slug))
        found.append(Listing(link, [(USE_SECTIONS.get(row.section), row.text) for row in rows]))
    return found


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
        q: Annotated[str | None, Query(max_length=search_queries.MAX_QUERY_LENGTH)] = None,
    ) -> HTMLResponse:
        query = (q or "").strip()
        result, (rows, total) = await db.run(_home_data, query)
        return _html(
            render(
                "home.html",
                version=__version__,
                base_url=settings.base_url,
                query=query,
                max_query_length=search_queries.MAX_QUERY_LENGTH,
                result=result,
                page_href=page_href,
                conditions=rows,
                total=total,
                notice=NOT_A_DIAGNOSIS,
            )
        )

    for term_page in TERM_PAGES:
        _install_term_page(app, term_page)

    @app.get("/conditions/{slug}", include_in_schema=False)
    async def condition_page(slug: str, request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
        detail = await find_condition(db, slug)
        if isinstance(detail, Canonical):
            return redirect_to_canonical(request, detail, lambda c: f"/conditions/{c}")
        return _html(render("condition.html", condition=detail, base_url=settings.base_url, version=__version__))


def _install_term_page(app: FastAPI, term_page: TermPage) -> None:
    kind = term_page.vocabulary.name

    @app.get(page_href(kind, "{slug}"), include_in_schema=False, name=f"{kind}_page")  # /symptoms/{slug}…
    async def term(slug: str, db: DatabaseDep) -> HTMLResponse:
        detail = await db.run(term_record, term_page.vocabulary, slug, term_page.build)
        if detail is None:
            raise NotFound(f"No {kind} has the slug '{slug[:100]}'.")
        return _html(
            render(
                "term.html",
                term=detail,
                label=term_page.label,
                listings=listings(detail.conditions),
                page_href=page_href,
                notice=NOT_A_DIAGNOSIS,
                version=__version__,
            )
        )
