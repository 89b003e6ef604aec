"""`POST /cds-services/condition-education` on the seeded library, open (no CDS_HOOKS_KEYS): the cards a chart's
prefetched conditions get, and the 400 problems of bodies that are no CDS Hooks call."""

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.api.bounded_body import MAX_BODY_BYTES
from app.core.config import Settings
from tests.cds_hooks.calls import ICD10, PATIENT, SERVICE, SNOMED, condition, patient_view

pytestmark = pytest.mark.anyio

BASE_URL = Settings().base_url  # the app under test runs with the default settings: links are built on it
LOW_BACK_PAIN = "nonspecific-low-back-pain"


async def cards_for(client: httpx.AsyncClient, call: dict[str, Any]) -> list[dict[str, Any]]:
    response = await client.post(SERVICE, json=call)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    cards: list[dict[str, Any]] = response.json()["cards"]
    return cards


def linked_slugs(cards: list[dict[str, Any]]) -> list[str]:
    return [link["url"].rsplit("/", 1)[1] for card in cards for link in card["links"]]


async def test_a_chart_with_low_back_pain_coded_m54_50_gets_a_card_linking_our_page(
    client: httpx.AsyncClient,
) -> None:
    cards = await cards_for(client, patient_view(condition((ICD10, "M54.50"))))
    record = (await client.get(f"/v1/conditions/{LOW_BACK_PAIN}")).json()

    assert len(cards) == 1
    card = cards[0]
    assert card["indicator"] == "info"
    assert card["summary"] == f"Patient information: {record['name']}"
    assert len(card["summary"]) <= 140
    assert card["source"]["label"] == record["source"]["title"]
    assert record["source"]["attribution"] in card["detail"]
    assert "ICD-10-CM M54.50" in card["detail"]
    [link] = card["links"]
    assert link["type"] == "absolute"
    assert link["url"] == f"{BASE_URL}/conditions/{LOW_BACK_PAIN}"
    assert "appContext" not in link  # only for `smart` links
    page = await client.get(link["url"].removeprefix(BASE_URL), headers={"accept": "text/html"})
    assert page.status_code == 200
    assert record["name"] in page.text


async def test_card_uuids_are_stable_for_a_call_and_differ_between_calls(client: httpx.AsyncClient) -> None:
    call = patient_view(condition((ICD10, "M54.50")))
    first = await cards_for(client, call)
    again = await cards_for(client, call)
    other = await cards_for(client, {**call, "hookInstance": "0b7ae1c2-53a3-4d44-9f7c-2e0c1b5f1c11"})
    assert first[0]["uuid"] == again[0]["uuid"] != other[0]["uuid"]


@pytest.mark.parametrize("code", ["M62.838", "M62.831"])  # other muscle spasm; muscle spasm of calf
async def test_a_code_found_only_through_an_ancestor_gets_no_card(client: httpx.AsyncClient, code: str) -> None:
    """The look-up answers these with lumbar muscle spasm (M62.830, under the same M62.83); a card pushed
    unasked must be about the chart's code itself: a calf spasm is no back spasm."""
    looked_up = (await client.get(f"/v1/codes/icd10/{code}")).json()
    assert looked_up["exact"] is False and looked_up["conditions"]  # the fallback found some: the test says something
    assert await cards_for(client, patient_view(condition((ICD10, code)))) == []


@pytest.mark.parametrize(
    "code",
    ["417746004", "55300003", "279039007"],  # traumatic injury (on both strains), cramp, low back pain (any cause)
)
async def test_a_snomed_ct_concept_broader_than_our_page_gets_no_card(client: httpx.AsyncClient, code: str) -> None:
    looked_up = (await client.get(f"/v1/codes/snomed/{code}")).json()
    assert {c["match"] for c in looked_up["conditions"]} == {"broader"}
    assert await cards_for(client, patient_view(condition((SNOMED, code)))) == []


