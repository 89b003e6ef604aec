"""Loads a whole content folder and checks what no single file can: unique slugs and links that resolve.

Every file is read as far as it goes and every check runs on what could be read, so one run reports every
problem. An entry with errors still exists: links to it are not reported too, its own error is the cause.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.content import known_files, ontologies
from app.content.errors import ContentError, ContentErrors
from app.content.icd10 import CodeSet
from app.content.known_files import KnownFile
from app.content.markdown_body import LIST_SECTIONS
from app.content.near_duplicates import Name, near_duplicates
from app.content.parser import (
    ConditionFile,
    ParsedCondition,
    ParsedTerm,
    TermT,
    VocabularyFile,
    parse_condition,
    read_vocabulary,
)
from app.content.schema import CauseIn, SymptomIn, TreatmentIn
from app.content.slugs import slugify
from app.content.translations import Translation, read_translations
from app.models.code_systems import CodeSystem, MappingMatch
from app.models.codes import ICD10_SYSTEM

CONDITIONS_DIR = "conditions"
VOCABULARY_DIR = "vocabulary"


@dataclass(frozen=True)
class Library:
    conditions: list[ParsedCondition]  # every condition, or with `known` files those whose files were parsed
    symptoms: list[ParsedTerm[SymptomIn]]
    causes: list[ParsedTerm[CauseIn]]
    treatments: list[ParsedTerm[TreatmentIn]]
    # Conditions whose files are as the database was seeded from them: not parsed, their rows stay as they are.
    unchanged_conditions: frozenset[str] = frozenset()
    files: tuple[ConditionFile, ...] = ()  # every condition file as read, for the next seed's known files
    translations: tuple[Translation, ...] = ()  # every entry's translations (translations/<language>/)
    # Entries with no translation into a language: served in English, saying so (the linter's warnings).
    translation_gaps: tuple[ContentError, ...] = ()


@dataclass(frozen=True)
class ContentFolder:
    """Every file of a content folder as far as it could be read, before the checks across files."""

    root: Path
    has_conditions_folder: bool  # without it no link to a condition can be checked
    conditions: list[ConditionFile]
    symptoms: VocabularyFile[SymptomIn]
    causes: VocabularyFile[CauseIn]
    treatments: VocabularyFile[TreatmentIn]

    def vocabularies(self) -> dict[str, VocabularyFile[Any]]:
        """Each vocabulary by the kind of term it defines (the scheme of links to it: `symptom:slug`)."""
        return {"symptom": self.symptoms, "cause": self.causes, "treatment": self.treatments}

    def errors(self) -> list[ContentError]:
        """Each file's own errors."""
        errors = []
        if not self.has_conditions_folder:
            errors.append(ContentError(self.root, 1, f"no '{CONDITIONS_DIR}/' folder of condition files here"))
        files: list[ConditionFile | VocabularyFile[Any]] = [*self.conditions, *self.vocabularies().values()]
        return errors + [error for file in files for error in file.errors]


def read_folder(root: Path, known: Mapping[str, KnownFile] | None = None) -> ContentFolder:
    """Every file under `root`; a condition file whose bytes are `known` is taken from its summary, not parsed."""

    def vocabulary(name: str, model: type[TermT]) -> VocabularyFile[TermT]:
        path = root / VOCABULARY_DIR / name
        return read_vocabulary(path, model) if path.exists() else VocabularyFile(path, [])

    def condition(path: Path) -> ConditionFile:
        data = path.read_bytes()
        seen = known.get(known_files.relative(root, path)) if known else None
        if seen is not None and seen.sha256 == hashlib.sha256(data).hexdigest():
            return known_files.as_file(path, seen)
        return parse_condition(path, data)

    return ContentFolder(
        root=root,
        has_conditions_folder=(root / CONDITIONS_DIR).is_dir(),
        conditions=[condition(path) for path in sorted((root / CONDITIONS_DIR).glob("*.md"))],
        symptoms=vocabulary("symptoms.yaml", SymptomIn),
        causes=vocabulary("causes.yaml", CauseIn),
        treatments=vocabulary("treatments.yaml", TreatmentIn),
    )


