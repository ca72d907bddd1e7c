"""Pages as readers meet them: the language switcher, stale and confidential services, pages without JavaScript."""

from __future__ import annotations

import re

import pytest

from relais.i18n.directory_strings import directory_strings
from relais.i18n.ui_strings import ui_strings
from support import BuiltSite

from .common import LANGUAGES, ROOTS
from .helpers import CITY, CONFIDENTIAL_SERVICE, SERVICE, STALE_SERVICE, service_path, translated_guideline

pytestmark = pytest.mark.browser


def switch_language(tab, path: str, source: str, target: str) -> None:
    page = tab.page
    tab.goto(ROOTS[source] + path)
    page.locator(".md-header .md-select button").click()  # the language menu opens while it has the focus
    page.locator(f'.md-select__list a.md-select__link[hreflang="{target}"]').click()
    page.wait_for_url(re.compile(re.escape(tab.url(ROOTS[target] + path)) + "$"))
    assert page.locator("html").get_attribute("lang") == target


@pytest.mark.parametrize("source", LANGUAGES)
@pytest.mark.parametrize("kind", ["service", "guideline", "home"])
def test_language_switcher_leads_to_the_same_page(tab, built_site: BuiltSite, kind: str, source: str) -> None:
    path = {"service": service_path(SERVICE), "guideline": translated_guideline(built_site), "home": ""}[kind]
    for target in LANGUAGES:
        if target != source:
            switch_language(tab, path, source, target)
            if kind == "service":
                assert tab.page.locator('.relais-contacts a[href="tel:+212522999902"]').count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_stale_service_shows_its_warning_first(tab, language: str) -> None:
    page = tab.goto(service_path(STALE_SERVICE, language))
    warning = page.locator(".relais-service .relais-stale")
    assert warning.is_visible()
    assert warning.get_attribute("role") == "alert"
    assert warning.locator("time").get_attribute("datetime") == "2024-01-10"
    before_date = directory_strings(language)["stale"].split("{date}")[0].strip()
    assert warning.inner_text().startswith(before_date)
    # Above the facts a referrer acts on.
    facts = page.locator(".relais-service .relais-facts").first
    assert warning.bounding_box()["y"] < facts.bounding_box()["y"]  # type: ignore[index]


@pytest.mark.parametrize("language", LANGUAGES)
def test_confidential_service_shows_its_front_door_and_no_address(tab, language: str) -> None:
    strings = directory_strings(language)
    page = tab.goto(service_path(CONFIDENTIAL_SERVICE, language))
    notice = page.locator(".relais-confidential")
    assert notice.is_visible()
    assert strings["confidential_title"] in notice.inner_text()
    assert page.locator('.relais-contacts a[href="tel:+212522999904"]').is_visible()
    text = page.locator(".relais-service").inner_text()
    assert strings["address"] not in text
    assert strings["map"] not in text
    assert page.locator('a[href*="openstreetmap"], a[href^="geo:"], [data-lat], [data-latitude]').count() == 0
    assert "mlat=" not in page.content()


@pytest.mark.parametrize("language", LANGUAGES)
def test_directory_works_without_javascript(open_tab, language: str) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.goto(f"{ROOTS[language]}annuaire/")
    assert page.locator("html").get_attribute("class") == "no-js"  # Material's script did not run
    assert page.locator("h1").inner_text() == directory_strings(language)["directory"]
    page.locator('.relais-directory .relais-cities a[href="ma/casablanca/"]').click()
    page.wait_for_url(re.compile(re.escape(tab.url(ROOTS[language] + CITY)) + "$"))
    assert page.locator(".relais-city h2").count() >= 1
    page.locator(f'.relais-city a[href$="services/{SERVICE}/"]').first.click()
    page.wait_for_url(re.compile(re.escape(tab.url(service_path(SERVICE, language))) + "$"))
    assert page.locator(".relais-service h1").is_visible()
    assert page.locator('.relais-contacts a[href^="tel:"]').count() >= 3
    assert page.locator(".relais-facts dt").count() >= 5
    # The search page says what to do instead.
    page = tab.goto(f"{ROOTS[language]}recherche/")
    assert ui_strings(language)["search_needs_js"] in page.locator("article").inner_text()


@pytest.mark.parametrize(
    ("language", "width", "kind", "expected"),
    [
        ("fr", 1280, "service", {"logo", "translate", "search"}),
        ("ar", 390, "service", {"translate", "search"}),  # no navigation drawer: no menu button
        ("ar", 390, "home", {"menu", "translate", "search"}),
    ],
)
def test_header_icons_are_drawn_by_the_stylesheet(tab, language: str, width: int, kind: str, expected: set) -> None:
    """The header's icons are CSS masks (one copy in relais.css), not inline SVG: each shown one has its shape and
    the header's text colour, on a wide screen and on a phone, left to right and right to left."""
    page = tab.page
    page.set_viewport_size({"width": width, "height": 700})
    tab.goto(ROOTS[language] + (service_path(SERVICE) if kind == "service" else ""))
    assert page.locator(".md-header svg").count() == 0
    icons = page.locator(".md-header .relais-icon").evaluate_all(
        """icons => icons.filter(icon => icon.offsetParent !== null).map(icon => {
            const style = getComputedStyle(icon), box = icon.getBoundingClientRect();
            return [icon.className, box.width, box.height, style.maskImage.startsWith('url("data:image/svg+xml'),
                    style.backgroundColor === getComputedStyle(icon.closest(".md-header")).color];
        })"""
    )
    assert {name.split("--")[1] for name, *_ in icons} == expected
    assert all(w == h == 24 and masked and in_text_colour for _, w, h, masked, in_text_colour in icons), icons
    if "menu" in expected:  # the menu opens the navigation drawer
        page.locator('label.md-header__button[for="__drawer"]').click()
        assert page.locator(".md-sidebar--primary .md-nav__link").first.is_visible()
