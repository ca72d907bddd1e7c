"""Start a new directory entry or guideline page from a commented template (`relais new service|page`).

It writes one new file and never overwrites one. A new service file validates but is honestly unverified: it stays
`status: inactive` until an editor has checked it. A new page is a skeleton that fails the length rule until written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import phonenumbers

from relais.check.directory import check_service
from relais.check.translations import GUIDES_FOLDER, file_revision, translation_file
from relais.core.diagnostics import Diagnostic
from relais.core.project import Project
from relais.i18n.page_text import SCAFFOLD_PAGE_TEXT, TO_FILL
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.directory import Directory, Service, Term
from relais.model.guidelines import load_page
from relais.model.yamldoc import parse_yaml

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_NAME_SLUG = "nouveau-service"
# A new entry is not shown as available before someone has checked it (see the file's first comment).
UNVERIFIED_STATUS = "inactive"
UNVERIFIED_BY = "pas encore vérifié (fiche créée par relais new service)"


class ScaffoldRefused(Exception):
    """The command cannot write the file; the message says why and what is allowed."""


def slugify(text: str) -> str:
    """`Centre d'écoute Al Amal` -> `centre-d-ecoute-al-amal` (ASCII letters, digits and dashes)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON strings are valid YAML), on one line."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


_AMBIGUOUS_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _flow_list(ids: list[str]) -> str:
    """`[enfants, orientation]` like the pages editors write; quoted when a reader could take an id for a value."""

    def item(value: str) -> str:
        plain = ID_PATTERN.match(value) and value not in _AMBIGUOUS_WORDS and not value.replace("-", "").isdigit()
        return value if plain else _quoted(value)

    return "[" + ", ".join(item(i) for i in ids) + "]"


# --- Services -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceDraft:
    """What `relais new service` was asked for, once checked against places.yml and the organisations."""

    service_id: str
    country: str
    city: str
    organization: str
    name: str | None
    as_of: date

    def path(self, directory_dir: Path) -> Path:
        return directory_dir / "services" / self.country / self.city / f"{self.service_id}.yml"


def unique_service_id(country: str, city: str, name: str | None, taken: set[str]) -> str:
    """`<cc>-<city>-<slug of the name>`, with -2, -3... when the id is already used."""
    base = "-".join(part for part in (country.lower(), city, slugify(name or "") or DEFAULT_NAME_SLUG) if part)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _taken_ids(directory: Directory, directory_dir: Path) -> set[str]:
    on_disk = {path.stem for path in (directory_dir / "services").rglob("*.y*ml")}
    return on_disk | {service.id for service in directory.services}


def plan_service(
    directory: Directory,
    directory_dir: Path,
    country: str,
    city: str,
    as_of: date,
    organization: str | None = None,
    service_id: str | None = None,
    name: str | None = None,
) -> ServiceDraft:
    """Check the request against the directory; raise ScaffoldRefused with the valid choices when it does not fit."""
    if country not in directory.countries:
        known = ", ".join(sorted(directory.countries)) or "none"
        raise ScaffoldRefused(f"unknown country `{country}`; countries in directory/places.yml: {known}")
    cities = directory.countries[country].cities
    if city not in cities:
        raise ScaffoldRefused(
            f"unknown city `{city}` for {country}; cities in directory/places.yml: {', '.join(sorted(cities))} "
            "(add the city to places.yml first if it is missing)"
        )
    organizations = sorted(directory.organizations)
    if not organizations:
        raise ScaffoldRefused("no organisation in directory/organizations/: add the organisation's file first")
    if organization is not None and organization not in directory.organizations:
        raise ScaffoldRefused(
            f"unknown organization `{organization}`; organisations in directory/organizations/: "
            f"{', '.join(organizations)} (add the organisation's file first if it is missing)"
        )
    taken = _taken_ids(directory, directory_dir)
    if service_id is None:
        service_id = unique_service_id(country, city, name, taken)
    elif not ID_PATTERN.match(service_id):
        raise ScaffoldRefused(f"`{service_id}` is not a valid id: lowercase letters, digits and dashes only")
    elif service_id in taken:
        raise ScaffoldRefused(f"the id `{service_id}` is already used; choose another one")
    return ServiceDraft(service_id, country, city, organization or organizations[0], name, as_of)


