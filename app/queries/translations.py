"""Reading translations (`entry_translation`): the documents of one language for the entries a response shows."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import EntryTranslation

Key = tuple[str, str]  # (kind, slug)
BATCH = 2_000  # slugs bound per query, well under SQLite's limit on bound parameters


def documents(session: Session, language: str, keys: Iterable[Key]) -> dict[Key, dict[str, Any]]:
    """The translation into `language` of each entry of `keys` that has one, in one query per kind and batch."""
    by_kind: dict[str, set[str]] = {}
    for kind, slug in keys:
        by_kind.setdefault(kind, set()).add(slug)
    found: dict[Key, dict[str, Any]] = {}
    for kind, slugs in by_kind.items():
        ordered = sorted(slugs)
        for start in range(0, len(ordered), BATCH):
            batch = ordered[start : start + BATCH]
            statement = select(col(EntryTranslation.slug), col(EntryTranslation.document)).where(
                col(EntryTranslation.language) == language,
                col(EntryTranslation.kind) == kind,
                col(EntryTranslation.slug).in_(batch),
            )
            found.update({(kind, slug): document for slug, document in session.exec(statement)})
    return found


def counts(session: Session) -> dict[tuple[str, str], int]:
    """How many entries of each kind are translated into each language, as {(language, kind): count}."""
    statement = select(col(EntryTranslation.language), col(EntryTranslation.kind), func.count()).group_by(
        col(EntryTranslation.language), col(EntryTranslation.kind)
    )
    return {(language, kind): count for language, kind, count in session.exec(statement)}
