"""Browser fixtures: the real server on the seeded library (plus a hostile entry), a clinic's page on a second
loopback origin, and Debian's Chromium driven by Playwright. No browser is downloaded: `make test` installs
`chromium` from Debian and axe-core from the npm registry (tests/browser/package.json)."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from app.core.paths import SEED_DIR
from tests.browser.helpers import ConsoleLog
from tests.browser.hostile import write_hostile_condition
from tests.conftest import build_database
from tests.servers import api_server, static_server

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).parent
# Without the background-networking flags Chromium keeps calling out, and this network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    content = root / "content"
    shutil.copytree(SEED_DIR, content)
    write_hostile_condition(content)
    build_database(root / "conditions.db", content)
    with api_server(root / "conditions.db") as base:
        yield base


@pytest.fixture(scope="session")
def clinic_site(api: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The host pages from `tests/browser/site/`, with the API's address filled in, on their own origin."""
    site = tmp_path_factory.mktemp("clinic-site")
    for page in (HERE / "site").glob("*.html"):
        (site / page.name).write_text(page.read_text(encoding="utf-8").replace("{{API}}", api), encoding="utf-8")
    with static_server(site) as base:
        yield base


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread while it is
# started, and the anyio tests of later modules need the thread to themselves.
@pytest.fixture(scope="module")
def playwright_driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    home = tmp_path_factory.mktemp("chromium-home")
    saved = {name: os.environ.get(name) for name in ("HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")}
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def console(browser: Browser) -> Iterator[ConsoleLog]:
    """A fresh page and what it logs; the test fails if it logged an error or opened a dialog."""
    # Our Content-Security-Policy is enforced: the card's style hash and the pages' script-src are under test.
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    log = ConsoleLog(context.new_page())
    yield log
    context.close()
    assert log.errors == [], "the page logged errors"
    assert log.dialogs == [], "a dialog opened"


@pytest.fixture
def page(console: ConsoleLog) -> Page:
    return console.page


@pytest.fixture
def browser_no_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()
