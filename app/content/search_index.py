"""Builds the search index from the database's content, inside the seed transaction: the full-text index
(app/queries/search_engine.py), the word list for spelling suggestions and the type-ahead keys, in every
language offered.

A language's documents are its translations (`entry_translation`): a page's name, aliases, summary, text,
items and FAQs, and as its hidden words the names in that language of the symptoms it lists. An entry with no
translation in a language is indexed there in the default language's words, marked as such (`language`), so a
search in any language still finds every entry, by the words it has.
"""

import json
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tantivy
from sqlalchemy import Connection, bindparam, text

from app.core.locales import DEFAULT_LANGUAGE
from app.queries import search_engine

WORD_RE = re.compile(r"[^\W_]+")
NAME = "search_index"
VERSION = "10"  # bump when the index's shape or ranking changes, so the next seed rebuilds it
WRITER_HEAP_BYTES = 128_000_000

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
    listed: list[str] = field(default_factory=list)  # a page's hidden words (search_engine.LISTED_FIELD)
    uses: int = 0  # how many conditions list a term: popular terms come first in type-ahead
    language: str = DEFAULT_LANGUAGE  # of its words

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.slug}"


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def _rows(connection: Connection, sql: str, where: str, conditions: Collection[str] | None) -> Any:
    """Rows of `sql`, of every condition or only of those slugs (`where` names the condition's column)."""
    if conditions is None:
        return connection.execute(text(sql))
    joiner = "AND" if " WHERE " in sql else "WHERE"
    restricted = text(f"{sql} {joiner} {where} IN (SELECT id FROM condition WHERE slug IN :slugs)")
    return connection.execute(restricted.bindparams(bindparam("slugs", expanding=True)), {"slugs": list(conditions)})


def _condition_documents(connection: Connection, conditions: Collection[str] | None = None) -> Iterator[Document]:
    """Each condition's patient text (every condition's, or only those slugs').

    Editors' words (notes on items, conditions and terms) are left out on purpose: they talk about pages
    ("listed as a symptom only because the lumbar muscle spasm page does"), so indexing them would make an
    entry match, and in a short entry outrank, the pages it only talks about. The other names of the symptoms
    a page lists (aliases, HPO's lay words) are in: "lumbago" finds the pages that list low back pain."""
    aliases: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for condition_id, position, name in _rows(
        connection, "SELECT condition_id, position, name FROM condition_alias", "condition_id", conditions
    ):
        aliases[condition_id].append((position, name))
    body: dict[int, list[str]] = defaultdict(list)
    for _, _, link, _ in _TERMS:
        for condition_id, words_ in _rows(
            connection, f"SELECT DISTINCT condition_id, text FROM {link}", "condition_id", conditions
        ):
            body[condition_id].append(words_)
    symptom_names: dict[int, set[str]] = defaultdict(set)
    for condition_id, symptom_aliases, lay_terms in _rows(
        connection,
        "SELECT DISTINCT link.condition_id, symptom.aliases, symptom.lay_terms FROM condition_symptom AS link "
        "JOIN symptom ON symptom.id = link.symptom_id WHERE link.section = 'symptom'",
        "link.condition_id",
        conditions,
    ):
        symptom_names[condition_id].update([*json.loads(symptom_aliases), *json.loads(lay_terms)])
    for condition_id, question, answer in _rows(
        connection, "SELECT condition_id, question, answer FROM faq", "condition_id", conditions
    ):
        body[condition_id] += [question, answer]
    rows = _rows(
        connection,
        "SELECT id, slug, name, summary, description, causes_intro, symptoms_intro, treatments_intro, "
        "self_care_intro FROM condition",
        "id",
        conditions,
    )
    for row in rows:
        intros = [part for part in row[4:] if part]
        names = [name for _, name in sorted(aliases[row.id])]
        listed = _distinct(sorted(symptom_names[row.id]))  # sorted: the same content gives the same document
        yield Document("condition", row.slug, row.name, names, row.summary, [*intros, *body[row.id]], listed)


