"""The offline field kit and Quick exit as a reader meets them, in real Chromium.

Offline: visit the home page, save Casablanca, cut the network (`context.set_offline`), then read every guideline
page, the city and its service pages, and search, in each language; a page neither visited nor saved shows the
offline page of its language. Quick exit: the button and Escape three times leave a sensitive page for the neutral
address, and the sensitive page is no longer in the history.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route

from relais.i18n.directory_strings import directory_strings
from relais.i18n.ui_strings import ui_strings
from relais.site.pagecontext import DEFAULT_QUICK_EXIT_URL
from support import BuiltSite

from .common import LANGUAGES, ROOTS, TIMEOUT
from .helpers import CITY, CONFIDENTIAL_SERVICE, SERVICE, open_search, result_urls, run_search, service_path

pytestmark = pytest.mark.browser

NEUTRAL_PAGE = "<!doctype html><title>neutral</title><p>neutral page</p>"
# A word of the fixture service's name in each language: it also appears in guideline pages.
SERVICE_WORD = {"fr": "écoute", "en": "listening", "ar": "الإصغاء"}
SENSITIVE_GUIDELINE = "guides/vbg/orientation-survivantes/"


def guideline_pages(site: Path, language: str) -> list[str]:
    """Every guideline page of a language, as paths below the site root (`en/guides/enfants/`)."""
    root = site / ROOTS[language] / "guides"
    return [page.parent.relative_to(site).as_posix() + "/" for page in sorted(root.rglob("index.html"))]


def wait_until_controlled(page: Page) -> None:
    """The language's service worker is active (so its precache is complete) and controls the page."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=TIMEOUT)
    page.wait_for_function("() => !!localStorage.getItem('relais-offline-precache-' + document.documentElement.lang)")


def save_city(tab, language: str) -> None:
    page = tab.goto(ROOTS[language] + CITY)
    wait_until_controlled(page)
    strings = directory_strings(language)
    button = page.locator("button[data-offline-save]")
    assert button.inner_text().strip() == strings["offline_save"]
    button.click()
    status = page.locator("[data-relais-offline-status]")
    saved_prefix = strings["offline_saved"].split("{date}")[0]
    status.filter(has_text=saved_prefix).wait_for()
    assert page.locator("button[data-offline-remove]").is_visible()


def assert_read_from_device(page: Page, language: str, path: str) -> None:
    assert page.locator("html").get_attribute("lang") == language, path
    assert page.locator("[data-relais-offline-page]").count() == 0, f"{path}: the offline page instead of the page"
    stamp = page.locator("[data-relais-offline-stamp]")
    stamp.wait_for()
    assert ui_strings(language)["offline_now"] in stamp.inner_text(), path


