"""Directory pages built from the fictitious fixtures: what a referrer needs, in every language, and nothing hidden."""

from __future__ import annotations

import re
from pathlib import Path

from sitecheck import elements, is_indexed, page_language, pagefind_files
from support import FIXTURES, BuiltSite

REPO = Path(__file__).resolve().parent.parent

SERVICES = sorted(p.stem for p in (FIXTURES / "directory" / "services").rglob("*.yml"))
LANGUAGE_ROOTS = {"fr": "", "en": "en/", "ar": "ar/"}
TEL = re.compile(r"^tel:(\+[1-9][0-9]{6,14}|[0-9]{2,6})$")


def service_html(site: BuiltSite, service_id: str, language: str = "fr") -> str:
    return site.html(f"{LANGUAGE_ROOTS[language]}annuaire/services/{service_id}/index.html")


def test_every_service_has_a_page_in_every_language(built_site: BuiltSite) -> None:
    for language, root in LANGUAGE_ROOTS.items():
        built = sorted(p.parent.name for p in (built_site.site / root / "annuaire" / "services").glob("*/index.html"))
        assert built == SERVICES, language
        for service_id in SERVICES:
            assert page_language(service_html(built_site, service_id, language)) == language


def test_phone_links_are_e164_or_short_codes(built_site: BuiltSite) -> None:
    links = [
        e.attrs["href"]
        for service_id in SERVICES
        for e in elements(service_html(built_site, service_id))
        if e.tag == "a" and e.attrs.get("href", "").startswith("tel:")
    ]
    assert links and all(TEL.match(link) for link in links), links
    html = service_html(built_site, "test-centre-ecoute")
    assert 'href="tel:+212699999903"' in html  # written "06 99 99 99 03", a Moroccan mobile
    assert 'href="tel:15"' in html


