"""Parses one content file: a condition page (`conditions/*.md`) or a vocabulary list (`vocabulary/*.yaml`)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from frontmatter.default_handlers import YAMLHandler

from app.content.errors import ContentError, ContentErrors
from app.content.markdown_body import BodyParser
from app.content.schema import ConditionDocument, FrontMatter, Section, TermIn
from app.content.validation import validate
from app.content.yaml_lines import Path_, YamlSyntaxError, load_with_lines

TermT = TypeVar("TermT", bound=TermIn)

_front_matter = YAMLHandler()


@dataclass(frozen=True)
class ParsedCondition:
    path: Path
    document: ConditionDocument
    lines: dict[Path_, int]  # front matter key path -> file line

    def line(self, *key: str | int) -> int:
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class ParsedTerm(Generic[TermT]):
    path: Path
    line: int
    term: TermT


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentErrors([ContentError(path, 1, f"not UTF-8 text ({exc.reason})")]) from exc


def parse_condition(path: Path) -> ParsedCondition:
    """Parse and validate one condition file; raises ContentErrors listing every problem found."""
    text = read_text(path)
    opening = _front_matter.FM_BOUNDARY.match(text) if _front_matter.FM_BOUNDARY else None
    if opening is None:
        raise ContentErrors([ContentError(path, 1, "a condition file starts with YAML front matter after '---'")])
    try:
        front_text, content = _front_matter.split(text)
    except ValueError as exc:
        raise ContentErrors([ContentError(path, 1, "the front matter is not closed by a '---' line")]) from exc
    front_first_line = text.count("\n", 0, opening.end()) + 1
    body_first_line = text.count("\n", 0, len(text) - len(content)) + 1
    try:
        data, lines = load_with_lines(front_text, front_first_line)
    except YamlSyntaxError as exc:
        raise ContentErrors([ContentError(path, exc.line, exc.message)]) from exc
    if not isinstance(data, dict):
        raise ContentErrors([ContentError(path, front_first_line, "the front matter must be a mapping of fields")])
    front, errors = validate(FrontMatter, data, path=path, lines=lines)
    body_parser = BodyParser(path, content, body_first_line)
    body = body_parser.parse()
    errors += body_parser.errors
    if errors or front is None:
        raise ContentErrors(errors)
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
    return ParsedCondition(path=path, document=document, lines=lines)


def parse_vocabulary(path: Path, model: type[TermT]) -> list[ParsedTerm[TermT]]:
    """Parse a YAML list of vocabulary terms; raises ContentErrors listing every problem found."""
    try:
        data, lines = load_with_lines(read_text(path), 1)
    except YamlSyntaxError as exc:
        raise ContentErrors([ContentError(path, exc.line, exc.message)]) from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise ContentErrors([ContentError(path, 1, "a vocabulary file is a YAML list of terms ('- slug: ...')")])
    terms: list[ParsedTerm[TermT]] = []
    errors: list[ContentError] = []
    for index, entry in enumerate(data):
        term, entry_errors = validate(model, entry, path=path, lines=lines, base=(index,))
        errors += entry_errors
        if term is not None:
            terms.append(ParsedTerm(path=path, line=lines.get((index,), 1), term=term))
    if errors:
        raise ContentErrors(errors)
    return terms
