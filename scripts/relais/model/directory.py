"""Load the service directory (directory/*.yml) into records that keep the source position of every value.

Reading and shaping only: which values are wrong is decided in `validate_directory`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from relais.core.diagnostics import Diagnostic
from relais.core.project import Project
from relais.core.tree import regular_files
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.yamldoc import YamlDocument, read_yaml_mapping

LanguageMap = dict[str, str]


def as_list(value: Any) -> list[Any]:
    """A list value, or an empty list when the file put something else there (the schema reports it)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def in_language(text: Any, language: str) -> tuple[str, str]:
    """Text of a language map in `language`, else French. Returns (text, language of that text)."""
    if isinstance(text, str):
        return text, DEFAULT_LANGUAGE
    if not isinstance(text, Mapping):
        return "", DEFAULT_LANGUAGE
    if text.get(language):
        return str(text[language]), language
    return str(text.get(DEFAULT_LANGUAGE, "")), DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Term:
    id: str
    label: LanguageMap
    layer: int | None = None
    sensitive: bool = False  # categories: their service pages show a Quick exit button

    def label_in(self, language: str) -> str:
        return in_language(self.label, language)[0] or self.id


@dataclass
class Vocabulary:
    layers: dict[int, LanguageMap] = field(default_factory=dict)
    categories: dict[str, Term] = field(default_factory=dict)
    populations: dict[str, Term] = field(default_factory=dict)
    topics: dict[str, Term] = field(default_factory=dict)
    audiences: dict[str, Term] = field(default_factory=dict)


@dataclass(frozen=True)
class EmergencyNumber:
    label: LanguageMap
    number: str
    source_title: str
    source_organization: str
    source_date: str
    source_url: str | None = None


@dataclass(frozen=True)
class EmergencyCard:
    """Numbers the local team checked on `checked` (ISO date), each from a cited public source."""

    checked: str
    numbers: tuple[EmergencyNumber, ...]


@dataclass(frozen=True)
class City:
    slug: str
    country: str
    name: LanguageMap
    timezone: str
    recommendations: dict[str, list[str]] = field(default_factory=dict)
    emergency: EmergencyCard | None = None

    def name_in(self, language: str) -> str:
        return in_language(self.name, language)[0] or self.slug


@dataclass(frozen=True)
class Country:
    code: str
    name: LanguageMap
    cities: dict[str, City]

    def name_in(self, language: str) -> str:
        return in_language(self.name, language)[0] or self.code


@dataclass
class Record:
    """One YAML file of the directory: an organisation or a service, with positions."""

    path: Path
    display_path: str
    doc: YamlDocument

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.value

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else self.path.stem


@dataclass
class Service(Record):
    """A service entry; accessors return safe defaults so pages never crash on data the validator reported."""

    stale: bool = False

    def text(self, key: str, language: str) -> tuple[str, str]:
        return in_language(self.data.get(key), language)

    @property
    def status(self) -> str:
        return str(self.data.get("status", "active"))

    @property
    def country(self) -> str:
        return str(self.data.get("country", ""))

    @property
    def city(self) -> str:
        return str(self.data.get("city", ""))

    @property
    def is_confidential(self) -> bool:
        return self.data.get("visibility") == "confidential"

    @property
    def categories(self) -> list[str]:
        return [c for c in as_list(self.data.get("categories")) if isinstance(c, str)]

    @property
    def populations(self) -> list[str]:
        return [p for p in as_list(self.data.get("populations")) if isinstance(p, str)]

    @property
    def languages(self) -> list[str]:
        return [p for p in as_list(self.data.get("languages")) if isinstance(p, str)]

    @property
    def verified_on(self) -> date | None:
        verified = self.data.get("verified")
        if isinstance(verified, dict):
            try:
                return date.fromisoformat(str(verified.get("date")))
            except ValueError:
                return None
        return None

    @property
    def served_cities(self) -> list[str]:
        """The city of the service, plus the other cities a mobile team covers."""
        extra = as_list(as_dict(self.data.get("mobile")).get("cities"))
        return [self.city, *[c for c in extra if isinstance(c, str) and c != self.city]]


@dataclass
class Directory:
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Record] = field(default_factory=dict)
    services: list[Service] = field(default_factory=list)
    places: Record | None = None
    taxonomy: Record | None = None
    all_organizations: list[Record] = field(default_factory=list)

    def city(self, country: str, slug: str) -> City | None:
        found = self.countries.get(country)
        return found.cities.get(slug) if found else None