def _term_lines(terms: dict[str, Term], chosen: str, layers: bool) -> list[str]:
    lines = [f"  - {chosen}"]
    for term in terms.values():
        if term.id == chosen:
            continue
        layer = f", couche {term.layer}" if layers and term.layer is not None else ""
        lines.append(f"  # - {term.id}  # {term.label_in(DEFAULT_LANGUAGE)}{layer}")
    return lines


def render_service(draft: ServiceDraft, directory: Directory) -> str:
    """The commented YAML of a new, valid, unverified service entry (French comments for editors)."""
    vocabulary = directory.vocabulary
    category = next(iter(vocabulary.categories), "")
    population = "migrants" if "migrants" in vocabulary.populations else next(iter(vocabulary.populations), "")
    calling_code = phonenumbers.country_code_for_region(draft.country)
    prefix = f"+{calling_code} " if calling_code else "+"
    created = draft.as_of.isoformat()
    name = draft.name or f"{TO_FILL} : nom du service"
    source_publisher = f"{TO_FILL} : qui l'a publié"
    organizations = ", ".join(sorted(directory.organizations))
    other_cities = [slug for slug in directory.countries[draft.country].cities if slug != draft.city]
    lines = [
        f"# Fiche créée par `relais new service` le {created}. Elle est valide mais PAS ENCORE VÉRIFIÉE :",
        f"# elle reste `status: {UNVERIFIED_STATUS}` (hors de la recherche, affichée comme inactive) tant que vous",
        f"# n'avez pas remplacé chaque « {TO_FILL} », vérifié les informations auprès du service (appel, visite,",
        "# e-mail ou source publique datée) et passé `status` à `active`.",
        "# CONFIDENTIALITÉ : ce fichier et son historique sont publics. N'écrivez jamais l'adresse d'un hébergement",
        "# protégé, une information sur une personne accompagnée, ni le nom ou le numéro personnel de quelqu'un.",
        "# Les lignes qui commencent par # sont des commentaires : enlevez le # (et un espace) pour utiliser un champ.",
        "",
        "# Identifiant : le nom du fichier sans .yml, minuscules et tirets. Ne le changez plus après publication.",
        f"id: {draft.service_id}",
        "# Nom du service. `fr` est obligatoire ; `en` et `ar` sont facultatifs.",
        "name:",
        f"  fr: {_quoted(name)}",
        '  # en: "Name of the service in English"',
        '  # ar: "اسم الخدمة بالعربية"',
        "# Ce que fait le service, pour qui, en deux ou trois phrases simples.",
        "description:",
        f"  fr: {_quoted(f'{TO_FILL} : ce que fait le service, pour qui, et comment on y accède.')}",
        "  # en: ...",
        "# Organisation qui gère le service : l'id d'un fichier de directory/organizations/.",
        f"# Organisations connues : {organizations}. Si elle manque, ajoutez d'abord son fichier.",
        f"organization: {draft.organization}",
        '# État : active, inactive, defunct (fermé pour de bon) ou "temporarily closed" (fermé pour un temps).',
        "status: inactive",
        "# Pourquoi ce statut, affiché sur le site. Supprimez ces deux lignes quand le service est vérifié et actif.",
        "status_note:",
        f"  fr: {_quoted('Fiche en cours de rédaction : informations pas encore vérifiées.')}",
        "# Pays : le code à deux lettres de directory/places.yml (MA pour le Maroc, ML pour le Mali).",
        f"country: {draft.country}",
        f"# Ville : comme dans directory/places.yml ; le fichier est rangé dans {draft.country}/{draft.city}/.",
        f"city: {draft.city}",
        "# Types de service, de directory/taxonomy.yml (couche de la pyramide IASC). Gardez ceux qui conviennent :",
        "categories:",
        *_term_lines(vocabulary.categories, category, layers=True),
        "# Publics accueillis, de directory/taxonomy.yml. Gardez ceux qui conviennent :",
        "populations:",
        *_term_lines(vocabulary.populations, population, layers=False),
        "# Langues parlées au service, en codes BCP 47 : fr, ar, ary (arabe marocain), en, bm (bambara), wo (wolof)...",
        "# languages: [fr, ar]",
        "# Téléphones du service (jamais un numéro personnel), avec l'indicatif du pays ; type : voice, mobile,",
        "# hotline, short-code (numéro court national), whatsapp ou fax. Horaires d'appel dans `note`.",
        "# phones:",
        f'#   - number: "{prefix}..."',
        "#     type: voice",
        '# email: "contact@example.org"',
        '# website: "https://example.org/service"',
        "# Horaires au format OpenStreetMap : jours Mo Tu We Th Fr Sa Su, heures sur 24 h.",
        '# hours: "Mo-Fr 08:30-16:30; Sa 09:00-12:00"',
        "# hours_note:",
        '#   fr: "Fermé les jours fériés."',
        "# Équipe mobile : la zone couverte au lieu d'une adresse, et les autres villes desservies.",
        "# mobile:",
        "#   area:",
        '#     fr: "..."',
        f"#   cities: [{', '.join(other_cities[:1])}]",
        "# Adresse, indications et coordonnées : JAMAIS pour un service confidentiel.",
        "# location:",
        "#   address:",
        '#     fr: "..."',
        "#   directions:",
        '#     fr: "..."',
        "#   latitude: 0.0",
        "#   longitude: 0.0",
        "# Orientation : comment adresser une personne au service, documents demandés, coût.",
        "# referral:",
        "#   method:",
        '#     fr: "..."',
        "#   documents:",
        '#     fr: "Aucun document exigé."',
        "#   accepts_undocumented: true",
        "#   accepts_unaccompanied_children: false",
        "#   cost: free  # free, low-cost, paid ou unknown",
        "#   cost_note:",
        '#     fr: "..."',
        "# Visibilité : public, ou confidential quand le lieu doit rester secret (hébergement protégé...).",
        "# Un service confidentiel n'a ni adresse ni coordonnées, mais une porte d'entrée publique (front_door).",
        "visibility: public",
        "# Porte d'entrée publique, obligatoire pour un service confidentiel : qui reçoit les orientations.",
        "# front_door:",
        "#   description:",
        '#     fr: "Point focal qui reçoit les orientations (ligne d\'écoute, référent)."',
        "#   phones:",
        f'#     - number: "{prefix}..."',
        "#       type: hotline",
        '#   email: "orientation@example.org"',
        "# Dernière vérification. Pour l'instant ces lignes disent seulement quand la fiche a été créée. Après votre",
        "# appel ou votre visite : la date (AAAA-MM-JJ), `by` = votre RÔLE (jamais votre nom), `method` = call,",
        '# visit, email ou "public source".',
        "verified:",
        f'  date: "{created}"',
        f"  by: {_quoted(UNVERIFIED_BY)}",
        "  method: public source",
        "# D'où viennent ces informations : au moins un document, une page web ou un compte rendu d'appel, daté.",
        "sources:",
        f"  - title: {_quoted(f'{TO_FILL} : titre du document ou de la page qui décrit ce service')}",
        f"    organization: {_quoted(source_publisher)}",
        f'    date: "{created}"  # date du document (AAAA-MM-JJ)',
        '    # url: "https://adresse publique du document"  (jamais un fichier du dépôt)',
        '    # url: "https://example.org/page"',
    ]
    return "\n".join(lines) + "\n"


