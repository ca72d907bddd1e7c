"""The thin adapter to the site engine (MkDocs + Material + static-i18n): build one site folder.

Nothing else in Relais imports MkDocs; moving to another engine means rewriting this file and the hooks.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, ChoiceLoader, DictLoader

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


def build_site(
    mkdocs_yml: Path, site_dir: Path, env: dict[str, str] | None = None, write_only: Collection[str] | None = None
) -> EngineReport:
    """Build all languages into `site_dir` in strict mode. Raises EngineError on any warning or error.

    `write_only`: the sources (docs-relative, with their language suffix) whose pages are written, in every
    language that shows them; the other pages are read, so links and navigation are checked as in a full build,
    but not rendered nor written (`relais serve` keeps their files from the last build)."""
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
        if write_only is not None:
            config.extra[_WRITE_ONLY] = frozenset(write_only)
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


_WRITE_ONLY = "relais_write_only"  # set in the configuration's `extra`, which the hooks are given
KEPT_TEMPLATE = "relais-kept.html"  # renders nothing: the engine then writes no file for the page


class _CompiledTemplates(BytecodeCache):
    """Jinja's bytecode cache, in memory: the engine makes a new template environment for each language of each
    build, and compiling the theme's templates again was a tenth of a guideline refresh. Jinja checks each entry
    against its template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Any) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Any) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def prepared_env(env: Any, config: Any) -> Any:
    """The theme's templates, compiled once per process, and an empty one for the pages a scoped build does not
    write."""
    env.bytecode_cache = _COMPILED
    if _WRITE_ONLY in config.extra:
        env.loader = ChoiceLoader([DictLoader({KEPT_TEMPLATE: ""}), env.loader])
    return env


def keep_unless_written(page: Any, config: Any) -> None:
    """In a scoped build, a page outside the scope gets the empty template: nothing is rendered, nothing written."""
    write_only = config.extra.get(_WRITE_ONLY)
    if write_only is not None and page.file.src_uri not in write_only:
        page.meta["template"] = KEPT_TEMPLATE


def is_kept(page: Any) -> bool:
    return page.meta.get("template") == KEPT_TEMPLATE


def hold_generated_html(page: Any, markdown: str) -> str:
    """Pages we generate as finished HTML (front matter `relais_html: true`) skip Markdown: parsing thousands of
    raw HTML blocks was a third of the build time, for an output identical to the input."""
    if page.meta.get("relais_html") is True:
        page.relais_generated_html = markdown
        page.render = lambda config, files: _render_nothing(page)
        return ""
    return markdown


def _render_nothing(page: Any) -> None:
    """What the engine's render gives for an empty Markdown text, without making a Markdown converter (with every
    extension) for each of the thousands of generated pages."""
    from mkdocs.structure.toc import get_toc

    page.content = ""
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = set()
    page.links_to_anchors = {}


def release_generated_html(page: Any, html: str) -> str:
    return getattr(page, "relais_generated_html", html)


_TOGGLE_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def fix_theme_markup(html: str) -> str:
    """Material writes autocomplete="off" on its two toggle checkboxes, outside any block we can override; HTML
    does not allow the attribute on checkboxes (the Nu checker reports it on every page)."""
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1", html)
