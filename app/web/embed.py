"""The widget: `GET /embed/conditions/{slug}` (a self-contained HTML card, for iframes and for `embed.js`)
and `GET /embed.js` (renders cards into a Shadow DOM on any page)."""

from functools import cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from app.api.condition_lookup import Canonical, find_condition, redirect_to_canonical
from app.api.content_language import answered_in
from app.api.deps import DatabaseDep, SettingsDep, reject_unknown_query_params
from app.api.languages import LanguageDep
from app.api.params import comma_list_pattern
from app.core.config import Settings
from app.core.errors import PROBLEM_RESPONSES
from app.core.locales import DEFAULT_LANGUAGE, locales, message
from app.representation.card import SECTIONS, UNAVAILABLE, chosen_sections
from app.representation.jsonld import condition_jsonld
from app.web.interface import Interface
from app.web.rendering import csp_hash, render, script_json, static_text

EMBED_PREFIX = "/embed"


Theme = Literal["light", "dark"]
# A client that prefers HTML to JSON (a browser loading an iframe) gets its errors as a page for the visitor,
# with the problem details inside for the site's developer (app/web/error_pages.py).
ERROR_PAGE_EXAMPLE = (
    '<!doctype html>… <script type="application/problem+json" id="problem">{"status": 404, …}</script> … '
    f"<p>{UNAVAILABLE}</p> …"
)
CARD_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {**spec, "content": {**spec["content"], "text/html": {"example": ERROR_PAGE_EXAMPLE}}}
    for status, spec in PROBLEM_RESPONSES.items()
}

router = APIRouter(
    prefix=EMBED_PREFIX,
    tags=["embed"],
    dependencies=[Depends(reject_unknown_query_params)],
    responses=CARD_ERROR_RESPONSES,
)


SECTION_LIST_PATTERN = comma_list_pattern(SECTIONS)


def embed_headers(settings: Settings) -> dict[str, str]:
    """No script may run in the card; only the listed sites may frame it."""
    ancestors = " ".join(settings.embed_origins) or "'none'"
    policy = (
        f"default-src 'none'; style-src {csp_hash('card.css')}; img-src data:; base-uri 'none'; "
        f"form-action 'none'; frame-ancestors {ancestors}"
    )
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


HTML_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {"example": "<!doctype html>…"}}}}


@router.get(
    "/conditions/{slug}",
    summary="Get a condition as an embeddable HTML card",
    response_class=Response,
    responses={**HTML_RESPONSE, 301: {"description": "The slug is an alias: `Location` has the canonical URL."}},
)
async def embed_condition(
    slug: str,
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    language: LanguageDep,
    sections: Annotated[
        str | None,
        Query(
            pattern=SECTION_LIST_PATTERN,
            max_length=500,
            description=f"Comma-separated parts to show, in this order; all by default: `{','.join(SECTIONS)}`.",
            examples=["symptoms,faqs"],
        ),
    ] = None,
    theme: Annotated[Theme, Query(description="Colour scheme; CSS custom properties override it.")] = "light",
    editor_notes: Annotated[
        bool,
        Query(
            description="`true` shows the editors' notes (on items, and on the entry as a whole) for an editorial "
            "preview. Off by default: the card is written for patients. The JSON record always carries them.",
        ),
    ] = False,
) -> Response:
    """A condition as a self-contained, accessible HTML card (no scripts, no external assets) with its JSON-LD.

    Show it in an iframe, or let `/embed.js` render it inside a Shadow DOM. Attribution, the medical notice and
    the entry's standing are always shown: a draft says so and when it was last updated, a reviewed entry its
    last and next review dates. Editors' notes are left out unless `editor_notes=true` asks for an editorial
    preview. The card is in the language `lang=` (or else `Accept-Language`) asks for: its labels, notice and
    dates always, its content when the entry is translated; an entry that is not yet translated is shown in
    English inside the asked language's labels, saying so, with `lang="en"` on its words and
    `Content-Language: es, en`. The host page styles it through CSS custom properties: `--condition-card-background`,
    `--condition-card-text`, `--condition-card-muted`, `--condition-card-accent`, `--condition-card-border`,
    `--condition-card-font`.

    When the card cannot be shown (an unknown slug or option), a client that prefers `text/html` to JSON, as a
    browser loading an iframe does, gets a page that tells the visitor "This information is not available right
    now." with the same status code and the problem details inside it (an `application/problem+json` script
    block); other clients get the problem details.
    """
    shown = chosen_sections(sections.split(",") if sections else None)  # the pattern admits known names only
    detail = await find_condition(db, slug, language)
    if isinstance(detail, Canonical):
        return redirect_to_canonical(request, detail, lambda canonical: f"{EMBED_PREFIX}/conditions/{canonical}")
    interface = Interface(language.language)
    answered_in(request, interface.content_language(detail.language))
    page = render(
        "embed.html",
        t=interface,
        condition=detail,
        source_lang=DEFAULT_LANGUAGE,  # a translation keeps its original's source and attribution
        sections=shown,
        theme=theme,
        editor_notes=editor_notes,
        notice=message(interface.language, "medical_notice"),
        jsonld=condition_jsonld(detail, base_url=settings.base_url),
        css=static_text("card.css"),
    )
    return Response(page, media_type="text/html; charset=utf-8", headers=embed_headers(settings))


script_router = APIRouter(tags=["embed"])
# Where embed.js receives what a visitor reads when a card cannot be shown, in every language offered.
UNAVAILABLE_SLOT = "/*UNAVAILABLE*/{}"


@cache
def loader_script() -> str:
    """embed.js with the catalogs' `card_unavailable` by language (the first is the default's)."""
    texts = {tag: message(tag, "card_unavailable") for tag in locales()}
    return static_text("embed.js").replace(UNAVAILABLE_SLOT, str(script_json(texts)), 1)


@script_router.get(
    "/embed.js",
    summary="Get the widget loader script",
    response_class=Response,
    responses={200: {"content": {"text/javascript": {"example": "(function () { … })();"}}}},
)
async def embed_script() -> Response:
    """The widget loader. Include it once; it renders every `<div data-condition="slug">` on the page.

    ```html
    <div data-condition="lumbar-muscle-spasm" data-sections="symptoms,faqs" data-theme="light"></div>
    <script src="https://conditions.example/embed.js" async></script>
    ```

    `data-sections` and `data-theme` are the card's `sections` and `theme`; `data-editor-notes="true"` shows the
    editors' notes (an editorial preview). `data-lang="es"` asks for the card in a language (its `lang`); without
    it the card takes the language of the page around it (the nearest `lang` attribute, usually `<html lang>`),
    and without that the visitor's browser languages. A card that cannot be shown tells the visitor "This
    information is not available right now." in that language; why is on the element's `data-error-detail` and
    in a console warning.
    """
    return Response(
        loader_script(),
        media_type="text/javascript; charset=utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )
