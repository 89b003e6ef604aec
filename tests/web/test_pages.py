"""The home page and the condition pages over HTTP (the browser tests drive them for real)."""

import json

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


PEOPLE_PAGES = ("/conditions/", "/symptoms/", "/causes/", "/treatments/")


def heading(page: lxml.html.HtmlElement) -> str:
    return str(page.xpath("string(//h1)"))


async def test_search_results_lead_to_pages_for_people(client: httpx.AsyncClient) -> None:
    opened_kinds = set()
    for query in ("numb", "ice", "herniated"):
        results = lxml.html.fromstring((await client.get("/", params={"q": query})).text).xpath(
            "//ol[@class='results']//a"
        )
        hits = (await client.get("/v1/search", params={"q": query, "limit": 20})).json()["items"]
        assert len(results) == len(hits) > 0
        for link, hit in zip(results, hits, strict=True):
            href = link.get("href")
            assert href == hit["href"].removeprefix("/v1") and href.startswith(PEOPLE_PAGES), (query, href)
            opened = await client.get(href)
            assert opened.status_code == 200 and opened.headers["content-type"].startswith("text/html")
            assert heading(lxml.html.fromstring(opened.text)) == link.text_content()
            opened_kinds.add(hit["type"])
    assert opened_kinds == {"condition", "symptom", "cause", "treatment"}


async def test_a_symptom_page_lists_the_conditions_in_their_words(client: httpx.AsyncClient) -> None:
    record = (await client.get("/v1/symptoms/numbness-or-tingling")).json()
    assert {use["section"] for use in record["conditions"]} == {"symptom", "red-flag"}
    response = await client.get("/symptoms/numbness-or-tingling")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = lxml.html.fromstring(response.text)
    assert heading(page) == record["name"]
    listed = {
        item.xpath("string(h3/a/@href)"): [" ".join(use.text_content().split()) for use in item.xpath(".//li")]
        for item in page.xpath("//ul[@class='conditions']/li")
    }
    expected: dict[str, list[str]] = {}
    for use in record["conditions"]:
        part = "When to seek urgent care" if use["section"] == "red-flag" else "Symptoms"
        expected.setdefault(f"/conditions/{use['slug']}", []).append(" ".join(f"{part} {use['text']}".split()))
    assert listed == expected


async def test_cause_and_treatment_pages_say_what_they_are(client: httpx.AsyncClient) -> None:
    cause = lxml.html.fromstring((await client.get("/causes/herniated-disc")).text)
    assert "It is a condition of its own: see Herniated disc." in " ".join(cause.text_content().split())
    assert cause.xpath("//main//a[@href='/conditions/herniated-disc']")
    treatment = (await client.get("/v1/treatments/cold-therapy")).json()
    page = (await client.get("/treatments/cold-therapy")).text
    assert f"Treatment: {treatment['kind']}" in page
    for use in treatment["conditions"]:
        assert f'href="/conditions/{use["slug"]}"' in page
    missing = await client.get("/symptoms/no-such-symptom")
    assert missing.status_code == 404


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/conditions/no-such-condition", 404, "There is no page at this address."),
        ("/symptoms/no-such-symptom", 404, "There is no page at this address."),
        ("/?q=" + "x" * 201, 422, "This information is not available right now."),
    ],
)
async def test_a_failing_page_speaks_to_the_visitor(
    client: httpx.AsyncClient, url: str, status: int, says: str
) -> None:
    problem = (await client.get(url)).json()  # what an API client gets
    response = await client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == status == problem["status"]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = lxml.html.fromstring(response.text)
    assert heading(page) == says
    assert page.xpath("//main//a/@href") == ["/"]
    [data] = page.xpath("//script[@type='application/problem+json']")
    # The same problem, with this request's own id (the one its X-Request-ID header carries).
    assert json.loads(data.text) == {**problem, "request_id": response.headers["x-request-id"]}
