"""Build the Pagefind search bundle for a built site folder: one index per page language.

Runs once, after every language is built; it never changes the HTML pages themselves. Uses the Pagefind binary
through its command line: its Python API talks to the binary over a pipe protocol that proved flaky under load.

Pagefind keeps every page it reads in memory, indexed or not, and its memory grows with the words it indexes: one
run over a 10,000-service site peaked at several GB. The command therefore runs once per language root (French at
the root, the others under `<lang>/`), one after the other, and is given only the pages it indexes: those marked
`data-pagefind-body`, linked (hard links, copies where the file system has none) into a folder per language with
their paths in the site, so result URLs are unchanged. Pagefind never reads print sheets, search pages and the like. A
language without a marked page gets no run. The per-language bundles are then merged into the one `pagefind/`
folder the search page loads: language files are moved in, the shared scripts must be identical in every run, and
`pagefind-entry.json` lists every language, in sorted order so that two builds write the same bytes.

A site where no page is marked is refused (IndexingFailed). Pagefind alone would then index every page whole
(print sheets, search pages…); here it can only mean the templates lost the mark. Pagefind itself refuses a
folder with no page at all.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES

BUNDLE_FOLDER = "pagefind"
ENTRY_FILE = "pagefind-entry.json"
# Permalink anchors ("¶") are not content; our banners carry data-pagefind-ignore themselves.
EXCLUDED_SELECTORS = ".headerlink"
INDEX_MARK = b"data-pagefind-body"
# The mark as an attribute of a tag, in any case as for Pagefind's parser, not as text in a page about it.
INDEX_MARK_ANY_CASE = re.compile(rb"data-pagefind-body", re.IGNORECASE)
INDEX_MARK_ATTRIBUTE = re.compile(rb"<[a-z][^<>]*\sdata-pagefind-body(?=[\s=/>])", re.IGNORECASE)


class IndexingFailed(Exception):
    """Pagefind could not index the site; the message carries its output."""


@dataclass(frozen=True)
class IndexReport:
    page_count: int
    pages_per_language: dict[str, int]


def pages_per_language(site_dir: Path) -> dict[str, int]:
    entry = json.loads((site_dir / BUNDLE_FOLDER / ENTRY_FILE).read_text(encoding="utf-8"))
    return {language: int(info["page_count"]) for language, info in entry["languages"].items()}


def index_site(site_dir: Path) -> IndexReport:
    # Next to the site, not in the system temporary folder: the pages are linked in, the bundle's files moved out.
    work = Path(tempfile.mkdtemp(prefix=f"{site_dir.name}.pagefind-", dir=site_dir.parent))
    try:
        staged = stage_indexable_pages(site_dir, work / "pages")
        if not staged:
            raise IndexingFailed(f"no page of {site_dir} is marked data-pagefind-body: there is nothing to index")
        bundle = work / BUNDLE_FOLDER
        bundle.mkdir()
        entry: dict[str, Any] | None = None
        for language, pages in sorted(staged.items()):  # one at a time: the peak memory is one language's
            run = work / "runs" / language
            run_pagefind(pages, run)
            entry = merge_run(run, bundle, entry)
            shutil.rmtree(run)
            shutil.rmtree(pages)
        assert entry is not None
        write_entry(bundle, entry)
        check_bundle(bundle)
        replace_folder(bundle, site_dir / BUNDLE_FOLDER)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    per_language = pages_per_language(site_dir)
    return IndexReport(page_count=sum(per_language.values()), pages_per_language=per_language)


def indexable_pages(site_dir: Path) -> dict[str, list[Path]]:
    """The pages marked data-pagefind-body, by the language root holding them (a root without one is absent)."""
    found: dict[str, list[Path]] = {}
    for page in html_files(site_dir):
        if is_indexable(page):
            language = language_root(PurePosixPath(page.relative_to(site_dir).as_posix()))
            found.setdefault(language, []).append(page)
    return found


def stage_indexable_pages(site_dir: Path, stage: Path) -> dict[str, Path]:
    """Link each indexable page into `stage/<language>/`, at its path in the site; returns the folder per language."""
    folders: dict[str, Path] = {}
    for language, pages in indexable_pages(site_dir).items():
        folders[language] = stage / language
        for page in pages:
            link_or_copy(page, folders[language] / page.relative_to(site_dir))
    return folders


def link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def html_files(site_dir: Path) -> Iterator[Path]:
    """Every HTML file of the site except those in the search bundle folder (an earlier bundle is no page)."""
    for folder, subfolders, files in os.walk(site_dir):
        if Path(folder) == site_dir and BUNDLE_FOLDER in subfolders:
            subfolders.remove(BUNDLE_FOLDER)
        yield from (Path(folder, name) for name in files if name.endswith(".html"))


def is_indexable(page: Path) -> bool:
    html = page.read_bytes()
    first = html.find(INDEX_MARK)  # as our templates write it: a plain search, many times faster
    if first == -1:
        other_case = INDEX_MARK_ANY_CASE.search(html)
        if other_case is None:
            return False
        first = other_case.start()
    # The pattern only from the tag around the first mention: scanning every tag before it doubles the time.
    return INDEX_MARK_ATTRIBUTE.search(html, max(html.rfind(b"<", 0, first), 0)) is not None


def language_root(relative: PurePosixPath) -> str:
    """The language whose folder holds the page: `<lang>/…` for the other languages, the default at the root."""
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    return top if top in LANGUAGES and top != DEFAULT_LANGUAGE else DEFAULT_LANGUAGE


def run_pagefind(site_dir: Path, output: Path) -> None:
    """Index every page of `site_dir` (paths, hence URLs, relative to it)."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-path",
        str(output),
        "--exclude-selectors",
        EXCLUDED_SELECTORS,
        "--quiet",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise IndexingFailed(f"pagefind failed ({result.returncode}):\n{result.stdout}\n{result.stderr}".strip())


