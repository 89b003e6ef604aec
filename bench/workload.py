"""The requests `make bench-search` sends: long, deterministic lists of distinct queries made from the served
library's own words, so that, as in real traffic, almost every request misses the shared response cache.

Read from the SQLite file's content tables only (names, aliases and summaries of conditions; names, aliases and
descriptions of symptoms, causes and treatments; which symptoms each condition lists), never from the search
index, so the lists do not change when the engine does. The same file and length give the same lists.

- search: in turn a single word, a two-word phrase (neighbours in a name, alias or summary), a plural, a typo
  (one edit of a word of five letters or more, alone or in a phrase) and a lay word (an alias of a symptom,
  cause or treatment, or of a condition). No query appears twice.
- suggest: keystrokes. A label (a name or alias) is typed from the start of one of its words, one request per
  character, 1 to 8 characters; short prefixes recur, as they do in real type-ahead.
- match: 1 to 3 symptoms that one condition lists, in random order; one set in four names one of them in
  words (its name or an alias, which match resolves through search) instead of by slug. No set appears twice.
"""

import json
import random
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from urllib.parse import quote

LETTERS = re.compile(r"[^\W\d_]+")  # words of letters only: numbers in synthetic aliases are no one's query
FUNCTION_WORDS = frozenset("a an and are as at by for from in is it of on or the to with".split())
TYPO_MIN_LENGTH = 5  # shorter words have too few neighbours for a one-edit typo to stay recognisable
PREFIX_LENGTHS = range(1, 9)
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
NOT_NOUNS = ("s", "ed", "ing", "ly", "ful", "ous", "ive", "al")


@dataclass(frozen=True)
class Library:
    """What the queries are made from, read once from the database file."""

    texts: list[list[str]]  # each name, alias and summary as its words
    words: list[str]  # distinct words of 3 letters or more, no function words
    lay: list[str]  # aliases: the words patients use
    labels: list[str]  # what type-ahead completes: names and aliases
    symptoms_of: list[list[str]]  # per condition, the slugs of the symptoms it lists
    symptom_words: dict[str, list[str]]  # symptom slug -> its name and aliases, lower case


def read_library(path: Path) -> Library:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute
        names = [n for (n,) in rows("SELECT name FROM condition ORDER BY id")]
        summaries = [s for (s,) in rows("SELECT summary FROM condition ORDER BY id")]
        condition_aliases = [a for (a,) in rows("SELECT name FROM condition_alias ORDER BY condition_id, position")]
        terms: list[tuple[str, str, str, list[str]]] = []
        for table in ("symptom", "cause", "treatment"):
            query = f"SELECT slug, name, coalesce(description, ''), aliases FROM {table} ORDER BY id"
            terms += [(slug, name, text, _json_list(aliases)) for slug, name, text, aliases in rows(query)]
        listed: dict[int, list[str]] = {}
        for condition_id, slug in rows(
            "SELECT cs.condition_id, s.slug FROM condition_symptom cs JOIN symptom s ON s.id = cs.symptom_id "
            "WHERE cs.section = 'symptom' ORDER BY cs.condition_id, cs.position, cs.term_position"
        ):
            listed.setdefault(condition_id, []).append(slug)
        symptom_slugs = {slug for (slug,) in rows("SELECT slug FROM symptom")}
    finally:
        connection.close()
    term_names = [name for _, name, _, _ in terms]
    term_aliases = [alias for _, _, _, aliases in terms for alias in aliases]
    sources = names + summaries + condition_aliases + term_names + term_aliases + [text for *_, text, _ in terms]
    texts = [found for text in sources if (found := LETTERS.findall(text.lower()))]
    words = sorted({w for text in texts for w in text if len(w) >= 3 and w not in FUNCTION_WORDS})
    lay = [a for a in term_aliases + condition_aliases if not any(c.isdigit() for c in a)]
    return Library(
        texts=texts,
        words=words,
        lay=list(dict.fromkeys(a.lower() for a in lay)),
        labels=names + condition_aliases + term_names + term_aliases,
        symptoms_of=list(listed.values()),
        symptom_words={
            slug: [name.lower(), *(a.lower() for a in aliases)]
            for slug, name, _, aliases in terms
            if slug in symptom_slugs
        },
    )


def _json_list(value: str) -> list[str]:
    found = json.loads(value) if value else []
    return [str(item) for item in found]


# Search ---------------------------------------------------------------------------------------------------


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _typo(rng: random.Random, word: str) -> str:
    """One edit: drop, double, swap two neighbours, or replace a letter (never the first: people get it right)."""
    at = rng.randrange(1, len(word) - 1)
    edit = rng.randrange(4)
    if edit == 0:
        return word[:at] + word[at + 1 :]
    if edit == 1:
        return word[:at] + word[at] + word[at:]
    if edit == 2:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + rng.choice(ALPHABET.replace(word[at], "")) + word[at + 1 :]


