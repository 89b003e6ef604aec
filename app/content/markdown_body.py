"""Reads the Markdown body of a condition file into sections, items, and FAQs.

The body is written like a clinic page:

    Description paragraphs.
    ## Causes | Symptoms | Treatments | Self-care | When to seek urgent care
                                                    -> optional intro paragraphs, then one bullet list
    ## FAQ                                          -> `### Question` headings, each followed by its answer

A list item keeps the page's own words; Markdown links inside it name vocabulary terms, e.g.
`- [Rest](treatment:rest), [ice](treatment:ice-therapy) and immobilization.` A nested item that starts
with `Note:` is an editor's note on the item.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, text_join
from markdown_it.rules_core import inline as parse_inlines
from markdown_it.token import Token

from app.content.errors import ContentError
from app.content.schema import FaqIn, PageItem, Section
from app.content.slugs import SLUG_RE
from app.core.locales import DEFAULT_LANGUAGE, locale

LIST_SECTIONS = {
    "causes": "cause",
    "symptoms": "symptom",
    "treatments": "treatment",
    "self_care": "treatment",
    "red_flags": "symptom",
}
SECTION_HEADINGS = {
    "causes": "causes",
    "symptoms": "symptoms",
    "treatments": "treatments",
    "self-care": "self_care",
    "self care": "self_care",
    "when to seek urgent care": "red_flags",
    "red flags": "red_flags",
    "faq": "faqs",
    "faqs": "faqs",
    "frequently asked questions": "faqs",
}
NOTE_PREFIX = "note:"


def _first_headings(headings: Mapping[str, str]) -> list[str]:
    """The headings to suggest: the first spelling of each section."""
    if headings is SECTION_HEADINGS:
        return list(locale(DEFAULT_LANGUAGE).headings.values())
    first: dict[str, str] = {}
    for title, key in headings.items():
        first.setdefault(key, title[:1].upper() + title[1:])
    return list(first.values())


# Inline Markdown (links, emphasis) is parsed only where it is read, in list items: a page's paragraphs are kept as
# their source text, and parsing their inlines was a third of the cost of reading a page.
_markdown = MarkdownIt("commonmark").disable(["inline", "text_join"])


@dataclass
class Body:
    description: str = ""
    sections: dict[str, Section] = field(default_factory=dict)
    faqs: list[FaqIn] = field(default_factory=list)


@dataclass
class _Block:
    open: Token
    inner: list[Token]

    @property
    def kind(self) -> str:
        return self.open.type.removesuffix("_open")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _blocks(tokens: list[Token]) -> Iterator[_Block]:
    """Top-level blocks, each with the tokens inside it."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.nesting != 1:
            yield _Block(token, [])
            index += 1
            continue
        depth, end = 0, index
        for end in range(index, len(tokens)):
            depth += tokens[end].nesting
            if depth == 0:
                break
        yield _Block(token, tokens[index + 1 : end])
        index = end + 1


