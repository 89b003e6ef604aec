"""`/v1/search` and `/v1/search/suggest`: ranking, stemming, aliases, typos, safety and paging."""

from pathlib import Path

import httpx
import pytest

from app import migrations
from app.core.config import Settings
from app.main import create_app

pytestmark = pytest.mark.anyio


async def first(client: httpx.AsyncClient, query: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = await client.get("/v1/search", params={"q": query, **params})
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    assert body["items"], f"nothing found for {query!r}"
    return body


@pytest.mark.parametrize("query", ["back knot", "lower back cramp", "lumbr spasm", "spasms"])
async def test_the_issue_queries_find_lumbar_muscle_spasm_first(client: httpx.AsyncClient, query: str) -> None:
    body = await first(client, query)
    assert (body["items"][0]["type"], body["items"][0]["slug"]) == ("condition", "lumbar-muscle-spasm")
    assert body["notice"].startswith("This is general information, not a diagnosis.")


async def test_a_typo_is_corrected_and_said(client: httpx.AsyncClient) -> None:
    body = await first(client, "lumbr spasm")
    assert body["did_you_mean"] == "lumbar spasm"
    assert body["searched_for"] == "lumbar spasm"
    assert (await first(client, "stenossis"))["items"][0]["slug"] == "lumbar-spinal-stenosis"
    assert (await first(client, "sciatic nerv"))["items"][0]["slug"] == "sciatica"


async def test_a_query_that_matches_needs_no_correction(client: httpx.AsyncClient) -> None:
    body = await first(client, "sciatica")
    assert body["did_you_mean"] is None
    assert body["items"][0]["slug"] == "sciatica"


async def test_snippets_mark_matches_and_escape_everything_else(client: httpx.AsyncClient) -> None:
    body = await first(client, "spasm")
    snippet = body["items"][0]["snippet"]
    assert "<mark>" in snippet and "</mark>" in snippet
    stripped = snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped


async def test_type_filters_are_repeatable(client: httpx.AsyncClient) -> None:
    symptoms = await first(client, "pain", type="symptom")
    assert {item["type"] for item in symptoms["items"]} == {"symptom"}
    response = await client.get("/v1/search", params=[("q", "disc"), ("type", "cause"), ("type", "condition")])
    assert {item["type"] for item in response.json()["items"]} == {"cause", "condition"}
    bad = await client.get("/v1/search", params={"q": "pain", "type": "drug"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["name"] == "type.0"


async def test_results_page_through_the_cursor_without_repeats(client: httpx.AsyncClient) -> None:
    seen: list[tuple[str, str]] = []
    params = {"q": "pain", "limit": "4"}
    while True:
        body = (await client.get("/v1/search", params=params)).json()
        seen += [(item["type"], item["slug"]) for item in body["items"]]
        if body["next_cursor"] is None:
            break
        params["cursor"] = body["next_cursor"]
    assert len(seen) == len(set(seen)) == body["total"] > 4


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "^",
        ":",
        "(",
        ")",
        "NEAR",
        "NEAR(a b)",
        "AND",
        "OR",
        "NOT",
        "-",
        "a AND",
        '"unclosed',
        "x*",
        "😀",
        "ñandú",
        "　",
        "\u0000",
        "'; DROP TABLE condition; --",
        "back\u202espasm",
        "٣",
        "x" * 200,  # the longest query accepted
    ],
)
async def test_any_string_is_a_safe_query(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get("/v1/search", params={"q": query})
    assert response.status_code == 200, response.text
    suggest = await client.get("/v1/search/suggest", params={"q": query[:100]})
    assert suggest.status_code == 200, suggest.text


@pytest.mark.parametrize(("query", "status"), [("", 422), ("x" * 501, 422)])
async def test_empty_and_overlong_queries_are_422s_with_a_detail(
    client: httpx.AsyncClient, query: str, status: int
) -> None:
    response = await client.get("/v1/search", params={"q": query})
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "query parameter 'q'" in response.json()["detail"]


async def test_suggest_completes_names_and_aliases_best_first(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/search/suggest", params={"q": "lum"})).json()
    slugs = [item["slug"] for item in body["items"]]
    # Same rank (first word, condition, name): the shorter label first.
    assert slugs[:3] == ["lumbar-strain", "lumbar-muscle-spasm", "lumbar-spinal-stenosis"]
    assert all(item["type"] == "condition" for item in body["items"][:3])
    back = (await client.get("/v1/search/suggest", params={"q": "Back SP", "limit": "3"})).json()
    assert back["items"][0] == {
        "slug": "lumbar-muscle-spasm",
        "name": "Lumbar muscle spasm",
        "href": "/v1/conditions/lumbar-muscle-spasm",
        "type": "condition",
        "label": "Back spasm",
        "language": "en",
    }


async def test_suggest_matches_later_words_too(client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/search/suggest", params={"q": "stenos"})).json()
    assert "lumbar-spinal-stenosis" in [item["slug"] for item in body["items"]]


async def test_suggest_folds_accents_and_ranks_one_letter_prefixes_in_full(client: httpx.AsyncClient) -> None:
    """Typed accents find unaccented names; one letter ranks every key (not the first few in key order)."""
    body = (await client.get("/v1/search/suggest", params={"q": "Sciá"})).json()
    assert body["items"][0]["slug"] == "sciatica"
    one_letter = (await client.get("/v1/search/suggest", params={"q": "w", "limit": "3"})).json()["items"]
    # "Whiplash" (a condition's name, from its first word) outranks every later word and every term.
    assert one_letter[0]["slug"] == "whiplash"


async def test_search_answers_503_before_the_first_seed(tmp_path: Path) -> None:
    """A database migrated but never seeded has no index: a problem an operator can act on, not a 500."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrations.upgrade(url)
    app = create_app(Settings(database_url=url, export_dir=str(tmp_path / "exports")))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        for path in ("/v1/search?q=back", "/v1/search/suggest?q=ba"):
            response = await client.get(path)
            assert response.status_code == 503, path
            assert response.headers["content-type"] == "application/problem+json"
            assert "conditions-api seed" in response.json()["detail"]
    app.state.close()
