"""The widget in a real browser: a clinic's page on another origin embeds it by script and by iframe."""

import json
import re

import extruct  # type: ignore[import-untyped]
import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import ConsoleLog, axe_violations, screenshot
from tests.browser.hostile import SLUG as HOSTILE

pytestmark = pytest.mark.e2e

RED = "rgb(255, 0, 0)"
UNAVAILABLE = "This information is not available right now."


def lumbar(api: str) -> dict[str, object]:
    response = httpx.get(f"{api}/v1/conditions/lumbar-muscle-spasm", timeout=5)
    response.raise_for_status()
    body: dict[str, object] = response.json()
    return body


def test_script_embed_shows_the_condition_isolated_from_the_host_css(page: Page, api: str, clinic_site: str) -> None:
    condition = lumbar(api)
    page.goto(f"{clinic_site}/clinic.html")
    host = page.locator("#by-script")
    expect(host).to_have_attribute("data-condition-state", "ready")
    card = host.locator("article")  # Playwright's locators pierce the open shadow root
    expect(card.locator("h2")).to_have_text("Lumbar muscle spasm")
    for item in condition["symptoms"]["items"]:  # type: ignore[index]
        expect(card.locator("li", has_text=item["text"])).to_have_count(1)
    for faq in condition["faqs"]:  # type: ignore[attr-defined]
        expect(card.locator("dt", has_text=faq["question"])).to_be_visible()
    expect(card.locator(".cc-notice")).to_contain_text("not medical advice")
    # Every seeded entry is a draft: it says when it was last updated, never that it was reviewed.
    expect(card.locator(".cc-status")).to_have_text("Draft: not yet reviewed by a clinician.")
    updated = str(condition["updated_at"])[:10]
    expect(card.locator(".cc-review time")).to_have_attribute("datetime", updated)
    expect(card).not_to_contain_text("Last reviewed")

    # The host's hostile rules apply on the host page and nowhere in the card...
    assert page.locator("#host-heading").evaluate("e => getComputedStyle(e).color") == RED
    heading = card.locator("h3").first
    assert heading.evaluate("e => getComputedStyle(e).color") == "rgb(0, 102, 51)"  # the host's custom property
    assert "Comic Sans" not in heading.evaluate("e => getComputedStyle(e).fontFamily")
    assert card.locator("li").first.evaluate("e => getComputedStyle(e).textTransform") == "none"
    assert card.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
    assert card.evaluate("e => getComputedStyle(e).letterSpacing") == "normal"
    # ...and the card's rules never reach the host page.
    assert page.locator("body").evaluate("e => getComputedStyle(e).margin") == "8px"
    assert page.locator("#host-paragraph").evaluate("e => getComputedStyle(e).borderTopStyle") == "dashed"
    screenshot(page, "widget-on-clinic-page")


def test_the_embedded_card_brings_its_structured_data_to_the_host_page(page: Page, clinic_site: str) -> None:
    page.goto(f"{clinic_site}/clinic.html")
    expect(page.locator("#by-script")).to_have_attribute("data-condition-state", "ready")
    found = extruct.extract(page.content(), base_url=clinic_site, syntaxes=["json-ld"])["json-ld"]
    graph = found[0]["@graph"]
    condition = next(node["about"] for node in graph if node["@type"] == "MedicalWebPage")
    assert condition["@type"] == "MedicalCondition"
    assert condition["code"][0]["codeValue"] == "M62.830"


def test_iframe_embed_shows_the_chosen_sections_in_the_dark_theme(page: Page, api: str, clinic_site: str) -> None:
    condition = lumbar(api)
    page.goto(f"{clinic_site}/clinic.html")
    frame = page.frame_locator("#by-iframe")
    card = frame.locator("article")
    expect(card).to_have_class("condition-card theme-dark")
    assert [h.strip() for h in card.locator("h3").all_inner_texts()] == ["Symptoms", "Questions and answers"]
    for faq in condition["faqs"]:  # type: ignore[attr-defined]
        expect(card.locator("dt", has_text=faq["question"])).to_be_visible()
    assert card.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"
    page.locator("#by-iframe").scroll_into_view_if_needed()
    screenshot(page, "widget-iframe-dark")


def test_editors_notes_show_only_on_an_editorial_preview(page: Page, clinic_site: str) -> None:
    page.goto(f"{clinic_site}/editorial.html")
    for_patients, for_editors = page.locator("#for-patients"), page.locator("#for-editors")
    for host in (for_patients, for_editors):
        expect(host).to_have_attribute("data-condition-state", "ready")
    note = "Contradicted by the next item; the page gives both."
    expect(for_editors.locator("article")).to_contain_text(note)
    expect(for_editors.get_by_role("heading", name="Editor's notes")).to_be_visible()
    expect(for_patients.locator("article li").first).to_be_visible()
    expect(for_patients.locator("article")).not_to_contain_text(note)
    expect(for_patients.locator("article")).not_to_contain_text("Editor's note")


