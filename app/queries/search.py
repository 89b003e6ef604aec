"""Full-text search, spelling suggestions and type-ahead over the index the seed pipeline builds.

User text never reaches the engine as syntax: it is cut into words (letters and digits only), each analyzed
as the documents were, and the query is built from those terms, so `"`, `*`, `AND` or `-` are just characters.
Ranking is BM25 over the name, aliases, summary and body (weighted in that order), conditions first among
equals; the engine keeps only the best `offset + limit` and counts the rest without ranking them.

Everything here is per language: a search in Spanish reads the Spanish index (Spanish stemming, Spanish
statistics), corrects against the Spanish word list and suggests Spanish names. A language with no index of
its own is searched in the default language.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import tantivy
from rapidfuzz.distance import OSA
from sqlalchemy import text
from sqlmodel import Session

from app.core.locales import DEFAULT_LANGUAGE, locales
from app.queries import search_engine
from app.queries.search_engine import Opened

WORD_RE = re.compile(r"[^\W_]+")
MAX_WORDS = 12
MAX_WORD_LENGTH = 40
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
SNIPPET_CHARACTERS = 90
# Where a hit's snippet comes from: the first of these fields that contains a searched word.
SNIPPET_FIELDS = ("summary", "body", "aliases", "name")
ELLIPSIS = "…"


MAX_QUERY_LENGTH = 200  # room for a long question; the words past MAX_WORDS are not searched anyway


def _folded(word: str) -> str:
    return "".join(_FOLD.analyze(word))


def _words(query: str) -> list[str]:
    return [word[:MAX_WORD_LENGTH] for word in WORD_RE.findall(query.lower())]


def meaningful_words(query: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The words of a query that are not function words ("my", "the", "a"; "mi", "el", "una")."""
    # Function words people type but pages rarely share, from the language's catalog (compared folded).
    stopwords = locales()[language].search_stopwords if language in locales() else frozenset()
    return [word for word in _words(query) if _folded(word) not in stopwords]


