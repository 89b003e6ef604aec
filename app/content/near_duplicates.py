"""Finds vocabulary names that are probably the same concept spelled two ways.

"low back pain", "lower back pain" and "lower-back pain" must be one term with aliases, not three terms. Names
are compared without case, spaces or punctuation; two names of *different* terms that one or two inserted or
dropped letters turn into each other (one for names under 8 characters) are reported. Letters *replaced* are
not counted as near: "neck brace"/"back brace" and "strain"/"sprain" are different words. Synonyms that share
no spelling ("lumbago") are not caught: that needs a human.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Name:
    term: str  # the slug of the term this name belongs to
    text: str


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def max_distance(key: str) -> int:
    return 1 if len(key) < 8 else 2


def _deletions(key: str, depth: int) -> set[str]:
    variants = {key}
    for _ in range(depth):
        variants |= {v[:i] + v[i + 1 :] for v in variants for i in range(len(v))}
    return variants


def edit_distance(a: str, b: str) -> int:
    """Insertions and deletions only: "lower"/"low" are close, while "neck"/"back" or "strain"/"sprain",
    which differ by substitutions, are different words."""
    previous = [0] * (len(b) + 1)
    for char_a in a:
        current = [0]
        for j, char_b in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if char_a == char_b else max(previous[j], current[j - 1]))
        previous = current
    return len(a) + len(b) - 2 * previous[-1]


def near_duplicates(names: Iterable[Name]) -> Iterator[tuple[Name, Name, int]]:
    """Pairs of names of different terms that are within the edit distance; each pair once."""
    by_variant: dict[str, list[tuple[str, Name]]] = defaultdict(list)
    keyed = [(squash(name.text), name) for name in names]
    for key, name in keyed:
        # Two strings within distance d share a string reachable from each by at most d deletions.
        for variant in _deletions(key, max_distance(key)):
            by_variant[variant].append((key, name))
    seen: set[tuple[str, str, str, str]] = set()
    for bucket in by_variant.values():
        for (key_a, a), (key_b, b) in combinations(bucket, 2):
            if a.term == b.term:
                continue
            pair = (
                (a.term, a.text, b.term, b.text)
                if (a.term, a.text) < (b.term, b.text)
                else (b.term, b.text, a.term, a.text)
            )
            if pair in seen:
                continue
            seen.add(pair)
            distance = edit_distance(key_a, key_b)
            if distance <= min(max_distance(key_a), max_distance(key_b)):
                yield (a, b, distance) if (a.term, a.text) < (b.term, b.text) else (b, a, distance)
