"""Export the service directory as open data: Open Referral HSDS 3.0 JSON per language, a flat CSV and a 4W CSV.

Pure functions build every value from the public projection (`relais.model.public`), never from a record, so
what a confidential service keeps private is not even in reach; only `write_exports` writes files, and nothing here
validates (that is `validate`).
"""

from __future__ import annotations

import json
import re
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers

from relais.check.directory import e164, is_stale
from relais.export.csv_tables import write_csv
from relais.i18n.export_words import EXPORT_WORDS, LIST_JOIN
from relais.i18n.language_names import language_name
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.directory import LanguageMap, Vocabulary, in_language
from relais.model.layout import absolute_url, service_path
from relais.model.public import Phone, PublicDirectory, PublicOrganization, PublicService, Referral

HSDS_VERSION = "3.0"
COMPACT = (",", ":")  # json separators without spaces: the HSDS files are 4 % smaller
# Never change: every HSDS id is uuid5(ID_NAMESPACE, "<kind>:<our ids>") so ids are the same in every build.
# (It is uuid5(NAMESPACE_URL, "https://relais-hub.github.io/relais/hsds").)
ID_NAMESPACE = uuid.UUID("9cab9b68-6ffc-5d2e-996e-e500fc3f3c40")
# Our phone types as the RFC 6350 types HSDS names (text, voice, fax, cell, video, pager, textphone).
PHONE_TYPES = {
    "voice": "voice",
    "mobile": "cell",
    "fax": "fax",
    "hotline": "voice",
    "short-code": "voice",
    "whatsapp": "cell",
}
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
LIST_SEPARATOR = "; "
SERVICE_COLUMNS = (
    "id",
    "name",
    "organization",
    "status",
    "country",
    "city",
    "categories",
    "pyramid_layers",
    "populations",
    "languages",
    "phones_e164",
    "email",
    "website",
    "hours",
    "address",
    "latitude",
    "longitude",
    "mobile_area",
    "accepts_undocumented",
    "accepts_unaccompanied_children",
    "cost",
    "visibility",
    "verified_date",
    "verified_by",
    "verified_method",
    "stale",
    "url",
)
FOUR_W_COLUMNS = (
    "service_id",
    "organization",
    "organization_acronym",
    "country",
    "city",
    "mobile_cities",
    "category_id",
    "category_label",
    "pyramid_layer",
    "populations",
    "status",
    "verified_date",
)
ACCESS_CONDITIONS = ("accepts_undocumented", "accepts_unaccompanied_children")


@cache  # the same ids in every language file
def hsds_id(kind: str, *parts: str) -> str:
    """A stable HSDS id (uuid5) for one of our objects: the same in every build and in every language."""
    return str(uuid.uuid5(ID_NAMESPACE, ":".join((kind, *parts))))


def _text(value: Any, language: str) -> str | None:
    return in_language(value, language)[0] or None


def _word(key: str, language: str) -> str:
    return in_language(EXPORT_WORDS[key], language)[0]


def _join(items: list[str], language: str) -> str:
    return LIST_JOIN.get(language, ", ").join(items)


def _compact(obj: dict[str, Any]) -> dict[str, Any]:
    """Drop absent optional fields (None or empty lists); required fields are given "" deliberately."""
    return {key: value for key, value in obj.items() if value is not None and value != []}


# --- Shared helpers -----------------------------------------------------------------------------------------------


def phone_e164(phone: Phone, country: str | None) -> str:
    """A phone in E.164; short codes as written (they have no international form)."""
    number = phone.number.strip()
    if phone.kind == "short-code":
        return number
    try:
        return e164(number, country)
    except phonenumbers.NumberParseException:
        return number  # the validator reports it; the export keeps what the editor wrote


def service_page_url(site_url: str, service: PublicService, language: str) -> str:
    return absolute_url(site_url, language, service_path(service.id))


def sorted_services(directory: PublicDirectory) -> list[PublicService]:
    return sorted(directory.services, key=lambda service: service.id)


def _city_name(directory: PublicDirectory, country: str, slug: str, language: str) -> str:
    city = directory.city(country, slug)
    return city.name_in(language) if city else slug


def _layers(service: PublicService, vocabulary: Vocabulary) -> list[int]:
    return _layers_of(service.categories, vocabulary)


