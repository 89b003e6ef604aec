"""A condition detail costs a fixed number of SQL statements, however many links the condition has."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event

from app.core.config import Settings
from app.main import create_app
from tests.conftest import build_database, sqlite_url
from tests.factories import write_condition

pytestmark = pytest.mark.anyio

DETAIL_STATEMENTS = 9  # the condition; one per relationship (aliases, 3 link kinds, FAQs, codes, related); can_lead_to


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_detail_statements_do_not_grow_with_links(content_copy: Path, tmp_path: Path) -> None:
    symptoms = ("low-back-pain", "pain", "swelling", "inflammation", "muscle-strain", "skin-redness")
    write_condition(content_copy, "few", symptoms=("pain",), treatments=("rest",))
    write_condition(
        content_copy,
        "many",
        symptoms=symptoms,
        treatments=("rest", "massage", "nsaids", "heat-therapy"),
        causes=("dehydration", "herniated-disc"),
        aliases=("Many links", "Lots of links"),
        related=("few", "lumbar-muscle-spasm"),
    )
    build_database(tmp_path / "count.db", content_copy)
    app = create_app(Settings(database_url=sqlite_url(tmp_path / "count.db")))
    counts = {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for slug in ("few", "many", "lumbar-muscle-spasm"):
            with counting(app.state.read_pool.engine) as statements:
                response = await client.get(f"/v1/conditions/{slug}")
            assert response.status_code == 200
            counts[slug] = len(statements)
    app.state.close()
    assert counts == {"few": DETAIL_STATEMENTS, "many": DETAIL_STATEMENTS, "lumbar-muscle-spasm": DETAIL_STATEMENTS}


async def test_list_statements_do_not_grow_with_page_size(client: httpx.AsyncClient, app: Any) -> None:
    with counting(app.state.read_pool.engine) as statements:
        response = await client.get("/v1/conditions?symptom=pain&cause=dehydration&limit=100")
    assert response.status_code == 200
    assert len(statements) == 4  # resolve symptom slugs, resolve cause slugs, count, page
