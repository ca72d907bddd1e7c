"""Referral sheets and coverage tables built from the fictitious fixtures (issue 9)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from PIL import Image

from relais.model.public import public_directory
from support import AS_OF, BuiltSite

SITE_URL = "https://relais-hub.github.io/relais/"


def sheet(site: BuiltSite, place: str, name: str = "index", root: str = "") -> str:
    return site.html(f"{root}annuaire/{place}/imprimer/{name}.html")


def qr_codes(html: str, page_dir: Path) -> list[str]:
    """Decode every QR code a sheet shows ("" for one that does not read)."""
    sources = re.findall(r'<img class="relais-qr" src="([^"]+)" alt="[^"]+" width="\d+" height="\d+">', html)
    assert sources and len(sources) == html.count('class="relais-sheet__service"')
    return [qr_text((page_dir / source).read_bytes()) for source in sources]


def qr_image(png: bytes) -> np.ndarray:
    """The PNG decoded by Pillow, as grey levels (0 dark, 255 light)."""
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.mode == "1"
        return np.array(image.convert("L"))


def qr_text(png: bytes) -> str:
    texts = [found.text for found in zxingcpp.read_barcodes(qr_image(png))]
    return texts[0] if len(texts) == 1 else ""


def test_qr_code_of_a_long_arabic_page_url_decodes_to_that_url() -> None:
    from relais.render.sheets import QR_PIXELS_PER_MODULE, QR_SCALE, qr_png_file

    url = (
        f"{SITE_URL}ar/annuaire/services/"
        "ml-bamako-soutien-psychosocial-et-orientation-des-personnes-migrantes-de-retour-centre-de-transit/"
    )
    png, width = qr_png_file(url)
    assert qr_text(png) == url
    image = qr_image(png)
    side = image.shape[0] // QR_PIXELS_PER_MODULE
    assert image.shape == (side * QR_PIXELS_PER_MODULE,) * 2 and width == side * QR_SCALE
    assert len(png) < 1000  # a quarter of the SVG it replaced
    modules = image[::QR_PIXELS_PER_MODULE, ::QR_PIXELS_PER_MODULE]
    blocks = image.reshape(side, QR_PIXELS_PER_MODULE, side, QR_PIXELS_PER_MODULE)
    assert (blocks == modules[:, None, :, None]).all()  # every module a square of one colour
    dark = np.argwhere(modules == 0)
    assert dark.min(axis=0).tolist() == [4, 4]  # the standard quiet zone above and before the symbol ...
    assert (side - 1 - dark.max(axis=0)).tolist() == [4, 4]  # ... and below and after it


def test_each_service_is_rendered_once_per_language(built_site: BuiltSite, tmp_path, monkeypatch) -> None:
    from datetime import date

    from relais.model.directory import load_directory
    from relais.pipeline.build import page_settings
    from relais.render import sheets

    directory, _ = load_directory(built_site.project)
    settings = page_settings(built_site.project, date(2026, 11, 23))
    made: list[str] = []
    monkeypatch.setattr(sheets, "qr_png_file", lambda url: (made.append(url) or b"", 10))
    directory = public_directory(directory)
    written = sheets.write_print_sheets(directory, tmp_path, settings)
    shown = sum(path.read_text(encoding="utf-8").count('class="relais-sheet__service"') for path in written)
    listed = [s for s in directory.services if s.status in sheets.SHEET_STATUSES]
    assert shown >= len(listed) * 3  # on the sheet of every city it serves ...
    assert len(made) == len(set(made)) == len(listed) * 3  # ... its QR code made once per language


def test_city_sheet_lists_every_active_service_of_the_city_in_each_language(built_site: BuiltSite) -> None:
    for root in ("", "en/", "ar/"):
        casablanca = sheet(built_site, "ma/casablanca", root=root)
        assert "TEST" in casablanca
        assert casablanca.count('class="relais-sheet__service"') == 2
        kayes = sheet(built_site, "ml/kayes", root=root)
        assert kayes.count('class="relais-sheet__service"') == 1  # the mobile team based in Kita covers Kayes
        bamako = sheet(built_site, "ml/bamako", root=root)
        assert bamako.count('class="relais-sheet__service"') == 1  # temporarily closed, still listed with its status


def test_sheet_header_has_city_build_date_and_data_version(built_site: BuiltSite) -> None:
    html = sheet(built_site, "ma/casablanca", root="en/")
    assert "Casablanca, Morocco" in html
    assert f'<time datetime="{AS_OF.isoformat()}">' in html
    assert re.search(r"data version: <bdi>[0-9a-f]{10}</bdi>", html)
    assert 'lang="en" dir="ltr"' in html
    assert 'lang="ar" dir="rtl"' in sheet(built_site, "ma/casablanca", root="ar/")


def test_sheet_is_standalone_without_navigation_search_or_script(built_site: BuiltSite) -> None:
    html = sheet(built_site, "ma/casablanca")
    assert "<script" not in html and "md-nav" not in html and 'role="search"' not in html
    assert 'href="../../../../assets/relais-print.css"' in html
    assert (built_site.site / "assets" / "relais-print.css").is_file()
    assert "data-pagefind-body" not in html


def test_confidential_service_appears_with_its_front_door_only(built_site: BuiltSite) -> None:
    html = sheet(built_site, "ma/casablanca")
    entry = next(part for part in html.split('class="relais-sheet__service"') if "Hébergement protégé" in part)
    assert "tel:+212522999904" in entry and "orientation@example.org" in entry
    assert "openstreetmap" not in entry and "Adresse" not in entry


def test_every_qr_code_points_to_its_service_page(built_site: BuiltSite) -> None:
    html = sheet(built_site, "ma/casablanca", root="ar/")
    codes = qr_codes(html, built_site.site / "ar/annuaire/ma/casablanca/imprimer")
    assert sorted(codes) == [
        f"{SITE_URL}ar/annuaire/services/test-centre-ecoute/",
        f"{SITE_URL}ar/annuaire/services/test-refuge-confidentiel/",
    ]


def test_one_sheet_per_city_filtered_in_the_page_by_category_and_population(built_site: BuiltSite) -> None:
    folder = built_site.site / "annuaire/ma/casablanca/imprimer"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html"], "no file per filter"
    html = sheet(built_site, "ma/casablanca", root="en/")
    assert '<span class="relais-sheet__filter" id="public-enfants-non-accompagnes"></span>' in html
    assert '<span class="relais-sheet__filter" id="categorie-hebergement-urgence"></span>' in html
    assert html.index('id="public-enfants-non-accompagnes"') < html.index('class="relais-sheet__header"')
    children = [
        a for a in html.split("<article")[1:] if re.search(r'data-relais-populations="[^"]*\benfants-non-acc', a)
    ]
    assert len(children) == 1 and "listening centre" in children[0].lower()
    assert (
        '<span data-relais-for="public-enfants-non-accompagnes">Only: Unaccompanied and separated children</span>'
        in html
    )
    city = built_site.html("annuaire/ma/casablanca/index.html")
    assert 'href="imprimer/"' in city and 'href="imprimer/#public-enfants-non-accompagnes"' in city


def test_the_filter_stylesheet_has_rules_for_every_term_of_the_taxonomy(built_site: BuiltSite) -> None:
    from relais.model.directory import load_directory

    css = (built_site.site / "assets/relais-sheet-filters.css").read_text(encoding="utf-8")
    directory = public_directory(load_directory(built_site.project)[0])
    for kind, prefix, terms in (
        ("categories", "categorie", directory.vocabulary.categories),
        ("populations", "public", directory.vocabulary.populations),
    ):
        for term in terms:
            hidden = f'.relais-sheet__service:not([data-relais-{kind}~="{term}"])'
            assert f"#{prefix}-{term}:target ~ .relais-sheet__group {hidden}" in css
    for root in ("", "en/", "ar/"):
        assert 'href="../../../../' in sheet(built_site, "ma/casablanca", root=root)
        assert "assets/relais-sheet-filters.css" in sheet(built_site, "ma/casablanca", root=root)


def coverage_cells(html: str, category_label: str) -> list[str]:
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(category_label)}</th>(.*?)</tr>", html)
    assert row, category_label
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))


def test_city_coverage_counts_active_services_and_marks_gaps(built_site: BuiltSite) -> None:
    html = built_site.html("en/annuaire/ma/casablanca/couverture/index.html")
    populations = re.findall(r'<th scope="col">(.*?)</th>', html)[1:]
    individual = dict(zip(populations, coverage_cells(html, "Individual psychosocial support"), strict=True))
    assert individual["Migrants"] == "1"
    assert individual["Unaccompanied and separated children"] == "1"
    assert individual["Victims of trafficking"] == "gap"
    assert 'class="relais-gap"' in html
    bamako = built_site.html("annuaire/ml/bamako/couverture/index.html")
    assert 'class="relais-gap">lacune<' in bamako and ">1<" not in bamako  # its only service is temporarily closed


def test_stale_services_are_counted_apart(built_site: BuiltSite) -> None:
    from datetime import date

    from relais.model.directory import load_directory
    from relais.render.coverage import coverage_table

    directory = public_directory(load_directory(built_site.project)[0])
    later = coverage_table(directory, [s for s in directory.services if s.city == "kita"], date(2028, 1, 1))
    assert later.fresh[("premiers-secours-psychologiques", "migrants-de-retour")] == 0
    assert later.stale[("premiers-secours-psychologiques", "migrants-de-retour")] == 1


def test_country_overview_and_csv_downloads(built_site: BuiltSite) -> None:
    html = built_site.html("annuaire/ml/couverture/index.html")
    assert 'href="../kita/couverture/"' in html
    rows = list(csv.DictReader(io.StringIO((built_site.site / "exports/couverture/ml.csv").read_text("utf-8-sig"))))
    by_city = {row["city"]: row for row in rows}
    assert by_city["kita"]["layer_3_active"] == "1" and by_city["kayes"]["layer_3_active"] == "1"
    assert by_city["bamako"]["layer_2_active"] == "0"
    city = list(
        csv.DictReader(io.StringIO((built_site.site / "exports/couverture/ma-casablanca.csv").read_text("utf-8-sig")))
    )
    assert {r["category"]: r["migrants_active"] for r in city}["soutien-psychosocial-individuel"] == "1"
    assert 'href="../../../../exports/couverture/ma-casablanca.csv"' in built_site.html(
        "annuaire/ma/casablanca/couverture/index.html"
    )


@pytest.mark.browser
def test_arabic_sheet_renders_to_a_pdf_with_arabic_text(built_site: BuiltSite, tmp_path) -> None:
    import shutil

    from pypdf import PdfReader

    from relais.site.pdf import write_city_pdfs

    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    written = write_city_pdfs(site)
    assert len(written) == 15  # 5 cities x 3 languages
    reader = PdfReader(site / "pdf" / "ar-ma-casablanca.pdf")
    assert len(reader.pages) == 1
    text = "".join(page.extract_text() for page in reader.pages)
    assert re.search(r"[\u0600-\u06FF]{3,}", text)
    assert "212" in text
    # The QR codes reach the paper as they were drawn and still read: the sheet's two Casablanca services.
    codes = []
    for image in reader.pages[0].images:
        found = zxingcpp.read_barcodes(np.array(image.image.convert("L")))
        codes += [code.text for code in found]
    assert len(codes) == 2 and all(code.startswith(f"{SITE_URL}ar/annuaire/services/") for code in codes), codes


def test_city_recommendations_from_places_data_show_under_the_table_with_a_french_fallback() -> None:
    from datetime import date

    from relais.model.directory import City, Country, Directory, Term, Vocabulary
    from relais.render.coverage import CoverageTable
    from relais.render.pages import PageSettings
    from relais.render.sheets import SheetWriter

    city = City(
        "ville-test",
        "MA",
        {"fr": "Ville-Test"},
        "Africa/Casablanca",
        {"fr": ["Ouvrir une permanence fictive le samedi."], "en": ["Open a fictitious Saturday desk."]},
    )
    country = Country("MA", {"fr": "Maroc"}, {"ville-test": city})
    vocabulary = Vocabulary(
        layers={3: {"fr": "Soutiens ciblés"}},
        categories={"gestion-de-cas": Term("gestion-de-cas", {"fr": "Gestion de cas"}, 3)},
        populations={"migrants": Term("migrants", {"fr": "Personnes migrantes"})},
    )
    directory = public_directory(Directory(vocabulary=vocabulary, countries={"MA": country}))
    table = CoverageTable(["gestion-de-cas"], ["migrants"])
    settings = PageSettings(repo_url="", as_of=date(2026, 11, 23))
    english = SheetWriter(directory, "en", settings).city_coverage_page(country, city, table, "x.csv")
    assert "<li>Open a fictitious Saturday desk.</li>" in english
    arabic = SheetWriter(directory, "ar", settings).city_coverage_page(country, city, table, "x.csv")
    assert '<li lang="fr" dir="ltr">Ouvrir une permanence fictive le samedi.</li>' in arabic
    assert 'class="relais-gap"' in arabic
