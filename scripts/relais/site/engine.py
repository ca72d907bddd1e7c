"""The thin adapter to the site engine (MkDocs + Material + static-i18n): build one site folder.

Nothing else in Relais imports MkDocs; moving to another engine means rewriting this file and the hooks.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner; we track it in the README


def read_setting(mkdocs_yml: Path, key: str) -> str:
    """A top-level string setting of mkdocs.yml (site_url, repo_url), read without running the engine."""
    for line in mkdocs_yml.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    return ""


class EngineError(Exception):
    """The engine refused to build; the message is for the editor."""


@dataclass
class EngineReport:
    warnings: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


def build_site(mkdocs_yml: Path, site_dir: Path, env: dict[str, str] | None = None) -> EngineReport:
    """Build all languages into `site_dir` in strict mode. Raises EngineError on any warning or error."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    previous = {key: os.environ.get(key) for key in (env or {})}
    os.environ.update(env or {})
    try:
        config = load_config(config_file=str(mkdocs_yml), site_dir=str(site_dir), strict=True)
        build(config)
        drop_build_leftovers(site_dir)
    except exceptions.MkDocsException as exc:
        details = "\n".join(collector.messages)
        raise EngineError(f"{details}\n{exc}".strip()) from None
    finally:
        logger.removeHandler(collector)
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return EngineReport(warnings=collector.messages)


ERROR_PAGES = ("404.html", "503.html")  # not found; offline (the service worker's fallback)


def _default_copy(page: str) -> str:
    return f".relais-default-{page}"


def keep_error_pages_per_language(site_dir: Path, language: str, default_language: str) -> None:
    """static-i18n writes every language's error pages (404, 503) to the site root, the last one winning.

    Called after each language build: the default language's pages stay at the root, each other language's
    move to `<lang>/`.
    """
    for page in ERROR_PAGES:
        _keep_per_language(site_dir, page, language, default_language)


def _keep_per_language(site_dir: Path, page: str, language: str, default_language: str) -> None:
    at_root = site_dir / page
    saved_default = site_dir / _default_copy(page)
    if not at_root.exists():
        return
    if language == default_language:
        saved_default.write_bytes(at_root.read_bytes())
        return
    (site_dir / language).mkdir(parents=True, exist_ok=True)
    at_root.replace(site_dir / language / page)
    if saved_default.exists():
        at_root.write_bytes(saved_default.read_bytes())


def drop_build_leftovers(site_dir: Path) -> None:
    for page in ERROR_PAGES:
        (site_dir / _default_copy(page)).unlink(missing_ok=True)


def hold_generated_html(page: Any, markdown: str) -> str:
    """Pages we generate as finished HTML (front matter `relais_html: true`) skip Markdown: parsing thousands of
    raw HTML blocks was a third of the build time, for an output identical to the input."""
    if page.meta.get("relais_html") is True:
        page.relais_generated_html = markdown
        return ""
    return markdown


def release_generated_html(page: Any, html: str) -> str:
    return getattr(page, "relais_generated_html", html)


_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def fix_theme_markup(html: str) -> str:
    """Material writes autocomplete="off" on its two toggle checkboxes, outside any block we can override; HTML
    does not allow the attribute on checkboxes (the Nu checker reports it on every page)."""
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
