"""Build the Pagefind search bundle for a built site folder: one index per page language.

Runs once, after every language is built; it never changes the HTML pages themselves.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

BUNDLE_FOLDER = "pagefind"
# Permalink anchors ("¶") and our banners are not content.
EXCLUDED_SELECTORS = [".headerlink", "[data-pagefind-ignore]"]


@dataclass(frozen=True)
class IndexReport:
    page_count: int
    pages_per_language: dict[str, int]


async def _index(site_dir: Path) -> int:
    config = IndexConfig(exclude_selectors=EXCLUDED_SELECTORS, output_path=str(site_dir / BUNDLE_FOLDER))
    async with PagefindIndex(config=config) as index:
        result = await index.add_directory(str(site_dir))
        return int(result["page_count"])


def pages_per_language(site_dir: Path) -> dict[str, int]:
    entry = json.loads((site_dir / BUNDLE_FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {language: int(info["page_count"]) for language, info in entry["languages"].items()}


def index_site(site_dir: Path) -> IndexReport:
    page_count = asyncio.run(_index(site_dir))
    return IndexReport(page_count=page_count, pages_per_language=pages_per_language(site_dir))
