"""Printable referral sheets (one per city and language, filtered in the page) and coverage ("cartographie") pages.

Rendered with the directory page writer, so escaping (relais.render.markup), fallbacks and contact rules are the
same; a confidential service appears with its front door only. QR codes are 1-bit PNG files drawn here from
zxing-cpp's module matrix, without any network.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import zxingcpp

from relais.check.directory import is_stale
from relais.core.filewriter import make_folders, write_bytes, write_text
from relais.i18n.language_names import language_name
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, DIRECTION, LANGUAGES
from relais.model.directory import City, Country, in_language
from relais.model.layout import (
    COVERAGE_CSV_FOLDER,
    SHEETS_FOLDER,
    absolute_url,
    city_path,
    service_path,
    up_to_language_root,
)
from relais.model.public import EVERY_PLACE, Places, PublicDirectory, PublicService, services_by_city
from relais.render.coverage import CountryOverview, CoverageTable, country_overview, coverage_table, ordered_categories
from relais.render.csp import with_csp_meta
from relais.render.markup import EMPTY, Markup, escaped, html, join
from relais.render.pages import (
    GuideLink,
    PageSettings,
    Writer,
    _front_matter,
    page_source,
    sheet_filter_id,
    sheet_filters,
)

PRINT_CSS = "assets/relais-print.css"
FAVICON = "assets/images/favicon.png"  # the theme's: without it the browser asks for /favicon.ico, outside the site
# Written by the build from the taxonomy: the rules that filter a sheet to one category or population.
FILTERS_CSS = "assets/relais-sheet-filters.css"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Sheets go on paper to the field: services that can take someone (defunct and inactive ones are left out).
SHEET_STATUSES = {"active", "temporarily closed"}
QR_QUIET_ZONE = 4  # modules of white around the symbol, as the QR standard asks
# The QR codes of a language's service pages, one file each, shared by every sheet: <lang root>/annuaire/qr/<id>.png
QR_FOLDER = "qr"
QR_SCALE = 2  # CSS pixels per module on screen; the print stylesheet sets the printed size of `.relais-qr`
# Image pixels per module: about 380 dpi at the printed 24 mm, so the code stays sharp on paper however the browser
# scales it, and one module is one byte of the 1-bit image (`qr_rows`). A PNG of the code is about 0.5 KB, a quarter
# of the SVG path it replaced: 30,000 files at 10,000 services.
QR_PIXELS_PER_MODULE = 8  # not a free setting: `qr_rows` relies on it
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_GREYSCALE_1_BIT = struct.pack(">BBBBB", 1, 0, 0, 0, 0)  # bit depth, colour type, compression, filter, interlace


def qr_png_file(url: str) -> tuple[bytes, int]:
    """The service page's QR code as a PNG file, and its width in CSS pixels."""
    # A fixed mask skips the encoder's trial of all eight: 5x faster, the code as valid and as readable on paper.
    barcode = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=0)
    modules = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    side = modules.shape[0] + 2 * QR_QUIET_ZONE
    return png_greyscale_1_bit(qr_rows(modules), side * QR_PIXELS_PER_MODULE), side * QR_SCALE


def qr_rows(modules: memoryview) -> bytes:
    """The image's rows as PNG scanlines: filter byte 0, then one bit a pixel, 1 for light. At 8 pixels a module,
    a module is one byte, as zxing-cpp's matrix already holds it (255 light, 0 dark): each row of modules, quiet
    zone added, is one scanline, repeated 8 times."""
    width, pixels = modules.shape[1], modules.tobytes()
    quiet = b"\xff" * QR_QUIET_ZONE
    light = b"\x00" + b"\xff" * (width + 2 * QR_QUIET_ZONE)
    rows = [light * (QR_QUIET_ZONE * QR_PIXELS_PER_MODULE)]
    for start in range(0, width * modules.shape[0], width):
        rows.append((b"\x00" + quiet + pixels[start : start + width] + quiet) * QR_PIXELS_PER_MODULE)
    rows.append(light * (QR_QUIET_ZONE * QR_PIXELS_PER_MODULE))
    return b"".join(rows)


