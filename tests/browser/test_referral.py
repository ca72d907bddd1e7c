"""A referral worker on a phone: home -> directory -> country -> city -> service, then a number to call."""

from __future__ import annotations

import re

import pytest

from relais.i18n.directory_strings import directory_strings

from .common import LANGUAGES, PHONE, ROOTS

pytestmark = pytest.mark.browser

TEL = re.compile(r"^tel:(\+[1-9][0-9]{6,14}|[0-9]{2,6})$")  # E.164, or a national short code (15, 177, 3020)


@pytest.mark.parametrize("language", LANGUAGES)
def test_referral_worker_reaches_a_service_and_a_number_to_call(open_tab, language: str) -> None:
    tab = open_tab(**PHONE)
    page = tab.goto(ROOTS[language])
    assert page.locator("html").get_attribute("lang") == language

    # The directory, from the navigation drawer (the phone layout hides the sidebar behind the menu button).
    page.locator('label.md-header__button[for="__drawer"]').tap()
    directory_link = page.locator('.md-nav--primary > .md-nav__list > .md-nav__item > a[href$="annuaire/"]')
    directory_link.tap()
    page.wait_for_url(re.compile(r"/annuaire/$"))
    assert page.locator("h1").inner_text() == directory_strings(language)["directory"]

    # A country, then a city: two taps.
    page.locator('.relais-directory h2 a[href="ma/"]').tap()
    page.wait_for_url(re.compile(r"/annuaire/ma/$"))
    page.locator('.relais-cities a[href="casablanca/"]').tap()
    page.wait_for_url(re.compile(r"/annuaire/ma/casablanca/$"))
    assert page.locator("html").get_attribute("lang") == language

    # The service, and how to call it.
    page.locator('.relais-city a[href$="services/test-centre-ecoute/"]').first.tap()
    page.wait_for_url(re.compile(r"/annuaire/services/test-centre-ecoute/$"))
    phones = page.locator('.relais-contacts a[href^="tel:"]')
    hrefs = [phones.nth(i).get_attribute("href") or "" for i in range(phones.count())]
    assert hrefs, "no phone number on the service page"
    assert all(TEL.match(href) for href in hrefs), hrefs
    assert "tel:15" in hrefs  # the national short code stays a short code
    for i in range(phones.count()):
        link = phones.nth(i)
        assert link.is_visible()
        box = link.bounding_box()
        assert box is not None and box["height"] >= 16, "a phone link too small to tap"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_filtered_referral_sheet_shows_and_prints_only_its_services(open_tab, language: str) -> None:
    """From the city page's list of filtered sheets, without JavaScript (sheets have none), on screen and on paper."""
    tab = open_tab(java_script_enabled=False)
    page = tab.goto(f"{ROOTS[language]}annuaire/ma/casablanca/")
    page.locator('.relais-sheet-links a[href="imprimer/#public-enfants-non-accompagnes"]').click()
    page.wait_for_url(re.compile(r"/imprimer/#public-enfants-non-accompagnes$"))
    services = page.locator(".relais-sheet__service")
    assert services.count() == 2, "the sheet holds every service of the city"
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        shown = [services.nth(i) for i in range(services.count()) if services.nth(i).is_visible()]
        assert len(shown) == 1, media
        assert "test-centre-ecoute" in (shown[0].locator("img.relais-qr").get_attribute("src") or "")
        only = page.locator('.relais-sheet__only [data-relais-for="public-enfants-non-accompagnes"]')
        assert only.is_visible(), media
        assert page.locator('.relais-sheet__only [data-relais-for^="categorie-"]').first.is_hidden()
        box = page.locator(".relais-sheet__filter").first.bounding_box()
        assert box is None or box["height"] == 0  # empty, takes no room
        assert page.locator(".relais-emergency").is_visible(), "the emergency card is on every sheet"
    page.emulate_media(media="screen")
    page.locator(".relais-sheet__only a").click()
    page.wait_for_url(re.compile(r"/imprimer/$"))
    assert all(services.nth(i).is_visible() for i in range(services.count()))
    assert page.locator(".relais-sheet__only").is_hidden()
