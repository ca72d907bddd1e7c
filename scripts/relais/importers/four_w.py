"""Read the IASC MHPSS 4Ws tool's workbook (who is where, when, doing what) and our own exported 4w.csv.

The tool's headings are read in English and French; its intervention codes map to our categories (and so to the
pyramid layers) through INTERVENTIONS. General activities (training, coordination...) are reported, not turned into
services. Contact persons' names are never imported: a contact phone or e-mail is kept only with a role.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from relais.core.diagnostics import Diagnostic
from relais.importers.mapping import Mapping
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
    parse_date,
)
from relais.model.directory import Directory
from relais.render.scaffold import slugify

# Intervention codes of the IASC MHPSS 4Ws tool -> (our category, the tool's title). None: a general activity.
INTERVENTIONS: dict[str, tuple[str | None, str]] = {
    "1.1": ("sensibilisation-information", "Information dissemination to the community at large"),
    "1.2": ("activites-psychosociales-communautaires", "Facilitating conditions for community mobilisation"),
    "1.3": ("activites-psychosociales-communautaires", "Strengthening of community and family support"),
    "1.4": ("espaces-amis-enfants", "Safe spaces"),
    "1.5": ("activites-psychosociales-communautaires", "Psychosocial support in education"),
    "1.6": ("assistance-base", "Psychosocial considerations in basic services and security"),
    "1.7": ("gestion-de-cas", "Case-focused psychosocial work"),
    "1.8": ("soutien-psychosocial-individuel", "Psychological intervention"),
    "1.9": ("consultation-sante-mentale", "Clinical management of mental disorders by non-specialised providers"),
    "1.10": ("psychiatrie", "Clinical management of mental disorders by specialised providers"),
    "1.11": (None, "Other MHPSS intervention"),
    "2.1": (None, "General orientation and awareness raising on MHPSS"),
    "2.2": (None, "Training"),
    "2.3": (None, "Supervision"),
    "2.4": (None, "Assessment and research"),
    "2.5": (None, "Monitoring and evaluation"),
    "2.6": (None, "Coordination"),
    "2.7": (None, "Advocacy and policy"),
}
# The tool's headings (English and French) -> what the column holds.
HEADINGS: dict[str, str] = {
    "organisation": "organization", "organization": "organization", "agency": "organization",
    "nom de l'organisation": "organization", "acronym": "acronym", "sigle": "acronym",
    "implementing partner": "partner", "partenaire de mise en oeuvre": "partner",
    "country": "country", "pays": "country",
    "admin 1": "admin1", "region (admin 1)": "admin1", "region / governorate (admin 1)": "admin1",
    "admin 2": "admin2", "district (admin 2)": "admin2", "province / district (admin 2)": "admin2",
    "prefecture / cercle (admin 2)": "admin2",
    "admin 3": "admin3", "town / village (admin 3)": "admin3", "city / town (admin 3)": "admin3",
    "commune / ville (admin 3)": "admin3",
    "intervention code": "code", "activity code": "code", "code de l'intervention": "code", "code activite": "code",
    "intervention": "title", "activity": "title", "intervention title": "title", "activite": "title",
    "intitule de l'intervention": "title",
    "activity description": "description", "description": "description", "description de l'activite": "description",
    "target group": "populations", "target population": "populations", "groupe cible": "populations",
    "population cible": "populations",
    "languages": "languages", "language(s)": "languages", "langues": "languages",
    "start date": "start", "date de debut": "start", "end date": "end", "date de fin": "end",
    "status": "status", "statut": "status",
    "contact name": "contact_name", "contact person": "contact_name", "nom du contact": "contact_name",
    "contact role": "contact_role", "contact position": "contact_role", "fonction du contact": "contact_role",
    "contact phone": "contact_phone", "telephone du contact": "contact_phone",
    "contact email": "contact_email", "courriel du contact": "contact_email", "e-mail du contact": "contact_email",
    "number of beneficiaries": "beneficiaries", "nombre de beneficiaires": "beneficiaries",
    "donor": "donor", "bailleur": "donor", "remarks": "remarks", "comments": "remarks", "remarques": "remarks",
    "commentaires": "remarks",
}  # fmt: skip
FRENCH_HEADINGS = {"nom de l'organisation", "sigle", "pays", "code de l'intervention", "groupe cible", "date de debut"}
NO_HOME = {"partner": "implementing partner", "beneficiaries": "number of beneficiaries", "donor": "donor"}
NO_HOME |= {"remarks": "remarks"}
OUR_EXPORT = ("service_id", "category_id")
STATUS_WORDS = {
    "ongoing": "active", "en cours": "active", "active": "active", "actif": "active",
    "planned": "inactive", "prevu": "inactive", "completed": "inactive", "termine": "inactive",
    "inactive": "inactive", "suspended": "temporarily closed", "suspendu": "temporarily closed",
}  # fmt: skip
POPULATION_WORDS = {
    "migrants": "migrants", "migrant": "migrants", "refugees and migrants": "migrants",
    "returnees": "migrants-de-retour", "migrants de retour": "migrants-de-retour",
    "unaccompanied children": "enfants-non-accompagnes", "enfants non accompagnes": "enfants-non-accompagnes",
    "women": "femmes", "femmes": "femmes", "host community": "communautes-accueil",
    "communaute d'accueil": "communautes-accueil", "gbv survivors": "survivants-vbg",
    "survivants de vbg": "survivants-vbg", "victims of trafficking": "victimes-traite",
    "victimes de traite": "victimes-traite",
}  # fmt: skip


def folded(text: str) -> str:
    """Lowercase, without accents and extra spaces: `Date de début` -> `date de debut`."""
    ligatures = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    ascii_text = unicodedata.normalize("NFKD", ligatures).encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_text.lower().replace("’", "'").split())


def is_four_w_header(cells: list[str]) -> bool:
    return sum(folded(c) in HEADINGS for c in cells) >= 3 or all(h in cells for h in OUR_EXPORT)


def term_ids(text: str, vocabulary_terms: dict[str, Any], words: dict[str, str], mapping: dict[str, str]) -> list[str]:
    """Population (or category) ids from a cell: ids, labels in any language, the tool's words, the mapping."""
    found = []
    for part in re.split(r"[;,/\n]", text):
        label = part.strip()
        if not label:
            continue
        key = folded(label)
        term = mapping.get(label) or (label if label in vocabulary_terms else None) or words.get(key)
        term = term or next((t.id for t in vocabulary_terms.values() if key in map(folded, t.label.values())), None)
        found.append(term or f"?{label}")
    return list(dict.fromkeys(found))


