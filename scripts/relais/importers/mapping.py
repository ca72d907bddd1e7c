"""Read a mapping file (`--mapping MAP.yml`): what an import cannot take from the source itself.

The file gives the publisher, the country, city and organisation, which source terms become our categories and
populations, which records are confidential, and for tables which column holds which field. It only reads and checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from relais.core.diagnostics import Diagnostic
from relais.importers.model import ImportFailed, Where
from relais.model.yamldoc import read_yaml_mapping

# Fields a table column can fill (see CONTRIBUTING, Import a mapping). Text fields take a language suffix.
TABLE_FIELDS = (
    "id",
    "name",
    "description",
    "organization",
    "country",
    "city",
    "categories",
    "populations",
    "languages",
    "phone",
    "phone_type",
    "email",
    "website",
    "hours",
    "hours_note",
    "address",
    "directions",
    "latitude",
    "longitude",
    "status",
    "confidential",
    "referral_method",
    "cost",
)
TEXT_FIELDS = ("name", "description", "hours_note", "address", "directions", "referral_method")
KEYS = (
    "publisher",
    "language",
    "country",
    "city",
    "organization",
    "categories",
    "populations",
    "default_categories",
    "default_populations",
    "cities",
    "confidential",
    "sheet",
    "columns",
    "ignore_columns",
    "list_separator",
)


@dataclass
class Mapping:
    publisher: str | None = None
    language: str | None = None
    country: str | None = None
    city: str | None = None
    organization: str | None = None
    categories: dict[str, str] = field(default_factory=dict)  # source term (code or name) -> our category
    populations: dict[str, str] = field(default_factory=dict)
    default_categories: list[str] = field(default_factory=list)
    default_populations: list[str] = field(default_factory=list)
    cities: dict[str, str] = field(default_factory=dict)  # source place name -> places.yml slug
    confidential: list[str] = field(default_factory=list)  # record ids (or our slugs) never given a location
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # our field (name:fr...) -> source column heading
    ignore_columns: list[str] = field(default_factory=list)
    list_separator: str = ";"


def _problem(where: Where, text: str) -> Diagnostic:
    return where.diagnostic("IMP007", problem=text)


def _strings(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _string_map(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {str(k): v for k, v in value.items()}
    return None


def _check_columns(columns: dict[str, str], where: Where) -> list[Diagnostic]:
    problems = []
    for key in columns:
        base, _, language = key.partition(":")
        if base not in TABLE_FIELDS or (language and (base not in TEXT_FIELDS or language not in ("fr", "en", "ar"))):
            problems.append(_problem(where, f"`columns.{key}` is not a field a column can fill"))
    return problems


def mapping_from(data: dict[str, Any], where: Where) -> Mapping:
    """Check and convert the mapping file's values; raise ImportFailed (IMP007) listing every problem."""
    problems = [_problem(where, f"unknown key `{key}`; keys: {', '.join(KEYS)}") for key in data if key not in KEYS]
    mapping = Mapping()
    for key in ("publisher", "language", "country", "city", "organization", "sheet", "list_separator"):
        if key in data:
            if isinstance(data[key], str) and data[key]:
                setattr(mapping, key, data[key])
            else:
                problems.append(_problem(where, f"`{key}` must be text"))
    for key in ("categories", "populations", "cities", "columns"):
        if key in data:
            converted = _string_map(data[key])
            if converted is None:
                problems.append(_problem(where, f"`{key}` must be a mapping of text to text"))
            else:
                setattr(mapping, key, converted)
    for key in ("default_categories", "default_populations", "confidential", "ignore_columns"):
        if key in data:
            items = _strings(data[key])
            if items is None:
                problems.append(_problem(where, f"`{key}` must be a list of text"))
            else:
                setattr(mapping, key, items)
    problems += _check_columns(mapping.columns, where)
    if problems:
        raise ImportFailed(problems)
    return mapping


def read_mapping(path: Path | None) -> Mapping:
    if path is None:
        return Mapping()
    where = Where(path.name, row=1, col=1)
    if not path.is_file():
        raise ImportFailed([_problem(where, f"no mapping file {path}")])
    doc, problems = read_yaml_mapping(path, path.name)
    if doc is None or problems:
        raise ImportFailed(problems or [_problem(where, "the mapping file is empty")])
    return mapping_from(doc.value, where)
