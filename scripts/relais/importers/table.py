"""Read any other table (a Kobo or ActivityInfo export, CSV or XLSX) through a mapping file's `columns`.

The mapping says which heading holds which of our fields and how source words become our ids (`categories`,
`populations`, `cities`); columns it does not name are reported as having no home, never dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from relais.core.diagnostics import Diagnostic
from relais.importers.four_w import POPULATION_WORDS, organization_slug, term_ids
from relais.importers.mapping import TEXT_FIELDS, Mapping
from relais.importers.model import ImportedOrganization, ImportedService, ImportOptions, ReadResult, Where
from relais.importers.sheets import Sheet, read_sheets
from relais.importers.values import (
    city_slug,
    city_suggestion,
    clean_text,
    country_code,
    country_of_city,
    international_phone,
    language_tag,
)
from relais.model.directory import Directory

TRUE_WORDS = {"1", "true", "yes", "oui", "vrai", "x"}
PHONE_TYPES = ("voice", "mobile", "fax", "hotline", "short-code", "whatsapp")


def _split(text: str, separator: str) -> list[str]:
    parts = text.split() if separator == " " else re.split(re.escape(separator), text)
    return [p.strip() for p in parts if p.strip()]


class TableRow:
    """One row read through the mapping: `get("name:fr")` is the cell of the heading the mapping names."""

    def __init__(self, sheet: Sheet, number: int, row: dict[str, Any], mapping: Mapping) -> None:
        self.sheet, self.number, self.row, self.mapping = sheet, number, row, mapping
        self.diagnostics: list[Diagnostic] = []

    def get(self, key: str) -> str | None:
        heading = self.mapping.columns.get(key)
        return clean_text(self.row.get(heading)) if heading else None

    def where(self, key: str | None = None) -> Where:
        return self.sheet.where(self.number, self.mapping.columns.get(key or ""))

    def report(self, key: str | None, rule_id: str, **fields: Any) -> None:
        self.diagnostics.append(self.where(key).diagnostic(rule_id, **fields))


def _texts(row: TableRow, language: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        texts = {lang: row.get(f"{name}:{lang}") for lang in ("fr", "en", "ar")}
        texts[language] = texts[language] or row.get(name)
        texts = {lang: text for lang, text in texts.items() if text}
        if texts:
            data[name] = texts
    return data


def _place(
    row: TableRow, directory: Directory, options: ImportOptions, mapping: Mapping
) -> tuple[str | None, str | None]:
    country_text = row.get("country")
    country = (country_code(country_text) if country_text else None) or options.country or mapping.country
    name = row.get("city")
    if name:
        city = mapping.cities.get(name) or city_slug(directory, country, name)
        if city is None:
            row.report("city", "IMP006", name=name, suggestion=city_suggestion(directory, country, name))
            return country, None
    else:
        city = options.city or mapping.city
    if city and not country:
        country = country_of_city(directory, city)
    if not city or not country:
        row.report(None, "IMP008", field="city" if country else "country", how="no column or option gives it")
    return country, city


def _terms(row: TableRow, key: str, known: dict[str, Any], words: dict[str, str], mapped: dict[str, str]) -> list[str]:
    text = row.get(key) or ""
    found = []
    for part in _split(text, row.mapping.list_separator):
        ids = term_ids(part.replace(",", " "), known, words, mapped) if part not in mapped else [mapped[part]]
        for term in ids:
            if term.startswith("?"):
                row.report(key, "IMP011", field=key, reason=f"`{term[1:]}` is not mapped to a Relais {key[:-1]}")
            elif term not in found:
                found.append(term)
    return found


def _contacts(row: TableRow, country: str | None, language: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    phone = row.get("phone")
    if phone:
        kind = row.get("phone_type") or "voice"
        number = international_phone(phone, country, kind if kind in PHONE_TYPES else "voice")
        if number is None:
            row.report("phone", "IMP017", number=phone, country=country or "any country")
        else:
            data["phones"] = [{"number": number, "type": kind if kind in PHONE_TYPES else "voice"}]
    for key in ("email", "website", "hours"):
        if row.get(key):
            data[key] = row.get(key)
    languages = [language_tag(p) for p in _split(row.get("languages") or "", row.mapping.list_separator)]
    if any(languages):
        data["languages"] = list(dict.fromkeys(t for t in languages if t))
    return data


def _location(row: TableRow, texts: dict[str, Any], confidential: bool) -> dict[str, Any] | None:
    location: dict[str, Any] = {k: texts[k] for k in ("address", "directions") if k in texts}
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        raw = row.get(key)
        try:
            value = float(raw) if raw else None
        except ValueError:
            value = None
        if value is not None and low <= value <= high:
            location[key] = value
        elif raw:
            row.report(key, "IMP011", field=f"location.{key}", reason=f"`{raw}` is not a coordinate in range")
    if confidential and location:
        row.report("address", "IMP011", field="location", reason="the entry is confidential")
        return None
    return location or None


def service_of(row: TableRow, directory: Directory, options: ImportOptions, language: str) -> ImportedService | None:
    mapping = row.mapping
    texts = _texts(row, language)
    country, city = _place(row, directory, options, mapping)
    vocabulary = directory.vocabulary
    categories = _terms(row, "categories", vocabulary.categories, {}, mapping.categories)
    categories = categories or list(options.categories) or mapping.default_categories
    populations = _terms(row, "populations", vocabulary.populations, POPULATION_WORDS, mapping.populations)
    populations = populations or list(options.populations) or mapping.default_populations
    organization_name = row.get("organization")
    org = (
        options.organization
        or mapping.organization
        or (organization_slug(directory, organization_name, None) if organization_name else None)
    )
    for key, value in (("categories", categories), ("populations", populations), ("organization", org)):
        if not value:
            row.report(key if key in mapping.columns else None, "IMP008", field=key, how="no column, option or default")
    if not texts.get("name"):
        row.report("name", "IMP002", kind="row", field="name")
    confidential = folded_true(row.get("confidential")) or (row.get("id") or "") in mapping.confidential
    if any(d.is_error for d in row.diagnostics) or not (country and city and org):
        return None
    data: dict[str, Any] = {"name": texts["name"], "description": texts.get("description", {}), "organization": org}
    data["status"] = row.get("status") or "active"
    data |= {"country": country, "city": city, "categories": categories, "populations": populations}
    data |= {} if confidential else _contacts(row, country, language)
    if "hours_note" in texts:
        data["hours_note"] = texts["hours_note"]
    location = _location(row, texts, confidential)
    if location:
        data["location"] = location
    referral = {"method": texts["referral_method"]} if "referral_method" in texts else {}
    if row.get("cost") in ("free", "low-cost", "paid", "unknown"):
        referral["cost"] = row.get("cost")
    if referral:
        data["referral"] = referral
    data["visibility"] = "confidential" if confidential else "public"
    if confidential:
        door = _front_door(row, country, language, texts)
        if door is None:
            row.report(None, "IMP016")
            return None
        data["front_door"] = door
    where = Where(row.sheet.file, row=row.number, sheet=row.sheet.name or Path(row.sheet.file).stem)
    organization = ImportedOrganization(org, {"name": {language: organization_name or org}})
    return ImportedService(
        where, row.get("id"), language, data, None, organization, missing_french="fr" not in texts["name"]
    )


def _front_door(row: TableRow, country: str | None, language: str, texts: dict[str, Any]) -> dict[str, Any] | None:
    """A confidential row's phone and e-mail are its public way in, described by its referral method."""
    contacts = _contacts(row, country, language)
    door = {key: contacts[key] for key in ("phones", "email") if key in contacts}
    if "referral_method" not in texts or not door:
        return None
    return {"description": texts["referral_method"], **door}


