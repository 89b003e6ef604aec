"""The widget over HTTP: the card's content and options, its JSON-LD as an extractor finds it, and the headers
that decide who may frame or fetch it."""

import json
from datetime import date, datetime
from typing import Any

import extruct  # type: ignore[import-untyped]
import httpx
import lxml.html  # type: ignore[import-untyped]
import pytest

from app.core.config import Settings
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.main import create_app
from app.web.rendering import script_json

pytestmark = pytest.mark.anyio

CARD = "/embed/conditions/lumbar-muscle-spasm"


def visible_text(page: str) -> str:
    """The text a reader sees: the body's, whitespace collapsed."""
    return " ".join(lxml.html.fromstring(page).body.text_content().split())


def jsonld_nodes(page: str) -> dict[str, dict[str, Any]]:
    """The card's JSON-LD nodes by type, as an extractor finds them."""
    [document] = extruct.extract(page, base_url="http://testserver", syntaxes=["json-ld"])["json-ld"]
    return {node["@type"]: node for node in document["@graph"]}


def reader_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


async def test_the_card_shows_the_whole_condition_with_attribution_and_notice(client: httpx.AsyncClient) -> None:
    detail = (await client.get("/v1/conditions/lumbar-muscle-spasm")).json()
    response = await client.get(CARD)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    shown = visible_text(page)
    for section in ("symptoms", "causes", "treatments", "self_care", "red_flags"):
        for item in detail[section]["items"]:
            assert " ".join(item["text"].split()) in shown, (section, item["text"])
    for faq in detail["faqs"]:
        assert faq["question"] in shown
    assert "about three to four weeks" in shown
    assert detail["source"]["attribution"] in shown
    assert "not medical advice" in shown
    assert '<link rel="stylesheet"' not in page and "src=" not in page  # self-contained


async def test_a_draft_says_when_it_was_updated_and_never_that_it_was_reviewed(client: httpx.AsyncClient) -> None:
    detail = (await client.get("/v1/conditions/lumbar-muscle-spasm")).json()
    assert detail["review"]["status"] == "draft"
    page = (await client.get(CARD)).text
    shown = visible_text(page)
    updated = datetime.fromisoformat(detail["updated_at"])
    assert "Draft: not yet reviewed by a clinician." in shown
    assert f"Last updated {reader_date(updated.date())}." in shown
    assert f'<time datetime="{updated.date().isoformat()}">' in page
    assert "Last reviewed" not in shown and "Next review" not in shown
    # The structured data tells crawlers the same: a draft, modified then, with no review date.
    nodes = jsonld_nodes(page)
    assert nodes["MedicalWebPage"]["creativeWorkStatus"] == "draft"
    assert datetime.fromisoformat(nodes["MedicalWebPage"]["dateModified"]) == updated
    assert [node for node in nodes.values() if "lastReviewed" in node] == []


async def test_a_reviewed_entry_gives_its_review_dates_and_no_draft_badge(reviewed_client: httpx.AsyncClient) -> None:
    review = (await reviewed_client.get("/v1/conditions/lumbar-muscle-spasm")).json()["review"]
    assert review["status"] == "reviewed"
    last, next_due = date.fromisoformat(review["last_reviewed"]), date.fromisoformat(review["next_review_due"])
    page = (await reviewed_client.get(CARD)).text
    shown = visible_text(page)
    assert f"Last reviewed {reader_date(last)}. Next review {reader_date(next_due)}." in shown
    assert f'<time datetime="{last.isoformat()}">' in page and f'<time datetime="{next_due.isoformat()}">' in page
    assert "not yet reviewed" not in shown and "Last updated" not in shown
    nodes = jsonld_nodes(page)
    assert nodes["MedicalWebPage"]["creativeWorkStatus"] == "reviewed"
    assert nodes["MedicalWebPage"]["lastReviewed"] == nodes["FAQPage"]["lastReviewed"] == last.isoformat()


async def test_an_extractor_finds_the_medical_condition_in_the_card(client: httpx.AsyncClient) -> None:
    condition = jsonld_nodes((await client.get(CARD)).text)["MedicalWebPage"]["about"]
    assert condition["@type"] == "MedicalCondition"
    assert len(condition["signOrSymptom"]) >= 6
    assert condition["possibleTreatment"] and condition["cause"]
    assert condition["code"][0] == {
        "@type": "MedicalCode",
        "codeValue": "M62.830",
        "codingSystem": "ICD-10-CM",
        "name": "Muscle spasm of back",
    }


async def test_sections_choose_the_parts_and_their_order(client: httpx.AsyncClient) -> None:
    page = (await client.get(CARD, params={"sections": "faqs,symptoms", "theme": "dark"})).text
    assert 'class="condition-card theme-dark"' in page
    assert page.index('id="cc-faqs"') < page.index('id="cc-symptoms"')
    assert 'id="cc-causes"' not in page and 'id="cc-summary"' not in page
    assert "not medical advice" in page  # the notice is not a section: it is always there


