"""Turn one nested HSDS 3.0 service into our fields, reporting every field that has no home in our format.

Reads the `x_relais` extension of our own export (slug, country, city, visibility, website, phone types) when it is
there. Never invents what HSDS cannot give (French text, categories, populations, country, city): options, the
mapping file, or an IMP008 error. A confidential entry never gets a location, whatever the record carries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from relais.core.diagnostics import Diagnostic
from relais.i18n.export_words import EXPORT_WORDS
from relais.importers.mapping import Mapping
from relais.importers.model import ImportedOrganization, ImportedService, ImportOptions, Where
from relais.importers.schedules import convert_schedules
from relais.importers.values import (
    city_slug,
    city_suggestion,
    clean_text,
    country_code,
    country_of_city,
    international_phone,
    language_tag,
    parse_date,
)
from relais.model.directory import Directory
from relais.render.scaffold import slugify

OUR_TAXONOMY_LINKS = {"service_category": "categories", "population_served": "populations"}
HSDS_PHONE_TYPES = {"voice": "voice", "cell": "mobile", "fax": "fax", "text": "mobile", "textphone": "voice"}
EXTENSION_WORD = {"fr": "poste", "en": "ext.", "ar": "تحويلة"}
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
# Service fields the importer reads (the rest, when not empty, is reported as having no home).
SERVICE_FIELDS = {
    "id", "organization_id", "program_id", "name", "description", "url", "email", "status", "application_process",
    "fees_description", "alert", "phones", "schedules", "service_areas", "service_at_locations", "languages",
    "organization", "required_documents", "contacts", "attributes", "x_relais",
}  # fmt: skip
OUR_EXPORT_ONLY = {"eligibility_description", "assured_date"}  # derived from fields we import another way
PERSONAL_CONTACT_FIELDS = ("name", "email", "phones")


@dataclass
class RecordContext:
    directory: Directory
    options: ImportOptions
    mapping: Mapping
    language: str
    no_home: Counter[str] = field(default_factory=Counter)
    first_seen: dict[str, Where] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def unplaced(self, name: str, where: Where) -> None:
        self.no_home[name] += 1
        self.first_seen.setdefault(name, where)

    def report(self, where: Where, rule_id: str, **fields: Any) -> None:
        self.diagnostics.append(where.diagnostic(rule_id, **fields))


def _present(value: Any) -> bool:
    return value not in (None, "", [], {})


def _report_leftovers(obj: dict[str, Any], known: set[str], prefix: str, where: Where, context: RecordContext) -> None:
    for key, value in obj.items():
        if key not in known and key != "id" and not key.endswith("_id") and _present(value):
            context.unplaced(f"{prefix}{key}", where.at(key))


def _text(value: Any, language: str) -> dict[str, str] | None:
    text = clean_text(value)
    return {language: text} if text else None


def _required(obj: dict[str, Any], keys: tuple[str, ...], kind: str, where: Where, context: RecordContext) -> bool:
    missing = [key for key in keys if not _present(obj.get(key))]
    for key in missing:
        context.report(where.at(key), "IMP002", kind=kind, field=key)
    return not missing


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


# --- Phones --------------------------------------------------------------------------------------------------------


def convert_phone(
    phone: dict[str, Any], kind: str | None, country: str | None, where: Where, context: RecordContext, prefix: str
) -> dict[str, Any] | None:
    if not _required(phone, ("number",), "phone", where, context):
        return None
    phone_type = kind or HSDS_PHONE_TYPES.get(str(phone.get("type", "voice")), "voice")
    number = international_phone(str(phone["number"]), country, phone_type)
    if number is None:
        context.report(where.at("number"), "IMP017", number=phone["number"], country=country or "any country")
        return None
    converted: dict[str, Any] = {"number": number, "type": phone_type}
    note = clean_text(phone.get("description"))
    if note == "WhatsApp" and phone_type == "whatsapp":
        note = None  # our export's own label for the type
    extension = clean_text(phone.get("extension"))
    if extension:
        note = " ".join(filter(None, [note, f"({EXTENSION_WORD[context.language]} {extension})"]))
    if note:
        converted["note"] = {context.language: note}
    _report_leftovers(phone, {"number", "type", "description", "extension"}, f"{prefix}.", where, context)
    return converted


def convert_phones(
    phones: list[dict[str, Any]], kinds: list[str], country: str | None, where: Where, context: RecordContext, key: str
) -> list[dict[str, Any]]:
    converted = []
    for index, phone in enumerate(phones):
        kind = kinds[index] if index < len(kinds) else None
        found = convert_phone(phone, kind, country, where.at(index), context, key)
        if found and found["number"] not in [p["number"] for p in converted]:
            converted.append(found)
    return converted


# --- Place ---------------------------------------------------------------------------------------------------------


def _first_location(
    service: dict[str, Any], where: Where, context: RecordContext, report: bool = False
) -> tuple[dict[str, Any], Where]:
    links = _list(service.get("service_at_locations"))
    for index in range(1, len(links) if report else 1):
        context.unplaced(
            "service_at_locations[1:] (more than one location)", where.at("service_at_locations").at(index)
        )
    if not links:
        return {}, where
    link_where = where.at("service_at_locations").at(0)
    if report:
        _report_leftovers(links[0], {"location", "description"}, "service_at_location.", link_where, context)
    location = links[0].get("location") if isinstance(links[0].get("location"), dict) else {}
    return location, link_where.at("location")


def _address(location: dict[str, Any], where: Where, context: RecordContext) -> tuple[dict[str, Any], Where]:
    addresses = _list(location.get("addresses"))
    physical = [a for a in addresses if a.get("address_type") in (None, "", "physical")] or addresses
    if not physical:
        return {}, where
    index = addresses.index(physical[0])
    return physical[0], where.at("addresses").at(index)


def place_of(
    service: dict[str, Any], extension: dict[str, Any], where: Where, context: RecordContext
) -> tuple[str | None, str | None]:
    """Country and city slug: our extension, then the options and mapping, then the address."""
    options, mapping, directory = context.options, context.mapping, context.directory
    location, location_where = _first_location(service, where, context)
    address, address_where = _address(location, location_where, context)
    country = extension.get("country") or options.country or mapping.country
    if not country and clean_text(address.get("country")):
        country = country_code(str(address["country"]))
    city = extension.get("city") or options.city or mapping.city
    if not city and clean_text(address.get("city")):
        name = str(address["city"])
        city = mapping.cities.get(name) or city_slug(directory, country, name)
        if city is None:
            context.report(
                address_where.at("city"), "IMP006", name=name, suggestion=city_suggestion(directory, country, name)
            )
            return country, None
    if city and not country:
        country = country_of_city(directory, city)
    if not country:
        context.report(where, "IMP008", field="country", how="no address country; give --country")
    elif not city:
        context.report(where, "IMP008", field="city", how="no address city; give --city")
    return country, city


def location_of(
    service: dict[str, Any], confidential: bool, where: Where, context: RecordContext
) -> dict[str, Any] | None:
    location, location_where = _first_location(service, where, context, report=True)
    if not location:
        return None
    if confidential:
        context.report(location_where, "IMP011", field="location", reason="the entry is confidential")
        return None
    address, address_where = _address(location, location_where, context)
    result: dict[str, Any] = {}
    line = ", ".join(filter(None, [clean_text(address.get("address_1")), clean_text(address.get("address_2"))]))
    if line:
        result["address"] = {context.language: line}
    if clean_text(address.get("attention")):
        context.report(address_where.at("attention"), "IMP015", field="address.attention")
    known = {"address_1", "address_2", "city", "country", "address_type", "attention"}
    _report_leftovers(address, known, "address.", address_where, context)
    directions = _text(location.get("description"), context.language)
    if directions:
        result["directions"] = directions
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = _number(location.get(key))
        if value is None:
            continue
        if low <= value <= high:
            result[key] = value
        else:
            context.report(location_where.at(key), "IMP011", field=f"location.{key}", reason=f"{value} is out of range")
    if ("latitude" in result and "longitude" not in result) or ("longitude" in result and "latitude" not in result):
        result.pop("latitude", None), result.pop("longitude", None)
    known = {"addresses", "description", "latitude", "longitude", "location_type", "name"}
    _report_leftovers(location, known, "location.", location_where, context)
    if clean_text(location.get("name")):
        context.unplaced("location.name", location_where.at("name"))
    return result or None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# --- Taxonomy, organisation, contacts ------------------------------------------------------------------------------


def terms_of(
    service: dict[str, Any], where: Where, context: RecordContext
) -> tuple[list[str], list[str], dict[str, bool]]:
    """Categories, populations and access conditions from the attributes (our codes, or mapped terms)."""
    vocabulary, mapping = context.directory.vocabulary, context.mapping
    categories: list[str] = []
    populations: list[str] = []
    conditions: dict[str, bool] = {}
    for index, attribute in enumerate(_list(service.get("attributes"))):
        term = attribute.get("taxonomy_term") if isinstance(attribute.get("taxonomy_term"), dict) else {}
        code, name = clean_text(term.get("code")) or "", clean_text(term.get("name")) or ""
        link = str(attribute.get("link_type", ""))
        if link == "service_category" and code in vocabulary.categories:
            categories.append(code)
        elif link == "population_served" and code in vocabulary.populations:
            populations.append(code)
        elif link == "access_condition" and code.replace("-", "_") in (
            "accepts_undocumented",
            "accepts_unaccompanied_children",
        ):
            conditions[code.replace("-", "_")] = str(attribute.get("value", "")).lower() == "true"
        elif link == "iasc_pyramid_layer":
            continue  # follows from the categories
        elif code in mapping.categories or name in mapping.categories:
            categories.append(mapping.categories.get(code) or mapping.categories[name])
        elif code in mapping.populations or name in mapping.populations:
            populations.append(mapping.populations.get(code) or mapping.populations[name])
        else:
            context.unplaced(f"attributes (taxonomy term `{name or code}`)", where.at("attributes").at(index))
    categories = list(dict.fromkeys(categories)) or list(context.options.categories) or mapping.default_categories
    populations = list(dict.fromkeys(populations)) or list(context.options.populations) or mapping.default_populations
    if not categories:
        context.report(
            where, "IMP008", field="categories", how="no attribute maps to a Relais category; give --category"
        )
    if not populations:
        context.report(where, "IMP008", field="populations", how="no attribute maps to a population; give --population")
    return categories, populations, conditions


def organization_of(
    service: dict[str, Any], extension: dict[str, Any], confidential: bool, where: Where, context: RecordContext
) -> ImportedOrganization | None:
    nested = service.get("organization") if isinstance(service.get("organization"), dict) else {}
    name = clean_text(nested.get("name"))
    slug = extension.get("organization") or context.options.organization or context.mapping.organization
    slug = slug or (slugify(name) if name else None)
    if not slug:
        context.report(where, "IMP008", field="organization", how="no organisation name; give --organization")
        return None
    data: dict[str, Any] = {"name": {context.language: name or slug}}
    for key, target in (("alternate_name", "acronym"), ("website", "website"), ("email", "email")):
        if clean_text(nested.get(key)) and not (confidential and key != "alternate_name"):
            data[target] = clean_text(nested[key])
    description = _text(nested.get("description"), context.language)
    if description:
        data["description"] = description
    organization_where = where.at("organization")
    phones = _list(nested.get("phones"))
    if phones and not confidential:
        data["phones"] = convert_phones(
            phones, [], None, organization_where.at("phones"), context, "organization.phones"
        )
    known = {"name", "alternate_name", "website", "email", "description", "phones", "services"}
    _report_leftovers(nested, known, "organization.", organization_where, context)
    return ImportedOrganization(slug, data)


def front_door_of(
    service: dict[str, Any], extension: dict[str, Any], country: str | None, where: Where, context: RecordContext
) -> dict[str, Any] | None:
    """The public way in of a confidential entry: the first contact's role, phones and e-mail."""
    contacts = _list(service.get("contacts"))
    if not contacts:
        return None
    contact, contact_where = contacts[0], where.at("contacts").at(0)
    from_relais = bool(extension)  # our export writes the front door's description as the contact's name
    description = (
        clean_text(contact.get("name"))
        if from_relais
        else clean_text(contact.get("title") or contact.get("department"))
    )
    if not from_relais and clean_text(contact.get("name")):
        context.report(contact_where.at("name"), "IMP015", field="contacts.name")
    kinds = list(extension.get("front_door_phone_types", []))
    phones = convert_phones(
        _list(contact.get("phones")), kinds, country, contact_where.at("phones"), context, "contacts.phones"
    )
    door: dict[str, Any] = {"description": {context.language: description or "Point focal"}}
    if phones:
        door["phones"] = phones
    if clean_text(contact.get("email")):
        door["email"] = clean_text(contact["email"])
    return door if phones or "email" in door else None


