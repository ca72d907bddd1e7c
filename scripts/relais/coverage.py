"""The "cartographie": which categories reach which populations, city by city, and where the gaps are.

Pure counting over the loaded directory; `sheets` and `pages` render it, `write_coverage_csv` writes the downloads.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from relais.directory import Directory, Service
from relais.validate_directory import is_stale

ACTIVE = "active"


@dataclass
class CoverageTable:
    """Counts of active services per (category, population); stale ones counted apart."""

    categories: list[str]
    populations: list[str]
    fresh: Counter[tuple[str, str]] = field(default_factory=Counter)
    stale: Counter[tuple[str, str]] = field(default_factory=Counter)

    def is_gap(self, category: str, population: str) -> bool:
        return self.fresh[(category, population)] == 0 and self.stale[(category, population)] == 0


def services_serving(directory: Directory, country: str, city: str | None = None) -> list[Service]:
    return [s for s in directory.services if s.country == country and (city is None or city in s.served_cities)]


def ordered_categories(directory: Directory) -> list[str]:
    """Categories ordered by pyramid layer, then as listed in the taxonomy."""
    terms = list(directory.vocabulary.categories.values())
    return [t.id for t in sorted(terms, key=lambda t: (t.layer or 9, terms.index(t)))]


def coverage_table(directory: Directory, services: list[Service], as_of: date) -> CoverageTable:
    table = CoverageTable(ordered_categories(directory), list(directory.vocabulary.populations))
    for service in services:
        if service.status != ACTIVE:
            continue
        counter = table.stale if is_stale(service.verified_on, as_of) else table.fresh
        for category in set(service.categories):
            for population in set(service.populations):
                counter[(category, population)] += 1
    return table


@dataclass
class CountryOverview:
    """Active services per city and pyramid layer (a service counts once per layer it works at)."""

    cities: list[str]
    layers: list[int]
    fresh: Counter[tuple[str, int]] = field(default_factory=Counter)
    stale: Counter[tuple[str, int]] = field(default_factory=Counter)


def country_overview(directory: Directory, country: str, as_of: date) -> CountryOverview:
    cities = sorted(directory.countries[country].cities) if country in directory.countries else []
    layers = sorted(directory.vocabulary.layers) or [1, 2, 3, 4]
    overview = CountryOverview(cities, layers)
    for service in services_serving(directory, country):
        if service.status != ACTIVE:
            continue
        counter = overview.stale if is_stale(service.verified_on, as_of) else overview.fresh
        service_layers = {
            directory.vocabulary.categories[c].layer for c in service.categories if c in directory.vocabulary.categories
        }
        for city in set(service.served_cities):
            for layer in service_layers:
                counter[(city, layer)] += 1
    return overview


def coverage_csv(directory: Directory, table: CoverageTable) -> str:
    """The city table as CSV: one row per category, a fresh and a stale column per population."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    header = ["category", "category_label_fr", "layer"]
    for population in table.populations:
        header += [f"{population}_active", f"{population}_stale"]
    writer.writerow(header)
    for category in table.categories:
        term = directory.vocabulary.categories[category]
        row: list[object] = [category, term.label_in("fr"), term.layer]
        for population in table.populations:
            row += [table.fresh[(category, population)], table.stale[(category, population)]]
        writer.writerow(row)
    return out.getvalue()


def overview_csv(overview: CountryOverview) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["city", *[f"layer_{layer}_{kind}" for layer in overview.layers for kind in ("active", "stale")]])
    for city in overview.cities:
        row: list[object] = [city]
        for layer in overview.layers:
            row += [overview.fresh[(city, layer)], overview.stale[(city, layer)]]
        writer.writerow(row)
    return out.getvalue()
