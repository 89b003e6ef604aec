"""`conditions-api seed`: makes the database hold exactly what the content folder says, in one transaction.

Rows are matched by slug. A condition whose file hash is unchanged is not touched (so re-seeding unchanged
content changes nothing, `updated_at` included); a changed one gets its links, FAQs and codes rewritten;
conditions and terms whose files are gone are deleted. Any content error stops the run before it writes.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, delete, func, insert, update
from sqlmodel import Session, col, select

from app.content import search_index
from app.content.icd10 import CodeSet, load_code_set
from app.content.library import Library, load_library
from app.content.parser import ParsedCondition, ParsedTerm
from app.content.schema import CauseIn, ConditionDocument, TermIn
from app.content.slugs import slugify
from app.core.db import is_sqlite
from app.models import (
    Cause,
    Change,
    Condition,
    ConditionAlias,
    ConditionCause,
    ConditionCode,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    EntryState,
    Faq,
    Icd10Code,
    ReferenceData,
    Symptom,
    SymptomSection,
    Treatment,
    TreatmentSection,
)
from app.representation.library import entry_digests, export_library

TermTable = type[Symptom] | type[Cause] | type[Treatment]
CHILD_TABLES = (
    ConditionAlias,
    ConditionSymptom,
    ConditionCause,
    ConditionTreatment,
    Faq,
    ConditionCode,
    ConditionRelated,
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.deleted} deleted"


@dataclass
class SeedReport:
    counts: dict[str, Counts] = field(default_factory=dict)
    search_documents: int | None = None  # documents indexed, when the search index was rebuilt or updated
    search_rebuilt: bool = False  # whole (a new index format, or none yet), rather than updated
    conditions_written: set[str] = field(default_factory=set)  # slugs of conditions created, changed or deleted
    logged_changes: int = 0  # entries whose representation changed (rows added to the change log)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.counts.values())


def content_hash(document: ConditionDocument) -> str:
    canonical = json.dumps(document.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def seed(engine: Engine, root: Path, *, now: datetime | None = None) -> SeedReport:
    """Load the folder at `root` into the database; raises ContentErrors (writing nothing) if it is invalid."""
    codes = load_code_set()
    return apply_library(engine, load_library(root, codes), codes, now=now)


def apply_library(
    engine: Engine, library: Library, codes: CodeSet, *, now: datetime | None = None, track_changes: bool = True
) -> SeedReport:
    """Write an already validated library (the seed's second half; the benchmarks build libraries in memory).

    `track_changes=False` skips the change log, which builds every entry's representation: synthetic
    benchmark libraries have no offline clients to tell.
    """
    now = now or datetime.now(UTC)
    with Session(engine) as session, session.begin():
        if is_sqlite(str(engine.url)):
            # Take the write lock now, so reads below see the state this transaction writes over.
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        report = _write(session, library, now)
        report.counts["icd10 codes"] = _sync_code_table(session, codes)
        if track_changes:
            report.logged_changes = _log_changes(session, now)
        # The index is written in the same transaction as the content, so the two never disagree.
        built = session.get(ReferenceData, search_index.NAME)
        current = built is not None and built.version == search_index.VERSION
        if current and report.changed:
            report.search_documents = search_index.update(session.connection(), report.conditions_written)
        if not current or (report.changed and report.search_documents is None):
            report.search_documents = search_index.rebuild(session.connection())
            report.search_rebuilt = True
            session.merge(ReferenceData(name=search_index.NAME, version=search_index.VERSION))
        return report


def _sync_code_table(session: Session, codes: CodeSet) -> Counts:
    """Copy the ICD-10-CM code set into the database when it holds no copy, or another release's."""
    marker = session.get(ReferenceData, Icd10Code.__tablename__)
    if marker is not None and marker.version == codes.version:
        return Counts(unchanged=session.exec(select(func.count()).select_from(Icd10Code)).one())
    deleted = session.execute(delete(Icd10Code)).rowcount  # type: ignore[attr-defined]
    rows = [{"code": code, "description": text, "parent": parent} for code, text, parent in codes.rows()]
    session.execute(insert(Icd10Code), rows)
    session.merge(ReferenceData(name=Icd10Code.__tablename__, version=codes.version))
    return Counts(created=len(rows), deleted=int(deleted))


def _write(session: Session, library: Library, now: datetime) -> SeedReport:
    report = SeedReport()
    # Condition rows first, then the terms (a cause may link to a condition's page), then the links between
    # them: each row is written once, so a first seed counts every entry as created, not some as updated.
    conditions = Counts()
    wanted = {parsed.document.front.slug for parsed in library.conditions}
    existing = {row.slug: row for row in session.exec(select(Condition))}
    gone = [row.id for slug, row in existing.items() if slug not in wanted]
    if gone:
        session.execute(delete(Condition).where(col(Condition.id).in_(gone)))
        conditions.deleted = len(gone)
        report.conditions_written.update(slug for slug in existing if slug not in wanted)

    changed: list[tuple[Condition, ConditionDocument]] = []
    for parsed in library.conditions:
        document = parsed.document
        digest = content_hash(document)
        row = existing.get(document.front.slug)
        if row is not None and row.content_hash == digest:
            conditions.unchanged += 1
            continue
        if row is None:
            row = Condition(created_at=now, **_condition_fields(parsed, digest, now))
            session.add(row)
            conditions.created += 1
        else:
            for name, value in _condition_fields(parsed, digest, now).items():
                setattr(row, name, value)
            conditions.updated += 1
        changed.append((row, document))
        report.conditions_written.add(document.front.slug)
    session.flush()

    condition_ids = {slug: row.id for slug, row in existing.items() if row.id not in gone}
    condition_ids.update({row.slug: row.id for row, _ in changed})
    symptom_ids, report.counts["symptoms"] = _upsert_terms(session, Symptom, library.symptoms, condition_ids)
    cause_ids, report.counts["causes"] = _upsert_terms(session, Cause, library.causes, condition_ids)
    treatment_ids, report.counts["treatments"] = _upsert_terms(session, Treatment, library.treatments, condition_ids)
    report.counts["conditions"] = conditions
    changed_ids = [row.id for row, _ in changed]
    # Delete every changed condition's children before inserting any, so an alias may move between them.
    for table in CHILD_TABLES:
        session.execute(delete(table).where(table.condition_id.in_(changed_ids)))  # type: ignore[attr-defined]
    for row, document in changed:
        assert row.id is not None
        _insert_children(session, row.id, document, symptom_ids, cause_ids, treatment_ids, condition_ids)

    vocabularies: tuple[tuple[TermTable, Sequence[ParsedTerm[Any]], str], ...] = (
        (Symptom, library.symptoms, "symptoms"),
        (Cause, library.causes, "causes"),
        (Treatment, library.treatments, "treatments"),
    )
    for term_table, terms, key in vocabularies:
        report.counts[key].deleted = len(_delete_missing_terms(session, term_table, {t.term.slug for t in terms}))
    session.flush()
    return report


def _term_fields(term: TermIn, condition_ids: Mapping[str, int | None]) -> dict[str, Any]:
    fields = term.model_dump(exclude={"condition"})
    if isinstance(term, CauseIn):  # a cause that is itself a condition links to its page
        fields["condition_id"] = condition_ids[term.condition] if term.condition else None
    return fields


def _upsert_terms(
    session: Session, table: TermTable, terms: Sequence[ParsedTerm[Any]], condition_ids: Mapping[str, int | None]
) -> tuple[dict[str, int], Counts]:
    counts = Counts()
    existing = {row.slug: cast(Symptom | Cause | Treatment, row) for row in session.exec(select(table))}
    for parsed in terms:
        fields = _term_fields(parsed.term, condition_ids)
        row = existing.get(parsed.term.slug)
        if row is None:
            row = table(**fields)
            session.add(row)
            existing[row.slug] = row
            counts.created += 1
        elif any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    return {slug: row.id for slug, row in existing.items() if row.id is not None}, counts


def _delete_missing_terms(session: Session, table: TermTable, wanted: set[str]) -> list[str]:
    gone = [slug for slug in session.exec(select(col(table.slug))) if slug not in wanted]
    if gone:
        session.execute(delete(table).where(col(table.slug).in_(gone)))
    return gone


def _log_changes(session: Session, now: datetime) -> int:
    """Record in the change log every entry whose representation changed, appeared or went away.

    Comparing hashes of what clients see (not the rows written) catches every knock-on effect: a renamed
    symptom changes each condition that shows it, a new cause link changes the target's `can_lead_to`.
    """
    current = entry_digests(export_library(session))
    stored = {(row.kind, row.slug): row.digest for row in session.exec(select(EntryState))}
    upserted = sorted(key for key, digest in current.items() if stored.get(key) != digest)
    deleted = sorted(key for key in stored if key not in current)
    rows = [{"kind": k, "slug": s, "action": "upsert", "changed_at": now} for k, s in upserted]
    rows += [{"kind": k, "slug": s, "action": "delete", "changed_at": now} for k, s in deleted]
    if not rows:
        return 0
    session.execute(insert(Change), rows)
    for kind, slug in deleted:
        session.execute(delete(EntryState).where(col(EntryState.kind) == kind, col(EntryState.slug) == slug))
    for kind, slug in upserted:
        session.merge(EntryState(kind=kind, slug=slug, digest=current[(kind, slug)]))
    # A condition shown differently because something it shows changed is updated too.
    changed_conditions = [slug for kind, slug in upserted if kind == "condition"]
    session.execute(update(Condition).where(col(Condition.slug).in_(changed_conditions)).values(updated_at=now))
    return len(rows)


def _condition_fields(parsed: ParsedCondition, digest: str, now: datetime) -> dict[str, Any]:
    doc = parsed.document
    front = doc.front
    return {
        "slug": front.slug,
        "name": front.name,
        "summary": front.summary,
        "description": doc.description,
        "specialty": front.specialty,
        "body_area": front.body_area,
        "duration_min_days": front.duration.min_days if front.duration else None,
        "duration_max_days": front.duration.max_days if front.duration else None,
        "duration_text": front.duration.text if front.duration else None,
        "causes_intro": doc.causes.intro,
        "symptoms_intro": doc.symptoms.intro,
        "treatments_intro": doc.treatments.intro,
        "self_care_intro": doc.self_care.intro,
        "editor_notes": list(front.editor_notes),
        "review_status": front.review.status,
        "last_reviewed": front.review.last_reviewed,
        "next_review_due": front.review.next_review_due,
        "source_title": front.source.title,
        "source_url": front.source.url,
        "source_attribution": front.source.attribution,
        "content_hash": digest,
        "updated_at": now,
    }


def _insert_children(
    session: Session,
    condition_id: int,
    doc: ConditionDocument,
    symptom_ids: dict[str, int],
    cause_ids: dict[str, int],
    treatment_ids: dict[str, int],
    condition_ids: dict[str, int | None],
) -> None:
    def rows(table: Any, values: list[dict[str, Any]]) -> None:
        if values:
            session.execute(insert(table), values)

    def links(part: Any, ids: dict[str, int], key: str, **extra: Any) -> list[dict[str, Any]]:
        return [
            {
                "condition_id": condition_id,
                key: ids[slug],
                "position": position,
                "term_position": term_position,
                "text": item.text,
                "note": item.note,
                **extra,
            }
            for position, item in enumerate(part.items, start=1)
            for term_position, slug in enumerate(item.terms, start=1)
        ]

    front = doc.front
    rows(
        ConditionAlias,
        [
            {"condition_id": condition_id, "slug": slugify(alias), "name": alias, "position": i}
            for i, alias in enumerate(front.aliases, start=1)
        ],
    )
    rows(
        ConditionSymptom,
        links(doc.symptoms, symptom_ids, "symptom_id", section=SymptomSection.symptom)
        + links(doc.red_flags, symptom_ids, "symptom_id", section=SymptomSection.red_flag),
    )
    rows(ConditionCause, links(doc.causes, cause_ids, "cause_id"))
    rows(
        ConditionTreatment,
        links(doc.treatments, treatment_ids, "treatment_id", section=TreatmentSection.treatment)
        + links(doc.self_care, treatment_ids, "treatment_id", section=TreatmentSection.self_care),
    )
    rows(
        Faq,
        [
            {"condition_id": condition_id, "position": i, "question": faq.question, "answer": faq.answer}
            for i, faq in enumerate(doc.faqs, start=1)
        ],
    )
    rows(
        ConditionCode,
        [
            {"condition_id": condition_id, "position": i, **code.model_dump()}
            for i, code in enumerate(front.codes, start=1)
        ],
    )
    rows(
        ConditionRelated,
        [
            {"condition_id": condition_id, "related_id": condition_ids[slug], "position": i}
            for i, slug in enumerate(front.related, start=1)
        ],
    )
