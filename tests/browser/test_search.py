"""Search as readers use it: Pagefind's component UI on /recherche/ in each language, and the header search form."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from relais.i18n.directory_strings import directory_strings
from relais.i18n.ui_strings import ui_strings
from support import BuiltSite

from .common import LANGUAGES, ROOTS
from .helpers import (
    FILTER_NAMES,
    SERVICE,
    filter_option,
    indexed_services,
    open_search,
    page_kind,
    result_count,
    result_urls,
    run_search,
    search_filters,
    service_path,
    site_path,
    summary_text,
    wait_for_count,
    wait_for_results,
    word_only_in_one_guideline,
)

pytestmark = pytest.mark.browser

SUMMARY_WORDS = {"fr": r"résultats? pour", "en": r"results? for", "ar": r"نتائج|نتيجة"}


def category_and_city(site: BuiltSite, language: str) -> dict[str, str]:
    filters = search_filters(site, service_path(SERVICE, language))
    return {
        "category": filters[directory_strings(language)["categories"]][0],
        "city": filters[FILTER_NAMES[language]["cities"]][0],
    }


@pytest.mark.parametrize(
    ("language", "kind"),
    [
        ("fr", "category"),
        ("fr", "city"),
        ("en", "category"),
        ("en", "city"),
        ("ar", "category"),
        pytest.param("ar", "city"),
    ],
)
def test_category_label_or_city_name_finds_services_first(
    tab, built_site: BuiltSite, site_prefix: str, language: str, kind: str
) -> None:
    query = category_and_city(built_site, language)[kind]
    open_search(tab.page, tab.url(), language)
    count = run_search(tab.page, query)
    assert count > 0, f"no result for {query!r}"
    paths = [site_path(url, site_prefix) for url in result_urls(tab.page, first=8)]
    kinds = [page_kind(path) for path in paths]
    assert all(path.startswith(ROOTS[language]) for path in paths), paths
    assert "service" in kinds, f"no service page among the first results for {query!r}: {paths}"
    first_service = kinds.index("service")
    # Only directory pages (the city page, its country) may come before the first service page.
    assert set(kinds[:first_service]) <= {"directory"}, paths
    matching = {
        service_id
        for service_id, filters in indexed_services(built_site, language).items()
        if any(query in values for values in filters.values())
    }
    assert paths[first_service].removeprefix(ROOTS[language]).split("/")[2] in matching, paths


@pytest.mark.parametrize("language", LANGUAGES)
def test_city_and_language_filters_narrow_results_with_counts(tab, built_site: BuiltSite, language: str) -> None:
    names = FILTER_NAMES[language]
    services = indexed_services(built_site, language)
    city = search_filters(built_site, service_path(SERVICE, language))[names["cities"]][0]
    in_city = {sid for sid, filters in services.items() if city in filters.get(names["cities"], [])}
    # A language spoken at our service and not at every other service of its city: the second filter must narrow.
    spoken = {
        language_name
        for language_name in services[SERVICE][names["languages"]]
        if any(language_name not in services[sid].get(names["languages"], []) for sid in in_city)
    }
    spoken_here = sorted(spoken)[0]
    page = tab.page

    open_search(page, tab.url(), language)
    total = run_search(page, "TEST")  # every fixture service is named "… TEST"
    assert total >= len(services)
    assert re.search(SUMMARY_WORDS[language], summary_text(page)), summary_text(page)

    checkbox, city_count = filter_option(page, names["cities"], city)
    assert city_count == len(in_city)
    checkbox.check()
    wait_for_count(page, city_count)
    assert city_count < total
    found = {url.rstrip("/").rsplit("/", 1)[-1] for url in result_urls(page, first=city_count)}
    assert found == in_city

    checkbox, language_count = filter_option(page, names["languages"], spoken_here)
    assert 0 < language_count < city_count
    checkbox.check()
    wait_for_count(page, language_count)
    found = {url.rstrip("/").rsplit("/", 1)[-1] for url in result_urls(page, first=language_count)}
    assert SERVICE in found and found < in_city


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_page_speaks_the_page_language_and_direction(tab, built_site: BuiltSite, language: str) -> None:
    page = tab.page
    open_search(page, tab.url(), language)
    assert page.locator("html").get_attribute("lang") == language
    field = page.locator("[data-relais-search] pagefind-input input")
    assert field.get_attribute("placeholder") == ui_strings(language)["search_placeholder"]
    run_search(page, category_and_city(built_site, language)["city"])
    assert re.search(SUMMARY_WORDS[language], summary_text(page)), summary_text(page)
    direction = "rtl" if language == "ar" else "ltr"
    for selector in ("pagefind-input input", "pagefind-summary", "pagefind-results", "pagefind-filter-pane"):
        computed = page.locator(f"[data-relais-search] {selector}").evaluate("e => getComputedStyle(e).direction")
        assert computed == direction, selector


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_search_form_lands_on_results(tab, built_site: BuiltSite, language: str) -> None:
    page = tab.page
    query = category_and_city(built_site, language)["city"]
    tab.goto(service_path(SERVICE, language))
    header_field = page.locator("#relais-header-search")
    header_field.fill(query)
    header_field.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"{ROOTS[language]}recherche/?q=") + r".+"))
    assert parse_qs(urlsplit(page.url).query)["q"] == [query]
    count = wait_for_results(page, query)
    assert count > 0
    assert page.locator("[data-relais-search] pagefind-input input").input_value() == query
    assert result_urls(page, first=1)


def test_a_word_only_in_one_guideline_finds_that_page(tab, built_site: BuiltSite, site_prefix: str) -> None:
    word, path = word_only_in_one_guideline(built_site)
    open_search(tab.page, tab.url(), "fr")
    assert run_search(tab.page, word) >= 1
    assert site_path(result_urls(tab.page, first=1)[0], site_prefix) == path, word


@pytest.mark.parametrize("language", ["en", "ar"])
def test_french_words_find_only_pages_in_the_page_language(
    tab, built_site: BuiltSite, site_prefix: str, language: str
) -> None:
    word, _ = word_only_in_one_guideline(built_site)
    page = tab.page
    open_search(page, tab.url(), language)
    # A word of a French guideline, and one of a page that exists only in French (shown as a fallback elsewhere).
    for query in (word, "zorglubienne"):
        run_search(page, query)
        paths = [site_path(url, site_prefix) for url in result_urls(page, first=result_count(page))]
        assert all(path.startswith(ROOTS[language]) for path in paths), (query, paths)
    # A name written the same in every language finds pages, all in the page language.
    assert run_search(page, "TEST") > 0
    paths = [site_path(url, site_prefix) for url in result_urls(page, first=10)]
    assert paths and all(path.startswith(ROOTS[language]) for path in paths), paths
