"""Generate the directory pages: home, countries and cities as Markdown files under docs/annuaire/ for the engine;
service pages after the engine, filled into the frame it rendered once per language (relais.render.frames).

Markup is built with `relais.render.markup`, which escapes every value that is not already markup. Renderers
receive the public projection (`relais.model.public`) only: they cannot see what a confidential service keeps private.
Pages are written for fr, en and ar; untranslated fields fall back to French, marked `lang="fr"`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlparse

from babel.dates import format_date

from relais.check.directory import e164, is_stale
from relais.check.html_audit import audit_content, audit_text
from relais.core.diagnostics import Diagnostic
from relais.core.filewriter import make_folders
from relais.core.outputs import claim, remove_ours
from relais.i18n.directory_strings import directory_strings
from relais.i18n.hours_text import hours_in_words
from relais.i18n.language_names import language_name
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.directory import City, Country, EmergencyCard, as_dict, as_list, in_language
from relais.model.guidelines import GuidelinePage
from relais.model.layout import (
    DIRECTORY_FOLDER,
    SERVICES_FOLDER,
    city_path,
    language_root,
    page_suffix,
    service_path,
    up_to_language_root,
)
from relais.model.public import EVERY_PLACE, Phone, Places, PublicDirectory, PublicService, services_by_city
from relais.render import context as site_context
from relais.render.frames import (
    DESCRIPTION_TOKEN,
    FRAME_SLUG,
    TITLE_TOKEN,
    Frame,
    FramedPage,
    expand_sitemap,
    frame_source,
    read_frame,
    write_framed_pages,
)
from relais.render.markup import EMPTY, Markup, each, escaped, fill, html, join

SEARCHABLE_STATUSES = {"active", "temporarily closed"}
# The service frame's front matter: the engine renders it once per language (see relais.render.frames).
SERVICE_META: dict[str, object] = {"relais_kind": "service", "template": "relais-directory.html"}
REFER_SERVICES_PER_CITY = 3
REFER_OPEN_COUNTRY_UP_TO = 6
# A country with more matching cities lists only these many, those with the most matches, and links to all of
# them: the box listed every city with its services, 212 KB of each guideline page at 10,000 services.
REFER_CITIES_PER_COUNTRY = 12
UNINDEXED_OPEN, UNINDEXED_CLOSE = html("<div data-pagefind-ignore>"), html("</div>")
FACTS_OPEN, FACTS_CLOSE = html('<dl class="relais-facts">'), html("</dl>")


@dataclass(frozen=True)
class PageSettings:
    repo_url: str
    as_of: date
    site_url: str = ""
    data_version: str = ""


@dataclass(frozen=True)
class GuideLink:
    """A guideline page that declares the directory categories it relates to (front matter `refer`)."""

    url: str
    titles: dict[str, str]
    categories: frozenset[str]
    populations: frozenset[str]


def guide_url(base_uri: str) -> str:
    """`guides/enfants/index.md` -> `guides/enfants/`; `guides/a/b.md` -> `guides/a/b/`."""
    stem = base_uri.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("/index") or stem == "index" else f"{stem}/"


def guide_links(pages: list[GuidelinePage]) -> list[GuideLink]:
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    for page in pages:
        if isinstance(page.meta.get("title"), str):
            titles[page.base_uri][page.language] = page.meta["title"]
    links = []
    for page in pages:
        refer = as_dict(page.meta.get("refer"))
        if page.language != DEFAULT_LANGUAGE or not refer:
            continue
        categories = frozenset(c for c in as_list(refer.get("categories")) if isinstance(c, str))
        populations = frozenset(p for p in as_list(refer.get("populations")) if isinstance(p, str))
        links.append(GuideLink(guide_url(page.base_uri), titles[page.base_uri], categories, populations))
    return sorted(links, key=lambda link: link.url)


def refer_terms(meta: dict[str, object]) -> tuple[frozenset[str], frozenset[str]]:
    """The categories and populations a guideline page's `refer` names."""
    refer = as_dict(meta.get("refer"))
    categories = frozenset(c for c in as_list(refer.get("categories")) if isinstance(c, str))
    populations = frozenset(p for p in as_list(refer.get("populations")) if isinstance(p, str))
    return categories, populations


def refers_to(service: PublicService, categories: frozenset[str], populations: frozenset[str]) -> bool:
    """A service matches a guide's `refer` when it offers one of its categories and serves one of its populations
    (each condition applies only when the guide names it)."""
    if service.status not in SEARCHABLE_STATUSES or not (categories or populations):
        return False
    category_ok = not categories or bool(categories & set(service.categories))
    population_ok = not populations or bool(populations & set(service.populations))
    return category_ok and population_ok


