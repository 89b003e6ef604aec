"""Builds the search index from the database's content, inside the seed transaction.

Rebuilt whole whenever the content changed: at this library's size that costs milliseconds, and a rebuild
cannot drift from the rows the way incremental updates can.
"""

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, text

WORD_RE = re.compile(r"[^\W_]+")
NAME = "search_index"
VERSION = "2"  # bump when the index's shape or ranking changes, so the next seed rebuilds it

# (kind, its table, its link table, the link's column for it) per vocabulary; conditions are handled on their own.
_TERMS = (
    ("symptom", "symptom", "condition_symptom", "symptom_id"),
    ("cause", "cause", "condition_cause", "cause_id"),
    ("treatment", "treatment", "condition_treatment", "treatment_id"),
)


@dataclass
class Document:
    kind: str
    slug: str
    name: str
    aliases: list[str]
    summary: str
    body: list[str] = field(default_factory=list)
    uses: int = 0  # how many conditions list a term: popular terms come first in type-ahead


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def _documents(connection: Connection) -> Iterator[Document]:
    """Each entry's patient text. Editors' words (notes on items, conditions and terms) are left out on purpose:
    they talk about pages ("listed as a symptom only because the lumbar muscle spasm page does"), so indexing
    them would make an entry match, and in a short entry outrank, the pages it only talks about."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for condition_id, name in connection.execute(
        text("SELECT condition_id, name FROM condition_alias ORDER BY position")
    ):
        aliases[condition_id].append(name)
    body: dict[int, list[str]] = defaultdict(list)
    for _, _, link, _ in _TERMS:
        for condition_id, words_ in connection.execute(text(f"SELECT DISTINCT condition_id, text FROM {link}")):
            body[condition_id].append(words_)
    for condition_id, question, answer in connection.execute(text("SELECT condition_id, question, answer FROM faq")):
        body[condition_id] += [question, answer]
    rows = connection.execute(
        text(
            "SELECT id, slug, name, summary, description, causes_intro, symptoms_intro, treatments_intro, "
            "self_care_intro FROM condition"
        )
    )
    for row in rows:
        intros = [part for part in row[4:] if part]
        yield Document("condition", row.slug, row.name, aliases[row.id], row.summary, [*intros, *body[row.id]])
    for kind, table, link, term_column in _TERMS:
        counted = text(f"SELECT {term_column}, count(DISTINCT condition_id) FROM {link} GROUP BY 1")
        uses = {term_id: count for term_id, count in connection.execute(counted)}  # noqa: C416
        for term_id, slug, name, term_aliases, description in connection.execute(
            text(f"SELECT id, slug, name, aliases, description FROM {table}")
        ):
            yield Document(kind, slug, name, json.loads(term_aliases), description or "", uses=uses.get(term_id, 0))


def _name_keys(document: Document) -> Iterable[dict[str, object]]:
    """A type-ahead key from every word start of the name and each alias."""
    for is_alias, label in enumerate([document.name, *document.aliases]):
        lowered = " ".join(label.lower().split())
        for word_index, match in enumerate(WORD_RE.finditer(lowered)):
            # Word start beats later word; a condition page beats a vocabulary term; a name beats an alias.
            rank = word_index * 8 + (0 if document.kind == "condition" else 4) + min(is_alias, 1) * 2
            yield {
                "key": lowered[match.start() :],
                "kind": document.kind,
                "slug": document.slug,
                "name": document.name,
                "label": label,
                "rank": rank * 100_000 - min(document.uses, 99_999),
            }


def rebuild(connection: Connection) -> int:
    """Replace the whole index with the current content; returns the number of documents."""
    for table in ("search_fts", "search_word_trigram", "search_word", "search_name"):
        connection.execute(text(f"DELETE FROM {table}"))
    documents = list(_documents(connection))
    if not documents:
        return 0
    connection.execute(
        text(
            "INSERT INTO search_fts (rowid, kind, slug, name, aliases, summary, body) "
            "VALUES (:rowid, :kind, :slug, :name, :aliases, :summary, :body)"
        ),
        [
            {
                "rowid": rowid,
                "kind": d.kind,
                "slug": d.slug,
                "name": d.name,
                "aliases": " | ".join(d.aliases),
                "summary": d.summary,
                "body": "\n".join(d.body),
            }
            # Conditions come first from _documents, so they take rowids 1..N: ranking relies on that.
            for rowid, d in enumerate(documents, start=1)
        ],
    )
    frequency: Counter[str] = Counter()
    for d in documents:
        frequency.update(set(words(" ".join([d.name, *d.aliases, d.summary, *d.body]))))
    connection.execute(
        text("INSERT INTO search_word (word, documents) VALUES (:word, :documents)"),
        [{"word": word, "documents": count} for word, count in frequency.items()],
    )
    connection.execute(
        text("INSERT INTO search_word_trigram (word) VALUES (:word)"),
        [{"word": word} for word in frequency if len(word) >= 3],
    )
    connection.execute(
        text(
            "INSERT INTO search_name (key, kind, slug, name, label, rank) "
            "VALUES (:key, :kind, :slug, :name, :label, :rank)"
        ),
        [key for d in documents for key in _name_keys(d)],
    )
    conditions = sum(d.kind == "condition" for d in documents)
    connection.execute(
        text("INSERT OR REPLACE INTO reference_data (name, version) VALUES ('search_index_conditions', :n)"),
        {"n": str(conditions)},
    )
    return len(documents)
