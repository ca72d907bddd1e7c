"""Check the service directory: JSON Schema first, then the domain rules the schema cannot express.

Pure functions from loaded records to diagnostics; no file writing, no printing.
"""

from __future__ import annotations

import dataclasses
import difflib
import html
import json
import re
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import fastjsonschema
import jsonschema
import langcodes
import opening_hours
import phonenumbers
from babel import Locale
from phonenumbers import shortnumberinfo

from relais.check.location_text import location_clues
from relais.core.diagnostics import Diagnostic
from relais.model.directory import Directory, Record, Service, as_list
from relais.model.yamldoc import JsonPath
from relais.rules import (
    DIR001,
    DIR002,
    DIR003,
    DIR004,
    DIR005,
    DIR006,
    DIR007,
    DIR008,
    DIR009,
    DIR010,
    DIR013,
    DIR014,
    DIR017,
    DIR018,
    DIR019,
    DIR022,
    DIR023,
    DIR024,
    DIR025,
    DIR026,
    DIR027,
    DIR028,
    DIR029,
    DIR030,
    DIR031,
    DIR032,
    DIR033,
    DIR034,
    DIR035,
    rule,
)

SCHEMA_DIR = Path(__file__).resolve().parents[3] / "directory" / "schema"
STALE_AFTER_DAYS = 365
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$")
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ().\-/]+$")
EXTENSION = re.compile(r"(?:ext|poste|x|#|;|,)", re.IGNORECASE)
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
# C0/C1 controls (but tab and newline), zero-width space, word joiner, BOM, bidi embeddings/overrides/isolates.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
# The marks Arabic text may need (zero-width non-joiner/joiner, left-to-right, right-to-left and Arabic letter marks)
# are allowed in Arabic prose only: in an id, URL, e-mail, phone or any other text they only hide what a value is.
ARABIC_MARKS = "\u200c-\u200f\u061c"
FORBIDDEN_OUTSIDE_ARABIC = re.compile(FORBIDDEN_CHARACTERS.pattern[:-1] + ARABIC_MARKS + "]")
UNSAFE_MARKUP = re.compile(
    r"<\s*/?\s*[a-z!][^>]*>|(?:java|vb)script\s*:|data\s*:\s*[a-z]+/|\bon[a-z]+\s*=|url\s*\(", re.IGNORECASE
)
CONFIDENTIAL_LOCATION_FIELDS = ("address", "latitude", "longitude", "directions")
# Values of a confidential entry that are codes, not free text: not scanned for location clues, not masked in
# messages. Every other string (texts in every language, notes, hours, `verified.by`, sources, URLs) is both.
CODE_FIELDS = frozenset(
    {
        ("id",),
        ("organization",),
        ("status",),
        ("country",),
        ("city",),
        ("categories", "*"),
        ("populations", "*"),
        ("languages", "*"),
        ("visibility",),
        ("email",),
        ("verified", "date"),
        ("verified", "method"),
        ("phones", "*", "number"),
        ("phones", "*", "type"),
        ("front_door", "email"),
        ("front_door", "phones", "*", "number"),
        ("front_door", "phones", "*", "type"),
        ("sources", "*", "date"),
        ("mobile", "cities", "*"),
    }
)
MASK = "[…]"


@cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _field(path: JsonPath) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


