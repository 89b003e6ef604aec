"""How the project opens its database: a writer engine for migrations and the seed, read-only connections for
the server.

The writer turns on WAL (readers proceed while the seed writes; the setting is kept in the file), a busy
timeout (a writer waits instead of failing) and foreign keys (off by default in SQLite). The server never
writes: its connections are opened `mode=ro`, so they cannot change the file and need no write access. A file
that cannot be written at all (a replica's baked image, a read-only volume) is opened `immutable=1`: SQLite
then takes no locks and keeps no `-shm` file, which it could not create there.
"""

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

BUSY_TIMEOUT_MS = 5_000


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for in-memory and other databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def create_db_engine(url: str) -> Engine:
    """The writer's engine (migrations, seed, tests that change content)."""
    if not is_sqlite(url):
        return create_engine(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    return engine


def is_unwritable(path: Path) -> bool:
    """Whether nothing may write the file or beside it: a read-only mount, or no write permission."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return True
    except OSError:
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def read_only_uri(path: Path) -> str:
    """The URI a server connection opens: read-only, and immutable when the file cannot be written."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return uri + "&immutable=1" if is_unwritable(path) else uri


def file_identity(path: Path) -> tuple[int, int] | None:
    """The file now at `path` (device, inode): it changes when a new database is moved into place, which open
    connections do not see (they keep reading the old file)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that belongs to the calling thread (sqlite3's `check_same_thread` stays on).

    `mode=ro` refuses a missing file instead of creating an empty one.
    """
    connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection
