"""Every error is RFC 9457 problem+json with a useful detail, and none leaks internals."""

import httpx
import pytest
from fastapi import FastAPI

pytestmark = pytest.mark.anyio

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "request_id"}


def assert_problem(response: httpx.Response, status: int) -> dict:  # type: ignore[type-arg]
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body: dict = response.json()  # type: ignore[type-arg]
    assert PROBLEM_KEYS <= set(body) <= PROBLEM_KEYS | {"errors"}
    assert body["status"] == status
    assert body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]  # the id a client quotes to the operator
    return body


@pytest.mark.parametrize(
    ("path", "status", "in_detail"),
    [
        ("/v1/conditions/nope", 404, "No condition has the slug or alias 'nope'"),
        ("/v1/nowhere", 404, "The API lives under /v1"),
        ("/v1/conditions?limit=0", 422, "query parameter 'limit'"),
        ("/v1/conditions?limit=101", 422, "less than or equal to 100"),
        ("/v1/conditions?limit=ten", 422, "valid integer"),
        ("/v1/conditions?limt=5", 422, "unknown query parameter 'limt'"),
        ("/v1/symptoms?cursor=not_a_cursor", 422, "not a cursor this API issued"),
        ("/v1/conditions?cursor=%F0%9F%98%80", 422, "not a cursor this API issued"),
        ("/v1/conditions/lumbar-muscle-spasm?field=name", 422, "unknown query parameter 'field'"),
        ("/v1/symptoms/pain?verbose=1", 422, "unknown query parameter 'verbose'"),
        ("/problems/nope", 404, "No problem type 'nope'"),
    ],
)
async def test_error_paths_answer_with_problems(
    client: httpx.AsyncClient, path: str, status: int, in_detail: str
) -> None:
    body = assert_problem(await client.get(path), status)
    assert in_detail in body["detail"]
    if status == 422:
        assert body["errors"] and body["errors"][0]["location"] == "query"
        assert body["type"] == "/problems/invalid-parameters"


async def test_a_wrong_method_is_a_405_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.post("/v1/conditions"), 405)
    assert body["detail"] == "POST is not allowed on '/v1/conditions'."


async def test_problem_type_uris_are_documented(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/v1/conditions/nope"), 404)
    description = (await client.get(body["type"])).json()
    assert description["status"] == 404 and description["type"] == body["type"]


async def test_an_unexpected_error_is_a_500_without_internals(app: FastAPI) -> None:
    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret connection string postgres://admin:hunter2@db")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/boom")
    body = assert_problem(response, 500)
    assert "hunter2" not in response.text and "Traceback" not in response.text and "RuntimeError" not in response.text
    assert body["detail"].startswith("The server failed to answer this request.")
