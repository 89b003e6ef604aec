"""API keys in their own SQLite file (`KEYS_DATABASE_URL`), apart from the content: `seed` never touches them,
and a content database replaced or rebuilt keeps every key.

A key is shown once, when it is created; the file keeps only its SHA-256. Keys are 256 random bits, so a
plain hash is enough (slow password hashes protect guessable secrets), and checking one costs a microsecond.
"""

import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Column, Connection, Date, DateTime, Engine, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.core.db import create_db_engine

KEY_PREFIX = "cak_"  # so a leaked key is recognisable (secret scanners, logs) as one of ours
KEYS_METADATA = MetaData()

api_key = Table(
    "api_key",
    KEYS_METADATA,
    Column("name", String(64), primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("rate", String(32), nullable=True),  # its own rate (`100/minute`); none: RATE_LIMIT_KEYED
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_on", Date, nullable=True),  # valid through this day (UTC)
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)


class KeyStoreError(Exception):
    """A key operation that cannot be done (a name taken or unknown); the message says why."""


@dataclass(frozen=True)
class ApiKey:
    name: str
    key_hash: str
    rate: str | None
    created_at: datetime
    expires_on: date | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def status(self, today: date) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_on is not None and today > self.expires_on:
            return "expired"
        return "active"

    def refusal(self, today: date) -> str | None:
        """Why this key may not be used today, or None when it may."""
        status = self.status(today)
        if status == "revoked":
            return f"the API key '{self.name}' was revoked"
        if status == "expired":
            return f"the API key '{self.name}' expired on {self.expires_on}"
        return None


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class KeyStore:
    """Creating, listing and revoking keys (the CLI), and reading them all (the server's key ring)."""

    def __init__(self, url: str, *, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or create_db_engine(url)

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.engine.begin() as connection:
            yield connection

    def create(self, name: str, *, rate: str | None, expires_on: date | None) -> str:
        """Store a new key under `name`; returns the key itself (the only time it is known)."""
        key = new_key()
        row = {
            "name": name,
            "key_hash": hash_key(key),
            "rate": rate,
            "created_at": datetime.now(UTC),
            "expires_on": expires_on,
        }
        try:
            with self._transaction() as connection:
                connection.execute(insert(api_key).values(**row))
        except IntegrityError:
            raise KeyStoreError(f"a key named '{name}' already exists (names stay taken after a revoke)") from None
        return key

    def revoke(self, name: str) -> None:
        with self._transaction() as connection:
            done = connection.execute(
                update(api_key).where(api_key.c.name == name, api_key.c.revoked_at.is_(None)),
                {"revoked_at": datetime.now(UTC)},
            )
            if done.rowcount == 0:
                exists = connection.execute(select(api_key.c.name).where(api_key.c.name == name)).first()
                raise KeyStoreError(f"the key '{name}' is already revoked" if exists else f"no key is named '{name}'")

    def all(self) -> list[ApiKey]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(api_key).order_by(api_key.c.name)).mappings().all()
        return [
            ApiKey(
                name=row["name"],
                key_hash=row["key_hash"],
                rate=row["rate"],
                created_at=_utc(row["created_at"]),
                expires_on=row["expires_on"],
                revoked_at=_utc(row["revoked_at"]) if row["revoked_at"] else None,
                last_used_at=_utc(row["last_used_at"]) if row["last_used_at"] else None,
            )
            for row in rows
        ]

    def touch(self, used: dict[str, datetime]) -> None:
        """Record when each named key was last used (the server batches these)."""
        with self._transaction() as connection:
            for name, when in used.items():
                connection.execute(update(api_key).where(api_key.c.name == name), {"last_used_at": when})

    def close(self) -> None:
        self.engine.dispose()


def _utc(value: datetime) -> datetime:
    """SQLite hands datetimes back without their zone; they were written in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