def query_words(query: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The words searched for: the meaningful ones, or every word when there are none (`"the who"`)."""
    return (meaningful_words(query, language) or _words(query))[:MAX_WORDS]


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    name: str
    snippet: str
    score: float
    language: str  # of the name and snippet: the one searched, or the default for an entry not translated


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    searched_for: str  # the words the results are for (after spelling correction)
    did_you_mean: str | None  # a corrected query, when some words were not found
    language: str  # the language searched


_FOLD = search_engine.folding_analyzer()
_ANALYZERS: dict[str, tantivy.TextAnalyzer] = {}


def _analyzer(language: str) -> tantivy.TextAnalyzer:
    analyzer = _ANALYZERS.get(language)
    if analyzer is None:
        analyzer = _ANALYZERS[language] = search_engine.text_analyzer(language)
    return analyzer


def _terms(word: str, language: str) -> list[str]:
    return _analyzer(language).analyze(word)  # none for a word longer than any indexed one


def _field_query(engine: Opened, field: str, terms: Sequence[str], *, any_word: bool) -> tantivy.Query:
    occur = tantivy.Occur.Should if any_word else tantivy.Occur.Must
    schema = engine.index.schema
    return tantivy.Query.boolean_query([(occur, tantivy.Query.term_query(schema, field, term)) for term in terms])


def _query(engine: Opened, terms: Sequence[str], kinds: Sequence[str], *, any_word: bool) -> tantivy.Query:
    parts = [(tantivy.Occur.Must, _field_query(engine, "text", terms, any_word=any_word))]
    if kinds:
        parts.append((tantivy.Occur.Must, tantivy.Query.term_set_query(engine.index.schema, "kind", list(kinds))))
    return tantivy.Query.boolean_query(parts)


def _marked(snippet: tantivy.Snippet) -> str:
    """The fragment with each highlighted word between HIGHLIGHT_START and HIGHLIGHT_END (offsets are bytes)."""
    fragment = snippet.fragment().encode()
    parts: list[bytes] = []
    done = 0
    for span in snippet.highlighted():
        parts += [fragment[done : span.start], HIGHLIGHT_START.encode(), fragment[span.start : span.end]]
        parts.append(HIGHLIGHT_END.encode())
        done = span.end
    return b"".join([*parts, fragment[done:]]).decode()


class _Snippets:
    """Snippets for one query's hits: from the first field (in SNIPPET_FIELDS order) that has a searched word."""

    def __init__(self, engine: Opened, terms: Sequence[str]) -> None:
        self._engine = engine
        self._terms = terms
        self._generators: dict[str, tantivy.SnippetGenerator] = {}

    def _generator(self, field: str) -> tantivy.SnippetGenerator:
        generator = self._generators.get(field)
        if generator is None:
            query = _field_query(self._engine, field, self._terms, any_word=True)
            generator = tantivy.SnippetGenerator.create(self._engine.searcher, query, self._engine.index.schema, field)
            generator.set_max_num_chars(SNIPPET_CHARACTERS)
            self._generators[field] = generator
        return generator

    def of(self, document: tantivy.Document) -> str:
        for field in SNIPPET_FIELDS:
            snippet = self._generator(field).snippet_from_doc(document)
            if snippet.highlighted():
                return self._with_ellipses(document, field, snippet)
        # Matched only by hidden words (another name of a symptom the page lists): the summary's start.
        summary = " ".join(str(value) for value in document.get_all("summary")).strip()
        if len(summary) <= SNIPPET_CHARACTERS:
            return summary
        return summary[:SNIPPET_CHARACTERS].rsplit(" ", 1)[0] + ELLIPSIS

    @staticmethod
    def _with_ellipses(document: tantivy.Document, field: str, snippet: tantivy.Snippet) -> str:
        whole = " ".join(str(value) for value in document.get_all(field)).strip().encode()
        span = snippet.fragment_range()
        before = ELLIPSIS if span.start > 0 else ""
        after = ELLIPSIS if span.end < len(whole) else ""
        return f"{before}{_marked(snippet)}{after}"


def _run(
    engine: Opened,
    language: str,
    words: Sequence[str],
    kinds: Sequence[str],
    *,
    limit: int,
    offset: int,
    any_word: bool = False,
) -> tuple[list[Hit], int]:
    terms = [term for word in words for term in _terms(word, language)]
    if not terms:
        return [], 0
    searcher = engine.searcher
    found = searcher.search(
        _query(engine, terms, kinds, any_word=any_word), limit, count=True, offset=offset, weight_by_field="weight"
    )
    snippets = _Snippets(engine, terms)
    hits = []
    for score, address in found.hits:
        document = searcher.doc(address)
        kind, slug, name, written_in = (document.get_first(field) for field in ("kind", "slug", "name", "language"))
        hits.append(Hit(str(kind), str(slug), str(name), snippets.of(document), float(score), str(written_in)))
    return hits, found.count or 0  # type: ignore[attr-defined]  # (missing from the package's stub)


def _known(engine: Opened, language: str, word: str) -> bool:
    """Whether the word (analyzed as the index analyzes it) matches anything."""
    terms = _terms(word, language)
    return bool(terms) and all(engine.searcher.doc_freq("text", term) for term in terms)


def correct_word(session: Session, word: str, language: str = DEFAULT_LANGUAGE) -> str | None:
    """The word of `language`'s list nearest to `word` in spelling, if one is close enough; candidates share
    trigrams. Both are compared with accents folded, so a missing accent costs no edit ("ciatca" is one edit
    from "ciática"), and the word is returned as the pages write it."""
    folded = _folded(word)
    if len(folded) < 3:
        return None
    trigrams = {folded[i : i + 3] for i in range(len(folded) - 2)}
    candidates = session.execute(
        text(
            "SELECT w.word, t.word, w.documents FROM search_word_trigram t JOIN search_word w ON w.id = t.rowid "
            "WHERE search_word_trigram MATCH :trigrams AND w.language = :language ORDER BY rank LIMIT 60"
        ),
        {"trigrams": " OR ".join(f'"{trigram}"' for trigram in sorted(trigrams)), "language": language},
    )
    allowed = 1 if len(folded) <= 4 else 2
    best: tuple[int, int, str] | None = None
    for candidate, folded_candidate, documents in candidates:
        # Edits (insert, delete, substitute, swap two neighbours), counted no further than allowed.
        distance = OSA.distance(folded, folded_candidate, score_cutoff=allowed)
        if distance <= allowed and (best is None or (distance, -documents) < best[:2]):
            best = (distance, -documents, candidate)
    return best[2] if best else None


def search(
    session: Session,
    query: str,
    *,
    kinds: Sequence[str],
    limit: int,
    offset: int,
    language: str = DEFAULT_LANGUAGE,
) -> SearchResult:
    indexes = search_engine.current(session)
    language = indexes.language(language)
    words = query_words(query, language)
    if not words:
        return SearchResult([], 0, "", None, language)
    engine = indexes.text_in(language)
    hits, total = _run(engine, language, words, kinds, limit=limit, offset=offset)
    if total:
        return SearchResult(hits, total, " ".join(words), None, language)
    # Nothing has every word: correct the words nothing matches, then fall back to any word.
    corrected = [
        word if _known(engine, language, word) else (correct_word(session, word, language) or word) for word in words
    ]
    suggestion = " ".join(corrected) if corrected != words else None
    for any_word in (False, True):
        hits, total = _run(engine, language, corrected, kinds, limit=limit, offset=offset, any_word=any_word)
        if total:
            return SearchResult(hits, total, " ".join(corrected), suggestion, language)
    return SearchResult([], 0, " ".join(words), suggestion, language)


@dataclass(frozen=True)
class Suggestion:
    kind: str
    slug: str
    name: str
    label: str
    language: str  # of the name and label


def suggest(session: Session, prefix: str, *, limit: int, language: str = DEFAULT_LANGUAGE) -> list[Suggestion]:
    """Names and aliases in `language` starting with `prefix` (at any word start), best first, one per entry."""
    folded = _FOLD.analyze(" ".join(prefix.split()))
    key = folded[0] if folded else ""
    if not key:
        return []
    names = search_engine.current(session).names_in(language)
    query = tantivy.Query.term_query(names.index.schema, "prefix", key[: search_engine.MAX_PREFIX])
    # Several keys of one entry can match ("lumbar muscle spasm", "lumbar spasm"); a longer prefix than the
    # index holds is checked against each key, so it reads more of them.
    wanted = limit * 4 if len(key) <= search_engine.MAX_PREFIX else limit * 40
    found = names.searcher.search(query, wanted, count=False, order_by_field="order", order=tantivy.Order.Asc)
    seen: set[tuple[str, str]] = set()
    suggestions: list[Suggestion] = []
    for _, address in found.hits:
        document = names.searcher.doc(address)
        kind, slug, name, label, stored_key, written_in = (
            str(document.get_first(field)) for field in ("kind", "slug", "name", "label", "key", "language")
        )
        if (kind, slug) not in seen and stored_key.startswith(key):
            seen.add((kind, slug))
            suggestions.append(Suggestion(kind, slug, name, label, written_in))
            if len(suggestions) == limit:
                break
    return suggestions