@pytest.mark.parametrize("code", ["M54.2", "G57.01"])  # cervicalgia (any neck pain); a sciatic nerve lesion
async def test_an_icd10_code_broader_than_our_page_gets_no_card(client: httpx.AsyncClient, code: str) -> None:
    looked_up = (await client.get(f"/v1/codes/icd10/{code}")).json()
    assert looked_up["exact"] is True and {c["match"] for c in looked_up["conditions"]} == {"broader"}
    assert await cards_for(client, patient_view(condition((ICD10, code)))) == []


async def test_a_snomed_ct_coded_condition_gets_its_card(client: httpx.AsyncClient) -> None:
    cards = await cards_for(client, patient_view(condition((SNOMED, "23056005"))))
    assert linked_slugs(cards) == ["sciatica"]
    assert "SNOMED CT 23056005" in cards[0]["detail"]


async def test_one_condition_coded_in_both_systems_and_listed_twice_gets_one_card(client: httpx.AsyncClient) -> None:
    call = patient_view(condition((ICD10, "M54.50"), (SNOMED, "279039007")), condition((ICD10, "M54.50")))
    assert linked_slugs(await cards_for(client, call)) == [LOW_BACK_PAIN]


async def test_cards_follow_the_charts_order(client: httpx.AsyncClient) -> None:
    call = patient_view(condition((ICD10, "M62.830")), condition((ICD10, "M54.50")))
    slugs = linked_slugs(await cards_for(client, call))
    assert slugs[-1] == LOW_BACK_PAIN and len(slugs) == len(set(slugs)) >= 2


@pytest.mark.parametrize("status", ["active", "recurrence", "relapse"])
async def test_active_recurring_and_relapsed_conditions_get_cards(client: httpx.AsyncClient, status: str) -> None:
    cards = await cards_for(client, patient_view(condition((ICD10, "M54.50"), status=status)))
    assert linked_slugs(cards) == [LOW_BACK_PAIN]


@pytest.mark.parametrize("status", ["inactive", "remission", "resolved", None])
async def test_inactive_resolved_or_unknown_conditions_get_no_card(
    client: httpx.AsyncClient, status: str | None
) -> None:
    assert await cards_for(client, patient_view(condition((ICD10, "M54.50"), status=status))) == []


@pytest.mark.parametrize("verification", ["refuted", "entered-in-error"])
async def test_refuted_diagnoses_get_no_card(client: httpx.AsyncClient, verification: str) -> None:
    call = patient_view(condition((ICD10, "M54.50"), verification=verification))
    assert await cards_for(client, call) == []


async def test_another_patients_condition_gets_no_card(client: httpx.AsyncClient) -> None:
    call = patient_view(condition((ICD10, "M54.50"), patient=f"{PATIENT}9"))
    assert await cards_for(client, call) == []


@pytest.mark.parametrize(
    "coding",
    [
        (ICD10, "J45.909"),  # asthma: a real code, in no entry's category
        (ICD10, "M54.5O"),  # not a code (a letter O)
        (SNOMED, "195967001"),  # asthma
        ("http://loinc.org", "M54.50"),  # a system we do not read, whatever the code looks like
        (ICD10, ""),
    ],
)
async def test_codes_we_do_not_cover_get_no_card(client: httpx.AsyncClient, coding: tuple[str, str]) -> None:
    assert await cards_for(client, patient_view(condition(coding))) == []


@pytest.mark.parametrize(
    "prefetch",
    [
        None,  # the client could not prefetch: the key is left out
        {},
        {"conditions": None},  # the client found nothing
        {"conditions": {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}},
        {"somethingElse": {"resourceType": "Patient", "id": PATIENT}},
    ],
)
async def test_without_prefetched_conditions_there_are_no_cards(client: httpx.AsyncClient, prefetch: Any) -> None:
    call = patient_view(prefetch=prefetch)
    assert ("prefetch" in call) == (prefetch is not None)
    assert await cards_for(client, call) == []


