"""The Atom feed, judged by feedparser: MedlinePlus Connect's requests with our host, ICD-10-CM (exact and by
ancestor), SNOMED CT, the display name's search, languages, and what EHRs send besides."""

import xml.etree.ElementTree as ET
from string import Formatter

import httpx
import pytest

from app.core.locales import DEFAULT_LANGUAGE, locales, message, offered
from app.models.public import MEDICAL_NOTICE
from tests.infobutton.requests import (
    ICD10_OID,
    SNOMED_OID,
    api_record,
    echoed,
    medlineplus_request,
    on_our_host,
    people_page,
    read_feed,
)

pytestmark = pytest.mark.anyio
BASE = "http://127.0.0.1:8000"  # the server's default public URL: feed links are absolute


async def test_an_icd10_request_leads_to_the_lumbar_muscle_spasm_page(client: httpx.AsyncClient) -> None:
    url = on_our_host(medlineplus_request(ICD10_OID, "M62.830", "Muscle spasm of back"))
    response = await client.get(url)
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    feed = read_feed(response)
    assert [entry.title for entry in feed.entries] == ["Lumbar muscle spasm"]
    entry = feed.entries[0]
    assert people_page(entry) == f"{BASE}/conditions/lumbar-muscle-spasm"
    assert entry.link == people_page(entry)  # what a reader opens: the page for people
    assert api_record(entry) == f"{BASE}/v1/conditions/lumbar-muscle-spasm"
    assert entry.id == api_record(entry)
    assert entry.updated_parsed is not None and feed.feed.updated_parsed is not None
    record = (await client.get("/v1/conditions/lumbar-muscle-spasm")).json()
    assert record["summary"] in entry.summary
    assert "Also called: Back spasm" in entry.summary
    assert record["source"]["attribution"] in entry.summary and entry.rights == record["source"]["attribution"]
    assert MEDICAL_NOTICE in entry.summary
    assert feed.feed.language == "en"
    assert echoed(feed) == {
        "mainSearchCriteria.v.c": "M62.830",
        "mainSearchCriteria.v.cs": ICD10_OID,
        "mainSearchCriteria.v.dn": "Muscle spasm of back",
        "informationRecipient": "PAT",
        "informationRecipient.languageCode.c": "en",
    }
    # The people's page and the API record the links point at exist.
    assert (await client.get("/conditions/lumbar-muscle-spasm")).status_code == 200


async def test_a_child_code_is_answered_by_its_nearest_coded_ancestor(client: httpx.AsyncClient) -> None:
    feed = read_feed(await client.get(on_our_host(medlineplus_request(ICD10_OID, "M62.838"))))
    assert [entry.title for entry in feed.entries] == ["Lumbar muscle spasm"]
    assert "nearest coded ancestor, M62.83" in feed.feed.subtitle
    assert echoed(feed)["mainSearchCriteria.v.c"] == "M62.838"


async def test_a_snomed_request_leads_to_the_lumbar_muscle_spasm_page(client: httpx.AsyncClient) -> None:
    feed = read_feed(await client.get(on_our_host(medlineplus_request(SNOMED_OID, "55300003"))))
    assert [people_page(entry) for entry in feed.entries] == [f"{BASE}/conditions/lumbar-muscle-spasm"]
    assert feed.feed.subtitle == "Conditions coded SNOMED CT 55300003."
    # 55300003 (Cramp) is broader than the page: the entry says so; an exact one does not.
    assert "covers only part of what SNOMED CT 55300003 means" in feed.entries[0].summary
    exact = read_feed(await client.get(on_our_host(medlineplus_request(SNOMED_OID, "23056005"))))
    assert [entry.title for entry in exact.entries] == ["Sciatica"]
    assert "covers only part" not in exact.entries[0].summary


@pytest.mark.parametrize("language", ["en-US", "EN", "en_GB"])
async def test_any_english_language_tag_is_english(client: httpx.AsyncClient, language: str) -> None:
    feed = read_feed(await client.get(on_our_host(medlineplus_request(ICD10_OID, "M62.830", language=language))))
    assert "not available" not in feed.feed.subtitle