def _front_matter(title: str, description: str, extra: dict[str, object] | None = None) -> str:
    """Front matter of a page whose body is finished, escaped HTML (the engine skips Markdown for it)."""
    extra = {"relais_html": True, **(extra or {})}
    lines = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"description: {json.dumps(description, ensure_ascii=False)}",
    ]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join([*lines, "---", "", ""])


def page_source(front_matter: str, body: Markup) -> str:
    """A page's Markdown source: its front matter, then its finished HTML."""
    return front_matter + str(body)


class Writer:
    """Renders the directory in one language. Markup is built with `relais.render.markup`: every value is escaped
    unless it is already markup; strings come from `t`, data through `text`."""

    def __init__(
        self, directory: PublicDirectory, language: str, settings: PageSettings, guides: list[GuideLink] | None = None
    ) -> None:
        self.directory = directory
        self.guides = guides or []
        self.language = language
        self.settings = settings
        self.t = directory_strings(language)
        self.colon = " : " if language == "fr" else ": "  # French typography: space before the colon
        self.comma = "، " if language == "ar" else ", "

    # --- small pieces -------------------------------------------------------------------------------------
    def text(self, value: object) -> Markup:
        """A language map in the reader's language, or French marked as such."""
        text, text_language = in_language(value, self.language)
        if text_language == self.language or not text:
            return escaped(text)
        return html(
            '<span lang="{}" dir="ltr">{}</span> <small class="relais-fallback-note">{}</small>',
            text_language,
            text,
            self.t["in_french"],
        )

    def date(self, day: date) -> Markup:
        shown = format_date(day, format="long", locale=self.language)
        return html('<time datetime="{}">{}</time>', day.isoformat(), shown)

    def label(self, term_id: str, kind: str) -> Markup:
        return escaped(self.label_text(term_id, kind))

    def label_text(self, term_id: str, kind: str) -> str:
        term = getattr(self.directory.vocabulary, kind).get(term_id)
        return term.label_in(self.language) if term else term_id

    def city_name(self, country: str, slug: str) -> str:
        city = self.directory.city(country, slug)
        return city.name_in(self.language) if city else slug

    def country_name(self, code: str) -> str:
        country = self.directory.countries.get(code)
        return country.name_in(self.language) if country else code

    def dash_text(self, value: object) -> Markup:
        """` — ` and the text of an optional note, or nothing."""
        return html(" — {}", self.text(value)) if value else EMPTY

    # --- service page -------------------------------------------------------------------------------------
    def service_page(self, service: PublicService) -> FramedPage:
        t = self.t
        name, _ = service.text("name", self.language)
        description, _ = service.text("description", self.language)
        # Weights: a search for a city or a service name should find the service page before guidance mentioning it.
        parts = [html('<h1 data-pagefind-weight="10">{}</h1>', self.text(service.name))]
        parts += self.status_notice(service)
        parts += self.unindexed(self.freshness(service))
        if service.description:
            parts.append(html('<p class="relais-service__description">{}</p>', self.text(service.description)))
        parts.append(FACTS_OPEN)
        parts += self.facts(service)
        parts.append(FACTS_CLOSE)
        parts += self.unindexed(self.referral(service))
        parts += self.contact(service)
        suggest = html(
            '<p class="relais-suggest"><a href="{}">{}</a> · {}</p>',
            self.suggest_url(service),
            t["suggest"],
            t["service_of"].format(id=service.id),
        )
        parts += self.unindexed([*self.related_guidance(service), *self.sources(service), suggest])
        parts += self.search_filters(service)
        return FramedPage(
            slug=service.id,
            title=name,
            description=description[:200],
            body=html(
                '<div class="relais-service"{}>\n{}\n</div>\n', self.sensitive_marker(service), join(parts, "\n")
            ),
            indexed=service.status in SEARCHABLE_STATUSES,
        )

    def is_sensitive(self, service: PublicService) -> bool:
        """Confidential, or of a category the taxonomy marks sensitive (gender-based violence, child protection)."""
        categories = self.directory.vocabulary.categories
        return service.confidential or any(c in categories and categories[c].sensitive for c in service.categories)

    def sensitive_marker(self, service: PublicService) -> Markup:
        """The page frame's Quick exit button shows on pages whose content carries this attribute."""
        return html(" data-relais-sensitive") if self.is_sensitive(service) else EMPTY

    @staticmethod
    def unindexed(parts: list[Markup]) -> list[Markup]:
        """Left out of the search index: what every service page says (labels, hours, verification, links) would
        match every page and, at 10,000 services, doubled the index's size and the indexer's memory."""
        return [UNINDEXED_OPEN, *parts, UNINDEXED_CLOSE] if parts else []

    def status_notice(self, service: PublicService) -> list[Markup]:
        if service.status == "active":
            return []
        return [
            html(
                '<p class="relais-status relais-status--{}" role="status"><strong>{}</strong>{}</p>',
                service.status.replace(" ", "-"),
                self.t[f"status_{service.status}"],
                self.dash_text(service.status_note),
            )
        ]

    def freshness(self, service: PublicService) -> list[Markup]:
        verified = service.verification
        day = verified.on
        if day is None:
            return []
        if verified.method == "imported":  # a draft from `relais import`: nobody has called yet
            imported = fill(self.t["imported"], date=self.date(day))
            return [html('<p class="relais-stale relais-imported" role="alert"><strong>{}</strong></p>', imported)]
        method = self.t.get(f"method_{verified.method}", verified.method)
        role = escaped(verified.by)
        if self.language != DEFAULT_LANGUAGE:  # roles are written in French by editors
            role = html('<span lang="{}" dir="ltr">{}</span>', DEFAULT_LANGUAGE, verified.by)
        lines = []
        if is_stale(day, self.settings.as_of):
            warning = fill(self.t["stale"], date=self.date(day))
            lines.append(html('<p class="relais-stale" role="alert"><strong>{}</strong></p>', warning))
        stamp = fill(self.t["verified"], date=self.date(day), role=role, method=method)
        lines.append(html('<p class="relais-verified">{}</p>', stamp))
        return lines

    def facts(self, service: PublicService) -> list[Markup]:
        t = self.t
        rows: list[tuple[str, Markup]] = []
        organization = service.organization
        org_name = self.text(organization.name) if organization.name else escaped(organization.id)
        rows.append((t["organization"], org_name))
        city_link = html(
            '<span data-pagefind-weight="8"><a href="../../{}/{}/">{}</a>{}{}</span>',
            service.country.lower(),
            service.city,
            self.city_name(service.country, service.city),
            self.comma,
            self.country_name(service.country),
        )
        rows.append((t["place"], city_link))
        if service.mobile_area:
            rows.append((t["service_area"], self.text(service.mobile_area)))
        categories = each(
            "<li>{} <small data-pagefind-ignore>({})</small></li>",
            ((self.label(c, "categories"), self.layer_text(c)) for c in service.categories),
        )
        rows.append((t["categories"], html("<ul>{}</ul>", categories)))
        populations = each("<li>{}</li>", ((self.label(p, "populations"),) for p in service.populations))
        rows.append((t["populations"], html("<ul>{}</ul>", populations)))
        languages = join((language_name(code, self.language) for code in service.languages), self.comma)
        rows.append((t["languages"], languages or escaped(t["not_stated"])))
        facts = each("<dt data-pagefind-ignore>{}</dt><dd>{}</dd>", rows, "\n")
        hours = html(
            "<dt data-pagefind-ignore>{}</dt><dd data-pagefind-ignore>{}</dd>", t["hours"], self.hours(service)
        )
        return [facts, hours]

    def layer_text(self, category_id: str) -> str:
        term = self.directory.vocabulary.categories.get(category_id)
        return self.t["layer"].format(layer=term.layer) if term and term.layer else ""

    def hours(self, service: PublicService) -> Markup:
        value = service.hours
        note = service.hours_note
        if not isinstance(value, str):
            return html("{}{}", self.t["not_stated"], self.dash_text(note))
        sentences = hours_in_words(value, self.language)
        shown = join(sentences, html("<br>")) if sentences else html('<code dir="ltr">{}</code>', value)
        return html("{}<br>{}", shown, self.text(note)) if note else shown

    def referral(self, service: PublicService) -> list[Markup]:
        t = self.t
        referral = service.referral
        rows: list[tuple[str, Markup]] = []
        if referral.method:
            rows.append((t["method"], self.text(referral.method)))
        if referral.documents:
            rows.append((t["documents"], self.text(referral.documents)))
        if referral.accepts_undocumented is not None:
            accepted = t["accepted" if referral.accepts_undocumented else "not_accepted"]
            rows.append((t["undocumented"], escaped(accepted)))
        if referral.accepts_unaccompanied_children is not None:
            key = "children_accepted" if referral.accepts_unaccompanied_children else "children_not_accepted"
            rows.append((t["children"], escaped(t[key])))
        cost = t.get(f"cost_{referral.cost or 'unknown'}", t["cost_unknown"])
        rows.append((t["cost"], html("{}{}", cost, self.dash_text(referral.cost_note))))
        items = each("<dt>{}</dt><dd>{}</dd>", rows)
        return [html("<h2>{}</h2>", t["how_to_refer"]), html('<dl class="relais-facts">{}</dl>', items)]

    @staticmethod
    def contact_item(content: Markup, searchable: bool) -> Markup:
        """A contact line; a number or an address searched for would match only its own page, so most are not."""
        return html("<li>{}</li>" if searchable else "<li data-pagefind-ignore>{}</li>", content)

    def phone_items(self, phones: tuple[Phone, ...], country: str, searchable: bool = True) -> list[Markup]:
        items = []
        for phone in phones:
            number, kind = phone.number, phone.kind
            dial = number.strip() if kind == "short-code" else e164(number, country)
            link = html('<a href="tel:{}" dir="ltr"><bdi>{}</bdi></a>', dial, number)
            label = self.t.get(f"phone_{kind}", self.t["phone"])
            content = html("{}{}{}{}", label, self.colon, link, self.dash_text(phone.note))
            items.append(self.contact_item(content, searchable))
        return items

    def email_item(self, address: str | None, searchable: bool = True) -> list[Markup]:
        if address is None:
            return []
        link = html('<a href="mailto:{}" dir="ltr"><bdi>{}</bdi></a>', address, address)
        return [self.contact_item(html("{}{}{}", self.t["email"], self.colon, link), searchable)]

    def contact(self, service: PublicService) -> list[Markup]:
        t = self.t
        heading = html("<h2 data-pagefind-ignore>{}</h2>", t["contact"])
        if service.confidential:
            return [heading, *self.unindexed(self.front_door(service))]
        items = self.phone_items(service.phones, service.country, searchable=False)
        items += self.email_item(service.email, searchable=False)
        website = service.website
        if website is not None:
            link = html('<a href="{}" dir="ltr" rel="noopener"><bdi>{}</bdi></a>', website, website)
            items.append(self.contact_item(html("{}{}{}", t["website"], self.colon, link), searchable=False))
        items += self.location_items(service)  # a street or a neighbourhood is worth searching for
        if not items:
            items.append(self.contact_item(escaped(t["not_stated"]), searchable=False))
        return [heading, html('<ul class="relais-contacts">{}</ul>', join(items))]

    def front_door(self, service: PublicService) -> list[Markup]:
        """How to reach a confidential service: the warning, then its front door only."""
        t = self.t
        lines = [
            html(
                '<div class="admonition warning relais-confidential"><p class="admonition-title">{}</p><p>{}</p></div>',
                t["confidential_title"],
                t["confidential_note"],
            ),
            html("<h3>{}</h3>", t["front_door"]),
        ]
        items = []
        door = service.front_door
        if door:
            lines.append(html("<p>{}</p>", self.text(door.description)))
            items = self.phone_items(door.phones, service.country) + self.email_item(door.email)
        lines.append(html('<ul class="relais-contacts">{}</ul>', join(items)))
        return lines

    def location_items(self, service: PublicService) -> list[Markup]:
        location = service.location
        if location is None:
            return []
        items = []
        if location.address:
            items.append(
                html(
                    "<li><span data-pagefind-ignore>{}{}</span>{}</li>",
                    self.t["address"],
                    self.colon,
                    self.text(location.address),
                )
            )
        if location.directions:
            items.append(html("<li>{}</li>", self.text(location.directions)))
        lat, lon = location.latitude, location.longitude
        if lat is not None and lon is not None:
            url = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
            items.append(html('<li data-pagefind-ignore><a href="{}" rel="noopener">{}</a></li>', url, self.t["map"]))
        return items

    def related_guidance(self, service: PublicService) -> list[Markup]:
        related = [g for g in self.guides if g.categories & set(service.categories)]
        if not related:
            return []
        items = join(html('<li><a href="../../../{}">{}</a></li>', g.url, self.text(g.titles)) for g in related)
        return [html("<h2>{}</h2>", self.t["related_guidance"]), html("<ul>{}</ul>", items)]

    def refer_box(self, categories: frozenset[str], populations: frozenset[str], root: str) -> Markup:
        """The "where to refer" box of a guideline page: matching services, country by country, city by city.

        `root` is the relative path from the guideline page to the language root (e.g. `../../../`)."""
        t = self.t
        by_place: dict[tuple[str, str], list[PublicService]] = defaultdict(list)
        for service in self.directory.services:
            if refers_to(service, categories, populations):
                for city in service.served_cities:
                    by_place[(service.country, city)].append(service)
        parts = [
            html(
                '<aside class="admonition tip relais-refer" aria-labelledby="relais-refer-title">'
                '<p class="admonition-title" id="relais-refer-title">{}</p>',
                t["where_to_refer"],
            )
        ]
        if not by_place:
            parts.append(html('<p>{} <a href="{}annuaire/">{}</a></p></aside>', t["no_match"], root, t["directory"]))
            return join(parts)
        by_country: dict[str, list[str]] = defaultdict(list)
        for country, city in by_place:
            by_country[country].append(city)
        for country in sorted(by_country, key=self.country_name):
            cities = sorted(by_country[country], key=lambda c: self.city_name(country, c))
            few = len(cities) <= REFER_OPEN_COUNTRY_UP_TO
            if few:
                blocks = join(self.refer_city(country, city, by_place[(country, city)], root) for city in cities)
            else:
                blocks = self.refer_busiest_cities(
                    country, {city: len(by_place[(country, city)]) for city in cities}, root
                )
            count = self.t["cities_one"] if len(cities) == 1 else self.t["cities_other"].format(count=len(cities))
            summary = f"{self.country_name(country)} ({count})"
            details = html(
                "<details open><summary>{}</summary>{}</details>"
                if few
                else "<details><summary>{}</summary>{}</details>",
                summary,
                blocks,
            )
            parts.append(details)
        parts.append(html("</aside>"))
        return join(parts)

    def refer_busiest_cities(self, country: str, matches: dict[str, int], root: str) -> Markup:
        """The cities of a country with the most matching services, then a link to the country's every city."""
        busiest = sorted(matches, key=lambda c: (-matches[c], self.city_name(country, c)))[:REFER_CITIES_PER_COUNTRY]
        items = [
            html(
                '<li><a href="{}{}">{}</a> <small>({})</small></li>',
                root,
                city_path(country, city),
                self.city_name(country, city),
                self.count_text(matches[city]),
            )
            for city in sorted(busiest, key=lambda c: self.city_name(country, c))
        ]
        if len(matches) > len(busiest):
            every = self.t["more_cities"].format(count=len(matches))
            items.append(html('<li><a href="{}{}/{}/">{}</a></li>', root, DIRECTORY_FOLDER, country.lower(), every))
        return html("<ul>{}</ul>", join(items))

    def refer_city(self, country: str, city: str, services: list[PublicService], root: str) -> Markup:
        """One city of the "where to refer" box: a few services, then a link to the city page for the rest
        (listing every match made guideline pages grow with the directory: 1.2 MB at 10,000 services)."""
        city_link = root + city_path(country, city)
        shown = sorted(services, key=lambda s: s.id)[:REFER_SERVICES_PER_CITY]
        items = [html('<li><a href="{}{}">{}</a></li>', root, service_path(s.id), self.text(s.name)) for s in shown]
        if len(services) > len(shown):
            more = self.t["more_services"].format(count=len(services) - len(shown))
            items.append(html('<li><a href="{}">{}</a></li>', city_link, more))
        return html(
            '<p><strong><a href="{}">{}</a></strong></p><ul>{}</ul>',
            city_link,
            self.city_name(country, city),
            join(items),
        )

    def sources(self, service: PublicService) -> list[Markup]:
        items = []
        for source in service.sources:
            title = html('<span lang="fr">{}</span>', source.title)
            if source.url:
                title = html('<a href="{}" rel="noopener">{}</a>', source.url, title)
            items.append(
                html(
                    '<li>{}, {}, <time datetime="{}">{}</time></li>',
                    title,
                    source.organization,
                    source.date,
                    source.date,
                )
            )
        return [html("<h2>{}</h2>", self.t["sources"]), html("<ul>{}</ul>", join(items))] if items else []

    def suggest_url(self, service: PublicService) -> str:
        query = urlencode(
            {"template": "correct-service.yml", "service_id": service.id, "title": f"Correction: {service.id}"}
        )
        return f"{self.settings.repo_url.rstrip('/')}/issues/new?{query}"

    def search_filters(self, service: PublicService) -> list[Markup]:
        """Pagefind filters, keyed in the reader's language so the filter pane reads naturally."""
        t = self.t
        values: list[tuple[str, str]] = [(t["countries"], self.country_name(service.country))]
        values += [(t["cities"], self.city_name(service.country, c)) for c in service.served_cities]
        values += [(t["categories"], self.label_text(c, "categories")) for c in service.categories]
        layers = sorted({self.layer_text(c) for c in service.categories if self.layer_text(c)})
        values += [("IASC", layer) for layer in layers]
        values += [(t["populations"], self.label_text(p, "populations")) for p in service.populations]
        values += [(t["languages"], language_name(code, self.language)) for code in service.languages]
        referral = service.referral
        values.append((t["cost"], t.get(f"cost_{referral.cost or 'unknown'}", t["cost_unknown"])))
        if referral.accepts_undocumented is not None:
            values.append((t["undocumented"], t["accepted" if referral.accepts_undocumented else "not_accepted"]))
        values.append((t["status"], t[f"status_{service.status}"]))
        spans = each('<span data-pagefind-filter="{}:{}"></span>', values)
        day = service.verified_on
        if day is None:
            return [html('<div class="relais-search-data" hidden>{}</div>', spans)]
        sorted_by = html(
            '<div class="relais-search-data" hidden data-pagefind-sort="verified:{}">{}</div>', day.isoformat(), spans
        )
        return [sorted_by]

    # --- listings -----------------------------------------------------------------------------------------
    def service_item(self, service: PublicService, base: str, city_slug: str) -> Markup:
        org = self.dash_text(service.organization.name)
        badges = []
        if service.status != "active":
            badges.append(html('<span class="relais-badge">{}</span>', self.t[f"status_{service.status}"]))
        if is_stale(service.verified_on, self.settings.as_of):
            badges.append(
                html('<span class="relais-badge relais-badge--stale">{}</span>', self.t["stale"].split(":")[0])
            )
        if service.city != city_slug:
            based_in = self.t["mobile_from"].format(city=self.city_name(service.country, service.city))
            badges.append(html('<span class="relais-badge">{}</span>', based_in))
        return html(
            '<li><a href="{}services/{}/">{}</a>{} {}</li>',
            base,
            service.id,
            self.text(service.name),
            org,
            join(badges, " "),
        )

    def emergency_card(self, city: City, root: str, on_paper: bool = False) -> Markup:
        """The city's dated emergency card, or the steps to fill it in: never a number without its source.

        `root` is the relative path from the page to its language root. On paper, an unfilled card leaves lines
        to write the numbers in by hand instead of the steps."""
        t = self.t
        title = t["emergency_title"].format(place=city.name_in(self.language))
        parts = [html('<section class="admonition danger relais-emergency"><p class="admonition-title">{}</p>', title)]
        card = city.emergency
        if card is None and on_paper:
            lines = join(html("<li>{}{}</li>", t[f"emergency_line_{n}"], self.colon) for n in range(1, 6))
            parts += [
                html("<p><strong>{}</strong></p>", t["emergency_unfilled"]),
                html('<ul class="relais-emergency__blank">{}</ul>', lines),
            ]
        elif card is None:
            steps = join(html("<li>{}</li>", t[f"emergency_step_{n}"]) for n in range(1, 5))
            parts += [
                html("<p><strong>{}</strong></p>", t["emergency_unfilled"]),
                html("<p>{}</p><ol>{}</ol>", t["emergency_steps_title"], steps),
            ]
        else:
            parts.append(html('<ul class="relais-contacts">{}</ul>', join(self.emergency_numbers(card))))
            checked = date.fromisoformat(card.checked)
            parts.append(html("<p>{}</p>", fill(t["emergency_checked"], date=self.date(checked))))
            if is_stale(checked, self.settings.as_of):
                parts.append(html('<p role="alert"><strong>{}</strong></p>', t["emergency_stale"]))
        guide = f"{root}guides/orientation/mecanismes-orientation/#urgences-police"
        parts.append(
            html(
                '<p>{} <a href="{}">{}</a></p></section>',
                t["emergency_meanwhile"],
                guide,
                t["emergency_police_link"],
            )
        )
        return join(parts)

    def emergency_numbers(self, card: EmergencyCard) -> list[Markup]:
        items = []
        for entry in card.numbers:
            source = f"{entry.source_title}, {entry.source_organization}, {entry.source_date}"
            cited = escaped(self.t["emergency_source"].format(source=source))
            if entry.source_url and entry.source_url.startswith(("https://", "http://")):
                cited = html('<a href="{}" rel="noopener">{}</a>', entry.source_url, cited)
            dial = "".join(entry.number.split())
            items.append(
                html(
                    '<li><strong>{}</strong>{}<a href="tel:{}" dir="ltr"><bdi>{}</bdi></a> <small>{}</small></li>',
                    self.text(entry.label),
                    self.colon,
                    dial,
                    entry.number,
                    cited,
                )
            )
        return items

    def city_page(self, country: Country, city: City, services: list[PublicService]) -> str:
        t = self.t
        place = city.name_in(self.language)
        title = t["services_in"].format(place=place)
        parts = [
            html("<h1>{}</h1>", title),
            html(
                '<p><a href="../">{}</a> · <a href="../../">{}</a></p>',
                country.name_in(self.language),
                t["directory"],
            ),
            html(
                '<p class="relais-city__tools"><a class="md-button" href="imprimer/">{}</a> '
                '<a class="md-button" href="couverture/">{}</a> '
                '<a class="md-button" href="../qualite/">{}</a></p>',
                t["print_all"],
                t["coverage_link"],
                t["quality_link"],
            ),
            self.emergency_card(city, up_to_language_root(city_path(country.code, city.slug))),
        ]
        if not services:
            parts.append(html("<p>{}</p>", t["no_service"]))
        by_layer: dict[int, dict[str, list[PublicService]]] = defaultdict(lambda: defaultdict(list))
        for service in services:
            for category in service.categories:
                term = self.directory.vocabulary.categories.get(category)
                by_layer[term.layer if term and term.layer else 0][category].append(service)
        for layer in sorted(by_layer):
            label = in_language(self.directory.vocabulary.layers.get(layer, {}), self.language)[0]
            parts.append(html("<h2>{}</h2>", self.t["layer_heading"].format(layer=layer, label=label)))
            for category in sorted(by_layer[layer]):
                items = join(
                    self.service_item(s, "../../", city.slug)
                    for s in sorted(by_layer[layer][category], key=lambda s: s.id)
                )
                # Each service is found through its own page; listed here too, it would make every city page a
                # result for every service name and category, and Pagefind's memory grows with the words it indexes.
                parts.append(
                    html("<h3>{}</h3><ul data-pagefind-ignore>{}</ul>", self.label(category, "categories"), items)
                )
        parts += self.filtered_sheet_links(services)
        body = html('<div class="relais-city">\n{}\n</div>\n', join(parts, "\n"))
        return page_source(_front_matter(title, title, {"relais_kind": "city"}), body)

    def filtered_sheet_links(self, services: list[PublicService]) -> list[Markup]:
        categories, populations = sheet_filters([s for s in services if s.status in SEARCHABLE_STATUSES])
        terms = [("categories", c) for c in categories] + [("populations", p) for p in populations]
        links = [
            html('<li><a href="imprimer/#{}">{}</a></li>', sheet_filter_id(kind, term), self.label(term, kind))
            for kind, term in terms
        ]
        if not links:
            return []
        return [
            html("<h2 data-pagefind-ignore>{}</h2>", self.t["print_filtered"]),
            html('<ul class="relais-sheet-links" data-pagefind-ignore>{}</ul>', join(links)),
        ]

    def country_page(self, country: Country, counts: dict[str, int]) -> str:
        t = self.t
        title = f"{t['directory']} — {country.name_in(self.language)}"
        items = join(
            html(
                '<li><a href="{}/">{}</a> <small>({})</small></li>',
                slug,
                city.name_in(self.language),
                self.count_text(counts.get(slug, 0)),
            )
            for slug, city in sorted(country.cities.items(), key=lambda c: c[1].name_in(self.language))
        )
        body = html(
            '<div class="relais-country">\n<h1>{}</h1>\n<p><a href="../">{}</a> · <a href="couverture/">{}</a> · '
            '<a href="qualite/">{}</a></p>\n<h2>{}</h2>\n<ul class="relais-cities">{}</ul>\n</div>\n',
            title,
            t["directory"],
            t["coverage_link"],
            t["quality_link"],
            t["choose_city"],
            items,
        )
        return page_source(_front_matter(title, title, {"relais_kind": "country"}), body)

    def count_text(self, count: int) -> str:
        return self.t["service_count_one"] if count == 1 else self.t["service_count_other"].format(count=count)

    def home_page(self, counts: dict[tuple[str, str], int]) -> str:
        t = self.t
        parts = [html("<h1>{}</h1>", t["directory"]), html("<p>{}</p>", t["directory_intro"])]
        for code, country in sorted(self.directory.countries.items(), key=lambda c: c[1].name_in(self.language)):
            cities = join(
                html(
                    '<li><a href="{}/{}/">{}</a> <small>({})</small></li>',
                    code.lower(),
                    slug,
                    city.name_in(self.language),
                    self.count_text(counts.get((code, slug), 0)),
                )
                for slug, city in sorted(country.cities.items(), key=lambda c: c[1].name_in(self.language))
            )
            parts.append(
                html(
                    '<h2><a href="{}/">{}</a></h2><ul class="relais-cities">{}</ul>',
                    code.lower(),
                    country.name_in(self.language),
                    cities,
                )
            )
        body = html('<div class="relais-directory">\n{}\n</div>\n', join(parts, "\n"))
        return page_source(_front_matter(t["directory"], t["directory_intro"], {"relais_kind": "directory"}), body)


