"""List items in plain words and term links are read without markdown-it's inline parser: whatever an item
says, the words, terms and errors must be the ones markdown-it's reading gives."""

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token

from app.content import markdown_body
from app.content.markdown_body import BodyParser, plain_item

# Pieces of items: words, term links and their parts, and every character inline Markdown gives a meaning to.
FRAGMENTS = [
    "Rest",
    "pain",
    " ",
    "  ",
    "\t",
    "\n",
    " \n",
    "  \n",
    "\n  ",
    ",",
    ".",
    "(",
    ")",
    "[",
    "]",
    "](",
    "[Low back pain](symptom:low-back-pain)",
    "[ice](treatment:cold-therapy)",
    "[x](cause:aging)",
    "[](symptom:pain)",
    "[a\nb](symptom:pain)",
    "[Bad](symptom:Bad_Slug)",
    "[web](https://example.org/a_b)",
    "[js](javascript:alert)",
    "[ref]",
    "[ref][r]",
    "symptom:",
    "treatment:rest",
    "*",
    "_",
    "`",
    "`code`",
    "\\",
    "\\*",
    "&amp;",
    "&",
    "<b>",
    "<",
    ">",
    "!",
    "![img](x.png)",
    "é",
    "“knot”",
    "~",
    "#",
    ":",
    "-",
]


# Links of every kind, to destinations markdown-it may normalize (percent-encoding "é", keeping "%41").
LINKS = st.builds(
    "[{}]({}:{})".format,
    st.sampled_from(["Rest", "", "low back", "*x*", "a\nb"]),
    st.sampled_from(["symptom", "cause", "treatment", "https", "javascript"]),
    st.text(alphabet="az-_.~AZ0é%/ ()<>\\", max_size=6),
)


def read(content: str, scheme: str, *, fast: bool) -> tuple[object, ...]:
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(markdown_body, "plain_item", lambda _: None)
        parser = BodyParser(Path("item.md"), "\n[r]: symptom:pain\n", 10)  # a reference definition, as pages may have
        token = Token("inline", "", 0, content=content, map=[0, 1], children=[])
        text, terms = parser.inline_text(token, scheme)
    return text, terms, [str(error) for error in parser.errors]


@settings(max_examples=2000, deadline=None)
@example(pieces=["[x](symptom:%)"], scheme="symptom")  # markdown-it writes "%25"
@example(pieces=["[x](symptom:é)"], scheme="symptom")  # and "%C3%A9"
@example(pieces=["[x](javascript:y)"], scheme="symptom")  # and makes no link of it
@example(pieces=["a", "  \n", "b"], scheme="symptom")  # a hard break
@example(pieces=["a", " \n", "\t", "[x](symptom:pain)"], scheme="symptom")  # a soft one
@given(
    pieces=st.lists(st.sampled_from(FRAGMENTS) | LINKS, max_size=12),
    scheme=st.sampled_from(["symptom", "cause", "treatment"]),
)
def test_plain_items_read_as_markdown_it_reads_them(pieces: list[str], scheme: str) -> None:
    content = "".join(pieces).strip()
    assert read(content, scheme, fast=True) == read(content, scheme, fast=False)


def test_the_plain_reading_covers_the_usual_items() -> None:
    assert plain_item("[Rest](treatment:rest), [ice](treatment:cold-therapy) and\n  immobilization.") == [
        ("link", "treatment:rest"),
        ("text", "Rest"),
        ("text", ", "),
        ("link", "treatment:cold-therapy"),
        ("text", "ice"),
        ("text", " and immobilization."),
    ]
    for other_markdown in ("**bold** [x](symptom:pain)", "a  \nb", "[web](https://x.org)", "R&amp;R", "a\\*"):
        assert plain_item(other_markdown) is None