def _suggestion(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if value is None:
        return "nothing"
    return f"the text `{value}`"


_EXPECTED = {
    "string": "text",
    "array": "a list (lines starting with `- `)",
    "object": "a group of `key: value` lines",
    "boolean": "true or false",
    "number": "a number",
    "integer": "a whole number",
}


def _unknown_keys(record: Record, error: jsonschema.ValidationError) -> list[Diagnostic]:
    """One DIR001 per unknown key: jsonschema reports all the extra keys of an object as one error."""
    path: JsonPath = tuple(error.absolute_path)
    known = list(error.schema.get("properties", {}))
    found = []
    for key in sorted(set(error.instance) - set(known)):
        line, col = record.doc.key_position((*path, key))
        found.append(DIR001.at(record.display_path, line, col, key=key, suggestion=_suggestion(key, known)))
    return found


def _schema_diagnostic(record: Record, error: jsonschema.ValidationError) -> Diagnostic:
    path: JsonPath = tuple(error.absolute_path)
    line, col = record.doc.position(path)
    where = record.display_path
    if error.validator == "required":
        key = re.search(r"'([^']+)'", error.message)
        missing = key.group(1) if key else "?"
        if missing == "verified":
            return DIR027.at(where, line, col)
        if missing == "fr":
            return DIR032.at(where, line, col, field=_field(path))
        return DIR002.at(where, line, col, key=missing)
    if error.validator == "type":
        expected = _EXPECTED.get(str(error.validator_value), str(error.validator_value))
        hint = 'Put text in quotes, e.g. "..." ; write lists as lines starting with `- `.'
        return DIR003.at(
            where, line, col, field=_field(path), expected=expected, found=_describe(error.instance), hint=hint
        )
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return DIR004.at(where, line, col, field=_field(path), allowed=allowed, found=error.instance)
    problem, hint = _value_problem(error)
    return DIR005.at(where, line, col, field=_field(path), problem=problem, hint=hint)


def _value_problem(error: jsonschema.ValidationError) -> tuple[str, str]:
    if error.validator == "pattern":
        described = error.schema.get("description", "")
        return f"`{error.instance}` does not have the expected form", described or "See the format description."
    if error.validator in {"minLength", "minItems"}:
        return "must not be empty", "Fill it in or remove the key."
    if error.validator == "maxLength":
        return f"is longer than {error.validator_value} characters", "Shorten the text; link to a guideline for more."
    if error.validator == "uniqueItems":
        return "lists the same value twice", "Keep each value once."
    return error.message[:200], "See the format description in directory/schema/."


@cache
def _fast_check(kind: str) -> Any:
    """The same schema compiled to Python code: 30x faster on valid records, which are nearly all of them."""
    schema = json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema)


def _passes_fast_check(record: Record, kind: str) -> bool:
    try:
        _fast_check(kind)(record.data)
    except Exception:  # any doubt: let jsonschema find and locate every error
        return False
    return True


def schema_diagnostics(record: Record, kind: str) -> list[Diagnostic]:
    if _passes_fast_check(record, kind):
        return []
    errors = sorted(_validator(kind).iter_errors(record.data), key=lambda e: list(map(str, e.absolute_path)))
    found: list[Diagnostic] = []
    for error in errors:
        if error.validator == "additionalProperties":
            found += _unknown_keys(record, error)
        else:
            found.append(_schema_diagnostic(record, error))
    return found


def _strings(value: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _strings(inner, (*path, index))


def text_safety(record: Record) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for path, text in _strings(record.data):
        line, col = record.doc.position(path)
        bad = (FORBIDDEN_CHARACTERS if path and path[-1] == "ar" else FORBIDDEN_OUTSIDE_ARABIC).search(text)
        if bad:
            found.append(
                DIR023.at(record.display_path, line, col, field=_field(path), character=f"U+{ord(bad.group()):04X}")
            )
        # Entities first (`jav&#x09;ascript:`), then the controls browsers skip inside a URL scheme.
        markup = UNSAFE_MARKUP.search(re.sub(r"[\x00-\x1f]+", "", html.unescape(text)))
        if markup and path and path[-1] not in {"website", "url"}:
            found.append(DIR033.at(record.display_path, line, col, field=_field(path), snippet=markup.group()[:40]))
    return found


def language_tag_is_valid(tag: str) -> bool:
    if not LANGUAGE_TAG.match(tag) or not langcodes.tag_is_valid(tag):
        return False
    try:
        return bool(langcodes.Language.get(tag).is_valid())
    except (langcodes.LanguageTagError, ValueError):
        return False


def phone_problem(number: str, phone_type: str, country: str | None) -> tuple[str, str] | None:
    """(rule id, problem) for a phone entry, or None when it converts to E.164 (or is a valid short code)."""
    if FORBIDDEN_CHARACTERS.search(number) or re.search(r"[\u200c-\u200f\u00a0\u2000-\u200a]", number):
        return "DIR015", "contains an invisible character"
    if re.search(r"[^\W\d_]", number) and EXTENSION.search(number):
        return "DIR015", "contains an extension or text; keep only the number"
    if re.search(r"[^\W\d_]", number):
        return "DIR015", "contains letters"
    if not PHONE_CHARACTERS.match(number) or EXTENSION.search(number.replace(" ", "")[1:]):
        return "DIR015", "contains characters other than digits, spaces, +, -, ., ( and )"
    try:
        parsed = phonenumbers.parse(number, country)
    except phonenumbers.NumberParseException as exc:
        return "DIR015", f"cannot be read as a phone number ({exc._msg})"
    if phone_type == "short-code":
        if number.startswith("+") or not shortnumberinfo.is_valid_short_number_for_region(parsed, country or ""):
            return "DIR016", ""
        return None
    if not phonenumbers.is_valid_number(parsed):
        return "DIR015", f"is not a valid number for {country or 'any country'} (add the country code?)"
    return None


@cache  # each number is written on its page, its sheets and the exports, in every language
def e164(number: str, country: str | None) -> str:
    return phonenumbers.format_number(phonenumbers.parse(number, country), phonenumbers.PhoneNumberFormat.E164)


def check_phones(record: Record, path: JsonPath, country: str | None) -> list[Diagnostic]:
    found = []
    phones = record.doc.value
    for key in path:
        phones = phones.get(key) if isinstance(phones, dict) else None
    for index, phone in enumerate(phones if isinstance(phones, list) else []):
        if not isinstance(phone, dict) or not isinstance(phone.get("number"), str):
            continue
        problem = phone_problem(phone["number"], str(phone.get("type", "")), country)
        if problem:
            line, col = record.doc.position((*path, index, "number"))
            rule_id, text = problem
            found.append(
                rule(rule_id).at(record.display_path, line, col, number=phone["number"], problem=text, country=country)
            )
    return found


def check_contacts(record: Record, base: JsonPath = ()) -> list[Diagnostic]:
    found = []
    data = record.data
    for key in base:
        data = data.get(key, {}) if isinstance(data, dict) else {}
    for key, rule_id in (("website", "DIR020"), ("email", "DIR021")):
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, str):
            continue
        url = urlparse(value.strip())
        bad = (url.scheme not in {"http", "https"} or not url.netloc) if key == "website" else not EMAIL.match(value)
        if bad:
            line, col = record.doc.position((*base, key))
            found.append(rule(rule_id).at(record.display_path, line, col, field=_field((*base, key)), value=value))
    return found


# A reference that is a path (`seeds/002.txt`, `docs/x.pdf`): no reader of the site can open a file of ours.
REPOSITORY_PATH = re.compile(
    r"^(?:\.{0,2}/)?(?:[\w.-]+/)+[\w.-]+$|^[\w-]+\.(?:txt|md|ya?ml|pdf|docx?|xlsx?|csv|json)$", re.IGNORECASE
)


def check_sources(record: Record) -> list[Diagnostic]:
    """Sources cite the public document (title, organisation, date, URL), never a file inside the repository."""
    found = []
    for index, source in enumerate(as_list(record.data.get("sources"))):
        if not isinstance(source, dict):
            continue
        for key in ("document", "url"):
            value = source.get(key)
            if not isinstance(value, str):
                continue
            url = urlparse(value.strip())
            is_web = url.scheme in {"http", "https"} and bool(url.netloc)
            if (key == "url" and not is_web) or (key == "document" and REPOSITORY_PATH.match(value.strip())):
                line, col = record.doc.position(("sources", index, key))
                found.append(DIR034.at(record.display_path, line, col, field=f"sources.{index}.{key}"))
    return found


def _date_or_problem(record: Record, path: JsonPath, value: Any) -> tuple[date | None, list[Diagnostic]]:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None, []  # the schema reports the form
    try:
        return date.fromisoformat(value), []
    except ValueError:
        line, col = record.doc.position(path)
        return None, [DIR018.at(record.display_path, line, col, field=_field(path), value=value)]


