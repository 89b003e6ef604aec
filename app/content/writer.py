"""Writes a validated library into the content tables, touching only what changed.

Rows are matched by slug. A condition whose parsed content hashes the same as its row's is not touched (so
re-seeding unchanged content changes nothing, `updated_at` included); a changed one gets its links, FAQs and
codes rewritten; conditions and terms whose files are gone are deleted. The writes are planned first (`plan`)
and made after (`apply`), so the change log can read the database as it was before them. Rows are written in
bulk, a statement per table, not one ORM object at a time: a first seed writes ~20 rows per condition.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from app.content import ontologies
from app.content.bulk import chunks, insert_rows
from app.content.library import Library, lay_terms
from app.content.parser import ParsedCondition, ParsedTerm
from app.content.schema import CauseIn, CodeIn, ConditionDocument, SymptomIn, TermIn
from app.content.slugs import slugify
from app.models import (
    Cause,
    Condition,
    ConditionAlias,
    ConditionCause,
    ConditionCode,
    ConditionRelated,
    ConditionSymptom,
    ConditionTreatment,
    Faq,
    Symptom,
    SymptomSection,
    Treatment,
    TreatmentSection,
)

TermTable = type[Symptom] | type[Cause] | type[Treatment]
VOCABULARIES: tuple[tuple[str, TermTable], ...] = (("symptom", Symptom), ("cause", Cause), ("treatment", Treatment))
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


def content_hash(document: ConditionDocument) -> str:
    canonical = json.dumps(document.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredCondition:
    id: int
    name: str
    content_hash: str


@dataclass(frozen=True)
class ConditionWrite:
    parsed: ParsedCondition
    digest: str
    before: StoredCondition | None  # None: the condition is new


@dataclass(frozen=True)
class TermWrite:
    fields: dict[str, Any]  # the row's columns; a cause's own page as the condition's slug (`condition`)
    before: dict[str, Any] | None  # the row as it was (a cause's page as a slug too); None: the term is new

    @property
    def slug(self) -> str:
        return str(self.fields["slug"])

    def changed_fields(self) -> set[str]:
        if self.before is None:
            return set(self.fields)
        return {name for name, value in self.fields.items() if self.before.get(name) != value}


@dataclass
class VocabularyPlan:
    kind: str
    table: TermTable
    writes: list[TermWrite] = field(default_factory=list)
    deleted: dict[str, int] = field(default_factory=dict)  # slug -> id
    counts: Counts = field(default_factory=Counts)


@dataclass
class Plan:
    """What a library changes in the database, decided before anything is written."""

    condition_ids: dict[str, int]  # every condition in the database before the writes, by slug
    digests: dict[str, str] = field(default_factory=dict)  # content hash of every parsed condition, by slug
    conditions: list[ConditionWrite] = field(default_factory=list)  # created or updated
    deleted_conditions: dict[str, int] = field(default_factory=dict)  # slug -> id
    condition_counts: Counts = field(default_factory=Counts)
    vocabularies: list[VocabularyPlan] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.conditions or self.deleted_conditions or any(v.writes or v.deleted for v in self.vocabularies))

    def counts(self) -> dict[str, Counts]:
        found = {f"{v.kind}s": v.counts for v in self.vocabularies}
        return {**found, "conditions": self.condition_counts}

    def written(self) -> dict[tuple[str, str], str]:
        """(kind, slug) -> "created", "updated" or "deleted", for every entry whose own row the plan writes."""
        found = {("condition", slug): "deleted" for slug in self.deleted_conditions}
        for write in self.conditions:
            found[("condition", write.parsed.document.front.slug)] = "created" if write.before is None else "updated"
        for vocabulary in self.vocabularies:
            found.update({(vocabulary.kind, slug): "deleted" for slug in vocabulary.deleted})
            for term in vocabulary.writes:
                found[(vocabulary.kind, term.slug)] = "created" if term.before is None else "updated"
        return found


def plan(session: Session, library: Library) -> Plan:
    stored = {
        slug: StoredCondition(id, name, digest)
        for id, slug, name, digest in session.execute(
            select(col(Condition.id), col(Condition.slug), col(Condition.name), col(Condition.content_hash))
        )
    }
    result = Plan(condition_ids={slug: row.id for slug, row in stored.items()})
    wanted = {parsed.document.front.slug for parsed in library.conditions} | library.unchanged_conditions
    result.deleted_conditions = {slug: row.id for slug, row in stored.items() if slug not in wanted}
    result.condition_counts.deleted = len(result.deleted_conditions)
    result.condition_counts.unchanged = len(library.unchanged_conditions)
    for parsed in library.conditions:
        digest = result.digests[parsed.document.front.slug] = content_hash(parsed.document)
        before = stored.get(parsed.document.front.slug)
        if before is not None and before.content_hash == digest:
            result.condition_counts.unchanged += 1
            continue
        result.conditions.append(ConditionWrite(parsed, digest, before))
        if before is None:
            result.condition_counts.created += 1
        else:
            result.condition_counts.updated += 1

    slugs_by_id = {row.id: slug for slug, row in stored.items()}
    terms: dict[str, Sequence[ParsedTerm[Any]]] = {
        "symptom": library.symptoms,
        "cause": library.causes,
        "treatment": library.treatments,
    }
    for kind, table in VOCABULARIES:
        result.vocabularies.append(_plan_terms(session, kind, table, terms[kind], slugs_by_id))
    return result


def _plan_terms(
    session: Session, kind: str, table: TermTable, terms: Sequence[ParsedTerm[Any]], slugs_by_id: Mapping[int, str]
) -> VocabularyPlan:
    result = VocabularyPlan(kind, table)
    columns = table.__table__.columns  # type: ignore[union-attr]
    existing: dict[str, dict[str, Any]] = {}
    for row in session.execute(select(*columns)):
        values = dict(row._mapping)
        if "condition_id" in values:  # compared by slug: the new target may not have an id yet
            target = values.pop("condition_id")
            values["condition"] = slugs_by_id.get(target) if target is not None else None
        existing[values["slug"]] = values
    for parsed in terms:
        fields = _term_fields(parsed.term)
        before = existing.get(parsed.term.slug)
        write = TermWrite(fields, before)
        if before is None:
            result.counts.created += 1
        elif write.changed_fields():
            result.counts.updated += 1
        else:
            result.counts.unchanged += 1
            continue
        result.writes.append(write)
    wanted = {parsed.term.slug for parsed in terms}
    result.deleted = {slug: int(row["id"]) for slug, row in existing.items() if slug not in wanted}
    result.counts.deleted = len(result.deleted)
    return result


def _term_fields(term: TermIn) -> dict[str, Any]:
    fields = term.model_dump(exclude={"condition"})
    if isinstance(term, CauseIn):  # a cause that is itself a condition links to its page
        fields["condition"] = term.condition
    if isinstance(term, SymptomIn):
        release = ontologies.hpo() if term.hpo is not None else None
        fields["hpo_label"] = release.terms[term.hpo].label if release and term.hpo else None
        fields["hpo_release"] = release.version if release else None
        fields["hpo_match"] = term.hpo_match if term.hpo is not None else None
        fields["lay_terms"] = lay_terms(term)
    return fields


@dataclass(frozen=True)
class Applied:
    """Ids after the writes, for the change log."""

    condition_ids: dict[str, int]  # every condition now in the database
    written_condition_ids: list[int]  # created or updated
    term_ids: dict[str, dict[str, int]]  # kind -> slug -> id, every term now in the database


def apply(session: Session, plan: Plan, now: datetime) -> Applied:
    """Make the planned writes: condition rows first (a cause may link to a condition's page), then the
    terms, then the links between them."""
    for ids in chunks(list(plan.deleted_conditions.values())):
        session.execute(delete(Condition).where(col(Condition.id).in_(ids)))
    created = [write for write in plan.conditions if write.before is None]
    updated = [write for write in plan.conditions if write.before is not None]
    new_rows = [{**_condition_fields(write.parsed, write.digest, now), "created_at": now} for write in created]
    insert_rows(session, Condition, new_rows)
    if updated:
        session.execute(
            update(Condition),
            [{"id": w.before.id, **_condition_fields(w.parsed, w.digest, now)} for w in updated if w.before],
        )
    condition_ids = dict(plan.condition_ids)
    for slug in plan.deleted_conditions:
        del condition_ids[slug]
    if created:
        new_slugs = [w.parsed.document.front.slug for w in created]
        for slugs in chunks(new_slugs):
            statement = select(col(Condition.slug), col(Condition.id)).where(col(Condition.slug).in_(slugs))
            condition_ids.update({slug: id for slug, id in session.execute(statement)})  # noqa: C416

    term_ids = {vocabulary.kind: _write_terms(session, vocabulary, condition_ids) for vocabulary in plan.vocabularies}
    written_ids = [condition_ids[write.parsed.document.front.slug] for write in plan.conditions]
    # Delete every changed condition's children before inserting any, so an alias may move between them.
    for ids in chunks([w.before.id for w in updated if w.before]):
        for table in CHILD_TABLES:
            session.execute(delete(table).where(table.condition_id.in_(ids)))  # type: ignore[attr-defined]
    children: dict[Any, list[dict[str, Any]]] = {table: [] for table in CHILD_TABLES}
    for write, condition_id in zip(plan.conditions, written_ids, strict=True):
        _add_children(children, condition_id, write.parsed.document, term_ids, condition_ids)
    for table, rows in children.items():
        insert_rows(session, table, rows)
    for vocabulary in plan.vocabularies:
        for ids in chunks(list(vocabulary.deleted.values())):
            session.execute(delete(vocabulary.table).where(col(vocabulary.table.id).in_(ids)))
        term_ids[vocabulary.kind] = {
            slug: id for slug, id in term_ids[vocabulary.kind].items() if slug not in vocabulary.deleted
        }
    session.flush()
    return Applied(condition_ids, written_ids, term_ids)


def _write_terms(session: Session, vocabulary: VocabularyPlan, condition_ids: Mapping[str, int]) -> dict[str, int]:
    def row(write: TermWrite) -> dict[str, Any]:
        values = dict(write.fields)
        if "condition" in values:
            target = values.pop("condition")
            values["condition_id"] = condition_ids[target] if target is not None else None
        return values

    table = vocabulary.table
    ids = {slug: int(id) for slug, id in session.execute(select(col(table.slug), col(table.id)))}
    new = [row(write) for write in vocabulary.writes if write.before is None]
    changed = [{"id": ids[write.slug], **row(write)} for write in vocabulary.writes if write.before is not None]
    if new:
        insert_rows(session, table, new)
        ids = {slug: int(id) for slug, id in session.execute(select(col(table.slug), col(table.id)))}
    if changed:
        session.execute(update(table), changed)
    return ids


def _display(code: CodeIn) -> str:
    """The editor's display, or the release's label of a MONDO id given without one."""
    return code.display if code.display is not None else ontologies.mondo().terms[code.code].label


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


def _add_children(
    children: dict[Any, list[dict[str, Any]]],
    condition_id: int,
    doc: ConditionDocument,
    term_ids: Mapping[str, Mapping[str, int]],
    condition_ids: Mapping[str, int],
) -> None:
    def links(part: Any, kind: str, **extra: Any) -> list[dict[str, Any]]:
        ids = term_ids[kind]
        return [
            {
                "condition_id": condition_id,
                f"{kind}_id": ids[slug],
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
    children[ConditionAlias] += [
        {"condition_id": condition_id, "slug": slugify(alias), "name": alias, "position": i}
        for i, alias in enumerate(front.aliases, start=1)
    ]
    children[ConditionSymptom] += links(doc.symptoms, "symptom", section=SymptomSection.symptom) + links(
        doc.red_flags, "symptom", section=SymptomSection.red_flag
    )
    children[ConditionCause] += links(doc.causes, "cause")
    children[ConditionTreatment] += links(doc.treatments, "treatment", section=TreatmentSection.treatment) + links(
        doc.self_care, "treatment", section=TreatmentSection.self_care
    )
    children[Faq] += [
        {"condition_id": condition_id, "position": i, "question": faq.question, "answer": faq.answer}
        for i, faq in enumerate(doc.faqs, start=1)
    ]
    children[ConditionCode] += [
        {"condition_id": condition_id, "position": i, **code.model_dump(), "display": _display(code)}
        for i, code in enumerate(front.codes, start=1)
    ]
    children[ConditionRelated] += [
        {"condition_id": condition_id, "related_id": condition_ids[slug], "position": i}
        for i, slug in enumerate(front.related, start=1)
    ]