def _report_personal_contacts(service: dict[str, Any], where: Where, context: RecordContext) -> None:
    for index, contact in enumerate(_list(service.get("contacts"))):
        for key in PERSONAL_CONTACT_FIELDS:
            if _present(contact.get(key)):
                context.report(where.at("contacts").at(index).at(key), "IMP015", field=f"contacts.{key}")


# --- The service ---------------------------------------------------------------------------------------------------


def _languages(service: dict[str, Any], where: Where, context: RecordContext) -> list[str]:
    tags = []
    for index, entry in enumerate(_list(service.get("languages"))):
        raw = clean_text(entry.get("code")) or clean_text(entry.get("name"))
        tag = language_tag(raw) if raw else None
        if tag is None:
            context.report(
                where.at("languages").at(index), "IMP011", field="languages", reason=f"`{raw}` is not a language tag"
            )
        elif tag not in tags:
            tags.append(tag)
        if clean_text(entry.get("note")):
            context.unplaced("languages.note", where.at("languages").at(index))
    return tags


def _referral(
    service: dict[str, Any], extension: dict[str, Any], conditions: dict[str, bool], language: str
) -> dict[str, Any]:
    referral: dict[str, Any] = {}
    method = _text(service.get("application_process"), language)
    if method:
        referral["method"] = method
    documents = [clean_text(d.get("document")) for d in _list(service.get("required_documents"))]
    if any(documents):
        referral["documents"] = {language: "; ".join(d for d in documents if d)}
    referral.update(conditions)
    fees = clean_text(service.get("fees_description"))
    cost = extension.get("cost")
    if cost:
        referral["cost"] = cost
        label = EXPORT_WORDS.get(f"cost_{cost}", {}).get(language, "")
        fees = fees.removeprefix(label).removeprefix(" – ").strip() if fees else None
    if fees:
        referral["cost_note"] = {language: fees}
    return referral


