"""The keys a server accepts, held in memory: checking a key is one hash and one dict look-up.

The ring reloads when the keys file changes (looked at no more than once a second), so a key created or revoked
with the CLI takes effect on a running server within about a second, on every worker and replica that reads
the file. Last-used times are written back in batches, at most once a minute, off the request path.
"""

import asyncio
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from app.callers.keys import ApiKey, KeyStore, hash_key
from app.core.db import connect_read_only, sqlite_path

logger = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 1.0
RELOAD_EVERY_SECONDS = 10.0  # a keys database that is not a file cannot be watched: it is read this often
TOUCH_EVERY_SECONDS = 60.0

FileStamp = tuple[tuple[int, int, int] | None, ...]


def _stamp(path: Path) -> FileStamp:
    """What changes when the file is written: the file and its write-ahead log (WAL commits land there first)."""
    stamps: list[tuple[int, int, int] | None] = []
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            stat = os.stat(candidate)
            stamps.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


class KeyRing:
    def __init__(self, url: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self.clock = clock
        self._by_hash: dict[str, ApiKey] = {}
        self._stamp: FileStamp | None = None
        self._checked = float("-inf")
        self._loading: asyncio.Future[None] | None = None
        self._loaded_at = float("-inf")
        self._used: dict[str, datetime] = {}
        self._touched = clock()
        self._touch_failed = False

    async def find(self, key: str) -> ApiKey | None:
        """The stored key `key` is, if any (revoked and expired ones included: the caller words the refusal)."""
        await self._refresh()
        return self._by_hash.get(hash_key(key))

    def used(self, key: ApiKey) -> None:
        """Note a use of `key`; the times reach the file in a batch at most once a minute."""
        self._used[key.name] = datetime.now(UTC)
        if self.clock() - self._touched >= TOUCH_EVERY_SECONDS and not self._touch_failed:
            self._touched = self.clock()
            used, self._used = self._used, {}
            asyncio.get_running_loop().run_in_executor(None, self._touch, used)

    def close(self) -> None:
        """Write the last-used times not yet written (the server is stopping)."""
        if self._used and not self._touch_failed:
            used, self._used = self._used, {}
            self._touch(used)

    async def _refresh(self) -> None:
        now = self.clock()
        if self._stamp is not None and now - self._checked < CHECK_EVERY_SECONDS:
            return
        if self._loading is None:
            self._checked = now
            if not self._changed(now):
                return
            self._loading = asyncio.ensure_future(asyncio.to_thread(self._load))
            self._loading.add_done_callback(self._loaded)
        await asyncio.shield(self._loading)  # requests arriving meanwhile wait for the same read

    def _loaded(self, _task: "asyncio.Future[None]") -> None:
        self._loading = None

    def _changed(self, now: float) -> bool:
        if self._stamp is None:
            return True
        if self.path is None:
            return now - self._loaded_at >= RELOAD_EVERY_SECONDS
        return _stamp(self.path) != self._stamp

    def _load(self) -> None:
        stamp = _stamp(self.path) if self.path is not None else ()
        if self.path is not None and stamp[0] is None:
            keys: list[ApiKey] = []  # no keys file: no key is valid (`conditions-api keys create` makes it)
        else:
            try:
                keys = self._read()
            except (SQLAlchemyError, OSError) as exc:
                logger.error("cannot read the API keys in %s (%s): every key is refused", self.url, exc)
                keys = []
        self._by_hash = {key.key_hash: key for key in keys}
        self._stamp = stamp
        self._loaded_at = self.clock()

    def _read(self) -> list[ApiKey]:
        store = KeyStore(self.url, engine=self._reader())
        try:
            return store.all()
        finally:
            store.close()

    def _reader(self) -> Engine | None:
        """A read-only engine on the keys file: the server never creates it or changes its schema."""
        path = self.path
        if path is None:
            return None
        return create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=NullPool)

    def _touch(self, used: dict[str, datetime]) -> None:
        store = KeyStore(self.url)
        try:
            store.touch(used)
        except SQLAlchemyError as exc:
            self._touch_failed = True  # a read-only keys file: keys still work, their last use is not kept
            logger.warning("cannot record when API keys were last used (%s); not trying again", exc)
        finally:
            store.close()
