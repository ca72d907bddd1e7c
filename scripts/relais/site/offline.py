"""The offline field kit: each language's web app manifest and service worker, and each city's list of files to save.

Runs on the built site after the search index (it precaches Pagefind's files). Workbox (npm, run by Node at build
time) writes the workers; this module only decides which files each one precaches. It never reads the clock.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from relais.i18n.ui_strings import DIRECTION, LANGUAGES, ui_strings
from relais.model.layout import (
    DIRECTORY_FOLDER,
    SERVICES_FOLDER,
    SHEETS_FOLDER,
    city_path,
    language_root,
    service_path,
)
from relais.model.public import PublicDirectory, services_by_city

SW_TOOL = Path(__file__).resolve().parent / "sw"
SW_FILE = "sw.js"
MANIFEST_FILE = "manifest.webmanifest"
# Every address the build publishes is in reach of Workbox, but only these are precached: the app shell, the
# guideline and topic pages, the search page and the offline pages. Directory pages are saved city by city.
SHELL_PATTERNS = (
    "assets/javascripts/bundle.*.min.js",
    "assets/stylesheets/*.min.css",
    "assets/*.css",
    "assets/*.js",
    "assets/images/*",
    "assets/icons/*",
)
LANGUAGE_PAGE_FOLDERS = ("guides", "sujets", "recherche", "hors-ligne")
OFFLINE_PAGE = "503.html"  # an error template: the engine writes it with absolute links, so it works at any address
VERSION_FILE = "hors-ligne.json"  # per language root: the build's version, read online to refresh saved cities
CITY_LIST_FILE = "hors-ligne.json"  # per city folder: what "Save for offline" caches
PRECACHE_BUDGET_BYTES = 5 * 1024 * 1024
PAGEFIND = "pagefind"
THEME_COLOR = "#3f51b5"
ICONS = (
    ("assets/icons/relais-192.png", "192x192", "image/png"),
    ("assets/icons/relais-512.png", "512x512", "image/png"),
)


class OfflineKitFailed(Exception):
    """Workbox could not write a service worker; the message says why and how to install it."""


@dataclass(frozen=True)
class Precache:
    files: int
    bytes: int


@dataclass
class OfflineReport:
    precache: dict[str, Precache] = field(default_factory=dict)
    version: str = ""
    cities: int = 0


def url_prefix(site_url: str) -> str:
    """The path the site is published under, with slashes: `/relais/`."""
    path = urlsplit(site_url).path.strip("/")
    return f"/{path}/" if path else "/"


def build_offline_kit(site_dir: Path, public: PublicDirectory, site_url: str, data_version: str) -> OfflineReport:
    """Write manifests, service workers, the version file and every city's save list into `site_dir`."""
    prefix = url_prefix(site_url)
    fragments = page_fragments(site_dir / PAGEFIND)
    for language in LANGUAGES:
        write_manifest(site_dir, language, prefix)
    precached = {language: precache_files(site_dir, language, fragments) for language in LANGUAGES}
    plan = {
        "site_dir": str(site_dir),
        "offline_pages": {prefix + language_root(language): prefix + offline_page(language) for language in LANGUAGES},
        "workers": [
            {
                "language": language,
                "sw_dest": str(site_dir / language_root(language) / SW_FILE),
                "entries": manifest_entries(site_dir, files, prefix),
            }
            for language, files in precached.items()
        ],
    }
    run_workbox(plan)
    report = OfflineReport(precache={language: measure(site_dir, files) for language, files in precached.items()})
    report.version = build_version(site_dir, data_version)
    for language in LANGUAGES:
        write_json(site_dir / language_root(language) / VERSION_FILE, version_record(report, language))
        report.cities += write_city_lists(site_dir, public, language, prefix, fragments)
    return report


def offline_page(language: str) -> str:
    return language_root(language) + OFFLINE_PAGE


