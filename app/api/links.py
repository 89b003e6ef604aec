"""The RFC 8288 `Link: <...>; rel="next"` header for paginated lists."""

from fastapi import Request, Response

from app.representation.cursors import slug_cursor


def next_cursor(slugs: list[str], *, limit: int) -> str | None:
    """A cursor after the last slug when the page is full (there may be more), else None."""
    return slug_cursor(slugs[-1]) if len(slugs) == limit else None


def next_link(request: Request, cursor: str | None) -> dict[str, str]:
    """The Link header to the next page, if there is one."""
    if cursor is None:
        return {}
    # Relative: an absolute URL would carry the request's Host header into cached responses.
    url = request.url.include_query_params(cursor=cursor)
    return {"Link": f'<{url.path}?{url.query}>; rel="next"'}


def set_next_link(request: Request, response: Response, cursor: str | None) -> None:
    response.headers.update(next_link(request, cursor))