@pytest.mark.parametrize("language", LANGUAGES)
def test_after_one_visit_and_saving_casablanca_everything_works_offline(
    open_tab, built_site: BuiltSite, site_prefix: str, language: str
) -> None:
    tab = open_tab(viewport={"width": 1280, "height": 800}, service_workers="allow")
    page = tab.goto(ROOTS[language])
    wait_until_controlled(page)
    save_city(tab, language)
    tab.context.set_offline(True)

    for path in guideline_pages(built_site.site, language):
        tab.goto(path)
        assert_read_from_device(page, language, path)
    city_services = [SERVICE, CONFIDENTIAL_SERVICE]
    for path in [ROOTS[language] + CITY, *(service_path(s, language) for s in city_services)]:
        tab.goto(path)
        assert_read_from_device(page, language, path)

    open_search(page, tab.url(), language)
    count = run_search(page, SERVICE_WORD[language])
    assert count > 0
    found = [url.removeprefix(site_prefix) for url in result_urls(page, first=min(count, 6))]
    assert service_path(SERVICE, language) in found, found
    assert any(url.startswith(ROOTS[language] + "guides/") for url in found), found


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_never_saved_shows_the_offline_page_in_its_language(open_tab, language: str) -> None:
    tab = open_tab(viewport={"width": 1280, "height": 800}, service_workers="allow")
    page = tab.goto(ROOTS[language])
    wait_until_controlled(page)
    tab.context.set_offline(True)
    response = page.goto(tab.url(ROOTS[language] + "annuaire/ml/bamako/"))
    assert response is not None and response.ok
    assert page.locator("html").get_attribute("lang") == language
    heading = page.locator("[data-relais-offline-page] h1")
    assert heading.inner_text() == ui_strings(language)["offline_title"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_saved_city_is_listed_then_removed(open_tab, language: str) -> None:
    tab = open_tab(viewport={"width": 1280, "height": 800}, service_workers="allow")
    tab.goto(ROOTS[language])
    wait_until_controlled(tab.page)
    save_city(tab, language)
    page = tab.goto(ROOTS[language] + "hors-ligne/")
    items = page.locator("[data-relais-offline-cities] li")
    items.first.wait_for()
    assert items.count() == 1
    assert "Casablanca" in items.first.inner_text() or "الدار البيضاء" in items.first.inner_text()
    assert (
        page.locator("[data-relais-offline-automatic]").inner_text()
        != ui_strings(language)["offline_automatic_pending"]
    )
    items.first.locator("button[data-offline-remove]").click()
    page.locator("[data-relais-offline-none]").wait_for(state="visible")
    assert page.evaluate("async () => (await caches.keys()).filter((k) => k.startsWith('relais-city-')).length") == 0


def test_a_new_build_replaces_a_saved_city_on_the_next_visit_online(open_tab) -> None:
    tab = open_tab(viewport={"width": 1280, "height": 800}, service_workers="allow")
    tab.goto("")
    wait_until_controlled(tab.page)
    save_city(tab, "fr")
    # As if an earlier build had saved the city: its record names that build's version and cache.
    tab.page.evaluate(
        """async () => {
            const cities = JSON.parse(localStorage.getItem("relais-offline-cities"));
            const record = Object.values(cities)[0];
            const old = await caches.open("relais-city-earlier-build");
            await old.put(record.page, new Response("an earlier build"));
            record.version = "earlier-build";
            record.cache = "relais-city-earlier-build";
            localStorage.setItem("relais-offline-cities", JSON.stringify(cities));
        }"""
    )
    page = tab.goto("guides/")
    # The record is rewritten once the city is saved again and the earlier cache deleted.
    page.wait_for_function(
        """() => Object.values(JSON.parse(localStorage.getItem("relais-offline-cities")))[0].version
            !== 'earlier-build'""",
        timeout=TIMEOUT,
    )
    fresh, caches = page.evaluate(
        """async () => {
            const record = Object.values(JSON.parse(localStorage.getItem("relais-offline-cities")))[0];
            const copy = await (await caches.open(record.cache)).match(record.page);
            const keys = (await caches.keys()).filter((key) => key.startsWith("relais-city-"));
            return [copy ? await copy.text() : "", keys.map((key) => key === record.cache)];
        }"""
    )
    assert caches == [True], "one cache for the city: the new build's"
    assert "an earlier build" not in fresh and "data-offline-save" in fresh


# --- Quick exit -------------------------------------------------------------------------------------------------
def neutral_tab(open_tab):
    tab = open_tab(viewport={"width": 1280, "height": 800})

    def fulfil(route: Route) -> None:
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    tab.context.route(DEFAULT_QUICK_EXIT_URL + "**", fulfil)
    return tab


def left_for_the_neutral_page(tab) -> None:
    tab.page.wait_for_url(DEFAULT_QUICK_EXIT_URL)
    # The neutral address is the one request to another host the test expects; it never reaches the network.
    expected = f"request to another host: {DEFAULT_QUICK_EXIT_URL}"
    assert expected in tab.problems.foreign_requests
    tab.problems.foreign_requests = [r for r in tab.problems.foreign_requests if r != expected]


def assert_history_skips(tab, sensitive_path: str, before_path: str) -> None:
    page = tab.page
    page.go_back()
    assert page.url == tab.url(before_path), "Back must lead to the page before the sensitive one"
    assert sensitive_path not in page.url


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_quick_exit_button_leaves_a_sensitive_guideline_for_good(open_tab, language: str) -> None:
    tab = neutral_tab(open_tab)
    root = ROOTS[language]
    tab.goto(root)
    page = tab.goto(root + SENSITIVE_GUIDELINE)
    button = page.locator("button[data-quick-exit]")
    assert button.is_visible()
    assert button.inner_text().strip() == ui_strings(language)["quick_exit"]
    assert button.evaluate("(b) => getComputedStyle(b).position") == "fixed"
    # Reachable by keyboard: within the first stops of the Tab key, before any content link.
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-quick-exit')"):
            break
    assert page.evaluate("() => document.activeElement.hasAttribute('data-quick-exit')")
    page.keyboard.press("Enter")
    left_for_the_neutral_page(tab)
    assert_history_skips(tab, SENSITIVE_GUIDELINE, root)


def test_escape_three_times_leaves_a_confidential_service_page(open_tab) -> None:
    tab = neutral_tab(open_tab)
    tab.goto(CITY)
    page = tab.goto(service_path(CONFIDENTIAL_SERVICE))
    assert page.locator("button[data-quick-exit]").is_visible()
    for _ in range(3):
        page.keyboard.press("Escape")
    left_for_the_neutral_page(tab)
    assert_history_skips(tab, CONFIDENTIAL_SERVICE, CITY)


@pytest.mark.parametrize("path", ["", "guides/fondements/pyramide-iasc/", service_path(SERVICE), CITY])
def test_pages_that_are_not_sensitive_show_no_quick_exit(tab, path: str) -> None:
    page = tab.goto(path)
    page.wait_for_load_state("load")
    assert not page.locator("button[data-quick-exit]").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert re.match(re.escape(tab.url(path)) + "$", page.url)
