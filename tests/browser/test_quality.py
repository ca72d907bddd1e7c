"""Quality gates on the pages readers use most, in every language: axe-core (WCAG 2.1 A and AA), the Nu HTML
Checker, weight on the wire, screenshots, and what a Content-Security-Policy has to allow."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from collections import Counter

import pytest
from axe_playwright_python.sync_playwright import Axe

from sitecheck import html_pages
from support import BuiltSite

from .common import LANGUAGES, PHONE, ROOTS, VNU_JAR, Tab, known_vnu_error, record_figures
from .helpers import (
    CITY,
    CONFIDENTIAL_SERVICE,
    FILTER_NAMES,
    SERVICE,
    STALE_SERVICE,
    open_search,
    result_urls,
    run_search,
    search_filters,
    service_path,
    translated_guideline,
)

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PAGE_KINDS = ("home", "guideline", "search", "city", "service", "stale-service", "confidential-service")
KB = 1024
SERVICE_PAGE_BUDGET = 60 * KB  # issue 20's target for a service page's first load
SEARCH_QUERY_BUDGET = 150 * KB


def city_name(site: BuiltSite, language: str) -> str:
    return search_filters(site, service_path(SERVICE, language))[FILTER_NAMES[language]["cities"]][0]


def show_search_results(tab: Tab, site: BuiltSite, language: str) -> None:
    """The search page with results for a city name, its city filter group open (checkboxes and counts shown)."""
    open_search(tab.page, tab.url(), language)
    run_search(tab.page, city_name(site, language))
    result_urls(tab.page, first=3)
    group = tab.page.locator(
        f'[data-relais-search] details.pf-filter-group[data-filter-name="{FILTER_NAMES[language]["cities"]}"]'
    )
    group.locator("summary").click()
    group.locator("label.pf-filter-checkbox:not([data-pf-hidden])").first.wait_for()
    tab.page.evaluate("window.scrollTo(0, 0)")


def open_kind(tab: Tab, site: BuiltSite, kind: str, language: str) -> None:
    root = ROOTS[language]
    paths = {
        "home": root,
        "guideline": root + translated_guideline(site),
        "city": root + CITY,
        "service": service_path(SERVICE, language),
        "stale-service": service_path(STALE_SERVICE, language),
        "confidential-service": service_path(CONFIDENTIAL_SERVICE, language),
    }
    if kind == "search":
        show_search_results(tab, site, language)
    else:
        tab.goto(paths[kind])
    tab.settle()


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_no_wcag_violation(tab, built_site: BuiltSite, artifacts, language: str, kind: str) -> None:
    open_kind(tab, built_site, kind, language)
    results = Axe().run(tab.page, options=AXE_OPTIONS)
    record_figures(artifacts, "axe", {f"{language}/{kind}": results.generate_snapshot() or "0 violations"})
    assert results.violations_count == 0, results.generate_report()


def test_nu_html_checker_finds_no_error(open_tab, built_site: BuiltSite, artifacts, java: str) -> None:
    """Every built page, and the search pages as the browser shows them with results (Pagefind writes markup)."""
    rendered = artifacts / "rendered"
    rendered.mkdir(exist_ok=True)
    for language in LANGUAGES:
        tab = open_tab(viewport={"width": 1280, "height": 800})
        show_search_results(tab, built_site, language)
        (rendered / f"search-{language}.html").write_text(tab.page.content(), encoding="utf-8")
    files = [*html_pages(built_site.site), *sorted(rendered.glob("*.html"))]
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr)["messages"]  # the checker writes its JSON report on stderr
    known = Counter(name for m in messages if (name := known_vnu_error(m)))
    errors = [m for m in messages if not known_vnu_error(m)]
    record_figures(
        artifacts,
        "vnu",
        {
            "files_checked": len(files),
            "errors": len(errors),
            "known_errors_outside_this_suite": dict(known),
        },
    )
    report = "\n".join(f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in errors[:40])
    assert not errors, f"{len(errors)} errors, first ones:\n{report}"
    assert run.returncode in (0, 1), run.stderr[-2000:]


def transferred(tab: Tab, since: int = 0) -> int:
    """Bytes on the wire for the bodies of the tab's responses (compressed size: our server sends Content-Length)."""
    total = 0
    for response in tab.responses[since:]:
        length = response.headers.get("content-length")
        assert length is not None, f"no Content-Length for {response.url}"
        total += int(length)
    return total