def check_dates(service: Service, as_of: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for index, source in enumerate(as_list(service.data.get("sources"))):
        if isinstance(source, dict):
            found += _date_or_problem(service, ("sources", index, "date"), source.get("date"))[1]
    verified = service.data.get("verified")
    if not isinstance(verified, dict):
        return found
    checked_on, problems = _date_or_problem(service, ("verified", "date"), verified.get("date"))
    found += problems
    if checked_on is None:
        return found
    line, col = service.doc.position(("verified", "date"))
    if checked_on > as_of:
        found.append(DIR019.at(service.display_path, line, col, value=checked_on, as_of=as_of))
    elif (as_of - checked_on).days > STALE_AFTER_DAYS:
        service.stale = True
        found.append(DIR026.at(service.display_path, line, col, value=checked_on, as_of=as_of))
    return found


def is_stale(verified_on: date | None, as_of: date) -> bool:
    return verified_on is not None and (as_of - verified_on).days > STALE_AFTER_DAYS


def check_confidentiality(service: Service) -> list[Diagnostic]:
    if not service.is_confidential:
        return []
    found = []
    location = service.data.get("location")
    for key in CONFIDENTIAL_LOCATION_FIELDS:
        if isinstance(location, dict) and key in location:
            line, col = service.doc.key_position(("location", key))
            found.append(DIR024.at(service.display_path, line, col, field=f"location.{key}"))
    front_door = service.data.get("front_door")
    if not (isinstance(front_door, dict) and (front_door.get("phones") or front_door.get("email"))):
        line, col = (
            service.doc.key_position(("front_door",)) if front_door else service.doc.key_position(("visibility",))
        )
        found.append(DIR025.at(service.display_path, line, col))
    for text_path, text in confidential_free_text(service):
        if text_path[0] == "location":
            continue  # refused whole above (DIR024)
        line, col = service.doc.position(text_path)
        for clue in location_clues(text):
            found.append(DIR028.at(service.display_path, line, col, field=_field(text_path), what=clue.kind.label))
    return found + location_in_comments(service)


def is_code_field(path: JsonPath) -> bool:
    shape = tuple("*" if isinstance(part, int) else part for part in path)
    return shape in CODE_FIELDS


def confidential_free_text(record: Record) -> list[tuple[JsonPath, str]]:
    """Every string of a record that is not a code: what may carry a location by mistake."""
    return [(path, text) for path, text in _strings(record.data) if not is_code_field(path)]


def _comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, text) of each YAML comment: a `#` outside quotes, at the start or after a space."""
    for number, line in enumerate(text.splitlines(), start=1):
        quote = ""
        for index, char in enumerate(line):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'" and (index == 0 or line[index - 1] in " :[{,-"):
                quote = char
            elif char == "#" and (index == 0 or line[index - 1] in " \t"):
                yield number, index + 1, line[index + 1 :]
                break


def location_in_comments(record: Record) -> list[Diagnostic]:
    """Comments are not published on the site, but the file is public in the repository: they count too."""
    try:
        text = record.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # the reader has reported it
    return [
        DIR028.at(record.display_path, line, col, field="a comment", what=clue.kind.label)
        for line, col, comment in _comments(text)
        for clue in location_clues(comment)
    ]


def masked_for_confidential(record: Record, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Messages about a confidential entry never repeat its free text: logs of a public CI are public too."""
    values = {text for _, text in confidential_free_text(record) if len(text.strip()) >= 2}
    location = record.data.get("location")
    if isinstance(location, dict):
        values |= {str(v) for v in location.values() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    if not values:
        return diagnostics
    ordered = sorted(values, key=len, reverse=True)  # a longer value first, so a shorter one inside it stays masked

    def mask(text: str) -> str:
        for value in ordered:
            if value in text:
                text = text.replace(value, MASK)
        return text

    return [dataclasses.replace(d, message=mask(d.message), hint=mask(d.hint)) for d in diagnostics]


def check_references(service: Service, directory: Directory) -> list[Diagnostic]:
    found = []
    where = service.display_path
    vocab = directory.vocabulary
    for key, rule_id, known in (
        ("categories", "DIR011", vocab.categories),
        ("populations", "DIR012", vocab.populations),
    ):
        for index, value in enumerate(as_list(service.data.get(key))):
            if isinstance(value, str) and value not in known:
                line, col = service.doc.position((key, index))
                found.append(
                    rule(rule_id).at(where, line, col, value=value, suggestion=_suggestion(value, list(known)))
                )
    organization = service.data.get("organization")
    if isinstance(organization, str) and organization not in directory.organizations:
        line, col = service.doc.position(("organization",))
        found.append(
            DIR013.at(
                where,
                line,
                col,
                value=organization,
                suggestion=_suggestion(organization, list(directory.organizations)),
            )
        )
    for index, tag in enumerate(as_list(service.data.get("languages"))):
        if isinstance(tag, str) and not language_tag_is_valid(tag):
            line, col = service.doc.position(("languages", index))
            found.append(DIR014.at(where, line, col, value=tag))
    return found + check_place(service, directory)


def check_place(service: Service, directory: Directory) -> list[Diagnostic]:
    where = service.display_path
    country, city = service.data.get("country"), service.data.get("city")
    if not isinstance(country, str) or not isinstance(city, str):
        return []
    if country not in directory.countries:
        line, col = service.doc.position(("country",))
        return [DIR008.at(where, line, col, country=country)]
    found = []
    known_cities = list(directory.countries[country].cities)
    mobile = service.data.get("mobile")
    extra = as_list(mobile.get("cities")) if isinstance(mobile, dict) else []
    for path, slug in [(("city",), city), *[(("mobile", "cities", i), c) for i, c in enumerate(extra)]]:
        if isinstance(slug, str) and slug not in known_cities:
            line, col = service.doc.position(path)
            found.append(
                DIR009.at(where, line, col, city=slug, country=country, suggestion=_suggestion(slug, known_cities))
            )
    folder = service.path.parent
    if (folder.parent.name, folder.name) != (country, city):
        found.append(DIR010.at(where, 1, 1, country=country, city=city, folder=f"{folder.parent.name}/{folder.name}"))
    return found


def check_service(service: Service, directory: Directory, as_of: date) -> list[Diagnostic]:
    found = schema_diagnostics(service, "service") + text_safety(service)
    if service.id != service.path.stem:
        line, col = service.doc.position(("id",))
        found.append(DIR006.at(service.display_path, line, col, id=service.id, stem=service.path.stem))
    country = service.data.get("country") if isinstance(service.data.get("country"), str) else None
    found += check_references(service, directory) + check_sources(service)
    found += check_phones(service, ("phones",), country) + check_phones(service, ("front_door", "phones"), country)
    found += check_contacts(service) + check_contacts(service, ("front_door",))
    found += check_dates(service, as_of) + check_confidentiality(service)
    hours = service.data.get("hours")
    if isinstance(hours, str) and not hours_are_valid(hours):
        line, col = service.doc.position(("hours",))
        found.append(DIR017.at(service.display_path, line, col, value=hours))
    location = service.data.get("location")
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = location.get(key) if isinstance(location, dict) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not low <= value <= high:
            line, col = service.doc.position(("location", key))
            found.append(
                DIR022.at(service.display_path, line, col, field=f"location.{key}", value=value, low=low, high=high)
            )
    return masked_for_confidential(service, found) if service.is_confidential else found


@cache
def hours_are_valid(value: str) -> bool:
    try:
        opening_hours.OpeningHours(value)
    except Exception:  # the library raises its own ParserError and others on unusual input
        return False
    return True


def check_organization(record: Record) -> list[Diagnostic]:
    found = schema_diagnostics(record, "organization") + text_safety(record)
    if record.id != record.path.stem:
        line, col = record.doc.position(("id",))
        found.append(DIR006.at(record.display_path, line, col, id=record.id, stem=record.path.stem))
    return found + check_phones(record, ("phones",), None) + check_contacts(record) + check_sources(record)


def duplicate_ids(records: list[Record], kind: str) -> list[Diagnostic]:
    seen: dict[str, Record] = {}
    found = []
    for record in records:
        if record.id in seen:
            line, col = record.doc.position(("id",))
            found.append(
                DIR007.at(record.display_path, line, col, id=record.id, other=f"{kind} {seen[record.id].display_path}")
            )
        else:
            seen[record.id] = record
    return found


# Two-letter CLDR territories that are not countries: unions, pseudo-locales, "Unknown Region".
_CLDR_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})


