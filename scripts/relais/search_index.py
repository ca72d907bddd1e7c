"""Build the Pagefind search bundle for a built site folder: one index per page language.

Runs once, after every language is built; it never changes the HTML pages themselves. Uses the Pagefind binary
through its command line: its Python API talks to the binary over a pipe protocol that proved flaky under load.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BUNDLE_FOLDER = "pagefind"
# Permalink anchors ("¶") are not content; our banners carry data-pagefind-ignore themselves.
EXCLUDED_SELECTORS = ".headerlink"


class IndexingFailed(Exception):
    """Pagefind could not index the site; the message carries its output."""


@dataclass(frozen=True)
class IndexReport:
    page_count: int
    pages_per_language: dict[str, int]


def pages_per_language(site_dir: Path) -> dict[str, int]:
    entry = json.loads((site_dir / BUNDLE_FOLDER / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {language: int(info["page_count"]) for language, info in entry["languages"].items()}


def index_site(site_dir: Path) -> IndexReport:
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE_FOLDER,
        "--exclude-selectors",
        EXCLUDED_SELECTORS,
        "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise IndexingFailed(f"pagefind failed ({result.returncode}):\n{result.stdout}\n{result.stderr}".strip())
    check_bundle(site_dir / BUNDLE_FOLDER)
    per_language = pages_per_language(site_dir)
    return IndexReport(page_count=sum(per_language.values()), pages_per_language=per_language)


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle with an empty script or an unreadable entry file rather than publish a broken search."""
    for name in ("pagefind.js", "pagefind-component-ui.js", "pagefind-worker.js", "pagefind-entry.json"):
        file = bundle / name
        if not file.is_file() or file.stat().st_size == 0:
            raise IndexingFailed(f"pagefind wrote no usable {name}")
    try:
        json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexingFailed(f"pagefind-entry.json is not valid JSON: {exc}") from None