def organization_slug(directory: Directory, name: str, acronym: str | None) -> str:
    """The id of an existing organisation with this name, acronym or id; else the slug of the name."""
    wanted = {folded(name), folded(acronym or "")} - {""}
    for record in directory.organizations.values():
        names = record.data.get("name") if isinstance(record.data.get("name"), dict) else {}
        known = {folded(str(n)) for n in names.values()} | {folded(record.id)}
        if wanted & known:
            return record.id
    return slugify(name)


@dataclass
class Group:
    """The rows of one service: one organisation, one city, one activity title."""

    first_row: int
    key: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


@dataclass
class FourWReader:
    directory: Directory
    options: ImportOptions
    mapping: Mapping
    sheet: Sheet
    columns: dict[str, str] = field(default_factory=dict)  # what -> heading
    diagnostics: list[Diagnostic] = field(default_factory=list)
    language: str = "en"

    def report(self, row: int, heading: str | None, rule_id: str, **fields: Any) -> None:
        self.diagnostics.append(self.sheet.where(row, heading).diagnostic(rule_id, **fields))

    def check_headings(self) -> None:
        for heading in self.sheet.headings:
            if not heading:
                continue
            what = HEADINGS.get(folded(heading))
            if what is None:
                close = difflib.get_close_matches(folded(heading), list(HEADINGS), n=1)
                suggestion = f" (did you mean `{close[0]}`?)" if close else ""
                self.report(self.sheet.header_row, heading, "IMP003", column=heading, suggestion=suggestion)
            else:
                self.columns.setdefault(what, heading)
        french = sum(folded(h) in FRENCH_HEADINGS for h in self.sheet.headings)
        self.language = self.options.language or self.mapping.language or ("fr" if french else "en")

    def value(self, row: dict[str, Any], what: str) -> Any:
        heading = self.columns.get(what)
        return row.get(heading) if heading else None

    def city_of(self, number: int, row: dict[str, Any]) -> tuple[str | None, str | None]:
        country_text = clean_text(self.value(row, "country"))
        country = (country_code(country_text) if country_text else None) or self.options.country or self.mapping.country
        names = [(w, clean_text(self.value(row, w))) for w in ("admin3", "admin2", "admin1")]
        names = [(w, n) for w, n in names if n]
        for _, name in names:
            slug = self.mapping.cities.get(name) or city_slug(self.directory, country, name)
            if slug:
                return country or country_of_city(self.directory, slug), slug
        if self.options.city:
            return country or country_of_city(self.directory, self.options.city), self.options.city
        what, name = names[0] if names else ("admin3", "")
        if name:
            suggestion = city_suggestion(self.directory, country, name)
            self.report(number, self.columns.get(what), "IMP006", name=name, suggestion=suggestion)
        else:
            self.report(number, None, "IMP008", field="city", how="no admin-level place on the row; give --city")
        return None, None

    def check_dates(self, number: int, row: dict[str, Any]) -> date | None:
        end = None
        for what in ("start", "end"):
            value = self.value(row, what)
            if value in (None, ""):
                continue
            parsed = parse_date(value)
            if parsed is None:
                self.report(number, self.columns[what], "IMP005", value=value, field=self.columns[what])
            elif what == "end":
                end = parsed
        return end

    def category_of(self, number: int, row: dict[str, Any]) -> str | None:
        raw = clean_text(self.value(row, "code"))
        code = raw.removesuffix(".0") if raw else None
        if code is None:
            self.report(number, None, "IMP008", field="intervention code", how="the row has no intervention code")
            return None
        if code not in INTERVENTIONS:
            self.report(number, self.columns.get("code"), "IMP004", code=raw)
            return None
        category, title = INTERVENTIONS[code]
        if category is None:
            self.report(number, self.columns.get("code"), "IMP014", code=code, title=title)
        return category

    def report_unimported(self, number: int, row: dict[str, Any]) -> None:
        for what, label in NO_HOME.items():
            if self.value(row, what) not in (None, ""):
                self.report(number, self.columns[what], "IMP010", field=label, count=1)
        if self.value(row, "contact_name") not in (None, ""):
            self.report(number, self.columns["contact_name"], "IMP015", field=self.columns["contact_name"])
        if not clean_text(self.value(row, "contact_role")):
            for what in ("contact_phone", "contact_email"):
                if self.value(row, what) not in (None, ""):
                    self.report(number, self.columns[what], "IMP015", field=self.columns[what])

    def groups(self) -> dict[str, Group]:
        groups: dict[str, Group] = {}
        for number, row in self.sheet.rows:
            self.report_unimported(number, row)
            end = self.check_dates(number, row)
            category = self.category_of(number, row)
            country, city = self.city_of(number, row)
            if category is None or city is None:
                continue
            organization = clean_text(self.value(row, "organization")) or ""
            title = clean_text(self.value(row, "title")) or ""
            key = "|".join([organization, str(country), city, title])
            group = groups.setdefault(key, Group(number, key))
            group.rows.append((number, {**row, "_country": country, "_city": city, "_end": end}))
            if category not in group.categories:
                group.categories.append(category)
        return groups

    def service_of(self, group: Group) -> ImportedService | None:
        number, row = group.rows[0]
        language = self.language
        organization_name = clean_text(self.value(row, "organization"))
        acronym = clean_text(self.value(row, "acronym"))
        if not organization_name and not self.options.organization:
            self.report(number, None, "IMP008", field="organization", how="the row names no organisation")
            return None
        org_slug = self.options.organization or organization_slug(self.directory, organization_name or "", acronym)
        populations = self.populations_of(group)
        if not populations:
            return None
        title = clean_text(self.value(row, "title"))
        city = self.directory.city(row["_country"], row["_city"])
        city_name = city.name_in(language) if city else row["_city"]
        name = title or f"{INTERVENTIONS[str(clean_text(self.value(row, 'code'))).removesuffix('.0')][1]} – {city_name}"
        data: dict[str, Any] = {"name": {language: f"{name} ({acronym or organization_name or org_slug})"}}
        description = clean_text(self.value(row, "description"))
        data["description"] = {language: description} if description else {}
        data["organization"] = org_slug
        data["status"] = self.status_of(row)
        data["country"], data["city"] = row["_country"], row["_city"]
        data["categories"] = group.categories
        data["populations"] = populations
        data |= self.contacts_of(number, row)
        data["visibility"] = "public"
        digest = hashlib.sha1(group.key.encode()).hexdigest()[:12]
        where = Where(self.sheet.file, row=number, sheet=self.sheet.name or Path(self.sheet.file).stem)
        org_data = {"name": {language: organization_name or org_slug}, **({"acronym": acronym} if acronym else {})}
        organization = ImportedOrganization(org_slug, org_data)
        return ImportedService(
            where, f"4w:{digest}", language, data, None, organization, missing_french=language != "fr"
        )

    def populations_of(self, group: Group) -> list[str]:
        vocabulary = self.directory.vocabulary.populations
        found: list[str] = []
        for number, row in group.rows:
            text = clean_text(self.value(row, "populations")) or ""
            for term in term_ids(text, vocabulary, POPULATION_WORDS, self.mapping.populations):
                if term.startswith("?"):
                    heading = self.columns.get("populations")
                    self.report(number, heading, "IMP011", field=heading, reason=f"unknown population `{term[1:]}`")
                elif term not in found:
                    found.append(term)
        found = found or list(self.options.populations) or self.mapping.default_populations
        if not found:
            self.report(
                group.first_row,
                self.columns.get("populations"),
                "IMP008",
                field="populations",
                how="no known target group",
            )
        return found

    def status_of(self, row: dict[str, Any]) -> str:
        word = folded(clean_text(self.value(row, "status")) or "")
        if word in STATUS_WORDS:
            return STATUS_WORDS[word]
        end = row.get("_end")
        return "inactive" if isinstance(end, date) and end < self.options.as_of else "active"

    def contacts_of(self, number: int, row: dict[str, Any]) -> dict[str, Any]:
        role = clean_text(self.value(row, "contact_role"))
        if not role:
            return {}
        found: dict[str, Any] = {}
        phone = clean_text(self.value(row, "contact_phone"))
        if phone:
            number_text = international_phone(phone, row["_country"])
            if number_text is None:
                self.report(number, self.columns["contact_phone"], "IMP017", number=phone, country=row["_country"])
            else:
                found["phones"] = [{"number": number_text, "type": "voice", "note": {self.language: role}}]
        email = clean_text(self.value(row, "contact_email"))
        if email:
            found["email"] = email
        languages = [language_tag(p) for p in re.split(r"[;,/]", clean_text(self.value(row, "languages")) or "")]
        if any(languages):
            found["languages"] = list(dict.fromkeys(t for t in languages if t))
        return found


