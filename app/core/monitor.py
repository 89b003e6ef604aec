"""What the server knows about its database file, asked off the event loop: the content version (for the
response cache) and whether the file is ready to serve (for `/ready` and `serve`'s start-up check).

Each question has a thread of its own with its own read-only connection, apart from the read pool: neither
waits behind slow queries, and the version check never waits behind an integrity check. The version check
is single-flight (requests that arrive while one is running share its answer), and an answer is reused for
VERSION_FRESH_SECONDS: a thread hop on every cache hit cost a fifth of the throughput and 50 ms stalls at p99.
A commit is seen by the requests that start 50 ms after it, at the latest.

With SQLite, `PRAGMA data_version` changes only when another connection commits; the change log is re-read
only then. Other databases are asked each time.
"""

import asyncio
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool

from app.core.db import connect_read_only, file_identity, sqlite_path

_LATEST = "SELECT seq, changed_at FROM change ORDER BY seq DESC LIMIT 1"
# Reloading the code table or rebuilding the search index changes answers without changing entries.
_REFERENCE = "SELECT group_concat(name || '=' || version, ';') FROM (SELECT * FROM reference_data ORDER BY name)"
_REVISION = "SELECT version_num FROM alembic_version"
VERSION_FRESH_SECONDS = 0.05
REBUILD = "build it with `conditions-api migrate` and then `conditions-api seed` (`make run` does both)"


@dataclass(frozen=True)
class Version:
    seq: int
    changed_at: datetime | None
    reference: str = ""


NO_VERSION = Version(0, None)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    revision: str | None
    problem: str = ""


def as_utc(moment: object) -> datetime:
    """A stored time (SQLite gives text) as an aware UTC datetime."""
    value = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _version(row: tuple[object, object] | None, reference: object) -> Version:
    if row is None:
        return Version(0, None, str(reference or ""))
    seq, changed_at = row
    return Version(int(str(seq)), as_utc(changed_at), str(reference or ""))


def _fingerprint(path: Path) -> tuple[object, ...]:
    """Changes whenever the file's bytes may have: a commit (WAL), a checkpoint, a copy over it."""
    parts: list[object] = []
    for file in (path, Path(f"{path}-wal")):
        try:
            stat = os.stat(file)
            parts += [stat.st_ino, stat.st_size, stat.st_mtime_ns]
        except FileNotFoundError:
            parts.append(None)
    return tuple(parts)


