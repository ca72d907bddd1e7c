"""The data-quality page of each country (fr, en, ar): how fresh and how complete each city's listing is.

Renders `freshness.city_quality` figures with the directory page writer (same escaping, same frame); counts only.
"""

from __future__ import annotations

from pathlib import Path

from relais.check.freshness import CityQuality, city_quality
from relais.core.filewriter import write_text
from relais.i18n.ui_strings import LANGUAGES
from relais.model.layout import QUALITY_FOLDER, page_suffix
from relais.model.public import EVERY_PLACE, Places, PublicDirectory, services_by_city
from relais.render.markup import Markup, fill, html, join
from relais.render.pages import PageSettings, Writer, _front_matter, page_source

COLUMNS = ("quality_services", "quality_6", "quality_12", "quality_no_phone", "quality_no_hours", "quality_gaps")


def _total(rows: list[CityQuality], name: str) -> CityQuality:
    return CityQuality(
        city=name,
        services=sum(r.services for r in rows),
        verified_6_months=sum(r.verified_6_months for r in rows),
        verified_12_months=sum(r.verified_12_months for r in rows),
        without_phone=sum(r.without_phone for r in rows),
        without_hours=sum(r.without_hours for r in rows),
        categories_without_service=min((r.categories_without_service for r in rows), default=0),
    )


def _cells(row: CityQuality) -> list[Markup]:
    def counted(count: int) -> Markup:
        return html("{} <small>({} %)</small>", count, row.share(count)) if row.services else html("{}", count)

    return [
        html("{}", row.services),
        counted(row.verified_6_months),
        counted(row.verified_12_months),
        counted(row.without_phone),
        counted(row.without_hours),
        html("{}", row.categories_without_service),
    ]


def _row(heading: Markup | str, row: CityQuality) -> Markup:
    cells = join(html("<td>{}</td>", cell) for cell in _cells(row))
    return html('<tr><th scope="row">{}</th>{}</tr>', heading, cells)


def quality_page(writer: Writer, directory: PublicDirectory, country_code: str) -> str:
    t = writer.t
    country = directory.countries[country_code]
    by_city = services_by_city(directory)
    as_of = writer.settings.as_of
    cities = sorted(country.cities.values(), key=lambda c: c.name_in(writer.language))
    rows = [
        (city, city_quality(directory, by_city.get((country_code, city.slug), []), city.slug, as_of)) for city in cities
    ]
    total = _total([row for _, row in rows], t["quality_total"])
    head = join(html('<th scope="col">{}</th>', t[column]) for column in COLUMNS)
    body = join(
        _row(html('<a href="../{}/">{}</a>', city.slug, city.name_in(writer.language)), row) for city, row in rows
    )
    title = t["quality_title"].format(place=country.name_in(writer.language))
    page = html(
        '<div class="relais-quality-page">\n<h1>{}</h1><p>{}</p>'
        '<p><a href="../">{}</a> · <a href="../couverture/">{}</a></p>'
        '<div class="relais-table-scroll"><table class="relais-coverage"><thead><tr>'
        '<th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody>'
        "<tfoot>{}</tfoot></table></div><p>{}</p>\n</div>\n",
        title,
        t["quality_intro"],
        country.name_in(writer.language),
        t["coverage_link"],
        t["cities"],
        head,
        body,
        _row(total.city, total),
        fill(t["quality_built"], date=writer.date(as_of)),
    )
    meta = {"relais_kind": "quality", "template": "relais-directory.html"}
    return page_source(_front_matter(title, title, meta), page)


def write_quality_pages(
    directory: PublicDirectory, out_dir: Path, settings: PageSettings, places: Places = EVERY_PLACE
) -> list[Path]:
    """annuaire/<cc>/qualite.md (and .en.md, .ar.md) for the countries of `places`; the engine builds them."""
    written = []
    for language in LANGUAGES:
        writer = Writer(directory, language, settings)
        suffix = page_suffix(language)
        for code in filter(places.has_country, directory.countries):
            page = quality_page(writer, directory, code)
            written.append(write_text(out_dir / f"{code.lower()}/{QUALITY_FOLDER}{suffix}.md", page))
    return written
