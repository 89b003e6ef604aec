"""The content version (the change log's highest seq, and when it was written), read cheaply per request.

With SQLite, a dedicated read-only connection asks `PRAGMA data_version`, which changes only when another
connection commits; the change log is re-read only then. Other databases are asked each time.
"""

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, text

from app.core.db import sqlite_path

_LATEST = "SELECT seq, changed_at FROM change ORDER BY seq DESC LIMIT 1"
# Reloading the code table or rebuilding the search index changes answers without changing entries.
_REFERENCE = "SELECT group_concat(name || '=' || version, ';') FROM (SELECT * FROM reference_data ORDER BY name)"


@dataclass(frozen=True)
class Version:
    seq: int
    changed_at: datetime | None
    reference: str = ""


def _version(row: tuple[object, object] | None, reference: object) -> Version:
    if row is None:
        return Version(0, None, str(reference or ""))
    seq, changed_at = row
    moment = changed_at if isinstance(changed_at, datetime) else datetime.fromisoformat(str(changed_at))
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return Version(int(str(seq)), moment, str(reference or ""))


class ContentVersion:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._path = sqlite_path(str(engine.url))
        self._connection: sqlite3.Connection | None = None
        self._data_version: int | None = None
        self._current = Version(0, None)

    def current(self) -> Version:
        if self._path is None:
            with self._engine.connect() as connection:
                latest = connection.execute(text(_LATEST)).first()
                return _version(latest, connection.execute(text(_REFERENCE)).scalar())
        try:
            if self._connection is None:
                self._connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            data_version = self._connection.execute("PRAGMA data_version").fetchone()[0]
            if data_version != self._data_version:
                latest = self._connection.execute(_LATEST).fetchone()
                self._current = _version(latest, self._connection.execute(_REFERENCE).fetchone()[0])
                self._data_version = data_version
        except sqlite3.Error:
            # Not migrated yet, or the file moved: answer "no version" and try afresh next time.
            self.close()
            return Version(0, None)
        return self._current

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._data_version = None, None
