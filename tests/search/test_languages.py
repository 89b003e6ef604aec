"""Search, corrections and type-ahead in a language other than the default (issue 16), with Spanish: its own
stemming and accent folding, its own spelling list and names, and English untouched."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from app.content.search_index import indexed_languages
from app.content.seed import seed
from app.core.config import Settings
from app.core.db import create_db_engine
from app.main import create_app
from app.queries import search
from tests.conftest import sqlite_url

pytestmark = pytest.mark.anyio


async def search_es(client: httpx.AsyncClient, query: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = await client.get("/v1/search", params={"q": query, "lang": "es", **params})
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


def first(body: dict) -> str:  # type: ignore[type-arg]
    return f"{body['items'][0]['type']}:{body['items'][0]['slug']}"


async def test_espasmo_muscular_finds_lumbar_muscle_spasm_first_in_spanish(client: httpx.AsyncClient) -> None:
    body = await search_es(client, "espasmo muscular")
    hit = body["items"][0]
    assert (hit["type"], hit["slug"], hit["name"]) == ("condition", "lumbar-muscle-spasm", "Espasmo muscular lumbar")
    assert body["language"] == "es"
    assert {item["language"] for item in body["items"]} == {"es"}
    assert body["notice"].startswith("Esta es información general, no un diagnóstico.")
    assert "<mark>" in hit["snippet"]
    assert hit["href"] == "/v1/conditions/lumbar-muscle-spasm"  # slugs are the same in every language


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lumbalgia", "condition:nonspecific-low-back-pain"),
        ("lumbalgias", "condition:nonspecific-low-back-pain"),
        ("espasmos", "condition:lumbar-muscle-spasm"),
        ("contractura", "condition:lumbar-muscle-spasm"),
        ("contracturas", "condition:lumbar-muscle-spasm"),
    ],
)
async def test_spanish_word_forms_are_stemmed(client: httpx.AsyncClient, query: str, expected: str) -> None:
    body = await search_es(client, query)
    assert first(body) == expected
    assert body["did_you_mean"] is None  # found as typed: stemming, not spelling correction


async def test_accents_are_optional_both_ways(client: httpx.AsyncClient) -> None:
    accented, plain = await search_es(client, "ciática"), await search_es(client, "ciatica")
    assert first(accented) == first(plain) == "condition:sciatica"
    assert [(i["slug"], i["score"]) for i in accented["items"]] == [(i["slug"], i["score"]) for i in plain["items"]]
    assert plain["did_you_mean"] is None
    # And a page that writes a word without its accent is found by it accented.
    assert first(await search_es(client, "tortícolis")) == first(await search_es(client, "torticolis"))


async def test_typos_are_corrected_to_the_word_as_spanish_pages_write_it(client: httpx.AsyncClient) -> None:
    body = await search_es(client, "lumbalgya")
    assert (body["did_you_mean"], first(body)) == ("lumbalgia", "condition:nonspecific-low-back-pain")
    # A missing accent costs no edit: "ciatca" is one edit from "ciática", which is what is suggested.
    body = await search_es(client, "ciatca")
    assert (body["did_you_mean"], first(body)) == ("ciática", "condition:sciatica")
    body = await search_es(client, "espasmos muscluares")
    assert body["did_you_mean"] == "espasmos musculares"


async def test_spanish_function_words_are_not_searched(client: httpx.AsyncClient) -> None:
    body = await search_es(client, "me duele mucho la espalda cuando estoy sentado")
    assert "la" not in body["searched_for"].split() and "me" not in body["searched_for"].split()


async def test_a_search_sees_only_its_language(client: httpx.AsyncClient) -> None:
    spanish = await search_es(client, "dolor")
    assert spanish["total"] > 0 and {item["language"] for item in spanish["items"]} == {"es"}
    english = (await client.get("/v1/search", params={"q": "dolor"})).json()
    assert english["language"] == "en" and english["items"] == []
    back = (await client.get("/v1/search", params={"q": "back spasm"})).json()
    assert first(back) == "condition:lumbar-muscle-spasm"
    assert back["items"][0]["name"] == "Lumbar muscle spasm"
    assert {item["language"] for item in back["items"]} == {"en"}


async def test_suggestions_are_in_the_language_asked_for(client: httpx.AsyncClient) -> None:
    for typed in ("ciá", "Cia", "ciat"):
        body = (await client.get("/v1/search/suggest", params={"q": typed, "lang": "es"})).json()
        top = body["items"][0]
        assert (top["slug"], top["name"], top["label"], top["language"]) == ("sciatica", "Ciática", "Ciática", "es")
    spasm = (await client.get("/v1/search/suggest", params={"q": "contrac", "lang": "es"})).json()
    assert spasm["items"][0]["slug"] == "lumbar-muscle-spasm"
    assert spasm["items"][0]["label"] == "Contractura lumbar"
    english = (await client.get("/v1/search/suggest", params={"q": "contrac"})).json()
    assert "lumbar-muscle-spasm" not in [item["slug"] for item in english["items"]]


@pytest.fixture
async def untranslated_client(
    db_path: Path, translated_content_copy: Path, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """A library where whiplash has no Spanish translation."""
    (translated_content_copy / "translations" / "es" / "conditions" / "whiplash.md").unlink()
    engine = create_db_engine(sqlite_url(db_path))
    try:
        seed(engine, translated_content_copy)
    finally:
        engine.dispose()
    app = create_app(Settings(database_url=sqlite_url(db_path), export_dir=str(tmp_path / "exports")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    app.state.close()


async def test_an_entry_without_a_translation_is_found_by_its_english_words(
    untranslated_client: httpx.AsyncClient,
) -> None:
    body = await search_es(untranslated_client, "whiplash")
    hit = body["items"][0]
    assert (hit["slug"], hit["name"], hit["language"]) == ("whiplash", "Whiplash", "en")
    assert body["language"] == "es"
    suggested = (await untranslated_client.get("/v1/search/suggest", params={"q": "whipl", "lang": "es"})).json()
    assert (suggested["items"][0]["slug"], suggested["items"][0]["language"]) == ("whiplash", "en")
    # The translated pages are still found by their Spanish words, and the Spanish name is gone.
    assert first(await search_es(untranslated_client, "ciatica")) == "condition:sciatica"
    assert "whiplash" not in [item["slug"] for item in (await search_es(untranslated_client, "latigazo"))["items"]]


def test_a_language_without_an_index_is_searched_in_the_default_one(write_engine: Engine) -> None:
    with Session(write_engine) as session:
        result = search.search(session, "back spasm", kinds=[], limit=3, offset=0, language="xx")
        assert result.language == "en"
        assert result.hits[0].slug == "lumbar-muscle-spasm"


async def test_accept_language_picks_the_language_and_answers_say_which(client: httpx.AsyncClient) -> None:
    for path, params in (("/v1/search", {"q": "ciatica"}), ("/v1/search/suggest", {"q": "ciat"})):
        english = await client.get(path, params=params)
        spanish = await client.get(path, params=params, headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
        again = await client.get(path, params=params)  # the cached Spanish answer is not given to English
        assert (english.headers["content-language"], spanish.headers["content-language"]) == ("en", "es"), path
        assert "Accept-Language" in spanish.headers["vary"]
        assert spanish.json()["items"][0]["name"] == "Ciática"
        assert again.json() == english.json() and english.json() != spanish.json()


def test_a_language_nothing_is_translated_into_gets_no_index_of_its_own(
    write_engine: Engine, content_copy: Path
) -> None:
    """An English-only library (the benchmarks' synthetic ones) indexes once: Spanish searches use English's."""
    seed(write_engine, content_copy)  # the seed folder without its translations
    with write_engine.connect() as connection:
        assert indexed_languages(connection) == ["en"]
    with Session(write_engine) as session:
        result = search.search(session, "back spasm", kinds=[], limit=3, offset=0, language="es")
        assert (result.language, result.hits[0].slug) == ("en", "lumbar-muscle-spasm")
