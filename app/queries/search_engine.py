"""The search indexes: Tantivy indexes kept inside the database and opened per content version.

- `text`: full text, ranked with BM25 (top-k pruning: only the best `offset + limit` are ranked in full).
- `names`: type-ahead, one document per key (a name or alias from one of its word starts), found by any
  prefix of the key and ordered by a precomputed rank, so "l" at 100,000 conditions costs what "lumbar" does.

Both come once per language (`text/es/…`, `names/es/…`): each language's words are analyzed by its own
stemmer, ranked against its own statistics, and a search never sees another language's words.
- `match`: symptom postings (which conditions list each symptom) as arrays, for matching, which adds up
  weights over whole arrays instead of grouping rows.

The seed builds them and stores their files as rows of `search_engine_file` (`text/meta.json`, ...), in the
same transaction as the content, and records their digest in `reference_data` (name `search_engine`). So the
database file stays the one thing a release ships (replicas copy it; nothing beside it can drift out of
step), and a failed seed leaves the old indexes with the old content. A server copies the files of the digest
it finds into a folder named by that digest (once per machine: the folders never change, and the workers
share them) and opens them there; a new digest after a seed is opened by the next search.
"""

import hashlib
import io
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tantivy
from sqlalchemy import Connection, text
from sqlmodel import Session

from app.core.config import get_settings
from app.core.locales import DEFAULT_LANGUAGE, offered

TABLE = "search_engine_file"
DIGEST_NAME = "search_engine"  # its row in reference_data holds the stored indexes' digest
TEXT, NAMES, MATCH = "text", "names", "match"
KINDS = (TEXT, NAMES, MATCH)
STALE_FOLDER_SECONDS = 3_600  # another version's folder is removed after this long unused
# A re-seed updates the indexes in place until this share of the text index's documents are deleted ones
# (replaced, still counted in BM25's statistics until Tantivy merges their segment); then it rebuilds them.
MAX_DELETED_SHARE = 0.1

# Languages ---------------------------------------------------------------------------------------------------


def languages() -> list[str]:
    """The languages indexed: every language offered (a catalog in app/locales/), the default first."""
    return list(offered())


# Full text ---------------------------------------------------------------------------------------------------

PATIENT_TEXT = "patient_text"  # registered per index, as its language's analyzer
SHOWN_FIELDS = ("name", "aliases", "summary", "body")
# A page's hidden words: the other names of the symptoms it lists (their aliases, HPO's lay words), so
# "lumbago" finds the pages that list low back pain. Ranked like body words, never shown in a snippet.
LISTED_FIELD = "listed"
STORED_FIELDS = (*SHOWN_FIELDS, LISTED_FIELD)
# How many times each field is written into the ranked `text` field. BM25 then weighs a word in the name as
# ten in the body before saturating, as FTS5's bm25 with column weights did (BM25F): a word counts at most
# once whatever the field, so a page that has every searched word beats one that repeats one in its name.
FIELD_REPEATS = {"name": 10, "aliases": 8, "summary": 3, "body": 1, LISTED_FIELD: 1}
# A condition page is what most searches want: its score is multiplied by log2(2 + weight) = 1.5.
CONDITION_WEIGHT = 2**1.5 - 2
MAX_TOKEN_LENGTH = 40

# The Snowball stemmer of each language tag (Tantivy's names). A language missing here is searched unstemmed
# (lowercased and folded only): whole words match, other forms of them do not.
STEMMERS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}


def text_analyzer(language: str) -> tantivy.TextAnalyzer:
    """Words of letters and digits, lowercased, accents folded, stemmed in `language`: for documents and queries
    alike. Folding comes first, so "ciática" and "ciatica" are one term whatever the stemmer does with accents
    (at the price of "año" and "ano" being one too)."""
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(MAX_TOKEN_LENGTH))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
    )
    stemmer = STEMMERS.get(language.split("-")[0].lower())
    if stemmer is not None:
        builder = builder.filter(tantivy.Filter.stemmer(stemmer))
    return builder.build()