def merge_run(run: Path, bundle: Path, entry: dict[str, Any] | None) -> dict[str, Any]:
    """Move one run's bundle into `bundle`; returns the entry listing the languages merged so far.

    Everything is checked before anything moves, so a refused run leaves `bundle` as it was.
    """
    run_entry = read_entry(run)
    merged = merged_entry(entry, run_entry)
    own_files = language_files_pattern(run_entry["languages"])
    moves: list[tuple[Path, Path]] = []
    for file in sorted(path for path in run.rglob("*") if path.is_file()):
        relative = file.relative_to(run).as_posix()
        target = bundle / relative
        if relative == ENTRY_FILE:
            continue
        if own_files.fullmatch(relative):
            if target.exists():
                raise IndexingFailed(f"two Pagefind runs wrote {relative}")
            moves.append((file, target))
        elif not target.exists():
            moves.append((file, target))
        elif not filecmp.cmp(file, target, shallow=False):
            raise IndexingFailed(f"Pagefind wrote a different {relative} for {sorted(run_entry['languages'])}")
    for file, target in moves:
        target.parent.mkdir(parents=True, exist_ok=True)
        file.replace(target)
    return merged


def read_entry(bundle: Path) -> dict[str, Any]:
    try:
        entry = json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexingFailed(f"pagefind wrote no readable {ENTRY_FILE}: {exc}") from None
    if not isinstance(entry, dict) or not isinstance(entry.get("languages"), dict):
        raise IndexingFailed(f"{ENTRY_FILE} lists no languages: {entry!r}")
    return entry


def merged_entry(entry: dict[str, Any] | None, run_entry: dict[str, Any]) -> dict[str, Any]:
    """The first run's entry, with the languages of the later runs added; refuses a clash or another version."""
    if entry is None:
        return {**run_entry, "languages": dict(run_entry["languages"])}
    for key in (entry.keys() | run_entry.keys()) - {"languages"}:
        if entry.get(key) != run_entry.get(key):
            raise IndexingFailed(f"Pagefind runs disagree on {key}: {entry.get(key)!r} != {run_entry.get(key)!r}")
    clash = entry["languages"].keys() & run_entry["languages"].keys()
    if clash:
        raise IndexingFailed(
            f"language {sorted(clash)} indexed by two runs: a page's <html lang> differs from its language folder"
        )
    return {**entry, "languages": {**entry["languages"], **run_entry["languages"]}}


def language_files_pattern(languages: Iterable[str]) -> re.Pattern[str]:
    """Bundle files that belong to one language: its index, fragments, filters, metadata and stemmer."""
    names = "|".join(re.escape(language) for language in languages)
    return re.compile(
        rf"(?:index|fragment|filter)/(?:{names})_[^/]+|pagefind\.(?:{names})_[^/]+\.pf_meta|wasm\.(?:{names})\.pagefind"
    )


def write_entry(bundle: Path, entry: dict[str, Any]) -> None:
    ordered = {**entry, "languages": dict(sorted(entry["languages"].items()))}
    text = json.dumps(ordered, ensure_ascii=False, separators=(",", ":"))  # as compact as Pagefind writes it
    (bundle / ENTRY_FILE).write_text(text, encoding="utf-8")


def replace_folder(new: Path, target: Path) -> None:
    """Put the merged bundle in place of any earlier one: Pagefind never removes stale files from its output."""
    if target.exists():
        shutil.rmtree(target)
    new.rename(target)


def check_bundle(bundle: Path) -> None:
    """Refuse a bundle with an empty script or an unreadable entry file rather than publish a broken search."""
    for name in ("pagefind.js", "pagefind-component-ui.js", "pagefind-worker.js", ENTRY_FILE):
        file = bundle / name
        if not file.is_file() or file.stat().st_size == 0:
            raise IndexingFailed(f"pagefind wrote no usable {name}")
    try:
        json.loads((bundle / ENTRY_FILE).read_text(encoding="utf-8"))
    except ValueError as exc:
        raise IndexingFailed(f"pagefind-entry.json is not valid JSON: {exc}") from None
