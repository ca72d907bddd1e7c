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
