"""Which directory entries are past their verification window, and how fresh each country's directory is.

Pure functions over the public projection (names, places, organisations and verification stamps are public):
`relais report stale` prints them, the weekly workflow turns them into an issue, the quality pages show shares.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from relais.check.directory import STALE_AFTER_DAYS
from relais.model.public import PublicDirectory, PublicService

RECENT_DAYS = 182  # "verified in the last 6 months"
ACTIVE_STATUSES = frozenset({"active", "temporarily closed"})


@dataclass(frozen=True)
class StaleEntry:
    id: str
    name: str
    country: str
    city: str
    organization: str
    verified_on: str | None
    days_since: int | None


def days_since_verified(service: PublicService, as_of: date) -> int | None:
    return (as_of - service.verified_on).days if service.verified_on else None


def is_past_window(service: PublicService, as_of: date, window: int = STALE_AFTER_DAYS) -> bool:
    days = days_since_verified(service, as_of)
    return days is None or days > window


def stale_entries(directory: PublicDirectory, as_of: date) -> list[StaleEntry]:
    """Services still listed as open whose last check is older than the window (or missing), oldest first."""
    found = [
        StaleEntry(
            id=service.id,
            name=service.text("name", "fr")[0] or service.id,
            country=service.country,
            city=_city_name(directory, service),
            organization=service.organization.name_in("fr"),
            verified_on=service.verified_on.isoformat() if service.verified_on else None,
            days_since=days_since_verified(service, as_of),
        )
        for service in directory.services
        if service.status in ACTIVE_STATUSES and is_past_window(service, as_of)
    ]
    return sorted(found, key=lambda e: (e.country, e.city, e.organization, -(e.days_since or 10**6), e.id))


def _city_name(directory: PublicDirectory, service: PublicService) -> str:
    city = directory.city(service.country, service.city)
    return city.name_in("fr") if city else service.city


def grouped(entries: list[StaleEntry]) -> dict[str, dict[str, dict[str, list[StaleEntry]]]]:
    """Country → city → organisation → entries, in the order of `entries`."""
    tree: dict[str, dict[str, dict[str, list[StaleEntry]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for entry in entries:
        tree[entry.country][entry.city][entry.organization].append(entry)
    return tree


def _age(entry: StaleEntry) -> str:
    if entry.verified_on is None:
        return "never verified"
    return f"verified {entry.verified_on}, {entry.days_since} days ago"


def render_stale_text(entries: list[StaleEntry], as_of: date) -> str:
    lines = [f"Entries past their {STALE_AFTER_DAYS}-day verification window on {as_of.isoformat()}: {len(entries)}"]
    for country, cities in grouped(entries).items():
        lines.append(f"{country}")
        for city, organizations in cities.items():
            lines.append(f"  {city}")
            for organization, members in organizations.items():
                lines.append(f"    {organization}")
                lines += [f"      {e.id}: {e.name} ({_age(e)})" for e in members]
    return "\n".join(lines)


def render_stale_json(entries: list[StaleEntry], as_of: date) -> str:
    document = {
        "as_of": as_of.isoformat(),
        "window_days": STALE_AFTER_DAYS,
        "count": len(entries),
        "entries": [asdict(entry) for entry in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_stale_issue(entries: list[StaleEntry], as_of: date) -> str:
    """The body of the weekly issue: what to call, grouped so a country or city team can take its part."""
    lines = [
        f"Rapport du {as_of.isoformat()} : **{len(entries)}** entrée(s) encore ouvertes dont la dernière "
        f"vérification date de plus de {STALE_AFTER_DAYS} jours (ou n'a jamais eu lieu).",
        "",
        "Pour chacune : appeler ou visiter le service, puis mettre à jour `verified` (date, fonction, méthode) "
        "dans sa fiche. Ce rapport est mis à jour chaque semaine par le workflow `stale-report`.",
    ]
    for country, cities in grouped(entries).items():
        lines += ["", f"## {_markdown_cell(country)}"]
        for city, organizations in cities.items():
            lines += ["", f"### {_markdown_cell(city)}", "", "| Organisation | Service | Dernière vérification |"]
            lines.append("| --- | --- | --- |")
            for organization, members in organizations.items():
                for e in members:
                    checked = e.verified_on or "jamais"
                    lines.append(f"| {_markdown_cell(organization)} | `{e.id}` {_markdown_cell(e.name)} | {checked} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class CityQuality:
    """How trustworthy one city's listing is: shares of recent checks, missing contacts and hours, gaps."""

    city: str
    services: int
    verified_6_months: int
    verified_12_months: int
    without_phone: int
    without_hours: int
    categories_without_service: int

    def share(self, count: int) -> int:
        return round(100 * count / self.services) if self.services else 0


def has_phone(service: PublicService) -> bool:
    return bool(service.phones or (service.front_door and service.front_door.phones))


def city_quality(directory: PublicDirectory, services: list[PublicService], city: str, as_of: date) -> CityQuality:
    listed = [s for s in services if s.status in ACTIVE_STATUSES]
    offered = {category for s in listed for category in s.categories}
    return CityQuality(
        city=city,
        services=len(listed),
        verified_6_months=sum(not is_past_window(s, as_of, RECENT_DAYS) for s in listed),
        verified_12_months=sum(not is_past_window(s, as_of) for s in listed),
        without_phone=sum(not has_phone(s) for s in listed),
        without_hours=sum(s.hours is None for s in listed),
        categories_without_service=len(set(directory.vocabulary.categories) - offered),
    )
