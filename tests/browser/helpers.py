"""What the browser tests read from the built site (so they follow content changes) and how they drive search."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import Locator, Page

from sitecheck import elements, is_indexed, page_language, pagefind_fragments
from support import BuiltSite

from .common import ROOTS, TIMEOUT

# Fixture services (tests/fixtures/directory): one complete, one stale and closed, one confidential.
SERVICE = "test-centre-ecoute"
STALE_SERVICE = "test-service-perime"
CONFIDENTIAL_SERVICE = "test-refuge-confidentiel"
CITY = "annuaire/ma/casablanca/"
# Filter names the search page shows (the contract with the directory pages, in each language).
FILTER_NAMES = {
    "fr": {"cities": "Villes", "languages": "Langues parlées"},
    "en": {"cities": "Cities", "languages": "Languages spoken"},
    "ar": {"cities": "المدن", "languages": "اللغات المستعملة"},
}
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def service_path(service_id: str, language: str = "fr") -> str:
    return f"{ROOTS[language]}annuaire/services/{service_id}/"


def html_of(site: BuiltSite, path: str) -> str:
    return site.html(path + "index.html")


def search_filters(site: BuiltSite, path: str) -> dict[str, list[str]]:
    """The Pagefind filters a page declares (`data-pagefind-filter="Villes:Casablanca"`), by filter name."""
    filters: dict[str, list[str]] = defaultdict(list)
    for element in elements(html_of(site, path)):
        if "data-pagefind-filter" in element.attrs:
            name, _, value = element.attrs["data-pagefind-filter"].partition(":")
            filters[name].append(value)
    return dict(filters)


def indexed_services(site: BuiltSite, language: str) -> dict[str, dict[str, list[str]]]:
    """Every service page that is in the search index of `language`, with its filters."""
    folder = site.site / ROOTS[language] / "annuaire" / "services"
    services = {}
    for page in sorted(folder.glob("*/index.html")):
        if is_indexed(page.read_text(encoding="utf-8")):
            services[page.parent.name] = search_filters(site, service_path(page.parent.name, language))
    return services


def translated_guideline(site: BuiltSite) -> str:
    """A guideline page (not a section index) published in every language, each page in its own language."""
    for page in sorted((site.site / "guides").glob("*/*/index.html")):
        path = page.parent.relative_to(site.site).as_posix() + "/"
        if all(
            (site.site / ROOTS[language] / path / "index.html").exists()
            and page_language(html_of(site, ROOTS[language] + path)) == language
            and is_indexed(html_of(site, ROOTS[language] + path))
            for language in ROOTS
        ):
            return path
    raise AssertionError("no guideline page is translated into every language")


def word_only_in_one_guideline(site: BuiltSite) -> tuple[str, str]:
    """A long French word found in the French index on exactly one page, a guideline, and in no other language.

    Returns (word, path of the page below the site root)."""
    pages_by_word: dict[str, set[str]] = defaultdict(set)
    languages_by_word: dict[str, set[str]] = defaultdict(set)
    for fragment in pagefind_fragments(site.site):
        url = fragment["url"]
        language = next((code for code, root in ROOTS.items() if root and url.startswith("/" + root)), "fr")
        for word in set(re.findall(r"[a-zàâçéèêëîïôûùüÿœæ]{10,}", fragment["content"].lower())):
            pages_by_word[word].add(url)
            languages_by_word[word].add(language)
    candidates = sorted(
        (word for word, urls in pages_by_word.items() if len(urls) == 1 and languages_by_word[word] == {"fr"}),
        key=lambda word: (-len(word), word),
    )
    for word in candidates:
        (url,) = pages_by_word[word]
        if re.fullmatch(r"/guides/[^/]+/[^/]+/", url):
            return word, url.lstrip("/")
    raise AssertionError("no French word is unique to one guideline page")


# --- the search page ----------------------------------------------------------------------------------------------
def open_search(page: Page, base_url: str, language: str) -> None:
    page.goto(f"{base_url}{ROOTS[language]}recherche/")
    page.locator("[data-relais-search] pagefind-input input").wait_for()


def run_search(page: Page, query: str) -> int:
    """Type `query` into the search page and wait for the summary of its results. Returns the result count."""
    page.locator("[data-relais-search] pagefind-input input").fill(query)
    return wait_for_results(page, query)


def wait_for_results(page: Page, query: str) -> int:
    page.wait_for_function(
        """(query) => {
            const summary = document.querySelector("[data-relais-search] pagefind-summary .pf-summary");
            const list = document.querySelector("[data-relais-search] pagefind-results .pf-results");
            return summary && summary.textContent.includes(query) && list && list.getAttribute("aria-busy") !== "true";
        }""",
        arg=query,
        timeout=TIMEOUT,
    )
    return result_count(page)


def summary_text(page: Page) -> str:
    return page.locator("[data-relais-search] pagefind-summary .pf-summary").inner_text()


def result_count(page: Page) -> int:
    digits = re.search(r"\d+", summary_text(page).translate(ARABIC_INDIC))
    return int(digits.group()) if digits else 0


def result_urls(page: Page, first: int = 5) -> list[str]:
    """The addresses of the first results. Pagefind fills each result (a placeholder until then) when it scrolls
    into view, and replaces the element as it does: results are found by their index, scrolled to one by one."""
    total = page.locator("[data-relais-search] pagefind-results li.pf-result").count()
    urls = []
    for index in range(min(first, total)):
        item = f'[data-relais-search] pagefind-results li.pf-result[data-pf-result-index="{index}"]'
        page.evaluate("(selector) => document.querySelector(selector)?.scrollIntoView({block: 'center'})", item)
        link = page.locator(f"{item} a.pf-result-link")
        link.wait_for(state="attached")
        urls.append(link.get_attribute("href") or "")
    return urls


def wait_for_count(page: Page, expected: int) -> None:
    page.wait_for_function(
        """(expected) => {
            const summary = document.querySelector("[data-relais-search] pagefind-summary .pf-summary");
            const list = document.querySelector("[data-relais-search] pagefind-results .pf-results");
            if (!summary || !list || list.getAttribute("aria-busy") === "true") return false;
            const digits = summary.textContent.replace(/[٠-٩]/g, (d) => "٠١٢٣٤٥٦٧٨٩".indexOf(d)).match(/\\d+/);
            return digits && Number(digits[0]) === expected
                && list.querySelectorAll("li.pf-result").length === expected;
        }""",
        arg=expected,
        timeout=TIMEOUT,
    )


def css_string(value: str) -> str:
    """A CSS attribute value in quotes (JSON's escapes are valid CSS for the quotes and backslashes we may meet)."""
    return json.dumps(value, ensure_ascii=False)


def filter_option(page: Page, name: str, value: str) -> tuple[Locator, int]:
    """Open the filter group `name`; return the checkbox of `value` and the count shown next to it."""
    group = page.locator(f"[data-relais-search] details.pf-filter-group[data-filter-name={css_string(name)}]")
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    option = group.locator(f"label.pf-filter-checkbox:has(input[value={css_string(value)}])")
    option.wait_for()
    count = int(option.locator(".pf-filter-checkbox-count").inner_text().translate(ARABIC_INDIC))
    return option.locator("input[type=checkbox]"), count


def site_path(url: str, prefix: str) -> str:
    """`/relais/en/annuaire/` -> `en/annuaire/`."""
    assert url.startswith(prefix), f"{url} is outside the site ({prefix})"
    return url[len(prefix) :]


def page_kind(path: str) -> str:
    """`service`, `directory` (other directory pages), `guideline` or `other`, from a path below the site root."""
    for root in ("en/", "ar/"):
        path = path.removeprefix(root)
    if path.startswith("annuaire/services/"):
        return "service"
    if path.startswith("annuaire/"):
        return "directory"
    if path.startswith("guides/"):
        return "guideline"
    return "other"


def language_of(path: str) -> str:
    return next((code for code, root in ROOTS.items() if root and path.startswith(root)), "fr")


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
