"""Browser tests: Debian's Chromium, driven by Playwright, reading the pages of a real ``kg-publisher serve``.

``make test`` installs Chromium when it is absent (scripts/install-browser.sh); without it these tests skip.
Screenshots land in tests/artefacts/screenshots/ (gitignored) so a person can look at what a reader sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ...conftest import ROOT
from ..test_server import serving

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "artefacts" / "screenshots"
#: Playwright cannot download its own browser here: it drives the system's, with nothing phoning home.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (make test installs it with apt-get as root)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(release_dir: Path) -> Iterator[str]:
    with serving(release_dir) as url:
        yield url


@dataclass
class Visit:
    """One page opened in a fresh browser context, with what went wrong on the way."""

    page: Any
    errors: list[str] = field(default_factory=list)
    #: Requests for anything but the server under test (the pages must need nothing from outside).
    outside: list[str] = field(default_factory=list)

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
        return int(self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


@pytest.fixture
def visit(browser: Any, site: str) -> Iterator[Any]:
    """``visit(path, viewport=DESKTOP, javascript=True)`` → a :class:`Visit` of the loaded page."""
    contexts: list[Any] = []
    own_host = urlsplit(site).netloc

    def open_page(path: str, viewport: dict[str, int] = DESKTOP, javascript: bool = True) -> Visit:
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: seen.errors.append(str(error)))

        def only_our_server(route: Any) -> None:
            if urlsplit(route.request.url).netloc == own_host or route.request.url.startswith("data:"):
                route.continue_()
            else:
                seen.outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_our_server)
        response = page.goto(site + path.lstrip("/"), wait_until="networkidle")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        return seen

    yield open_page
    for context in contexts:
        context.close()