@cache
def _iso_countries() -> frozenset[str]:
    territories = (code for code in Locale("en").territories if len(code) == 2 and code.isalpha())
    return frozenset(territories) - _CLDR_NOT_COUNTRIES


def check_places(places: Record, as_of: date) -> list[Diagnostic]:
    found = schema_diagnostics(places, "places") + text_safety(places)
    codes: set[str] = set()
    for index, country in enumerate(as_list(places.data.get("countries"))):
        if not isinstance(country, dict):
            continue
        code = country.get("code")
        line, col = places.doc.position(("countries", index, "code"))
        if isinstance(code, str) and code in codes:
            found.append(DIR030.at(places.display_path, line, col, value=code))
        elif isinstance(code, str) and code not in _iso_countries():
            found.append(DIR031.at(places.display_path, line, col, value=code))
        codes.add(str(code))
        found += _check_cities(places, index, country.get("cities"), as_of)
    return found


def _check_cities(places: Record, country_index: int, cities: Any, as_of: date) -> list[Diagnostic]:
    found = []
    slugs: set[str] = set()
    for index, city in enumerate(cities if isinstance(cities, list) else []):
        if not isinstance(city, dict):
            continue
        path = ("countries", country_index, "cities", index)
        if isinstance(city.get("slug"), str) and city["slug"] in slugs:
            line, col = places.doc.position((*path, "slug"))
            found.append(DIR030.at(places.display_path, line, col, value=city.get("slug")))
        slugs.add(str(city.get("slug")))
        zone = city.get("timezone")
        if isinstance(zone, str) and not timezone_is_valid(zone):
            line, col = places.doc.position((*path, "timezone"))
            found.append(DIR029.at(places.display_path, line, col, value=zone))
        found += check_emergency_card(places, (*path, "emergency"), city.get("emergency"), as_of)
    return found


