"""Cursors as plain positions. Every value their pattern allows is a valid position, so the pattern in the
OpenAPI document is the whole rule: a client (or a fuzzer) that follows the document is never refused.

- Lists ordered by slug continue after a slug: the cursor is that slug (any such string is a position).
- Ranked search results continue at an offset.
- The change feed continues after a sequence number.
Clients should still treat cursors as opaque: only `next_cursor` values are promised to mean anything.
How positions are written and read is `app.representation.cursors`; this module is their HTTP parameters."""

from typing import Annotated

from fastapi import Query

from app.core.errors import explain_pattern


def _not_ours(_value: str) -> str:
    return "is not a cursor this API issued; use the `next_cursor` of a previous page"


SLUG_CURSOR_PATTERN = explain_pattern(r"^[a-z0-9-]{1,120}$", _not_ours)  # a slug's alphabet and length
OFFSET_CURSOR_PATTERN = explain_pattern(r"^[0-9]{1,9}$", _not_ours)
SEQ_CURSOR_PATTERN = explain_pattern(r"^[0-9]{1,18}$", _not_ours)  # within SQLite's 64-bit integers

SlugCursorQuery = Annotated[
    str | None,
    Query(pattern=SLUG_CURSOR_PATTERN, description="The `next_cursor` of the previous page; omit for the first page."),
]
OffsetCursorQuery = Annotated[
    str | None,
    Query(pattern=OFFSET_CURSOR_PATTERN, description="The `next_cursor` of the previous page; omit for the first."),
]
SeqCursorQuery = Annotated[
    str | None,
    Query(
        pattern=SEQ_CURSOR_PATTERN,
        description="The `next_cursor` of the last call, or the export's `cursor`; omit for everything.",
    ),
]
