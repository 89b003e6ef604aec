"""Content negotiation: which media type and which content coding a request gets. Routes and the response
cache both call these, so they cannot disagree."""

# The media types routes choose between; any other Accept value gets the same JSON, so one cache entry.
NEGOTIATED = ("application/x-ndjson", "application/ld+json")


def _qualities(header: str) -> dict[str, float]:
    """An Accept-style header as {lower-cased name: q-value}; a malformed q counts as 0 (not acceptable)."""
    qualities: dict[str, float] = {}
    for part in header.split(",")[:64]:  # a real client sends a handful; a flood is not parsed
        media, *params = part.split(";")
        quality = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities.setdefault(media.strip().lower(), quality)
    return qualities


def negotiated(accept: str) -> str:
    """The media type a route should answer with: one of NEGOTIATED when the client prefers it (by q-value)
    to JSON, else "" (JSON)."""
    qualities = _qualities(accept)
    best, best_quality = "", qualities.get("application/json", 0.0)
    for media in NEGOTIATED:
        if qualities.get(media, 0.0) > best_quality:
            best, best_quality = media, qualities[media]
    return best


def wants_html_page(accept: str) -> bool:
    """Whether an error should be a page for people: the client names `text/html` (a browser loading a page or
    an iframe) and prefers it to JSON. Clients that name `application/problem+json` or `application/json` as
    highly (embed.js, API clients), send `*/*` or no Accept get the problem details."""
    qualities = _qualities(accept)
    html = qualities.get("text/html", 0.0)
    return html > 0 and all(
        html > qualities.get(media, 0.0) for media in ("application/json", "application/problem+json")
    )


def choose_encoding(accept_encoding: str) -> str:
    """`br`, `gzip` or `identity`: the best coding the client accepts."""
    offered = {name for name, quality in _qualities(accept_encoding).items() if quality > 0}
    if "br" in offered:
        return "br"
    if "gzip" in offered:
        return "gzip"
    return "identity"
