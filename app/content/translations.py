"""Reads the translations under `translations/<language>/` and holds each to the English entry it translates.

A translated condition file has the front matter of ConditionTranslationFront and the body of its original,
titled in its language (app/locales/<language>.yaml `headings`): the same sections, the same number of items in
each, every item linking the same terms in the same order, the same number of FAQs. A translated vocabulary file
lists terms of the original's. Anything else is an error at the file and line. An entry that has no translation
is a gap, which the linter reports as a warning: it is served in English, saying so.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.content.errors import ContentError
from app.content.markdown_body import LIST_SECTIONS, BodyParser
from app.content.parser import ConditionFile, split_page
from app.content.schema import ConditionTranslationFront, VocabularyTranslationIn
from app.content.validation import validate
from app.content.yaml_lines import YamlSyntaxError, load_with_lines
from app.core.locales import DEFAULT_LANGUAGE, Locale, locales

if TYPE_CHECKING:
    from app.content.library import ContentFolder

TRANSLATIONS_DIR = "translations"


@dataclass(frozen=True)
class Translation:
    kind: str  # condition, symptom, cause or treatment
    slug: str
    language: str
    document: dict[str, Any]

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.document, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Translated:
    """Every translation found, the errors in them, and the entries not translated (the linter's warnings)."""

    translations: list[Translation] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    gaps: list[ContentError] = field(default_factory=list)


def read_translations(folder: "ContentFolder") -> Translated:
    found = Translated()
    base = folder.root / TRANSLATIONS_DIR
    if not base.is_dir():
        return found
    catalogs = locales()
    for language_dir in sorted(path for path in base.iterdir() if path.is_dir()):
        locale = catalogs.get(language_dir.name)
        if locale is None or locale.tag == DEFAULT_LANGUAGE:
            served = ", ".join(tag for tag in catalogs if tag != DEFAULT_LANGUAGE)
            message = (
                f"no language '{language_dir.name}' to translate into: a folder here is named after a language "
                f"with an interface catalog in app/locales/ ({served})"
            )
            found.errors.append(ContentError(language_dir, 1, message))
            continue
        _read_language(folder, language_dir, locale, found)
    return found


def _read_language(folder: "ContentFolder", language_dir: Path, locale: Locale, found: Translated) -> None:
    originals = {file.slug: file for file in folder.conditions if file.slug is not None}
    headings = {title.lower(): key for key, title in locale.headings.items()}
    translated: set[str] = set()
    for path in sorted((language_dir / "conditions").glob("*.md")):
        slug = _read_condition(path, folder.root, locale, headings, originals, found)
        if slug is not None:
            translated.add(slug)
    for slug, original in sorted(originals.items()):
        if slug not in translated:
            where = (language_dir / "conditions").relative_to(folder.root).as_posix()
            message = f"condition '{slug}' has no {locale.name} translation in {where}/"
            found.gaps.append(ContentError(original.path, 1, message))
    for kind, vocabulary in folder.vocabularies().items():
        path = language_dir / "vocabulary" / vocabulary.path.name
        done = _read_vocabulary(path, kind, folder, locale.tag, found) if path.exists() else set()
        missing = [term.term.slug for term in vocabulary.terms if term.term.slug not in done]
        if missing:
            shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            where = path.relative_to(folder.root).as_posix()
            message = f"{len(missing)} {kind}(s) have no {locale.name} translation in {where}: {shown}"
            found.gaps.append(ContentError(vocabulary.path, 1, message))


def _read_condition(
    path: Path,
    root: Path,
    locale: Locale,
    headings: Mapping[str, str],
    originals: Mapping[str, ConditionFile],
    found: Translated,
) -> str | None:
    """Check one translated condition file; returns the slug it translates when it names one."""
    english = locales()[DEFAULT_LANGUAGE].headings  # errors name the original's sections as its file titles them
    page = split_page(path, path.read_bytes())
    if isinstance(page, ContentError):
        found.errors.append(page)
        return None
    body_parser = BodyParser(path, page.body, page.body_first_line, headings, locale.note_prefix)
    body = body_parser.parse()
    errors = list(body_parser.errors)
    try:
        data, lines = load_with_lines(page.front, page.front_first_line)
    except YamlSyntaxError as exc:
        found.errors += [*errors, ContentError(path, exc.line, exc.message)]
        return None
    front, front_errors = validate(ConditionTranslationFront, data, path=path, lines=lines)
    errors += front_errors
    if front is None:
        found.errors += errors
        return None
    original = originals.get(front.slug)
    if original is None:
        message = f"translates condition '{front.slug}', which has no file in conditions/"
        found.errors += [*errors, ContentError(path, lines.get(("slug",), 1), message)]
        return front.slug
    of = original.path.relative_to(root).as_posix()
    if front.translation.of != of:
        message = f"translation.of is '{front.translation.of}', but condition '{front.slug}' is in {of}"
        errors.append(ContentError(path, lines.get(("translation", "of"), 1), message))
    if original.has_duration is not None and original.has_duration != (front.duration_text is not None):
        message = (
            "duration_text: the original gives a duration, translate its words here"
            if original.has_duration
            else "duration_text: the original gives no duration"
        )
        errors.append(ContentError(path, lines.get(("duration_text",), 1), message))
    for key, section in body.sections.items():
        if key not in original.term_links:
            title = locale.headings[key]
            errors.append(ContentError(path, page.body_first_line, f"section '## {title}' is not in the original"))
            continue
        wanted = original.term_links[key]
        for index, item in enumerate(section.items):
            if index >= len(wanted):
                name = english[key]
                message = f"{name}: the original has {len(wanted)} item(s); this is item {index + 1}"
                errors.append(ContentError(path, item.line, message))
            elif item.terms != wanted[index].terms:
                links = ", ".join(f"{LIST_SECTIONS[key]}:{slug}" for slug in wanted[index].terms)
                message = f"the item links other terms than the original's (line {wanted[index].line}): {links}"
                errors.append(ContentError(path, item.line, message))
        if len(section.items) < len(wanted):
            name = english[key]
            message = f"{name}: the original has {len(wanted)} item(s), this translation {len(section.items)}"
            errors.append(ContentError(path, page.body_first_line, message))
    for key in original.term_links:
        if key not in body.sections:
            message = f"the original's section {english[key]} is missing: translate it"
            errors.append(ContentError(path, page.body_first_line, message))
    if original.faqs is not None and len(body.faqs) != original.faqs:
        message = f"the original has {original.faqs} FAQ(s), this translation {len(body.faqs)}"
        errors.append(ContentError(path, page.body_first_line, message))
    if errors:
        found.errors += errors
        return front.slug
    document: dict[str, Any] = {
        "name": front.name,
        "aliases": front.aliases,
        "summary": front.summary,
        "body_area": front.body_area,
        "description": body.description,
        "duration_text": front.duration_text,
        **{f"{key}_intro": body.sections[key].intro if key in body.sections else None for key in _INTRO_SECTIONS},
        "items": {
            key: [{"text": item.text, "note": item.note} for item in section.items]
            for key, section in body.sections.items()
        },
        "faqs": [{"question": faq.question, "answer": faq.answer} for faq in body.faqs],
        "editor_notes": front.editor_notes,
        "review": front.review.model_dump(mode="json"),
        "translation": front.translation.model_dump(mode="json", exclude={"of"}),  # the file, not the entry
    }
    found.translations.append(Translation("condition", front.slug, locale.tag, document))
    return front.slug


_INTRO_SECTIONS = ("causes", "symptoms", "treatments", "self_care")  # the sections whose intro an entry keeps


def _read_vocabulary(path: Path, kind: str, folder: "ContentFolder", language: str, found: Translated) -> set[str]:
    """Check one translated vocabulary file; returns the slugs it translates."""
    try:
        data, lines = load_with_lines(path.read_bytes().decode("utf-8"), 1)
    except UnicodeDecodeError as exc:
        found.errors.append(ContentError(path, 1, f"not UTF-8 text ({exc.reason})"))
        return set()
    except YamlSyntaxError as exc:
        found.errors.append(ContentError(path, exc.line, exc.message))
        return set()
    parsed, errors = validate(VocabularyTranslationIn, data, path=path, lines=lines)
    found.errors += errors
    if parsed is None:
        return set()
    vocabulary = folder.vocabularies()[kind]
    of = vocabulary.path.relative_to(folder.root).as_posix()
    if parsed.translation.of != of:
        message = f"translation.of is '{parsed.translation.of}', but this file translates {of}"
        found.errors.append(ContentError(path, lines.get(("translation", "of"), 1), message))
    known = {term.term.slug for term in vocabulary.terms} | vocabulary.invalid
    seen: set[str] = set()
    names: dict[str, str] = {}
    for index, term in enumerate(parsed.terms):
        line = lines.get(("terms", index), 1)
        if term.slug not in known:
            found.errors.append(ContentError(path, line, f"{kind} '{term.slug}' is not in {of}"))
            continue
        if term.slug in seen:
            found.errors.append(ContentError(path, line, f"{kind} '{term.slug}' is translated twice"))
            continue
        seen.add(term.slug)
        for name in (term.name, *term.aliases):
            owner = names.setdefault(name.casefold(), term.slug)
            if owner != term.slug:
                message = f"{kind} '{term.slug}' name '{name}' is also a name of '{owner}': one name, one term"
                found.errors.append(ContentError(path, line, message))
        document = {
            "name": term.name,
            "aliases": term.aliases,
            "description": term.description,
            "editor_notes": term.editor_notes,
            "review": parsed.review.model_dump(mode="json"),
            "translation": parsed.translation.model_dump(mode="json", exclude={"of"}),
        }
        found.translations.append(Translation(kind, term.slug, language, document))
    return seen
