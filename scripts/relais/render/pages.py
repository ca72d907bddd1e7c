"""Generate the directory pages: home, countries and cities as Markdown files under docs/annuaire/ for the engine;
service pages after the engine, filled into the frame it rendered once per language (relais.render.frames).

Every value printed goes through `html.escape`. Renderers receive the public projection (`relais.model.public`)
only: they cannot see what a confidential service keeps private.
Pages are written for fr, en and ar; untranslated fields fall back to French, marked `lang="fr"`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html import escape
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
from relais.model.public import Phone, PublicDirectory, PublicService, services_by_city
from relais.render import context as site_context
from relais.render.frames import (
    DESCRIPTION_TOKEN,
    FRAME_SLUG,
    TITLE_TOKEN,
    FramedPage,
    expand_sitemap,
    frame_source,
    read_frame,
    write_framed_pages,
)

SEARCHABLE_STATUSES = {"active", "temporarily closed"}
# The service frame's front matter: the engine renders it once per language (see relais.render.frames).
SERVICE_META: dict[str, object] = {"relais_kind": "service", "template": "relais-directory.html"}
REFER_SERVICES_PER_CITY = 3
REFER_OPEN_COUNTRY_UP_TO = 6
# A country with more matching cities lists only these many, those with the most matches, and links to all of
# them: the box listed every city with its services, 212 KB of each guideline page at 10,000 services.
REFER_CITIES_PER_COUNTRY = 12


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


class Writer:
    """Renders the directory in one language. All text goes through `t` (strings) or `text` (data)."""

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
    def text(self, value: object) -> str:
        """Escaped text of a language map in the reader's language, or French marked as such."""
        text, text_language = in_language(value, self.language)
        if text_language == self.language or not text:
            return escape(text)
        note = f' <small class="relais-fallback-note">{escape(self.t["in_french"])}</small>'
        return f'<span lang="{text_language}" dir="ltr">{escape(text)}</span>{note}'

    def date(self, day: date) -> str:
        shown = format_date(day, format="long", locale=self.language)
        return f'<time datetime="{day.isoformat()}">{escape(shown)}</time>'

    def label(self, term_id: str, kind: str) -> str:
        return escape(self.label_text(term_id, kind))

    def label_text(self, term_id: str, kind: str) -> str:
        term = getattr(self.directory.vocabulary, kind).get(term_id)
        return term.label_in(self.language) if term else term_id

    def city_name(self, country: str, slug: str) -> str:
        city = self.directory.city(country, slug)
        return city.name_in(self.language) if city else slug

    def country_name(self, code: str) -> str:
        country = self.directory.countries.get(code)
        return country.name_in(self.language) if country else code

    # --- service page -------------------------------------------------------------------------------------
    def service_page(self, service: PublicService) -> FramedPage:
        t = self.t
        name, _ = service.text("name", self.language)
        description, _ = service.text("description", self.language)
        # Weights: a search for a city or a service name should find the service page before guidance mentioning it.
        parts = [f'<h1 data-pagefind-weight="10">{self.text(service.name)}</h1>']
        parts += self.status_notice(service)
        parts += self.unindexed(self.freshness(service))
        if service.description:
            parts.append(f'<p class="relais-service__description">{self.text(service.description)}</p>')
        parts.append('<dl class="relais-facts">')
        parts += self.facts(service)
        parts.append("</dl>")
        parts += self.unindexed(
            [
                *self.referral(service),
            ]
        )
        parts += self.contact(service)
        parts += self.unindexed(
            [
                *self.related_guidance(service),
                *self.sources(service),
                f'<p class="relais-suggest"><a href="{escape(self.suggest_url(service))}">'
                f"{escape(t['suggest'])}</a> · {escape(t['service_of'].format(id=service.id))}</p>",
            ]
        )
        parts += self.search_filters(service)
        body = "\n".join(parts)
        return FramedPage(
            slug=service.id,
            title=name,
            description=description[:200],
            body=f'<div class="relais-service"{self.sensitive_marker(service)}>\n{body}\n</div>\n',
            indexed=service.status in SEARCHABLE_STATUSES,
        )

    def is_sensitive(self, service: PublicService) -> bool:
        """Confidential, or of a category the taxonomy marks sensitive (gender-based violence, child protection)."""
        categories = self.directory.vocabulary.categories
        return service.confidential or any(c in categories and categories[c].sensitive for c in service.categories)

    def sensitive_marker(self, service: PublicService) -> str:
        """The page frame's Quick exit button shows on pages whose content carries this attribute."""
        return " data-relais-sensitive" if self.is_sensitive(service) else ""

    @staticmethod
    def unindexed(parts: list[str]) -> list[str]:
        """Left out of the search index: what every service page says (labels, hours, verification, links) would
        match every page and, at 10,000 services, doubled the index's size and the indexer's memory."""
        return ["<div data-pagefind-ignore>", *parts, "</div>"] if parts else []

    def status_notice(self, service: PublicService) -> list[str]:
        if service.status == "active":
            return []
        status = escape(self.t[f"status_{service.status}"])
        note = service.status_note
        extra = f" — {self.text(note)}" if note else ""
        return [
            f'<p class="relais-status relais-status--{escape(service.status.replace(" ", "-"))}" role="status">'
            f"<strong>{status}</strong>{extra}</p>"
        ]

    def freshness(self, service: PublicService) -> list[str]:
        verified = service.verification
        day = verified.on
        if day is None:
            return []
        method = escape(self.t.get(f"method_{verified.method}", verified.method))
        role = escape(verified.by)
        if self.language != DEFAULT_LANGUAGE:  # roles are written in French by editors
            role = f'<span lang="{DEFAULT_LANGUAGE}" dir="ltr">{role}</span>'

        if verified.method == "imported":  # a draft from `relais import`: nobody has called yet
            imported = escape(self.t["imported"]).format(date=self.date(day))
            return [f'<p class="relais-stale relais-imported" role="alert"><strong>{imported}</strong></p>']
        stamp = escape(self.t["verified"]).format(date=self.date(day), role=role, method=method)
        lines = []
        if is_stale(day, self.settings.as_of):
            warning = escape(self.t["stale"]).format(date=self.date(day))
            lines.append(f'<p class="relais-stale" role="alert"><strong>{warning}</strong></p>')
        lines.append(f'<p class="relais-verified">{stamp}</p>')
        return lines

    def facts(self, service: PublicService) -> list[str]:
        t = self.t
        rows = []
        organization = service.organization
        org_name = self.text(organization.name) if organization.name else escape(organization.id)
        rows.append((t["organization"], org_name))
        city_link = (
            f'<a href="../../{escape(service.country.lower())}/{escape(service.city)}/">'
            f"{escape(self.city_name(service.country, service.city))}</a>{self.comma}"
            f"{escape(self.country_name(service.country))}"
        )
        rows.append((t["place"], f'<span data-pagefind-weight="8">{city_link}</span>'))
        if service.mobile_area:
            rows.append((t["service_area"], self.text(service.mobile_area)))
        categories = "".join(
            f"<li>{self.label(c, 'categories')} <small data-pagefind-ignore>({escape(self.layer_text(c))})</small></li>"
            for c in service.categories
        )
        rows.append((t["categories"], f"<ul>{categories}</ul>"))
        rows.append(
            (
                t["populations"],
                "<ul>" + "".join(f"<li>{self.label(p, 'populations')}</li>" for p in service.populations) + "</ul>",
            )
        )
        languages = self.comma.join(escape(language_name(code, self.language)) for code in service.languages)
        rows.append((t["languages"], languages or escape(t["not_stated"])))
        facts = [f"<dt data-pagefind-ignore>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows]
        hours = f"<dt data-pagefind-ignore>{escape(t['hours'])}</dt><dd data-pagefind-ignore>{self.hours(service)}</dd>"
        return [*facts, hours]

    def layer_text(self, category_id: str) -> str:
        term = self.directory.vocabulary.categories.get(category_id)
        return self.t["layer"].format(layer=term.layer) if term and term.layer else ""

    def hours(self, service: PublicService) -> str:
        value = service.hours
        note = service.hours_note
        if not isinstance(value, str):
            return escape(self.t["not_stated"]) + (f" — {self.text(note)}" if note else "")
        sentences = hours_in_words(value, self.language)
        shown = "<br>".join(escape(s) for s in sentences) if sentences else f'<code dir="ltr">{escape(value)}</code>'
        return shown + (f"<br>{self.text(note)}" if note else "")

    def referral(self, service: PublicService) -> list[str]:
        t = self.t
        referral = service.referral
        rows = []
        if referral.method:
            rows.append((t["method"], self.text(referral.method)))
        if referral.documents:
            rows.append((t["documents"], self.text(referral.documents)))
        if referral.accepts_undocumented is not None:
            rows.append((t["undocumented"], escape(t["accepted" if referral.accepts_undocumented else "not_accepted"])))
        if referral.accepts_unaccompanied_children is not None:
            key = "children_accepted" if referral.accepts_unaccompanied_children else "children_not_accepted"
            rows.append((t["children"], escape(t[key])))
        cost_text = escape(t.get(f"cost_{referral.cost or 'unknown'}", t["cost_unknown"]))
        if referral.cost_note:
            cost_text += f" — {self.text(referral.cost_note)}"
        rows.append((t["cost"], cost_text))
        items = "".join(f"<dt>{escape(label)}</dt><dd>{value}</dd>" for label, value in rows)
        return [f"<h2>{escape(t['how_to_refer'])}</h2>", f'<dl class="relais-facts">{items}</dl>']

    def phone_items(self, phones: tuple[Phone, ...], country: str) -> list[str]:
        items = []
        for phone in phones:
            number, kind = phone.number, phone.kind
            dial = number.strip() if kind == "short-code" else e164(number, country)
            label = escape(self.t.get(f"phone_{kind}", self.t["phone"]))
            note = f" — {self.text(phone.note)}" if phone.note else ""
            items.append(
                f'<li>{label}{self.colon}<a href="tel:{escape(dial)}" dir="ltr"><bdi>{escape(number)}</bdi>'
                f"</a>{note}</li>"
            )
        return items

    def email_item(self, address: str | None) -> list[str]:
        if address is None:
            return []
        label = escape(self.t["email"])
        return [
            f'<li>{label}{self.colon}<a href="mailto:{escape(address)}" dir="ltr"><bdi>{escape(address)}</bdi></a></li>'
        ]

    def contact(self, service: PublicService) -> list[str]:
        t = self.t
        lines = [f"<h2 data-pagefind-ignore>{escape(t['contact'])}</h2>"]
        if service.confidential:
            lines.append(
                f'<div class="admonition warning relais-confidential"><p class="admonition-title">'
                f"{escape(t['confidential_title'])}</p><p>{escape(t['confidential_note'])}</p></div>"
            )
            lines.append(f"<h3>{escape(t['front_door'])}</h3>")
            items = []
            if service.front_door:
                lines.append(f"<p>{self.text(service.front_door.description)}</p>")
                items = self.phone_items(service.front_door.phones, service.country)
                items += self.email_item(service.front_door.email)
            lines.append(f'<ul class="relais-contacts">{"".join(items)}</ul>')
            return [lines[0], *self.unindexed(lines[1:])]
        items = self.phone_items(service.phones, service.country)
        items += self.email_item(service.email)
        website = service.website
        if website is not None:
            items.append(
                f'<li>{escape(t["website"])}{self.colon}<a href="{escape(website)}" dir="ltr" rel="noopener">'
                f"<bdi>{escape(website)}</bdi></a></li>"
            )
        items = [item.replace("<li>", "<li data-pagefind-ignore>", 1) for item in items]
        items += self.location_items(service)  # a street or a neighbourhood is worth searching for
        if not items:
            items.append(f"<li data-pagefind-ignore>{escape(t['not_stated'])}</li>")
        lines.append(f'<ul class="relais-contacts">{"".join(items)}</ul>')
        return lines

    def location_items(self, service: PublicService) -> list[str]:
        location = service.location
        if location is None:
            return []
        items = []
        if location.address:
            items.append(
                f"<li><span data-pagefind-ignore>{escape(self.t['address'])}{self.colon}</span>"
                f"{self.text(location.address)}</li>"
            )
        if location.directions:
            items.append(f"<li>{self.text(location.directions)}</li>")
        lat, lon = location.latitude, location.longitude
        if lat is not None and lon is not None:
            url = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
            items.append(
                f'<li data-pagefind-ignore><a href="{escape(url)}" rel="noopener">{escape(self.t["map"])}</a></li>'
            )
        return items

    def related_guidance(self, service: PublicService) -> list[str]:
        related = [g for g in self.guides if g.categories & set(service.categories)]
        if not related:
            return []
        items = "".join(f'<li><a href="../../../{escape(g.url)}">{self.text(g.titles)}</a></li>' for g in related)
        return [f"<h2>{escape(self.t['related_guidance'])}</h2>", f"<ul>{items}</ul>"]

    def refer_box(self, categories: frozenset[str], populations: frozenset[str], root: str) -> str:
        """The "where to refer" box of a guideline page: matching services, country by country, city by city.

        `root` is the relative path from the guideline page to the language root (e.g. `../../../`)."""
        t = self.t
        by_place: dict[tuple[str, str], list[PublicService]] = defaultdict(list)
        for service in self.directory.services:
            if refers_to(service, categories, populations):
                for city in service.served_cities:
                    by_place[(service.country, city)].append(service)
        parts = [
            f'<aside class="admonition tip relais-refer" aria-labelledby="relais-refer-title">'
            f'<p class="admonition-title" id="relais-refer-title">{escape(t["where_to_refer"])}</p>'
        ]
        if not by_place:
            parts.append(
                f'<p>{escape(t["no_match"])} <a href="{root}annuaire/">{escape(t["directory"])}</a></p></aside>'
            )
            return "".join(parts)
        by_country: dict[str, list[str]] = defaultdict(list)
        for country, city in by_place:
            by_country[country].append(city)
        for country in sorted(by_country, key=self.country_name):
            cities = sorted(by_country[country], key=lambda c: self.city_name(country, c))
            few = len(cities) <= REFER_OPEN_COUNTRY_UP_TO
            if few:
                blocks = "".join(self.refer_city(country, city, by_place[(country, city)], root) for city in cities)
            else:
                blocks = self.refer_busiest_cities(
                    country, {city: len(by_place[(country, city)]) for city in cities}, root
                )
            count = self.t["cities_one"] if len(cities) == 1 else self.t["cities_other"].format(count=len(cities))
            summary = f"{self.country_name(country)} ({count})"
            parts.append(f"<details{' open' if few else ''}><summary>{escape(summary)}</summary>{blocks}</details>")
        parts.append("</aside>")
        return "".join(parts)

    def refer_busiest_cities(self, country: str, matches: dict[str, int], root: str) -> str:
        """The cities of a country with the most matching services, then a link to the country's every city."""
        busiest = sorted(matches, key=lambda c: (-matches[c], self.city_name(country, c)))[:REFER_CITIES_PER_COUNTRY]
        items = [
            f'<li><a href="{root}{escape(city_path(country, city))}">{escape(self.city_name(country, city))}</a> '
            f"<small>({escape(self.count_text(matches[city]))})</small></li>"
            for city in sorted(busiest, key=lambda c: self.city_name(country, c))
        ]
        if len(matches) > len(busiest):
            every = self.t["more_cities"].format(count=len(matches))
            items.append(f'<li><a href="{root}{DIRECTORY_FOLDER}/{escape(country.lower())}/">{escape(every)}</a></li>')
        return f"<ul>{''.join(items)}</ul>"

    def refer_city(self, country: str, city: str, services: list[PublicService], root: str) -> str:
        """One city of the "where to refer" box: a few services, then a link to the city page for the rest
        (listing every match made guideline pages grow with the directory: 1.2 MB at 10,000 services)."""
        city_link = f"{root}{escape(city_path(country, city))}"
        shown = sorted(services, key=lambda s: s.id)[:REFER_SERVICES_PER_CITY]
        items = [f'<li><a href="{root}{escape(service_path(s.id))}">{self.text(s.name)}</a></li>' for s in shown]
        if len(services) > len(shown):
            more = self.t["more_services"].format(count=len(services) - len(shown))
            items.append(f'<li><a href="{city_link}">{escape(more)}</a></li>')
        return (
            f'<p><strong><a href="{city_link}">{escape(self.city_name(country, city))}</a></strong></p>'
            f"<ul>{''.join(items)}</ul>"
        )

    def sources(self, service: PublicService) -> list[str]:
        items = []
        for source in service.sources:
            title = f'<span lang="fr">{escape(source.title)}</span>'
            if source.url:
                title = f'<a href="{escape(source.url)}" rel="noopener">{title}</a>'
            items.append(
                f"<li>{title}, "
                f"{escape(source.organization)}, "
                f'<time datetime="{escape(source.date)}">'
                f"{escape(source.date)}</time></li>"
            )
        return [f"<h2>{escape(self.t['sources'])}</h2>", f"<ul>{''.join(items)}</ul>"] if items else []

    def suggest_url(self, service: PublicService) -> str:
        query = urlencode(
            {"template": "correct-service.yml", "service_id": service.id, "title": f"Correction: {service.id}"}
        )
        return f"{self.settings.repo_url.rstrip('/')}/issues/new?{query}"

    def search_filters(self, service: PublicService) -> list[str]:
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
        spans = "".join(f'<span data-pagefind-filter="{escape(key)}:{escape(value)}"></span>' for key, value in values)
        day = service.verified_on
        sort = f' data-pagefind-sort="verified:{day.isoformat()}"' if day else ""
        return [f'<div class="relais-search-data" hidden{sort}>{spans}</div>']

    # --- listings -----------------------------------------------------------------------------------------
    def service_item(self, service: PublicService, base: str, city_slug: str) -> str:
        org = f" — {self.text(service.organization.name)}" if service.organization.name else ""
        badges = []
        if service.status != "active":
            badges.append(f'<span class="relais-badge">{escape(self.t[f"status_{service.status}"])}</span>')
        if is_stale(service.verified_on, self.settings.as_of):
            badges.append(
                f'<span class="relais-badge relais-badge--stale">{escape(self.t["stale"].split(":")[0])}</span>'
            )
        if service.city != city_slug:
            based_in = self.t["mobile_from"].format(city=self.city_name(service.country, service.city))
            badges.append(f'<span class="relais-badge">{escape(based_in)}</span>')
        return (
            f'<li><a href="{base}services/{escape(service.id)}/">{self.text(service.name)}</a>'
            f"{org} {' '.join(badges)}</li>"
        )

    def emergency_card(self, city: City, root: str, on_paper: bool = False) -> str:
        """The city's dated emergency card, or the steps to fill it in: never a number without its source.

        `root` is the relative path from the page to its language root. On paper, an unfilled card leaves lines
        to write the numbers in by hand instead of the steps."""
        t = self.t
        title = escape(t["emergency_title"].format(place=city.name_in(self.language)))
        parts = [f'<section class="admonition danger relais-emergency"><p class="admonition-title">{title}</p>']
        card = city.emergency
        if card is None and on_paper:
            lines = "".join(f"<li>{escape(t[f'emergency_line_{n}'])}{self.colon}</li>" for n in range(1, 6))
            parts += [
                f"<p><strong>{escape(t['emergency_unfilled'])}</strong></p>",
                f'<ul class="relais-emergency__blank">{lines}</ul>',
            ]
        elif card is None:
            steps = "".join(f"<li>{escape(t[f'emergency_step_{n}'])}</li>" for n in range(1, 5))
            parts += [
                f"<p><strong>{escape(t['emergency_unfilled'])}</strong></p>",
                f"<p>{escape(t['emergency_steps_title'])}</p><ol>{steps}</ol>",
            ]
        else:
            parts.append(f'<ul class="relais-contacts">{"".join(self.emergency_numbers(card))}</ul>')
            checked = date.fromisoformat(card.checked)
            parts.append(f"<p>{escape(t['emergency_checked']).format(date=self.date(checked))}</p>")
            if is_stale(checked, self.settings.as_of):
                parts.append(f'<p role="alert"><strong>{escape(t["emergency_stale"])}</strong></p>')
        guide = f"{root}guides/orientation/mecanismes-orientation/#urgences-police"
        parts.append(
            f'<p>{escape(t["emergency_meanwhile"])} <a href="{escape(guide)}">{escape(t["emergency_police_link"])}</a>'
            "</p></section>"
        )
        return "".join(parts)

    def emergency_numbers(self, card: EmergencyCard) -> list[str]:
        items = []
        for entry in card.numbers:
            source = f"{entry.source_title}, {entry.source_organization}, {entry.source_date}"
            cited = escape(self.t["emergency_source"].format(source=source))
            if entry.source_url and entry.source_url.startswith(("https://", "http://")):
                cited = f'<a href="{escape(entry.source_url)}" rel="noopener">{cited}</a>'
            dial = "".join(entry.number.split())
            items.append(
                f"<li><strong>{self.text(entry.label)}</strong>{self.colon}"
                f'<a href="tel:{escape(dial)}" dir="ltr"><bdi>{escape(entry.number)}</bdi></a>'
                f" <small>{cited}</small></li>"
            )
        return items

    def city_page(self, country: Country, city: City, services: list[PublicService]) -> str:
        t = self.t
        place = city.name_in(self.language)
        title = t["services_in"].format(place=place)
        parts = [
            f"<h1>{escape(title)}</h1>",
            f'<p><a href="../">{escape(country.name_in(self.language))}</a> · '
            f'<a href="../../">{escape(t["directory"])}</a></p>',
            f'<p class="relais-city__tools"><a class="md-button" href="imprimer/">{escape(t["print_all"])}</a> '
            f'<a class="md-button" href="couverture/">{escape(t["coverage_link"])}</a> '
            f'<a class="md-button" href="../qualite/">{escape(t["quality_link"])}</a></p>',
            self.emergency_card(city, up_to_language_root(city_path(country.code, city.slug))),
        ]
        if not services:
            parts.append(f"<p>{escape(t['no_service'])}</p>")
        by_layer: dict[int, dict[str, list[PublicService]]] = defaultdict(lambda: defaultdict(list))
        for service in services:
            for category in service.categories:
                term = self.directory.vocabulary.categories.get(category)
                by_layer[term.layer if term and term.layer else 0][category].append(service)
        for layer in sorted(by_layer):
            label = in_language(self.directory.vocabulary.layers.get(layer, {}), self.language)[0]
            parts.append(f"<h2>{escape(self.t['layer_heading'].format(layer=layer, label=label))}</h2>")
            for category in sorted(by_layer[layer]):
                items = "".join(
                    self.service_item(s, "../../", city.slug)
                    for s in sorted(by_layer[layer][category], key=lambda s: s.id)
                )
                parts.append(f"<h3>{self.label(category, 'categories')}</h3><ul>{items}</ul>")
        parts += self.filtered_sheet_links(services)
        body = "\n".join(parts)
        return _front_matter(title, title, {"relais_kind": "city"}) + f'<div class="relais-city">\n{body}\n</div>\n'

    def filtered_sheet_links(self, services: list[PublicService]) -> list[str]:
        categories, populations = sheet_filters([s for s in services if s.status in SEARCHABLE_STATUSES])
        terms = [("categories", c) for c in categories] + [("populations", p) for p in populations]
        links = [
            f'<li><a href="imprimer/#{escape(sheet_filter_id(kind, term))}">{self.label(term, kind)}</a></li>'
            for kind, term in terms
        ]
        if not links:
            return []
        return [f"<h2>{escape(self.t['print_filtered'])}</h2>", f'<ul class="relais-sheet-links">{"".join(links)}</ul>']

    def country_page(self, country: Country, counts: dict[str, int]) -> str:
        t = self.t
        title = f"{t['directory']} — {country.name_in(self.language)}"
        items = "".join(
            f'<li><a href="{escape(slug)}/">{escape(city.name_in(self.language))}</a> '
            f"<small>({escape(self.count_text(counts.get(slug, 0)))})</small></li>"
            for slug, city in sorted(country.cities.items(), key=lambda c: c[1].name_in(self.language))
        )
        body = (
            f'<h1>{escape(title)}</h1>\n<p><a href="../">{escape(t["directory"])}</a> · '
            f'<a href="couverture/">{escape(t["coverage_link"])}</a> · '
            f'<a href="qualite/">{escape(t["quality_link"])}</a></p>\n'
            f'<h2>{escape(t["choose_city"])}</h2>\n<ul class="relais-cities">{items}</ul>'
        )
        return (
            _front_matter(title, title, {"relais_kind": "country"}) + f'<div class="relais-country">\n{body}\n</div>\n'
        )

    def count_text(self, count: int) -> str:
        return self.t["service_count_one"] if count == 1 else self.t["service_count_other"].format(count=count)

    def home_page(self, counts: dict[tuple[str, str], int]) -> str:
        t = self.t
        parts = [f"<h1>{escape(t['directory'])}</h1>", f"<p>{escape(t['directory_intro'])}</p>"]
        for code, country in sorted(self.directory.countries.items(), key=lambda c: c[1].name_in(self.language)):
            cities = "".join(
                f'<li><a href="{escape(code.lower())}/{escape(slug)}/">{escape(city.name_in(self.language))}</a> '
                f"<small>({escape(self.count_text(counts.get((code, slug), 0)))})</small></li>"
                for slug, city in sorted(country.cities.items(), key=lambda c: c[1].name_in(self.language))
            )
            parts.append(
                f'<h2><a href="{escape(code.lower())}/">{escape(country.name_in(self.language))}</a></h2>'
                f'<ul class="relais-cities">{cities}</ul>'
            )
        body = "\n".join(parts)
        return _front_matter(t["directory"], t["directory_intro"], {"relais_kind": "directory"}) + (
            f'<div class="relais-directory">\n{body}\n</div>\n'
        )


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
    directory: PublicDirectory, out_dir: Path, settings: PageSettings, pages: list[GuidelinePage] | None = None
) -> list[Path]:
    """Write every directory page in every language into a fresh `out_dir`. Returns the files written."""
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
            city_counts = {slug: counts.get((code, slug), 0) for slug in country.cities}
            write(f"{code.lower()}/index{suffix}.md", writer.country_page(country, city_counts))
            for slug, city in country.cities.items():
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
    guides = guide_links(pages or [])
    host = urlparse(settings.site_url).netloc
    result = ServicePages()
    for language in LANGUAGES:
        root = language_root(language)
        out_dir = site_dir / root / SERVICES_FOLDER
        frame, frame_html = read_frame(out_dir / FRAME_SLUG)
        result.problems += audit_text(frame_html, f"{shown_as}/{root}{SERVICES_FOLDER}/{FRAME_SLUG}/index.html", host)
        at = frame.content_position()
        writer = Writer(directory, language, settings, guides)
        make_folders(out_dir / service.id for service in directory.services)
        rendered = _audited(writer, directory.services, f"{shown_as}/{root}", host, at, result.problems)
        result.files += write_framed_pages(frame, rendered, out_dir)
    expand_sitemap(site_dir, [service.id for service in directory.services])
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
    refer = as_dict(meta.get("refer"))
    if context is None or not refer:
        return ""
    categories = frozenset(c for c in as_list(refer.get("categories")) if isinstance(c, str))
    populations = frozenset(p for p in as_list(refer.get("populations")) if isinstance(p, str))
    root = "../" * page_url.count("/") + language_root(language)
    writer = Writer(context.directory, language, PageSettings(repo_url="", as_of=context.as_of))
    return writer.refer_box(categories, populations, root)
