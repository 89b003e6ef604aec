"""A re-seed updates the search indexes for what changed instead of rebuilding them; the result must be what a
rebuild from the same content gives: the same hits and totals, suggestions, spelling list and matches."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app import migrations
from app.content.seed import seed
from app.core.db import create_db_engine
from app.queries import match, search, search_engine
from tests.conftest import sqlite_url
from tests.factories import write_condition
from tests.search import test_relevance_es
from tests.search.test_relevance import CASES

QUERIES = [query for query, _ in CASES] + [
    "zebrafinch",
    "stenossis",
    "lumbr",
    "qwertyuiop",
    "spasm relief",
    "quokkaseat",
]
PREFIXES = ["l", "lu", "lum", "s", "sci", "zeb", "neck p", "back", "ddd", "pir", "test"]
QUERIES_ES = [query for query, _ in test_relevance_es.CASES] + ["cebranudo", "quokkasiento", "osteoporotic", "zebra"]
PREFIXES_ES = ["l", "ci", "esp", "dolor d", "ceb", "zeb", "quok"]
SYMPTOM_SETS = [["low-back-pain"], ["low-back-pain", "muscle-tenderness"], ["saddle-numbness"], ["neck-pain"]]


def answers(engine: Engine) -> dict[str, object]:
    """Everything the indexes answer, in a comparable form.

    Not scores, nor the order of close ones, nor snippets: a replaced document stays in BM25's statistics
    until Tantivy merges its segment (a re-seed rebuilds once they are MAX_DELETED_SHARE of the index)."""
    found: dict[str, object] = {}
    with Session(engine) as session:
        for query in QUERIES:
            result = search.search(session, query, kinds=[], limit=50, offset=0)
            hits = sorted((hit.kind, hit.slug) for hit in result.hits)
            found[f"search {query}"] = (hits, result.total, result.did_you_mean)
        for prefix in PREFIXES:
            found[f"suggest {prefix}"] = search.suggest(session, prefix, limit=8)
        for query in QUERIES_ES:
            result = search.search(session, query, kinds=[], limit=50, offset=0, language="es")
            hits_es = sorted((hit.kind, hit.slug, hit.language) for hit in result.hits)
            found[f"search es {query}"] = (hits_es, result.total, result.did_you_mean)
        for prefix in PREFIXES_ES:
            found[f"suggest es {prefix}"] = search.suggest(session, prefix, limit=8, language="es")
        for symptoms in SYMPTOM_SETS:
            ids = [r.symptom.id for r in match.resolve_symptoms(session, symptoms) if r.symptom.id is not None]
            ranked = match.rank_conditions(session, ids, limit=10)
            found[f"match {symptoms}"] = [(r.condition.slug, r.score) for r in ranked]
    return found


def spelling_list(engine: Engine) -> tuple[list[tuple[str, str, int]], list[tuple[str, str]]]:
    database = engine.url.database
    assert database is not None
    fold = search_engine.folding_analyzer()
    with sqlite3.connect(database) as connection:
        words = connection.execute(
            "SELECT language, word, documents FROM search_word ORDER BY language, word"
        ).fetchall()
        # Each trigram row must belong to its word's row (they are deleted together by id), and hold the word
        # with accents folded.
        trigrams = connection.execute(
            "SELECT w.language, w.word, t.word FROM search_word_trigram t JOIN search_word w ON w.id = t.rowid "
            "ORDER BY w.language, w.word"
        ).fetchall()
        orphans = connection.execute("SELECT count(*) FROM search_word_trigram").fetchone()[0] - len(trigrams)
    assert orphans == 0
    assert all(folded == "".join(fold.analyze(word)) for _, word, folded in trigrams)
    return words, [(language, word) for language, word, _ in trigrams]


def fresh_engine(path: Path) -> Engine:
    migrations.upgrade(sqlite_url(path))
    return create_db_engine(sqlite_url(path))


def edit(content: Path) -> None:
    """One of each change an editor makes: new words, a renamed alias, a new page, a page removed, a term."""
    lumbar = content / "conditions" / "lumbar-muscle-spasm.md"
    text = lumbar.read_text(encoding="utf-8")
    edited = text.replace("  - Back knot\n", "  - Zebrafinch knot\n", 1)
    assert edited != text
    lumbar.write_text(edited, encoding="utf-8")
    write_condition(content, "zebra-test-syndrome", aliases=("zebra back",), symptoms=("low-back-pain", "neck-pain"))
    # A symptom's new name: the pages that list it are found by it too, so they change with it.
    symptoms = content / "vocabulary" / "symptoms.yaml"
    text = symptoms.read_text(encoding="utf-8")
    edited = text.replace("aliases: [pain in the buttock, glute pain]", "aliases: [pain in the buttock, quokkaseat]", 1)
    assert edited != text
    symptoms.write_text(edited, encoding="utf-8")
    (content / "conditions" / "osteoporotic-vertebral-compression-fracture.md").unlink()


def edit_spanish(content: Path) -> None:
    """A translation's new alias, a symptom's new Spanish name (the pages listing it change), the translation of
    the page `edit` removes removed with it."""
    spanish = content / "translations" / "es"
    lumbar = spanish / "conditions" / "lumbar-muscle-spasm.md"
    text = lumbar.read_text(encoding="utf-8")
    edited = text.replace("  - Nudo en la espalda\n", "  - Cebranudo en la espalda\n", 1)
    assert edited != text
    lumbar.write_text(edited, encoding="utf-8")
    symptoms = spanish / "vocabulary" / "symptoms.yaml"
    text = symptoms.read_text(encoding="utf-8")
    edited = text.replace("aliases: [dolor de nalga, dolor en el glúteo]", "aliases: [dolor de nalga, quokkasiento]", 1)
    assert edited != text
    symptoms.write_text(edited, encoding="utf-8")
    (spanish / "conditions" / "osteoporotic-vertebral-compression-fracture.md").unlink()


def test_a_reseed_updates_the_index_to_what_a_rebuild_gives(
    tmp_path: Path, translated_content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content_copy = translated_content_copy
    # This small library's edit replaces a fifth of its documents (the terms whose use counts changed):
    # allowed here, so that the update path is the one tested.
    monkeypatch.setattr(search_engine, "MAX_DELETED_SHARE", 1.0)
    updated = fresh_engine(tmp_path / "updated.db")
    rebuilt = fresh_engine(tmp_path / "rebuilt.db")
    try:
        assert seed(updated, content_copy).search_rebuilt
        digest_before = stored_digest(updated)
        edit(content_copy)
        edit_spanish(content_copy)

        report = seed(updated, content_copy)
        assert not report.search_rebuilt
        assert report.conditions_written == {
            "lumbar-muscle-spasm",
            "zebra-test-syndrome",
            "osteoporotic-vertebral-compression-fracture",
        }
        assert stored_digest(updated) != digest_before
        assert seed(rebuilt, content_copy).search_rebuilt

        assert answers(updated) == answers(rebuilt)
        assert spelling_list(updated) == spelling_list(rebuilt)
        with Session(updated) as session:
            assert [hit.slug for hit in search.search(session, "zebrafinch", kinds=[], limit=5, offset=0).hits] == [
                "lumbar-muscle-spasm"
            ]
            listing = search.search(session, "quokkaseat", kinds=["condition"], limit=20, offset=0)
            assert "piriformis-syndrome" in [hit.slug for hit in listing.hits]
            gone = search.search(session, "osteoporotic compression", kinds=["condition"], limit=5, offset=0)
            assert "osteoporotic-vertebral-compression-fracture" not in [hit.slug for hit in gone.hits]
            found = search.search(session, "cebranudo", kinds=[], limit=5, offset=0, language="es")
            assert [(hit.slug, hit.language) for hit in found.hits] == [("lumbar-muscle-spasm", "es")]
            listing = search.search(session, "quokkasiento", kinds=["condition"], limit=20, offset=0, language="es")
            assert "piriformis-syndrome" in [hit.slug for hit in listing.hits]
            new_page = search.search(session, "zebra", kinds=[], limit=5, offset=0, language="es")
            assert [(hit.slug, hit.language) for hit in new_page.hits][:1] == [("zebra-test-syndrome", "en")]
    finally:
        updated.dispose()
        rebuilt.dispose()


def test_a_reseed_that_would_replace_too_much_of_the_index_rebuilds_it(
    write_engine: Engine, content_copy: Path
) -> None:
    edit(content_copy)
    report = seed(write_engine, content_copy)
    assert report.search_rebuilt
    with Session(write_engine) as session:
        hits = search.search(session, "zebrafinch", kinds=[], limit=5, offset=0).hits
    assert [hit.slug for hit in hits] == ["lumbar-muscle-spasm"]


def test_reseeding_unchanged_content_keeps_the_index(write_engine: Engine, translated_content_copy: Path) -> None:
    # The whole seed folder, translations included: without them, every translation would be deleted.
    digest = stored_digest(write_engine)
    report = seed(write_engine, translated_content_copy)
    assert report.search_documents is None
    assert stored_digest(write_engine) == digest


def stored_digest(engine: Engine) -> str | None:
    with Session(engine) as session:
        return search_engine.stored_digest(session)
