"""Every localized answer: its language negotiated from `lang=` or Accept-Language, `Content-Language` and
`Vary: Accept-Language` on it, a response cache and ETags kept apart per language, and English (saying so) for an
entry without a translation."""

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.core.config import Settings
from app.core.paths import SEED_DIR
from app.main import create_app
from tests.conftest import build_database, sqlite_url

LUMBAR = "/v1/conditions/lumbar-muscle-spasm"

pytestmark = pytest.mark.anyio


async def test_accept_language_gets_the_spanish_page(client: httpx.AsyncClient) -> None:
    response = await client.get(LUMBAR, headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    assert "Accept-Language" in response.headers["vary"]
    page = response.json()
    assert (page["name"], page["language"], page["language_unavailable"]) == ("Espasmo muscular lumbar", "es", None)
    assert page["translation"]["by"].startswith("Machine translation by an AI assistant")
    assert page["review"]["status"] == "draft"
    # The words are the translation's, the structure the original's: linked entries carry their Spanish names.
    first = page["symptoms"]["items"][0]
    assert first["text"].startswith("[Dolor lumbar]") or first["text"].startswith("Dolor lumbar")
    assert [term["name"] for term in first["terms"]] == ["Dolor lumbar", "Nervio pinzado", "Dolor al tacto"]
    assert page["related"][0] == {
        "slug": "lumbar-strain",
        "name": "Distensión lumbar",
        "href": "/v1/conditions/lumbar-strain",
    }
    assert page["codes"][0]["code"] == "M62.830"


async def test_lang_wins_over_accept_language_and_each_language_is_cached_apart(client: httpx.AsyncClient) -> None:
    spanish_header = {"Accept-Language": "es"}
    english = await client.get(LUMBAR)
    spanish = await client.get(LUMBAR, headers=spanish_header)
    again_english = await client.get(LUMBAR, headers={"Accept-Language": "en-GB"})
    forced = await client.get(LUMBAR, params={"lang": "en"}, headers=spanish_header)
    again_spanish = await client.get(LUMBAR, headers=spanish_header)
    assert english.json()["name"] == again_english.json()["name"] == forced.json()["name"] == "Lumbar muscle spasm"
    assert spanish.json()["name"] == again_spanish.json()["name"] == "Espasmo muscular lumbar"
    assert [r.headers["content-language"] for r in (english, spanish, again_english, forced, again_spanish)] == [
        "en",
        "es",
        "en",
        "en",
        "es",
    ]
    assert english.headers["etag"] != spanish.headers["etag"]
    assert again_spanish.headers["etag"] == spanish.headers["etag"]
    # A validator of one language does not revalidate the other.
    other = await client.get(LUMBAR, headers={**spanish_header, "If-None-Match": english.headers["etag"]})
    assert other.status_code == 200 and other.json()["language"] == "es"
    same = await client.get(LUMBAR, headers={**spanish_header, "If-None-Match": spanish.headers["etag"]})
    assert same.status_code == 304


async def test_a_language_not_offered_gets_english_saying_so(client: httpx.AsyncClient) -> None:
    response = await client.get(LUMBAR, params={"lang": "fr"})
    assert response.headers["content-language"] == "en"
    assert (response.json()["language"], response.json()["language_unavailable"]) == ("en", "fr")


async def test_a_malformed_lang_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get(LUMBAR, params={"lang": "es_ES!"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "'es_ES!' is not a language tag" in response.text


async def test_lists_and_terms_in_spanish(client: httpx.AsyncClient) -> None:
    listed = await client.get("/v1/conditions", params={"lang": "es", "limit": 100})
    assert listed.headers["content-language"] == "es"
    names = {item["slug"]: (item["name"], item["language"]) for item in listed.json()["items"]}
    assert names["sciatica"] == ("Ciática", "es")
    expanded = await client.get("/v1/conditions", params={"lang": "es", "expand": "faqs", "limit": 1})
    assert expanded.json()["items"][0]["faqs"][0]["question"].startswith("¿")
    symptom = (await client.get("/v1/symptoms/low-back-pain", headers={"Accept-Language": "es"})).json()
    assert (symptom["name"], symptom["language"]) == ("Dolor lumbar", "es")
    assert "lumbalgia" in symptom["aliases"]
    lumbar_use = next(use for use in symptom["conditions"] if use["slug"] == "lumbar-muscle-spasm")
    assert lumbar_use["name"] == "Espasmo muscular lumbar"
    assert "Dolor lumbar" in lumbar_use["text"]  # the Spanish page's own words for the item


async def test_match_in_spanish_carries_the_notice_in_spanish(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions/match", params={"symptom": "low-back-pain", "lang": "es"})
    result = response.json()
    assert result["notice"].startswith("Esta es información general, no un diagnóstico.")
    assert result["given"][0]["symptom"]["name"] == "Dolor lumbar"
    assert all(item["condition"]["language"] == "es" for item in result["items"])


async def test_languages_lists_each_with_its_entry_counts(client: httpx.AsyncClient) -> None:
    languages = (await client.get("/v1/languages")).json()["items"]
    english, spanish = languages
    assert (english["tag"], english["default"], spanish["tag"], spanish["name"]) == ("en", True, "es", "Español")
    assert english["entries"]["conditions"] == spanish["entries"]["conditions"] == 16
    assert spanish["entries"] == english["entries"]  # everything is translated


@pytest.fixture
async def partly_translated(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A library whose lumbar muscle spasm page and low back pain symptom have no Spanish translation."""
    content = tmp_path / "seed"
    shutil.copytree(SEED_DIR, content)
    (content / "translations" / "es" / "conditions" / "lumbar-muscle-spasm.md").unlink()
    symptoms = content / "translations" / "es" / "vocabulary" / "symptoms.yaml"
    text = symptoms.read_text(encoding="utf-8")
    start = text.index("  - slug: low-back-pain\n")
    symptoms.write_text(text[:start] + text[text.index("  - slug:", start + 1) :], encoding="utf-8")
    build_database(tmp_path / "partial.db", content)
    app = create_app(Settings(database_url=sqlite_url(tmp_path / "partial.db")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    app.state.close()


async def test_an_untranslated_entry_answers_in_english_saying_so(partly_translated: httpx.AsyncClient) -> None:
    response = await partly_translated.get(LUMBAR, headers={"Accept-Language": "es"})
    assert response.headers["content-language"] == "en"
    page = response.json()
    assert (page["name"], page["language"], page["language_unavailable"], page["translation"]) == (
        "Lumbar muscle spasm",
        "en",
        "es",
        None,
    )
    # Wholly in English: the names of what it links to too, though they have Spanish ones.
    names = [term["name"] for term in page["symptoms"]["items"][0]["terms"]]
    assert names == ["Low back pain", "Pinched nerve", "Tenderness"]
    # A translated page that lists the untranslated symptom names it in English, the rest in Spanish.
    sciatica = (await partly_translated.get("/v1/conditions/lumbar-strain", params={"lang": "es"})).json()
    linked = {term["slug"]: term["name"] for item in sciatica["symptoms"]["items"] for term in item["terms"]}
    assert linked["low-back-pain"] == "Low back pain" and sciatica["language"] == "es"
    listed = (await partly_translated.get("/v1/conditions", params={"lang": "es", "limit": 100})).json()["items"]
    assert {item["slug"]: item["language"] for item in listed}["lumbar-muscle-spasm"] == "en"
    languages = (await partly_translated.get("/v1/languages")).json()["items"]
    assert (languages[1]["entries"]["conditions"], languages[1]["entries"]["symptoms"]) == (15, 37)


async def test_code_lookups_name_their_conditions_in_the_language(client: httpx.AsyncClient) -> None:
    icd10 = await client.get("/v1/codes/icd10/M62.830", headers={"Accept-Language": "es"})
    assert icd10.headers["content-language"] == "es"
    assert [c["name"] for c in icd10.json()["conditions"]] == ["Espasmo muscular lumbar"]
    assert icd10.json()["code"]["description"] == "Muscle spasm of back"  # the code system's own words
    hpo = (await client.get("/v1/codes/hpo/HP:0003419", params={"lang": "es"})).json()
    assert hpo["symptoms"][0]["name"] == "Dolor lumbar"


async def test_spanish_json_ld_says_what_it_translates_and_who_translated_it(client: httpx.AsyncClient) -> None:
    graph = (await client.get(f"{LUMBAR}/jsonld", params={"lang": "es"})).json()["@graph"]
    page = graph[0]
    assert (page["inLanguage"], page["name"]) == ("es", "Espasmo muscular lumbar")
    assert page["translationOfWork"] == {"@id": "http://127.0.0.1:8000/embed/conditions/lumbar-muscle-spasm#page"}
    assert "Traducción del original en inglés: Machine translation by an AI assistant" in page["creditText"]
