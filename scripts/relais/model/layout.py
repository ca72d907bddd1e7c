"""Where everything goes on the site: language roots, file suffixes and the paths of directory pages.

The one owner of the site's layout: renderers, exporters and the PDF step ask here, never rebuild a path.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES

DIRECTORY_FOLDER = "annuaire"
SERVICES_FOLDER = f"{DIRECTORY_FOLDER}/services"
SHEETS_FOLDER = "imprimer"
COVERAGE_FOLDER = "couverture"
QUALITY_FOLDER = "qualite"
EXPORTS_FOLDER = "exports"
COVERAGE_CSV_SUBFOLDER = "couverture"  # exports/couverture/<cc>.csv and <cc>-<city>.csv
COVERAGE_CSV_FOLDER = f"{EXPORTS_FOLDER}/{COVERAGE_CSV_SUBFOLDER}"


def language_root(language: str) -> str:
    """The folder of a language below the site root: "" for French, "en/" for English."""
    return "" if language == DEFAULT_LANGUAGE else f"{language}/"


def language_folder(site_dir: Path, language: str) -> Path:
    return site_dir / language_root(language) if language_root(language) else site_dir


def page_suffix(language: str) -> str:
    """The file suffix of a page in a language (suffix layout): "" for French, ".en" for English."""
    return "" if language == DEFAULT_LANGUAGE else f".{language}"


def built_page(src_uri: str) -> str:
    """The site-relative HTML file the engine writes for a page under docs/ (suffix layout, folder addresses):
    `annuaire/ma/rabat.en.md` -> `en/annuaire/ma/rabat/index.html`, `annuaire/index.md` -> `annuaire/index.html`."""
    folder, _, name = src_uri.rpartition("/")
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2] in LANGUAGES:
        language, stem = parts[-2], ".".join(parts[:-2])
    else:
        language, stem = DEFAULT_LANGUAGE, ".".join(parts[:-1])
    where = [part for part in (folder, "" if stem == "index" else stem) if part]
    return language_root(language) + "".join(f"{part}/" for part in where) + "index.html"


def service_path(service_id: str) -> str:
    """A service page below its language root (stable: derived from the id only)."""
    return f"{SERVICES_FOLDER}/{service_id}/"


def city_path(country: str, city: str) -> str:
    return f"{DIRECTORY_FOLDER}/{country.lower()}/{city}/"


def absolute_url(site_url: str, language: str, path: str) -> str:
    """The public address of `path` (below a language root) in `language`, path segments quoted."""
    return f"{site_url.rstrip('/')}/{language_root(language)}{quote(path)}"


def up_to_language_root(path: str) -> str:
    """The relative path from a page at `path` (below its language root, e.g. `annuaire/ma/`) back to the root."""
    return "../" * path.strip("/").count("/") + ("../" if path.strip("/") else "")