def _text_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("key", tokenizer_name="raw", index_option="basic")  # kind:slug, to replace an entry
    builder.add_text_field("kind", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("slug", stored=True, tokenizer_name="raw", index_option="basic")
    # The language of the document's words: the index's, or the default one's for an entry not translated.
    builder.add_text_field("language", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("text", tokenizer_name=PATIENT_TEXT, index_option="freq")  # no phrase queries
    for field in SHOWN_FIELDS:  # stored for the hits and their snippets, which need them indexed too
        builder.add_text_field(field, stored=True, tokenizer_name=PATIENT_TEXT, index_option="basic")
    builder.add_text_field(LISTED_FIELD, stored=True, tokenizer_name="raw", index_option="basic")  # for updates
    builder.add_float_field("weight", fast=True)
    builder.add_integer_field("uses", stored=True)  # a term's, so an update can tell whether it changed
    return builder.build()


# Type-ahead --------------------------------------------------------------------------------------------------

KEY_PREFIXES = "key_prefixes"
FOLDED = "folded"
MAX_PREFIX = 24  # longer prefixes are looked up by their first MAX_PREFIX characters, then filtered


def folding_analyzer() -> tantivy.TextAnalyzer:
    """What typed text and keys are compared as: lowercased, accents folded ("sciá" finds "Sciatica")."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _prefix_analyzer() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(1, MAX_PREFIX, True)).build()


def _names_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("entry", tokenizer_name="raw", index_option="basic")  # kind:slug, to replace an entry
    builder.add_text_field("prefix", tokenizer_name=KEY_PREFIXES, index_option="basic")  # of the folded key
    builder.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")  # the folded key
    for field in ("kind", "slug", "name", "label", "language"):
        builder.add_text_field(field, stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("order", fast=True)  # lower is better
    return builder.build()


# Symptom postings -------------------------------------------------------------------------------------------

POSTING_ARRAYS = ("symptoms", "offsets", "conditions", "symptom_counts")


@dataclass(frozen=True)
class Postings:
    """Conditions by symptom (section `symptom` only, as matching reads them).

    `conditions[offsets[i]:offsets[i + 1]]` are the ids of the conditions listing `symptoms[i]` (sorted);
    `symptom_counts[c]` is how many symptoms condition id `c` lists; `total` how many conditions there are.
    """

    symptoms: "np.ndarray[Any, np.dtype[np.int64]]"
    offsets: "np.ndarray[Any, np.dtype[np.int64]]"
    conditions: "np.ndarray[Any, np.dtype[np.int64]]"
    symptom_counts: "np.ndarray[Any, np.dtype[np.int64]]"
    total: int

    def of(self, symptom_id: int) -> "np.ndarray[Any, np.dtype[np.int64]]":
        at = int(np.searchsorted(self.symptoms, symptom_id))
        if at == len(self.symptoms) or self.symptoms[at] != symptom_id:
            return self.conditions[:0]
        return self.conditions[self.offsets[at] : self.offsets[at + 1]]

    @classmethod
    def build(cls, pairs: list[tuple[int, int]], condition_ids: list[int]) -> "Postings":
        """From distinct (symptom id, condition id) pairs and every condition's id."""
        table = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
        symptoms, starts = np.unique(table[:, 0], return_index=True)
        size = max(condition_ids, default=0) + 1
        return cls(
            symptoms=symptoms,
            offsets=np.append(starts, len(table)),
            conditions=table[:, 1].copy(),
            symptom_counts=np.bincount(table[:, 1], minlength=size),
            total=len(condition_ids),
        )

    def files(self) -> dict[str, bytes]:
        arrays = {name: getattr(self, name) for name in POSTING_ARRAYS}
        arrays["total"] = np.array([self.total], dtype=np.int64)
        files = {}
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.save(buffer, array, allow_pickle=False)
            files[f"{MATCH}/{name}.npy"] = buffer.getvalue()
        return files

    @classmethod
    def load(cls, folder: Path) -> "Postings":
        def array(name: str) -> "np.ndarray[Any, np.dtype[np.int64]]":
            # Mapped, not read: every worker shares the one copy in the page cache.
            loaded: np.ndarray[Any, np.dtype[np.int64]] = np.load(
                folder / f"{name}.npy", mmap_mode="r", allow_pickle=False
            )
            return loaded

        return cls(
            symptoms=array("symptoms"),
            offsets=array("offsets"),
            conditions=array("conditions"),
            symptom_counts=array("symptom_counts"),
            total=int(array("total")[0]),
        )


# Indexes and their files -------------------------------------------------------------------------------------


def open_index(kind: str, directory: Path, language: str) -> tantivy.Index:
    """An index of `kind` (TEXT or NAMES) in `language`, in `directory` (created there if missing), its
    analyzers registered."""
    directory.mkdir(parents=True, exist_ok=True)
    if kind == TEXT:
        index = tantivy.Index(_text_schema(), path=str(directory), reuse=True)
        index.register_tokenizer(PATIENT_TEXT, text_analyzer(language))
    else:
        index = tantivy.Index(_names_schema(), path=str(directory), reuse=True)
        index.register_tokenizer(KEY_PREFIXES, _prefix_analyzer())
    return index


def index_folder(root: Path, kind: str, language: str) -> Path:
    return root / kind / language


def languages_in(root: Path) -> list[str]:
    """The languages that have a text index under `root`."""
    folder = root / TEXT
    return sorted(path.name for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []


def index_files(root: Path) -> dict[str, bytes]:
    """The files of the committed indexes under `root` (`text/<language>/…`, `names/<language>/…`; Tantivy's
    lock files left out)."""
    return {
        f"{kind}/{language}/{path.name}": path.read_bytes()
        for kind in (TEXT, NAMES)
        for language in languages_in(root)
        for path in sorted(index_folder(root, kind, language).iterdir())
        if path.is_file() and not path.name.startswith(".")
    }


def deleted_share(meta: bytes) -> float:
    """The share of deleted documents in an index, from its meta.json."""
    segments = json.loads(meta)["segments"]
    documents = sum(segment["max_doc"] for segment in segments)
    deleted = sum((segment.get("deletes") or {}).get("num_deleted_docs", 0) for segment in segments)
    return deleted / documents if documents else 0.0


def digest_of(files: dict[str, bytes]) -> str:
    # Each meta.json names its segments (random ids, new on each commit); the postings are hashed whole.
    parts = [name.encode() + content for name, content in sorted(files.items()) if name.endswith("/meta.json")]
    parts += [content for name, content in sorted(files.items()) if name.startswith(f"{MATCH}/")]
    return hashlib.sha256(b"".join(parts)).hexdigest()[:20]


def store(connection: Connection, files: dict[str, bytes]) -> str:
    """Make the stored indexes exactly `files`: unchanged files are kept, others written or deleted."""
    stored: dict[str, int] = {
        row.name: row.size for row in connection.execute(text(f"SELECT name, length(content) AS size FROM {TABLE}"))
    }
    for name in stored.keys() - files.keys():
        connection.execute(text(f"DELETE FROM {TABLE} WHERE name = :name"), {"name": name})
    changed = [
        {"name": name, "content": content}
        for name, content in files.items()
        # Segment files never change under one name; the .json files do.
        if name not in stored or name.endswith(".json") or stored[name] != len(content)
    ]
    if changed:
        connection.execute(text(f"INSERT OR REPLACE INTO {TABLE} (name, content) VALUES (:name, :content)"), changed)
    digest = digest_of(files)
    connection.execute(
        text("INSERT OR REPLACE INTO reference_data (name, version) VALUES (:name, :digest)"),
        {"name": DIGEST_NAME, "digest": digest},
    )
    return digest


def materialize(connection: Connection, root: Path) -> None:
    """Write the stored indexes' files under `root` (`root/text/<language>`, `root/names/<language>`, …)."""
    for kind in KINDS:
        (root / kind).mkdir(parents=True, exist_ok=True)
    for name, content in connection.execute(text(f"SELECT name, content FROM {TABLE}")):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# Opened indexes ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    index: tantivy.Index
    searcher: tantivy.Searcher


@dataclass(frozen=True)
class OpenIndexes:
    digest: str
    texts: dict[str, Opened]  # by language
    names_by_language: dict[str, Opened]
    postings: Postings

    def language(self, language: str) -> str:
        """The language searched for `language`: itself if indexed, else the default language."""
        return language if language in self.texts else DEFAULT_LANGUAGE

    def text_in(self, language: str) -> Opened:
        return self.texts[self.language(language)]

    def names_in(self, language: str) -> Opened:
        return self.names_by_language[self.language(language)]


class NoSearchIndex(Exception):
    """The database holds no search index this version can read: it was never seeded by this version."""


_opened: dict[str, OpenIndexes] = {}
_opening = threading.Lock()


_DIGEST_SQL = f"SELECT version FROM reference_data WHERE name = '{DIGEST_NAME}'"


def stored_digest(session: Session) -> str | None:
    # Asked by every search: a plain statement, without the ORM's compilation and caching (7x the cost).
    value = session.connection().exec_driver_sql(_DIGEST_SQL).scalar()
    return None if value is None else str(value)


def current(session: Session) -> OpenIndexes:
    """The indexes of the content this session sees, opened once per process and version."""
    digest = stored_digest(session)
    if digest is None:
        raise NoSearchIndex("the database has no search index: run `conditions-api seed`")
    found = _opened.get(digest)
    if found is not None:
        return found
    with _opening:
        found = _opened.get(digest)
        if found is None:
            found = _open(session.connection(), digest)
            _opened.clear()  # an older version is not searched again by this process
            _opened[digest] = found
    return found


def root_folder() -> Path:
    configured = get_settings().search_index_dir
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "conditions-api-search"


def _open(connection: Connection, digest: str) -> OpenIndexes:
    root = root_folder()
    folder = root / digest
    if not (folder / "ready").exists():
        # Written aside and renamed into place: another worker opening the same version meanwhile sees
        # either nothing (and writes its own copy) or a complete folder.
        scratch = root / f".{digest}.{os.getpid()}.{threading.get_ident()}"
        shutil.rmtree(scratch, ignore_errors=True)
        materialize(connection, scratch)
        (scratch / "ready").touch()
        if folder.exists() and not (folder / "ready").exists():  # left by an older version: replaced whole
            shutil.rmtree(folder, ignore_errors=True)
        try:
            scratch.rename(folder)
        except OSError:
            shutil.rmtree(scratch, ignore_errors=True)  # another process got there first
        _remove_stale_folders(root, keep=digest)
    os.utime(folder)  # in use: not stale
    opened: dict[str, dict[str, Opened]] = {TEXT: {}, NAMES: {}}
    languages = languages_in(folder)
    if DEFAULT_LANGUAGE not in languages:  # an older version's layout (`text/meta.json`)
        raise NoSearchIndex("the database's search index does not fit this version: run `conditions-api seed`")
    for kind in (TEXT, NAMES):
        for language in languages:
            try:
                index = open_index(kind, index_folder(folder, kind, language), language)
            except ValueError as mismatch:  # built by another version of this program
                message = f"the database's search index does not fit this version ({mismatch})"
                raise NoSearchIndex(message) from mismatch
            opened[kind][language] = Opened(index, index.searcher())
    return OpenIndexes(digest, opened[TEXT], opened[NAMES], Postings.load(folder / MATCH))


def _remove_stale_folders(root: Path, *, keep: str) -> None:
    cutoff = time.time() - STALE_FOLDER_SECONDS
    for folder in root.iterdir():
        try:
            if folder.name != keep and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