async def test_editors_notes_are_left_out_unless_an_editorial_preview_asks(client: httpx.AsyncClient) -> None:
    detail = (await client.get("/v1/conditions/lumbar-muscle-spasm")).json()
    sections = ("symptoms", "causes", "treatments", "self_care", "red_flags")
    item_notes = [" ".join(item["note"].split()) for s in sections for item in detail[s]["items"] if item["note"]]
    editor_notes = [" ".join(note.split()) for note in detail["editor_notes"]]
    assert item_notes and editor_notes  # the API record keeps them
    assert "Contradicted by the next item; the page gives both." in item_notes

    for_patients = visible_text((await client.get(CARD)).text)
    assert [note for note in item_notes + editor_notes if note in for_patients] == []
    assert "Editor's note" not in for_patients

    preview = visible_text((await client.get(CARD, params={"editor_notes": "true"})).text)
    assert [note for note in item_notes + editor_notes if note not in preview] == []
    assert "(Editor's note: Contradicted by the next item; the page gives both.)" in preview


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sections": "symptoms,colour"}, "'colour'"),
        ({"sections": " , "}, "comma-separated list (no spaces)"),
        ({"theme": "purple"}, "theme"),
        ({"size": "big"}, "'size'"),
        ({"editor_notes": "sometimes"}, "editor_notes"),
    ],
)
async def test_bad_options_are_problems_that_say_what_is_allowed(
    client: httpx.AsyncClient, params: dict[str, str], named: str
) -> None:
    response = await client.get(CARD, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert named in response.json()["detail"] or named in str(response.json()["errors"])
    assert response.json()["errors"]


async def test_aliases_redirect_and_unknown_slugs_are_404s(client: httpx.AsyncClient) -> None:
    redirect = await client.get("/embed/conditions/back-spasm", params={"theme": "dark"})
    assert redirect.status_code == 301
    assert redirect.headers["location"] == f"{CARD}?theme=dark"
    missing = await client.get("/embed/conditions/nope")
    assert missing.status_code == 404
    assert "No condition has the slug or alias 'nope'" in missing.json()["detail"]


# What Chromium sends when it loads a page or an iframe.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
UNAVAILABLE = "This information is not available right now."


@pytest.mark.parametrize(
    ("url", "status"),
    [(f"{CARD}?theme=neon", 422), ("/embed/conditions/no-such-condition", 404), (f"{CARD}?size=big", 422)],
)
async def test_a_failing_iframe_tells_visitors_in_plain_words_and_developers_why(
    client: httpx.AsyncClient, url: str, status: int
) -> None:
    problem = (await client.get(url, headers={"Accept": PROBLEM_MEDIA_TYPE})).json()
    response = await client.get(url, headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == status == problem["status"]
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    assert visible_text(response.text) == UNAVAILABLE
    # The why stays in the page for the site's developer, as the problem details themselves.
    [data] = lxml.html.fromstring(response.text).xpath("//script[@type='application/problem+json']")
    # The same problem, with this request's own id (the one its X-Request-ID header carries).
    assert json.loads(data.text) == {**problem, "request_id": response.headers["x-request-id"]}
    # Still the card's policy: nothing runs, only the allowed sites may frame it.
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and policy.endswith("frame-ancestors *")
    head = await client.head(url, headers={"Accept": BROWSER_ACCEPT})
    assert head.status_code == status and head.content == b""
    assert head.headers["content-length"] == str(len(response.content))


@pytest.mark.parametrize(
    "accept", ["application/json", PROBLEM_MEDIA_TYPE, "*/*", "text/html, application/problem+json", ""]
)
async def test_api_clients_and_embed_js_still_get_problem_details(client: httpx.AsyncClient, accept: str) -> None:
    response = await client.get(f"{CARD}?theme=neon", headers={"Accept": accept})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert "theme" in response.json()["detail"]
    assert "Accept" in response.headers["vary"]  # caches must not hand this to a browser, nor the page to a client


async def test_the_api_answers_browsers_with_problem_details(client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/conditions/no-such-condition", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM_MEDIA_TYPE


async def test_by_default_any_site_may_frame_and_fetch_the_card_but_it_runs_no_script(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(2):  # the second answer comes from the response cache and keeps the headers
        response = await client.get(CARD, headers={"Origin": "https://clinic.example"})
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy
        assert policy.endswith("frame-ancestors *")
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["x-content-type-options"] == "nosniff"
    api = await client.get("/v1/conditions", headers={"Origin": "https://clinic.example"})
    assert "access-control-allow-origin" not in api.headers  # CORS_ORIGINS is empty by default


async def test_embed_origins_limit_framing_and_fetching(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, embed_origins=["https://clinic.example"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        allowed = await client.get(CARD, headers={"Origin": "https://clinic.example"})
        assert allowed.headers["content-security-policy"].endswith("frame-ancestors https://clinic.example")
        assert allowed.headers["access-control-allow-origin"] == "https://clinic.example"
        other = await client.get(CARD, headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
    app.state.close()


async def test_the_loader_script_is_served_as_javascript(client: httpx.AsyncClient) -> None:
    response = await client.get("/embed.js")
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert "attachShadow" in response.text and "/embed/conditions/" in response.text


def test_json_in_a_script_element_cannot_close_it() -> None:
    text = str(script_json({"name": "</script><script>alert(1)</script>", "and": "&amp; <!--"}))
    assert "<" not in text and ">" not in text and "&" not in text
