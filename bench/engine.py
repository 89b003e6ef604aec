"""The engine ceiling of `make bench-search`: the same queries through the query functions alone, in this
process, one thread, no HTTP, so the table shows what the framework costs around the engine.

One small function per endpoint makes exactly the calls its route makes (not the response models): when the
query layer's signatures change, adapt these three and nothing else. Each call gets a fresh session on one
read-only connection whose read transaction is ended afterwards, as the server's read pool does per request
(app/core/read_pool.py).
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from app.core.db import connect_read_only
from app.queries import match, search
from app.queries.references import UnknownReferences

Item = TypeVar("Item")


def search_once(session: Session, query: str) -> object:
    """What GET /v1/search?q=…&limit=10 asks of the engine."""
    return search.search(session, query, kinds=[], limit=10, offset=0)


def suggest_once(session: Session, prefix: str) -> object:
    """What GET /v1/search/suggest?q=… asks (limit 8 is the route's default)."""
    return search.suggest(session, prefix, limit=8)


def match_once(session: Session, symptoms: tuple[str, ...]) -> object:
    """What GET /v1/conditions/match?symptom=… asks: match_result in app/api/routes/conditions.py."""
    resolved = match.resolve_symptoms(session, list(symptoms))
    ids = [r.symptom.id for r in resolved if r.symptom.id is not None]
    return match.red_flags(session, ids), match.rank_conditions(session, ids, limit=10)


@dataclass(frozen=True)
class Ceiling:
    rate: float  # queries a second
    queries: int
    unknown: int  # match values that named no symptom (the server answers those 404)


def ceiling(path: Path, call: Callable[[Session, Item], object], items: Sequence[Item], seconds: float) -> Ceiling:
    """Run `call` over `items` in order until they run out or `seconds` pass."""
    engine = create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=NullPool)
    done = unknown = 0
    with engine.connect() as connection:

        def once(item: Item) -> bool:
            """Whether the call answered (match refuses values that name no symptom)."""
            try:
                with Session(bind=connection) as session:
                    call(session, item)
                return True
            except UnknownReferences:
                return False
            finally:
                connection.rollback()  # end the read snapshot, as the read pool does after each request

        once(items[-1])  # open the file and load what the engine loads once, outside the clock
        started = time.perf_counter()
        deadline = started + seconds
        for item in items:
            unknown += not once(item)
            done += 1
            if time.perf_counter() > deadline:
                break
        elapsed = time.perf_counter() - started
    engine.dispose()
    return Ceiling(done / elapsed, done, unknown)
