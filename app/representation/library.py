"""Per-entry representations for the change log: an entry has changed exactly when what a client sees of it has
changed, so the log compares hashes of what the API shows."""

import hashlib
import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.models import Condition
from app.models.base import EntryType
from app.queries import condition_rows, conditions, vocabulary
from app.representation import presenters

Key = tuple[str, str]  # (kind, slug)
BATCH = 2_000  # entries loaded at a time: bounded memory, and well under SQLite's limit on bound parameters
_TERMS: tuple[tuple[vocabulary.Vocabulary, Callable[..., BaseModel]], ...] = (
    (vocabulary.SYMPTOMS, presenters.symptom_detail),
    (vocabulary.CAUSES, presenters.cause_detail),
    (vocabulary.TREATMENTS, presenters.treatment_detail),
)


def _batches(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def digest(record: BaseModel) -> str:
    """A hash of an entry's representation, without `updated_at` (which the seed sets from these hashes)."""
    data = record.model_dump(mode="json", exclude={"updated_at"})
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def entry_records(
    session: Session, only: Mapping[str, Collection[str]] | None = None
) -> Iterator[tuple[Key, BaseModel]]:
    """Every entry's public record, or (with `only`) of each kind those with the given slugs; in batches, in a
    fixed number of queries per batch."""
    condition_ids = _ids(session, Condition, None if only is None else only.get(EntryType.condition, ()))
    for batch in _batches(condition_ids):
        caused = conditions.can_lead_to_by_condition(session, ids=list(batch))
        for condition in condition_rows.with_links(session, ids=batch):
            detail = presenters.condition_detail(condition, can_lead_to=caused.get(condition.id or 0, []))
            yield (EntryType.condition.value, condition.slug), detail
    for vocab, build in _TERMS:
        wanted = None if only is None else set(only.get(vocab.name, ()))
        terms = [term for term in vocabulary.all_terms(session, vocab) if wanted is None or term.slug in wanted]
        for batch in _batches(terms):
            uses = vocabulary.uses_by_term(session, vocab, term_ids=[term.id for term in batch if term.id])
            for term in batch:
                record = build(term, conditions=presenters.condition_uses(uses.get(term.id or 0, [])))
                yield (vocab.name, term.slug), record


def entry_digests(session: Session, only: Mapping[str, Collection[str]] | None = None) -> dict[Key, str]:
    """`digest` of each entry `entry_records` gives."""
    return {key: digest(record) for key, record in entry_records(session, only)}


def _ids(session: Session, table: type[Condition], slugs: Collection[str] | None) -> list[int]:
    statement = select(col(table.id), col(table.slug)).order_by(col(table.slug))
    if slugs is None:
        return [id for id, _ in session.exec(statement) if id is not None]
    wanted = set(slugs)
    return [id for id, slug in session.exec(statement) if id is not None and slug in wanted]
