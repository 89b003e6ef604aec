"""The change log: which entries' public representations a seed changed, created or removed.

A hash of every entry's representation is kept (`entry_state`); the log is the difference between those hashes
and the representations after the seed's writes. Rebuilding all of them costs more than parsing the library,
so a seed rebuilds only the entries its writes can reach, read from the database before and after them:

- a condition written (created or updated) or deleted: itself; the terms it lists (their pages list it); the
  conditions its causes are (their `can_lead_to` lists it);
- and when its name changed (or it appeared or went away), the entries that show its name: conditions that
  relate to it, causes that are it, and the conditions that list those causes;
- a term written: itself; when what condition pages show of it changed (`Ref` fields: name, kind, own page),
  the conditions that list it; a cause's own page before and after (their `can_lead_to`);
- a term deleted: itself (the conditions that listed it were rewritten, or the content would not validate).

An entry outside that reach cannot have changed; entries inside it are compared, so only those whose
representation really changed are logged. `rebuild` compares every entry instead: the reference the tests hold
the reach against, and what a seed does when the code that builds representations changed since the hashes
were made (`REPRESENTATION_VERSION`), since then any entry may look different.
"""

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Select, delete, literal, select, update
from sqlmodel import Session, col

from app.content.bulk import chunks, insert_rows
from app.content.writer import Applied, Plan
from app.models import (
    Cause,
    Change,
    Condition,
    ConditionCause,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    EntryState,
    ReferenceData,
    Symptom,
    Treatment,
)
from app.models import public as api
from app.models.base import EntryType
from app.queries import condition_rows
from app.queries import conditions as condition_queries
from app.queries import translations as translation_queries
from app.queries import vocabulary as vocabulary_queries
from app.representation import library as representation
from app.representation import localize, presenters
from app.representation.library import Key

NAME = "entry_state"  # its row in reference_data: the representation version the stored hashes were made by
_LINKS = (
    ("symptom", Symptom, ConditionSymptom, ConditionSymptom.symptom_id),
    ("cause", Cause, ConditionCause, ConditionCause.cause_id),
    ("treatment", Treatment, ConditionTreatment, ConditionTreatment.treatment_id),
)
# What other entries show of a condition (links to it) and of a term (its reference on condition pages); a cause's
# `condition` is its own page.
CONDITION_SHOWN = frozenset(api.Link.model_fields) - {"href"}
TERM_SHOWN = {
    # `hpo_exact` is read from the `hpo_match` column.
    "symptom": frozenset(api.SymptomRef.model_fields) - {"href", "hpo_exact"} | {"hpo_match"},
    "cause": frozenset(api.CauseRef.model_fields) - {"href"},
    "treatment": frozenset(api.TreatmentRef.model_fields) - {"href"},
}
_REPRESENTATION_MODULES = (
    representation,
    presenters,
    localize,
    api,
    condition_queries,
    condition_rows,
    translation_queries,
    vocabulary_queries,
)


@lru_cache(maxsize=1)
def representation_version() -> str:
    """A hash of the sources that build representations: when it changes, stored hashes may no longer match
    unchanged content, and the next seed compares every entry."""
    digest = hashlib.sha256()
    for module in _REPRESENTATION_MODULES:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Reach:
    """The entries a seed's writes can change, as (kind, slug)."""

    keys: set[Key] = field(default_factory=set)
    shown_before: dict[int, tuple[Any, ...]] = field(default_factory=dict)  # what links showed of rewritten conditions

    def add(self, kind: str, slugs: Iterable[str | None]) -> None:
        self.keys.update((kind, slug) for slug in slugs if slug is not None)

    def add_rows(self, statement: Select[tuple[str, str]], session: Session) -> None:
        self.keys.update((str(kind), str(slug)) for kind, slug in session.execute(statement))


def _linked_terms(condition_ids: Sequence[int]) -> list[Select[tuple[str, str]]]:
    """(kind, slug) of the terms the conditions list."""
    return [
        select(_kind(kind), col(table.slug))
        .join(link, col(term_id) == col(table.id))
        .where(col(link.condition_id).in_(ids))
        for kind, table, link, term_id in _LINKS
        for ids in chunks(condition_ids)
    ]


def _cause_pages(condition_ids: Sequence[int]) -> list[Select[tuple[str, str]]]:
    """The conditions that causes the conditions list are (their `can_lead_to` lists them)."""
    return [
        select(_kind("condition"), col(Condition.slug))
        .join(Cause, col(Cause.condition_id) == col(Condition.id))
        .join(ConditionCause, col(ConditionCause.cause_id) == col(Cause.id))
        .where(col(ConditionCause.condition_id).in_(ids))
        for ids in chunks(condition_ids)
    ]


def _showing_name(condition_ids: Sequence[int]) -> list[Select[tuple[str, str]]]:
    """Entries that show the conditions' names: conditions related to them, causes that are them, and the
    conditions that list those causes."""
    statements = []
    for ids in chunks(condition_ids):
        statements += [
            select(_kind("condition"), col(Condition.slug))
            .join(ConditionRelated, col(ConditionRelated.condition_id) == col(Condition.id))
            .where(col(ConditionRelated.related_id).in_(ids)),
            select(_kind("cause"), col(Cause.slug)).where(col(Cause.condition_id).in_(ids)),
            select(_kind("condition"), col(Condition.slug))
            .join(ConditionCause, col(ConditionCause.condition_id) == col(Condition.id))
            .join(Cause, col(Cause.id) == col(ConditionCause.cause_id))
            .where(col(Cause.condition_id).in_(ids)),
        ]
    return statements


