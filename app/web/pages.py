"""The site's pages: the home page a developer lands on (`/`: what this is, a search box with type-ahead, the
conditions), each condition shown with the widget next to its embed snippet (`/conditions/{slug}`), and a page
for people per symptom, cause and treatment (`/symptoms/{slug}`…: the conditions that list it, in their words),
where search results lead. Server-rendered; the search works without JavaScript (the form submits to `/?q=`)
and the type-ahead improves it when JavaScript runs."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlmodel import Session

from app import __version__
from app.api.condition_lookup import Canonical, find_condition, redirect_to_canonical
from app.api.content_language import answered_in
from app.api.deps import DatabaseDep, SettingsDep
from app.api.languages import LanguageDep
from app.core.errors import NotFound
from app.core.locales import Negotiated, message
from app.models import public as api
from app.models.base import ReviewStatus, SymptomSection, TreatmentSection
from app.queries import conditions, vocabulary
from app.queries import search as search_queries
from app.queries.vocabulary import Vocabulary
from app.representation import presenters
from app.representation.card import SECTIONS, Section
from app.representation.localize import localize_summaries, words_for
from app.representation.presenters import page_href
from app.representation.records import term_record
from app.web.interface import Interface
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
    build: Callable[..., api.TermDetail]


TERM_PAGES = (
    TermPage(vocabulary.SYMPTOMS, presenters.symptom_detail),
    TermPage(vocabulary.CAUSES, presenters.cause_detail),
    TermPage(vocabulary.TREATMENTS, presenters.treatment_detail),
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


def site_chrome(interface: Interface, path: str, query: dict[str, str]) -> dict[str, Any]:
    """What every page's frame needs: the interface's words and the language switch to this same page."""
    return {"t": interface, "languages": interface.switch(path, query), "version": __version__}


def _interface(request: Request, language: Negotiated) -> Interface:
    """The page's interface; links carry the reader's `lang` when the request named one (a choice made with the
    language switch outlives the page), and leave the browser's Accept-Language to decide otherwise."""
    return Interface(language.language, carried=request.query_params.get("lang") or None)


def _chrome(request: Request, interface: Interface) -> dict[str, Any]:
    return site_chrome(interface, request.url.path, dict(request.query_params))


@dataclass(frozen=True)
class HomeRow:
    condition: api.ConditionSummary  # in the language asked for, or English where not translated
    draft: bool


def _home_data(
    session: Session, query: str, asked: Negotiated
) -> tuple[search_queries.SearchResult | None, list[HomeRow], int]:
    # Hits are in the language searched, or in English for an entry not translated (each says which).
    result = (
        search_queries.search(session, query, kinds=[], limit=SEARCH_LIMIT, offset=0, language=asked.language)
        if query
        else None
    )
    rows, total = conditions.list_conditions(
        session, filters=conditions.ConditionFilters(), after=None, limit=HOME_LIST_LIMIT
    )
    summaries = [presenters.condition_summary(row) for row in rows]
    localized = localize_summaries(summaries, words_for(session, asked.language, summaries), asked)
    drafts = [row.review_status == ReviewStatus.draft for row in rows]
    return result, [HomeRow(summary, draft) for summary, draft in zip(localized, drafts, strict=True)], total


def install_pages(app: FastAPI) -> None:
    app.mount(SITE_ASSETS, StaticFiles(directory=STATIC_DIR), name="site-assets")

    @app.get("/", include_in_schema=False)
    async def home(
        request: Request,
        db: DatabaseDep,
        settings: SettingsDep,
        language: LanguageDep,
        q: Annotated[str | None, Query(max_length=search_queries.MAX_QUERY_LENGTH)] = None,
    ) -> HTMLResponse:
        query = (q or "").strip()
        result, rows, total = await db.run(_home_data, query, language)
        interface = _interface(request, language)
        answered_in(request, interface.content_language(*(row.condition.language for row in rows)))
        return _html(
            render(
                "home.html",
                **_chrome(request, interface),
                base_url=settings.base_url,
                query=query,
                max_query_length=search_queries.MAX_QUERY_LENGTH,
                result=result,
                page_href=page_href,
                conditions=rows,
                total=total,
                notice=message(interface.language, "not_a_diagnosis"),
            )
        )

    for term_page in TERM_PAGES:
        _install_term_page(app, term_page)

    @app.get("/conditions/{slug}", include_in_schema=False)
    async def condition_page(
        slug: str, request: Request, db: DatabaseDep, settings: SettingsDep, language: LanguageDep
    ) -> Response:
        detail = await find_condition(db, slug, language)
        if isinstance(detail, Canonical):
            return redirect_to_canonical(request, detail, lambda c: f"/conditions/{c}")
        interface = _interface(request, language)
        answered_in(request, interface.content_language(detail.language))
        return _html(
            render("condition.html", **_chrome(request, interface), condition=detail, base_url=settings.base_url)
        )


def _install_term_page(app: FastAPI, term_page: TermPage) -> None:
    kind = term_page.vocabulary.name

    @app.get(page_href(kind, "{slug}"), include_in_schema=False, name=f"{kind}_page")  # /symptoms/{slug}…
    async def term(slug: str, request: Request, db: DatabaseDep, language: LanguageDep) -> HTMLResponse:
        detail = await db.run(term_record, term_page.vocabulary, slug, term_page.build, language)
        if detail is None:
            raise NotFound(f"No {kind} has the slug '{slug[:100]}'.")
        interface = _interface(request, language)
        answered_in(request, interface.content_language(detail.language))
        return _html(
            render(
                "term.html",
                **_chrome(request, interface),
                term=detail,
                kind=kind,
                listings=listings(detail.conditions),
                page_href=page_href,
                notice=message(interface.language, "not_a_diagnosis"),
            )
        )
