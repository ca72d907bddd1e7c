"""The offline field kit the build writes: manifests, Workbox service workers, save lists, the precache budget."""

from __future__ import annotations

import json
import re

import pytest

from relais.i18n.ui_strings import DIRECTION, LANGUAGES, ui_strings
from relais.model.layout import language_root
from relais.site import offline
from relais.site.pagecontext import DEFAULT_QUICK_EXIT_URL, quick_exit_url
from support import BuiltSite

PREFIX = "/relais/"


def precached_urls(site: BuiltSite, language: str) -> list[str]:
    worker = (site.site / language_root(language) / offline.SW_FILE).read_text(encoding="utf-8")
    return re.findall(r'url:"([^"]+)"', worker)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_an_installable_manifest(built_site: BuiltSite, language: str) -> None:
    manifest = json.loads((built_site.site / language_root(language) / offline.MANIFEST_FILE).read_text("utf-8"))
    start = PREFIX + language_root(language)
    assert manifest["lang"] == language and manifest["dir"] == DIRECTION[language]
    assert manifest["start_url"] == start == manifest["scope"]
    assert manifest["name"] == ui_strings(language)["app_name"]
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert (built_site.site / icon["src"].removeprefix(PREFIX)).is_file()
    page = built_site.html(language_root(language) + "index.html")
    assert 'rel="manifest"' in page and "relais-app.js" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_precache_holds_every_guideline_and_topic_page_and_the_search(built_site: BuiltSite, language: str) -> None:
    urls = set(precached_urls(built_site, language))
    root = built_site.site / language_root(language)
    for folder in ("guides", "sujets", "recherche"):
        for page in (root / folder).rglob("index.html"):
            assert PREFIX + page.relative_to(built_site.site).as_posix() in urls
    assert f"{PREFIX}pagefind/wasm.{language}.pagefind" in urls
    assert any(re.search(rf"/pagefind/index/{language}_", url) for url in urls)
    assert any(re.search(rf"/pagefind/fragment/{language}_", url) for url in urls)
    assert not any("/annuaire/services/" in url for url in urls), "service pages are saved city by city"
    others = [other for other in LANGUAGES if other != language]
    assert not any(re.search(rf"/pagefind/index/({'|'.join(others)})_", url) for url in urls)


def test_precache_stays_under_budget_and_is_reported(built_site: BuiltSite) -> None:
    assert set(built_site.report.precache) == set(LANGUAGES)
    for language, precache in built_site.report.precache.items():
        assert 0 < precache.bytes < offline.PRECACHE_BUDGET_BYTES, language
        assert precache.files == len(precached_urls(built_site, language))


def test_workbox_runtime_is_served_from_the_site(built_site: BuiltSite) -> None:
    for language in LANGUAGES:
        folder = built_site.site / language_root(language)
        worker = (folder / offline.SW_FILE).read_text(encoding="utf-8")
        runtime = re.search(r'define\(\["\./(workbox-[0-9a-f]+)"', worker)
        assert runtime and (folder / f"{runtime.group(1)}.js").is_file()
        assert not re.search(r"https?://", worker), "the worker loads nothing from another host"


def test_casablanca_save_list_holds_its_pages_and_their_search_fragments(built_site: BuiltSite) -> None:
    for language in LANGUAGES:
        root = language_root(language)
        record = json.loads((built_site.site / root / "annuaire/ma/casablanca/hors-ligne.json").read_text("utf-8"))
        urls = record["urls"]
        assert f"{PREFIX}{root}annuaire/ma/casablanca/" in urls
        assert f"{PREFIX}{root}annuaire/ma/casablanca/imprimer/" in urls
        assert f"{PREFIX}{root}annuaire/services/test-centre-ecoute/" in urls
        assert any(f"/pagefind/fragment/{language}_" in url for url in urls)
        assert not any("/ml/" in url or "test-equipe-mobile" in url for url in urls)
        assert record["bytes"] > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_offline_page_exists_in_each_language(built_site: BuiltSite, language: str) -> None:
    page = built_site.html(language_root(language) + offline.OFFLINE_PAGE)
    assert f'<html lang="{language}"' in page
    assert ui_strings(language)["offline_title"] in page
    assert 'href="/relais/assets/' in page, "absolute links: the page is shown at any address"


def test_quick_exit_url_comes_from_the_settings_or_defaults() -> None:
    assert quick_exit_url({"relais": {"quick_exit_url": "https://example.org/"}}) == "https://example.org/"
    assert quick_exit_url({"relais": {"quick_exit_url": "javascript:alert(1)"}}) == DEFAULT_QUICK_EXIT_URL
    assert quick_exit_url({}) == DEFAULT_QUICK_EXIT_URL
    assert quick_exit_url(None) == DEFAULT_QUICK_EXIT_URL


def test_sensitive_pages_show_quick_exit_and_others_hide_it(built_site: BuiltSite) -> None:
    button = re.compile(r"<button[^>]*data-quick-exit[^>]*>")
    sensitive = built_site.html("guides/vbg/orientation-survivantes/index.html")
    assert "hidden" not in button.search(sensitive).group()
    plain = built_site.html("guides/fondements/pyramide-iasc/index.html")
    assert "hidden" in button.search(plain).group()
    assert "data-relais-sensitive" in built_site.html("annuaire/services/test-refuge-confidentiel/index.html")
    assert "data-relais-sensitive" not in built_site.html("annuaire/services/test-centre-ecoute/index.html")


def test_search_files_are_listed_in_name_order_whatever_the_folder_order(tmp_path) -> None:
    """The worker's precache list follows these names: a folder listing's order (the file system's) must not change
    the service worker between two builds of the same sources."""
    pagefind = tmp_path / offline.PAGEFIND
    (pagefind / "index").mkdir(parents=True)
    (pagefind / "filter").mkdir()
    for name in ("fr_ff.pf_index", "fr_00.pf_index", "fr_7a.pf_index", "en_11.pf_index"):
        (pagefind / "index" / name).write_bytes(b"x")
    for name in ("fr_zz.pf_filter", "fr_aa.pf_filter"):
        (pagefind / "filter" / name).write_bytes(b"x")
    names = [name.removeprefix(f"{offline.PAGEFIND}/") for name in offline.search_files(tmp_path, "fr")]
    assert names == [
        "index/fr_00.pf_index",
        "index/fr_7a.pf_index",
        "index/fr_ff.pf_index",
        "filter/fr_aa.pf_filter",
        "filter/fr_zz.pf_filter",
    ]
