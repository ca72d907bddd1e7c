"""The public projection of the directory: the only form of a service that renderers and exporters receive.

Every field is copied by name (an allow-list); a field the projection does not name is never published, whatever
the schema says. A confidential service keeps only its name, categories, populations, languages, cost, front door,
city and verification stamp; its organisation only its name. Reading raw records is this module's job alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from relais.model.directory import (
    City,
    Country,
    Directory,
    Record,
    Service,
    Vocabulary,
    as_dict,
    as_list,
    in_language,
)

LanguageText = Mapping[str, str]


def _language_text(value: Any) -> LanguageText:
    """A language map of non-empty strings (a plain string counts as French, as the renderers always did)."""
    if isinstance(value, str):
        return {"fr": value} if value else {}
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str) and v}


def _string(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(item for item in as_list(value) if isinstance(item, str))


def _web_address(value: Any) -> str | None:
    """An http(s) address, or None: a page links to it, so nothing else is ever let through."""
    text = _string(value)
    if text is None:
        return None
    address = urlparse(text)
    return text if address.scheme in {"http", "https"} and address.netloc else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _coordinate(value: Any) -> float | None:
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if is_number and math.isfinite(value) else None


@dataclass(frozen=True)
class Phone:
    number: str
    kind: str
    note: LanguageText = field(default_factory=dict)


def _phones(value: Any) -> tuple[Phone, ...]:
    return tuple(
        Phone(entry["number"], str(entry.get("type", "voice")), _language_text(entry.get("note")))
        for entry in as_list(value)
        if isinstance(entry, dict) and isinstance(entry.get("number"), str)
    )


@dataclass(frozen=True)
class FrontDoor:
    """The public way in to a confidential service: who receives referrals, by phone or e-mail."""

    description: LanguageText
    phones: tuple[Phone, ...]
    email: str | None


@dataclass(frozen=True)
class Location:
    address: LanguageText
    directions: LanguageText
    latitude: float | None
    longitude: float | None

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Referral:
    method: LanguageText = field(default_factory=dict)
    documents: LanguageText = field(default_factory=dict)
    accepts_undocumented: bool | None = None
    accepts_unaccompanied_children: bool | None = None
    cost: str | None = None  # None: not stated (pages say "cost not known")
    cost_note: LanguageText = field(default_factory=dict)


@dataclass(frozen=True)
class Verification:
    on: date | None
    by: str
    method: str


@dataclass(frozen=True)
class SourceRef:
    title: str
    organization: str
    date: str
    url: str | None


@dataclass(frozen=True)
class PublicOrganization:
    id: str
    name: LanguageText
    acronym: str | None = None
    description: LanguageText = field(default_factory=dict)
    email: str | None = None
    website: str | None = None
    phones: tuple[Phone, ...] = ()

    def name_in(self, language: str) -> str:
        return in_language(dict(self.name), language)[0] or self.id


@dataclass(frozen=True)
class PublicService:
    """What may be published of one service. Optional parts are empty for a confidential service."""

    id: str
    name: LanguageText
    organization: PublicOrganization
    status: str
    country: str
    city: str
    categories: tuple[str, ...]
    populations: tuple[str, ...]
    languages: tuple[str, ...]
    referral: Referral
    verification: Verification
    confidential: bool
    stale: bool = False
    front_door: FrontDoor | None = None
    description: LanguageText = field(default_factory=dict)
    status_note: LanguageText = field(default_factory=dict)
    phones: tuple[Phone, ...] = ()
    email: str | None = None
    website: str | None = None
    hours: str | None = None
    hours_note: LanguageText = field(default_factory=dict)
    mobile: bool = False
    mobile_area: LanguageText = field(default_factory=dict)
    mobile_cities: tuple[str, ...] = ()
    location: Location | None = None
    sources: tuple[SourceRef, ...] = ()

    def text(self, key: str, language: str) -> tuple[str, str]:
        """A text field (`name`, `description`...) in `language`, else French, and the language it is in."""
        return in_language(dict(getattr(self, key)), language)

    @property
    def verified_on(self) -> date | None:
        return self.verification.on

    @property
    def served_cities(self) -> list[str]:
        """The city of the service, plus the other cities a mobile team covers."""
        return [self.city, *[c for c in self.mobile_cities if c != self.city]]


@dataclass(frozen=True)
class PublicDirectory:
    """The directory as every output sees it: vocabulary, places and projected services, nothing else."""

    vocabulary: Vocabulary
    countries: dict[str, Country]
    services: tuple[PublicService, ...]
    organizations: dict[str, PublicOrganization] = field(default_factory=dict)

    def city(self, country: str, slug: str) -> City | None:
        found = self.countries.get(country)
        return found.cities.get(slug) if found else None


def public_organization(org_id: str, record: Record | None) -> PublicOrganization:
    data = record.data if record else {}
    return PublicOrganization(
        id=org_id,
        name=_language_text(data.get("name")),
        acronym=_string(data.get("acronym")),
        description=_language_text(data.get("description")),
        email=_string(data.get("email")),
        website=_web_address(data.get("website")),
        phones=_phones(data.get("phones")),
    )


def organization_name_only(organization: PublicOrganization) -> PublicOrganization:
    """A confidential service's organisation: no contact, no description, nothing that says where it works."""
    return PublicOrganization(id=organization.id, name=organization.name, acronym=organization.acronym)


def _verification(data: dict[str, Any]) -> Verification:
    verified = as_dict(data.get("verified"))
    try:
        day = date.fromisoformat(str(verified.get("date")))
    except ValueError:
        day = None
    return Verification(day, str(verified.get("by", "")), str(verified.get("method", "")))