def png_greyscale_1_bit(scanlines: bytes, side: int) -> bytes:
    """A square black and white PNG image from its scanlines."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">II", side, side) + PNG_GREYSCALE_1_BIT
    return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(scanlines)) + chunk(b"IEND", b"")


def sheet_document(language: str, title: str, body: Markup) -> str:
    """A standalone page: written straight into the site (no theme, no navigation, no search, no script).

    Sheets live at <lang root>/annuaire/<cc>/<city>/<sheet>/index.html, four folders below the language root."""
    up = "../" * (4 if language == DEFAULT_LANGUAGE else 5)
    document = html(
        '<!doctype html>\n<html lang="{language}" dir="{direction}">\n<head>\n'
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        "<title>{title} - Relais</title>\n"
        '<link rel="icon" href="{up}{favicon}">\n'
        '<link rel="stylesheet" href="{up}{print_css}">\n<link rel="stylesheet" href="{up}{filters_css}">\n'
        '</head>\n<body>\n<main class="relais-sheet">\n{body}\n</main>\n'
        "</body>\n</html>\n",
        language=language,
        direction=DIRECTION.get(language, "ltr"),
        title=title,
        up=up,
        favicon=FAVICON,
        print_css=PRINT_CSS,
        filters_css=FILTERS_CSS,
        body=body,
    )
    return with_csp_meta(str(document))


def sheet_path() -> str:
    """Below the city's folder. One sheet per city: `imprimer/#categorie-<id>` and `imprimer/#public-<id>` show
    it filtered (CSS `:target`, no script), where a file per filter repeated each service about four times (a
    fifth of the site's weight)."""
    return f"{SHEETS_FOLDER}/index.html"


def filters_stylesheet(directory: PublicDirectory) -> str:
    """For each category and population of the taxonomy: when the sheet's address ends in its fragment, hide the
    services (and the sections left empty) that do not match, and say on the sheet what it shows."""
    rules = [".relais-sheet__only,\n.relais-sheet__only [data-relais-for] {\n  display: none;\n}"]
    vocabulary = directory.vocabulary
    for kind, terms in (("categories", vocabulary.categories), ("populations", vocabulary.populations)):
        for term_id in sorted(terms):
            if not SLUG.match(term_id):  # the taxonomy checks report it; never a selector built from it
                continue
            target = f"#{sheet_filter_id(kind, term_id)}:target"
            match = f'[data-relais-{kind}~="{term_id}"]'
            rules.append(
                f"{target} ~ .relais-sheet__header .relais-sheet__only,\n"
                f'{target} ~ .relais-sheet__header [data-relais-for="{sheet_filter_id(kind, term_id)}"] {{\n'
                "  display: block;\n}\n"
                f"{target} ~ .relais-sheet__group .relais-sheet__service:not({match}),\n"
                f"{target} ~ .relais-sheet__group:not(:has({match})) {{\n  display: none;\n}}"
            )
    return (
        "/* Generated by relais.render.sheets from directory/taxonomy.yml: do not edit. */\n" + "\n".join(rules) + "\n"
    )


class SheetWriter(Writer):
    """Adds print sheets and coverage tables to the directory writer of one language."""

    def __init__(
        self,
        directory: PublicDirectory,
        language: str,
        settings: PageSettings,
        guides: list[GuideLink] | None = None,
        qr_dir: Path | None = None,
    ) -> None:
        super().__init__(directory, language, settings, guides)
        self.articles: dict[tuple[str, str], Markup] = {}
        self.qr_dir = qr_dir
        self.qr_files: list[Path] = []

    def sheet_service(self, service: PublicService, site_url: str) -> Markup:
        """A service's article, rendered once: it is on its city's sheet and on every filtered sheet it matches."""
        key = (service.id, site_url)
        if key not in self.articles:
            self.articles[key] = self.sheet_article(service, site_url)
        return self.articles[key]

    def sheet_row(self, label: str, value: Markup | str) -> Markup:
        return html("<li><strong>{}</strong>{}{}</li>", label, self.colon, value)

    def sheet_article(self, service: PublicService, site_url: str) -> Markup:
        t = self.t
        rows: list[Markup] = []
        if service.organization.name:
            rows.append(self.sheet_row(t["organization"], self.text(service.organization.name)))
        if service.status != "active":
            rows.append(self.sheet_row(t["status"], t[f"status_{service.status}"]))
        if service.confidential:
            door = service.front_door
            rows.append(self.sheet_row(t["confidential_title"], self.text(door.description if door else {})))
            if door:
                rows += self.phone_items(door.phones, service.country)
                rows += self.email_item(door.email)
        else:
            rows += self.phone_items(service.phones, service.country)
            rows += self.email_item(service.email)
            if service.mobile:
                rows.append(self.sheet_row(t["service_area"], self.text(service.mobile_area)))
        rows.append(self.sheet_row(t["hours"], self.hours(service)))
        languages = join((self.language_name(code) for code in service.languages), self.comma)
        rows.append(self.sheet_row(t["languages"], languages or escaped(t["not_stated"])))
        method = service.referral.method
        if method:
            rows.append(self.sheet_row(t["how_to_refer"], self.text(method)))
        rows.append(html("<li>{}</li>", self.verification_line(service)))
        return html(
            '<article class="relais-sheet__service" data-relais-categories="{}" data-relais-populations="{}">'
            '<div class="relais-sheet__qr">{}</div><h3>{}</h3><ul>{}</ul></article>',
            " ".join(service.categories),
            " ".join(service.populations),
            self.qr_image(service, site_url),
            self.text(service.name),
            join(rows),
        )

    def qr_image(self, service: PublicService, site_url: str) -> Markup:
        """The service page's QR code, written once per language as a file every sheet shows: inline, the same
        code was repeated on each filtered sheet, three quarters of the sheets' weight."""
        assert self.qr_dir is not None, "a writer of sheets is given the folder of their QR codes"
        png, width = qr_png_file(absolute_url(site_url, self.language, service_path(service.id)))
        self.qr_files.append(write_bytes(self.qr_dir / f"{service.id}.png", png))
        name = service.text("name", self.language)[0]
        return html(
            '<img class="relais-qr" src="../../../{}/{}.png" alt="{}" width="{}" height="{}">',
            QR_FOLDER,
            service.id,
            name,
            width,
            width,
        )

    def language_name(self, code: str) -> str:
        return language_name(code, self.language)

    def verification_line(self, service: PublicService) -> Markup:
        day = service.verified_on
        if day is None:
            return EMPTY
        line = html("{}{}{}", self.t["verified_short"], self.colon, self.date(day))
        if is_stale(day, self.settings.as_of):
            return html("{} <strong>{}</strong>", line, self.t["stale_short"])
        return line

    def sheet(
        self,
        country: Country,
        city: City,
        services: list[PublicService],
        site_url: str,
        data_version: str,
    ) -> str:
        t = self.t
        place = f"{city.name_in(self.language)}{self.comma}{country.name_in(self.language)}"
        title = t["sheet_title"].format(place=place)
        targets, only = self.filter_parts(services)
        header = html(
            '<header class="relais-sheet__header"><h1>{}</h1>{}'
            "<p>{}{}{} · {}{}<bdi>{}</bdi></p>"
            '<p class="relais-sheet__screen-only"><a href="../">{}</a> · {}</p></header>',
            title,
            only,
            t["sheet_built"],
            self.colon,
            self.date(self.settings.as_of),
            t["data_version"],
            self.colon,
            data_version,
            t["back_to_city"],
            t["print_hint"],
        )
        groups = self.primary_groups(services)
        root = up_to_language_root(city_path(country.code, city.slug) + f"{SHEETS_FOLDER}/")
        body = [*targets, header, self.emergency_card(city, root, on_paper=True)]
        if not services:
            body.append(html("<p>{}</p>", t["no_service"]))
        for category, members in groups:
            body.append(
                html(
                    '<section class="relais-sheet__group"><h2>{} <small>({})</small></h2>{}</section>',
                    self.label(category, "categories"),
                    self.layer_text(category),
                    join(self.sheet_service(s, site_url) for s in members),
                )
            )
        return sheet_document(self.language, title, join(body, "\n"))

    def filter_parts(self, services: list[PublicService]) -> tuple[list[Markup], Markup]:
        """The sheet's filter targets (empty elements that `#categorie-<id>` and `#public-<id>` point at, before
        everything they filter) and the line saying what a filtered sheet shows, hidden unless filtered."""
        categories, populations = sheet_filters(services)
        terms = [("categories", c) for c in categories] + [("populations", p) for p in populations]
        targets = [
            html('<span class="relais-sheet__filter" id="{}"></span>', sheet_filter_id(k, term)) for k, term in terms
        ]
        if not terms:
            return [], EMPTY
        labels = join(
            html(
                '<span data-relais-for="{}">{}</span>',
                sheet_filter_id(kind, term),
                self.t["sheet_only"].format(label=self.label_text(term, kind)),
            )
            for kind, term in terms
        )
        show_all = html('<a class="relais-sheet__screen-only" href="./">{}</a>', self.t["sheet_show_all"])
        return targets, html('<p class="relais-sheet__only"><strong>{}</strong> {}</p>', labels, show_all)

    def primary_groups(self, services: list[PublicService]) -> list[tuple[str, list[PublicService]]]:
        """Each service once, under its first category in pyramid order (paper is precious)."""
        order = {c: i for i, c in enumerate(self.category_order())}
        groups: dict[str, list[PublicService]] = {}
        for service in sorted(services, key=lambda s: s.text("name", self.language)[0]):
            known = [c for c in service.categories if c in order]
            if known:
                groups.setdefault(min(known, key=order.__getitem__), []).append(service)
        return sorted(groups.items(), key=lambda item: order[item[0]])

    def category_order(self) -> list[str]:
        return ordered_categories(self.directory)

    # --- coverage ---------------------------------------------------------------------------------------
    def coverage_cell(self, fresh: int, stale: int) -> Markup:
        if fresh == 0 and stale == 0:
            return html('<td class="relais-gap">{}</td>', self.t["gap"])
        if stale:
            return html("<td>{} <small>{}</small></td>", fresh, self.t["stale_count"].format(count=stale))
        return html("<td>{}</td>", fresh)

    def coverage_table_html(self, table: CoverageTable) -> Markup:
        head = join(html('<th scope="col">{}</th>', self.label(p, "populations")) for p in table.populations)
        rows = []
        current_layer = None
        for category in table.categories:
            term = self.directory.vocabulary.categories[category]
            if term.layer != current_layer:
                current_layer = term.layer
                label = in_language(self.directory.vocabulary.layers.get(term.layer or 0, {}), self.language)[0]
                rows.append(
                    html(
                        '<tr><th colspan="{}" scope="rowgroup">{}</th></tr>',
                        len(table.populations) + 1,
                        self.t["layer_heading"].format(layer=term.layer, label=label),
                    )
                )
            cells = join(
                self.coverage_cell(table.fresh[(category, p)], table.stale[(category, p)]) for p in table.populations
            )
            rows.append(html('<tr><th scope="row">{}</th>{}</tr>', self.label(category, "categories"), cells))
        return html(
            '<div class="relais-table-scroll"><table class="relais-coverage"><thead><tr>'
            '<th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
            self.t["categories"],
            head,
            join(rows),
        )

    def city_coverage_page(self, country: Country, city: City, table: CoverageTable, csv_url: str) -> str:
        t = self.t
        title = t["coverage_title"].format(place=city.name_in(self.language))
        recommendations = city.recommendations.get(self.language) or city.recommendations.get("fr") or []
        in_french = self.language != "fr" and not city.recommendations.get(self.language) and recommendations
        if recommendations:
            items = join(
                html('<li lang="fr" dir="ltr">{}</li>' if in_french else "<li>{}</li>", str(r)) for r in recommendations
            )
            recommendation_html = html("<ul>{}</ul>", items)
        else:
            recommendation_html = html("<p>{}</p>", t["no_recommendation"])
        body = html(
            '<div class="relais-coverage-page">\n<h1>{}</h1><p>{}</p>'
            '<p><a href="../">{}</a> · <a href="{}">{}</a></p>{}<h2>{}</h2>{}\n</div>\n',
            title,
            t["coverage_intro"],
            t["back_to_city"],
            csv_url,
            t["download_csv"],
            self.coverage_table_html(table),
            t["recommendations"],
            recommendation_html,
        )
        meta = {"relais_kind": "coverage", "template": "relais-directory.html"}
        return page_source(_front_matter(title, title, meta), body)

    def country_coverage_page(self, country: Country, overview: CountryOverview, csv_url: str) -> str:
        t = self.t
        title = t["coverage_title"].format(place=country.name_in(self.language))
        head = join(
            html('<th scope="col">{}</th>', t["layer_heading"].format(layer=layer, label=self.layer_label(layer)))
            for layer in overview.layers
        )
        rows = join(
            html(
                '<tr><th scope="row"><a href="../{}/couverture/">{}</a></th>{}</tr>',
                slug,
                country.cities[slug].name_in(self.language),
                join(
                    self.coverage_cell(overview.fresh[(slug, layer)], overview.stale[(slug, layer)])
                    for layer in overview.layers
                ),
            )
            for slug in sorted(overview.cities, key=lambda s: country.cities[s].name_in(self.language))
        )
        body = html(
            '<div class="relais-coverage-page">\n<h1>{}</h1><p>{}</p>'
            '<p><a href="../">{}</a> · <a href="{}">{}</a></p>'
            '<div class="relais-table-scroll"><table class="relais-coverage"><thead><tr>'
            '<th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>\n</div>\n',
            title,
            t["overview_intro"],
            country.name_in(self.language),
            csv_url,
            t["download_csv"],
            t["cities"],
            head,
            rows,
        )
        meta = {"relais_kind": "coverage", "template": "relais-directory.html"}
        return page_source(_front_matter(title, title, meta), body)

    def layer_label(self, layer: int) -> str:
        return in_language(self.directory.vocabulary.layers.get(layer, {}), self.language)[0]


def write_coverage_pages(
    directory: PublicDirectory, out_dir: Path, settings: PageSettings, places: Places = EVERY_PLACE
) -> list[Path]:
    """Coverage pages (Markdown, built by the engine) of the countries and cities of `places`, in every language."""
    written: list[Path] = []
    by_city = services_by_city(directory)
    for language in LANGUAGES:
        writer = SheetWriter(directory, language, settings)
        suffix = "" if language == DEFAULT_LANGUAGE else f".{language}"
        up_to_root = "../" * (4 if language == DEFAULT_LANGUAGE else 5)  # from annuaire/cc/city/couverture/
        for code, country in directory.countries.items():
            if not places.has_country(code):
                continue
            cc = code.lower()
            overview = country_overview(directory, code, settings.as_of)
            csv_url = f"{up_to_root[3:]}{COVERAGE_CSV_FOLDER}/{cc}.csv"
            written.append(
                write_text(
                    out_dir / f"{cc}/couverture{suffix}.md", writer.country_coverage_page(country, overview, csv_url)
                )
            )
            for slug, city in country.cities.items():
                if not places.has_city(code, slug):
                    continue
                table = coverage_table(directory, by_city.get((code, slug), []), settings.as_of)
                csv_city = f"{up_to_root}{COVERAGE_CSV_FOLDER}/{cc}-{slug}.csv"
                written.append(
                    write_text(
                        out_dir / f"{cc}/{slug}/couverture{suffix}.md",
                        writer.city_coverage_page(country, city, table, csv_city),
                    )
                )
    return written


def write_print_sheets(directory: PublicDirectory, site_dir: Path, settings: PageSettings) -> list[Path]:
    """The referral sheet of every city, in every language, as HTML straight into the built site, the QR codes
    they show and the stylesheet that filters them. Returns the files written."""
    by_city = services_by_city(directory)
    roots = [(language, site_dir if language == DEFAULT_LANGUAGE else site_dir / language) for language in LANGUAGES]
    cities = [
        (code, country, slug, city)
        for code, country in directory.countries.items()
        for slug, city in country.cities.items()
    ]
    make_folders(
        [root / "annuaire" / QR_FOLDER for _, root in roots]
        + [root / "annuaire" / code.lower() / slug / SHEETS_FOLDER for _, root in roots for code, _, slug, _ in cities]
    )
    written = [write_text(site_dir / FILTERS_CSS, filters_stylesheet(directory))]
    for language, root in roots:
        writer = SheetWriter(directory, language, settings, qr_dir=root / "annuaire" / QR_FOLDER)
        for code, country, slug, city in cities:
            services = [s for s in by_city.get((code, slug), []) if s.status in SHEET_STATUSES]
            written += _write_city_sheets(writer, country, city, services, root / "annuaire" / code.lower() / slug)
        written += writer.qr_files
    return written


def _write_city_sheets(
    writer: SheetWriter, country: Country, city: City, services: list[PublicService], folder: Path
) -> list[Path]:
    """The city's sheet, filtered in the page by category and population."""
    site_url, version = writer.settings.site_url, writer.settings.data_version
    return [write_text(folder / sheet_path(), writer.sheet(country, city, services, site_url, version))]
