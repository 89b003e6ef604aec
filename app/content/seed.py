"""`conditions-api seed`: makes the database hold exactly what the content folder says, in one transaction.

Any content error stops the run before it writes. The rows (app/content/writer.py), the ICD-10-CM code table,
the change log (app/content/change_log.py), the files the seed read (app/content/known_files.py) and the search
index are written in one transaction, so they never disagree. Re-seeding unchanged content changes nothing,
`updated_at` included.
"""

import gc
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, delete, func
from sqlmodel import Session, col, select

from app.content import change_log, known_files, ontologies, search_index, writer
from app.content.bulk import insert_rows
from app.content.icd10 import CodeSet, load_code_set
from app.content.library import Library, load_library
from app.content.translations import Translation
from app.content.writer import Counts
from app.core.db import is_sqlite
from app.models import EntryTranslation, Icd10Code, OntologyTerm, ReferenceData
from app.models.codes import ontology_release_key
from app.representation.library import Key

__all__ = ["Counts", "SeedReport", "apply_library", "seed"]


@dataclass
class SeedReport:
    counts: dict[str, Counts] = field(default_factory=dict)
    search_documents: int | None = None  # documents indexed, when the search index was rebuilt or updated
    search_rebuilt: bool = False  # whole (a new index format, or none yet), rather than updated
    logged_changes: int = 0  # entries whose representation changed (rows added to the change log)
    # The entries whose own rows were created, updated or deleted, as (kind, slug) -> "created" | "updated" |
    # "deleted": what a search index must re-read (with `logged`, which adds the entries that show them).
    written: dict[Key, str] = field(default_factory=dict)
    # The change log's new rows, ((kind, slug), "upsert" | "delete"): every entry whose representation changed.
    logged: list[tuple[Key, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step, for operators and benchmarks

    @contextmanager
    def timing(self, step: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[step] = self.seconds.get(step, 0.0) + time.perf_counter() - started

    @property
    def conditions_written(self) -> set[str]:
        """Slugs of the conditions whose rows were created, updated or deleted."""
        return {slug for kind, slug in self.written if kind == "condition"}

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.deleted for c in self.counts.values())


def seed(engine: Engine, root: Path, *, now: datetime | None = None, rebuild_log: bool = False) -> SeedReport:
    """Load the folder at `root` into the database; raises ContentErrors (writing nothing) if it is invalid.

    Condition files unchanged since the last seed are not parsed again (see known_files). `rebuild_log`
    compares every entry's representation for the change log, not only those the writes can reach.
    """
    started = time.perf_counter()
    report = SeedReport()
    with _without_cycle_collection():
        with report.timing("read"), Session(engine) as session:
            known = known_files.read(session)
            codes = with_billable_codes(session, load_code_set())
            library = load_library(root, codes, known=known)  # parsed before the write lock is taken
        with _writing(engine) as session:
            with report.timing("read"):
                now_known = known_files.read(session)
                if now_known != known:  # another seed wrote in the meantime: read against what it wrote
                    library = load_library(root, codes, known=now_known)
            digests = _apply(session, report, library, codes, now=now, track_changes=True, rebuild_log=rebuild_log)
            with report.timing("rows"):
                known_files.store(session, root, library.files, digests)
    report.seconds["total"] = time.perf_counter() - started
    return report


def apply_library(
    engine: Engine, library: Library, codes: CodeSet, *, now: datetime | None = None, track_changes: bool = True
) -> SeedReport:
    """Write an already validated library (the seed's second half; the benchmarks build libraries in memory).

    `track_changes=False` skips the change log, which builds the representation of every entry it compares:
    synthetic benchmark libraries have no offline clients to tell.
    """
    report = SeedReport()
    with _without_cycle_collection(), _writing(engine) as session:
        _apply(session, report, library, codes, now=now, track_changes=track_changes, rebuild_log=False)
    return report


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A seed makes millions of objects that live until it ends and form few reference cycles: the cycle
    collector's passes over them, more frequent and longer as they pile up, took ~30% of a first seed."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def _writing(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session, session.begin():
        if is_sqlite(str(engine.url)):
            # Take the write lock now, so reads below see the state this transaction writes over.
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        yield session


def _apply(
    session: Session,
    report: SeedReport,
    library: Library,
    codes: CodeSet,
    *,
    now: datetime | None,
    track_changes: bool,
    rebuild_log: bool,
) -> dict[str, str]:
    """Write the library into `report`'s run; returns the content hash of each parsed condition, by slug."""
    now = now or datetime.now(UTC)
    with report.timing("rows"):
        plan = writer.plan(session, library)
        report.counts["translations"], translated = _sync_translations(session, library.translations)
    with report.timing("change log"):
        # A translation shows in other entries too (a term's name on every page listing it): when any changed,
        # every entry is compared rather than a reach worked out for each language.
        compare_all = rebuild_log or bool(translated)
        reach = change_log.reach_before(session, plan) if track_changes and not compare_all else None
    with report.timing("rows"):
        applied = writer.apply(session, plan, now)
        report.counts, report.written = {**plan.counts(), **report.counts}, plan.written()
        for key in translated:  # re-read by the search index like the entry's own rows
            report.written.setdefault(key, "updated")
        report.counts["icd10 codes"] = _sync_code_table(session, codes)
        for release in ontologies.releases():
            report.counts[f"{release.system.value} terms"] = _sync_ontology_terms(session, release)
    with report.timing("change log"):
        if track_changes:
            if reach is not None:
                change_log.reach_after(session, plan, applied, reach)
            report.logged = change_log.log_changes(session, now, reach)
            report.logged_changes = len(report.logged)
        else:
            change_log.forget_hashes(session)  # rows changed unlogged: the next logged seed compares every entry
    built = session.get(ReferenceData, search_index.NAME)
    current = built is not None and built.version == search_index.VERSION
    with report.timing("search index"):
        # Written in the same transaction as the content, so the two never disagree.
        if current and report.changed:
            report.search_documents = search_index.update(session.connection(), report.conditions_written)
        if not current or (report.changed and report.search_documents is None):
            report.search_documents = search_index.rebuild(session.connection())
            report.search_rebuilt = True
            session.merge(ReferenceData(name=search_index.NAME, version=search_index.VERSION))
    return plan.digests


def with_billable_codes(session: Session, codes: CodeSet) -> CodeSet:
    """`codes` knowing the billable codes of the database's copy of its release, if it holds that release: a
    re-seed then checks the codes of changed files without the ~2 s load of the package."""
    marker = session.get(ReferenceData, Icd10Code.__tablename__)
    if marker is None or marker.version != codes.version:
        return codes
    # A few categories share their code with the block above them ("P84"): their row is its own parent.
    parents = select(col(Icd10Code.parent)).where(col(Icd10Code.parent) != col(Icd10Code.code))
    leaves = session.exec(select(col(Icd10Code.code)).where(col(Icd10Code.code).not_in(parents)))
    return replace(codes, billable=frozenset(leaves))


def _sync_ontology_terms(session: Session, release: ontologies.Ontology) -> Counts:
    """Copy an ontology release's current terms into the database when it holds no copy, or another release's."""
    name = ontology_release_key(release.system.value)
    marker = session.get(ReferenceData, name)
    held = select(func.count()).select_from(OntologyTerm).where(col(OntologyTerm.system) == release.system.label)
    if marker is not None and marker.version == release.version:
        return Counts(unchanged=session.exec(held).one())
    deleted = session.execute(delete(OntologyTerm).where(col(OntologyTerm.system) == release.system.label))
    rows = [{"system": release.system.label, "code": t.code, "label": t.label} for t in release.terms.values()]
    insert_rows(session, OntologyTerm, rows)
    session.merge(ReferenceData(name=name, version=release.version))
    return Counts(created=len(rows), deleted=int(deleted.rowcount))  # type: ignore[attr-defined]


def _sync_translations(session: Session, translations: Iterable[Translation]) -> tuple[Counts, set[Key]]:
    """Make `entry_translation` hold exactly these translations; returns the counts and the entries (kind, slug)
    whose translation into any language was created, changed or deleted."""
    wanted = {(t.kind, t.slug, t.language): t for t in translations}
    stored = {
        (kind, slug, language): digest
        for kind, slug, language, digest in session.execute(
            select(
                col(EntryTranslation.kind),
                col(EntryTranslation.slug),
                col(EntryTranslation.language),
                col(EntryTranslation.digest),
            )
        )
    }
    gone = [key for key in stored if key not in wanted]
    changed = [key for key, translation in wanted.items() if stored.get(key) != translation.digest]
    # A changed row is replaced; a new one (every row of a first seed) has nothing to delete.
    for kind, slug, language in [*gone, *(key for key in changed if key in stored)]:
        session.execute(
            delete(EntryTranslation).where(
                col(EntryTranslation.kind) == kind,
                col(EntryTranslation.slug) == slug,
                col(EntryTranslation.language) == language,
            )
        )
    rows = [
        {"kind": t.kind, "slug": t.slug, "language": t.language, "document": t.document, "digest": t.digest}
        for t in (wanted[key] for key in changed)
    ]
    insert_rows(session, EntryTranslation, rows)
    created = sum(1 for key in changed if key not in stored)
    counts = Counts(
        created=created, updated=len(changed) - created, unchanged=len(wanted) - len(changed), deleted=len(gone)
    )
    return counts, {(kind, slug) for kind, slug, _ in [*gone, *changed]}


def _sync_code_table(session: Session, codes: CodeSet) -> Counts:
    """Copy the ICD-10-CM code set into the database when it holds no copy, or another release's."""
    marker = session.get(ReferenceData, Icd10Code.__tablename__)
    if marker is not None and marker.version == codes.version:
        return Counts(unchanged=session.exec(select(func.count()).select_from(Icd10Code)).one())
    deleted = session.execute(delete(Icd10Code)).rowcount  # type: ignore[attr-defined]
    rows = [{"code": code, "description": text, "parent": parent} for code, text, parent in codes.rows()]
    insert_rows(session, Icd10Code, rows)
    session.merge(ReferenceData(name=Icd10Code.__tablename__, version=codes.version))
    return Counts(created=len(rows), deleted=int(deleted))
