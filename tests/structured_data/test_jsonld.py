"""The JSON-LD, read by real consumers: pyld expands it and the schema.org vocabulary checks every node."""

import copy
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.structured_data.schemaorg_vocabulary import expand, problems

pytestmark = pytest.mark.anyio

LUMBAR = "/v1/conditions/lumbar-muscle-spasm"
JSONLD = {"Accept": "application/ld+json"}


def nodes(graph: list[dict[str, Any]], schema_type: str) -> list[dict[str, Any]]:
    return [node for node in graph if node["@type"] == schema_type]


async def test_accept_ld_json_gives_a_medical_web_page_about_the_condition(client: httpx.AsyncClient) -> None:
    detail = (await client.get(LUMBAR)).json()
    response = await client.get(LUMBAR, headers=JSONLD)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    document = response.json()
    assert problems(document) == []

    [page] = nodes(document["@graph"], "MedicalWebPage")
    condition = page["about"]
    assert condition["@type"] == "MedicalCondition"
    assert condition["name"] == detail["name"]
    assert condition["alternateName"] == detail["aliases"]
    assert detail["review"]["status"] == page["creativeWorkStatus"] == "draft"
    assert "lastReviewed" not in page  # no clinician has reviewed a draft; `dateModified` says when it changed
    assert datetime.fromisoformat(page["dateModified"]) == datetime.fromisoformat(detail["updated_at"])
    symptom_names = {term["name"] for item in detail["symptoms"]["items"] for term in item["terms"]}
    assert {s["name"] for s in condition["signOrSymptom"]} == symptom_names
    assert {s["@type"] for s in condition["signOrSymptom"]} == {"MedicalSignOrSymptom"}
    cause_names = {term["name"] for item in detail["causes"]["items"] for term in item["terms"]}
    assert {c["name"] for c in condition["cause"]} == cause_names
    treatments = {
        term["name"]: term["kind"]
        for section in ("treatments", "self_care")
        for item in detail[section]["items"]
        for term in item["terms"]
    }
    assert {t["name"] for t in condition["possibleTreatment"]} == set(treatments)
    drugs = {t["name"] for t in condition["possibleTreatment"] if t["@type"] == "Drug"}
    assert drugs == {name for name, kind in treatments.items() if kind == "medication"}
    assert condition["code"] == [
        {"@type": "MedicalCode", "codeValue": "M62.830", "codingSystem": "ICD-10-CM", "name": "Muscle spasm of back"},
        {"@type": "MedicalCode", "codeValue": "55300003", "codingSystem": "SNOMED CT", "name": "Cramp"},
        {
            "@type": "MedicalCode",
            "codeValue": "MONDO:0020120",
            "codingSystem": "MONDO",
            "name": "skeletal muscle disorder",
            "sameAs": "http://purl.obolibrary.org/obo/MONDO_0020120",
        },
    ]
    # MONDO's "skeletal muscle disorder" is broader than the page: a code, never `sameAs` (that says identity).
    assert "sameAs" not in condition
    # A symptom with an HPO term names it, as a code and as the term's IRI.
    [low_back_pain] = [s for s in condition["signOrSymptom"] if s["name"] == "Low back pain"]
    assert low_back_pain["code"] == {
        "@type": "MedicalCode",
        "codeValue": "HP:0003419",
        "codingSystem": "HPO",
        "sameAs": "http://purl.obolibrary.org/obo/HP_0003419",
    }
    assert low_back_pain["sameAs"] == "http://purl.obolibrary.org/obo/HP_0003419"
    # Swelling's HPO term (Edema) is only close: coded, not `sameAs`.
    [swelling] = [s for s in condition["signOrSymptom"] if s["name"] == "Swelling"]
    assert swelling["code"]["codeValue"] == "HP:0000969" and "sameAs" not in swelling
    assert "21" in condition["expectedPrognosis"] and "28" in condition["expectedPrognosis"]
    assert condition["relevantSpecialty"] == {"@type": "MedicalSpecialty", "name": detail["specialty"]}

    [faq_page] = nodes(document["@graph"], "FAQPage")
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in faq_page["mainEntity"]] == [
        (faq["question"], faq["answer"]) for faq in detail["faqs"]
    ]
    assert faq_page["about"] == {"@id": condition["@id"]}


async def test_only_a_reviewed_entry_carries_its_review_date(reviewed_client: httpx.AsyncClient) -> None:
    review = (await reviewed_client.get(LUMBAR)).json()["review"]
    document = (await reviewed_client.get(LUMBAR, headers=JSONLD)).json()
    assert problems(document) == []
    [page] = nodes(document["@graph"], "MedicalWebPage")
    [faq_page] = nodes(document["@graph"], "FAQPage")
    assert page["creativeWorkStatus"] == "reviewed"
    assert page["lastReviewed"] == faq_page["lastReviewed"] == review["last_reviewed"]
    assert "lastReviewed" not in (await reviewed_client.get("/v1/conditions/sciatica/jsonld")).json()["@graph"][0]


