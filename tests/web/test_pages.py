"""The home page and the condition pages over HTTP (the browser tests drive them for real)."""

import httpx
import lxml.html  # type: ignore[import-untyped]
import pytest

pytestmark = pytest.mark.anyio


async def test_the_home_page_lists_every_condition_and_links_the_docs(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/v1/conditions", params={"limit": 100})).json()
    response = await client.get("/")
    assert response.status_code == 200
    page = response.text
    for item in listed["items"]:
        assert f'href="/conditions/{item["slug"]}"' in page
    assert 'href="/docs"' in page and 'href="/redoc"' in page
    assert "http://127.0.0.1:8000/embed.js" in page  # the snippet uses PUBLIC_URL
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_the_search_form_works_without_javascript(client: httpx.AsyncClient) -> None:
    page = (await client.get("/", params={"q": "lumbr spasm"})).text
    assert "Showing results for <strong>lumbar spasm</strong>" in page
    assert '<a href="/conditions/lumbar-muscle-spasm">Lumbar muscle spasm</a>' in page
    hostile = (await client.get("/", params={"q": '"<script>alert(1)</script>'})).text
    assert "<script>alert(1)" not in hostile and "&lt;script&gt;alert(1)" in hostile
    too_long = await client.get("/", params={"q": "x" * 501})
    assert too_long.status_code == 422 and too_long.headers["content-type"] == "application/problem+json"


async def test_condition_pages_embed_the_widget_and_redirect_aliases(client: httpx.AsyncClient) -> None:
    page = (await client.get("/conditions/lumbar-muscle-spasm")).text
    assert '<div class="widget" data-condition="lumbar-muscle-spasm"></div>' in page
    assert '<script src="/embed.js" defer></script>' in page
    redirect = await client.get("/conditions/back-spasm")
    assert redirect.status_code == 301 and redirect.headers["location"] == "/conditions/lumbar-muscle-spasm"
    assert (await client.get("/conditions/nope")).status_code == 404


def pasted_iframe(page: str) -> lxml.html.HtmlElement:
    """The iframe a site owner gets by copying the snippet shown on the page."""
    snippet = lxml.html.fromstring(page).get_element_by_id("snippet-iframe").getnext().text_content()
    return lxml.html.fragment_fromstring(snippet)


async def test_the_iframe_snippet_is_titled_with_the_condition_name(client: httpx.AsyncClient) -> None:
    first = (await client.get("/v1/conditions", params={"limit": 1})).json()["items"][0]
    for slug, page in (
        (first["slug"], (await client.get("/")).text),
        ("lumbar-muscle-spasm", (await client.get("/conditions/lumbar-muscle-spasm")).text),
    ):
        name = (await client.get(f"/v1/conditions/{slug}")).json()["name"]
        iframe = pasted_iframe(page)
        assert iframe.get("src") == f"http://127.0.0.1:8000/embed/conditions/{slug}"
        assert iframe.get("title") == name != slug
