"""Fixtures of the browser suite: the session's built site served on 127.0.0.1, one Chromium, and watched tabs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from relais.site.engine import read_setting
from support import BuiltSite

from .common import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VNU_JAR, Tab
from .server import SiteServer


@pytest.fixture(scope="session")
def site_prefix(built_site: BuiltSite) -> str:
    """The path the site is published under (`/relais/` for https://relais-hub.github.io/relais/)."""
    return urlsplit(read_setting(built_site.project.mkdocs_yml, "site_url")).path or "/"


@pytest.fixture(scope="session")
def site_server(built_site: BuiltSite, site_prefix: str) -> Iterator[SiteServer]:
    server = SiteServer(built_site.site, prefix=site_prefix).start()
    yield server
    server.stop()


@pytest.fixture(scope="package")
def playwright_driver(site_server: SiteServer) -> Iterator[Playwright]:
    """Playwright's event loop, for this package only: the site is built first (the build runs its own asyncio
    loop, which cannot start while Playwright's runs), and other test files can build sites after this package."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        # Never a skip: CI installs it (`make test` runs scripts/install-system-deps.sh).
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)", pytrace=False)
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_tab(browser: Browser, site_server: SiteServer) -> Iterator:
    """Open watched tabs (`open_tab(**context_options)`); each must end clean, checked when the test ends."""
    tabs: list[Tab] = []

    def opener(allow_known: bool = True, **options: object) -> Tab:
        options.setdefault("locale", "fr-FR")
        tab = Tab(browser.new_context(**options), site_server, allow_known)
        tabs.append(tab)
        return tab

    yield opener
    try:
        for tab in tabs:
            tab.assert_clean()
    finally:
        for tab in tabs:
            tab.context.close()


@pytest.fixture
def tab(open_tab) -> Tab:
    """A desktop tab (1280x800)."""
    return open_tab(viewport={"width": 1280, "height": 800})


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    if found is None:
        pytest.fail("java is missing: run `make system-deps` (Debian package default-jre-headless)", pytrace=False)
    if not VNU_JAR.exists():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` in tests/browser (or `make system-deps`)", pytrace=False)
    return found
