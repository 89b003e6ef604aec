"""Full-text search, spelling suggestions and type-ahead over the index the seed pipeline builds.

User text never reaches FTS5 as syntax: it is cut into words (letters and digits only), and each word is
quoted, so `"`, `*`, `NEAR(`, `AND` or `-` are just characters and cannot make a query fail.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

WORD_RE = re.compile(r"[^\W_]+")
MAX_WORDS = 12
MAX_WORD_LENGTH = 40
# Column weights for bm25 (kind and slug are not indexed): name > aliases > summary > body.
RANK = (
    "bm25(search_fts, 0, 0, 10.0, 8.0, 3.0, 1.0)"
    # A condition page is what most searches want; testing the rowid avoids reading `kind` for every match.
    " * CASE WHEN search_fts.rowid <= :conditions THEN 1.5 ELSE 1.0 END"
)
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"
EXACT_PREFIX = 3  # type-ahead ranks every match from this many characters on
SHORT_PREFIX_SCAN = 400


# Function words people type ("pain down my leg") but that pages rarely share; dropped from queries only.
MAX_QUERY_LENGTH = 200  # room for a long question; the words past MAX_WORDS are not searched anyway
QUERY_STOPWORDS = frozenset(
    """a an the my me i i'm im of in on at to for with and or is are am was have has had it its from by this
    that your you when what how do does can get got feel feels feeling really very""".split()
)


def meaningful_words(query: str) -> list[str]:
    """The words of a query that are not function words ("my", "the", "a")."""
    words = [word[:MAX_WORD_LENGTH] for word in WORD_RE.findall(query.lower())]
    return [word for word in words if word not in QUERY_STOPWORDS]


def query_words(query: str) -> list[str]:
    """The words searched for: the meaningful ones, or every word when there are none (`"the who"`)."""
    words = [word[:MAX_WORD_LENGTH] for word in WORD_RE.findall(query.lower())]
    return (meaningful_words(query) or words)[:MAX_WORDS]


def fts_expression(words: Sequence[str], *, any_word: bool = False) -> str:
    return (" OR " if any_word else " ").join(f'"{word}"' for word in words)


@dataclass(frozen=True)
class Hit:
    kind: str
    slug: str
    name: str
    snippet: str
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    searched_for: str  # the words the results are for (after spelling correction)
    did_you_mean: str | None  # a corrected query, when some words were not found


def _kind_clause(kinds: Sequence[str]) -> tuple[str, dict[str, str]]:
    if not kinds:
        return "", {}
    names = {f"kind{index}": kind for index, kind in enumerate(kinds)}
    return f" AND kind IN ({', '.join(':' + name for name in names)})", names


def _run(
    session: Session, expression: str, kinds: Sequence[str], *, limit: int, offset: int, conditions: int
) -> tuple[list[Hit], int]:
    clause, params = _kind_clause(kinds)
    # One statement: the total is an uncorrelated subquery (FTS5's bm25 cannot run under a window function);
    # snippets are made for the page's rows only.
    where = f"search_fts MATCH :expression{clause}"
    rows = session.execute(
        text(
            f"SELECT kind, slug, name, snippet(search_fts, -1, :start, :end, '…', 12), {RANK} AS score, "
            f"(SELECT count(*) FROM search_fts WHERE {where}) FROM search_fts WHERE {where} "
            "ORDER BY score LIMIT :limit OFFSET :offset"
        ),
        {
            "expression": expression,
            "start": HIGHLIGHT_START,
            "end": HIGHLIGHT_END,
            "limit": limit,
            "offset": offset,
            "conditions": conditions,
            **params,
        },
    ).all()
    if not rows and offset:
        # Past the last page the count has no row to ride on, so count directly.
        total = session.execute(
            text(f"SELECT count(*) FROM search_fts WHERE {where}"), {"expression": expression, **params}
        ).scalar_one()
        return [], int(total)
    total = int(rows[0][5]) if rows else 0
    return [Hit(kind, slug, name, snippet, -float(score)) for kind, slug, name, snippet, score, _ in rows], total


def _condition_rows(session: Session) -> int:
    """Conditions are indexed first, so rowids 1..N are condition pages (see search_index.rebuild)."""
    value = session.execute(text("SELECT version FROM reference_data WHERE name = 'search_index_conditions'")).scalar()
    return int(value) if value is not None else 0


def _known(session: Session, word: str) -> bool:
    """Whether the word (stemmed as the index stems it) matches anything."""
    found = session.execute(text("SELECT 1 FROM search_fts WHERE search_fts MATCH :w LIMIT 1"), {"w": f'"{word}"'})
    return found.first() is not None


def damerau_levenshtein(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def correct_word(session: Session, word: str) -> str | None:
    """The indexed word nearest to `word` in spelling, if one is close enough; candidates share trigrams."""
    if len(word) < 3:
        return None
    trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
    candidates = session.execute(
        text(
            "SELECT t.word, w.documents FROM search_word_trigram t JOIN search_word w ON w.word = t.word "
            "WHERE search_word_trigram MATCH :trigrams ORDER BY rank LIMIT 60"
        ),
        {"trigrams": " OR ".join(f'"{trigram}"' for trigram in sorted(trigrams))},
    )
    allowed = 1 if len(word) <= 4 else 2
    best: tuple[int, int, str] | None = None
    for candidate, documents in candidates:
        if abs(len(candidate) - len(word)) > allowed:
            continue  # at least that many edits away: skip the quadratic distance
        distance = damerau_levenshtein(word, candidate)
        if distance <= allowed and (best is None or (distance, -documents) < best[:2]):
            best = (distance, -documents, candidate)
    return best[2] if best else None


def search(session: Session, query: str, *, kinds: Sequence[str], limit: int, offset: int) -> SearchResult:
    words = query_words(query)
    if not words:
        return SearchResult([], 0, "", None)
    conditions = _condition_rows(session)
    hits, total = _run(session, fts_expression(words), kinds, limit=limit, offset=offset, conditions=conditions)
    if total:
        return SearchResult(hits, total, " ".join(words), None)
    # Nothing has every word: correct the words nothing matches, then fall back to any word.
    corrected = [word if _known(session, word) else (correct_word(session, word) or word) for word in words]
    suggestion = " ".join(corrected) if corrected != words else None
    for expression in (fts_expression(corrected), fts_expression(corrected, any_word=True)):
        hits, total = _run(session, expression, kinds, limit=limit, offset=offset, conditions=conditions)
        if total:
            return SearchResult(hits, total, " ".join(corrected), suggestion)
    return SearchResult([], 0, " ".join(words), suggestion)


@dataclass(frozen=True)
class Suggestion:
    kind: str
    slug: str
    name: str
    label: str


def suggest(session: Session, prefix: str, *, limit: int) -> list[Suggestion]:
    """Names and aliases starting with `prefix` (at any word start), best first, one per entry."""
    key = " ".join(prefix.lower().split())
    if not key:
        return []
    # The key index gives the range. From EXACT_PREFIX characters on, every key in it is ranked; a shorter
    # prefix can match a large share of a big library, so only its first SHORT_PREFIX_SCAN keys are ranked.
    scan = "" if len(key) >= EXACT_PREFIX else f" LIMIT {SHORT_PREFIX_SCAN}"
    rows = session.execute(
        text(
            "SELECT kind, slug, name, label FROM (SELECT * FROM search_name WHERE key >= :low AND key < :high"
            f"{scan}) ORDER BY rank, length(label) LIMIT :rows"
        ),
        {"low": key, "high": key + "\U0010ffff", "rows": limit * 4},
    )
    seen: set[tuple[str, str]] = set()
    found: list[Suggestion] = []
    for kind, slug, name, label in rows:
        if (kind, slug) not in seen:
            seen.add((kind, slug))
            found.append(Suggestion(kind, slug, name, label))
            if len(found) == limit:
                break
    return found