def check_emergency_card(places: Record, path: JsonPath, card: Any, as_of: date) -> list[Diagnostic]:
    """A dated card whose every number cites a public web source; an old check is a warning on every build."""
    if not isinstance(card, dict):
        return []
    found = []
    for index, entry in enumerate(as_list(card.get("numbers"))):
        source = entry.get("source") if isinstance(entry, dict) else None
        url = source.get("url") if isinstance(source, dict) else None
        if isinstance(url, str) and not (urlparse(url).scheme in {"http", "https"} and urlparse(url).netloc):
            line, col = places.doc.position((*path, "numbers", index, "source", "url"))
            field = _field((*path, "numbers", index, "source", "url"))
            found.append(DIR034.at(places.display_path, line, col, field=field))
    checked, problems = _date_or_problem(places, (*path, "checked"), card.get("checked"))
    found += problems
    if checked and (checked > as_of or (as_of - checked).days > STALE_AFTER_DAYS):
        line, col = places.doc.position((*path, "checked"))
        found.append(DIR035.at(places.display_path, line, col, value=checked, as_of=as_of))
    return found


@cache
def timezone_is_valid(name: str) -> bool:
    if "/" not in name:  # refuses "UTC+1", "GMT", "WET": fixed offsets or abbreviations, not places
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def check_taxonomy(taxonomy: Record) -> list[Diagnostic]:
    found = schema_diagnostics(taxonomy, "taxonomy") + text_safety(taxonomy)
    for group in ("categories", "populations", "topics", "audiences"):
        seen: set[str] = set()
        for index, term in enumerate(as_list(taxonomy.data.get(group))):
            term_id = term.get("id") if isinstance(term, dict) else None
            if isinstance(term_id, str) and term_id in seen:
                line, col = taxonomy.doc.position((group, index, "id"))
                found.append(DIR030.at(taxonomy.display_path, line, col, value=term_id))
            seen.add(str(term_id))
    return found


ServiceCheck = Callable[[Service, Directory, date], list[Diagnostic]]


def check_directory(directory: Directory, as_of: date, service_check: ServiceCheck | None = None) -> list[Diagnostic]:
    """Every directory rule. `service_check` checks one service (`relais serve` passes one that remembers)."""
    service_check = service_check or check_service
    found: list[Diagnostic] = []
    if directory.taxonomy:
        found += check_taxonomy(directory.taxonomy)
    if directory.places:
        found += check_places(directory.places, as_of)
    for record in directory.all_organizations:
        found += check_organization(record)
    found += duplicate_ids(directory.all_organizations, "organization")
    for service in directory.services:
        found += service_check(service, directory, as_of)
    found += duplicate_ids(list(directory.services), "service")
    return found