def test_a_hostile_entry_renders_as_inert_text(console: ConsoleLog, page: Page, clinic_site: str) -> None:
    console.expect_error("404 (Not Found)")  # the embed of a slug that does not exist
    page.goto(f"{clinic_site}/hostile.html")
    host = page.locator("#by-script")
    expect(host).to_have_attribute("data-condition-state", "ready")
    card = host.locator("article")
    expect(card.locator("h2")).to_have_text("Hostile <script>window.__xss='script'; alert(1)</script> entry")
    expect(card.locator("li").first).to_contain_text("<img src=x onerror=window.__xss=1>")
    frame_card = page.frame_locator("#by-iframe").locator("article")
    expect(frame_card.locator("h2")).to_contain_text("<script>")
    for target in (card.locator("li"), card.locator(".cc-aliases"), frame_card.locator("li"), frame_card.locator("p")):
        for index in range(target.count()):
            target.nth(index).hover()
    # Nothing ran: no payload set its marker, no img/script element was created, no dialog opened (fixture).
    assert page.evaluate("() => window.__xss") is None
    assert card.locator("script, img, [onmouseover], [onerror]").count() == 0
    inline_handlers = "script:not([type='application/ld+json']), img, [onmouseover], [onerror]"
    assert frame_card.locator(inline_handlers).count() == 0
    frame = page.frame(url=lambda url: f"/embed/conditions/{HOSTILE}" in url)
    assert frame is not None and frame.evaluate("() => window.__xss") is None
    # A slug that does not exist tells the visitor so in plain words (the next test looks closer).
    missing = page.locator("#missing")
    expect(missing).to_have_attribute("data-condition-state", "error")
    expect(missing).to_have_text(UNAVAILABLE)
    screenshot(page, f"widget-{HOSTILE}")


def test_failed_embeds_tell_visitors_in_plain_words_and_developers_why(
    console: ConsoleLog, page: Page, api: str, clinic_site: str
) -> None:
    # Chromium logs every failed load as a console error; these are the two this page provokes on purpose.
    console.expect_error("404 (Not Found)")
    console.expect_error("422 (Unprocessable")
    page.goto(f"{clinic_site}/broken.html")
    for host, detail in (
        ("#unknown-slug", "404 Not Found: No condition has the slug or alias 'no-such-condition'"),
        ("#bad-theme", "422 Invalid Parameters: query parameter 'theme'"),
    ):
        element = page.locator(host)
        expect(element).to_have_attribute("data-condition-state", "error")
        expect(element).to_have_text(UNAVAILABLE)
        expect(element).to_have_attribute("data-error-detail", re.compile("^" + re.escape(detail)))
        assert any(detail in warning for warning in console.warnings), console.warnings
    for frame_id, problem_url in (
        ("#iframe-bad-theme", f"{api}/embed/conditions/lumbar-muscle-spasm?theme=neon"),
        ("#iframe-unknown-slug", f"{api}/embed/conditions/no-such-condition"),
    ):
        frame = page.frame_locator(frame_id)
        expect(frame.locator("body")).to_have_text(UNAVAILABLE)
        problem = httpx.get(problem_url, timeout=5).json()  # what an API client gets for the same URL
        shown = frame.locator("script[type='application/problem+json']").text_content()
        assert shown is not None
        in_frame = json.loads(shown)  # the same problem; each request has its own id
        assert in_frame == {**problem, "request_id": in_frame["request_id"]} and in_frame["request_id"]
    expect(page.frame_locator("#iframe-unknown-slug").locator("article")).to_have_class("condition-card theme-dark")
    assert axe_violations(page) == []
    screenshot(page, "widget-failures")
    page.goto(f"{api}/embed/conditions/no-such-condition")  # axe does not look inside cross-origin frames
    expect(page.locator("body")).to_have_text(UNAVAILABLE)
    assert axe_violations(page) == []


def test_the_widget_has_no_serious_accessibility_violations(page: Page, api: str, clinic_site: str) -> None:
    page.goto(f"{api}/embed/conditions/lumbar-muscle-spasm")
    assert axe_violations(page) == []
    page.goto(f"{api}/embed/conditions/lumbar-muscle-spasm?theme=dark")
    assert axe_violations(page) == []
    page.goto(f"{clinic_site}/clinic.html")
    expect(page.locator("#by-script")).to_have_attribute("data-condition-state", "ready")
    assert axe_violations(page, within="#by-script") == []
