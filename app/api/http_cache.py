"""HTTP caching in front of the routes: ETag/Last-Modified with 304s, compression, HEAD, and an in-process
cache of finished responses, so a warm GET is answered without routing, queries or serialization.

Entries are keyed by path, query, negotiated type, language and encoding, and the content version, so a seed run that
changes content makes every older entry unreachable. Requests with `Authorization` or cookies bypass the
cache. ETags hash the body, so every worker, replica and restart gives the same ETag for the same content.

Bounded: the cache holds at most `CACHE_MAX_BYTES` (least recently used entries leave first), and concurrent
misses of one key are coalesced: the first request builds the response, the others wait for it and share it
(a cold stampede costs one build per distinct request, not one per connection). A streamed response (the
route sends its body in parts) is passed through as it comes, never buffered.
"""

import asyncio
import gzip
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime

import brotli
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.languages import negotiate
from app.api.metrics import CACHE_BYTES
from app.api.negotiation import choose_encoding, negotiated
from app.core import request_context
from app.core.config import Settings
from app.core.monitor import DatabaseMonitor, Version

# Live probes must never be cached; the docs' static assets carry Starlette's own file validators; the export
# is a file with validators of its own.
UNCACHED_PREFIXES = ("/health", "/ready", "/metrics", "/static/", "/v1/export")
MAX_CACHED_BODY = 1 << 20  # larger bodies are served but not kept
ENTRY_OVERHEAD = 512  # bytes an entry costs beyond its body (key, headers, bookkeeping), for the byte bound

VARY = "Accept, Accept-Encoding, Accept-Language"
# What a cached entry keeps of the route's headers (validators and caching headers are the cache's own).
KEPT_HEADERS = frozenset(
    (
        b"content-type",
        b"content-language",
        b"link",
        b"location",
        b"content-security-policy",
        b"x-content-type-options",
        b"referrer-policy",
    )
)


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: str  # of the identity body, quoted; the encoded variants add a suffix
    last_modified: float | None

    @property
    def size(self) -> int:
        return len(self.body) + ENTRY_OVERHEAD


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=5))
    return gzip.compress(body, compresslevel=6, mtime=0)


_CODING_SUFFIX = {"identity": "", "gzip": "-gz", "br": "-br"}


def coded_etag(digest: str, encoding: str) -> str:
    """The quoted ETag of one content-coding of the body whose hash is `digest` (`"abc-br"`): codings of one
    body share the digest, which `etag_matches` compares."""
    return f'"{digest}{_CODING_SUFFIX[encoding]}"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weakly: any content-coding of the same body)."""
    if header.strip() == "*":
        return True
    wanted = etag.strip('"').split("-")[0]
    for candidate in header.split(",")[:64]:
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag.split("-")[0] == wanted:
            return True
    return False


# Answers that follow a cursor or rank the whole library must never be reused unchecked: a phone or a CDN
# that kept `/v1/changes?since=X` for five minutes after a re-seed would report "nothing changed". They are
# revalidated on every use (a 304 costs a round trip, no body). Entries, lists and type-ahead (which tolerates
# a few minutes of staleness and wants no round trip) may be reused for a while.
REVALIDATE_PATHS = frozenset(("/v1/changes", "/v1/export", "/v1/search", "/v1/conditions/match"))


def cache_control(settings: Settings, path: str) -> str:
    """The Cache-Control of a shared response for `path` (see REVALIDATE_PATHS)."""
    # With keys required, a proxy or CDN in front must not hand an answer to a caller without one.
    audience = "private" if settings.api_keys_required else "public"
    if path in REVALIDATE_PATHS:
        return f"{audience}, no-cache"
    return (
        f"{audience}, max-age={settings.cache_max_age}, stale-while-revalidate={settings.cache_stale_while_revalidate}"
    )


def validators(settings: Settings, etag: str, version: Version, path: str) -> dict[str, str]:
    """The caching headers of a shared response for `path` with this ETag at this content version."""
    headers = {"etag": etag, "cache-control": cache_control(settings, path), "vary": VARY}
    if version.changed_at is not None:
        headers["last-modified"] = format_datetime(version.changed_at, usegmt=True)
    return headers