class BodyParser:
    def __init__(
        self,
        path: Path,
        content: str,
        first_line: int,
        headings: Mapping[str, str] = SECTION_HEADINGS,
        note_prefix: str = NOTE_PREFIX,
    ) -> None:
        """`headings` maps each lower-cased `## Heading` to its section key, and a nested item starting with
        `note_prefix` is an editor's note (a translation's are its language's)."""
        self.path = path
        self.headings = headings
        self.note_prefix = note_prefix.lower()
        self.lines = content.split("\n")
        self.first_line = first_line
        self.env: dict[str, Any] = {}  # link reference definitions, which inline parsing of items needs
        self.tokens = _markdown.parse(content, self.env)
        self.errors: list[ContentError] = []

    def line(self, token: Token) -> int:
        return self.first_line + (token.map[0] if token.map else 0)

    def error(self, token: Token, message: str) -> None:
        self.errors.append(ContentError(self.path, self.line(token), message))

    def source(self, blocks: list[_Block]) -> str:
        """The blocks as Markdown with the page's words, each paragraph and list item on one line.

        Editors wrap lines for reading; clients that show plain text should not get those line breaks.
        """
        return "\n\n".join(part for part in (self.unwrapped(block) for block in blocks) if part)

    def unwrapped(self, block: _Block) -> str:
        if block.kind == "paragraph":
            return _one_line(block.inner[0].content)
        if block.kind == "bullet_list":
            lines = []
            for token in block.inner:
                if token.type == "inline":
                    depth = (token.level - block.open.level - 3) // 2
                    lines.append("  " * depth + "- " + _one_line(token.content))
            return "\n".join(lines)
        if block.open.map is None:
            return ""
        start, end = block.open.map
        return "\n".join(self.lines[start:end]).strip()

    def parse(self) -> Body:
        body = Body()
        current: str | None = None  # None: the description, before the first section
        pending: list[_Block] = []  # prose blocks of the current part
        items: list[PageItem] | None = None
        question: Token | None = None
        seen_content = False

        def close_part() -> None:
            nonlocal pending, items, question
            if current is None:
                body.description = self.source(pending)
            elif current == "faqs":
                if question is not None:
                    answer = self.source(pending)
                    if not answer:
                        self.error(question, f"FAQ '{question.content}' has no answer")
                    body.faqs.append(FaqIn(question=question.content, answer=answer))
            elif current in LIST_SECTIONS:  # not an unknown section's words, already reported
                body.sections[current] = Section(intro=self.source(pending) or None, items=tuple(items or ()))
            pending, items, question = [], None, None

        for block in _blocks(self.tokens):
            if block.kind == "heading":
                level, title = int(block.open.tag[1]), block.inner[0].content.strip()
                if level == 1:
                    if seen_content:
                        self.error(block.open, "the '# title' heading must come first")
                    continue
                if level == 2:
                    close_part()
                    key = self.headings.get(title.lower())
                    if key is None:
                        allowed = ", ".join(_first_headings(self.headings))
                        self.error(block.open, f"unknown section '## {title}' (expected one of: {allowed})")
                    elif key in body.sections or (key == "faqs" and body.faqs):
                        self.error(block.open, f"section '## {title}' appears twice")
                    current = key if key is not None else "ignored"
                    continue
                if level == 3 and current == "faqs":
                    close_part()
                    question = block.inner[0]
                    question.map = block.open.map
                    continue
                if current != "faqs":
                    self.error(block.open, f"heading '{'#' * level} {title}' is not allowed here")
                    continue
            seen_content = True
            if current == "ignored":
                continue
            if current == "faqs" and question is None:
                self.error(block.open, "text in '## FAQ' must follow a '### Question' heading")
            elif current in LIST_SECTIONS and block.kind in ("bullet_list", "ordered_list"):
                if items is not None:
                    self.error(block.open, "a section has one list; merge the lists")
                    continue
                if block.kind == "ordered_list":
                    self.error(block.open, "use a bullet list ('- item'), not a numbered one")
                items = list(self.list_items(block, LIST_SECTIONS[current]))
            elif current in LIST_SECTIONS and items is not None:
                self.error(block.open, "text after the list; put it before the list as the section's intro")
            else:
                pending.append(block)
        close_part()
        if not body.description:
            self.errors.append(
                ContentError(self.path, self.first_line, "the page needs a description before the first section")
            )
        return body

    def list_items(self, block: _Block, scheme: str) -> Iterator[PageItem]:
        for item in _blocks(block.inner):
            if item.kind != "list_item":
                continue
            inlines = [t for t in item.inner if t.type == "inline" and t.level == item.open.level + 2]
            if not inlines:
                self.error(item.open, "empty list item")
                continue
            errors_before = len(self.errors)
            text, terms = self.inline_text(inlines[0], scheme)
            reported = len(self.errors) > errors_before
            notes = []
            for nested in item.inner:
                if nested.type == "inline" and nested.level > item.open.level + 2:
                    if nested.content.lower().startswith(self.note_prefix):
                        notes.append(_one_line(nested.content[len(self.note_prefix) :]))
                    else:
                        prefix = self.note_prefix.capitalize()
                        self.error(nested, f"a nested item must start with '{prefix}' (an editor's note)")
            if not terms:
                if reported:  # already said why (a link of the wrong kind): not also "names no term"
                    continue
                self.error(inlines[0], f"item names no {scheme}: link its words, e.g. [words]({scheme}:slug)")
                continue
            yield PageItem(text=text, note=" ".join(notes) or None, terms=tuple(terms), line=self.line(inlines[0]))

    def inline_children(self, inline: Token) -> list[Token]:
        """The inline tokens of one block, parsed as the core parser would have (then `\\*` escapes joined)."""
        if not inline.children:  # the block parser leaves it empty
            state = StateCore(inline.content, _markdown, self.env, [inline])
            parse_inlines(state)
            text_join(state)
        return inline.children or []

    def inline_pieces(self, inline: Token) -> Iterator[tuple[str, str]]:
        """The words ("text", words), link targets ("link", href) and HTML or images ("html", "") of an item."""
        plain = plain_item(inline.content)
        if plain is not None:
            yield from plain
            return
        for child in self.inline_children(inline):
            if child.type in ("text", "code_inline"):
                yield "text", child.content
            elif child.type == "softbreak":
                yield "text", " "
            elif child.type == "hardbreak":
                yield "text", "\n"
            elif child.type == "link_open":
                yield "link", str(child.attrs.get("href", ""))
            elif child.type in ("html_inline", "image"):
                yield "html", ""

    def inline_text(self, inline: Token, scheme: str) -> tuple[str, list[str]]:
        parts: list[str] = []
        terms: list[str] = []
        for kind, value in self.inline_pieces(inline):
            if kind == "text":
                parts.append(value)
            elif kind == "link":
                href = value
                prefix, _, slug = href.partition(":")
                if prefix not in ("symptom", "cause", "treatment"):
                    continue  # an ordinary web link: its words are kept, it names no term
                if prefix != scheme:
                    self.error(inline, f"'{href}' links a {prefix} in a list of {scheme}s")
                elif not SLUG_RE.match(slug):
                    self.error(inline, f"'{slug}' is not a valid slug (lowercase letters, digits, hyphens)")
                elif slug in terms:
                    self.error(inline, f"{scheme} '{slug}' is linked twice in one item")
                else:
                    terms.append(slug)
            else:
                self.error(inline, "HTML and images are not allowed in list items")
        return "".join(parts).strip(), terms


