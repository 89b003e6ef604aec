"""The server's database access: a fixed pool of threads, each owning one read-only connection.

Handlers `await pool.run(fn, ...)`; `fn(session, ...)` runs on a pool thread with a session on that thread's
connection. A burst of requests waits in the queue for a free thread; a thread never waits for a connection
(it has one), so nothing can deadlock. (Version 1 froze when the framework's 40 threads all waited for the
15 pooled connections held by requests that waited for a thread to release them.)

A connection is used only by the thread that opened it (sqlite3's `check_same_thread` stays on): Python's
sqlite3 reuses prepared statements per connection, and a connection passed between threads crashed the process
when one thread reset a statement that another was stepping.

Every statement runs under a deadline (`QUERY_TIME_LIMIT_MS`, from when it is sent until its rows are read)
that SQLite's progress handler enforces: a statement still running past it is interrupted and the job raises
`QueryTimeout`.
"""

import asyncio
import contextlib
import contextvars
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from app.core.db import connect_read_only, file_identity, sqlite_path

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

PROGRESS_STEPS = 1_000  # SQLite virtual-machine steps between deadline checks: microseconds apart


class QueryTimeout(Exception):
    """The database work of one request ran past the time limit and was interrupted."""


class DatabaseUnavailable(Exception):
    """The database cannot be read: missing, not migrated, or damaged."""


@dataclass
class _Job:
    call: Callable[[Session], Any]
    future: "asyncio.Future[Any]"
    loop: asyncio.AbstractEventLoop
    context: contextvars.Context  # the request's: what the job logs carries the request's id


def _settle(future: "asyncio.Future[Any]", error: BaseException | None, value: object) -> None:
    if future.done():  # the request was cancelled (client gone) while its job ran
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


class ReadPool:
    def __init__(self, url: str, *, threads: int, time_limit_ms: int) -> None:
        self.threads = threads
        self.time_limit = time_limit_ms / 1000
        self._local = threading.local()
        self._path = sqlite_path(url)
        self.engine = self._engine(url)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._start_lock = threading.Lock()

    def _engine(self, url: str) -> Engine:
        path = self._path
        if path is None:
            return create_engine(url, poolclass=NullPool)

        def connect() -> Any:
            connection = connect_read_only(path)
            connection.set_progress_handler(self._past_deadline, PROGRESS_STEPS)
            return connection

        # NullPool: each pool thread opens its own connection once and keeps it; nothing is shared.
        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

        @event.listens_for(engine, "before_cursor_execute")
        def _start_clock(*_: object) -> None:
            self._local.deadline = time.monotonic() + self.time_limit

        return engine

    def _past_deadline(self) -> bool:
        return time.monotonic() > getattr(self._local, "deadline", float("inf"))

    async def run(self, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn(session, *args, **kwargs)` on a pool thread; wait in line for one if all are busy."""
        self._start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(lambda session: fn(session, *args, **kwargs), future, loop, contextvars.copy_context()))
        return await future

    def _start(self) -> None:
        if self._workers:
            return
        with self._start_lock:
            while len(self._workers) < self.threads:
                worker = threading.Thread(target=self._work, name=f"db-read-{len(self._workers)}", daemon=True)
                worker.start()
                self._workers.append(worker)

    def _work(self) -> None:
        connection: Connection | None = None
        opened: tuple[int, int] | None = None
        while (job := self._jobs.get()) is not None:
            if job.future.cancelled():
                continue
            error: BaseException | None = None
            value: object = None
            try:
                if connection is not None and self._path is not None and file_identity(self._path) != opened:
                    _discard(connection)  # a new database was moved into place: read it, not the old one
                    connection = None
                if connection is None:
                    opened = file_identity(self._path) if self._path is not None else None
                    connection = self.engine.connect()
                value = job.context.run(self._call, connection, job.call)
            except QueryTimeout as timeout:
                error = timeout
            except (exc.OperationalError, exc.DatabaseError) as failure:
                if not _unusable(failure):
                    error = failure
                else:  # missing, unmigrated or damaged: open afresh next time, it may be repaired by then
                    job.context.run(logger.error, "database unusable: %s", failure.orig)
                    error = DatabaseUnavailable(str(failure.orig))
                    _discard(connection)
                    connection = None
            except Exception as failure:
                error = failure
            # A closed event loop means nobody waits for this answer any more.
            with contextlib.suppress(RuntimeError):
                job.loop.call_soon_threadsafe(_settle, job.future, error, value)
        _discard(connection)

    def _call(self, connection: Connection, call: Callable[[Session], Any]) -> Any:
        try:
            with Session(bind=connection) as session:
                return call(session)
        except exc.OperationalError as failure:
            if "interrupted" in str(failure.orig):
                raise QueryTimeout(f"the query ran past the {self.time_limit * 1000:.0f} ms time limit") from failure
            raise
        finally:
            self._local.deadline = float("inf")
            if connection.in_transaction():
                connection.rollback()  # end the read snapshot: the next job sees the newest content

    def close(self) -> None:
        """Stop the threads; each closes its own connection."""
        for _ in self._workers:
            self._jobs.put(None)
        for worker in self._workers:
            worker.join(timeout=5)
        self._workers.clear()
        self.engine.dispose()


def _unusable(failure: DBAPIError) -> bool:
    """A file that is missing, unmigrated or damaged, not a bug in a query (an FTS5 syntax error is one)."""
    message = str(failure.orig)
    return type(failure) in (exc.OperationalError, exc.DatabaseError) and "fts5" not in message


def _discard(connection: Connection | None) -> None:
    if connection is not None:
        with contextlib.suppress(DBAPIError):
            connection.close()