_WANTED = frozenset(
    (
        b"authorization",
        b"cookie",
        b"accept",
        b"accept-encoding",
        b"accept-language",
        b"if-none-match",
        b"if-modified-since",
    )
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


@dataclass(frozen=True)
class Buffered:
    """A whole response the route gave in one piece."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class _Streamed(Exception):
    """The route streamed its response: it was passed through and cannot be shared."""


class _Abandoned(Exception):
    """The request building the response was cancelled (its client left): a waiter builds it instead."""


async def _run_buffering(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> Buffered:
    """Run the route, keeping a one-piece response; a streamed one goes straight to `send` (raises _Streamed)."""
    start: Message | None = None
    chunks: list[bytes] = []
    streaming = False

    async def collect(message: Message) -> None:
        nonlocal start, streaming
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            if streaming:
                await send(message)
            elif message.get("more_body", False):
                streaming = True
                assert start is not None
                await send(start)
                for chunk in chunks:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send(message)
            else:
                chunks.append(message.get("body", b""))
        else:
            await send(message)

    await app(scope, receive, collect)
    if streaming:
        raise _Streamed
    assert start is not None, "the route sent no response"
    return Buffered(start["status"], list(start.get("headers", [])), b"".join(chunks))


class HttpCacheMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, monitor: DatabaseMonitor) -> None:
        self.app = app
        self.monitor = monitor
        self.max_bytes = settings.cache_max_bytes
        self.max_entry = min(MAX_CACHED_BODY, settings.cache_max_bytes // 8)
        self.min_bytes = settings.compress_min_bytes
        self.settings = settings
        self.entries: OrderedDict[tuple[object, ...], Entry] = OrderedDict()
        self.size = 0
        self.inflight: dict[tuple[object, ...], asyncio.Future[Entry | Buffered]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        as_get = {**scope, "method": "GET"} if head else scope
        out = _without_body(send) if head else send
        if scope["path"].startswith(UNCACHED_PREFIXES):
            await self.app(as_get, receive, out)
            return
        request = _request_headers(scope)
        # Personalised requests get validators and compression, but are never served from or kept in the cache.
        shared = "authorization" not in request and "cookie" not in request
        encoding = choose_encoding(request.get("accept-encoding", ""))
        version = await self.monitor.content_version()
        context = request_context.current()
        # The language `lang=` names is in the query string; the one Accept-Language negotiates is keyed here.
        language = negotiate(request.get("accept-language"))
        media = negotiated(request.get("accept", ""))
        key = (scope["path"], scope["query_string"], media, language.language, language.unavailable, encoding, version)
        while shared:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                if context is not None:
                    context.cache = "hit"
                await self._answer(entry, request, out)
                return
            waiting = self.inflight.get(key)
            if waiting is None:
                break  # this request builds it, and the ones arriving meanwhile wait for it
            try:
                result = await asyncio.shield(waiting)
            except _Streamed:
                shared = False  # a streamed answer cannot be shared: each request streams its own
                break
            except Exception:
                continue  # the builder failed or its client left: the first waiter to wake builds instead
            if context is not None:
                context.cache = "hit"  # built once for several waiting requests: shared like a hit
            await self._send_result(result, request, out)
            return
        if context is not None:
            context.cache = "miss" if shared else "bypass"
        await self._build(key, as_get, receive, out, request, encoding, version, shared=shared)

    async def _build(
        self,
        key: tuple[object, ...],
        scope: Scope,
        receive: Receive,
        send: Send,
        request: dict[str, str],
        encoding: str,
        version: Version,
        *,
        shared: bool,
    ) -> None:
        future: asyncio.Future[Entry | Buffered] | None = None
        if shared and key not in self.inflight:
            future = asyncio.get_running_loop().create_future()
            self.inflight[key] = future
        try:
            buffered = await _run_buffering(self.app, scope, receive, send)
            result: Entry | Buffered = buffered
            if buffered.status == 200:
                result = self._entry(buffered, encoding, version, scope["path"] if shared else None)
                if shared:
                    self._keep(key, result)
            if future is not None:
                future.set_result(result)
        except BaseException as exc:
            if future is not None:
                future.set_exception(exc if isinstance(exc, Exception) else _Abandoned())
                future.exception()  # retrieved here: waiters that are gone must not log it as lost
            if isinstance(exc, _Streamed):
                return
            raise
        finally:
            if future is not None:
                self.inflight.pop(key, None)
        await self._send_result(result, request, send)

    async def _send_result(self, result: Entry | Buffered, request: dict[str, str], send: Send) -> None:
        if isinstance(result, Entry):
            await self._answer(result, request, send)
            return
        await send({"type": "http.response.start", "status": result.status, "headers": result.headers})
        await send({"type": "http.response.body", "body": result.body})

    def _keep(self, key: tuple[object, ...], entry: Entry) -> None:
        if len(entry.body) > self.max_entry:
            return
        previous = self.entries.pop(key, None)
        if previous is not None:
            self.size -= previous.size
        self.entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes and self.entries:
            _, evicted = self.entries.popitem(last=False)
            self.size -= evicted.size
        CACHE_BYTES.set(self.size)

    def _entry(self, buffered: Buffered, encoding: str, version: Version, shared_path: str | None) -> Entry:
        """The cacheable form of a 200; `shared_path` is None for a personalised request (private)."""
        body = buffered.body
        digest = hashlib.sha256(body).hexdigest()[:32]
        etag = coded_etag(digest, "identity")
        kept = [(name, value) for name, value in buffered.headers if name.lower() in KEPT_HEADERS]
        if encoding != "identity" and len(body) >= self.min_bytes:
            body = _compress(body, encoding)
            etag = coded_etag(digest, encoding)
            kept.append((b"content-encoding", encoding.encode()))
        # HTTP dates have whole seconds: Last-Modified is the second the content changed, so a client that
        # sends back exactly what it got is answered 304.
        modified = float(int(version.changed_at.timestamp())) if version.changed_at else None
        policy = cache_control(self.settings, shared_path) if shared_path is not None else "private, no-cache"
        kept += [(b"etag", etag.encode()), (b"cache-control", policy.encode()), (b"vary", VARY.encode())]
        if version.changed_at is not None:
            kept.append((b"last-modified", format_datetime(version.changed_at, usegmt=True).encode()))
        return Entry(200, kept, body, etag, modified)

    async def _answer(self, entry: Entry, request: dict[str, str], send: Send) -> None:
        if self._not_modified(entry, request):
            headers = [(n, v) for n, v in entry.headers if n in (b"etag", b"cache-control", b"vary", b"last-modified")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers = [*entry.headers, (b"content-length", str(len(entry.body)).encode())]
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})

    @staticmethod
    def _not_modified(entry: Entry, request: dict[str, str]) -> bool:
        if "if-none-match" in request:
            return etag_matches(request["if-none-match"], entry.etag)
        since = request.get("if-modified-since")
        if since and entry.last_modified is not None:
            try:
                return entry.last_modified <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
        return False
