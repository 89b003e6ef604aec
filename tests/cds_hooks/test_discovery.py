"""`GET /cds-services`: the discovery answer an EHR reads before it calls anything."""

import httpx
import pytest

pytestmark = pytest.mark.anyio


async def test_discovery_lists_the_condition_education_service_on_patient_view(client: httpx.AsyncClient) -> None:
    response = await client.get("/cds-services")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    [service] = response.json()["services"]
    assert service["hook"] == "patient-view"
    assert service["id"] == "condition-education"
    assert service["title"] and service["description"]
    assert service["prefetch"] == {"conditions": "Condition?patient={{context.patientId}}&clinical-status=active"}


async def test_the_listed_service_is_where_discovery_says(client: httpx.AsyncClient) -> None:
    [service] = (await client.get("/cds-services")).json()["services"]
    response = await client.post(f"/cds-services/{service['id']}", json={})
    assert response.status_code == 400  # there, and reading the body (an empty call is no call)


async def test_an_unknown_service_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.post("/cds-services/no-such-service", json={})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_discovery_is_in_the_openapi_document_with_the_service(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert set(paths["/cds-services"]) == {"get"}
    operation = paths["/cds-services/condition-education"]["post"]
    assert operation["operationId"] == "call_condition_education"
    assert {"200", "400", "401"} <= set(operation["responses"])
    assert operation["security"] == [{}, {"ehrJwt": []}]  # the EHR's JWT, not an API key