async def test_other_resources_in_the_bundle_are_passed_over(client: httpx.AsyncClient) -> None:
    outcome = {"resourceType": "OperationOutcome", "issue": [{"severity": "warning", "code": "incomplete"}]}
    call = patient_view(outcome, condition((ICD10, "M54.50")))
    assert linked_slugs(await cards_for(client, call)) == [LOW_BACK_PAIN]


def _without(call: dict[str, Any], *path: str) -> dict[str, Any]:
    if len(path) == 1:
        return {key: value for key, value in call.items() if key != path[0]}
    return {**call, path[0]: _without(call[path[0]], *path[1:])}


VALID = patient_view(condition((ICD10, "M54.50")))
BAD_BODIES: list[tuple[str, Any, str]] = [
    ("not JSON", b'{"hook": "patient-view",', "body"),
    ("a list", [VALID], "body"),
    ("another hook", {**VALID, "hook": "order-sign"}, "hook"),
    ("no hookInstance", _without(VALID, "hookInstance"), "hookInstance"),
    ("no context", _without(VALID, "context"), "context"),
    ("no patientId", _without(VALID, "context", "patientId"), "context.patientId"),
    ("a patientId that is no string", {**VALID, "context": {**VALID["context"], "patientId": 1288992}}, "patientId"),
    (
        "expires_in as text",
        {**VALID, "fhirAuthorization": {**VALID["fhirAuthorization"], "expires_in": "300"}},
        "fhirAuthorization.expires_in",
    ),
    ("prefetch of a Patient", {**VALID, "prefetch": {"conditions": {"resourceType": "Patient"}}}, "conditions"),
    ("a coding that is no object", patient_view({**condition(), "code": {"coding": ["M54.50"]}}), "coding.0"),
]


@pytest.mark.parametrize(
    ("body", "field"), [(body, field) for _, body, field in BAD_BODIES], ids=[n for n, *_ in BAD_BODIES]
)
async def test_a_body_that_is_no_patient_view_call_is_a_400_problem_naming_the_field(
    client: httpx.AsyncClient, body: Any, field: str
) -> None:
    if isinstance(body, bytes):
        response = await client.post(SERVICE, content=body, headers={"content-type": "application/json"})
    else:
        response = await client.post(SERVICE, json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/invalid-body"
    assert problem["status"] == 400
    assert any(field in error["name"] for error in problem["errors"]), problem
    assert field.rsplit(".", 1)[-1] in problem["detail"]
    assert all(error["location"] == "body" for error in problem["errors"])


async def test_an_empty_body_is_a_400_problem(client: httpx.AsyncClient) -> None:
    response = await client.post(SERVICE, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-body"


async def test_the_service_answers_post_only(client: httpx.AsyncClient) -> None:
    response = await client.get(SERVICE)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_body_larger_than_the_service_reads_is_a_413_problem(client: httpx.AsyncClient) -> None:
    padding = "x" * MAX_BODY_BYTES
    declared = await client.post(SERVICE, json={**VALID, "padding": padding})

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams in
        yield json.dumps({**VALID, "padding": padding}).encode()

    streamed = await client.post(SERVICE, content=chunks(), headers={"content-type": "application/json"})
    for response in (declared, streamed):
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "/problems/body-too-large"
    # just under the bound is read (the extra field is allowed, as CDS Hooks allows extensions)
    fitting = {**VALID, "padding": "x" * (MAX_BODY_BYTES - len(json.dumps({**VALID, "padding": ""})) - 10)}
    assert (await client.post(SERVICE, json=fitting)).status_code == 200


async def test_a_body_with_many_wrong_fields_gets_a_bounded_problem(client: httpx.AsyncClient) -> None:
    wrong = [{**condition((ICD10, "M54.50")), "code": "M54.50"} for _ in range(25)]  # a code must be an object
    response = await client.post(SERVICE, json=patient_view(*wrong))
    assert response.status_code == 400
    problem = response.json()
    assert len(problem["errors"]) == 20
    assert problem["detail"].endswith("; and 5 more")
