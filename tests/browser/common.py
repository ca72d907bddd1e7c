"""What the browser tests share: where things are, how Chromium starts, and a tab that watches what goes wrong.

Every tab records what a reader would suffer without seeing it: console errors, uncaught exceptions, failed
responses and requests to any host but 127.0.0.1. A test fails (at teardown) if any of them happened, except the
few listed in KNOWN_PROBLEMS, which belong to files outside this suite's reach and have a strict xfail test each.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

from relais.site import pdf

from .server import SiteServer

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = Path(pdf.CHROMIUM)
# Debian's Chromium, kept off the network (no component updates, no Google lookups); never `playwright install`.
CHROMIUM_ARGS = pdf.CHROMIUM_FLAGS
VNU_JAR = Path(__file__).resolve().parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("fr", "en", "ar")
ROOTS = {"fr": "", "en": "en/", "ar": "ar/"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# How long a page, a search or an element may take (ms): generous for 2 loaded cores, never a sleep.
TIMEOUT = 15_000

# Problems whose cause lies in files this suite may not change. Each is matched narrowly and has a strict xfail test
# (tests/browser/test_known_problems.py) that turns red when the cause is fixed, so the allowance gets removed.
KNOWN_PROBLEMS: dict[str, re.Pattern[str]] = {}
# The same for the Nu HTML Checker: errors in markup that Material's base.html writes outside any block or partial.
KNOWN_VNU_ERRORS = {
    # Pagefind's component UI builds the ids of its filter checkboxes from filter names and values, spaces included
    # ("pf-filter-Villes-…", "Langues parlées"): invalid ids in the DOM it writes at run time (labels still work,
    # browsers match ids literally). Pagefind's code: reported, not patched here.
    "pagefind-filter-ids-with-spaces": re.compile(r"^Bad value “pf-filter-[^”]*” for attribute “(id|for)”.*whitespace"),
}


def known_vnu_error(message: dict) -> str | None:
    """The name of the KNOWN_VNU_ERRORS entry a Nu checker message matches (its text or its extract), if any."""
    for name, pattern in KNOWN_VNU_ERRORS.items():
        if pattern.search(message.get("message", "")) or pattern.search(message.get("extract", "")):
            return name
    return None


@dataclass
class Problems:
    """What went wrong while a tab was open, worded for the failure message."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)

    def blocking(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed_responses + self.foreign_requests


def known_problem(url: str) -> str | None:
    path = urlsplit(url).path
    for name, pattern in KNOWN_PROBLEMS.items():
        if pattern.search(path):
            return name
    return None


class Tab:
    """A browser context with one page, watched. `goto` takes a path below the published site root."""

    def __init__(self, context: BrowserContext, server: SiteServer, allow_known: bool = True) -> None:
        self.context = context
        self.server = server
        self.allow_known = allow_known
        self.problems = Problems()
        self.responses: list[Response] = []
        context.set_default_timeout(TIMEOUT)
        context.set_default_navigation_timeout(TIMEOUT)
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("page", self._watch_page)
        self.page = context.new_page()

    def _watch_page(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.page_errors.append(f"{page.url}: uncaught {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if self.allow_known and known_problem(where) and message.text.startswith("Failed to load resource"):
            self.problems.known.append(f"console: {message.text} ({where})")
            return
        self.problems.console_errors.append(f"console error: {message.text} ({where})")

    def _on_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != "127.0.0.1":
            self.problems.foreign_requests.append(f"request to another host: {request.url}")

    def _on_response(self, response: Response) -> None:
        self.responses.append(response)
        if response.status < 400:
            return
        if self.allow_known and known_problem(response.url):
            self.problems.known.append(f"{response.status} {response.url}")
            return
        self.problems.failed_responses.append(f"{response.status} {response.url} (from {response.frame.url})")

    def url(self, path: str = "") -> str:
        return self.server.url(path)

    def goto(self, path: str) -> Page:
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.ok, f"{path}: {response.status if response else 'no response'}"
        return self.page

    def settle(self) -> None:
        """Wait until the page has made every request it is going to make (scripts fetch after load)."""
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self) -> None:
        blocking = self.problems.blocking()
        assert not blocking, "what the reader's browser reported:\n" + "\n".join(blocking)


def record_figures(artifacts: Path, name: str, figures: dict) -> None:
    """Merge `figures` into test-artifacts/<name>.json (tests run in any order) and print them for `pytest -s`."""
    path = artifacts / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data.update(figures)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for key, value in figures.items():
        print(f"{name}: {key} = {json.dumps(value, ensure_ascii=False)}")
