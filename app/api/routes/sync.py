"""`/v1/changes` and `/v1/export`: what an offline client needs to hold the whole library and keep it fresh."""

import logging
import os
import re
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from sqlmodel import Session
from starlette.types import Message, Receive, Scope, Send

from app.api.content_language import answered_in
from app.api.cursors import SeqCursorQuery
from app.api.deps import DatabaseDep
from app.api.export_files import NDJSON, ExportFailed, ExportFiles
from app.api.http_cache import etag_matches, validators
from app.api.languages import LanguageDep
from app.api.negotiation import choose_encoding, negotiated
from app.core.errors import PROBLEM_MEDIA_TYPE, CursorNotInLog, DatabaseUnavailable, Problem, problem_response
from app.core.locales import DEFAULT_LANGUAGE
from app.core.monitor import DatabaseMonitor
from app.models.public import ChangeEntry, ChangePage, Export
from app.queries import changes
from app.queries.pagination import MAX_LIMIT
from app.representation import presenters
from app.representation.cursors import seq_cursor, seq_of

router = APIRouter(tags=["sync"])
logger = logging.getLogger(__name__)


@router.get(
    "/changes",
    response_model=ChangePage,
    responses={
        409: {
            "model": Problem,
            "description": "The cursor is beyond this server's change log (`cursor-not-in-log`): export again",
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
    },
)
async def list_changes(
    request: Request,
    db: DatabaseDep,
    language: LanguageDep,
    since: SeqCursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many changes.")] = MAX_LIMIT,
) -> ChangePage:
    """List what was created, updated or deleted since a cursor, in order (deletions are tombstones).

    One log serves every language: an entry is logged when what a reader of any language sees of it changed (its
    translation included). Each `href` fetches the entry in the language negotiated here."""
    answered_in(request, language.language)
    return await db.run(change_page, seq_of(since), limit=limit, language=language.language)


def change_page(session: Session, seq: int, *, limit: int, language: str = DEFAULT_LANGUAGE) -> ChangePage:
    rows = changes.after(session, seq=seq, limit=limit)
    if not rows and seq > (latest := changes.latest_seq(session)):
        # A phone that kept following it would never see another change: say so, and how to recover.
        raise CursorNotInLog(
            f"The change log ends at {latest}; the cursor {seq} comes from another database. Fetch /v1/export "
            "again and follow /v1/changes from its `cursor`."
        )
    last = rows[-1].seq if rows and rows[-1].seq is not None else seq
    return ChangePage(
        items=[
            ChangeEntry(
                type=row.kind,
                slug=row.slug,
                action=row.action,
                # `lang=` keeps the language however the phone fetches it: following the feed keeps a library in
                # the export's language.
                href=presenters.in_language(presenters.entry_href(row.kind, row.slug), language)
                if row.action == "upsert"
                else None,
                changed_at=row.changed_at,
            )
            for row in rows
        ],
        next_cursor=seq_cursor(last),
        has_more=len(rows) == limit,
    )


@router.get(
    "/export",
    response_model=Export,
    responses={
        200: {"content": {NDJSON: {"schema": {"type": "string"}}}, "description": "The library."},
        206: {"description": "The part of the file asked for with `Range` (resume an interrupted download)."},
    },
)
async def export_library(request: Request, language: LanguageDep) -> Response:
    """Export the whole library with the cursor to continue from (`Accept: application/x-ndjson` streams lines).

    The file is built once per content version and language and served with a strong ETag and byte ranges. In a
    language (`lang`, `Accept-Language`) every record is as `GET` of its `href` in that language gives it; a
    language that is not offered gets the English file (`Content-Language: en`)."""
    monitor: DatabaseMonitor = request.app.state.monitor
    files: ExportFiles = request.app.state.export_files
    media = NDJSON if negotiated(request.headers.get("accept", "")) == NDJSON else "application/json"
    version = await monitor.content_version()
    encoding = choose_encoding(request.headers.get("accept-encoding", ""))
    try:
        found = await files.file_for(version, media, encoding, language.language)
    except ExportFailed as exc:
        logger.error("export build failed: %s", exc)
        raise DatabaseUnavailable("The export could not be built right now; retry later (see /ready).") from exc
    answered_in(request, language.language)
    headers = validators(request.app.state.settings, found.etag, version, request.url.path)
    if found.encoding != "identity":
        headers["content-encoding"] = found.encoding
    if etag_matches(request.headers.get("if-none-match", ""), found.etag):
        return Response(status_code=304, headers=headers)
    return ExportFileResponse(found.path, media_type=media, headers=headers)


BYTE_RANGES = re.compile(r"bytes=\s*(\d+-\d*|-\d+)(\s*,\s*(\d+-\d*|-\d+))*\s*")


def usable_range(header: str) -> bool:
    """A `Range` we act on: byte ranges whose starts do not pass their ends. RFC 9110 says to ignore any other
    (another unit, bad syntax) and send the whole file."""
    if not BYTE_RANGES.fullmatch(header):
        return False
    for part in header.split("=", 1)[1].split(","):
        start, _, end = part.strip().partition("-")
        if start and end and int(start) > int(end):
            return False
    return True


class ExportFileResponse(FileResponse):
    """Starlette's file response (Range included): validators are ours (the content's, not the file's), a
    `Range` we cannot use is ignored, and one past the end is a problem."""

    chunk_size = 1 << 20  # each chunk is a thread hop: 64 KiB chunks made 8 exports 7,500 hops each

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        self.headers.setdefault("content-length", str(stat_result.st_size))

    def _should_use_range(self, http_if_range: str) -> bool:
        """If-Range holds only for our strong ETag or our Last-Modified (a library with no change log has none)."""
        if http_if_range.startswith("W/"):
            return False
        return http_if_range in (self.headers.get("etag"), self.headers.get("last-modified"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ranges = [value for name, value in scope["headers"] if name == b"range"]
        if ranges and not usable_range(ranges[0].decode("latin-1")):
            scope = {**scope, "headers": [(name, value) for name, value in scope["headers"] if name != b"range"]}
        refused: list[Message] = []

        async def intercept(message: Message) -> None:
            if refused or (message["type"] == "http.response.start" and message["status"] in (400, 416)):
                refused.append(message)
            else:
                await send(message)

        await super().__call__(scope, receive, intercept)
        if refused:
            status = refused[0]["status"]
            size = self.stat_result.st_size if self.stat_result else os.stat(self.path).st_size
            detail = f"The Range cannot be served from the file's {size} bytes: ask for bytes=START-END within them."
            headers = {"content-range": f"bytes */{size}"} if status == 416 else None
            await problem_response(Request(scope), status=status, detail=detail, headers=headers)(scope, receive, send)