def _term_documents(connection: Connection) -> Iterator[Document]:
    """Every vocabulary term's; a symptom's HPO lay words are searched as its aliases."""
    for kind, table, link, term_column in _TERMS:
        counted = text(f"SELECT {term_column}, count(DISTINCT condition_id) FROM {link} GROUP BY 1")
        uses = {term_id: count for term_id, count in connection.execute(counted)}  # noqa: C416
        lay = "lay_terms" if table == "symptom" else "'[]'"
        for term_id, slug, name, term_aliases, lay_terms, description in connection.execute(
            text(f"SELECT id, slug, name, aliases, {lay}, description FROM {table}")
        ):
            names = _distinct([name, *json.loads(term_aliases), *json.loads(lay_terms)])[1:]
            yield Document(kind, slug, name, names, description or "", uses=uses.get(term_id, 0))


# Other languages -------------------------------------------------------------------------------------------


def _translations(
    connection: Connection, kind: str, language: str, slugs: Collection[str] | None = None
) -> dict[str, Any]:
    """The translation documents (parsed JSON) of `kind` in `language`, by slug (of every entry, or those)."""
    sql = "SELECT slug, document FROM entry_translation WHERE kind = :kind AND language = :language"
    parameters: dict[str, Any] = {"kind": kind, "language": language}
    if slugs is None:
        rows = connection.execute(text(sql), parameters)
    else:
        restricted = text(f"{sql} AND slug IN :slugs").bindparams(bindparam("slugs", expanding=True))
        rows = connection.execute(restricted, parameters | {"slugs": list(slugs)})
    return {slug: json.loads(document) for slug, document in rows}


def _symptom_names(connection: Connection, language: str) -> dict[str, list[str]]:
    """What each symptom is called in `language` (name and aliases), for the pages that list it; a symptom not
    translated keeps the other names a page in the default language is found by (aliases, HPO's lay words)."""
    translated = _translations(connection, "symptom", language)
    names = {}
    for slug, aliases, lay_terms in connection.execute(text("SELECT slug, aliases, lay_terms FROM symptom")):
        translation = translated.get(slug)
        if translation is None:
            names[slug] = [*json.loads(aliases), *json.loads(lay_terms)]
        else:
            names[slug] = [translation["name"], *translation.get("aliases", [])]
    return names


def _listed_symptoms(connection: Connection, conditions: Collection[str] | None) -> dict[str, list[str]]:
    """The slugs of the symptoms each condition lists (section `symptom`), by condition slug."""
    listed: dict[str, list[str]] = defaultdict(list)
    for condition, symptom in _rows(
        connection,
        "SELECT DISTINCT condition.slug, symptom.slug FROM condition_symptom AS link "
        "JOIN condition ON condition.id = link.condition_id JOIN symptom ON symptom.id = link.symptom_id "
        "WHERE link.section = 'symptom'",
        "link.condition_id",
        conditions,
    ):
        listed[condition].append(symptom)
    return listed


def _translated_condition(
    original: Document, translation: dict[str, Any], symptom_names: dict[str, list[str]], symptoms: list[str]
) -> Document:
    intros = [
        translation.get(part)
        for part in ("description", "causes_intro", "symptoms_intro", "treatments_intro", "self_care_intro")
    ]
    items = [item["text"] for section in translation.get("items", {}).values() for item in section]
    faqs = [part for faq in translation.get("faqs", []) for part in (faq["question"], faq["answer"])]
    listed = _distinct(sorted(name for symptom in symptoms for name in symptom_names.get(symptom, [])))
    return replace(
        original,
        name=translation["name"],
        aliases=_distinct(list(translation.get("aliases", []))),
        summary=translation.get("summary") or "",
        body=[*(intro for intro in intros if intro), *dict.fromkeys(items), *faqs],
        listed=listed,
    )