def load_library(root: Path, codes: CodeSet | None = None, *, known: Mapping[str, KnownFile] | None = None) -> Library:
    """Parse every file under `root` and check the links between them; raises ContentErrors on any error.

    With `codes`, every ICD-10-CM code is also checked against the official code set. Condition files whose
    bytes are `known` (from the database being seeded) are not parsed again, but are checked against the others.
    """
    folder = read_folder(root, known)
    errors = folder.errors()
    errors += check_links(folder)
    errors += check_vocabulary_spelling(folder)
    if codes is not None:
        errors += check_codes(folder, codes)
    translated = read_translations(folder)
    errors += translated.errors
    if errors:
        raise ContentErrors(errors)
    return Library(
        conditions=[file.condition for file in folder.conditions if file.condition is not None],
        symptoms=folder.symptoms.terms,
        causes=folder.causes.terms,
        treatments=folder.treatments.terms,
        unchanged_conditions=frozenset(file.slug for file in folder.conditions if file.known and file.slug),
        files=tuple(folder.conditions),
        translations=tuple(translated.translations),
        translation_gaps=tuple(translated.gaps),
    )


def _duplicates(entries: Iterable[tuple[str, Path, int]], what: str) -> list[ContentError]:
    seen: dict[str, tuple[Path, int]] = {}
    errors = []
    for key, path, line in entries:
        if key in seen:
            first_path, first_line = seen[key]
            errors.append(
                ContentError(path, line, f"duplicate {what} '{key}' (first at {first_path.name}:{first_line})")
            )
        else:
            seen[key] = (path, line)
    return errors


def check_links(folder: ContentFolder) -> list[ContentError]:
    errors: list[ContentError] = []
    vocabularies = folder.vocabularies()
    for kind, vocabulary in vocabularies.items():
        errors += _duplicates(((t.term.slug, t.path, t.line) for t in vocabulary.terms), f"{kind} slug")

    # Condition slugs and alias slugs share one namespace: an alias URL redirects to its condition.
    names: list[tuple[str, Path, int]] = []
    for file in folder.conditions:
        if file.slug is not None:
            names.append((file.slug, file.path, file.line("slug")))
        for index, alias in file.links.aliases.items():
            line = file.line("aliases", index)
            if not slugify(alias):
                errors.append(ContentError(file.path, line, f"alias '{alias}' has no letters or digits for a slug"))
            names.append((slugify(alias), file.path, line))
    errors += _duplicates(names, "slug or alias")

    condition_slugs = {file.slug for file in folder.conditions if file.slug is not None}
    known = {kind: {t.term.slug for t in vocabulary.terms} for kind, vocabulary in vocabularies.items()}
    for file in folder.conditions:
        for key, items in file.term_links.items():
            kind = LIST_SECTIONS[key]
            vocabulary = vocabularies[kind]
            used: set[str] = set()
            for item in items:
                for slug in item.terms:
                    # An unreadable file or an invalid entry is reported once, as itself, not at every link.
                    if slug not in known[kind] and vocabulary.readable and slug not in vocabulary.invalid:
                        where = f"{VOCABULARY_DIR}/{vocabulary.path.name}"
                        errors.append(
                            ContentError(file.path, item.line, f"unknown {kind} '{slug}': define it in {where}")
                        )
                    elif slug in used:
                        errors.append(
                            ContentError(file.path, item.line, f"{kind} '{slug}' is listed twice in one section")
                        )
                    used.add(slug)
        for index, related in file.links.related.items():
            line = file.line("related", index)
            if related == file.slug:
                errors.append(ContentError(file.path, line, "a condition cannot be related to itself"))
            elif related not in condition_slugs:
                errors.append(ContentError(file.path, line, f"related condition '{related}' does not exist"))
        errors += _duplicates(
            ((slug, file.path, file.line("related", i)) for i, slug in file.links.related.items()),
            "related condition",
        )
        errors += _duplicates(
            ((code.code, file.path, file.line("codes", i)) for i, code in file.links.codes.items()),
            "code",
        )

    for cause in folder.causes.terms:
        target = cause.term.condition
        if target is not None and target not in condition_slugs and folder.has_conditions_folder:
            errors.append(
                ContentError(
                    cause.path,
                    cause.line,
                    f"cause '{cause.term.slug}' points at condition '{target}', which does not exist",
                )
            )
    return errors