def _terms(entries: Any, with_layer: bool = False) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for entry in as_list(entries):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            layer = entry.get("layer") if with_layer and isinstance(entry.get("layer"), int) else None
            label = entry.get("label") if isinstance(entry.get("label"), dict) else {}
            terms[entry["id"]] = Term(entry["id"], label, layer, entry.get("sensitive") is True)
    return terms


def vocabulary_from(taxonomy: dict[str, Any]) -> Vocabulary:
    layers = {
        entry["layer"]: entry.get("label", {})
        for entry in as_list(taxonomy.get("layers"))
        if isinstance(entry, dict) and isinstance(entry.get("layer"), int)
    }
    return Vocabulary(
        layers=layers,
        categories=_terms(taxonomy.get("categories"), with_layer=True),
        populations=_terms(taxonomy.get("populations")),
        topics=_terms(taxonomy.get("topics")),
        audiences=_terms(taxonomy.get("audiences")),
    )


def emergency_card_from(value: Any) -> EmergencyCard | None:
    """The city's emergency card, or None when it has no checked number yet (the page says "to be filled")."""
    card = as_dict(value)
    numbers = tuple(
        EmergencyNumber(
            label=as_dict(entry.get("label")),
            number=entry["number"],
            source_title=str(as_dict(entry.get("source")).get("title", "")),
            source_organization=str(as_dict(entry.get("source")).get("organization", "")),
            source_date=str(as_dict(entry.get("source")).get("date", "")),
            source_url=as_dict(entry.get("source")).get("url"),
        )
        for entry in as_list(card.get("numbers"))
        if isinstance(entry, dict) and isinstance(entry.get("number"), str)
    )
    checked = card.get("checked")
    return EmergencyCard(checked, numbers) if numbers and isinstance(checked, str) else None


def countries_from(places: dict[str, Any]) -> dict[str, Country]:
    countries: dict[str, Country] = {}
    for entry in as_list(places.get("countries")):
        if not (isinstance(entry, dict) and isinstance(entry.get("code"), str)):
            continue
        cities = {
            city["slug"]: City(
                slug=city["slug"],
                country=entry["code"],
                name=city.get("name") if isinstance(city.get("name"), dict) else {},
                timezone=str(city.get("timezone", "")),
                recommendations=as_dict(city.get("recommendations")),
                emergency=emergency_card_from(city.get("emergency")),
            )
            for city in as_list(entry.get("cities"))
            if isinstance(city, dict) and isinstance(city.get("slug"), str)
        }
        name = entry.get("name") if isinstance(entry.get("name"), dict) else {}
        countries[entry["code"]] = Country(entry["code"], name, cities)
    return countries


def read_record(path: Path, project: Project, diagnostics: list[Diagnostic]) -> Record | None:
    doc, problems = read_yaml_mapping(path, project.display(path))
    diagnostics.extend(problems)
    return Record(path, project.display(path), doc) if doc is not None else None


def _readable(path: Path) -> bool:
    """A regular file; a link is never followed (the file checks report it)."""
    return path.is_file() and not path.is_symlink()


def yaml_files(folder: Path) -> list[Path]:
    return sorted(path for path in regular_files(folder) if path.suffix in {".yml", ".yaml"})


def content_version(root: Path) -> str:
    """A short fingerprint of every directory file: printed on sheets as the data version."""
    digest = hashlib.sha256()
    for path in yaml_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


RecordReader = Callable[[Path, Project, list[Diagnostic]], Record | None]


def load_directory(project: Project, read: RecordReader | None = None) -> tuple[Directory, list[Diagnostic]]:
    """Read every directory file. Unreadable files become diagnostics; nothing is dropped silently.

    `read` reads one file into a record (appending its problems); `relais serve` passes one that remembers files
    it has read already."""
    read = read or read_record
    diagnostics: list[Diagnostic] = []
    root = project.directory_dir
    directory = Directory()
    taxonomy, places = root / "taxonomy.yml", root / "places.yml"
    directory.taxonomy = read(taxonomy, project, diagnostics) if _readable(taxonomy) else None
    directory.places = read(places, project, diagnostics) if _readable(places) else None
    if directory.taxonomy:
        directory.vocabulary = vocabulary_from(directory.taxonomy.data)
    if directory.places:
        directory.countries = countries_from(directory.places.data)
    for path in yaml_files(root / "organizations"):
        record = read(path, project, diagnostics)
        if record:
            directory.all_organizations.append(record)
            directory.organizations.setdefault(record.id, record)
    for path in yaml_files(root / "services"):
        record = read(path, project, diagnostics)
        if record:
            directory.services.append(Service(record.path, record.display_path, record.doc))
    return directory, diagnostics


__all__ = ["LANGUAGES", "Directory", "Record", "Service", "Vocabulary", "in_language", "load_directory"]
