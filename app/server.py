"""How `conditions-api serve` runs: a start-up check of the database, then uvicorn with `WORKERS` processes.

uvicorn answers a request it cannot parse (malformed, or headers too large) itself, before any app code runs,
as `text/plain`. `ProblemH11Protocol` words that answer as a problem like every other error.

It also sends each response in one write (`WholeWrites`) and turns Nagle's algorithm off on every connection.
asyncio does that only for sockets created with `IPPROTO_TCP`; the socket uvicorn binds for several workers has
protocol 0, so with `WORKERS=2` every small response waited ~40 ms for a delayed ACK, and two workers served
10x less than one.
"""

import asyncio
import logging
import socket
import tempfile

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from app import migrations
from app.core import logs
from app.core.config import Settings
from app.core.errors import PROBLEM_MEDIA_TYPE, Problem
from app.core.monitor import DatabaseMonitor
from app.main import export_directory

# Seconds a worker that was told to stop (SIGTERM) keeps serving the requests it has before it exits.
GRACEFUL_SHUTDOWN_SECONDS = 30
WORKER_START_SECONDS = 60
MAX_HEADER_BYTES = 16 * 1024  # a request line plus headers beyond this are refused with a problem


class WholeWrites:
    """A transport that sends what is written in one turn of the event loop as one write.

    uvicorn writes a response's head, body and end separately. A replica killed between those writes left a
    proxy holding a head without its body, which it cannot retry elsewhere (the client got a truncated answer);
    sent whole, a response is either out or not started, and nginx retries the latter on another replica."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def _flush(self) -> None:
        if self._pending and not self._transport.is_closing():
            self._transport.write(b"".join(self._pending))
        self._pending.clear()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._pending))

    def __getattr__(self, name: str) -> object:
        return getattr(self._transport, name)


class ProblemH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        connection = transport.get_extra_info("socket")
        if connection is not None and connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(WholeWrites(transport, asyncio.get_running_loop()))  # type: ignore[arg-type]

    def send_400_response(self, msg: str) -> None:
        del msg  # uvicorn's wording; ours says what to do
        body = (
            Problem(
                type="about:blank",
                title="Bad Request",
                status=400,
                detail="The request is not valid HTTP/1.1, or its request line and headers are larger than "
                f"{MAX_HEADER_BYTES // 1024} KiB.",
            )
            .model_dump_json(exclude_none=True)
            .encode()
        )
        headers = [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"connection", b"close"),
        ]
        # Raw bytes: h11's connection state is already broken, so it cannot format the answer.
        head = b"HTTP/1.1 400 Bad Request\r\n" + b"".join(name + b": " + value + b"\r\n" for name, value in headers)
        self.transport.write(head + b"\r\n" + body)
        self.transport.close()


def startup_problem(settings: Settings) -> str | None:
    """Why the server cannot serve (a database missing, unmigrated or damaged; an export folder it cannot
    write), or None when it can."""
    url = settings.database_url
    monitor = DatabaseMonitor(url, expected_revision=lambda: migrations.head_revision(url))
    try:
        verdict = monitor.readiness_now()
    finally:
        monitor.close()
    if not verdict.ready:
        return verdict.problem
    folder = export_directory(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"EXPORT_DIR {folder} cannot be written: {exc.strerror}."
    return None


def serve(settings: Settings) -> None:
    trusted_proxies = settings.forwarded_allow_ips.strip()
    if settings.workers > 1 and settings.rate_limit_storage.startswith("memory") and settings.rate_limit != "0":
        logging.getLogger("app").warning(
            "WORKERS=%d with RATE_LIMIT_STORAGE=memory://: each worker counts alone, so a client may make up to "
            "%d times RATE_LIMIT; set RATE_LIMIT_STORAGE=redis://… to share the counters",
            settings.workers,
            settings.workers,
        )
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        log_config=logs.log_config(settings),
        access_log=False,  # the access log is ours: one line per request with its id, route and cache outcome
        # X-Forwarded-For and -Proto are believed only from these proxies; with none, never.
        proxy_headers=bool(trusted_proxies),
        forwarded_allow_ips=trusted_proxies or None,
        http=ProblemH11Protocol,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        # A worker imports the app (~3 s of CPU) before it answers the supervisor's ping; on a busy 2-core
        # machine uvicorn's 5 s default killed workers that were only starting.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )
