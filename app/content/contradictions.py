"""Flags advice that contradicts itself within one page, with a small rule set an editor can follow.

Rule: an item of advice that says *not* to do something ("Do not apply pressure to the affected area.") is
compared with every other item of the same page's treatments and self-care. When the other item does not
negate, and shares at least two content words with what the first forbids (covering at least half of them,
after crude stemming: "pressure" ~ "press"), at least one of which is not a place word ("affected", "area"),
the pair is reported.

It catches direct "do X" / "do not X" pairs. It misses contradictions in other words ("rest" / "keep
moving"), ones spread over FAQ answers, and it can flag two items that merely qualify each other: it warns,
it does not fail.
"""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

NEGATION = re.compile(r"\b(?:do not|don't|never|avoid|avoiding|stop)\b", re.IGNORECASE)
STOPWORDS = frozenset(
    """a an and any are as at be both by can do for from help in into is it its of on or that the their them
    this to with you your need should may will""".split()
)
# Words that say *where*, not *what*: sharing only these ("the affected area") is no contradiction.
PLACES = frozenset({"affect", "area", "part", "side", "spot", "region", "injur", "back", "bod", "muscl", "skin"})
SUFFIXES = ("ation", "ing", "ure", "ed", "es", "s", "y")


def stem(word: str) -> str:
    """Crude suffix stripping, enough to match "pressure" with "press" and "massaging" with "massage"."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> set[str]:
    return {stem(word) for word in re.findall(r"[a-z]+", text.lower()) if word not in STOPWORDS}


@dataclass(frozen=True)
class Advice:
    text: str
    line: int


@dataclass(frozen=True)
class Contradiction:
    forbidding: Advice
    advising: Advice
    shared: tuple[str, ...]


def contradictions(items: Sequence[Advice]) -> Iterator[Contradiction]:
    for forbidding in items:
        negation = NEGATION.search(forbidding.text)
        if negation is None:
            continue
        forbidden = content_stems(forbidding.text[negation.end() :])
        for advising in items:
            if advising is forbidding or NEGATION.search(advising.text):
                continue
            shared = forbidden & content_stems(advising.text)
            if len(shared) >= 2 and 2 * len(shared) >= len(forbidden) and shared - PLACES:
                yield Contradiction(forbidding, advising, tuple(sorted(shared)))
