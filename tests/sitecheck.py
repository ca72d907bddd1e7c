"""Helpers to read a built site the way a browser and Pagefind do (parsed HTML, decompressed index)."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

PAGEFIND_SIGNATURE = b"pagefind_dcd"


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}))


def elements(html: str) -> list[Element]:
    collector = _Collector()
    collector.feed(html)
    return collector.elements


def html_pages(site: Path) -> Iterator[Path]:
    yield from sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def page_language(html: str) -> str:
    return next(e.attrs.get("lang", "") for e in elements(html) if e.tag == "html")


def is_indexed(html: str) -> bool:
    return any("data-pagefind-body" in e.attrs for e in elements(html))


def pagefind_files(site: Path) -> Iterator[tuple[Path, bytes]]:
    """Every Pagefind file, decompressed where Pagefind compressed it."""
    for path in sorted((site / "pagefind").rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        with contextlib.suppress(OSError):
            raw = gzip.decompress(raw)
        yield path, raw


def pagefind_fragments(site: Path) -> Iterator[dict]:
    for path, raw in pagefind_files(site):
        if path.suffix == ".pf_fragment":
            yield json.loads(raw.removeprefix(PAGEFIND_SIGNATURE))