async def test_a_language_not_offered_is_answered_in_english_and_says_so(client: httpx.AsyncClient) -> None:
    url = on_our_host(medlineplus_request(ICD10_OID, "M62.830", "Spasme musculaire du dos", language="fr"))
    response = await client.get(url)
    feed = read_feed(response)
    assert [entry.title for entry in feed.entries] == ["Lumbar muscle spasm"]
    assert feed.feed.language == "en" and all(entry.title_detail.language == "en" for entry in feed.entries)
    assert "Results are in English: language 'fr' is not available." in feed.feed.subtitle
    assert echoed(feed)["informationRecipient.languageCode.c"] == "fr"
    assert people_page(feed.entries[0]) == f"{BASE}/conditions/lumbar-muscle-spasm"
    assert response.headers["content-language"] == "en"


@pytest.mark.parametrize("language", ["es", "es-MX", "ES", "es_US"])
async def test_a_spanish_request_is_answered_in_spanish(client: httpx.AsyncClient, language: str) -> None:
    url = on_our_host(medlineplus_request(SNOMED_OID, "55300003", "Espasmo muscular de la espalda", language=language))
    response = await client.get(url)
    assert response.headers["content-language"] == "es"
    feed = read_feed(response)
    record = (await client.get("/v1/conditions/lumbar-muscle-spasm", params={"lang": "es"})).json()
    assert [entry.title for entry in feed.entries] == [record["name"]] == ["Espasmo muscular lumbar"]
    entry = feed.entries[0]
    assert feed.feed.language == "es" and entry.title_detail.language == "es"
    assert feed.feed.subtitle == "Afecciones con el código SNOMED CT 55300003."
    assert people_page(entry) == f"{BASE}/conditions/lumbar-muscle-spasm?lang=es"
    assert api_record(entry) == entry.id == f"{BASE}/v1/conditions/lumbar-muscle-spasm?lang=es"
    assert {link.hreflang for link in entry.links} == {"es"}
    assert record["summary"] in entry.summary
    assert f"También llamado: {', '.join(record['aliases'])}" in entry.summary
    assert "Esta página cubre solo una parte de lo que significa SNOMED CT 55300003" in entry.summary
    # The translator's credit and the source's attribution are English words in a Spanish entry, marked so.
    assert f'Traducción: <span lang="en">{record["translation"]["by"]}</span>' in entry.summary
    assert '<p class="attribution" lang="en">' in entry.summary
    assert message("es", "medical_notice") in entry.summary and MEDICAL_NOTICE not in entry.summary
    assert record["source"]["attribution"] == entry.rights  # the source's words, as the record gives them
    assert echoed(feed)["informationRecipient.languageCode.c"] == language
    # The English feed of the same code is another document.
    english = read_feed(await client.get(on_our_host(medlineplus_request(SNOMED_OID, "55300003"))))
    assert english.entries[0].title == "Lumbar muscle spasm" and english.feed.id != feed.feed.id


async def test_a_spanish_feed_words_what_it_found_in_spanish(client: httpx.AsyncClient) -> None:
    feed = read_feed(await client.get(on_our_host(medlineplus_request(ICD10_OID, "M62.838", language="es"))))
    assert feed.feed.subtitle == (
        "Ninguna afección tiene el código ICD-10-CM M62.838; estas tienen códigos bajo su antecesor codificado "
        "más cercano, M62.83."
    )
    nothing = read_feed(await client.get(on_our_host(medlineplus_request(ICD10_OID, "A00.0", "Cólera", "es"))))
    assert nothing.entries == [] and nothing.feed.language == "es"
    assert (
        nothing.feed.subtitle
        == "Ninguna afección tiene el código ICD-10-CM A00.0, ni coincide con su nombre, 'Cólera'."
    )


def test_every_offered_language_words_the_feed_with_the_same_placeholders() -> None:
    """The feed's words come from each language's catalog and are filled in with `str.format`: a translation that
    renames or drops a placeholder would fail (or say less) only at request time."""

    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    english = locales()[DEFAULT_LANGUAGE].messages
    keys = sorted(key for key in english if key.startswith("infobutton_"))
    assert len(keys) == 10
    for tag in offered():
        assert {key: placeholders(message(tag, key)) for key in keys} == {
            key: placeholders(english[key]) for key in keys
        }