def test_weight_of_a_service_page_and_a_search(open_tab, site_server, built_site: BuiltSite, artifacts) -> None:
    figures: dict[str, object] = {}

    # First visit of a service page, nothing cached, as a phone on a slow line would get it. The service worker is
    # blocked: what it downloads after the page, in the background (the offline precache), is not the page's weight;
    # the build measures and prints it per language (tests/test_offline_kit.py keeps it under its budget).
    tab = open_tab(service_workers="block", **PHONE)
    cdp = tab.context.new_cdp_session(tab.page)
    encoded: list[float] = []
    cdp.on("Network.loadingFinished", lambda event: encoded.append(event["encodedDataLength"]))
    cdp.send("Network.enable")
    site_server.take_log()
    tab.goto(service_path(SERVICE))
    tab.settle()
    sent = site_server.take_log()
    service_bytes = transferred(tab)
    known = sum(int(r.headers.get("content-length", 0)) for r in tab.responses if r.status >= 400)
    figures["service_page_first_load"] = {
        "bytes": service_bytes,
        "requests": len(tab.responses),
        "cdp_encoded_data_length_with_headers": int(sum(encoded)),
        "server_body_bytes": sum(s.body_bytes for s in sent),
        "of_which_failed_requests": known,
        "budget": SERVICE_PAGE_BUDGET,
    }

    # A search: the page itself, then what one query costs (index chunks, filters, result fragments).
    tab = open_tab(viewport={"width": 1280, "height": 800}, service_workers="block")
    open_search(tab.page, tab.url(), "fr")
    tab.settle()
    page_bytes = transferred(tab)
    before = len(tab.responses)
    run_search(tab.page, city_name(built_site, "fr"))
    result_urls(tab.page, first=5)
    tab.settle()
    query_bytes = transferred(tab, since=before)
    figures["search_page_load"] = {"bytes": page_bytes, "requests": before}
    figures["search_query"] = {
        "bytes": query_bytes,
        "requests": len(tab.responses) - before,
        "budget": SEARCH_QUERY_BUDGET,
    }
    figures["search_page_and_first_query"] = page_bytes + query_bytes
    record_figures(artifacts, "weights", figures)

    for opened in (tab,):
        assert not opened.problems.foreign_requests
    assert service_bytes <= SERVICE_PAGE_BUDGET, figures["service_page_first_load"]
    assert query_bytes <= SEARCH_QUERY_BUDGET, figures["search_query"]


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_screenshots(open_tab, built_site: BuiltSite, artifacts, language: str) -> None:
    tab = open_tab(**PHONE)
    tab.goto(service_path(SERVICE, language))
    tab.settle()
    tab.page.screenshot(path=artifacts / f"service-{language}.png", full_page=True)
    tab = open_tab(viewport={"width": 1280, "height": 800})
    show_search_results(tab, built_site, language)
    tab.settle()
    tab.page.screenshot(path=artifacts / f"search-{language}.png", full_page=True)
    # The page never scrolls sideways (results wrap, the layout reflows).
    width = tab.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.S)
EVENT_HANDLER = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)


def test_what_a_content_security_policy_must_allow(built_site: BuiltSite, artifacts) -> None:
    """Inline scripts need a hash each; inline event handlers and javascript: links cannot be allowed at all."""
    scripts: Counter[str] = Counter()
    samples: dict[str, str] = {}
    handlers: list[str] = []
    javascript_urls: list[str] = []
    for path in html_pages(built_site.site):
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(built_site.site).as_posix()
        for body in INLINE_SCRIPT.findall(html):
            digest = "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            scripts[digest] += 1
            samples.setdefault(digest, body.strip()[:100])
        handlers += [f"{where}: {m.group(0)[:80]}" for m in EVENT_HANDLER.finditer(html)]
        javascript_urls += [where for _ in JAVASCRIPT_URL.finditer(html)]
    record_figures(
        artifacts,
        "csp-report",
        {
            "inline_scripts": {digest: {"pages": n, "starts": samples[digest]} for digest, n in scripts.items()},
            "inline_event_handlers": handlers[:20],
            "javascript_urls": javascript_urls[:20],
            "also_needed": "'wasm-unsafe-eval' in script-src for Pagefind; worker-src 'self' blob:",
        },
    )
    assert not handlers, handlers[:20]
    assert not javascript_urls, javascript_urls[:20]
