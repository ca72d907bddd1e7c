"""Normalise imported values the way the directory expects them: phones, language tags, countries, city slugs.

Pure functions; each returns the normalised value or None, the caller reports what was refused.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import date, datetime
from typing import Any

import langcodes
import phonenumbers
import pycountry

from relais.check.directory import language_tag_is_valid, phone_problem
from relais.model.directory import Directory

_QUOTES = "\"'“”«»"


def clean_text(value: Any) -> str | None:
    """Text of a cell or JSON value, spaces collapsed; None when empty."""
    if value is None or isinstance(value, bool):
        return None
    text = " ".join(str(value).split())
    return text or None


def international_phone(number: str, country: str | None, phone_type: str = "voice") -> str | None:
    """`+212 5 22 00 00 00` (international format) or the short code as written; None when invalid."""
    stripped = number.strip().strip(_QUOTES).strip()
    if phone_type == "short-code":
        return stripped if phone_problem(stripped, phone_type, country) is None else None
    try:
        parsed = phonenumbers.parse(stripped, country)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return formatted if phone_problem(formatted, phone_type, country) is None else None


def language_tag(value: str) -> str | None:
    """A BCP 47 tag in its standard form (`fr_FR` -> `fr-FR`, `French` -> `fr`), or None."""
    text = value.strip()
    if not text:
        return None
    try:
        tag = langcodes.standardize_tag(text.replace("_", "-"))
    except (langcodes.LanguageTagError, ValueError):
        tag = ""
    if not (tag and language_tag_is_valid(tag)):
        tag = _language_by_name(text) or ""
    return tag if tag and language_tag_is_valid(tag) else None


_FRENCH_LANGUAGE_NAMES = {"français": "fr", "anglais": "en", "arabe": "ar", "darija": "ary", "bambara": "bm"}


def _language_by_name(name: str) -> str | None:
    """`French` or `arabe` -> a code, through ISO 639 names (pycountry) and a few French names."""
    if name.lower() in _FRENCH_LANGUAGE_NAMES:
        return _FRENCH_LANGUAGE_NAMES[name.lower()]
    try:
        found = pycountry.languages.lookup(name)
    except LookupError:
        return None
    return getattr(found, "alpha_2", None) or found.alpha_3


def country_code(value: str) -> str | None:
    """ISO 3166-1 alpha-2 from a code or an English/French name (`Maroc`, `Morocco`, `MAR`, `MA`)."""
    text = value.strip()
    if not text:
        return None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    french = {"maroc": "MA", "mali": "ML", "sénégal": "SN", "senegal": "SN", "niger": "NE", "tunisie": "TN"}
    found = french.get(text.lower())
    if found:
        return found
    matches = pycountry.countries.search_fuzzy(text) if len(text) > 3 else []
    return matches[0].alpha_2 if len(matches) == 1 else None


def _folded(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower()) or text.strip()


def city_slug(directory: Directory, country: str | None, name: str) -> str | None:
    """The places.yml slug of a city given by slug or by name in any language (accents and case ignored)."""
    wanted = _folded(name)
    countries = [directory.countries[country]] if country in directory.countries else list(directory.countries.values())
    for found in countries:
        for city in found.cities.values():
            names = [city.slug, *city.name.values()]
            if any(_folded(n) == wanted for n in names):
                return city.slug
    return None


def city_suggestion(directory: Directory, country: str | None, name: str) -> str:
    countries = [directory.countries[country]] if country in directory.countries else list(directory.countries.values())
    slugs = [slug for found in countries for slug in found.cities]
    close = difflib.get_close_matches(name.lower(), slugs, n=1)
    return f" (did you mean `{close[0]}`?)" if close else f" (cities: {', '.join(sorted(slugs))})"


def country_of_city(directory: Directory, slug: str) -> str | None:
    owners = [code for code, found in directory.countries.items() if slug in found.cities]
    return owners[0] if len(owners) == 1 else None


def parse_date(value: Any) -> date | None:
    """A date from a spreadsheet cell or text (YYYY-MM-DD, DD/MM/YYYY); None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for layout in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%fZ"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    return None
