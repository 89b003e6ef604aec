"""Statements over many rows: one INSERT for all of them, and lists of ids bound in chunks."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table, insert
from sqlmodel import Session, SQLModel

# SQLite binds at most 32,766 parameters in one statement: lists of ids are bound in chunks well below that.
CHUNK = 10_000
ItemT = TypeVar("ItemT")


def chunks(items: Sequence[ItemT], size: int = CHUNK) -> Iterator[Sequence[ItemT]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """A Core INSERT of many rows: the ORM's bulk insert spends ~5 µs a row in Python on top of SQLite's ~3 µs."""
    if rows:
        session.execute(insert(cast(Table, model.__table__)), rows)  # type: ignore[attr-defined]