def _layers_of(categories: Iterable[str], vocabulary: Vocabulary) -> list[int]:
    found = {vocabulary.categories[c].layer for c in categories if c in vocabulary.categories}
    return sorted(layer for layer in found if layer is not None)


# --- Opening hours -------------------------------------------------------------------------------------------------

_DAY_SPEC = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?"
_SIMPLE_RULE = re.compile(
    rf"(?P<days>{_DAY_SPEC}(?:,{_DAY_SPEC})*) (?P<times>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)"
)
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")


@dataclass(frozen=True)
class WeeklyOpening:
    days: tuple[int, ...]  # 0 = Monday
    opens: str  # HH:MM, local time
    closes: str


def _days(spec: str) -> tuple[int, ...] | None:
    days: list[int] = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        start = OSM_DAYS.index(first)
        end = OSM_DAYS.index(last) if last else start
        if end < start:  # a range across Sunday: not handled, hours stay in the description only
            return None
        days.extend(range(start, end + 1))
    return tuple(days) if len(set(days)) == len(days) else None


def weekly_openings(hours: str) -> list[WeeklyOpening] | None:
    """Structured form of simple rules (`Mo-Fr 08:30-16:30; Sa 09:00-12:00`), or None for anything else.

    In OSM syntax a later rule replaces an earlier one on the days they share, so rules that share a day are refused.
    """
    openings: list[WeeklyOpening] = []
    seen: set[int] = set()
    for rule_text in hours.split(";"):
        match = _SIMPLE_RULE.fullmatch(rule_text.strip())
        days = _days(match["days"]) if match else None
        if match is None or days is None or seen & set(days):
            return None
        seen |= set(days)
        previous_close = ""
        for span in match["times"].split(","):
            opens, closes = span.split("-")
            if not (_TIME.fullmatch(opens) and _TIME.fullmatch(closes) and previous_close < opens < closes):
                return None  # invalid, overlapping or past-midnight spans
            previous_close = closes
            openings.append(WeeklyOpening(days, opens, closes))
    return openings


@cache
def fixed_utc_offset(timezone: str, year: int) -> timedelta | None:
    """The UTC offset of a time zone when it is the same all through `year` and the next one, else None.

    Morocco changes offset for Ramadan: its hours cannot be given as one offset, so they stay a description.
    """
    try:
        zone = zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    noon = datetime(year, 1, 1, 12)
    offsets = {zone.utcoffset(noon + timedelta(days=day)) for day in range(731)}
    return offsets.pop() if len(offsets) == 1 else None