class DatabaseMonitor:
    def __init__(self, url: str, *, expected_revision: Callable[[], str | None]) -> None:
        self._url = url
        self._path = sqlite_path(url)
        self._expected_revision = expected_revision
        self._engine: Engine | None = None
        # Each touched only on its own thread.
        self._versions = _OwnConnection(self._path, "db-version")
        self._data_version: tuple[int, int] | None = None  # and which connection said it
        self._current = NO_VERSION
        self._checks = _OwnConnection(self._path, "db-ready")
        self._checked: tuple[tuple[object, ...], Readiness] | None = None
        # Touched only on the event loop: the check under way, and the last answer with when it was asked.
        self._inflight: asyncio.Future[Version] | None = None
        self._known: tuple[float, Version] | None = None

    async def content_version(self) -> Version:
        """The content version as of at most VERSION_FRESH_SECONDS ago."""
        loop = asyncio.get_running_loop()
        if self._known is not None and loop.time() - self._known[0] < VERSION_FRESH_SECONDS:
            return self._known[1]
        if self._inflight is None:
            asked_at = loop.time()
            inflight = asyncio.wrap_future(self._versions.executor.submit(self.read_version))
            self._inflight = inflight

            def settle(done: asyncio.Future[Version]) -> None:
                if self._inflight is inflight:
                    self._inflight = None
                if not done.cancelled() and done.exception() is None:
                    self._known = (asked_at, done.result())

            inflight.add_done_callback(settle)
        return await asyncio.shield(self._inflight)

    async def readiness(self) -> Readiness:
        return await asyncio.wrap_future(self._checks.executor.submit(self.check_readiness))

    def readiness_now(self) -> Readiness:
        """For a caller without an event loop (`serve`'s start-up check)."""
        return self._checks.executor.submit(self.check_readiness).result()

    # Below: each runs on its own thread only (or is called directly before the server starts).

    def read_version(self) -> Version:
        if self._path is None:
            with self._other_engine().connect() as connection:
                latest = connection.execute(text(_LATEST)).first()
                return _version(latest, connection.execute(text(_REFERENCE)).scalar())
        try:
            versions = self._versions.connection()
            data_version = versions.execute("PRAGMA data_version").fetchone()[0]
            if (data_version, self._versions.opened) != self._data_version:
                latest = versions.execute(_LATEST).fetchone()
                self._current = _version(latest, versions.execute(_REFERENCE).fetchone()[0])
                self._data_version = (data_version, self._versions.opened)
        except sqlite3.Error:
            # Not migrated yet, damaged, or the file moved: answer "no version" and try afresh next time.
            self._versions.close_connection()
            self._data_version = None
            return NO_VERSION
        return self._current

    def check_readiness(self) -> Readiness:
        """At the expected migration, and (SQLite) passing `quick_check`: run again only when the file changed."""
        expected = self._expected_revision()
        if self._path is None:
            try:
                with self._other_engine().connect() as connection:
                    current = connection.execute(text(_REVISION)).scalar()
            except Exception as exc:
                return Readiness(False, None, f"The database cannot be reached ({type(exc).__name__}).")
            return _at_revision(current, expected)
        if not self._path.exists():
            return Readiness(False, None, f"The database file {self._path} does not exist: {REBUILD}.")
        fingerprint = _fingerprint(self._path)
        if self._checked is not None and self._checked[0] == fingerprint:
            return self._checked[1]
        try:
            checks = self._checks.connection()
            try:
                current = checks.execute(_REVISION).fetchone()
            except sqlite3.OperationalError:
                current = None
            verdict = _at_revision(current[0] if current else None, expected)
            if verdict.ready:
                problems = [row[0] for row in checks.execute("PRAGMA quick_check(5)").fetchall()]
                if problems != ["ok"]:
                    first = " ".join(problems[0].split())[:160]
                    problem = f"The database file {self._path} is damaged ({first}): {REBUILD}."
                    verdict = Readiness(False, verdict.revision, problem)
        except sqlite3.DatabaseError as exc:
            self._checks.close_connection()
            verdict = Readiness(False, None, f"The database file {self._path} cannot be read ({exc}): {REBUILD}.")
        self._checked = (fingerprint, verdict)
        return verdict

    def _other_engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self._url, poolclass=NullPool)
        return self._engine

    def close(self) -> None:
        self._versions.close()
        self._checks.close()
        if self._engine is not None:
            self._engine.dispose()


class _OwnConnection:
    """One thread and the read-only connection it alone uses."""

    def __init__(self, path: Path | None, name: str) -> None:
        self.path = path
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._connection: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self.opened = 0
        self._closed = False

    def connection(self) -> sqlite3.Connection:
        """The connection, reopened when another file was moved into place (a deploy's `mv new.db conditions.db`)."""
        assert self.path is not None
        identity = file_identity(self.path)
        if self._connection is not None and identity != self._identity:
            self.close_connection()
        if self._connection is None:
            self._connection = connect_read_only(self.path)
            self._identity = identity
            self.opened += 1  # data_version is per connection: a new one must be asked afresh
        return self._connection

    def close_connection(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.executor.submit(self.close_connection).result(timeout=5)
            self.executor.shutdown(wait=True)


def _at_revision(current: str | None, expected: str | None) -> Readiness:
    if current is None:
        return Readiness(False, None, f"The database has no schema: {REBUILD}.")
    if current != expected:
        return Readiness(
            False,
            current,
            f"The database is at migration {current}, expected {expected}: run `conditions-api migrate`.",
        )
    return Readiness(True, current)
