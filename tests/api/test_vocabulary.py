"""`/v1/symptoms`, `/v1/causes`, `/v1/treatments`: lists and details with the conditions that use them."""

import httpx
import pytest

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("resource", "total"), [("symptoms", 11), ("causes", 6), ("treatments", 15)])
async def test_lists_page_through_every_term(library_client: httpx.AsyncClient, resource: str, total: int) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        query = "limit=4" + (f"&cursor={cursor}" if cursor else "")
        body = (await library_client.get(f"/v1/{resource}?{query}")).json()
        assert body["total"] == total
        seen += [item["slug"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == total
    assert seen == sorted(seen)


async def test_a_symptom_lists_the_conditions_that_name_it(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/symptoms/muscle-tenderness")).json()
    lumbar = [use for use in body["conditions"] if use["slug"] == "lumbar-muscle-spasm"]
    body["conditions"] = lumbar
    assert body == {
        "slug": "muscle-tenderness",
        "name": "Tenderness",
        "href": "/v1/symptoms/muscle-tenderness",
        "aliases": ["muscle tenderness", "sore to the touch"],
        "language": "en",
        "language_unavailable": None,
        "translation": None,
        "description": None,
        "editor_notes": [],
        "hpo": None,  # HPO has no term for muscle tenderness
        "lay_terms": None,
        "conditions": [
            {
                "slug": "lumbar-muscle-spasm",
                "name": "Lumbar muscle spasm",
                "href": "/v1/conditions/lumbar-muscle-spasm",
                "text": "Low back pain, pinched nerve, or tenderness.",
                "note": "A pinched nerve is usually a cause of symptoms (such as pain, numbness or tingling that "
                "spreads down a limb) rather than a symptom itself. Kept as the page lists it.",
                "section": "symptom",
            }
        ],
    }


async def test_an_editors_remark_on_a_term_is_a_note_not_its_description(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/symptoms/pinched-nerve")).json()
    assert body["description"] is None
    assert body["editor_notes"] == [
        "Listed as a symptom only because the transcribed lumbar muscle spasm page does; it is a cause or injury "
        "rather than a symptom."
    ]


async def test_treatments_filter_by_kind(library_client: httpx.AsyncClient) -> None:
    body = (await library_client.get("/v1/treatments?kind=procedure")).json()
    assert [item["slug"] for item in body["items"]] == ["platelet-rich-plasma-therapy", "trigger-point-injections"]
    assert body["total"] == 2


async def test_an_unknown_kind_is_a_422_listing_the_kinds(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/treatments?kind=surgery")
    assert response.status_code == 422
    assert response.json()["errors"][0]["name"] == "kind"
    assert "'self-care', 'medication', 'procedure', 'therapy' or 'device'" in response.json()["detail"]


async def test_a_cause_detail_shows_its_condition_link_field(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/causes/dehydration")).json()
    assert body["condition"] is None
    assert "lumbar-muscle-spasm" in [c["slug"] for c in body["conditions"]]
    herniated = (await client.get("/v1/causes/herniated-disc")).json()
    assert herniated["condition"] == {
        "slug": "herniated-disc",
        "name": "Herniated disc",
        "href": "/v1/conditions/herniated-disc",
    }


@pytest.mark.parametrize("resource", ["symptoms", "causes", "treatments"])
async def test_an_unknown_term_is_a_404_problem(client: httpx.AsyncClient, resource: str) -> None:
    response = await client.get(f"/v1/{resource}/no-such-term")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert f"GET /v1/{resource} lists them" in response.json()["detail"]