def write_manifest(site_dir: Path, language: str, prefix: str) -> Path:
    strings = ui_strings(language)
    start = prefix + language_root(language)
    manifest = {
        "id": start,
        "name": strings["app_name"],
        "short_name": strings["app_short_name"],
        "lang": language,
        "dir": DIRECTION.get(language, "ltr"),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            *({"src": prefix + src, "sizes": sizes, "type": kind, "purpose": "any"} for src, sizes, kind in ICONS),
            {"src": prefix + "assets/icons/relais.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    return write_json(site_dir / language_root(language) / MANIFEST_FILE, manifest)


def page_fragments(pagefind_dir: Path) -> dict[str, str]:
    """Each indexed page's address below the site root (`/en/guides/`) -> its Pagefind fragment file."""
    found: dict[str, str] = {}
    for fragment in sorted((pagefind_dir / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        found[json.loads(data)["url"]] = f"{PAGEFIND}/fragment/{fragment.name}"
    return found


def search_files(site_dir: Path, language: str) -> list[str]:
    """What Pagefind's component UI loads to search one language, apart from result fragments; sorted, because the
    order of a folder listing is the file system's and the worker Workbox writes must not depend on it."""
    pagefind = site_dir / PAGEFIND
    names = ["pagefind.js", "pagefind-entry.json", "pagefind-component-ui.js", "pagefind-component-ui.css"]
    names += [f"wasm.{language}.pagefind"]
    names += sorted(path.name for path in pagefind.glob(f"pagefind.{language}_*.pf_meta"))
    names += sorted(f"index/{path.name}" for path in (pagefind / "index").glob(f"{language}_*.pf_index"))
    names += sorted(f"filter/{path.name}" for path in (pagefind / "filter").glob(f"{language}_*.pf_filter"))
    return [f"{PAGEFIND}/{name}" for name in names if (pagefind / name).is_file()]


def language_pages(site_dir: Path, language: str) -> list[str]:
    """The language's home, guideline, topic, search and offline pages (site-relative file paths)."""
    root = language_root(language)
    pages = [f"{root}index.html", *(offline_page(other) for other in LANGUAGES)]
    for folder in LANGUAGE_PAGE_FOLDERS:
        base = site_dir / root / folder
        pages += [path.relative_to(site_dir).as_posix() for path in sorted(base.rglob("index.html"))]
    return [page for page in pages if (site_dir / page).is_file()]


def precache_files(site_dir: Path, language: str, fragments: dict[str, str]) -> list[str]:
    """Every file the language's worker precaches, as paths below the site root, without duplicates."""
    shell = sorted({path.relative_to(site_dir).as_posix() for p in SHELL_PATTERNS for path in site_dir.glob(p)})
    pages = language_pages(site_dir, language)
    files = [*shell, *pages, *search_files(site_dir, language), *search_fragments(fragments, language)]
    return list(dict.fromkeys(files))


def manifest_entries(site_dir: Path, files: list[str], prefix: str) -> list[dict[str, str]]:
    """Workbox's precache entries: each file's address and a revision that changes with its content (as Workbox
    computes it when it globs, an MD5 of the bytes; not a security hash)."""
    return [
        {
            "url": prefix + file,
            "revision": hashlib.md5((site_dir / file).read_bytes(), usedforsecurity=False).hexdigest(),
        }
        for file in files
    ]


def measure(site_dir: Path, files: list[str]) -> Precache:
    return Precache(len(files), sum((site_dir / file).stat().st_size for file in files))


def search_fragments(fragments: dict[str, str], language: str) -> list[str]:
    """The result fragments of every page of the language's index but service pages (saved city by city): a search
    offline then shows every guideline, topic and directory page it finds; only service pages need saving."""
    services = f"/{language_root(language)}{SERVICES_FOLDER}/"
    return sorted(
        file
        for url, file in fragments.items()
        if Path(file).name.startswith(f"{language}_") and not url.startswith(services)
    )


def page_address(page: str) -> str:
    """`en/guides/index.html` -> `/en/guides/`, the address Pagefind records."""
    return "/" + page.removesuffix("index.html")


def run_workbox(plan: dict[str, object]) -> None:
    node = shutil.which("node")
    if node is None or not (SW_TOOL / "node_modules" / "workbox-build").is_dir():
        raise OfflineKitFailed(
            f"Workbox is not installed: run `make install` (Node.js and `npm ci` in {SW_TOOL})",
        )
    with tempfile.TemporaryDirectory(prefix="relais-sw-") as work:
        plan_file = Path(work) / "plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        done = subprocess.run(
            [node, str(SW_TOOL / "build-sw.mjs"), str(plan_file)], capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise OfflineKitFailed(f"Workbox could not write the service workers:\n{done.stderr.strip()}")
    results: dict[str, dict[str, list[str]]] = json.loads(done.stdout)
    warnings = [warning for result in results.values() for warning in result.get("warnings", [])]
    if warnings:
        raise OfflineKitFailed("Workbox warned while writing the service workers:\n" + "\n".join(warnings))


def build_version(site_dir: Path, data_version: str) -> str:
    """Changes whenever a precached file (each worker lists their hashes) or the directory data changes."""
    digest = hashlib.sha256(data_version.encode("utf-8"))
    for language in LANGUAGES:
        digest.update((site_dir / language_root(language) / SW_FILE).read_bytes())
    return digest.hexdigest()[:16]


def version_record(report: OfflineReport, language: str) -> dict[str, object]:
    precache = report.precache[language]
    return {"version": report.version, "precache": {"files": precache.files, "bytes": precache.bytes}}


def city_files(site_dir: Path, language: str, country: str, city: str, service_ids: Iterable[str]) -> list[str]:
    """A city's page, its referral sheets, its services' pages and QR codes (site-relative file paths)."""
    root = language_root(language)
    folder = f"{root}{city_path(country, city)}"
    files = [f"{folder}index.html"]
    files += sorted(
        path.relative_to(site_dir).as_posix() for path in (site_dir / folder / SHEETS_FOLDER).glob("*.html")
    )
    for service_id in sorted(set(service_ids)):
        files.append(f"{root}{service_path(service_id)}index.html")
        files.append(f"{root}{DIRECTORY_FOLDER}/qr/{service_id}.png")
    return [name for name in files if (site_dir / name).is_file()]


def write_city_lists(
    site_dir: Path, public: PublicDirectory, language: str, prefix: str, fragments: dict[str, str]
) -> int:
    """One save list per city: the addresses to cache (pages and their search fragments) and their size."""
    by_city = services_by_city(public)
    written = 0
    for code, country in public.countries.items():
        for slug, city in country.cities.items():
            files = city_files(site_dir, language, code, slug, (s.id for s in by_city.get((code, slug), [])))
            files += [fragments[page_address(f)] for f in files if page_address(f) in fragments]
            record = {
                "name": city.name_in(language),
                "page": prefix + language_root(language) + city_path(code, slug),
                "urls": [prefix + address_of(name) for name in files],
                "bytes": sum((site_dir / name).stat().st_size for name in files),
            }
            write_json(site_dir / language_root(language) / city_path(code, slug) / CITY_LIST_FILE, record)
            written += 1
    return written


def address_of(file: str) -> str:
    """`annuaire/ma/casablanca/index.html` -> `annuaire/ma/casablanca/` (pages are linked by their folder)."""
    return file.removesuffix("index.html")


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.2f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
