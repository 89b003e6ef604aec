"""Jinja templates with autoescaping on, and the two ways content reaches HTML: Markdown rendered with raw HTML
disabled, and JSON-LD made safe to sit inside a `<script>` element."""

import base64
import hashlib
import json
from datetime import date, datetime
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


def long_date(value: date | datetime) -> Markup:
    """A date as readers see it ("25 November 2026"), machine-readable in a `<time>` element."""
    day = value.date() if isinstance(value, datetime) else value
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), f"{day.day} {day:%B %Y}")


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
templates.filters["long_date"] = long_date


def render(template: str, **context: Any) -> str:
    return templates.get_template(template).render(**context)