def _phrase(rng: random.Random, library: Library) -> list[str] | None:
    text = rng.choice(library.texts)
    if len(text) < 2:
        return None
    at = rng.randrange(len(text) - 1)
    pair = text[at : at + 2]
    return None if any(w in FUNCTION_WORDS for w in pair) else pair


def search_queries(library: Library, rng: random.Random) -> Iterator[str]:
    """Distinct search queries, the five kinds in turn; a kind that has run out of new queries is skipped."""
    words = library.words
    single = iter(rng.sample(words, len(words)))
    nouns = [w for w in words if not w.endswith(NOT_NOUNS)]  # roughly: "spasm" gets a plural, "pressed" not
    plural = iter(_plural(w) for w in rng.sample(nouns, len(nouns)))
    lay = iter(rng.sample(library.lay, len(library.lay)))
    known = set(words)
    long_words = [w for w in words if len(w) >= TYPO_MIN_LENGTH]

    def phrase() -> str | None:
        pair = _phrase(rng, library)
        return " ".join(pair) if pair else None

    def typo() -> str | None:
        if rng.random() < 0.5:
            wrong = _typo(rng, rng.choice(long_words))
            return None if wrong in known else wrong
        pair = _phrase(rng, library)
        if not pair or all(len(w) < TYPO_MIN_LENGTH for w in pair):
            return None
        at = rng.choice([i for i, w in enumerate(pair) if len(w) >= TYPO_MIN_LENGTH])
        wrong = _typo(rng, pair[at])
        return None if wrong in known else " ".join([*pair[:at], wrong, *pair[at + 1 :]])

    kinds: list[Callable[[], str | None]] = [
        lambda: next(single, None),
        phrase,
        lambda: next(plural, None),
        typo,
        lambda: next(lay, None),
    ]
    yield from _distinct(kinds)


def _distinct(kinds: list[Callable[[], str | None]]) -> Iterator[str]:
    """Draw from each kind in turn, never the same value twice; stop when no kind yields anything new."""
    seen: set[str] = set()
    misses = [0] * len(kinds)
    while any(m < 200 for m in misses):
        for index, kind in enumerate(kinds):
            if misses[index] >= 200:  # 200 draws in a row gave nothing new: this kind is spent
                continue
            value = kind()
            if value is None or value in seen:
                misses[index] += 1
                continue
            misses[index] = 0
            seen.add(value)
            yield value


# Suggest --------------------------------------------------------------------------------------------------


def keystrokes(library: Library, rng: random.Random) -> Iterator[str]:
    """What type-ahead receives as people type: each label typed from a word start, 1 to 8 characters."""
    labels = library.labels
    while True:
        label = " ".join(LETTERS.findall(rng.choice(labels).lower()))
        starts = [0] + [m.start() + 1 for m in re.finditer(" ", label)]
        # Most people type the start of the name; some start at a later word ("spasm" for "back spasm").
        start = starts[0] if rng.random() < 0.7 else rng.choice(starts)
        typed = label[start:]
        for length in PREFIX_LENGTHS:
            if length > len(typed):
                break
            if not typed[length - 1].isspace():  # the key ignores a trailing space: it is the previous prefix
                yield typed[:length]


# Match ----------------------------------------------------------------------------------------------------


def symptom_sets(library: Library, rng: random.Random) -> Iterator[tuple[str, ...]]:
    """Distinct sets of 1-3 symptoms one condition lists; one in four names one of them in words."""
    draws = 0

    def draw() -> tuple[str, ...]:
        nonlocal draws
        draws += 1
        listed = rng.choice(library.symptoms_of)
        chosen = rng.sample(listed, min(len(listed), rng.randint(1, 3)))
        if draws % 4 == 0:
            at = rng.randrange(len(chosen))
            chosen[at] = rng.choice(library.symptom_words[chosen[at]])
        return tuple(chosen)

    seen: set[tuple[str, ...]] = set()
    misses = 0
    while misses < 2000:
        found = draw()
        if found in seen:
            misses += 1
            continue
        misses = 0
        seen.add(found)
        yield found


# Lists and paths ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    search: list[str]
    suggest: list[str]
    match: list[tuple[str, ...]]


def workload(path: Path, *, search: int, suggest: int, match: int, seed: int = 14) -> Workload:
    """Up to this many requests of each kind (fewer when the library has no more distinct ones)."""
    library = read_library(path)
    return Workload(
        search=list(islice(search_queries(library, random.Random(seed)), search)),
        suggest=list(islice(keystrokes(library, random.Random(seed)), suggest)),
        match=list(islice(symptom_sets(library, random.Random(seed)), match)),
    )


def search_path(query: str) -> str:
    return f"/v1/search?q={quote(query)}&limit=10"


def suggest_path(prefix: str) -> str:
    return f"/v1/search/suggest?q={quote(prefix)}"


def match_path(symptoms: tuple[str, ...]) -> str:
    return "/v1/conditions/match?" + "&".join(f"symptom={quote(s)}" for s in symptoms)
