"""Parses one content file: a condition page (`conditions/*.md`) or a vocabulary list (`vocabulary/*.yaml`).

A file is read as far as it goes: what is valid is kept beside the errors, so the checks across files still
run on it, and an editor sees every problem in one run rather than one layer at a time.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar

from frontmatter.default_handlers import YAMLHandler
from pydantic import TypeAdapter, ValidationError

from app.content.errors import ContentError
from app.content.markdown_body import BodyParser
from app.content.schema import CodeIn, ConditionDocument, FrontMatter, Section, Slug, TermIn, Text
from app.content.validation import validate
from app.content.yaml_lines import Path_, YamlSyntaxError, load_with_lines

TermT = TypeVar("TermT", bound=TermIn)
ItemT = TypeVar("ItemT")

_front_matter = YAMLHandler()
_SLUG_LINE = re.compile(r"^slug:\s*([a-z0-9-]+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class ParsedCondition:
    path: Path
    document: ConditionDocument
    lines: dict[Path_, int]  # front matter key path -> file line

    def line(self, *key: str | int) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class FrontLinks:
    """The front matter lists that name other entries or codes, by position in the file's list (so each keeps
    its line). Only valid items are kept: the checks across files run on them even when others are wrong."""

    aliases: dict[int, str] = field(default_factory=dict)
    codes: dict[int, CodeIn] = field(default_factory=dict)
    related: dict[int, str] = field(default_factory=dict)


_TEXT: TypeAdapter[str] = TypeAdapter(Text)
_CODE: TypeAdapter[CodeIn] = TypeAdapter(CodeIn)
_SLUG: TypeAdapter[str] = TypeAdapter(Slug)


@dataclass(frozen=True)
class ItemTerms:
    """The vocabulary terms one list item of a page names, and the item's line."""

    line: int
    terms: tuple[str, ...]


@dataclass(frozen=True)
class ConditionFile:
    """One condition file as far as it could be read: its errors, and what the checks across files need."""

    path: Path
    errors: list[ContentError]
    slug: str | None = None  # claimed even when the file is invalid: links to it are not "unknown"
    links: FrontLinks = field(default_factory=FrontLinks)
    # The terms each list section's items name, when the body could be read.
    term_links: Mapping[str, tuple[ItemTerms, ...]] = field(default_factory=dict)
    lines: dict[Path_, int] = field(default_factory=dict)
    condition: ParsedCondition | None = None  # the whole file, when it has no errors
    sha256: str | None = None  # of the file's bytes
    # What a translation must match besides the terms (app/content/translations.py), when the file could be read.
    faqs: int | None = None  # how many FAQs the page has
    has_duration: bool | None = None
    known: bool = False  # unchanged since the database was seeded from it: taken from its summary, not parsed

    def line(self, *key: str | int) -> int:
        return self.lines.get(key, 1)


def _term_links(sections: Mapping[str, Section]) -> dict[str, tuple[ItemTerms, ...]]:
    return {key: tuple(ItemTerms(item.line, item.terms) for item in section.items) for key, section in sections.items()}


@dataclass(frozen=True)
class ParsedTerm(Generic[TermT]):
    path: Path
    line: int
    term: TermT


@dataclass(frozen=True)
class VocabularyFile(Generic[TermT]):
    """One vocabulary file as far as it could be read."""

    path: Path
    errors: list[ContentError]
    terms: list[ParsedTerm[TermT]] = field(default_factory=list)  # the valid entries
    invalid: frozenset[str] = frozenset()  # slugs of entries with errors: they exist, links to them are fine
    readable: bool = True  # False when no entry could be read, so no link to this vocabulary can be checked


def _read_text(path: Path) -> str | ContentError:
    return _decode(path, path.read_bytes())


def _decode(path: Path, data: bytes) -> str | ContentError:
    try:
        # As Path.read_text does: universal newlines, so a file saved with CRLF parses (and counts lines) alike.
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        return ContentError(path, 1, f"not UTF-8 text ({exc.reason})")


def read_condition(path: Path) -> ConditionFile:
    """Parse and validate one condition file, collecting every problem found."""
    return parse_condition(path, path.read_bytes())