def test_contacts_stay_left_to_right_in_arabic(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-centre-ecoute", "ar")
    for element in elements(html):
        href = element.attrs.get("href", "")
        if element.tag == "a" and (href.startswith(("tel:", "mailto:")) or href == "https://example.org/centre-ecoute"):
            assert element.attrs.get("dir") == "ltr", href


def test_confidential_service_shows_front_door_and_no_location(built_site: BuiltSite) -> None:
    for language in LANGUAGE_ROOTS:
        html = service_html(built_site, "test-refuge-confidentiel", language)
        assert "relais-confidential" in html
        assert "tel:+212522999904" in html
        assert "openstreetmap" not in html
        assert "mlat=" not in html


def test_stale_service_shows_an_unmistakable_warning_with_a_machine_readable_date(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-service-perime", "en")
    assert 'class="relais-stale" role="alert"' in html
    assert "not verified since" in html
    assert '<time datetime="2024-01-10">' in html
    fresh = service_html(built_site, "test-centre-ecoute", "en")
    assert "relais-stale" not in fresh
    assert '<time datetime="2026-10-01">' in fresh


def test_closed_service_says_so_before_anything_else(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-service-perime")
    service = html[html.index('<div class="relais-service">') :]
    assert service.index("Temporairement fermé") < service.index("relais-facts")


def test_untranslated_fields_fall_back_to_french_marked_as_such(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-service-perime", "ar")
    assert '<span lang="fr" dir="ltr">Groupe de parole fictif TEST (ancien)</span>' in html
    assert "(بالفرنسية)" in html


def test_opening_hours_are_in_words_in_the_readers_language(built_site: BuiltSite) -> None:
    assert "du lundi au vendredi de 08:30 à 16:30" in service_html(built_site, "test-centre-ecoute")
    assert "Tuesday and Thursday 14:00–17:00" in service_html(built_site, "test-service-perime", "en")
    assert "من الاثنين إلى الجمعة" in service_html(built_site, "test-centre-ecoute", "ar")


def test_city_page_lists_its_services_by_category_and_mobile_teams_covering_it(built_site: BuiltSite) -> None:
    html = built_site.html("annuaire/ma/casablanca/index.html")
    assert "Soutien psychosocial individuel" in html
    assert 'href="../../services/test-centre-ecoute/"' in html
    kayes = built_site.html("en/annuaire/ml/kayes/index.html")
    assert 'href="../../services/test-equipe-mobile/"' in kayes
    assert "mobile team based in Kita" in kayes


def test_directory_home_reaches_every_city_in_one_tap(built_site: BuiltSite) -> None:
    html = built_site.html("annuaire/index.html")
    for city in ("ma/casablanca/", "ma/rabat/", "ml/bamako/", "ml/kita/", "ml/kayes/"):
        assert f'href="{city}"' in html
    assert 'href="casablanca/"' in built_site.html("annuaire/ma/index.html")


def test_suggest_a_correction_opens_a_prefilled_issue(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-centre-ecoute")
    assert (
        "https://github.com/relais-hub/relais/issues/new?template=correct-service.yml&amp;service_id=test-centre-ecoute"
        in html
    )


def test_service_pages_carry_search_filters_and_sort_key(built_site: BuiltSite) -> None:
    for service_id in SERVICES:
        html = service_html(built_site, service_id, "en")
        filters = {
            e.attrs["data-pagefind-filter"].split(":")[0] for e in elements(html) if "data-pagefind-filter" in e.attrs
        }
        assert {"Countries", "Cities", "Categories", "IASC", "People served", "Status"} <= filters
        assert any(e.attrs.get("data-pagefind-sort", "").startswith("verified:") for e in elements(html))
    metas = b"".join(raw for path, raw in pagefind_files(built_site.site) if path.suffix == ".pf_meta")
    for key in ("Cities", "Villes", "المدن", "IASC"):
        assert key.encode() in metas


def test_generated_pages_have_no_edit_link_and_are_not_in_the_navigation(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-centre-ecoute")
    assert 'rel="edit"' not in html
    assert "test-equipe-mobile" not in html  # no other service named in the page (no full tree)
    assert is_indexed(html)


def test_guideline_page_lists_matching_services_city_by_city(built_site: BuiltSite) -> None:
    html = built_site.html("en/guides/equipes-mobiles/equipes-mobiles/index.html")
    box = html[html.index('class="admonition tip relais-refer"') :]
    box = box[: box.index("</aside>")]
    assert "Where to refer?" in box
    assert "<summary>Mali (2 cities)</summary>" in box
    assert '<strong><a href="../../../../en/annuaire/ml/kayes/">Kayes</a></strong>' in box
    assert '<strong><a href="../../../../en/annuaire/ml/kita/">Kita</a></strong>' in box
    assert 'href="../../../../en/annuaire/services/test-equipe-mobile/"' in box
    assert "test-service-perime" not in box  # other categories and populations
    assert "test-refuge-confidentiel" not in box


def test_guideline_without_match_points_to_the_directory(real_site: BuiltSite) -> None:
    html = real_site.html("guides/vbg/orientation-survivantes/index.html")
    assert "Aucun service correspondant" in html
    assert 'href="../../../annuaire/"' in html


def test_service_page_links_back_to_related_guidance(built_site: BuiltSite) -> None:
    html = service_html(built_site, "test-equipe-mobile", "en")
    assert "Guidance related to this service" in html
    assert 'href="../../../guides/equipes-mobiles/equipes-mobiles/"' in html


def test_the_refer_box_stays_small_when_a_country_has_many_matching_cities(tmp_path: Path) -> None:
    """At most a dozen cities per country, those with the most matches, then a link to all of them: the box does
    not grow with the directory (it was 212 KB of each guideline page at 10,000 services)."""
    from datetime import date

    from relais.core.project import Project
    from relais.model.directory import load_directory
    from relais.model.public import public_directory
    from relais.model.synthetic import write_synthetic_directory
    from relais.render.pages import REFER_CITIES_PER_COUNTRY, REFER_SERVICES_PER_CITY, PageSettings, Writer

    sizes = {}
    for services in (1500, 3000):
        folder = tmp_path / str(services)
        write_synthetic_directory(folder, services, seed=3)
        directory, _ = load_directory(Project.at(REPO).with_overrides(directory_dir=folder))
        public = public_directory(directory)
        writer = Writer(public, "fr", PageSettings(repo_url="", as_of=date(2026, 11, 23)))
        box = writer.refer_box(frozenset({"soutien-psychosocial-individuel"}), frozenset(), "../../../")
        sizes[services] = len(box)
        for details in box.split("<details")[1:]:
            assert details.count("<li>") <= REFER_CITIES_PER_COUNTRY + REFER_SERVICES_PER_CITY * 6 + 1
        assert 'href="../../../annuaire/ma/">Toutes les villes du pays (' in box
    assert sizes[3000] < sizes[1500] * 1.5, sizes  # listing every city with its services doubled it