def read_our_four_w(sheet: Sheet, directory: Directory, options: ImportOptions, mapping: Mapping) -> ReadResult:
    """Our exported 4w.csv: one row per category of a service. It completes existing entries (no names in it)."""
    result = ReadResult(publisher="Relais (export 4W)")
    by_service: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, row in sheet.rows:
        by_service.setdefault(str(row.get("service_id", "")), []).append((number, row))
    existing = {s.id: s for s in directory.services}
    vocabulary = directory.vocabulary
    for service_id, rows in by_service.items():
        number, first = rows[0]
        where = Where(sheet.file, row=number, sheet=Path(sheet.file).stem)
        categories = []
        for row_number, row in rows:
            category = str(row.get("category_id", ""))
            if category not in vocabulary.categories:
                result.diagnostics.append(sheet.where(row_number, "category_id").diagnostic("IMP004", code=category))
            elif category not in categories:
                categories.append(category)
        if service_id not in existing:
            result.diagnostics.append(where.diagnostic("IMP018", entry=service_id, what="the 4W columns"))
            continue
        populations = [
            t
            for t in term_ids(str(first.get("populations", "")), vocabulary.populations, {}, {})
            if not t.startswith("?")
        ]
        data: dict[str, Any] = {"categories": categories, "status": str(first.get("status", "active"))}
        if populations:
            data["populations"] = populations
        service = existing[service_id]
        data |= {"country": service.country, "city": service.city}
        result.services.append(ImportedService(where, f"4w:{service_id}", "fr", data, service_id))
    return result


def _pick_sheet(sheets: list[Sheet], mapping: Mapping) -> Sheet:
    if mapping.sheet:
        named = [s for s in sheets if s.name == mapping.sheet]
        if named:
            return named[0]
    recognised = [s for s in sheets if is_four_w_header(s.headings)]
    return recognised[0] if recognised else sheets[0]


def read_four_w(path: Path, directory: Directory, options: ImportOptions, mapping: Mapping) -> ReadResult:
    sheets = read_sheets(path, is_four_w_header)
    sheet = _pick_sheet(sheets, mapping)
    if all(h in sheet.headings for h in OUR_EXPORT):
        return read_our_four_w(sheet, directory, options, mapping)
    reader = FourWReader(directory, options, mapping, sheet)
    reader.check_headings()
    result = ReadResult(publisher=None)
    if reader.diagnostics and any(d.is_error for d in reader.diagnostics):
        result.diagnostics = reader.diagnostics
        return result
    for group in reader.groups().values():
        service = reader.service_of(group)
        if service:
            result.services.append(service)
    result.diagnostics = reader.diagnostics
    return result
