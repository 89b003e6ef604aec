"""Jinja templates with autoescaping on, and the two ways content reaches HTML: Markdown rendered with raw HTML
disabled, and JSON-LD made safe to sit inside a `<script>` element."""

import base64
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"

# Raw HTML in content is shown as text, and markdown-it refuses javascript:/data: links. No images: the card
# must load nothing from anywhere on a clinic's page.
_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")


def markdown(text: str | None) -> Markup:
    return Markup(_markdown.render(text or ""))  # markdown-it escapes text when html is off


def lang_attr(language: str | None) -> Markup:
    """` lang="…"` for an element whose words are in another language than its parent's; nothing otherwise."""
    return Markup(' lang="{}"').format(language) if language else Markup("")


def lang_span(text: str, language: str | None) -> Markup:
    """Text inside a sentence of the interface, in a `<span lang>` when its words are in another language."""
    return Markup('<span lang="{}">{}</span>').format(language, text) if language else Markup.escape(text)


def anchor(text: str, href: str, language: str | None = None) -> Markup:
    """A link inside a sentence of the interface (its text escaped unless it is markup)."""
    return Markup('<a href="{}"{}>{}</a>').format(href, lang_attr(language), text)


def code(text: str) -> Markup:
    return Markup("<code>{}</code>").format(text)


def strong(text: str) -> Markup:
    return Markup("<strong>{}</strong>").format(text)


def link_to(text: str, url: str, language: str | None = None) -> Markup:
    """A link to another site, opened apart from the page (the card's source)."""
    return Markup('<a href="{}" target="_blank" rel="noopener noreferrer"{}>{}</a>').format(
        url, lang_attr(language), text
    )


def script_json(data: Any) -> Markup:
    """JSON for a `<script>` data block: `<`, `>` and `&` become escapes, so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


@cache
def static_text(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


@cache
def csp_hash(name: str) -> str:
    """The CSP source (`'sha256-…'`) allowing one static file's text as an inline element."""
    digest = hashlib.sha256(static_text(name).encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


templates = Environment(
    loader=FileSystemLoader(WEB_DIR / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.filters["markdown"] = markdown
templates.filters["script_json"] = script_json
templates.filters["lang_attr"] = lang_attr
templates.filters["lang_span"] = lang_span
templates.filters["link_to"] = link_to
templates.filters["anchor"] = anchor
templates.filters["strong"] = strong
templates.filters["code"] = code


def render(template: str, **context: Any) -> str:
    return templates.get_template(template).render(**context)