SHEET_FILTER_PREFIXES = {"categories": "categorie", "populations": "public"}


def sheet_filter_id(kind: str, term_id: str) -> str:
    """The fragment that filters a city's sheet to one category or population: `imprimer/#categorie-<id>`."""
    return f"{SHEET_FILTER_PREFIXES[kind]}-{term_id}"


def sheet_filters(services: list[PublicService]) -> tuple[list[str], list[str]]:
    """Categories and populations that have at least one service in a city: the sheet's filters."""
    categories = sorted({c for s in services for c in s.categories})
    populations = sorted({p for s in services for p in s.populations})
    return categories, populations


def write_directory_pages(
    directory: PublicDirectory,
    out_dir: Path,
    settings: PageSettings,
    pages: list[GuidelinePage] | None = None,
    places: Places = EVERY_PLACE,
) -> list[Path]:
    """Write the directory pages of `places` (the home page and the service frame always) in every language into
    a fresh `out_dir`. Returns the files written."""
    remove_ours(out_dir)
    claim(out_dir)
    written: list[Path] = []
    by_city = services_by_city(directory)
    counts = {key: len(value) for key, value in by_city.items()}

    def write(relative: str, content: str) -> None:
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(path)

    guides = guide_links(pages or [])
    for language in LANGUAGES:
        writer = Writer(directory, language, settings, guides)
        suffix = page_suffix(language)
        write(f"index{suffix}.md", writer.home_page(counts))
        for code, country in directory.countries.items():
            if not places.has_country(code):
                continue
            city_counts = {slug: counts.get((code, slug), 0) for slug in country.cities}
            write(f"{code.lower()}/index{suffix}.md", writer.country_page(country, city_counts))
            for slug, city in country.cities.items():
                if not places.has_city(code, slug):
                    continue
                write(
                    f"{code.lower()}/{slug}{suffix}.md", writer.city_page(country, city, by_city.get((code, slug), []))
                )
        frame = frame_source(_front_matter(TITLE_TOKEN, DESCRIPTION_TOKEN, SERVICE_META))
        write(f"services/{FRAME_SLUG}{suffix}.md", frame)
    return written