def _front_door(data: dict[str, Any]) -> FrontDoor | None:
    door = data.get("front_door")
    if not isinstance(door, dict):
        return None
    return FrontDoor(_language_text(door.get("description")), _phones(door.get("phones")), _string(door.get("email")))


def _location(data: dict[str, Any]) -> Location | None:
    location = data.get("location")
    if not isinstance(location, dict):
        return None
    found = Location(
        _language_text(location.get("address")),
        _language_text(location.get("directions")),
        _coordinate(location.get("latitude")),
        _coordinate(location.get("longitude")),
    )
    return found if found.address or found.directions or found.has_coordinates else None


def _referral(data: dict[str, Any], confidential: bool) -> Referral:
    referral = as_dict(data.get("referral"))
    cost = referral.get("cost") if isinstance(referral.get("cost"), str) else None
    if confidential:
        return Referral(cost=cost)
    return Referral(
        method=_language_text(referral.get("method")),
        documents=_language_text(referral.get("documents")),
        accepts_undocumented=_flag(referral.get("accepts_undocumented")),
        accepts_unaccompanied_children=_flag(referral.get("accepts_unaccompanied_children")),
        cost=cost,
        cost_note=_language_text(referral.get("cost_note")),
    )


def _sources(data: dict[str, Any]) -> tuple[SourceRef, ...]:
    return tuple(
        SourceRef(
            str(source.get("title", "")),
            str(source.get("organization", "")),
            str(source.get("date", "")),
            _web_address(source.get("url")),
        )
        for source in as_list(data.get("sources"))
        if isinstance(source, dict)
    )


def public_service(service: Service, organization: PublicOrganization) -> PublicService:
    """Project one service record. The allow-list of a confidential service is the first `PublicService(...)`."""
    data = service.data
    confidential = service.is_confidential
    mobile = as_dict(data.get("mobile"))
    common = PublicService(
        id=service.id,
        name=_language_text(data.get("name")),
        organization=organization_name_only(organization) if confidential else organization,
        status=service.status,
        country=service.country,
        city=service.city,
        categories=tuple(service.categories),
        populations=tuple(service.populations),
        languages=tuple(service.languages),
        referral=_referral(data, confidential),
        verification=_verification(data),
        confidential=confidential,
        stale=service.stale,
        front_door=_front_door(data),
        mobile=bool(mobile),
        mobile_cities=_strings(mobile.get("cities")),
    )
    if confidential:
        return common
    return PublicService(
        **{
            **vars(common),
            "description": _language_text(data.get("description")),
            "status_note": _language_text(data.get("status_note")),
            "phones": _phones(data.get("phones")),
            "email": _string(data.get("email")),
            "website": _web_address(data.get("website")),
            "hours": _string(data.get("hours")),
            "hours_note": _language_text(data.get("hours_note")),
            "mobile_area": _language_text(mobile.get("area")),
            "location": _location(data),
            "sources": _sources(data),
        }
    )


def public_directory(directory: Directory) -> PublicDirectory:
    """Project the whole directory: what the build hands to every page, sheet, index and export."""
    organizations = {org_id: public_organization(org_id, record) for org_id, record in directory.organizations.items()}
    services = tuple(
        public_service(service, _organization_of(service, organizations)) for service in directory.services
    )
    return PublicDirectory(directory.vocabulary, directory.countries, services, organizations)


class Projector:
    """`public_directory` again and again (`relais serve`): a service whose YAML document is the one projected last
    time, with the same stale mark and organisation, keeps its projection; the others are projected again."""

    def __init__(self) -> None:
        self._known: dict[Path, tuple[object, tuple[bool, PublicOrganization], PublicService]] = {}

    def project(self, directory: Directory) -> PublicDirectory:
        organizations = {i: public_organization(i, record) for i, record in directory.organizations.items()}
        services = []
        for service in directory.services:
            inputs = (service.stale, _organization_of(service, organizations))
            known = self._known.get(service.path)
            if known is None or known[0] is not service.doc or known[1] != inputs:
                known = (service.doc, inputs, public_service(service, inputs[1]))
                self._known[service.path] = known
            services.append(known[2])
        return PublicDirectory(directory.vocabulary, directory.countries, tuple(services), organizations)


def _organization_of(service: Service, organizations: dict[str, PublicOrganization]) -> PublicOrganization:
    org_id = str(service.data.get("organization", ""))
    return organizations.get(org_id) or PublicOrganization(id=org_id, name={})


def services_by_city(directory: PublicDirectory) -> dict[tuple[str, str], list[PublicService]]:
    """Each city's services, including mobile teams based elsewhere that cover it."""
    grouped: dict[tuple[str, str], list[PublicService]] = defaultdict(list)
    for service in directory.services:
        for city in service.served_cities:
            grouped[(service.country, city)].append(service)
    return grouped


@dataclass(frozen=True)
class Places:
    """The cities, as (country code, city slug), whose pages are to be written, and their countries; or every place.

    `relais serve` writes again only the pages of the places an edit changed (`places_changed`)."""

    cities: frozenset[tuple[str, str]] = frozenset()
    every: bool = False

    def has_country(self, code: str) -> bool:
        return self.every or any(country == code for country, _ in self.cities)

    def has_city(self, code: str, slug: str) -> bool:
        return self.every or (code, slug) in self.cities


EVERY_PLACE = Places(every=True)


def places_changed(before: PublicDirectory, after: PublicDirectory) -> Places:
    """The cities whose list of services (mobile teams that cover them included) differs, service by service:
    a city's pages show only its services, and a country's only its cities'."""
    old, new = services_by_city(before), services_by_city(after)
    return Places(frozenset(key for key in old.keys() | new.keys() if old.get(key, []) != new.get(key, [])))
