"""Render the city referral sheets to PDF with headless Chromium (Debian's), for mobile teams working on paper.

Reads the built site only; Chromium shapes Arabic correctly where WeasyPrint does not. No network: the sheets are
self-contained (QR codes as local image files, one local stylesheet) and opened from the file system.
"""

from __future__ import annotations

from pathlib import Path

from relais.i18n.ui_strings import LANGUAGES
from relais.model.layout import DIRECTORY_FOLDER, SHEETS_FOLDER, language_folder

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PDF_FOLDER = "pdf"


def city_sheets(site_dir: Path) -> list[tuple[str, str, str, Path]]:
    """(language, country, city, sheet file) for every full city sheet of the built site."""
    found = []
    for language in LANGUAGES:
        root = language_folder(site_dir, language)
        for sheet in sorted((root / DIRECTORY_FOLDER).glob(f"*/*/{SHEETS_FOLDER}/index.html")):
            city = sheet.parent.parent
            found.append((language, city.parent.name, city.name, sheet))
    return found


def write_city_pdfs(site_dir: Path, executable: str = CHROMIUM) -> list[Path]:
    """One A4 PDF per city sheet and language, in site/pdf/<lang>-<cc>-<city>.pdf."""
    from playwright.sync_api import sync_playwright

    out_dir = site_dir / PDF_FOLDER
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            for language, country, city, sheet in city_sheets(site_dir):
                page.goto(sheet.resolve().as_uri(), wait_until="load")
                target = out_dir / f"{language}-{country}-{city}.pdf"
                page.pdf(path=str(target), format="A4", print_background=False, prefer_css_page_size=True)
                written.append(target)
        finally:
            browser.close()
    return written
