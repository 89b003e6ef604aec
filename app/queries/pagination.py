"""Opaque keyset cursors: a page continues after the last slug seen, so pages stay stable under inserts."""

import base64
import binascii
import json

from app.core.errors import InvalidParam, InvalidParameters

MAX_LIMIT = 100
MAX_POSITION = 2**31
DEFAULT_LIMIT = 20
MAX_CURSOR_LENGTH = 200  # ours are a few dozen characters; anything longer is not one of ours


def _encode(payload: dict[str, str | int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(cursor: str, key: str, kind: type, parameter: str = "cursor") -> object:
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError(len(cursor))
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise TypeError(value)
        if isinstance(value, int) and not 0 <= value <= MAX_POSITION:
            raise ValueError(value)  # beyond what SQLite can bind, or negative: not one of ours
        if isinstance(value, str):
            value.encode("utf-8")  # lone surrogates cannot reach the database
    except (ValueError, TypeError, KeyError, IndexError, binascii.Error, UnicodeError, RecursionError) as exc:
        reason = "is not a cursor this API issued; use the `next_cursor` of a previous page"
        raise InvalidParameters(
            f"Query parameter '{parameter}': {reason}.",
            errors=[InvalidParam(name=parameter, location="query", reason=reason)],
        ) from exc
    return value


def encode_cursor(after_slug: str) -> str:
    """A cursor for lists ordered by slug: the page continues after this slug."""
    return _encode({"after": after_slug})


def decode_cursor(cursor: str | None) -> str | None:
    return None if cursor is None else str(_decode(cursor, "after", str))


def encode_offset(offset: int) -> str:
    """A cursor for ranked results (search), whose order has no natural key."""
    return _encode({"offset": offset})


def decode_offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    offset = _decode(cursor, "offset", int)
    assert isinstance(offset, int)
    return offset


def encode_seq(seq: int) -> str:
    """A change-feed cursor: the position after the change with this sequence number."""
    return _encode({"seq": seq})


def decode_seq(cursor: str | None) -> int:
    if cursor is None:
        return 0
    seq = _decode(cursor, "seq", int, parameter="since")
    assert isinstance(seq, int)
    return seq