@dataclass
class ServicePages:
    files: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    frames: dict[str, Frame] = field(default_factory=dict)  # by language, for `relais serve` to write pages again


def write_service_pages(
    directory: PublicDirectory,
    site_dir: Path,
    settings: PageSettings,
    pages: list[GuidelinePage] | None = None,
    shown_as: str = "site",
) -> ServicePages:
    """Fill each language's service frame (rendered by the engine) with every service.

    Audits as it writes (SAF007): the frame once per language, then each page's content, reported at its place in
    the page; the values put in the head are escaped. `shown_as` names the site folder in reports."""
    frames, problems = read_service_frames(site_dir, settings, shown_as)
    for language in LANGUAGES:
        make_folders(site_dir / language_root(language) / SERVICES_FOLDER / s.id for s in directory.services)
    result = rewrite_service_pages(directory, directory.services, site_dir, settings, frames, pages, shown_as)
    result.problems[:0] = problems
    expand_sitemap(site_dir, [service.id for service in directory.services])
    return result


def read_service_frames(
    site_dir: Path, settings: PageSettings, shown_as: str = "site"
) -> tuple[dict[str, Frame], list[Diagnostic]]:
    """Each language's service frame, read (and audited) from the engine's output, which then loses the frame page."""
    host = urlparse(settings.site_url).netloc
    frames: dict[str, Frame] = {}
    problems: list[Diagnostic] = []
    for language in LANGUAGES:
        root = language_root(language)
        frames[language], frame_html = read_frame(site_dir / root / SERVICES_FOLDER / FRAME_SLUG)
        problems += audit_text(frame_html, f"{shown_as}/{root}{SERVICES_FOLDER}/{FRAME_SLUG}/index.html", host)
    return frames, problems


