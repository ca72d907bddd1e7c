"""The search bundle built one language at a time, with the real Pagefind, on small hand-written sites."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from relais.site.search_index import (
    BUNDLE_FOLDER,
    IndexingFailed,
    IndexReport,
    check_bundle,
    index_site,
    indexable_pages,
    is_indexable,
    merge_run,
)
from sitecheck import PAGEFIND_SIGNATURE

SHARED_FILES = ("pagefind.js", "pagefind-worker.js", "pagefind-component-ui.js", "wasm.unknown.pagefind")
WORDS = {"fr": "logement santé écoute", "en": "housing health listening", "ar": "سكن صحة استماع"}


def page(language: str, title: str, indexed: bool = True, text_language: str | None = None) -> str:
    body_mark = " data-pagefind-body" if indexed else ""
    text_lang = f' lang="{text_language}"' if text_language else ""
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<nav>menu</nav><div class="relais-content"{body_mark}{text_lang}><h1>{title}'
        f'<a class="headerlink" href="#t">¶</a></h1><p>{WORDS[text_language or language]}</p></div></body></html>'
    )


def write(site: Path, relative: str, html: str) -> None:
    (site / relative).parent.mkdir(parents=True, exist_ok=True)
    (site / relative).write_text(html, encoding="utf-8")


def small_site(root: Path) -> Path:
    """Three indexed pages per language (four in French), unindexed search pages and print sheets, a stale bundle."""
    site = root / "site"
    for folder, language in (("", "fr"), ("en/", "en"), ("ar/", "ar")):
        write(site, f"{folder}index.html", page(language, f"Accueil {language}"))
        write(site, f"{folder}guides/ecoute/index.html", page(language, f"Écoute {language}"))
        write(site, f"{folder}annuaire/sn/dakar/service-1/index.html", page(language, f"Service {language}"))
        write(site, f"{folder}recherche/index.html", page(language, f"Recherche {language}", indexed=False))
        write(site, f"{folder}annuaire/sn/dakar/service-1/fiche.html", page(language, "Fiche", indexed=False))
    write(site, "ar/essai-non-traduit/index.html", page("ar", "Essai", indexed=False, text_language="fr"))
    write(site, "en-savoir-plus/index.html", page("fr", "En savoir plus"))  # French, though it starts with "en"
    write(site, "404.html", page("fr", "Page introuvable", indexed=False))
    write(site, f"{BUNDLE_FOLDER}/stale.html", page("fr", "Ancien index"))
    return site


EXPECTED_URLS = {
    "fr": {"/", "/guides/ecoute/", "/annuaire/sn/dakar/service-1/", "/en-savoir-plus/"},
    "en": {"/en/", "/en/guides/ecoute/", "/en/annuaire/sn/dakar/service-1/"},
    "ar": {"/ar/", "/ar/guides/ecoute/", "/ar/annuaire/sn/dakar/service-1/"},
}


def bundle_bytes(site: Path) -> dict[str, bytes]:
    bundle = site / BUNDLE_FOLDER
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IndexReport]:
    site = small_site(tmp_path_factory.mktemp("search-index"))
    return site, index_site(site)


def test_a_language_is_indexed_when_its_folder_holds_a_marked_page(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    pages = indexable_pages(site)
    assert sorted(pages) == ["ar", "en", "fr"]
    relative = {language: sorted(p.relative_to(site).as_posix() for p in found) for language, found in pages.items()}
    service, guide = "en/annuaire/sn/dakar/service-1/index.html", "en/guides/ecoute/index.html"
    assert relative["en"] == [service, guide, "en/index.html"]  # not the print sheet, not the search page
    assert "ar/essai-non-traduit/index.html" not in relative["ar"]  # unmarked pages are not given to Pagefind


def test_a_language_whose_pages_only_mention_the_mark_gets_no_run(tmp_path: Path) -> None:
    write(tmp_path, "en/guide.html", "<html lang='en'><body><p>Add <code>data-pagefind-body</code></p></body></html>")
    write(tmp_path, "page.html", "<html lang='fr'><body><MAIN class='x'\nData-Pagefind-Body>texte</MAIN></body></html>")
    assert not is_indexable(tmp_path / "en" / "guide.html")
    assert is_indexable(tmp_path / "page.html")
    assert list(indexable_pages(tmp_path)) == ["fr"]


def test_a_page_of_an_earlier_bundle_does_not_make_a_language_indexed(tmp_path: Path) -> None:
    write(tmp_path, "pagefind/index.html", "<html lang='fr'><body><main data-pagefind-body>x</main></body></html>")
    write(tmp_path, "en/page.html", "<html lang='en'><body><main data-pagefind-body>x</main></body></html>")
    assert list(indexable_pages(tmp_path)) == ["en"]


def test_one_bundle_lists_every_language_with_its_indexed_pages(indexed: tuple[Path, IndexReport]) -> None:
    site, report = indexed
    entry = json.loads((site / BUNDLE_FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    counts = {language: len(urls) for language, urls in EXPECTED_URLS.items()}
    assert {language: info["page_count"] for language, info in entry["languages"].items()} == counts
    assert list(entry["languages"]) == sorted(counts)
    assert report.pages_per_language == counts
    assert report.page_count == sum(counts.values())
    assert entry["version"] and entry["include_characters"]


def test_every_language_has_its_metadata_and_stemmer_and_the_scripts_are_shared(
    indexed: tuple[Path, IndexReport],
) -> None:
    site, _ = indexed
    bundle = site / BUNDLE_FOLDER
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        assert (bundle / f"pagefind.{info['hash']}.pf_meta").is_file()
        assert (bundle / f"wasm.{info['wasm']}.pagefind").is_file()
        assert info["wasm"] == language
        assert list(bundle.glob(f"index/{language}_*.pf_index"))
    assert all((bundle / name).is_file() for name in SHARED_FILES)
    assert len(list(bundle.glob("*.pf_meta"))) == 3
    check_bundle(bundle)


def test_results_link_to_the_original_urls_and_skip_unmarked_pages(indexed: tuple[Path, IndexReport]) -> None:
    site, _ = indexed
    urls: dict[str, set[str]] = {}
    for path in sorted((site / BUNDLE_FOLDER / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(PAGEFIND_SIGNATURE)
        fragment = json.loads(raw.removeprefix(PAGEFIND_SIGNATURE))
        urls.setdefault(path.name.split("_")[0], set()).add(fragment["url"])
        assert "¶" not in fragment["content"]  # the exclude selector still applies
        assert fragment["meta"]["title"] not in {"Ancien index", "Fiche", "Essai", "Page introuvable"}
    assert urls == EXPECTED_URLS


def test_an_earlier_bundle_is_replaced_and_no_work_folder_is_left(indexed: tuple[Path, IndexReport]) -> None:
    site, _ = indexed
    assert not (site / BUNDLE_FOLDER / "stale.html").exists()
    assert [p.name for p in site.parent.iterdir()] == ["site"]


def test_indexing_again_writes_the_same_bytes(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    index_site(site)
    first = bundle_bytes(site)
    index_site(site)
    assert bundle_bytes(site) == first


def test_a_language_without_indexed_pages_gets_no_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", page("fr", "Accueil"))
    write(site, "en/index.html", page("en", "Home"))
    write(site, "ar/index.html", page("ar", "Essai", indexed=False, text_language="fr"))
    assert index_site(site).pages_per_language == {"en": 1, "fr": 1}
    bundle = site / BUNDLE_FOLDER
    assert not [p for p in bundle.rglob("*") if p.name.startswith(("ar_", "pagefind.ar_", "wasm.ar."))]


def test_a_site_without_indexed_pages_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", page("fr", "Accueil", indexed=False))
    with pytest.raises(IndexingFailed, match="nothing to index"):
        index_site(site)
    assert not (site / BUNDLE_FOLDER).exists()


def test_a_page_whose_language_differs_from_its_folder_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(site, "index.html", page("fr", "Accueil"))
    write(site, "en/index.html", page("fr", "Accueil égaré"))
    with pytest.raises(IndexingFailed, match="indexed by two runs"):
        index_site(site)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def fake_run(folder: Path, language: str, version: str = "1.5.2", script: str = "js") -> Path:
    entry = {"version": version, "languages": {language: {"hash": f"{language}_1", "wasm": language, "page_count": 1}}}
    write(folder, "pagefind-entry.json", json.dumps(entry))
    write(folder, "pagefind.js", script)
    write(folder, f"fragment/{language}_1.pf_fragment", language)
    return folder


def test_merging_refuses_runs_that_disagree(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    entry = merge_run(fake_run(tmp_path / "fr", "fr"), bundle, None)
    with pytest.raises(IndexingFailed, match=r"different pagefind\.js"):
        merge_run(fake_run(tmp_path / "en", "en", script="other js"), bundle, entry)
    with pytest.raises(IndexingFailed, match="disagree on version"):
        merge_run(fake_run(tmp_path / "ar", "ar", version="1.6.0"), bundle, entry)
    merged = merge_run(fake_run(tmp_path / "en2", "en"), bundle, entry)
    assert sorted(merged["languages"]) == ["en", "fr"]
    assert sorted(p.name for p in (bundle / "fragment").iterdir()) == ["en_1.pf_fragment", "fr_1.pf_fragment"]