def _condition_documents_in(
    connection: Connection, language: str, conditions: Collection[str] | None = None
) -> Iterator[Document]:
    """Each condition's document in `language` (every condition's, or only those slugs')."""
    originals = _condition_documents(connection, conditions)
    if language == DEFAULT_LANGUAGE:
        yield from originals
        return
    translations = _translations(connection, "condition", language, conditions)
    symptom_names = _symptom_names(connection, language)
    listed = _listed_symptoms(connection, conditions)
    for original in originals:
        translation = translations.get(original.slug)
        if translation is None:
            yield original  # found by its default-language words, and says so
        else:
            translated = _translated_condition(original, translation, symptom_names, listed[original.slug])
            yield replace(translated, language=language)


def _term_documents_in(connection: Connection, language: str) -> Iterator[Document]:
    originals = _term_documents(connection)
    if language == DEFAULT_LANGUAGE:
        yield from originals
        return
    translations = {kind: _translations(connection, kind, language) for kind, *_ in _TERMS}
    for original in originals:
        translation = translations[original.kind].get(original.slug)
        if translation is None:
            yield original
        else:
            names = _distinct([translation["name"], *translation.get("aliases", [])])
            yield replace(
                original,
                name=names[0],
                aliases=names[1:],
                summary=translation.get("description") or "",
                language=language,
            )


def _documents_in(connection: Connection, language: str) -> list[Document]:
    return [*_condition_documents_in(connection, language), *_term_documents_in(connection, language)]


def _distinct(names: list[str]) -> list[str]:
    """Names once each, whatever their case (HPO's "Lumbago" and the editor's "lumbago" are one alias)."""
    seen: set[str] = set()
    kept = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            kept.append(name)
    return kept


def _conditions_listing(connection: Connection, symptoms: Collection[str]) -> set[str]:
    """The slugs of the conditions that list any of these symptoms."""
    if not symptoms:
        return set()
    statement = text(
        "SELECT DISTINCT condition.slug FROM condition JOIN condition_symptom AS link ON link.condition_id = "
        "condition.id JOIN symptom ON symptom.id = link.symptom_id WHERE symptom.slug IN :slugs"
    ).bindparams(bindparam("slugs", expanding=True))
    return set(connection.execute(statement, {"slugs": list(symptoms)}).scalars())


def _name_keys(document: Document) -> Iterable[tantivy.Document]:
    """A type-ahead key from every word start of the name and each alias."""
    fold = search_engine.folding_analyzer()
    for is_alias, label in enumerate([document.name, *document.aliases]):
        folded = " ".join(fold.analyze(" ".join(label.split())))
        for word_index, match in enumerate(WORD_RE.finditer(folded)):
            # Word start beats later word; a condition page beats a vocabulary term; a name beats an alias;
            # then the term more conditions use; then the shorter label.
            rank = word_index * 8 + (0 if document.kind == "condition" else 4) + min(is_alias, 1) * 2
            order = (rank * 100_000 + 99_999 - min(document.uses, 99_999)) * 1_000 + min(len(label), 999)
            key = folded[match.start() :]
            yield tantivy.Document(
                entry=document.key,
                prefix=key,
                key=key,
                kind=document.kind,
                slug=document.slug,
                name=document.name,
                label=label,
                language=document.language,
                order=order,
            )


def _text_document(document: Document) -> tantivy.Document:
    shown = {
        "name": document.name,
        "aliases": " | ".join(document.aliases),
        "summary": document.summary,
        "body": "\n".join(document.body),
        search_engine.LISTED_FIELD: "\n".join(document.listed),
    }
    ranked = "\n".join(
        value for field, value in shown.items() if value for _ in range(search_engine.FIELD_REPEATS[field])
    )
    return tantivy.Document(
        key=document.key,
        kind=document.kind,
        slug=document.slug,
        language=document.language,
        text=ranked,
        weight=search_engine.CONDITION_WEIGHT if document.kind == "condition" else 0.0,
        uses=document.uses,
        **shown,
    )