def check_draft(text: str, path: Path, display_path: str, directory: Directory, as_of: date) -> list[Diagnostic]:
    """Run the directory checks on the text that would be written, so the command never writes an invalid file."""
    doc, problems = parse_yaml(text, display_path)
    if doc is None:
        return problems
    return problems + check_service(Service(path, display_path, doc), directory, as_of)


def create_service(project: Project, directory: Directory, draft: ServiceDraft) -> Path:
    """Write the new service file. Raises ScaffoldRefused if it exists or would not validate."""
    path = draft.path(project.directory_dir)
    if path.exists():
        raise ScaffoldRefused(f"{project.display(path)} already exists; nothing was written")
    text = render_service(draft, directory)
    errors = [d for d in check_draft(text, path, project.display(path), directory, draft.as_of) if d.is_error]
    if errors:
        details = "\n".join(d.as_text() for d in errors)
        raise ScaffoldRefused(f"the new file would not validate; nothing was written:\n{details}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return path


# --- Guideline pages ---------------------------------------------------------------------------------------------


FRENCH_SKELETON = f"""{TO_FILL} : deux ou trois phrases d'introduction. La situation, à qui s'adresse la page, et ce \
qu'elle ne remplace pas (les procédures nationales, l'avis d'un spécialiste).

## Repères

{TO_FILL} : les définitions et les principes utiles (ne pas nuire, confidentialité, consentement).

## Ce qu'il faut faire

{TO_FILL} : les gestes concrets, dans l'ordre, en phrases courtes.

## Ce qu'il faut éviter

{TO_FILL} : les erreurs fréquentes et pourquoi elles nuisent.

## Quand et comment orienter

{TO_FILL} : les signes qui demandent une orientation, et vers quel type de service. Les coordonnées des \
services se trouvent seulement dans [l'annuaire des services](../../annuaire/index.md) : n'écrivez ni \
numéro de téléphone ni adresse e-mail dans la page.

## Liste de vérification

- {TO_FILL} : point à vérifier.

## Sources

- {TO_FILL} : Titre du document, Organisation, année
"""

_HEADING = re.compile(r"^#{2,3}[ \t]+\S")
_SOURCES = re.compile(r"^##[ \t]+(?:sources|المصادر)[ \t]*#*[ \t]*$", re.IGNORECASE)


@dataclass(frozen=True)
class PageDraft:
    section: str
    slug: str
    language: str
    as_of: date
    title: str | None = None

    def french_path(self, docs_dir: Path) -> Path:
        return docs_dir / GUIDES_FOLDER / self.section / f"{self.slug}.md"

    def path(self, docs_dir: Path) -> Path:
        french = self.french_path(docs_dir)
        return french if self.language == DEFAULT_LANGUAGE else translation_file(french, self.language)


def sections(docs_dir: Path) -> list[str]:
    guides = docs_dir / GUIDES_FOLDER
    return sorted(p.parent.name for p in guides.glob("*/index.md")) if guides.is_dir() else []


def plan_page(
    docs_dir: Path, section: str, slug: str, language: str, as_of: date, title: str | None = None
) -> PageDraft:
    known = sections(docs_dir)
    if section not in known:
        raise ScaffoldRefused(f"unknown section `{section}`; sections under docs/guides/: {', '.join(known)}")
    if not ID_PATTERN.match(slug) or slug == "index":
        raise ScaffoldRefused(f"`{slug}` is not a valid page name: lowercase letters, digits and dashes, not `index`")
    if language not in LANGUAGES:
        raise ScaffoldRefused(f"unknown language `{language}`; languages: {', '.join(LANGUAGES)}")
    draft = PageDraft(section, slug, language, as_of, title)
    if language != DEFAULT_LANGUAGE and not draft.french_path(docs_dir).is_file():
        raise ScaffoldRefused(
            f"docs/{GUIDES_FOLDER}/{section}/{slug}.md does not exist: a translation starts from its French page, "
            "create that first"
        )
    return draft


def _meta(path: Path, docs_dir: Path) -> dict:
    page, _ = load_page(path, docs_dir, path.as_posix())
    return page.meta if page else {}


def _known_ids(value: object, vocabulary: dict[str, Term]) -> list[str]:
    ids = value if isinstance(value, list) else []
    return [i for i in ids if isinstance(i, str) and (not vocabulary or i in vocabulary)]


def _front_matter(fields: list[tuple[str, str]]) -> str:
    return "---\n" + "".join(f"{key}: {value}\n" if value else f"{key}:\n" for key, value in fields) + "---\n\n"


def _refer_lines(refer: object) -> list[tuple[str, str]]:
    if not isinstance(refer, dict):
        return []
    lines = [("refer", "")]
    for key in ("categories", "populations"):
        ids = [i for i in refer.get(key, []) if isinstance(i, str)] if isinstance(refer.get(key), list) else []
        if ids:
            lines.append((f"  {key}", _flow_list(ids)))
    return lines if len(lines) > 1 else []


def render_french_page(draft: PageDraft, docs_dir: Path, directory: Directory) -> str:
    """Front matter taking the section's topics and audiences (the editor adjusts them), and the skeleton."""
    vocabulary = directory.vocabulary
    section_meta = _meta(docs_dir / GUIDES_FOLDER / draft.section / "index.md", docs_dir)
    topics = _known_ids(section_meta.get("topics"), vocabulary.topics)[:4] or list(vocabulary.topics)[:1]
    audiences = _known_ids(section_meta.get("audiences"), vocabulary.audiences)[:7] or list(vocabulary.audiences)[:1]
    text = SCAFFOLD_PAGE_TEXT[DEFAULT_LANGUAGE]
    header = _front_matter(
        [
            ("title", _quoted(draft.title or text["title"])),
            ("description", _quoted(text["description"])),
            ("topics", _flow_list(topics)),
            ("audiences", _flow_list(audiences)),
            ("review", ""),
            ("  status", "draft"),
            ("  date", draft.as_of.isoformat()),
        ]
    )
    return header + FRENCH_SKELETON


def translation_skeleton(french_body: str, language: str) -> str:
    """The French page's headings, each with a note to translate it, and its Sources list as it is."""
    text = SCAFFOLD_PAGE_TEXT[language]
    lines = french_body.splitlines()
    sources_at = next((i for i, line in enumerate(lines) if _SOURCES.match(line)), len(lines))
    parts: list[str] = [text["section"], ""]
    for line in lines[:sources_at]:
        if _HEADING.match(line):
            parts += [line.rstrip(), "", text["section"], ""]
    sources = [line.rstrip() for line in lines[sources_at + 1 :] if line.strip()]
    next_heading = next((i for i, line in enumerate(sources) if line.startswith("#")), len(sources))
    parts += [f"## {text['sources_heading']}", "", *sources[:next_heading]]
    return "\n".join(parts).rstrip("\n") + "\n"


def render_translation(draft: PageDraft, docs_dir: Path) -> str:
    """A translation that records the revision of the French page it starts from."""
    french_path = draft.french_path(docs_dir)
    french, _ = load_page(french_path, docs_dir, french_path.as_posix())
    meta = french.meta if french else {}
    text = SCAFFOLD_PAGE_TEXT[draft.language]
    title = str(meta.get("title", draft.slug))
    description = str(meta.get("description", ""))
    fields = [
        ("title", _quoted(draft.title or text["title"].format(title=title))),
        ("description", _quoted(text["description"].format(description=description))),
        ("topics", _flow_list([i for i in meta.get("topics", []) if isinstance(i, str)])),
        ("audiences", _flow_list([i for i in meta.get("audiences", []) if isinstance(i, str)])),
        ("review", ""),
        ("  status", "draft"),
        ("  date", draft.as_of.isoformat()),
        *_checked_against_line(meta.get("review")),
        *_refer_lines(meta.get("refer")),
        ("translation", ""),
        ("  source_revision", _quoted(file_revision(french_path) or "")),
        *([("sensitive", "true")] if meta.get("sensitive") is True else []),  # Quick exit, as in French (DOC019)
    ]
    return _front_matter(fields) + translation_skeleton(french.body if french else "", draft.language)


def _checked_against_line(review: object) -> list[tuple[str, str]]:
    """A translation is checked against the same standards as the French page it translates."""
    ids = review.get("checked_against") if isinstance(review, dict) else None
    if not isinstance(ids, list) or not ids:
        return []
    return [("  checked_against", _flow_list([i for i in ids if isinstance(i, str)]))]


def create_page(project: Project, directory: Directory, draft: PageDraft) -> Path:
    path = draft.path(project.docs_dir)
    if path.exists():
        raise ScaffoldRefused(f"{project.display(path)} already exists; nothing was written")
    if draft.language == DEFAULT_LANGUAGE:
        text = render_french_page(draft, project.docs_dir, directory)
    else:
        text = render_translation(draft, project.docs_dir)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
