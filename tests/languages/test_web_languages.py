"""What a patient or visitor reads, in the language asked for: the card (labels, notice, dates, JSON-LD), its
error page, embed.js's words, the home page's language switch and the pages for people; and an entry without a
translation, whose English words say they are English inside the asked language's labels."""

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import extruct  # type: ignore[import-untyped]
import httpx
import lxml.html  # type: ignore[import-untyped]
import pytest

from app.core.config import Settings
from app.core.locales import DEFAULT_LANGUAGE, locales, message
from app.core.paths import SEED_DIR
from app.main import create_app
from app.representation.card import SECTIONS
from tests.conftest import build_database, sqlite_url

pytestmark = pytest.mark.anyio

CARD = "/embed/conditions/lumbar-muscle-spasm"
HTML = {"Accept": "text/html"}
# The card's parts lumbar muscle spasm has (the page lists no red flags), titled in Spanish.
SPANISH_SECTIONS = [
    "Información general",
    "Síntomas",
    "Causas",
    "Tratamientos",
    "Cuidados en casa",
    "Cuánto dura",
    "Preguntas y respuestas",
]


def tree(page: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(page)


def shown(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def jsonld_nodes(page: str) -> dict[str, dict[str, Any]]:
    [document] = extruct.extract(page, base_url="http://testserver", syntaxes=["json-ld"])["json-ld"]
    return {node["@type"]: node for node in document["@graph"]}


async def test_the_card_in_spanish_has_spanish_labels_notice_dates_and_structured_data(
    client: httpx.AsyncClient,
) -> None:
    record = (await client.get("/v1/conditions/lumbar-muscle-spasm", params={"lang": "es"})).json()
    response = await client.get(CARD, params={"lang": "es"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "es"
    assert "Accept-Language" in response.headers["vary"]
    page = tree(response.text)
    assert page.get("lang") == "es"
    article = page.find(".//article")
    assert article.get("lang") == "es"  # embed.js takes the article out of the page: it says its language too
    others = page.xpath("//*[@lang and @lang != 'es']")
    # Only the source and the translator's credit, the original's words, are English.
    assert {element.getparent().get("class") for element in others} == {"cc-meta", "cc-status"}
    credit = "Traducción del original en inglés: Machine translation by an AI assistant"
    assert credit in shown(article)  # a patient is told the text is a machine translation
    assert shown(article.find(".//h2")) == "Espasmo muscular lumbar" == record["name"]
    assert [shown(h3) for h3 in article.findall(".//h3")] == SPANISH_SECTIONS
    assert shown(article.find_class("cc-notice")[0]) == message("es", "medical_notice")
    assert shown(article.find_class("cc-status")[0]) == "Borrador: aún no revisado por un profesional de la salud."
    assert shown(article.find_class("cc-aliases")[0]).startswith("También llamado: Espasmo de espalda")
    assert "unas tres a cuatro semanas (21\u201328 días)." in shown(article)
    updated = record["updated_at"][:10]
    assert article.xpath(f"string(.//time[@datetime='{updated}'])") == "29 de noviembre de 2026"
    assert shown(article.find_class("cc-review")[0]) == "Última actualización el 29 de noviembre de 2026."
    # The source's title and attribution are the original's English: they say so.
    source = article.find_class("cc-meta")[0]
    assert shown(source).startswith("Fuente: ")
    assert {span.get("lang") for span in source.findall(".//span")} == {"en"}
    assert article.find_class("cc-language") == []  # translated: no note that it is not
    # No English label is left anywhere in the card.
    visible = shown(article)
    for section in SECTIONS.values():
        assert section.title(DEFAULT_LANGUAGE) not in visible
    for english in ("Also called", "Draft", "days)", "Last updated", "not medical advice"):
        assert english not in visible

    nodes = jsonld_nodes(response.text)
    web_page, faq = nodes["MedicalWebPage"], nodes["FAQPage"]
    assert web_page["inLanguage"] == faq["inLanguage"] == "es"
    assert web_page["name"] == web_page["about"]["name"] == "Espasmo muscular lumbar"
    assert web_page["url"] == "http://127.0.0.1:8000/embed/conditions/lumbar-muscle-spasm?lang=es"
    assert faq["name"] == "Espasmo muscular lumbar: preguntas y respuestas"
    assert faq["mainEntity"][0]["name"] == record["faqs"][0]["question"]
    assert web_page["about"]["expectedPrognosis"] == "unas tres a cuatro semanas (21\u201328 días)"
    assert [symptom["name"] for symptom in web_page["about"]["signOrSymptom"][:3]] == [
        "Dolor lumbar",
        "Nervio pinzado",
        "Dolor al tacto",
    ]
    # The condition is one thing in every language: its @id does not change; the page's does.
    english_page = jsonld_nodes((await client.get(CARD)).text)["MedicalWebPage"]
    assert english_page["inLanguage"] == "en" and english_page["about"]["@id"] == web_page["about"]["@id"]
    assert english_page["@id"] != web_page["@id"]


async def test_the_card_follows_accept_language_and_lang_wins(client: httpx.AsyncClient) -> None:
    by_header = await client.get(CARD, headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert by_header.headers["content-language"] == "es"
    assert tree(by_header.text).get("lang") == "es"
    forced = await client.get(CARD, params={"lang": "en"}, headers={"Accept-Language": "es"})
    assert forced.headers["content-language"] == "en"
    page = tree(forced.text)
    assert page.get("lang") == "en" and shown(page.find(".//h2")) == "Lumbar muscle spasm"
    assert "How long it lasts" in shown(page)


async def test_a_language_not_offered_gets_the_english_card(client: httpx.AsyncClient) -> None:
    response = await client.get(CARD, params={"lang": "fr", "sections": "symptoms"})
    assert response.status_code == 200 and response.headers["content-language"] == "en"
    page = tree(response.text)
    assert page.get("lang") == "en"
    assert [shown(h3) for h3 in page.findall(".//h3")] == ["Symptoms"]
    assert page.find_class("cc-language") == []  # English is what the page is: nothing to say about it


async def test_a_malformed_lang_is_a_problem_for_developers_and_a_plain_page_for_visitors(
    client: httpx.AsyncClient,
) -> None:
    problem = await client.get(CARD, params={"lang": "es_ES!"})
    assert problem.status_code == 422
    assert "'es_ES!' is not a language tag" in problem.json()["detail"]
    page = await client.get(CARD, params={"lang": "es_ES!"}, headers=HTML)
    assert page.status_code == 422 and tree(page.text).get("lang") == "en"
    assert shown(tree(page.text).body) == message("en", "card_unavailable")


async def test_a_card_that_cannot_be_shown_says_so_in_the_language_asked_for(client: httpx.AsyncClient) -> None:
    for headers, params in (({**HTML, "Accept-Language": "es"}, {}), (HTML, {"lang": "es", "theme": "neon"})):
        response = await client.get("/embed/conditions/no-such-condition", params=params, headers=headers)
        assert response.status_code in (404, 422)
        assert response.headers["content-language"] == "es"
        assert "Accept-Language" in response.headers["vary"]
        page = tree(response.text)
        assert page.get("lang") == "es" and page.find(".//article").get("lang") == "es"
        assert page.findtext(".//title") == "No disponible"
        assert shown(page.body) == "Esta información no está disponible en este momento."


async def test_embed_js_carries_every_languages_words_for_a_card_that_cannot_be_shown(
    client: httpx.AsyncClient,
) -> None:
    script = (await client.get("/embed.js")).text
    assert "/*UNAVAILABLE*/" not in script
    for tag in locales():
        assert f'"{tag}":"{message(tag, "card_unavailable")}"' in script
    assert "data-lang" in script and 'closest("[lang]")' in script


async def test_the_home_page_has_a_language_switch_and_speaks_spanish(client: httpx.AsyncClient) -> None:
    english = tree((await client.get("/")).text)
    switch = english.xpath("//nav[@class='language-switch']//a")
    assert [(a.get("hreflang"), a.get("lang"), a.text, a.get("href")) for a in switch] == [
        (tag, tag, locale.name, f"/?lang={tag}") for tag, locale in locales().items()
    ]
    assert [a.get("aria-current") for a in switch] == ["true" if tag == "en" else None for tag in locales()]
    assert english.xpath("//link[@rel='alternate']/@hreflang") == list(locales())

    response = await client.get("/", params={"lang": "es", "q": "lumbar"})
    assert response.headers["content-language"] == "es"
    page = tree(response.text)
    assert page.get("lang") == "es"
    assert page.findtext(".//h1") == "Información sobre afecciones médicas, como una API"
    assert shown(page.find_class("notice")[0]) == message("es", "not_a_diagnosis")
    assert page.xpath("string(//label[@for='search-input'])") == "Afección, síntoma, causa o tratamiento"
    # The switch keeps the query; a chosen language is carried by the form and every link to a page.
    assert page.xpath("//nav[@class='language-switch']//a/@href") == [f"/?q=lumbar&lang={tag}" for tag in locales()]
    assert page.xpath("//form[@role='search']//input[@name='lang']/@value") == ["es"]
    assert page.xpath("//form[@role='search']/@data-lang") == ["es"]
    # Results in Spanish: Spanish names, in the page's language (no lang of their own).
    hits = page.xpath("//ol[@class='results']/li/a")
    assert hits and not any(hit.get("lang") for hit in hits)
    assert ("/conditions/lumbar-muscle-spasm?lang=es", "Espasmo muscular lumbar") in [
        (a.get("href"), a.text) for a in hits
    ]
    names = {a.get("href"): a.text for a in page.xpath("//ul[@class='conditions']//a")}
    assert names["/conditions/sciatica?lang=es"] == "Ciática"
    assert page.xpath("//ul[@class='conditions']//*[@lang]") == []  # every entry is translated
    snippet = page.get_element_by_id("snippet-script").getnext().text_content()
    assert 'data-lang="es"' in snippet

    # A browser that prefers Spanish gets it without asking, and its links do not pin a language.
    by_header = tree((await client.get("/", headers={"Accept-Language": "es"})).text)
    assert by_header.get("lang") == "es"
    assert "/conditions/sciatica" in by_header.xpath("//ul[@class='conditions']//a/@href")


async def test_the_pages_for_people_in_spanish(client: httpx.AsyncClient) -> None:
    condition = await client.get("/conditions/lumbar-muscle-spasm", params={"lang": "es"})
    assert condition.headers["content-language"] == "es"
    page = tree(condition.text)
    assert (page.get("lang"), page.findtext(".//h1")) == ("es", "Espasmo muscular lumbar")
    # The widget takes the page's language from <html lang>; the iframe snippet asks for it.
    assert page.xpath("//div[@class='widget']/@data-lang") == []
    iframe = lxml.html.fragment_fromstring(page.get_element_by_id("snippet-iframe").getnext().text_content())
    assert iframe.get("src") == "http://127.0.0.1:8000/embed/conditions/lumbar-muscle-spasm?lang=es"
    assert iframe.get("title") == "Espasmo muscular lumbar"

    symptom = tree((await client.get("/symptoms/low-back-pain", headers={"Accept-Language": "es"})).text)
    assert (symptom.get("lang"), symptom.findtext(".//h1")) == ("es", "Dolor lumbar")
    assert symptom.xpath("string(//span[@class='kind'])") == "Síntoma"
    assert symptom.xpath("string(//h2[@id='listed-heading'])").startswith("Afecciones que lo mencionan (")
    uses = [shown(li) for li in symptom.xpath("//ul[@class='uses']/li")]
    assert "Síntomas Dolor lumbar, nervio pinzado o dolor al tacto." in uses

    missing = await client.get("/conditions/no-such-condition", params={"lang": "es"}, headers=HTML)
    assert missing.status_code == 404 and missing.headers["content-language"] == "es"
    assert tree(missing.text).findtext(".//h1") == "No hay ninguna página en esta dirección."


async def test_every_catalog_fills_in_the_same_values_as_the_default_language() -> None:
    """A translated message that dropped or renamed a `{value}` would lose it (or fail) on the page."""
    names = re.compile(r"{(\w*)}")
    default = locales()[DEFAULT_LANGUAGE].messages
    for locale in locales().values():
        for key, text in default.items():
            assert sorted(names.findall(locale.messages[key])) == sorted(names.findall(text)), (locale.tag, key)
        assert len(locale.message("card_months").split()) == 12


@pytest.fixture
async def untranslated_lumbar(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A library whose lumbar muscle spasm page has no Spanish translation."""
    content = tmp_path / "seed"
    shutil.copytree(SEED_DIR, content)
    (content / "translations" / "es" / "conditions" / "lumbar-muscle-spasm.md").unlink()
    build_database(tmp_path / "partial.db", content)
    app = create_app(Settings(database_url=sqlite_url(tmp_path / "partial.db"), export_dir=str(tmp_path / "x")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield client
    app.state.close()


async def test_an_untranslated_entry_shows_english_words_marked_english_in_spanish_labels(
    untranslated_lumbar: httpx.AsyncClient,
) -> None:
    """The visitor asked for Spanish: the labels, the notice and the dates are Spanish, a note says the entry is
    not translated yet, and every element holding the entry's words says `lang="en"`, so a screen reader reads
    them as English. The structured data describes the English page, in English only."""
    response = await untranslated_lumbar.get(CARD, params={"lang": "es"})
    assert response.status_code == 200
    assert response.headers["content-language"] == "es, en"
    page = tree(response.text)
    assert page.get("lang") == "es"
    article = page.find(".//article")
    title = article.find(".//h2")
    assert (shown(title), title.get("lang")) == ("Lumbar muscle spasm", "en")
    assert shown(article.find_class("cc-language")[0]) == message("es", "card_not_translated")
    assert shown(article.find_class("cc-notice")[0]) == message("es", "medical_notice")
    sections = article.findall(".//section")
    assert [section.find("h3").text for section in sections] == SPANISH_SECTIONS
    for section in sections:
        words = section if section.get("lang") == "en" else section.find(".//span[@lang='en']")
        assert words is not None, section.get("aria-labelledby")
        if section.get("lang") == "en":
            assert section.find("h3").get("lang") == "es"  # the heading is the interface's
    assert "Muscle spasms" in shown(article) or "muscle spasm" in shown(article)
    assert "días)" in shown(article)

    nodes = jsonld_nodes(response.text)
    web_page = nodes["MedicalWebPage"]
    assert web_page["inLanguage"] == nodes["FAQPage"]["inLanguage"] == "en"
    assert web_page["url"] == "http://127.0.0.1:8000/embed/conditions/lumbar-muscle-spasm"
    # English names only: the API's record names linked entries in Spanish, the card's page is English.
    assert [symptom["name"] for symptom in web_page["about"]["signOrSymptom"][:3]] == [
        "Low back pain",
        "Pinched nerve",
        "Tenderness",
    ]
    assert web_page["about"]["expectedPrognosis"].endswith("(21\u201328 days)")

    listed = tree((await untranslated_lumbar.get("/", params={"lang": "es"})).text)
    [item] = listed.xpath("//ul[@class='conditions']/li[@lang='en']")
    assert item.findtext("a") == "Lumbar muscle spasm"
    assert item.find("span").get("lang") == "es"  # the draft badge is the interface's word