def _add(
    index: tantivy.Index, documents: Iterable[tantivy.Document], *, replacing: Iterable[tuple[str, str]] = ()
) -> None:
    """Commit `documents` to the index after deleting the documents whose (field, value) is in `replacing`."""
    writer = index.writer(WRITER_HEAP_BYTES, 1)
    for field_name, value in replacing:
        writer.delete_documents_by_term(field_name, value)
    for document in documents:
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()


def _postings(connection: Connection) -> search_engine.Postings:
    pairs = connection.execute(
        text("SELECT DISTINCT symptom_id, condition_id FROM condition_symptom WHERE section = 'symptom'")
    )
    condition_ids = connection.execute(text("SELECT id FROM condition")).scalars().all()
    return search_engine.Postings.build([(s, c) for s, c in pairs], list(condition_ids))


def _document_words(document: Document) -> set[str]:
    return set(words(" ".join([document.name, *document.aliases, document.summary, *document.body, *document.listed])))


def _stored_words(stored: tantivy.Document) -> set[str]:
    return set(words(" ".join(str(value) for field in search_engine.STORED_FIELDS for value in stored.get_all(field))))


def _stored(searcher: tantivy.Searcher, query: tantivy.Query) -> dict[str, tantivy.Document]:
    """The stored documents `query` finds, by key."""
    found = (searcher.doc(address) for _, address in searcher.search(query, searcher.num_docs).hits)
    return {f"{stored.get_first('kind')}:{stored.get_first('slug')}": stored for stored in found}


def _same(stored: tantivy.Document | None, document: Document) -> bool:
    """Whether the index already holds this document as it is now."""
    if stored is None:
        return False
    new = _text_document(document)
    compared = (*search_engine.STORED_FIELDS, "uses", "language")
    return all(stored.get_all(field) == new.get_all(field) for field in compared)


def _count_words(connection: Connection, language: str, change: Counter[str]) -> None:
    """Add `change` to each word's document count in `language`. A word's trigram row (of the word with accents
    folded, so a typo finds "ciática" as easily as "ciatica") has its id as rowid, so it goes with it."""
    fold = search_engine.folding_analyzer()
    for word, delta in change.items():
        if not delta:
            continue
        row = connection.execute(
            text("SELECT id, documents FROM search_word WHERE language = :language AND word = :w"),
            {"language": language, "w": word},
        ).first()
        if row is None:
            if delta > 0:
                added = connection.execute(
                    text("INSERT INTO search_word (language, word, documents) VALUES (:language, :w, :n)"),
                    {"language": language, "w": word, "n": delta},
                )
                if len(word) >= 3:
                    connection.execute(
                        text("INSERT INTO search_word_trigram (rowid, word) VALUES (:id, :w)"),
                        {"id": added.lastrowid, "w": "".join(fold.analyze(word))},
                    )
        elif row.documents + delta > 0:
            connection.execute(
                text("UPDATE search_word SET documents = :n WHERE id = :id"),
                {"n": row.documents + delta, "id": row.id},
            )
        else:
            connection.execute(text("DELETE FROM search_word WHERE id = :id"), {"id": row.id})
            connection.execute(text("DELETE FROM search_word_trigram WHERE rowid = :id"), {"id": row.id})


def indexed_languages(connection: Connection) -> list[str]:
    """The default language, and each other offered language that some entry is translated into: a language
    with no translation would index the default's words again (a second index as large as the library's, for
    nothing), and is searched in the default's index instead."""
    translated = {row[0] for row in connection.execute(text("SELECT DISTINCT language FROM entry_translation"))}
    return [
        language for language in search_engine.languages() if language == DEFAULT_LANGUAGE or language in translated
    ]


