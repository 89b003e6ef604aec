"""What browser tests share: a page's console log, screenshots, and axe-core's accessibility findings."""

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page

HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"


class ConsoleLog:
    """Console errors, uncaught exceptions and dialogs of one page (a test ends with none of them), and its
    warnings (where the widget tells a site's developer why a card failed)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.expected: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("dialog", self._dialog)

    def expect_error(self, text: str) -> None:
        """A test that provokes an error (a 404 fetch) names it; any other error still fails the test."""
        self.expected.append(text)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "warning":
            self.warnings.append(message.text)
        if message.type == "error" and not any(text in message.text for text in self.expected):
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


def screenshot(page: Page, name: str) -> Path:
    """Saved under test-artifacts/screenshots/ (CI keeps them; docs/screenshots/ has copies for the README)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(
    page: Page, *, within: str | None = None, impacts: tuple[str, ...] = ("serious", "critical")
) -> list[str]:
    """axe-core's findings on the page as it is now (open Shadow DOMs included), optionally only those on
    nodes whose selector path contains `within`. axe is evaluated through the DevTools protocol, which the
    pages' CSP does not govern, so the CSP stays enforced."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs axe-core (npm ci in tests/browser)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        targets = [str(node["target"]) for node in violation["nodes"]]
        if within is not None:
            targets = [target for target in targets if within in target]
        if violation["impact"] in impacts and targets:
            found.append(f"{violation['impact']}: {violation['id']} ({violation['help']}) at {', '.join(targets[:5])}")
    return found