@pytest.mark.parametrize(
    ("oid", "code", "why"),
    [
        (ICD10_OID, "A00.0", "No condition carries ICD-10-CM A00.0."),  # in the release, under no condition
        (SNOMED_OID, "22298006", "No condition carries SNOMED CT 22298006."),  # carried by no condition
        (ICD10_OID, "not-a-code", "'not-a-code' is not shaped like a code of ICD-10-CM"),
        (SNOMED_OID, "55300004", "'55300004' is not shaped like a code of SNOMED CT"),  # wrong check digit
    ],
)
async def test_a_code_that_matches_nothing_is_an_empty_feed(
    client: httpx.AsyncClient, oid: str, code: str, why: str
) -> None:
    feed = read_feed(await client.get(on_our_host(medlineplus_request(oid, code))))
    assert feed.entries == []
    assert feed.feed.subtitle.startswith(why)
    assert echoed(feed)["mainSearchCriteria.v.c"] == code


async def test_the_display_name_is_searched_when_no_condition_carries_the_code(client: httpx.AsyncClient) -> None:
    feed = read_feed(await client.get(on_our_host(medlineplus_request(SNOMED_OID, "22298006", "Lumbar spasm"))))
    assert feed.entries and feed.entries[0].title == "Lumbar muscle spasm"
    assert len(feed.entries) <= 3
    assert "best matches for its display name, 'Lumbar spasm'" in feed.feed.subtitle


async def test_parameters_it_does_not_use_are_ignored_and_the_patient_echoed(client: httpx.AsyncClient) -> None:
    params = {
        "mainSearchCriteria.v.cs": ICD10_OID,
        "mainSearchCriteria.v.c": "M62.830",
        "informationRecipient": "PROV",
        "patientPerson.administrativeGenderCode.c": "F",
        "age.v.v": "45",
        "age.v.u": "a",
        "taskContext.c.c": "PROBLISTREV",
        "performer": "PROV",
        "representedOrganization.id.root": "1.3.6.1.4.1.3768",
    }
    feed = read_feed(await client.get("/infobutton", params=params))
    assert [entry.title for entry in feed.entries] == ["Lumbar muscle spasm"]
    assert echoed(feed) == {
        "mainSearchCriteria.v.c": "M62.830",
        "mainSearchCriteria.v.cs": ICD10_OID,
        "mainSearchCriteria.v.dn": "",
        "informationRecipient": "PROV",
        "informationRecipient.languageCode.c": "en",
        "patientPerson.administrativeGenderCode.c": "F",
        "age.v.v": "45",
        "age.v.u": "a",
    }


async def test_markup_in_the_request_is_echoed_as_text(client: httpx.AsyncClient) -> None:
    hostile = "</category><script>alert(1)</script> & \"'"
    response = await client.get(
        "/infobutton",
        params={
            "mainSearchCriteria.v.cs": SNOMED_OID,
            "mainSearchCriteria.v.c": hostile,
            "mainSearchCriteria.v.dn": hostile,
        },
    )
    root = ET.fromstring(response.content)  # well formed, whatever was sent
    assert root.find("{http://www.w3.org/2005/Atom}script") is None
    feed = read_feed(response)
    assert echoed(feed)["mainSearchCriteria.v.c"] == hostile
    assert echoed(feed)["mainSearchCriteria.v.dn"] == hostile
    assert b"<script>" not in response.content


async def test_the_feed_is_cacheable_like_every_answer(client: httpx.AsyncClient) -> None:
    url = on_our_host(medlineplus_request(ICD10_OID, "M62.830"))
    first = await client.get(url)
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert (await client.get(url)).content == first.content  # the same question, the same bytes


async def test_an_english_display_name_finds_pages_for_a_spanish_reader(client: httpx.AsyncClient) -> None:
    """EHRs send the code system's display names, which are English, whatever the patient reads."""
    request = medlineplus_request(ICD10_OID, "Z99.89", "Sciatica", language="es")
    feed = read_feed(await client.get(on_our_host(request)))
    assert [entry.title for entry in feed.entries][:1] == ["Ciática"]