def rebuild(connection: Connection) -> int:
    """Replace the whole index with the current content, in every language; returns the number of documents
    (all languages')."""
    for table in ("search_word_trigram", "search_word"):
        connection.execute(text(f"DELETE FROM {table}"))
    written = 0
    frequencies: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory(prefix="conditions-api-index-") as scratch:
        root = Path(scratch)
        for language in indexed_languages(connection):
            documents = _documents_in(connection, language)
            text_folder = search_engine.index_folder(root, search_engine.TEXT, language)
            _add(search_engine.open_index(search_engine.TEXT, text_folder, language), map(_text_document, documents))
            names = (key for document in documents for key in _name_keys(document))
            names_folder = search_engine.index_folder(root, search_engine.NAMES, language)
            _add(search_engine.open_index(search_engine.NAMES, names_folder, language), names)
            frequency = frequencies[language] = Counter()
            for document in documents:
                frequency.update(_document_words(document))
            written += len(documents)
        search_engine.store(connection, search_engine.index_files(root) | _postings(connection).files())
    for language, frequency in frequencies.items():
        _count_words(connection, language, frequency)
    return written


def _update_language(
    connection: Connection, root: Path, language: str, conditions: Collection[str]
) -> tuple[list[Document], Counter[str]] | None:
    """Bring one language's indexes under `root` up to date (see `update`): the documents written and the
    change to the language's word counts, or None when too much of its text index would be replaced."""
    text_index = search_engine.open_index(
        search_engine.TEXT, search_engine.index_folder(root, search_engine.TEXT, language), language
    )
    searcher = text_index.searcher()
    schema = text_index.schema
    terms = tantivy.Query.term_set_query(schema, "kind", [kind for kind, *_ in _TERMS])
    old = _stored(searcher, terms)
    current = {d.key: d for d in _term_documents_in(connection, language)}
    # A symptom's names are in the pages that list it: those pages change with it.
    renamed = [d.slug for key, d in current.items() if d.kind == "symptom" and not _same(old.get(key), d)]
    refreshed = {*conditions, *_conditions_listing(connection, renamed)}
    condition_keys = [tantivy.Query.term_query(schema, "key", f"condition:{slug}") for slug in refreshed]
    if condition_keys:
        old |= _stored(searcher, tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in condition_keys]))
    current |= {d.key: d for d in _condition_documents_in(connection, language, refreshed)}
    documents = [d for key, d in current.items() if key not in old or not _same(old[key], d)]
    replaced = [key for key in old if key not in current or current[key] in documents]
    meta = (search_engine.index_folder(root, search_engine.TEXT, language) / "meta.json").read_bytes()
    deleted = search_engine.deleted_share(meta) + len(replaced) / max(searcher.num_docs, 1)
    if deleted > search_engine.MAX_DELETED_SHARE:
        return None
    # The old documents' words leave the spelling list, the new ones' enter it.
    change: Counter[str] = Counter()
    for key in replaced:
        change.subtract(_stored_words(old[key]))
    for document in documents:
        change.update(_document_words(document))
    _add(text_index, map(_text_document, documents), replacing=[("key", key) for key in replaced])
    names_index = search_engine.open_index(
        search_engine.NAMES, search_engine.index_folder(root, search_engine.NAMES, language), language
    )
    names = (key for document in documents for key in _name_keys(document))
    _add(names_index, names, replacing=[("entry", key) for key in replaced])
    return documents, change


def update(connection: Connection, conditions: Collection[str]) -> int | None:
    """Bring the stored indexes up to date after the conditions with these slugs were created, changed or
    deleted, or their translation into any language was (the seed counts those as written), and whatever
    vocabulary terms changed in any language (how many conditions use a term counts: it orders type-ahead).
    Returns the number of documents written (all languages'), or None when
    the change is too large to update in place or the languages indexed changed (the caller rebuilds)."""
    written = 0
    changes: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory(prefix="conditions-api-index-") as scratch:
        root = Path(scratch)
        search_engine.materialize(connection, root)
        languages = indexed_languages(connection)
        if search_engine.languages_in(root) != sorted(languages):
            return None
        for language in languages:
            updated = _update_language(connection, root, language, conditions)
            if updated is None:
                return None
            documents, changes[language] = updated
            written += len(documents)
        search_engine.store(connection, search_engine.index_files(root) | _postings(connection).files())
    for language, change in changes.items():
        _count_words(connection, language, change)
    return written
