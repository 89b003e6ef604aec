"""Cursors as plain positions (the export's `cursor` and every `next_cursor`): the slug a list continues
after, a search offset, a change-log sequence number. `app.api.cursors` declares the patterns that admit them."""


def slug_cursor(after_slug: str) -> str:
    return after_slug


def offset_cursor(offset: int) -> str:
    return str(offset)


def seq_cursor(seq: int) -> str:
    return str(seq)


def offset_of(cursor: str | None) -> int:
    return 0 if cursor is None else int(cursor)


def seq_of(cursor: str | None) -> int:
    return 0 if cursor is None else int(cursor)