# Most list items are plain words and term links. Those are read with two regular expressions instead of
# markdown-it's inline parser (a third of the time to read a page); an item with any other Markdown (emphasis,
# code, escapes, entities, HTML, images, web links, a line ended by two spaces) is left to markdown-it. Both
# give the same pieces: tests/content/test_markdown_body.py holds them to it on random items.
_PLAIN_RUN = re.compile(r"[^\\`*_<>&!\[\]\n]+")
# Destinations of unreserved URL characters only, which markdown-it's link normalization leaves as they are.
_TERM_LINK = re.compile(r"\[([^\\`*_<>&!\[\]\n]*)\]\(((?:symptom|cause|treatment):[A-Za-z0-9._~-]*)\)")
_SOFT_BREAK = re.compile(r" ?\n[ \t]*")  # markdown-it drops one space before a line break and the indent after it


def plain_item(content: str) -> list[tuple[str, str]] | None:
    """The pieces of an item written in plain words and term links, or None when it uses other Markdown."""
    if "  \n" in content:  # a hard line break
        return None
    source = _SOFT_BREAK.sub(" ", content)
    pieces: list[tuple[str, str]] = []
    position = 0
    while position < len(source):
        match = _PLAIN_RUN.match(source, position)
        if match is not None:
            pieces.append(("text", match.group()))
        else:
            match = _TERM_LINK.match(source, position)
            if match is None:
                return None
            pieces += [("link", match.group(2)), ("text", match.group(1))]
        position = match.end()
    return pieces
