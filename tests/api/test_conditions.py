"""`/v1/conditions`: the list (pagination, filters) and the detail (aliases, redirects, 404)."""

import httpx
import pytest

ALL = ["alpha", "bravo", "charlie", "delta", "echo", "lumbar-muscle-spasm"]

pytestmark = pytest.mark.anyio


async def slugs(client: httpx.AsyncClient, query: str) -> list[str]:
    response = await client.get(f"/v1/conditions?{query}")
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


async def test_the_list_holds_summaries_with_a_total(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["next_cursor"] is None
    assert "link" not in response.headers
    assert body["items"] == [
        {
            "slug": "lumbar-muscle-spasm",
            "name": "Lumbar muscle spasm",
            "href": "/v1/conditions/lumbar-muscle-spasm",
            "summary": "An involuntary contraction of one or more muscles of the lower back, tightening or "
            "cramping of the muscle fibers. Sometimes, it may feel like a “knot.”",
            "specialty": "Spine",
            "body_area": "Lower back",
        }
    ]


async def test_pages_follow_the_cursor_and_the_link_header(library_client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    url: str | None = "/v1/conditions?limit=4"
    pages = 0
    while url is not None:
        response = await library_client.get(url)
        body = response.json()
        assert body["total"] == 6
        seen += [item["slug"] for item in body["items"]]
        pages += 1
        link = response.headers.get("link")
        if body["next_cursor"] is None:
            assert link is None
            url = None
        else:
            assert link is not None and link.endswith('>; rel="next"')
            assert f"cursor={body['next_cursor']}" in link and "limit=4" in link
            url = f"/v1/conditions?limit=4&cursor={body['next_cursor']}"
    assert pages == 2
    assert seen == ALL


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("symptom=low-back-pain", ["alpha", "bravo", "delta", "lumbar-muscle-spasm"]),
        ("symptom=low-back-pain&symptom=pain", ["alpha", "delta", "lumbar-muscle-spasm"]),
        ("symptom=low-back-pain&symptom=pain&symptom=swelling", ["delta", "lumbar-muscle-spasm"]),
        ("cause=dehydration", ["alpha", "charlie", "echo", "lumbar-muscle-spasm"]),
        ("treatment=rest&cause=dehydration", ["alpha", "lumbar-muscle-spasm"]),
        ("specialty=neurology", ["charlie", "delta"]),
        ("specialty=Spine&symptom=swelling", ["echo", "lumbar-muscle-spasm"]),
        ("treatment=massage&symptom=swelling", ["lumbar-muscle-spasm"]),  # massage is its self-care
        ("specialty=neurology&treatment=nsaids", []),
    ],
)
async def test_filters_must_all_hold(library_client: httpx.AsyncClient, query: str, expected: list[str]) -> None:
    response = await library_client.get(f"/v1/conditions?{query}")
    assert [item["slug"] for item in response.json()["items"]] == expected
    assert response.json()["total"] == len(expected)


async def test_filter_totals_count_all_pages(library_client: httpx.AsyncClient) -> None:
    response = await library_client.get("/v1/conditions?symptom=low-back-pain&limit=1")
    assert response.json()["total"] == 4
    assert len(response.json()["items"]) == 1


async def test_an_unknown_filter_slug_is_a_422_naming_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions?symptom=low-back-pain&symptom=backache")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"] == [
        {"name": "symptom", "location": "query", "reason": "no symptom has the slug 'backache'"}
    ]
    assert "/v1/symptoms" in problem["detail"]


async def test_the_detail_has_links_to_every_term(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/conditions/lumbar-muscle-spasm")).json()
    first = body["treatments"]["items"][0]
    assert first["terms"][1] == {
        "slug": "cold-therapy",
        "name": "Cold therapy",
        "href": "/v1/treatments/cold-therapy",
        "kind": "self-care",
    }
    cause = body["causes"]["items"][2]["terms"][3]
    assert cause == {
        "slug": "herniated-disc",
        "name": "Herniated disc",
        "href": "/v1/causes/herniated-disc",
        "condition": None,
    }
    assert body["aliases"][:2] == ["Back spasm", "Lower back spasm"]
    assert body["related"] == []


@pytest.mark.parametrize("alias", ["back-spasm", "lower-back-cramp", "Lumbar-Muscle-Spasm", "BACK-SPASM"])
async def test_an_alias_or_other_case_redirects_to_the_canonical_slug(client: httpx.AsyncClient, alias: str) -> None:
    response = await client.get(f"/v1/conditions/{alias}")
    assert response.status_code == 301
    assert response.headers["location"] == "/v1/conditions/lumbar-muscle-spasm"
    assert (await client.get(response.headers["location"])).status_code == 200


async def test_an_unknown_slug_is_a_404_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions/lumbar-spasms")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "No condition has the slug or alias 'lumbar-spasms'. GET /v1/conditions lists them.",
        "instance": "/v1/conditions/lumbar-spasms",
    }