def _listing(kind: str, term_slugs: Sequence[str]) -> list[Select[tuple[str, str]]]:
    """The conditions that list the terms."""
    _, table, link, term_id = next(entry for entry in _LINKS if entry[0] == kind)
    return [
        select(_kind("condition"), col(Condition.slug))
        .join(link, col(link.condition_id) == col(Condition.id))
        .join(table, col(table.id) == term_id)
        .where(col(table.slug).in_(slugs))
        for slugs in chunks(term_slugs)
    ]


def _kind(kind: str) -> Any:
    return literal(kind)


def reach_before(session: Session, plan: Plan) -> Reach:
    """What the writes can change, read from the database before them: the links of the conditions they rewrite
    or delete, and who shows the deleted conditions."""
    reach = Reach()
    rewritten = [write.before.id for write in plan.conditions if write.before is not None]
    deleted = list(plan.deleted_conditions.values())
    reach.shown_before = _shown(session, rewritten)
    for statement in _linked_terms(rewritten + deleted) + _cause_pages(rewritten + deleted) + _showing_name(deleted):
        reach.add_rows(statement, session)
    reach.add("condition", plan.deleted_conditions)
    for vocabulary in plan.vocabularies:
        reach.add(vocabulary.kind, vocabulary.deleted)
        for write in vocabulary.writes:
            if write.before is not None:
                reach.add("condition", [write.before.get("condition")])  # a cause's former page
    return reach


def reach_after(session: Session, plan: Plan, applied: Applied, reach: Reach) -> Reach:
    """Add what the writes can change, read from the database after them."""
    written = applied.written_condition_ids
    shown_after = _shown(session, written)
    # Created, or shown differently where others link to it (its name).
    renamed = [id for id in written if reach.shown_before.get(id) != shown_after.get(id)]
    for statement in _linked_terms(written) + _cause_pages(written) + _showing_name(renamed):
        reach.add_rows(statement, session)
    reach.add("condition", (write.parsed.document.front.slug for write in plan.conditions))
    for vocabulary in plan.vocabularies:
        reach.add(vocabulary.kind, (write.slug for write in vocabulary.writes))
        shown = [write.slug for write in vocabulary.writes if write.changed_fields() & TERM_SHOWN[vocabulary.kind]]
        for statement in _listing(vocabulary.kind, shown):
            reach.add_rows(statement, session)
        reach.add("condition", (write.fields.get("condition") for write in vocabulary.writes))
    return reach


def _shown(session: Session, condition_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    columns = [getattr(Condition, name) for name in sorted(CONDITION_SHOWN)]
    found: dict[int, tuple[Any, ...]] = {}
    for ids in chunks(condition_ids):
        for id, *values in session.execute(select(col(Condition.id), *columns).where(col(Condition.id).in_(ids))):
            found[id] = tuple(values)
    return found


def log_changes(session: Session, now: datetime, reach: Reach | None) -> list[tuple[Key, str]]:
    """Record every entry within `reach` (None: every entry) whose representation changed, appeared or went
    away; returns them as ((kind, slug), action)."""
    marker = session.get(ReferenceData, NAME)
    if marker is None or marker.version != representation_version():
        reach = None  # hashes made by other code: compare everything
    only = None if reach is None else _by_kind(reach.keys)
    current = representation.entry_digests(session, only)
    stored_rows = session.execute(select(col(EntryState.kind), col(EntryState.slug), col(EntryState.digest)))
    stored = {(kind, slug): digest for kind, slug, digest in stored_rows if reach is None or (kind, slug) in reach.keys}
    upserted = sorted(key for key, digest in current.items() if stored.get(key) != digest)
    deleted = sorted(key for key in stored if key not in current)
    changes = [(key, "upsert") for key in upserted] + [(key, "delete") for key in deleted]
    insert_rows(
        session,
        Change,
        [{"kind": kind, "slug": slug, "action": action, "changed_at": now} for (kind, slug), action in changes],
    )
    _store(session, {key: current[key] for key in upserted}, deleted)
    if marker is None or marker.version != representation_version():
        session.merge(ReferenceData(name=NAME, version=representation_version()))
    # A condition shown differently because something it shows changed is updated too.
    changed_conditions = [slug for kind, slug in upserted if kind == EntryType.condition]
    for slugs in chunks(changed_conditions):
        session.execute(update(Condition).where(col(Condition.slug).in_(slugs)).values(updated_at=now))
    return changes


def forget_hashes(session: Session) -> None:
    """After writes the log did not see, the stored hashes may not match what clients were told: the next
    logged seed compares every entry."""
    session.execute(delete(ReferenceData).where(col(ReferenceData.name) == NAME))


def _by_kind(keys: Collection[Key]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for kind, slug in keys:
        found.setdefault(kind, set()).add(slug)
    return found


def _store(session: Session, digests: dict[Key, str], deleted: Sequence[Key]) -> None:
    for kind, slugs in _by_kind([*digests, *deleted]).items():
        for batch in chunks(sorted(slugs)):
            session.execute(delete(EntryState).where(col(EntryState.kind) == kind, col(EntryState.slug).in_(batch)))
    insert_rows(session, EntryState, [{"kind": kind, "slug": slug, "digest": d} for (kind, slug), d in digests.items()])
