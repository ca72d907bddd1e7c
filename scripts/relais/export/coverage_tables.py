"""The coverage ("cartographie") tables as CSV: one per country (its cities) and one per city (categories by
populations), under exports/couverture/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from relais.export.csv_tables import write_csv
from relais.model.public import PublicDirectory, services_by_city
from relais.render.coverage import country_overview, coverage_rows, coverage_table, overview_rows


def write_coverage_csvs(directory: PublicDirectory, out_dir: Path, as_of: date) -> list[Path]:
    by_city = services_by_city(directory)
    written = []
    for code, country in sorted(directory.countries.items()):
        overview = overview_rows(country_overview(directory, code, as_of))
        written.append(write_csv(out_dir / f"{code.lower()}.csv", *overview))
        for slug in sorted(country.cities):
            table = coverage_table(directory, by_city.get((code, slug), []), as_of)
            written.append(write_csv(out_dir / f"{code.lower()}-{slug}.csv", *coverage_rows(directory, table)))
    return written
