"""`/v1/changes` and `/v1/export`: what an offline client needs to hold the whole library and keep it fresh."""

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from app.api import presenters
from app.api.deps import SessionDep
from app.api.export import export_library
from app.api.http_cache import negotiated
from app.models.public import ChangeEntry, ChangePage, Export
from app.queries import changes
from app.queries.pagination import MAX_LIMIT, decode_seq, encode_seq

router = APIRouter(tags=["sync"])
NDJSON = "application/x-ndjson"


@router.get("/changes", response_model=ChangePage)
def list_changes(
    session: SessionDep,
    since: Annotated[
        str | None,
        Query(description="The `next_cursor` of the last call, or the export's `cursor`; omit for everything."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many changes.")] = MAX_LIMIT,
) -> ChangePage:
    """List what was created, updated or deleted since a cursor, in order (deletions are tombstones)."""
    seq = decode_seq(since)
    rows = changes.after(session, seq=seq, limit=limit)
    last = rows[-1].seq if rows and rows[-1].seq is not None else seq
    return ChangePage(
        items=[
            ChangeEntry(
                type=row.kind,
                slug=row.slug,
                action=row.action,
                href=presenters.entry_href(row.kind, row.slug) if row.action == "upsert" else None,
                changed_at=row.changed_at,
            )
            for row in rows
        ],
        next_cursor=encode_seq(last),
        has_more=len(rows) == limit,
    )


def _ndjson(export: Export) -> Iterator[bytes]:
    yield json.dumps({"type": "cursor", "cursor": export.cursor}).encode() + b"\n"
    for kind, items in (
        ("condition", export.conditions),
        ("symptom", export.symptoms),
        ("cause", export.causes),
        ("treatment", export.treatments),
    ):
        for item in items:
            yield json.dumps({"type": kind, "data": item.model_dump(mode="json")}, ensure_ascii=False).encode() + b"\n"


@router.get(
    "/export",
    response_model=Export,
    responses={200: {"content": {NDJSON: {"schema": {"type": "string"}}}, "description": "The library."}},
)
def export(request: Request, session: SessionDep) -> Export | StreamingResponse:
    """Export the whole library with the cursor to continue from (`Accept: application/x-ndjson` streams lines)."""
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("BEGIN")  # a read transaction: one snapshot for every query
    document = export_library(session)
    if negotiated(request.headers.get("accept", "")) == NDJSON:
        return StreamingResponse(_ndjson(document), media_type=NDJSON)
    return document
