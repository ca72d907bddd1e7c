"""The real site, built with MkDocs, Material, static-i18n and Pagefind: languages, direction, search, privacy."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from relais.render.comments import without_html_comments
from sitecheck import elements, html_pages, is_indexed, page_language, pagefind_fragments
from support import BuiltSite

LANGUAGES = {"fr", "en", "ar"}


def test_every_page_declares_one_of_the_three_languages(built_site: BuiltSite) -> None:
    languages = {
        page.relative_to(built_site.site).as_posix(): page_language(page.read_text())
        for page in html_pages(built_site.site)
    }
    assert languages, "no page built"
    assert set(languages.values()) == LANGUAGES, languages


def test_arabic_pages_are_right_to_left_and_others_left_to_right(built_site: BuiltSite) -> None:
    for page in html_pages(built_site.site):
        html = page.read_text()
        tags = {e.tag: e for e in elements(html) if e.tag in {"html", "body"}}
        direction = tags["body"].attrs.get("dir") or tags["html"].attrs.get("dir")  # theme pages / print sheets
        expected = "rtl" if page_language(html) == "ar" else "ltr"
        assert direction == expected, page


def test_arabic_headings_have_unicode_anchors(built_site: BuiltSite) -> None:
    html = built_site.html("ar/index.html")
    ids = [e.attrs["id"] for e in elements(html) if e.tag in {"h1", "h2", "h3"} and "id" in e.attrs]
    assert ids and all(re.search(r"[\u0600-\u06FF]", i) for i in ids), ids
    assert not any(re.fullmatch(r"_\d+", i) for i in ids)


def test_no_resource_is_loaded_from_another_host(built_site: BuiltSite) -> None:
    loaded_by = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "audio": "src",
        "video": "src",
        "embed": "src",
        "object": "data",
    }
    offenders = []
    for page in html_pages(built_site.site):
        for element in elements(page.read_text()):
            attribute = loaded_by.get(element.tag)
            if element.tag == "link" and element.attrs.get("rel") in {
                "stylesheet",
                "preload",
                "icon",
                "modulepreload",
                "preconnect",
            }:
                attribute = "href"
            url = element.attrs.get(attribute or "", "")
            if url and urlparse(url).netloc:
                offenders.append((page.name, element.tag, url))
    assert offenders == []


def test_no_google_fonts_and_no_material_search(built_site: BuiltSite) -> None:
    html = built_site.html("index.html")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    assert "search_index.json" not in html
    assert not (built_site.site / "search" / "search_index.json").exists()


def test_one_search_index_per_language_counting_the_indexed_pages(built_site: BuiltSite) -> None:
    entry = json.loads((built_site.site / "pagefind" / "pagefind-entry.json").read_text())
    expected = Counter(
        page_language(page.read_text()) for page in html_pages(built_site.site) if is_indexed(page.read_text())
    )
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == dict(expected)
    assert set(expected) == LANGUAGES


def test_search_result_titles_never_end_with_a_pilcrow(built_site: BuiltSite) -> None:
    fragments = list(pagefind_fragments(built_site.site))
    assert fragments
    for fragment in fragments:
        assert not fragment["meta"]["title"].endswith("¶")
        assert "¶" not in fragment["content"]


def test_every_page_has_a_search_form_pointing_to_its_language_search_page(built_site: BuiltSite) -> None:
    for relative, target in [
        ("index.html", "recherche/"),
        ("en/index.html", "recherche/"),
        ("ar/index.html", "recherche/"),
    ]:
        forms = [e for e in elements(built_site.html(relative)) if e.tag == "form" and e.attrs.get("role") == "search"]
        assert [f.attrs["action"] for f in forms] == [target]
    for language_folder in ("", "en/", "ar/"):
        search_page = built_site.html(f"{language_folder}recherche/index.html")
        assert "pagefind-component-ui.js" in search_page
        assert not is_indexed(search_page)


def test_language_switcher_leads_to_the_same_page(built_site: BuiltSite) -> None:
    html = built_site.html("en/recherche/index.html")
    links = {e.attrs["hreflang"]: e.attrs["href"] for e in elements(html) if e.tag == "a" and "hreflang" in e.attrs}
    assert links == {"fr": "../../recherche/", "en": "./", "ar": "../../ar/recherche/"}


def test_untranslated_page_says_so_keeps_french_lang_and_is_not_indexed(built_site: BuiltSite) -> None:
    html = built_site.html("ar/essai-non-traduit/index.html")
    assert page_language(html) == "ar"
    assert "لم تُترجم هذه الصفحة بعد" in html
    content = next(e for e in elements(html) if "relais-content" in e.attrs.get("class", ""))
    assert content.attrs.get("lang") == "fr"
    assert not is_indexed(html)
    assert is_indexed(built_site.html("essai-non-traduit/index.html"))
    for fragment in pagefind_fragments(built_site.site):
        if "zorglubienne" in fragment["content"]:
            assert fragment["url"].startswith("/essai-non-traduit/"), fragment["url"]


def test_not_found_page_exists_in_each_language(built_site: BuiltSite) -> None:
    assert page_language(built_site.html("404.html")) == "fr"
    assert page_language(built_site.html("en/404.html")) == "en"
    assert "الصفحة غير موجودة" in built_site.html("ar/404.html")


def test_every_real_directory_entry_is_published_in_every_language(real_site: BuiltSite) -> None:
    from support import REPO

    entries = sorted(p.stem for p in (REPO / "directory" / "services").rglob("*.yml"))
    assert entries
    for root in ("", "en/", "ar/"):
        for service_id in entries:
            assert (real_site.site / root / "annuaire" / "services" / service_id / "index.html").is_file()


def test_real_site_exports_are_published_under_a_stable_url(real_site: BuiltSite) -> None:
    for name in ("hsds-fr.json", "hsds-en.json", "hsds-ar.json", "services.csv", "4w.csv"):
        assert (real_site.site / "exports" / name).is_file()


def test_edit_link_opens_the_readers_language_file_or_the_translation_form(built_site: BuiltSite) -> None:
    def edit_links(relative: str) -> list[str]:
        return [e.attrs["href"] for e in elements(built_site.html(relative)) if e.attrs.get("rel") == "edit"]

    base = "https://github.com/relais-hub/relais"
    assert edit_links("en/guides/vbg/orientation-survivantes/index.html") == [
        f"{base}/edit/main/docs/guides/vbg/orientation-survivantes.en.md"
    ]
    assert edit_links("ar/guides/vbg/orientation-survivantes/index.html") == [
        f"{base}/edit/main/docs/guides/vbg/orientation-survivantes.ar.md"
    ]
    assert edit_links("ar/essai-non-traduit/index.html") == [f"{base}/new/main/docs/?filename=essai-non-traduit.ar.md"]
    assert f"{base}/blob/main/CONTRIBUTING.ar.md" in built_site.html("ar/essai-non-traduit/index.html")
    assert edit_links("annuaire/services/test-centre-ecoute/index.html") == []


def test_every_page_carries_a_content_security_policy_allowing_its_inline_scripts(built_site: BuiltSite) -> None:
    from relais.render.csp import script_hashes

    for page in html_pages(built_site.site):
        html = page.read_text()
        metas = [
            e for e in elements(html) if e.tag == "meta" and e.attrs.get("http-equiv") == "Content-Security-Policy"
        ]
        assert len(metas) == 1, page
        policy = metas[0].attrs["content"]
        assert "'wasm-unsafe-eval'" in policy and "default-src 'self'" in policy
        assert all(h in policy for h in script_hashes(html)), page
        assert "unsafe-eval'" not in policy.replace("'wasm-unsafe-eval'", "")


@pytest.mark.hostile
def test_html_comments_of_a_page_never_reach_the_published_html(built_site: BuiltSite) -> None:
    for language in ("", "en/", "ar/"):
        html = built_site.html(f"{language}essai-non-traduit/index.html")
        assert "commentaire-QZX7" not in html
        assert "&lt;!-- montré --&gt;" in html


@pytest.mark.hostile
@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a</p><!-- x --><p>b</p>", "<p>a</p><p>b</p>"),
        ("<p>a<!--x\ny-->b<!---->c</p>", "<p>abc</p>"),
        ("<p>a</p><!-- jamais fermé <p>b</p>", "<p>a</p>"),
        ("<code>&lt;!-- montré --&gt;</code>", "<code>&lt;!-- montré --&gt;</code>"),
    ],
)
def test_without_html_comments(html: str, expected: str) -> None:
    assert without_html_comments(html) == expected
