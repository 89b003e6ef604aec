"""The home page in a real browser: a newcomer searches, picks a suggestion and sees the condition's card, or
the page of a symptom."""

import httpx
import lxml.html  # type: ignore[import-untyped]
import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ConsoleLog, axe_violations, screenshot
from tests.browser.hostile import SLUG as HOSTILE

pytestmark = pytest.mark.e2e


def test_a_newcomer_searches_and_opens_a_condition(page: Page, api: str) -> None:
    page.goto(f"{api}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="API docs (Swagger UI)")).to_have_attribute("href", "/docs")
    expect(page.get_by_role("link", name="API reference (ReDoc)")).to_have_attribute("href", "/redoc")
    expect(page.locator(".conditions li")).to_have_count(17)  # the 16 seeded conditions and the hostile one
    expect(page.locator("pre code").first).to_contain_text(f"{api}/embed.js")

    search = page.get_by_role("combobox", name="Condition, symptom, cause or treatment")
    search.press_sequentially("back kn", delay=30)
    suggestion = page.get_by_role("option", name="Back knot")
    expect(suggestion).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    screenshot(page, "home-type-ahead")

    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "suggestion-0")
    search.press("Enter")
    page.wait_for_url(f"{api}/conditions/lumbar-muscle-spasm")
    card = page.locator(".widget article")
    expect(card.locator("h3", has_text="Symptoms")).to_be_visible()
    expect(card.locator("dt").first).to_have_text("How Do You Get Rid of Back Spasms?")
    screenshot(page, "condition-page")


def test_a_suggested_symptom_opens_its_page_for_people(page: Page, api: str) -> None:
    page.goto(f"{api}/")
    search = page.get_by_role("combobox", name="Condition, symptom, cause or treatment")
    search.press_sequentially("tender", delay=30)
    expect(page.get_by_role("option", name="Tenderness")).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    page.wait_for_url(f"{api}/symptoms/muscle-tenderness")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenderness")
    page.get_by_role("link", name="Lumbar muscle spasm").click()
    page.wait_for_url(f"{api}/conditions/lumbar-muscle-spasm")
    expect(page.locator(".widget")).to_have_attribute("data-condition-state", "ready")


def test_search_works_without_javascript(browser_no_js: Page, api: str) -> None:
    browser_no_js.goto(f"{api}/")
    browser_no_js.get_by_label("Condition, symptom, cause or treatment").fill("lumbr spasm")
    browser_no_js.get_by_role("button", name="Search").click()
    browser_no_js.wait_for_url(f"{api}/?q=lumbr+spasm")
    results = browser_no_js.locator("ol.results li")
    expect(results.first).to_contain_text("Lumbar muscle spasm")
    results.first.get_by_role("link").click()
    expect(browser_no_js.get_by_role("heading", level=1)).to_have_text("Lumbar muscle spasm")


def test_a_missing_page_says_so_to_the_visitor(console: ConsoleLog, page: Page, api: str) -> None:
    console.expect_error("404 (Not Found)")  # Chromium logs the page's own status
    page.goto(f"{api}/conditions/no-such-condition")
    expect(page.get_by_role("heading", level=1)).to_have_text("There is no page at this address.")
    assert axe_violations(page) == []
    page.get_by_role("link", name="home page").click()
    page.wait_for_url(f"{api}/")


def test_the_home_and_condition_pages_have_no_serious_accessibility_violations(page: Page, api: str) -> None:
    page.goto(f"{api}/")
    assert axe_violations(page) == []
    page.goto(f"{api}/?q=back")
    assert axe_violations(page) == []
    page.goto(f"{api}/conditions/lumbar-muscle-spasm")
    expect(page.locator(".widget")).to_have_attribute("data-condition-state", "ready")
    assert axe_violations(page) == []
    page.goto(f"{api}/symptoms/numbness-or-tingling")
    assert axe_violations(page) == []


def test_the_iframe_snippet_copies_as_an_iframe_titled_with_the_name(page: Page, api: str) -> None:
    """Even a name full of quotes and markup pastes as one title attribute: the snippet is escaped for pasting."""
    name = httpx.get(f"{api}/v1/conditions/{HOSTILE}", timeout=5).json()["name"]
    page.goto(f"{api}/conditions/{HOSTILE}")
    copied = page.locator("#snippet-iframe + pre code").inner_text()
    iframe = lxml.html.fragment_fromstring(copied)
    assert iframe.tag == "iframe" and iframe.get("title") == name
    assert set(iframe.attrib) == {"src", "title", "width", "height"}
