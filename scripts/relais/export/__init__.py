"""Every download of the directory, written from the public projection: HSDS 3.0 JSON per language, the services
and 4W CSVs, the coverage CSVs. The build and `relais export` both call `write_all_exports`, so they write the same
files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from relais.export.coverage_tables import write_coverage_csvs
from relais.export.open_data import write_exports
from relais.model.layout import COVERAGE_CSV_SUBFOLDER
from relais.model.public import PublicDirectory


def write_all_exports(public: PublicDirectory, out_dir: Path, as_of: date, site_url: str) -> list[Path]:
    """Every download: HSDS JSON, services and 4W CSVs, coverage CSVs."""
    written = write_exports(public, out_dir, as_of, site_url)
    return written + write_coverage_csvs(public, out_dir / COVERAGE_CSV_SUBFOLDER, as_of)
