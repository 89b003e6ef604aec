"""`/v1/conditions`: the list (pagination, filters) and the detail (aliases, redirects, 404)."""

import httpx
import pytest

from app.core.paths import SEED_DIR

ALL = ["alpha", "bravo", "charlie", "delta", "echo"]

pytestmark = pytest.mark.anyio


async def slugs(client: httpx.AsyncClient, query: str) -> list[str]:
    response = await client.get(f"/v1/conditions?{query}")
    assert response.status_code == 200, response.text
    return [item["slug"] for item in response.json()["items"]]


async def test_the_list_holds_summaries_of_every_seeded_condition(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions?limit=100")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == len(list((SEED_DIR / "conditions").glob("*.md"))) >= 16
    assert body["next_cursor"] is None
    assert "link" not in response.headers
    lumbar = next(item for item in body["items"] if item["slug"] == "lumbar-muscle-spasm")
    assert lumbar == {
        "slug": "lumbar-muscle-spasm",
        "name": "Lumbar muscle spasm",
        "href": "/v1/conditions/lumbar-muscle-spasm",
        "summary": "An involuntary contraction of one or more muscles of the lower back, tightening or "
        "cramping of the muscle fibers. Sometimes, it may feel like a “knot.”",
        "specialty": "Spine",
        "body_area": "Lower back",
        "language": "en",
    }


async def test_pages_follow_the_cursor_and_the_link_header(library_client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    url: str | None = "/v1/conditions?limit=4"
    pages = 0
    while url is not None:
        response = await library_client.get(url)
        body = response.json()
        assert body["total"] == 5
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
        ("symptom=low-back-pain", ["alpha", "bravo", "delta"]),
        ("symptom=low-back-pain&symptom=pain", ["alpha", "delta"]),
        ("symptom=low-back-pain&symptom=pain&symptom=swelling", ["delta"]),
        ("cause=dehydration", ["alpha", "charlie", "echo"]),
        ("treatment=rest&cause=dehydration", ["alpha"]),
        ("specialty=neurology", ["charlie", "delta"]),
        ("specialty=Spine&symptom=swelling", ["echo"]),
        ("treatment=massage", ["charlie"]),
        ("specialty=neurology&treatment=nsaids", []),
    ],
)
async def test_filters_must_all_hold(library_client: httpx.AsyncClient, query: str, expected: list[str]) -> None:
    response = await library_client.get(f"/v1/conditions?{query}")
    assert [item["slug"] for item in response.json()["items"]] == expected
    assert response.json()["total"] == len(expected)


async def test_filter_totals_count_all_pages(library_client: httpx.AsyncClient) -> None:
    response = await library_client.get("/v1/conditions?symptom=low-back-pain&limit=1")
    assert response.json()["total"] == 3
    assert len(response.json()["items"]) == 1


async def test_an_unknown_filter_slug_is_a_404_naming_it(client: httpx.AsyncClient) -> None:
    """A well-formed slug that names nothing is a reference to a missing resource (404), not a malformed request
    (422): the schema cannot know which slugs exist, and clients can tell "fix the request" from "it is gone"."""
    response = await client.get("/v1/conditions?symptom=low-back-pain&symptom=backache&cause=gremlins")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/unknown-reference"
    assert problem["errors"] == [
        {"name": "symptom", "location": "query", "reason": "no symptom is named 'backache'"},
        {"name": "cause", "location": "query", "reason": "no cause is named 'gremlins'"},
    ]
    assert "GET /v1/causes" in problem["detail"] and "GET /v1/symptoms" in problem["detail"]
    malformed = await client.get("/v1/conditions?symptom=Back%20Ache")
    assert malformed.status_code == 422 and "is not a slug" in malformed.json()["detail"]


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
        "condition": {"slug": "herniated-disc", "name": "Herniated disc", "href": "/v1/conditions/herniated-disc"},
    }
    assert body["aliases"][:2] == ["Back spasm", "Lower back spasm"]
    assert [c["slug"] for c in body["related"]] == ["lumbar-strain", "nonspecific-low-back-pain", "herniated-disc"]


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
        "request_id": response.headers["x-request-id"],
    }


async def test_causes_that_are_conditions_link_both_ways(client: httpx.AsyncClient) -> None:
    lumbar = (await client.get("/v1/conditions/lumbar-muscle-spasm")).json()
    linked = {term["slug"]: term["condition"] for item in lumbar["causes"]["items"] for term in item["terms"]}
    assert {slug: page["href"] for slug, page in linked.items() if page} == {
        "facet-joint-osteoarthritis": "/v1/conditions/facet-joint-osteoarthritis",
        "degenerative-disc-disease": "/v1/conditions/degenerative-disc-disease",
        "spinal-stenosis": "/v1/conditions/lumbar-spinal-stenosis",
        "herniated-disc": "/v1/conditions/herniated-disc",
    }
    for page in linked.values():
        if page:
            target = (await client.get(page["href"])).json()
            assert "lumbar-muscle-spasm" in [c["slug"] for c in target["can_lead_to"]]


async def test_every_cause_named_like_a_library_condition_links_to_it(client: httpx.AsyncClient) -> None:
    """A cause whose name or alias is a condition's name or alias must link to that condition's page."""
    pages = (await client.get("/v1/conditions?limit=100")).json()["items"]
    names: dict[str, str] = {}
    for page in pages:
        detail = (await client.get(page["href"])).json()
        for name in (detail["name"], *detail["aliases"]):
            names[name.lower()] = detail["slug"]
    cursor, unlinked = None, []
    while True:
        body = (await client.get("/v1/causes?limit=100" + (f"&cursor={cursor}" if cursor else ""))).json()
        for cause in body["items"]:
            for name in (cause["name"], *cause["aliases"]):
                slug = names.get(name.lower())
                if slug and (cause["condition"] or {}).get("slug") != slug:
                    unlinked.append((cause["slug"], slug))
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert unlinked == []


async def test_red_flags_are_served_apart_from_symptoms(client: httpx.AsyncClient) -> None:
    cauda = (await client.get("/v1/conditions/cauda-equina-syndrome")).json()
    red_flags = [term["slug"] for item in cauda["red_flags"]["items"] for term in item["terms"]]
    assert "saddle-numbness" in red_flags and "bladder-or-bowel-dysfunction" in red_flags
    # A red flag is not a plain symptom for the `symptom` filter, unless the page also lists it as one.
    filtered = (await client.get("/v1/conditions?symptom=saddle-numbness&limit=100")).json()["items"]
    symptom_pages = [c["slug"] for c in filtered]
    assert "cauda-equina-syndrome" in symptom_pages