def parse_condition(path: Path, data: bytes) -> ConditionFile:
    """Parse and validate the bytes of the condition file at `path`, collecting every problem found."""
    return replace(_parse_condition(path, data), sha256=hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class PageText:
    """A page file split into its front matter and Markdown body, with the file line each starts on."""

    front: str
    body: str
    front_first_line: int
    body_first_line: int


def split_page(path: Path, data: bytes) -> PageText | ContentError:
    text = _decode(path, data)
    if isinstance(text, ContentError):
        return text
    opening = _front_matter.FM_BOUNDARY.match(text) if _front_matter.FM_BOUNDARY else None
    if opening is None:
        return ContentError(path, 1, "a condition file starts with YAML front matter after '---'")
    try:
        front_text, content = _front_matter.split(text)
    except ValueError:
        return ContentError(path, 1, "the front matter is not closed by a '---' line")
    front_first_line = text.count("\n", 0, opening.end()) + 1
    body_first_line = text.count("\n", 0, len(text) - len(content)) + 1
    return PageText(front_text, content, front_first_line, body_first_line)


def _parse_condition(path: Path, data: bytes) -> ConditionFile:
    page = split_page(path, data)
    if isinstance(page, ContentError):
        return ConditionFile(path, [page])
    front_text, content, front_first_line, body_first_line = (
        page.front,
        page.body,
        page.front_first_line,
        page.body_first_line,
    )

    # The body does not depend on the front matter: it is checked even when the front matter is unreadable.
    body_parser = BodyParser(path, content, body_first_line)
    body = body_parser.parse()
    errors = list(body_parser.errors)
    try:
        data, lines = load_with_lines(front_text, front_first_line)
    except YamlSyntaxError as exc:
        claimed = _SLUG_LINE.search(front_text)
        errors.append(ContentError(path, exc.line, exc.message))
        slug = claimed.group(1) if claimed else None
        return ConditionFile(path, errors, slug=slug, term_links=_term_links(body.sections))
    if not isinstance(data, dict):
        errors.append(ContentError(path, front_first_line, "the front matter must be a mapping of fields"))
        return ConditionFile(path, errors, term_links=_term_links(body.sections))

    front, front_errors = validate(FrontMatter, data, path=path, lines=lines)
    errors += front_errors
    slug = data.get("slug")
    file = ConditionFile(
        path,
        errors,
        slug=slug if isinstance(slug, str) else None,
        links=_valid_links(data),
        term_links=_term_links(body.sections),
        lines=lines,
        faqs=len(body.faqs),
        has_duration=data.get("duration") is not None,
    )
    if errors or front is None:
        return file
    document = ConditionDocument(
        front=front,
        description=body.description,
        causes=body.sections.get("causes", Section()),
        symptoms=body.sections.get("symptoms", Section()),
        treatments=body.sections.get("treatments", Section()),
        self_care=body.sections.get("self_care", Section()),
        red_flags=body.sections.get("red_flags", Section()),
        faqs=tuple(body.faqs),
    )
    return replace(file, condition=ParsedCondition(path=path, document=document, lines=lines))


def _valid_links(data: dict[Any, Any]) -> FrontLinks:
    return FrontLinks(
        aliases=_valid_items(data.get("aliases"), _TEXT),
        codes=_valid_items(data.get("codes"), _CODE),
        related=_valid_items(data.get("related"), _SLUG),
    )


def _valid_items(items: object, item_type: TypeAdapter[ItemT]) -> dict[int, ItemT]:
    valid = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        try:
            valid[index] = item_type.validate_python(item)
        except ValidationError:
            continue  # reported by the validation of the whole front matter
    return valid


def read_vocabulary(path: Path, model: type[TermT]) -> VocabularyFile[TermT]:
    """Parse a YAML list of vocabulary terms, collecting every problem found."""
    text = _read_text(path)
    if isinstance(text, ContentError):
        return VocabularyFile(path, [text], readable=False)
    try:
        data, lines = load_with_lines(text, 1)
    except YamlSyntaxError as exc:
        return VocabularyFile(path, [ContentError(path, exc.line, exc.message)], readable=False)
    if data is None:
        return VocabularyFile(path, [])
    if not isinstance(data, list):
        message = "a vocabulary file is a YAML list of terms ('- slug: ...')"
        return VocabularyFile(path, [ContentError(path, 1, message)], readable=False)
    terms: list[ParsedTerm[TermT]] = []
    invalid: set[str] = set()
    errors: list[ContentError] = []
    for index, entry in enumerate(data):
        term, entry_errors = validate(model, entry, path=path, lines=lines, base=(index,))
        errors += entry_errors
        if term is not None:
            terms.append(ParsedTerm(path=path, line=lines.get((index,), 1), term=term))
        elif slug := _claimed_slug(entry):
            invalid.add(slug)
    return VocabularyFile(path, errors, terms, frozenset(invalid))


def _claimed_slug(entry: object) -> str | None:
    """The slug an invalid entry was meant to have (`- slug: nsaids` without its kind, or a bare `- nsaids`)."""
    slug = entry.get("slug") if isinstance(entry, dict) else entry
    return slug if isinstance(slug, str) else None
