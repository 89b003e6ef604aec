"""Opaque keyset cursors: a page continues after the last slug seen, so pages stay stable under inserts."""

import base64
import binascii
import json

from app.core.errors import InvalidParam, InvalidParameters

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def encode_cursor(after_slug: str) -> str:
    payload = json.dumps({"after": after_slug}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = payload["after"]
        if not isinstance(after, str):
            raise TypeError(after)
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeEncodeError) as exc:
        reason = "is not a cursor this API issued; use the `next_cursor` of a previous page"
        raise InvalidParameters(
            f"query parameter 'cursor': {reason}.",
            errors=[InvalidParam(name="cursor", location="query", reason=reason)],
        ) from exc
    return after