async def test_the_plain_url_serves_the_same_document(client: httpx.AsyncClient) -> None:
    negotiated = await client.get(LUMBAR, headers=JSONLD)
    plain = await client.get(f"{LUMBAR}/jsonld")
    assert plain.headers["content-type"] == "application/ld+json"
    assert plain.json() == negotiated.json()
    alias = await client.get("/v1/conditions/back-spasm/jsonld")
    assert alias.status_code == 301
    assert alias.headers["location"] == f"{LUMBAR}/jsonld"
    missing = await client.get("/v1/conditions/nope/jsonld")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"


async def test_json_and_json_ld_are_cached_apart(client: httpx.AsyncClient) -> None:
    for _ in range(2):  # the second round is served from the response cache
        as_json = await client.get(LUMBAR)
        as_jsonld = await client.get(LUMBAR, headers=JSONLD)
        assert as_json.headers["content-type"] == "application/json"
        assert as_jsonld.headers["content-type"] == "application/ld+json"
        assert as_json.headers["etag"] != as_jsonld.headers["etag"]
        assert "Accept" in as_jsonld.headers["vary"]


async def test_absolute_urls_come_from_the_public_url_setting(client: httpx.AsyncClient) -> None:
    document = (await client.get(LUMBAR, headers={**JSONLD, "Host": "attacker.example"})).json()
    [page] = nodes(document["@graph"], "MedicalWebPage")
    assert page["url"] == "http://127.0.0.1:8000/embed/conditions/lumbar-muscle-spasm"
    assert page["about"]["@id"] == f"http://127.0.0.1:8000{LUMBAR}"


async def test_every_seeded_condition_conforms_to_the_vocabulary(client: httpx.AsyncClient) -> None:
    slugs = [item["slug"] for item in (await client.get("/v1/conditions", params={"limit": 100})).json()["items"]]
    assert len(slugs) >= 16
    for slug in slugs:
        document = (await client.get(f"/v1/conditions/{slug}/jsonld")).json()
        assert problems(document) == [], slug
        assert any("http://schema.org/MedicalCondition" in n.get("@type", []) for n in _all_nodes(expand(document)))


def _all_nodes(expanded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    stack = list(expanded)
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(v for values in node.values() if isinstance(values, list) for v in values if isinstance(v, dict))
    return found


async def test_the_checker_catches_misspelt_misplaced_and_mistyped_properties(client: httpx.AsyncClient) -> None:
    """The vocabulary check can fail: each kind of mistake in an otherwise valid document is reported."""
    document = (await client.get(LUMBAR, headers=JSONLD)).json()
    mistakes: dict[str, Callable[[dict[str, Any]], None]] = {
        "has no property signOrSymtom": lambda c: c.update(signOrSymtom=c.pop("signOrSymptom")),
        "MedicalCondition has no property acceptedAnswer": lambda c: c.update(acceptedAnswer={"@type": "Answer"}),
        "a literal, but relevantSpecialty expects": lambda c: c.update(relevantSpecialty="Spine"),
        "but cause expects ['MedicalCause']": lambda c: c.update(cause=[{"@type": "Drug", "name": "x"}]),
        "unknown type http://schema.org/MedicalConditon": lambda c: c.update({"@type": "MedicalConditon"}),
    }
    for expected, mutate in mistakes.items():
        broken = copy.deepcopy(document)
        mutate(broken["@graph"][0]["about"])
        found = problems(broken)
        assert any(expected in problem for problem in found), (expected, found)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/ld+json", "application/ld+json"),
        ("application/json;q=0.5, application/ld+json", "application/ld+json"),
        ("application/ld+json;q=0", "application/json"),
        ("application/json, application/ld+json;q=0.5", "application/json"),
        ("application/x-ndjson, application/ld+json", "application/json"),  # ndjson wins the tie; none here
        ("text/html, */*", "application/json"),
    ],
)
async def test_accept_is_read_by_quality_and_the_cache_agrees(
    client: httpx.AsyncClient, accept: str, media_type: str
) -> None:
    for _ in range(2):  # the second answer comes from the cache, which must key it the same way
        response = await client.get(LUMBAR, headers={"Accept": accept})
        assert response.headers["content-type"] == media_type
    plain = await client.get(LUMBAR, headers={"Accept": "application/x-ndjson"})
    assert plain.headers["content-type"] == "application/json"