def check_codes(folder: ContentFolder, codes: CodeSet) -> list[ContentError]:
    """Every code of every parsed file against its release (a known file's codes were checked against the same
    releases: they are part of the parser version its summary was made by), and every symptom's HPO id.

    SNOMED CT ids were checked for shape and check digit when the file was read: no release may be shipped."""
    errors = []
    for file in folder.conditions:
        if file.known:
            continue
        for index, code in file.links.codes.items():
            if code.system == ICD10_SYSTEM:
                problem = codes.problem(code.code)
            elif code.system == CodeSystem.MONDO.label:
                problem = _ontology_problem(ontologies.mondo(), code.code, code.display)
            else:
                continue
            if problem is not None:
                errors.append(ContentError(file.path, file.line("codes", index, "code"), problem))
    for symptom in folder.symptoms.terms:
        if symptom.term.hpo is not None:
            problem = ontologies.hpo().problem(symptom.term.hpo)
            if problem is not None:
                errors.append(ContentError(symptom.path, symptom.line, f"symptom '{symptom.term.slug}': {problem}"))
    return errors + check_lay_terms(folder)


def _ontology_problem(release: ontologies.Ontology, code: str, display: str | None) -> str | None:
    problem = release.problem(code)
    if problem is None and display is not None and display.casefold() != release.terms[code].label.casefold():
        label = release.terms[code].label
        return f"display '{display}' is not the label of {code} in {release.label}: '{label}' (or leave it out)"
    return problem


def lay_terms(symptom: SymptomIn) -> list[str]:
    """HPO's layperson synonyms for the symptom's term, verbatim (shown attributed, even where the editor lists
    the same word); only for an exact match."""
    if symptom.hpo is None or symptom.hpo_match is not MappingMatch.exact:
        return []
    term = ontologies.hpo().terms.get(symptom.hpo)
    return list(term.lay_synonyms) if term else []


def check_lay_terms(folder: ContentFolder) -> list[ContentError]:
    """Names stay unique once HPO's lay words join the aliases: a lay word of one symptom may not name another
    (a near spelling is allowed: HPO's words are kept as HPO writes them)."""
    owners: dict[str, str] = {}
    for parsed in folder.symptoms.terms:
        for name in (parsed.term.name, *parsed.term.aliases):
            owners.setdefault(name.casefold(), parsed.term.slug)
    errors = []
    for parsed in folder.symptoms.terms:
        for lay in lay_terms(parsed.term):
            owner = owners.setdefault(lay.casefold(), parsed.term.slug)
            if owner != parsed.term.slug:
                errors.append(
                    ContentError(
                        parsed.path,
                        parsed.line,
                        f"symptom '{parsed.term.slug}': HPO's layperson synonym '{lay}' of {parsed.term.hpo} names "
                        f"symptom '{owner}' too: map one of them to another HPO term, or merge them",
                    )
                )
    return errors


def check_vocabulary_spelling(folder: ContentFolder) -> list[ContentError]:
    """One term per concept: names and aliases of different terms must not be near-duplicates."""
    errors = []
    for kind, vocabulary in folder.vocabularies().items():
        terms = vocabulary.terms
        where = {t.term.slug: t for t in terms}
        names = [Name(t.term.slug, text) for t in terms for text in (t.term.name, *t.term.aliases)]
        # One error per pair of terms, on their closest names: a name near another's name and alias is one mistake.
        closest: dict[tuple[str, str], tuple[Name, Name, int]] = {}
        for first, second, distance in sorted(near_duplicates(names), key=lambda n: (n[2], n[0].text, n[1].text)):
            closest.setdefault((first.term, second.term), (first, second, distance))
        for first, second, distance in closest.values():
            later = where[second.term]
            similar = "the same as" if distance == 0 else "nearly the same as"
            errors.append(
                ContentError(
                    later.path,
                    later.line,
                    f"{kind} '{second.term}' name '{second.text}' is {similar} '{first.text}' of {kind} "
                    f"'{first.term}' (line {where[first.term].line}): make one term and list the other "
                    "spelling in its aliases",
                )
            )
    return errors
