"""The "cartographie": which categories reach which populations, city by city, and where the gaps are.

Pure counting over the public directory; `sheets` and `pages` render it and write the downloads (`csv_tables`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from relais.check.directory import is_stale
from relais.model.public import PublicDirectory, PublicService

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


def services_serving(directory: PublicDirectory, country: str, city: str | None = None) -> list[PublicService]:
    return [s for s in directory.services if s.country == country and (city is None or city in s.served_cities)]


def ordered_categories(directory: PublicDirectory) -> list[str]:
    """Categories ordered by pyramid layer, then as listed in the taxonomy."""
    terms = list(directory.vocabulary.categories.values())
    return [t.id for t in sorted(terms, key=lambda t: (t.layer or 9, terms.index(t)))]


def coverage_table(directory: PublicDirectory, services: list[PublicService], as_of: date) -> CoverageTable:
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


def country_overview(directory: PublicDirectory, country: str, as_of: date) -> CountryOverview:
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


def coverage_rows(directory: PublicDirectory, table: CoverageTable) -> tuple[list[str], list[dict[str, object]]]:
    """The city table as CSV columns and rows: one row per category, a fresh and a stale column per population."""
    columns = ["category", "category_label_fr", "layer"]
    for population in table.populations:
        columns += [f"{population}_active", f"{population}_stale"]
    rows = []
    for category in table.categories:
        term = directory.vocabulary.categories[category]
        row: dict[str, object] = {"category": category, "category_label_fr": term.label_in("fr"), "layer": term.layer}
        for population in table.populations:
            row[f"{population}_active"] = table.fresh[(category, population)]
            row[f"{population}_stale"] = table.stale[(category, population)]
        rows.append(row)
    return columns, rows


def overview_rows(overview: CountryOverview) -> tuple[list[str], list[dict[str, object]]]:
    """The country table as CSV columns and rows: one row per city, a fresh and a stale column per layer."""
    columns = ["city", *[f"layer_{layer}_{kind}" for layer in overview.layers for kind in ("active", "stale")]]
    rows = []
    for city in overview.cities:
        row: dict[str, object] = {"city": city}
        for layer in overview.layers:
            row[f"layer_{layer}_active"] = overview.fresh[(city, layer)]
            row[f"layer_{layer}_stale"] = overview.stale[(city, layer)]
        rows.append(row)
    return columns, rows
