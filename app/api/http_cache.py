"""HTTP caching in front of the routes: ETag/Last-Modified with 304s, compression, HEAD, and an in-process
cache of finished responses, so a warm GET is answered without routing, queries or serialization.

Entries are keyed by path, query, Accept, the negotiated encoding and the content version, so a seed run that
changes content makes every older entry unreachable. Requests with `Authorization` or cookies bypass the
cache. ETags hash the body, so every replica and every restart gives the same ETag for the same content.
"""

import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime

import brotli
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.content_version import ContentVersion, Version
from app.core.config import Settings

# Live probes must never be cached; the docs' static assets carry Starlette's own file validators.
UNCACHED_PREFIXES = ("/health", "/ready", "/static/")
MAX_CACHED_BODY = 1 << 20  # larger bodies (a big export) are served but not kept: memory stays bounded
# The media types routes choose between; any other Accept value gets the same JSON, so one cache entry.
NEGOTIATED = ("application/x-ndjson", "application/ld+json")


def _qualities(header: str) -> dict[str, float]:
    """An Accept-style header as {lower-cased name: q-value}; a malformed q counts as 0 (not acceptable)."""
    qualities: dict[str, float] = {}
    for part in header.split(","):
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
    to JSON, else "" (JSON). Routes and the cache key both call this, so they cannot disagree."""
    qualities = _qualities(accept)
    best, best_quality = "", qualities.get("application/json", 0.0)
    for media in NEGOTIATED:
        if qualities.get(media, 0.0) > best_quality:
            best, best_quality = media, qualities[media]
    return best


VARY = "Accept, Accept-Encoding"
# What a cached entry keeps of the route's headers (validators and caching headers are the cache's own).
KEPT_HEADERS = frozenset(
    (b"content-type", b"link", b"location", b"content-security-policy", b"x-content-type-options", b"referrer-policy")
)


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str  # of the identity body, quoted; the encoded variants add a suffix
    last_modified: float | None


def choose_encoding(accept_encoding: str) -> str:
    offered = {name for name, quality in _qualities(accept_encoding).items() if quality > 0}
    if "br" in offered:
        return "br"
    if "gzip" in offered:
        return "gzip"
    return "identity"


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=5))
    return gzip.compress(body, compresslevel=6, mtime=0)


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    wanted = etag.strip('"').split("-")[0]
    for candidate in header.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag.split("-")[0] == wanted:  # any content-coding of the same body
            return True
    return False


async def _capture(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    status, headers, chunks = 500, [], []

    async def collect(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, collect)
    return status, headers, b"".join(chunks)


_WANTED = frozenset(
    (b"authorization", b"cookie", b"accept", b"accept-encoding", b"if-none-match", b"if-modified-since")
)


def _request_headers(scope: Scope) -> dict[str, str]:
    """Only the headers caching looks at, in one pass over the raw list (this runs on every request)."""
    return {name.decode(): value.decode("latin-1") for name, value in scope["headers"] if name in _WANTED}


def _without_body(send: Send) -> Callable[[Message], Awaitable[None]]:
    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {"type": "http.response.body", "body": b"", "more_body": False}
        await send(message)

    return send_headers_only


class HttpCacheMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, version: ContentVersion) -> None:
        self.app = app
        self.version = version
        self.capacity = settings.cache_entries
        self.min_bytes = settings.compress_min_bytes
        self.cache_control = (
            f"public, max-age={settings.cache_max_age}, stale-while-revalidate={settings.cache_stale_while_revalidate}"
        ).encode()
        self.entries: OrderedDict[tuple[object, ...], Entry] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        as_get = {**scope, "method": "GET"} if head else scope
        request = _request_headers(scope)
        if scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(as_get, receive, _without_body(send) if head else send)
            return
        # Personalised requests get validators and compression, but are never served from or kept in the cache.
        shared = "authorization" not in request and "cookie" not in request
        encoding = choose_encoding(request.get("accept-encoding", ""))
        version = self.version.current()
        key = (scope["path"], scope["query_string"], negotiated(request.get("accept", "")), encoding, version)
        entry = self.entries.get(key) if shared else None
        if entry is None:
            status, headers, body = await _capture(self.app, as_get, receive)
            if status != 200:
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": b"" if head else body})
                return
            entry = self._entry(headers, body, encoding, version, shared=shared)
            if shared and self.capacity and len(entry.body) <= MAX_CACHED_BODY:
                self.entries[key] = entry
                if len(self.entries) > self.capacity:
                    self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        await self._answer(entry, request, head, send)

    def _entry(
        self, headers: list[tuple[bytes, bytes]], body: bytes, encoding: str, version: Version, *, shared: bool
    ) -> Entry:
        digest = hashlib.sha256(body).hexdigest()[:32]
        etag = f'"{digest}"'
        kept = [(name, value) for name, value in headers if name.lower() in KEPT_HEADERS]
        if encoding != "identity" and len(body) >= self.min_bytes:
            body = _compress(body, encoding)
            etag = f'"{digest}-{"br" if encoding == "br" else "gz"}"'
            kept.append((b"content-encoding", encoding.encode()))
        modified = version.changed_at.timestamp() if version.changed_at else None
        cache_control = self.cache_control if shared else b"private, no-cache"
        kept += [(b"etag", etag.encode()), (b"cache-control", cache_control), (b"vary", VARY.encode())]
        if version.changed_at is not None:
            kept.append((b"last-modified", format_datetime(version.changed_at, usegmt=True).encode()))
        return Entry(200, kept, body, etag, modified)

    async def _answer(self, entry: Entry, request: dict[str, str], head: bool, send: Send) -> None:
        if self._not_modified(entry, request):
            headers = [(n, v) for n, v in entry.headers if n in (b"etag", b"cache-control", b"vary", b"last-modified")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [*entry.headers, (b"content-length", str(len(entry.body)).encode())]
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else entry.body})

    @staticmethod
    def _not_modified(entry: Entry, request: dict[str, str]) -> bool:
        if "if-none-match" in request:
            return _etag_matches(request["if-none-match"], entry.etag)
        since = request.get("if-modified-since")
        if since and entry.last_modified is not None:
            try:
                return entry.last_modified <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError):
                return False
        return False
