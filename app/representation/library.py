"""The whole library as the API shows it: the export document, and per-entry representations for the change
log (an entry has changed exactly when what a client sees of it has changed)."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from app.models.base import EntryType
from app.models.public import Export
from app.queries import changes, conditions, vocabulary
from app.representation import presenters
from app.representation.cursors import seq_cursor


def export_library(session: Session) -> Export:
    """Every condition and term, in a fixed number of queries (bulk loads, no query per entry)."""
    caused = conditions.can_lead_to_by_condition(session)
    details = [
        presenters.condition_detail(c, can_lead_to=caused.get(c.id or 0, [])) for c in conditions.with_links(session)
    ]
    terms: dict[str, list[Any]] = {}
    builders: tuple[tuple[vocabulary.Vocabulary, Callable[..., Any]], ...] = (
        (vocabulary.SYMPTOMS, presenters.symptom_detail),
        (vocabulary.CAUSES, presenters.cause_detail),
        (vocabulary.TREATMENTS, presenters.treatment_detail),
    )
    for vocab, build in builders:
        uses = vocabulary.uses_by_term(session, vocab)
        terms[vocab.name] = [
            build(t, conditions=presenters.condition_uses(uses.get(t.id or 0, [])))
            for t in vocabulary.all_terms(session, vocab)
        ]
    return Export(
        cursor=seq_cursor(changes.latest_seq(session)),
        conditions=details,
        symptoms=terms["symptom"],
        causes=terms["cause"],
        treatments=terms["treatment"],
    )


def entry_digests(export: Export) -> dict[tuple[str, str], str]:
    """A hash of each entry's representation, without `updated_at` (which the seed sets from these hashes)."""
    digests = {}
    for kind in EntryType:
        for item in getattr(export, kind.plural):
            data = item.model_dump(mode="json", exclude={"updated_at"})
            canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
            digests[(kind.value, item.slug)] = hashlib.sha256(canonical).hexdigest()
    return digests