def rewrite_service_pages(
    directory: PublicDirectory,
    services: tuple[PublicService, ...],
    site_dir: Path,
    settings: PageSettings,
    frames: dict[str, Frame],
    pages: list[GuidelinePage] | None = None,
    shown_as: str = "site",
) -> ServicePages:
    """Write the pages of `services` into each language's frame, auditing them on the way. The build writes every
    service; `relais serve` writes again the ones an edit changed."""
    guides = guide_links(pages or [])
    host = urlparse(settings.site_url).netloc
    result = ServicePages(frames=frames)
    for language in LANGUAGES:
        root = language_root(language)
        frame = frames[language]
        writer = Writer(directory, language, settings, guides)
        rendered = _audited(writer, services, f"{shown_as}/{root}", host, frame.content_position(), result.problems)
        result.files += write_framed_pages(frame, rendered, site_dir / root / SERVICES_FOLDER)
    return result


def _audited(
    writer: Writer,
    services: tuple[PublicService, ...],
    shown_root: str,
    host: str,
    at: tuple[int, int],
    problems: list[Diagnostic],
) -> Iterator[FramedPage]:
    """Each service's page, its content audited on the way (problems are appended to `problems`)."""
    for service in services:
        page = writer.service_page(service)
        problems += audit_content(page.body, f"{shown_root}{service_path(page.slug)}index.html", host, at)
        yield page


def service_page_folders() -> tuple[str, ...]:
    """Site-relative folders of the service pages, every language (audited as they are written)."""
    return tuple(f"{language_root(language)}{SERVICES_FOLDER}/" for language in LANGUAGES)


def refer_box_html(meta: dict[str, object], language: str, page_url: str) -> str:
    """The "where to refer" box for a guideline page declaring `refer`, or "" outside a relais build."""
    context = site_context.current()
    if context is None or not as_dict(meta.get("refer")):
        return ""
    categories, populations = refer_terms(meta)
    root = "../" * page_url.count("/") + language_root(language)
    writer = Writer(context.directory, language, PageSettings(repo_url="", as_of=context.as_of))
    return str(writer.refer_box(categories, populations, root))