def _status(service: dict[str, Any], where: Where, context: RecordContext) -> str:
    status = str(service.get("status", "active"))
    if status not in STATUSES:
        context.unplaced(f"status `{status}`", where.at("status"))
        return "inactive"
    return status


SERVICE_DATES = ("assured_date", "last_modified")
SCHEDULE_DATES = ("valid_from", "valid_to", "dtstart", "until")


def _check_dates(service: dict[str, Any], where: Where, context: RecordContext) -> None:
    """A date HSDS defines that is not one is an error: the rest of the record may be as wrong."""
    dated = [(service, where, SERVICE_DATES)] + [
        (schedule, where.at(f"schedules/{i}"), SCHEDULE_DATES)
        for i, schedule in enumerate(_list(service.get("schedules")))
    ]
    for obj, at, keys in dated:
        for key in keys:
            value = obj.get(key)
            if _present(value) and parse_date(value) is None:
                context.report(at.at(key), "IMP005", value=value, field=key)


def convert_service(service: dict[str, Any], where: Where, context: RecordContext) -> ImportedService | None:
    """Our fields for one HSDS service, or None when it lacks what HSDS or our format requires (diagnosed)."""
    errors_before = sum(d.is_error for d in context.diagnostics)
    language = context.language
    _required(service, ("id", "name", "status"), "service", where, context)
    _check_dates(service, where, context)
    extension = service.get("x_relais") if isinstance(service.get("x_relais"), dict) else {}
    record_id = clean_text(service.get("id"))
    slug = extension.get("slug")
    confidential = extension.get("visibility") == "confidential" or any(
        key in context.mapping.confidential for key in (record_id, slug) if key
    )
    country, city = place_of(service, extension, where, context)
    data: dict[str, Any] = {"name": _text(service.get("name"), language) or {}}
    data["description"] = _text(service.get("description"), language) or {}
    data["status"] = _status(service, where, context)
    alert = _text(service.get("alert"), language)
    if alert:
        data["status_note"] = alert
    data["country"], data["city"] = country, city
    categories, populations, conditions = terms_of(service, where, context)
    data["categories"], data["populations"] = categories, populations
    tags = _languages(service, where, context)
    if tags:
        data["languages"] = tags
    if not confidential:
        phones = convert_phones(
            _list(service.get("phones")),
            list(extension.get("phone_types", [])),
            country,
            where.at("phones"),
            context,
            "phones",
        )
        if phones:
            data["phones"] = phones
        email = clean_text(service.get("email"))
        if email:
            data["email"] = email
        website = extension.get("website") if extension else clean_text(service.get("url"))
        if website:
            data["website"] = website
    hours = convert_schedules(_list(service.get("schedules")))
    for line in hours.unconverted:
        context.report(where.at("schedules"), "IMP012", rule=line)
    if hours.hours:
        data["hours"] = hours.hours
    if hours.notes:
        data["hours_note"] = {language: " ".join(hours.notes)}
    areas = _list(service.get("service_areas"))
    if areas and extension:
        area = _text(areas[0].get("name"), language)
        mobile_cities = list(extension.get("mobile_cities", []))
        data["mobile"] = {"area": area or {}, **({"cities": mobile_cities} if mobile_cities else {})}
    elif areas:
        context.unplaced("service_areas", where.at("service_areas"))
    location = location_of(service, confidential, where, context)
    if location and "mobile" not in data:
        data["location"] = location
    referral = _referral(service, extension, conditions, language)
    if referral:
        data["referral"] = referral
    data["visibility"] = "confidential" if confidential else "public"
    if confidential:
        door = front_door_of(service, extension, country, where, context)
        if door is None:
            context.report(where, "IMP016")
        else:
            data["front_door"] = door
    elif extension and _list(service.get("contacts")):
        door = front_door_of(service, extension, country, where, context)
        if door:
            data["front_door"] = door
    else:
        _report_personal_contacts(service, where, context)
    organization = organization_of(service, extension, confidential, where, context)
    ignored = SERVICE_FIELDS | (OUR_EXPORT_ONLY if extension else set())
    _report_leftovers(service, ignored, "", where, context)
    if sum(d.is_error for d in context.diagnostics) > errors_before:
        return None
    data["organization"] = organization.slug if organization else None
    return ImportedService(where, record_id, language, data, slug, organization, missing_french=language != "fr")
