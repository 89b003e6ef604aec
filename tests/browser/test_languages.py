"""The widget and the site in Spanish in a real browser: a Spanish clinic's page embeds the card by script (the
page's language, or data-lang) and by iframe, the visitor switches the site to Spanish, and axe-core finds no
serious accessibility violation in Spanish either."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.core.locales import message
from tests.browser.helpers import ConsoleLog, axe_violations, screenshot

pytestmark = pytest.mark.e2e

SECTIONS_ES = ["Información general", "Síntomas", "Causas", "Tratamientos", "Cuidados en casa", "Cuánto dura"]


def test_a_spanish_page_gets_the_spanish_card_by_script_and_by_iframe(
    console: ConsoleLog, page: Page, clinic_site: str
) -> None:
    console.expect_error("404 (Not Found)")  # the card that does not exist, on purpose
    page.goto(f"{clinic_site}/clinica.html")
    by_page = page.locator("#by-page-lang")
    expect(by_page).to_have_attribute("data-condition-state", "ready")
    card = by_page.locator("article")
    expect(card).to_have_attribute("lang", "es")
    expect(card.locator("h2")).to_have_text("Espasmo muscular lumbar")
    assert [h.strip() for h in card.locator("h3").all_inner_texts()][:6] == SECTIONS_ES
    expect(card.locator(".cc-notice")).to_have_text(message("es", "medical_notice"))
    expect(card.locator(".cc-status").first).to_have_text("Borrador: aún no revisado por un profesional de la salud.")
    expect(card.locator(".cc-status").nth(1)).to_contain_text("Traducción del original en inglés:")
    expect(card.locator(".cc-review")).to_contain_text("Última actualización el")
    # The host's lang="en" section asks nothing: data-lang does.
    by_data = page.locator("#by-data-lang article")
    expect(by_data).to_have_attribute("lang", "es")
    expect(by_data.locator("h2")).to_have_text("Ciática")
    assert [h.strip() for h in by_data.locator("h3").all_inner_texts()] == [
        "Síntomas",
        "Cuándo buscar atención urgente",
    ]
    # A page's sloppy lang is read as the tag it means (es_ES), or ignored when it is none (the browser decides).
    expect(page.locator("#by-posix-lang article")).to_have_attribute("lang", "es")
    expect(page.locator("#by-no-tag")).to_have_attribute("data-condition-state", "ready")
    # The Spanish card's structured data comes along, in Spanish.
    data = by_page.locator('script[type="application/ld+json"]').text_content() or ""
    assert '"inLanguage":"es"' in data and "Espasmo muscular lumbar" in data
    # A card that cannot be shown says so in the page's language, marked as such.
    missing = page.locator("#missing")
    expect(missing).to_have_attribute("data-condition-state", "error")
    expect(missing).to_have_text(message("es", "card_unavailable"))
    expect(missing.locator("p")).to_have_attribute("lang", "es")
    frame_card = page.frame_locator("#by-iframe").locator("article")
    expect(frame_card.locator("h2")).to_have_text("Espasmo muscular lumbar")
    expect(frame_card).to_have_class("condition-card theme-dark")
    assert axe_violations(page) == []
    screenshot(page, "widget-es-on-clinic-page")


def test_the_spanish_card_has_no_serious_accessibility_violations(console: ConsoleLog, page: Page, api: str) -> None:
    console.expect_error("404 (Not Found)")  # the card that does not exist, on purpose
    for query in ("lang=es", "lang=es&theme=dark", "lang=es&editor_notes=true"):
        page.goto(f"{api}/embed/conditions/lumbar-muscle-spasm?{query}")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        assert axe_violations(page) == [], query
    page.goto(f"{api}/embed/conditions/no-such-condition?lang=es")
    expect(page.locator("body")).to_have_text(message("es", "card_unavailable"))
    assert axe_violations(page) == []


def test_a_visitor_switches_the_site_to_spanish(page: Page, api: str) -> None:
    page.goto(f"{api}/")
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Español").click()
    page.wait_for_url(f"{api}/?lang=es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(message("es", "home_title"))
    switch = page.get_by_role("navigation", name="Idiomas")
    expect(switch.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    expect(switch.get_by_role("link", name="English")).to_have_attribute("hreflang", "en")
    assert axe_violations(page) == []
    screenshot(page, "home-es")

    # The choice follows the visitor to a condition's page, where the widget takes the page's language.
    page.get_by_role("link", name="Espasmo muscular lumbar").click()
    page.wait_for_url(f"{api}/conditions/lumbar-muscle-spasm?lang=es")
    widget = page.locator(".widget")
    expect(widget).to_have_attribute("data-condition-state", "ready")
    expect(widget.locator("article h3").first).to_have_text("Información general")
    assert axe_violations(page) == []
    screenshot(page, "condition-page-es")

    page.get_by_role("navigation", name="Idiomas").get_by_role("link", name="English").click()
    page.wait_for_url(f"{api}/conditions/lumbar-muscle-spasm?lang=en")
    expect(page.locator(".widget article h2")).to_have_text("Lumbar muscle spasm")


def test_the_spanish_search_works_without_javascript(browser_no_js: Page, api: str) -> None:
    browser_no_js.goto(f"{api}/?lang=es")
    browser_no_js.get_by_label("Afección, síntoma, causa o tratamiento").fill("lumbar")
    browser_no_js.get_by_role("button", name="Buscar").click()
    browser_no_js.wait_for_url(f"{api}/?q=lumbar&lang=es")
    expect(browser_no_js.get_by_role("heading", name="Resultados para «lumbar»")).to_be_visible()
    expect(browser_no_js.locator("ol.results li").first).to_be_visible()


def test_the_spanish_type_ahead_suggests_spanish_names_and_keeps_the_language(page: Page, api: str) -> None:
    page.goto(f"{api}/?lang=es")
    search = page.get_by_role("combobox", name="Afección, síntoma, causa o tratamiento")
    search.press_sequentially("espasmo mus", delay=30)
    expect(page.get_by_role("option").first).to_contain_text("Espasmo muscular lumbar")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ sugerencias$"))
    assert axe_violations(page) == []
    screenshot(page, "home-es-type-ahead")
    search.press("ArrowDown")
    search.press("Enter")
    page.wait_for_url(f"{api}/conditions/lumbar-muscle-spasm?lang=es")
    expect(page.locator(".widget article h2")).to_have_text("Espasmo muscular lumbar")
