"""Loads a whole content folder and checks what no single file can: unique slugs and links that resolve."""

import re
from collections.abc import Iterable, Set
from dataclasses import dataclass
from pathlib import Path

from app.content.errors import ContentError, ContentErrors
from app.content.icd10 import CodeSet
from app.content.near_duplicates import Name, near_duplicates
from app.content.parser import ParsedCondition, ParsedTerm, TermT, parse_condition, parse_vocabulary
from app.content.schema import CauseIn, Section, SymptomIn, TreatmentIn
from app.content.slugs import slugify

CONDITIONS_DIR = "conditions"
_SLUG_LINE = re.compile(r"^slug:\s*([a-z0-9-]+)\s*$", re.MULTILINE)
VOCABULARY_DIR = "vocabulary"


@dataclass(frozen=True)
class Library:
    conditions: list[ParsedCondition]
    symptoms: list[ParsedTerm[SymptomIn]]
    causes: list[ParsedTerm[CauseIn]]
    treatments: list[ParsedTerm[TreatmentIn]]


def load_library(root: Path, codes: CodeSet | None = None) -> Library:
    """Parse every file under `root` and check the links between them; raises ContentErrors on any error.

    With `codes`, every ICD-10-CM code is also checked against the official code set.
    """
    errors: list[ContentError] = []
    conditions_dir = root / CONDITIONS_DIR
    if not conditions_dir.is_dir():
        raise ContentErrors([ContentError(root, 1, f"no '{CONDITIONS_DIR}/' folder of condition files here")])

    conditions: list[ParsedCondition] = []
    claimed: set[str] = set()  # slugs of files that failed to parse, so links to them don't cascade into errors
    for path in sorted(conditions_dir.glob("*.md")):
        try:
            conditions.append(parse_condition(path))
        except ContentErrors as exc:
            errors += exc.errors
            if match := _SLUG_LINE.search(path.read_text(encoding="utf-8", errors="replace")):
                claimed.add(match.group(1))

    def vocabulary(name: str, model: type[TermT]) -> list[ParsedTerm[TermT]]:
        path = root / VOCABULARY_DIR / name
        if not path.exists():
            return []
        try:
            return parse_vocabulary(path, model)
        except ContentErrors as exc:
            errors.extend(exc.errors)
            return []

    library = Library(
        conditions=conditions,
        symptoms=vocabulary("symptoms.yaml", SymptomIn),
        causes=vocabulary("causes.yaml", CauseIn),
        treatments=vocabulary("treatments.yaml", TreatmentIn),
    )
    errors += check_links(library, claimed)
    errors += check_vocabulary_spelling(library)
    if codes is not None:
        errors += check_codes(library, codes)
    if errors:
        raise ContentErrors(errors)
    return library


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


def check_links(library: Library, claimed: Set[str] = frozenset()) -> list[ContentError]:
    errors: list[ContentError] = []
    for kind, terms in (
        ("symptom", library.symptoms),
        ("cause", library.causes),
        ("treatment", library.treatments),
    ):
        errors += _duplicates(((t.term.slug, t.path, t.line) for t in terms), f"{kind} slug")

    # Condition slugs and alias slugs share one namespace: an alias URL redirects to its condition.
    names: list[tuple[str, Path, int]] = []
    for parsed in library.conditions:
        front = parsed.document.front
        names.append((front.slug, parsed.path, parsed.line("slug")))
        for index, alias in enumerate(front.aliases):
            line = parsed.line("aliases", index)
            if not slugify(alias):
                errors.append(ContentError(parsed.path, line, f"alias '{alias}' has no letters or digits for a slug"))
            names.append((slugify(alias), parsed.path, line))
    errors += _duplicates(names, "slug or alias")

    condition_slugs = {parsed.document.front.slug for parsed in library.conditions} | claimed
    vocab = {
        "symptom": ({t.term.slug for t in library.symptoms}, "vocabulary/symptoms.yaml"),
        "cause": ({t.term.slug for t in library.causes}, "vocabulary/causes.yaml"),
        "treatment": ({t.term.slug for t in library.treatments}, "vocabulary/treatments.yaml"),
    }
    for parsed in library.conditions:
        doc = parsed.document
        sections: list[tuple[str, Section]] = [
            ("symptom", doc.symptoms),
            ("cause", doc.causes),
            ("treatment", doc.treatments),
            ("treatment", doc.self_care),
            ("symptom", doc.red_flags),
        ]
        for kind, section in sections:
            known, file_name = vocab[kind]
            used: set[str] = set()
            for item in section.items:
                for slug in item.terms:
                    if slug not in known:
                        errors.append(
                            ContentError(parsed.path, item.line, f"unknown {kind} '{slug}': define it in {file_name}")
                        )
                    elif slug in used:
                        errors.append(
                            ContentError(parsed.path, item.line, f"{kind} '{slug}' is listed twice in one section")
                        )
                    used.add(slug)
        for index, related in enumerate(doc.front.related):
            line = parsed.line("related", index)
            if related == doc.front.slug:
                errors.append(ContentError(parsed.path, line, "a condition cannot be related to itself"))
            elif related not in condition_slugs:
                errors.append(ContentError(parsed.path, line, f"related condition '{related}' does not exist"))
        errors += _duplicates(
            ((slug, parsed.path, parsed.line("related", i)) for i, slug in enumerate(doc.front.related)),
            "related condition",
        )
        errors += _duplicates(
            ((code.code, parsed.path, parsed.line("codes", i)) for i, code in enumerate(doc.front.codes)),
            "code",
        )

    for cause in library.causes:
        target = cause.term.condition
        if target is not None and target not in condition_slugs:
            errors.append(
                ContentError(
                    cause.path,
                    cause.line,
                    f"cause '{cause.term.slug}' points at condition '{target}', which does not exist",
                )
            )
    return errors


def check_codes(library: Library, codes: CodeSet) -> list[ContentError]:
    errors = []
    for parsed in library.conditions:
        for index, code in enumerate(parsed.document.front.codes):
            problem = codes.problem(code.code)
            if problem is not None:
                errors.append(ContentError(parsed.path, parsed.line("codes", index, "code"), problem))
    return errors


def check_vocabulary_spelling(library: Library) -> list[ContentError]:
    """One term per concept: names and aliases of different terms must not be near-duplicates."""
    errors = []
    vocabularies: tuple[
        tuple[str, list[ParsedTerm[CauseIn]] | list[ParsedTerm[SymptomIn]] | list[ParsedTerm[TreatmentIn]]], ...
    ] = (
        ("symptom", library.symptoms),
        ("cause", library.causes),
        ("treatment", library.treatments),
    )
    for kind, terms in vocabularies:
        where = {t.term.slug: t for t in terms}
        names = [Name(t.term.slug, text) for t in terms for text in (t.term.name, *t.term.aliases)]
        for first, second, distance in near_duplicates(names):
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
