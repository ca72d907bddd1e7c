"""The `relais import hsds|4w|table` arguments and their translation into an import run.

Kept here so the main command module only registers the subcommand; the work is in `run`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from relais.core.project import Project


def add_import_parser(commands: Any, parse_date: Callable[[str], date], handler: Callable[..., int]) -> None:
    imports = commands.add_parser("import", help="import an existing mapping (HSDS 3.0, IASC MHPSS 4Ws, a table)")
    kinds = imports.add_subparsers(dest="kind", required=True)
    helps = {
        "hsds": "HSDS 3.0 JSON (a service, a list, the compiled form), a tabular data package folder, or a zip",
        "4w": "an IASC MHPSS 4Ws workbook (.xlsx) or our own exported 4w.csv",
        "table": "any other CSV or XLSX table (Kobo, ActivityInfo) with a mapping file",
    }
    for kind, help_text in helps.items():
        sub = kinds.add_parser(kind, help=help_text)
        sub.add_argument("source", help="the file (or data package folder) to import")
        sub.add_argument("--mapping", required=kind == "table", help="mapping file (YAML); see CONTRIBUTING")
        sub.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
        sub.add_argument("--theirs", action="store_true", help="on a conflict, take the source's value")
        sub.add_argument("--publisher", help="who published the source (recorded in `sources`)")
        sub.add_argument("--country", help="country code for every record, e.g. MA")
        sub.add_argument("--city", help="places.yml city slug for every record, e.g. casablanca")
        sub.add_argument("--organization", help="id of the organisation for every record")
        sub.add_argument("--category", action="append", default=[], help="category id when the source has none")
        sub.add_argument("--population", action="append", default=[], help="population id when the source has none")
        sub.add_argument("--language", choices=("fr", "en", "ar"), help="language of the source's text")
        sub.add_argument("--directory", help="directory data folder (default: directory/)")
        sub.add_argument("--as-of", type=parse_date, help="import date recorded in `sources` (YYYY-MM-DD)")
        sub.set_defaults(func=handler)


def _reader(kind: str) -> Any:
    if kind == "hsds":
        from relais.importers.run import read_hsds_source

        return read_hsds_source
    if kind == "4w":
        from relais.importers.four_w import read_four_w

        return read_four_w
    from relais.importers.table import read_table

    return read_table


def import_command(args: argparse.Namespace, project: Project, as_of: date) -> int:
    from relais.importers.model import ImportOptions
    from relais.importers.run import run_import

    source = Path(args.source)
    options = ImportOptions(
        source_name=source.name,
        as_of=as_of,
        publisher=args.publisher,
        country=args.country,
        city=args.city,
        organization=args.organization,
        categories=tuple(args.category),
        populations=tuple(args.population),
        language=args.language,
        theirs=args.theirs,
    )
    mapping = Path(args.mapping) if args.mapping else None
    outcome = run_import(project, args.kind, _reader(args.kind), source, options, mapping, args.dry_run)
    print(outcome.text, file=sys.stderr if outcome.exit_code else sys.stdout)
    return outcome.exit_code
