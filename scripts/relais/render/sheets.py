"""Printable referral sheets (one per city and language, filtered in the page) and coverage ("cartographie") pages.

Rendered with the directory page writer, so escaping, fallbacks and contact rules are the same; a confidential
service appears with its front door only. QR codes are inline SVG drawn here from zxing-cpp's module matrix, without
any network.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import zxingcpp

from relais.check.directory import is_stale
from relais.core.filewriter import make_folders, write_text
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
from relais.model.public import PublicDirectory, PublicService, services_by_city
from relais.render.coverage import CountryOverview, CoverageTable, country_overview, coverage_table, ordered_categories
from relais.render.csp import policy_for
from relais.render.pages import (
    GuideLink,
    PageSettings,
    Writer,
    _front_matter,
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
# The QR codes of a language's service pages, one file each, shared by every sheet: <lang root>/annuaire/qr/<id>.svg
QR_FOLDER = "qr"
QR_SCALE = 2  # intrinsic pixels per module; the print stylesheet sets the printed size of `.relais-qr`
# A gap of light modules then a run of dark ones, in zxing-cpp's image of the symbol (255 light, 0 dark).
GAP_AND_RUN = re.compile(rb"\xff*\x00+")


class RunCommands(dict[bytes, str]):
    """Path commands for a gap then a run along a row (`m2 0h3`), remembered: every code repeats the same few."""

    def __missing__(self, gap_and_run: bytes) -> str:
        run = len(gap_and_run.lstrip(b"\xff"))
        command = self[gap_and_run] = f"m{len(gap_and_run) - run} 0h{run}"
        return command


RUN_COMMANDS = RunCommands()


def qr_svg_file(url: str) -> tuple[str, int]:
    """The same code as a standalone SVG file, and its width in CSS pixels."""
    size, path = qr_symbol(url)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size * QR_SCALE}" '
        f'height="{size * QR_SCALE}"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path stroke="#000" d="{path}"/></svg>\n'
    ), size * QR_SCALE


def qr_symbol(url: str) -> tuple[int, str]:
    """The side of the code in modules (quiet zone included) and the path of its dark modules."""
    # A fixed mask skips the encoder's trial of all eight: 5x faster, the code as valid and as readable on paper.
    barcode = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=0)
    modules = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    return modules.shape[0] + 2 * QR_QUIET_ZONE, qr_path(modules)


def qr_path(modules: memoryview) -> str:
    """One 1-wide stroked line per run of dark modules in a row: `M` to the first run, then relative `m` moves."""
    width, pixels = modules.shape[1], modules.tobytes()
    commands: list[str] = []
    pen: tuple[int, int] | None = None
    for row in range(modules.shape[0]):
        runs = GAP_AND_RUN.findall(pixels, row * width, (row + 1) * width)
        if not runs:
            continue
        run = len(runs[0].lstrip(b"\xff"))
        x, y = QR_QUIET_ZONE + len(runs[0]) - run, row + QR_QUIET_ZONE
        # The stroke is centred on its line: y + 0.5 covers the module row from y to y + 1.
        commands.append(f"M{x} {y}.5h{run}" if pen is None else f"m{x - pen[0]} {y - pen[1]}h{run}")
        commands += map(RUN_COMMANDS.__getitem__, runs[1:])
        pen = (QR_QUIET_ZONE + sum(map(len, runs)), y)
    return "".join(commands)


def sheet_document(language: str, title: str, body: str) -> str:
    """A standalone page: written straight into the site (no theme, no navigation, no search, no script).

    Sheets live at <lang root>/annuaire/<cc>/<city>/<sheet>/index.html, four folders below the language root."""
    up = "../" * (4 if language == DEFAULT_LANGUAGE else 5)
    return (
        f'<!doctype html>\n<html lang="{escape(language)}" dir="{DIRECTION.get(language, "ltr")}">\n<head>\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy_for("")}">\n'
        f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<title>{escape(title)} - Relais</title>\n"
        f'<link rel="icon" href="{up}{FAVICON}">\n'
        f'<link rel="stylesheet" href="{up}{PRINT_CSS}">\n<link rel="stylesheet" href="{up}{FILTERS_CSS}">\n'
        f'</head>\n<body>\n<main class="relais-sheet">\n{body}\n</main>\n'
        "</body>\n</html>\n"
    )


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
        self.articles: dict[tuple[str, str], str] = {}
        self.qr_dir = qr_dir
        self.qr_files: list[Path] = []

    def sheet_service(self, service: PublicService, site_url: str) -> str:
        """A service's article, rendered once: it is on its city's sheet and on every filtered sheet it matches."""
        key = (service.id, site_url)
        if key not in self.articles:
            self.articles[key] = self.sheet_article(service, site_url)
        return self.articles[key]

    def sheet_article(self, service: PublicService, site_url: str) -> str:
        t = self.t
        rows: list[str] = []
        if service.organization.name:
            rows.append(
                f"<li><strong>{escape(t['organization'])}</strong>{self.colon}"
                f"{self.text(service.organization.name)}</li>"
            )
        if service.status != "active":
            rows.append(
                f"<li><strong>{escape(t['status'])}</strong>{self.colon}{escape(t[f'status_{service.status}'])}</li>"
            )
        if service.confidential:
            door = service.front_door
            rows.append(
                f"<li><strong>{escape(t['confidential_title'])}</strong>{self.colon}"
                f"{self.text(door.description if door else {})}</li>"
            )
            if door:
                rows += self.phone_items(door.phones, service.country)
                rows += self.email_item(door.email)
        else:
            rows += self.phone_items(service.phones, service.country)
            rows += self.email_item(service.email)
            if service.mobile:
                rows.append(
                    f"<li><strong>{escape(t['service_area'])}</strong>{self.colon}{self.text(service.mobile_area)}</li>"
                )
        rows.append(f"<li><strong>{escape(t['hours'])}</strong>{self.colon}{self.hours(service)}</li>")
        languages = self.comma.join(escape(self.language_name(code)) for code in service.languages)
        rows.append(
            f"<li><strong>{escape(t['languages'])}</strong>{self.colon}{languages or escape(t['not_stated'])}</li>"
        )
        method = service.referral.method
        if method:
            rows.append(f"<li><strong>{escape(t['how_to_refer'])}</strong>{self.colon}{self.text(method)}</li>")
        rows.append(f"<li>{self.verification_line(service)}</li>")
        terms = "".join(
            f' data-relais-{kind}="{escape(" ".join(getattr(service, kind)))}"'
            for kind in ("categories", "populations")
        )
        return (
            f'<article class="relais-sheet__service"{terms}><div class="relais-sheet__qr">'
            f"{self.qr_image(service, site_url)}</div><h3>{self.text(service.name)}</h3><ul>{''.join(rows)}</ul>"
            "</article>"
        )

    def qr_image(self, service: PublicService, site_url: str) -> str:
        """The service page's QR code, written once per language as a file every sheet shows: inline, the same
        code was repeated on each filtered sheet, three quarters of the sheets' weight."""
        assert self.qr_dir is not None, "a writer of sheets is given the folder of their QR codes"
        svg, width = qr_svg_file(absolute_url(site_url, self.language, service_path(service.id)))
        self.qr_files.append(write_text(self.qr_dir / f"{service.id}.svg", svg))
        name = service.text("name", self.language)[0]
        return (
            f'<img class="relais-qr" src="../../../{QR_FOLDER}/{escape(service.id)}.svg" alt="{escape(name)}" '
            f'width="{width}" height="{width}">'
        )

    def language_name(self, code: str) -> str:
        return language_name(code, self.language)

    def verification_line(self, service: PublicService) -> str:
        day = service.verified_on
        if day is None:
            return ""
        stale = f" <strong>{escape(self.t['stale_short'])}</strong>" if is_stale(day, self.settings.as_of) else ""
        return f"{escape(self.t['verified_short'])}{self.colon}{self.date(day)}{stale}"

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
        header = (
            f'<header class="relais-sheet__header"><h1>{escape(title)}</h1>{only}'
            f"<p>{escape(t['sheet_built'])}{self.colon}{self.date(self.settings.as_of)} · "
            f"{escape(t['data_version'])}{self.colon}<bdi>{escape(data_version)}</bdi></p>"
            f'<p class="relais-sheet__screen-only"><a href="../">{escape(t["back_to_city"])}</a> · '
            f"{escape(t['print_hint'])}</p></header>"
        )
        groups = self.primary_groups(services)
        root = up_to_language_root(city_path(country.code, city.slug) + f"{SHEETS_FOLDER}/")
        body = [*targets, header, self.emergency_card(city, root, on_paper=True)]
        if not services:
            body.append(f"<p>{escape(t['no_service'])}</p>")
        for category, members in groups:
            items = "".join(self.sheet_service(s, site_url) for s in members)
            body.append(
                f'<section class="relais-sheet__group"><h2>{self.label(category, "categories")} '
                f"<small>({escape(self.layer_text(category))})</small></h2>{items}</section>"
            )
        return sheet_document(self.language, title, "\n".join(body))

    def filter_parts(self, services: list[PublicService]) -> tuple[list[str], str]:
        """The sheet's filter targets (empty elements that `#categorie-<id>` and `#public-<id>` point at, before
        everything they filter) and the line saying what a filtered sheet shows, hidden unless filtered."""
        categories, populations = sheet_filters(services)
        terms = [("categories", c) for c in categories] + [("populations", p) for p in populations]
        targets = [
            f'<span class="relais-sheet__filter" id="{escape(sheet_filter_id(k, term))}"></span>' for k, term in terms
        ]
        if not terms:
            return [], ""
        labels = "".join(
            f'<span data-relais-for="{escape(sheet_filter_id(kind, term))}">'
            f"{escape(self.t['sheet_only'].format(label=self.label_text(term, kind)))}</span>"
            for kind, term in terms
        )
        show_all = f'<a class="relais-sheet__screen-only" href="./">{escape(self.t["sheet_show_all"])}</a>'
        return targets, f'<p class="relais-sheet__only"><strong>{labels}</strong> {show_all}</p>'

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
    def coverage_cell(self, fresh: int, stale: int) -> str:
        if fresh == 0 and stale == 0:
            return f'<td class="relais-gap">{escape(self.t["gap"])}</td>'
        stale_text = f" <small>{escape(self.t['stale_count'].format(count=stale))}</small>" if stale else ""
        return f"<td>{fresh}{stale_text}</td>"

    def coverage_table_html(self, table: CoverageTable) -> str:
        head = "".join(f'<th scope="col">{self.label(p, "populations")}</th>' for p in table.populations)
        rows = []
        current_layer = None
        for category in table.categories:
            term = self.directory.vocabulary.categories[category]
            if term.layer != current_layer:
                current_layer = term.layer
                label = in_language(self.directory.vocabulary.layers.get(term.layer or 0, {}), self.language)[0]
                rows.append(
                    f'<tr><th colspan="{len(table.populations) + 1}" scope="rowgroup">'
                    f"{escape(self.t['layer_heading'].format(layer=term.layer, label=label))}</th></tr>"
                )
            cells = "".join(
                self.coverage_cell(table.fresh[(category, p)], table.stale[(category, p)]) for p in table.populations
            )
            rows.append(f'<tr><th scope="row">{self.label(category, "categories")}</th>{cells}</tr>')
        return (
            f'<div class="relais-table-scroll"><table class="relais-coverage"><thead><tr>'
            f'<th scope="col">{escape(self.t["categories"])}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    def city_coverage_page(self, country: Country, city: City, table: CoverageTable, csv_url: str) -> str:
        t = self.t
        title = t["coverage_title"].format(place=city.name_in(self.language))
        recommendations = city.recommendations.get(self.language) or city.recommendations.get("fr") or []
        in_french = self.language != "fr" and not city.recommendations.get(self.language) and recommendations
        lang_attr = ' lang="fr" dir="ltr"' if in_french else ""
        if recommendations:
            items = "".join(f"<li{lang_attr}>{escape(str(r))}</li>" for r in recommendations)
            recommendation_html = f"<ul>{items}</ul>"
        else:
            recommendation_html = f"<p>{escape(t['no_recommendation'])}</p>"
        body = (
            f"<h1>{escape(title)}</h1><p>{escape(t['coverage_intro'])}</p>"
            f'<p><a href="../">{escape(t["back_to_city"])}</a> · <a href="{escape(csv_url)}">'
            f"{escape(t['download_csv'])}</a></p>"
            f"{self.coverage_table_html(table)}"
            f"<h2>{escape(t['recommendations'])}</h2>{recommendation_html}"
        )
        return _front_matter(title, title, {"relais_kind": "coverage", "template": "relais-directory.html"}) + (
            f'<div class="relais-coverage-page">\n{body}\n</div>\n'
        )

    def country_coverage_page(self, country: Country, overview: CountryOverview, csv_url: str) -> str:
        t = self.t
        title = t["coverage_title"].format(place=country.name_in(self.language))
        head = "".join(
            f'<th scope="col">{escape(t["layer_heading"].format(layer=layer, label=self.layer_label(layer)))}</th>'
            for layer in overview.layers
        )
        rows = "".join(
            f'<tr><th scope="row"><a href="../{escape(slug)}/couverture/">'
            f"{escape(country.cities[slug].name_in(self.language))}</a></th>"
            + "".join(
                self.coverage_cell(overview.fresh[(slug, layer)], overview.stale[(slug, layer)])
                for layer in overview.layers
            )
            + "</tr>"
            for slug in sorted(overview.cities, key=lambda s: country.cities[s].name_in(self.language))
        )
        body = (
            f"<h1>{escape(title)}</h1><p>{escape(t['overview_intro'])}</p>"
            f'<p><a href="../">{escape(country.name_in(self.language))}</a> · <a href="{escape(csv_url)}">'
            f"{escape(t['download_csv'])}</a></p>"
            f'<div class="relais-table-scroll"><table class="relais-coverage"><thead><tr>'
            f'<th scope="col">{escape(t["cities"])}</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
        )
        return _front_matter(title, title, {"relais_kind": "coverage", "template": "relais-directory.html"}) + (
            f'<div class="relais-coverage-page">\n{body}\n</div>\n'
        )

    def layer_label(self, layer: int) -> str:
        return in_language(self.directory.vocabulary.layers.get(layer, {}), self.language)[0]


def write_coverage_pages(directory: PublicDirectory, out_dir: Path, settings: PageSettings) -> list[Path]:
    """Coverage pages (Markdown, built by the engine) for every country and city, in every language."""
    written: list[Path] = []
    by_city = services_by_city(directory)
    for language in LANGUAGES:
        writer = SheetWriter(directory, language, settings)
        suffix = "" if language == DEFAULT_LANGUAGE else f".{language}"
        up_to_root = "../" * (4 if language == DEFAULT_LANGUAGE else 5)  # from annuaire/cc/city/couverture/
        for code, country in directory.countries.items():
            cc = code.lower()
            overview = country_overview(directory, code, settings.as_of)
            csv_url = f"{up_to_root[3:]}{COVERAGE_CSV_FOLDER}/{cc}.csv"
            written.append(
                write_text(
                    out_dir / f"{cc}/couverture{suffix}.md", writer.country_coverage_page(country, overview, csv_url)
                )
            )
            for slug, city in country.cities.items():
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