def folded_true(value: str | None) -> bool:
    return (value or "").strip().lower() in TRUE_WORDS


def _check_headings(sheet: Sheet, mapping: Mapping) -> list[Diagnostic]:
    problems = []
    where = Where(sheet.file, row=sheet.header_row, sheet=sheet.name)
    for key, heading in mapping.columns.items():
        if heading not in sheet.headings:
            problems.append(where.diagnostic("IMP007", problem=f"`columns.{key}`: no column `{heading}` in the table"))
    return problems


def _unmapped(sheet: Sheet, mapping: Mapping) -> list[Diagnostic]:
    used = set(mapping.columns.values()) | set(mapping.ignore_columns)
    found = []
    for heading in sheet.headings:
        count = sum(1 for _, row in sheet.rows if row.get(heading) not in (None, ""))
        if heading and heading not in used and count:
            found.append(sheet.where(sheet.header_row, heading).diagnostic("IMP010", field=heading, count=count))
    return found


def read_table(path: Path, directory: Directory, options: ImportOptions, mapping: Mapping) -> ReadResult:
    headings = set(mapping.columns.values())
    sheets = read_sheets(path, lambda cells: len(headings & set(cells)) >= min(2, len(headings)))
    named = [s for s in sheets if s.name == mapping.sheet] if mapping.sheet else sheets
    sheet = named[0] if named else sheets[0]
    result = ReadResult(publisher=mapping.publisher)
    result.diagnostics = _check_headings(sheet, mapping)
    if result.diagnostics:
        return result
    language = options.language or mapping.language or "fr"
    result.diagnostics += _unmapped(sheet, mapping)
    for number, cells in sheet.rows:
        row = TableRow(sheet, number, cells, mapping)
        service = service_of(row, directory, options, language)
        result.diagnostics += row.diagnostics
        if service:
            result.services.append(service)
    return result