def _time_with_offset(hhmm: str, offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return f"{hhmm}Z"
    hours, rest = divmod(abs(minutes), 60)
    return f"{hhmm}{'+' if minutes > 0 else '-'}{hours:02d}:{rest:02d}"


def hsds_schedules(
    service: PublicService, directory: PublicDirectory, language: str, as_of: date
) -> list[dict[str, Any]]:
    hours = service.hours
    notes = _text(service.hours_note, language)
    if hours is None and notes is None:
        return []
    service_uuid = hsds_id("service", service.id)
    described = {"description": hours, "notes": notes}
    city = directory.city(service.country, service.city)
    offset = fixed_utc_offset(city.timezone, as_of.year) if city and city.timezone else None
    openings = weekly_openings(hours) if hours and offset is not None else None
    if offset is None or not openings:  # description only: not a simple rule, or no single UTC offset
        return [_compact({"id": hsds_id("schedule", service.id, "0"), "service_id": service_uuid, **described})]
    offset_hours = offset.total_seconds() / 3600
    return [
        _compact(
            {
                "id": hsds_id("schedule", service.id, str(index)),
                "service_id": service_uuid,
                **(described if index == 0 else {}),
                "freq": "WEEKLY",
                "byday": ",".join(RRULE_DAYS[day] for day in opening.days),
                "opens_at": _time_with_offset(opening.opens, offset),
                "closes_at": _time_with_offset(opening.closes, offset),
                "timezone": int(offset_hours) if offset_hours.is_integer() else offset_hours,
            }
        )
        for index, opening in enumerate(openings)
    ]


# --- HSDS objects --------------------------------------------------------------------------------------------------


def _hsds_phone(phone: Phone, phone_uuid: str, link: dict[str, str], country: str, language: str) -> dict[str, Any]:
    kind = phone.kind
    description = _text(phone.note, language) or ("WhatsApp" if kind == "whatsapp" else None)
    return _compact(
        {
            "id": phone_uuid,
            **link,
            "number": phone_e164(phone, country),
            "type": PHONE_TYPES.get(kind, "voice"),
            "description": description,
        }
    )


def hsds_organization(org: PublicOrganization, service: PublicService, language: str) -> dict[str, Any]:
    """The organisation, nested in the service (a confidential service's carries its name only)."""
    org_uuid = hsds_id("organization", org.id)
    link = {"organization_id": org_uuid}
    organization: dict[str, Any] = {
        "id": org_uuid,
        "name": _text(org.name, language) or org.id,
        "alternate_name": org.acronym,
        "description": _text(org.description, language) or "",
        "email": org.email,
        "website": org.website,
        "phones": [
            _hsds_phone(phone, hsds_id("phone", "organization", org.id, str(i)), link, service.country, language)
            for i, phone in enumerate(org.phones)
        ],
    }
    return _compact(organization)


@dataclass(frozen=True)
class AttributeTerm:
    """A taxonomy term a service is linked to, with the kind of link and its value (a layer's number, yes/no)."""

    link_type: str
    term: dict[str, Any]
    value: str | None = None


def _term(
    kind: str, code: str, label: LanguageMap, language: str, description: str | None = None, parent: str | None = None
) -> dict[str, Any]:
    name, name_language = in_language(label, language)
    return _compact(
        {
            "id": hsds_id("taxonomy_term", kind, code),
            "code": code,
            "name": name or code,
            "description": description or name or code,
            "parent_id": parent,
            "taxonomy": _word(f"taxonomy_{kind}", language),
            "taxonomy_id": hsds_id("taxonomy", kind),
            "language": name_language,
        }
    )


def _attribute(service_id: str, link_type: str, term: dict[str, Any], value: str | None = None) -> dict[str, Any]:
    return _compact(
        {
            "id": hsds_id("attribute", service_id, link_type, term["code"]),
            "link_id": hsds_id("service", service_id),
            "taxonomy_term_id": term["id"],
            "link_type": link_type,
            "link_entity": "service",
            "value": value,
        }
    )


def _layer_term(layer: int, vocabulary: Vocabulary, language: str) -> dict[str, Any]:
    label = vocabulary.layers.get(layer, {})
    description = _word("layer_description", language).format(layer=layer, label=in_language(label, language)[0])
    return _term("layers", f"iasc-layer-{layer}", label, language, description)


def _category_term(category: str, vocabulary: Vocabulary, language: str) -> dict[str, Any]:
    term = vocabulary.categories.get(category)
    layer = _layer_term(term.layer, vocabulary, language) if term and term.layer is not None else None
    return _term(
        "categories",
        category,
        term.label if term else {},
        language,
        layer["description"] if layer else None,
        layer["id"] if layer else None,
    )


def _population_term(population: str, vocabulary: Vocabulary, language: str) -> dict[str, Any]:
    known = vocabulary.populations.get(population)
    return _term("populations", population, known.label if known else {}, language)


def _condition_term(condition: str, language: str) -> dict[str, Any]:
    return _term("conditions", condition.replace("_", "-"), EXPORT_WORDS[condition], language)


def _conditions_stated(service: PublicService) -> list[tuple[str, bool]]:
    stated = ((condition, getattr(service.referral, condition)) for condition in ACCESS_CONDITIONS)
    return [(condition, accepted) for condition, accepted in stated if accepted is not None]


def service_terms(service: PublicService, vocabulary: Vocabulary, language: str) -> list[AttributeTerm]:
    """Categories (children of their IASC pyramid layer), the layers, populations served and access conditions."""
    return [
        *(AttributeTerm("service_category", _category_term(c, vocabulary, language)) for c in service.categories),
        *(
            AttributeTerm("iasc_pyramid_layer", _layer_term(layer, vocabulary, language), str(layer))
            for layer in _layers(service, vocabulary)
        ),
        *(AttributeTerm("population_served", _population_term(p, vocabulary, language)) for p in service.populations),
        *(
            AttributeTerm("access_condition", _condition_term(condition, language), str(accepted).lower())
            for condition, accepted in _conditions_stated(service)
        ),
    ]


def hsds_attributes(service: PublicService, vocabulary: Vocabulary, language: str) -> list[dict[str, Any]]:
    """The service's attributes. Each names its term by `taxonomy_term_id` only: the terms are listed once, in
    the document's `taxonomy_terms`. Nested in every attribute, they were 60% of the file."""
    return [_attribute(service.id, t.link_type, t.term, t.value) for t in service_terms(service, vocabulary, language)]


def hsds_taxonomy_terms(directory: PublicDirectory, language: str) -> list[dict[str, Any]]:
    """Every term the services' attributes name, once, by taxonomy then code: built from the distinct codes the
    services use, not service by service."""
    vocabulary, services = directory.vocabulary, directory.services
    categories = {category for service in services for category in service.categories}
    populations = {population for service in services for population in service.populations}
    conditions = {condition for service in services for condition, _ in _conditions_stated(service)}
    terms = [
        *(_category_term(category, vocabulary, language) for category in categories),
        *(_layer_term(layer, vocabulary, language) for layer in _layers_of(categories, vocabulary)),
        *(_population_term(population, vocabulary, language) for population in populations),
        *(_condition_term(condition, language) for condition in conditions),
    ]
    return sorted(terms, key=lambda term: (term["taxonomy_id"], term["code"]))


def _service_areas(service: PublicService, directory: PublicDirectory, language: str) -> list[dict[str, Any]]:
    if not service.mobile:
        return []
    cities = _join([_city_name(directory, service.country, c, language) for c in service.served_cities], language)
    area = {
        "id": hsds_id("service_area", service.id),
        "service_id": hsds_id("service", service.id),
        "name": _text(service.mobile_area, language) or cities,
        "description": cities,
    }
    return [_compact(area)]


def _service_at_locations(service: PublicService, directory: PublicDirectory, language: str) -> list[dict[str, Any]]:
    location = service.location
    if location is None:
        return []
    location_uuid = hsds_id("location", service.id)
    address = _text(location.address, language)
    addresses = []
    if address:
        addresses.append(
            {
                "id": hsds_id("address", service.id),
                "location_id": location_uuid,
                "address_1": address,
                "city": _city_name(directory, service.country, service.city, language),
                "state_province": "",  # required by HSDS, not recorded by Relais
                "postal_code": "",
                "country": service.country,
                "address_type": "physical",
            }
        )
    place = {
        "id": location_uuid,
        "location_type": "physical",
        "description": _text(location.directions, language),
        "latitude": location.latitude,
        "longitude": location.longitude,
        "addresses": addresses,
    }
    return [
        {
            "id": hsds_id("service_at_location", service.id),
            "service_id": hsds_id("service", service.id),
            "location_id": location_uuid,
            "location": _compact(place),
        }
    ]


def _contacts(service: PublicService, language: str) -> list[dict[str, Any]]:
    door = service.front_door
    if door is None:
        return []
    contact_uuid = hsds_id("contact", service.id, "front_door")
    phones = [
        _hsds_phone(
            phone,
            hsds_id("phone", "front_door", service.id, str(i)),
            {"contact_id": contact_uuid},
            service.country,
            language,
        )
        for i, phone in enumerate(door.phones)
    ]
    contact = {
        "id": contact_uuid,
        "service_id": hsds_id("service", service.id),
        "name": _text(door.description, language),
        "email": door.email,
        "phones": phones,
    }
    return [_compact(contact)]


def _fees(referral: Referral, language: str) -> str | None:
    cost = referral.cost
    label = _word(f"cost_{cost}", language) if f"cost_{cost}" in EXPORT_WORDS else None
    return " – ".join(filter(None, [label, _text(referral.cost_note, language)])) or None


def relais_fields(service: PublicService) -> dict[str, Any]:
    """What HSDS has no field for but a re-import (`relais import hsds`) needs: an extension object `x_relais`.

    Built from the public projection like the rest of the export: a confidential service has no website here.
    """
    door = service.front_door
    return _compact(
        {
            "slug": service.id,
            "organization": service.organization.id,
            "country": service.country,
            "city": service.city,
            "mobile_cities": service.served_cities[1:],
            "visibility": "confidential" if service.confidential else "public",
            "website": service.website,
            "phone_types": [phone.kind for phone in service.phones],
            "front_door_phone_types": [phone.kind for phone in door.phones] if door else [],
            "cost": service.referral.cost,
        }
    )


def hsds_service(
    service: PublicService, directory: PublicDirectory, language: str, as_of: date, site_url: str
) -> dict[str, Any]:
    """One service as an HSDS 3.0 service object (validates against the compiled service.json)."""
    service_uuid = hsds_id("service", service.id)
    link = {"service_id": service_uuid}
    referral = service.referral
    vocabulary = directory.vocabulary
    populations = [
        vocabulary.populations[p].label_in(language) for p in service.populations if p in vocabulary.populations
    ]
    documents = _text(referral.documents, language)
    return _compact(
        {
            "id": service_uuid,
            "organization_id": hsds_id("organization", service.organization.id),
            "name": service.text("name", language)[0] or service.id,
            "description": _text(service.description, language),
            "url": service_page_url(site_url, service, language),
            "email": service.email,
            "status": service.status,
            "application_process": _text(referral.method, language),
            "fees_description": _fees(referral, language),
            "eligibility_description": LIST_SEPARATOR.join(populations) or None,
            "assured_date": service.verified_on.isoformat() if service.verified_on else None,
            "alert": _text(service.status_note, language),
            "phones": [
                _hsds_phone(phone, hsds_id("phone", service.id, str(i)), link, service.country, language)
                for i, phone in enumerate(service.phones)
            ],
            "schedules": hsds_schedules(service, directory, language, as_of),
            "service_areas": _service_areas(service, directory, language),
            "service_at_locations": _service_at_locations(service, directory, language),
            "languages": [
                {"id": hsds_id("language", service.id, tag), **link, "name": language_name(tag, language), "code": tag}
                for tag in service.languages
            ],
            "organization": hsds_organization(service.organization, service, language),
            "required_documents": (
                [{"id": hsds_id("required_document", service.id), **link, "document": documents}] if documents else []
            ),
            "contacts": _contacts(service, language),
            "attributes": hsds_attributes(service, vocabulary, language),
            "x_relais": relais_fields(service),
        }
    )


def hsds_document(directory: PublicDirectory, language: str, as_of: date, site_url: str) -> dict[str, Any]:
    """The whole directory in one language: a wrapper object whose `services` are HSDS 3.0 service objects and
    whose `taxonomy_terms` are the HSDS 3.0 taxonomy terms their attributes name."""
    return {
        **_hsds_header(language, as_of),
        "services": list(_hsds_services(directory, language, as_of, site_url)),
        "taxonomy_terms": hsds_taxonomy_terms(directory, language),
    }


def _hsds_header(language: str, as_of: date) -> dict[str, Any]:
    return {"hsds_version": HSDS_VERSION, "language": language, "generated_on": as_of.isoformat()}


def _hsds_services(directory: PublicDirectory, language: str, as_of: date, site_url: str) -> Iterator[dict[str, Any]]:
    return (hsds_service(s, directory, language, as_of, site_url) for s in sorted_services(directory))


def write_hsds_json(path: Path, directory: PublicDirectory, language: str, as_of: date, site_url: str) -> None:
    """Write `hsds_document` one service at a time, each on its own line: the whole document in memory, then as
    one indented string, was most of the build's peak memory at 10,000 services, and indenting runs json's slow
    pure-Python encoder. One service a line still reads and diffs well."""
    head = json.dumps(_hsds_header(language, as_of), ensure_ascii=False, separators=COMPACT)
    with path.open("w", encoding="utf-8") as out:
        out.write(head.removesuffix("}") + ',"services":[')
        separator = "\n"
        for service in _hsds_services(directory, language, as_of, site_url):
            out.write(separator + json.dumps(service, ensure_ascii=False, separators=COMPACT))
            separator = ",\n"
        out.write('\n],"taxonomy_terms":[')
        separator = "\n"
        for term in hsds_taxonomy_terms(directory, language):
            out.write(separator + json.dumps(term, ensure_ascii=False, separators=COMPACT))
            separator = ",\n"
        out.write("\n]}\n")


# --- CSV rows (written by relais.export.csv_tables) ---------------------------------------------------------------


def _flag(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else ""


def _number(value: float | None) -> str:
    return "" if value is None else repr(value)


def service_row(service: PublicService, directory: PublicDirectory, as_of: date, site_url: str) -> dict[str, str]:
    """One service as a flat row, text in French (the language every entry has)."""
    fr = DEFAULT_LANGUAGE
    vocabulary = directory.vocabulary
    door = service.front_door
    location = service.location
    phones = [*service.phones, *(door.phones if door else [])]
    numbers = list(dict.fromkeys(phone_e164(phone, service.country) for phone in phones))
    referral = service.referral
    verified = service.verification
    categories = [
        vocabulary.categories[c].label_in(fr) if c in vocabulary.categories else c for c in service.categories
    ]
    populations = [
        vocabulary.populations[p].label_in(fr) if p in vocabulary.populations else p for p in service.populations
    ]
    return {
        "id": service.id,
        "name": service.text("name", fr)[0],
        "organization": _text(service.organization.name, fr) or service.organization.id,
        "status": service.status,
        "country": service.country,
        "city": _city_name(directory, service.country, service.city, fr),
        "categories": LIST_SEPARATOR.join(categories),
        "pyramid_layers": LIST_SEPARATOR.join(str(layer) for layer in _layers(service, vocabulary)),
        "populations": LIST_SEPARATOR.join(populations),
        "languages": LIST_SEPARATOR.join(service.languages),
        "phones_e164": LIST_SEPARATOR.join(numbers),
        "email": service.email or (door.email if door else None) or "",
        "website": service.website or "",
        "hours": service.hours or "",
        "address": (_text(location.address, fr) if location else None) or "",
        "latitude": _number(location.latitude if location else None),
        "longitude": _number(location.longitude if location else None),
        "mobile_area": _text(service.mobile_area, fr) or "",
        "accepts_undocumented": _flag(referral.accepts_undocumented),
        "accepts_unaccompanied_children": _flag(referral.accepts_unaccompanied_children),
        "cost": referral.cost or "",
        "visibility": "confidential" if service.confidential else "public",
        "verified_date": service.verified_on.isoformat() if service.verified_on else "",
        "verified_by": verified.by,
        "verified_method": verified.method,
        "stale": _flag(is_stale(service.verified_on, as_of)),
        "url": service_page_url(site_url, service, fr),
    }


def four_w_rows(service: PublicService, directory: PublicDirectory) -> list[dict[str, str]]:
    """Who does what, where, for whom: one row per category of the service (French labels)."""
    fr = DEFAULT_LANGUAGE
    vocabulary = directory.vocabulary
    organization = service.organization
    populations = [
        vocabulary.populations[p].label_in(fr) if p in vocabulary.populations else p for p in service.populations
    ]
    common = {
        "service_id": service.id,
        "organization": _text(organization.name, fr) or organization.id,
        "organization_acronym": organization.acronym or "",
        "country": service.country,
        "city": _city_name(directory, service.country, service.city, fr),
        "mobile_cities": LIST_SEPARATOR.join(
            _city_name(directory, service.country, c, fr) for c in service.served_cities[1:]
        ),
        "populations": LIST_SEPARATOR.join(populations),
        "status": service.status,
        "verified_date": service.verified_on.isoformat() if service.verified_on else "",
    }
    rows = []
    for category in service.categories:
        term = vocabulary.categories.get(category)
        rows.append(
            {
                **common,
                "category_id": category,
                "category_label": term.label_in(fr) if term else category,
                "pyramid_layer": str(term.layer) if term and term.layer is not None else "",
            }
        )
    return rows


# --- Files ---------------------------------------------------------------------------------------------------------


def write_exports(directory: PublicDirectory, out_dir: Path, as_of: date, site_url: str) -> list[Path]:
    """Write hsds-<language>.json, services.csv and 4w.csv into `out_dir`; byte-identical for the same input."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        path = out_dir / f"hsds-{language}.json"
        write_hsds_json(path, directory, language, as_of, site_url)
        written.append(path)
    services = sorted_services(directory)
    tables = {
        "services.csv": (SERVICE_COLUMNS, [service_row(s, directory, as_of, site_url) for s in services]),
        "4w.csv": (FOUR_W_COLUMNS, [row for s in services for row in four_w_rows(s, directory)]),
    }
    for name, (columns, rows) in tables.items():
        written.append(write_csv(out_dir / name, columns, rows))
    return written
