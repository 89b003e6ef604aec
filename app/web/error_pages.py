"""What a visitor sees when a page for people fails: a sentence in plain words, not problem JSON.

Errors everywhere are built as `application/problem+json` (RFC 9457). On the card (`/embed/...`) and the
site's pages, a client that asks for HTML over JSON (a browser showing a page or an iframe) gets an HTML page
instead, with the same status code (and `Retry-After`, CORS). The problem details stay in that page for the
site's developer, as an `application/problem+json` data block (never run, so the card's `default-src 'none'`
holds).
API clients, embed.js and curl still get the problem details themselves.
"""

import json
import re
from typing import Any, get_args
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.languages import LANGUAGE_TAG_PATTERN, negotiate
from app.api.negotiation import wants_html_page
from app.core.config import Settings
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.web.embed import EMBED_PREFIX, Theme, embed_headers
from app.web.interface import Interface
from app.web.pages import PAGE_HEADERS, is_site_page, site_chrome
from app.web.rendering import render, static_text

MAX_LANG_LENGTH = 35  # as the `lang` parameter allows; a longer value is not looked up


def _query_dict(scope: Scope) -> dict[str, str]:
    query: bytes = scope.get("query_string", b"")
    return {name: values[-1] for name, values in parse_qs(query.decode("latin-1")).items()}


def _query(scope: Scope, name: str) -> str:
    return _query_dict(scope).get(name, "")


def _card_theme(scope: Scope) -> str:
    """The theme the failed card asked for, when it is one, so a dark iframe does not flash a light box."""
    asked = _query(scope, "theme")
    return asked if asked in get_args(Theme) else "light"


def _language(scope: Scope) -> tuple[str, str | None]:
    """The language the failed page was asked in (`lang=`, else Accept-Language), as the page would have been
    (a malformed `lang` is the reason for the error, and gets the default language), and the `lang` to carry."""
    lang = _query(scope, "lang")[:MAX_LANG_LENGTH] or None
    valid = lang if lang is not None and re.fullmatch(LANGUAGE_TAG_PATTERN, lang) else None
    return negotiate(Headers(scope=scope).get("accept-language"), valid).language, lang


class HtmlErrorPagesMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.card_headers = embed_headers(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        card = path.startswith(EMBED_PREFIX + "/")
        if scope["type"] != "http" or not (card or is_site_page(path)):
            await self.app(scope, receive, send)
            return
        as_page = wants_html_page(Headers(scope=scope).get("accept", ""))
        # HEAD is answered as GET without the body, so the page (and its length) is built from the problem.
        head = scope["method"] == "HEAD"
        held: Message | None = None
        chunks: list[bytes] = []

        async def forward(message: Message) -> None:
            if head and message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": b"", "more_body": message.get("more_body", False)}
            await send(message)

        async def respond(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message.get("headers", [])))
                if headers.get("content-type") != PROBLEM_MEDIA_TYPE:
                    await forward(message)
                    return
                headers.add_vary_header("Accept")  # the same URL answers an error as HTML or as JSON
                if as_page:
                    held = {**message, "headers": headers.raw}
                else:
                    await forward({**message, "headers": headers.raw})
                return
            if held is None or message["type"] != "http.response.body":
                await forward(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            problem: dict[str, Any] = json.loads(b"".join(chunks))
            body, page_headers = self._page(scope, problem, card=card)
            headers = MutableHeaders(raw=held["headers"])
            headers.update(page_headers)
            headers.add_vary_header("Accept-Language")  # the page is in the language asked for
            headers["content-type"] = "text/html; charset=utf-8"
            headers["content-length"] = str(len(body))
            await forward({**held, "headers": headers.raw})
            await forward({"type": "http.response.body", "body": body})

        await self.app({**scope, "method": "GET"} if head else scope, receive, respond)

    def _page(self, scope: Scope, problem: dict[str, Any], *, card: bool) -> tuple[bytes, dict[str, str]]:
        language, lang = _language(scope)
        interface = Interface(language, carried=lang)
        headers = {"content-language": language}
        if card:
            page = render(
                "card_error.html",
                t=interface,
                problem=problem,
                theme=_card_theme(scope),
                css=static_text("card.css"),
            )
            return page.encode(), {**self.card_headers, **headers}
        message = interface("page_no_such_page" if problem.get("status") == 404 else "card_unavailable")
        chrome = site_chrome(interface, scope.get("path", "/"), _query_dict(scope))
        page = render("error.html", message=message, problem=problem, **chrome)
        return page.encode(), {**PAGE_HEADERS, **headers}
