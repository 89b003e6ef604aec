"""Per-entry representations for the change log: an entry has changed exactly when what a client sees of it has
changed, so the log compares hashes of what the API shows."""

import hashlib
import json
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from app.core.locales import Negotiated, translated_languages
from app.models import Condition
from app.models.base import EntryType
from app.queries import condition_rows, conditions, translations, vocabulary
from app.queries.vocabulary import Use
from app.representation import presenters
from app.representation.localize import localize_entry, words_for

Key = tuple[str, str]  # (kind, slug)
BATCH = 2_000  # entries loaded at a time: bounded memory, and well under SQLite's limit on bound parameters
_TERMS: tuple[tuple[vocabulary.Vocabulary, Callable[..., BaseModel]], ...] = (
    (vocabulary.SYMPTOMS, presenters.symptom_detail),
    (vocabulary.CAUSES, presenters.cause_detail),
    (vocabulary.TREATMENTS, presenters.treatment_detail),
)


def _batches(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def digest(record: BaseModel) -> str:
    """A hash of an entry's representation, without `updated_at` (which the seed sets from these hashes)."""
    data = record.model_dump(mode="json", exclude={"updated_at"})
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


Entry = tuple[Key, BaseModel, Sequence[Use] | None]  # a term's uses: the conditions listing it; None for a condition


def entry_batches(
    session: Session, only: Mapping[str, Collection[str]] | None = None, *, size: int = BATCH
) -> Iterator[list[Entry]]:
    """Every entry's public record in English, or (with `only`) of each kind those with the given slugs; `size`
    at a time, in a fixed number of queries per batch. A term comes with its uses, which its translation needs."""
    condition_ids = _ids(session, Condition, None if only is None else only.get(EntryType.condition, ()))
    for batch in _batches(condition_ids, size):
        caused = conditions.can_lead_to_by_condition(session, ids=list(batch))
        yield [
            (
                (EntryType.condition.value, condition.slug),
                presenters.condition_detail(condition, can_lead_to=caused.get(condition.id or 0, [])),
                None,
            )
            for condition in condition_rows.with_links(session, ids=batch)
        ]
    for vocab, build in _TERMS:
        wanted = None if only is None else set(only.get(vocab.name, ()))
        terms = [term for term in vocabulary.all_terms(session, vocab) if wanted is None or term.slug in wanted]
        for batch in _batches(terms, size):
            uses = vocabulary.uses_by_term(session, vocab, term_ids=[term.id for term in batch if term.id])
            found: list[Entry] = []
            for term in batch:
                used = uses.get(term.id or 0, [])
                found.append(((vocab.name, term.slug), build(term, conditions=presenters.condition_uses(used)), used))
            yield found


def entry_records(
    session: Session, only: Mapping[str, Collection[str]] | None = None
) -> Iterator[tuple[Key, BaseModel]]:
    """Every entry's public record in English (see `entry_batches`)."""
    for batch in entry_batches(session, only):
        for key, record, _ in batch:
            yield key, record


def localized(session: Session, language: str, batch: Sequence[Entry]) -> list[tuple[Key, BaseModel]]:
    """The batch's records in `language` (an entry without a translation says so), its translations loaded at once."""
    asked = Negotiated(language)
    words = words_for(session, language, [record for _, record, _ in batch])
    return [(key, localize_entry(record, uses, words, asked)) for key, record, uses in batch]


def entry_digests(session: Session, only: Mapping[str, Collection[str]] | None = None) -> dict[Key, str]:
    """A hash of each entry's representation in every offered language (see `entry_batches`): editing only a
    translation changes the entry (and any entry showing its translated name), as a reader of that language sees.

    An entry without a translation is given wholly in English (app/representation/localize.py), so its other
    languages' representations follow from its English one and are not built: a library of 100,000 English
    entries costs no more to compare than before languages were offered."""
    languages = translated_languages()
    found: dict[Key, str] = {}
    for batch in entry_batches(session, only):
        parts = {key: [digest(record)] for key, record, _ in batch}
        for language in languages:
            own = translations.documents(session, language, parts)
            translated = [entry for entry in batch if entry[0] in own]
            done = dict(localized(session, language, translated)) if translated else {}
            for key, hashes in parts.items():
                hashes.append(f"{language}:{digest(done[key])}" if key in done else f"{language}:-")
        for key, hashes in parts.items():
            # With no translated language, the English hash alone, as before languages were offered.
            found[key] = hashes[0] if len(hashes) == 1 else hashlib.sha256(" ".join(hashes).encode()).hexdigest()
    return found


def _ids(session: Session, table: type[Condition], slugs: Collection[str] | None) -> list[int]:
    statement = select(col(table.id), col(table.slug)).order_by(col(table.slug))
    if slugs is None:
        return [id for id, _ in session.exec(statement) if id is not None]
    wanted = set(slugs)
    return [id for id, slug in session.exec(statement) if id is not None and slug in wanted]
