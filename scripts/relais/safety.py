"""Refuse unsafe guideline content before the build: markup that runs code, bad links, data files under docs/.

Reads page sources only; the built-HTML check (second line of defence) is `html_audit`.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from pymdownx.slugs import slugify

from relais.diagnostics import Diagnostic
from relais.guidelines import GuidelinePage, language_of
from relais.project import GENERATED_FOLDERS
from relais.rules import rule

DANGEROUS_TAGS = (
    "script",
    "iframe",
    "object",
    "embed",
    "style",
    "link",
    "meta",
    "base",
    "form",
    "frame",
    "frameset",
    "applet",
    "svg",
    "math",
    "template",
)
DATA_SUFFIXES = (".yml", ".yaml", ".csv", ".json", ".tsv", ".xlsx", ".sqlite", ".db")
_TAG = re.compile(r"<\s*(" + "|".join(DANGEROUS_TAGS) + r")\b", re.IGNORECASE)
_EVENT = re.compile(r"(?<![\w-])(on[a-z]+)\s*=", re.IGNORECASE)
_SCHEME = re.compile(r"(javascript|vbscript|data)\s*:", re.IGNORECASE)
_STYLE_URL = re.compile(r"url\s*\(", re.IGNORECASE)
_FENCE = re.compile(r"^(\s*)(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*(\S+)|(?:href|src)\s*=\s*[\"']?([^\"'\s>]+)",
    re.IGNORECASE | re.MULTILINE,
)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_HEADING_ID = re.compile(r"\{[^}]*#([\w\-]+)[^}]*\}\s*$")
_slug = slugify(case="lower")


def _masked_lines(body: str) -> list[str]:
    """Body lines with fenced code and inline code blanked out (code is shown, never run)."""
    lines, in_fence = [], False
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            lines.append("")
            continue
        lines.append("" if in_fence else _INLINE_CODE.sub(lambda m: " " * len(m.group()), line))
    return lines


def _normalised(line: str) -> str:
    """Undo entity and whitespace obfuscation (`jav&#x09;ascript:`) before matching."""
    return re.sub(r"[\x00-\x20]+", "", html.unescape(html.unescape(line)))


def markup_problems(page: GuidelinePage) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for offset, line in enumerate(_masked_lines(page.body)):
        number = page.body_line + offset
        for match in _TAG.finditer(line):
            found.append(rule("SAF001").at(page.display_path, number, match.start() + 1, tag=match.group(1).lower()))
        for match in _EVENT.finditer(html.unescape(line)):
            if "<" in line or "{" in line:  # an attribute of raw HTML or of an attr_list, not prose "on=..."
                found.append(
                    rule("SAF002").at(page.display_path, number, match.start() + 1, attribute=match.group(1).lower())
                )
        scheme = _SCHEME.search(_normalised(line))
        if scheme and ("](" in line or "href" in line.lower() or "src" in line.lower() or "]:" in line or "<" in line):
            found.append(rule("SAF003").at(page.display_path, number, 1, scheme=scheme.group(1).lower() + ":"))
        if _STYLE_URL.search(_normalised(line)) and "style" in line.lower():
            found.append(rule("SAF004").at(page.display_path, number, line.lower().index("style") + 1))
    return found


def _links(page: GuidelinePage) -> Iterator[tuple[int, int, str]]:
    for offset, line in enumerate(_masked_lines(page.body)):
        for match in _LINK.finditer(line):
            target = next(group for group in match.groups() if group)
            yield page.body_line + offset, match.start() + 1, target


@cache
def _anchors(path: Path) -> frozenset[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        heading = _HEADING.match(line)
        if not heading:
            continue
        explicit = _HEADING_ID.search(heading.group(2))
        if explicit:
            anchors.add(explicit.group(1))
            continue
        slug = _slug(re.sub(r"[*_`]", "", heading.group(2)), "-")
        count = seen.get(slug, 0)
        anchors.add(slug if count == 0 else f"{slug}_{count}")
        seen[slug] = count + 1
    return frozenset(anchors)


def _target_file(docs_dir: Path, target_uri: str, language: str) -> Path | None:
    """The file a link resolves to, preferring the linking page's language (static-i18n does the same)."""
    base = docs_dir / target_uri
    if base.suffix != ".md":
        base = base / "index.md" if not base.suffix else base
    if base.suffix != ".md":
        return base if base.exists() else None
    translated = base.with_name(f"{base.stem}.{language}.md")
    if language != "fr" and translated.exists():
        return translated
    return base if base.exists() else None


def link_problems(page: GuidelinePage, docs_dir: Path) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for line, col, target in _links(page):
        if re.match(r"^(https?:|mailto:|tel:)", target, re.IGNORECASE) or _SCHEME.match(_normalised(target)):
            continue  # external, or reported as SAF003
        path_part, _, anchor = target.partition("#")
        if not path_part:
            own = page.path
            if anchor and anchor not in _anchors(own):
                found.append(rule("SAF009").at(page.display_path, line, col, target=target, anchor=anchor))
            continue
        if path_part.startswith("/") or re.match(r"^[a-zA-Z]:[\\/]", path_part):
            found.append(rule("SAF006").at(page.display_path, line, col, target=target))
            continue
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.src_uri), path_part))
        if resolved.startswith(".."):
            found.append(rule("SAF006").at(page.display_path, line, col, target=target))
            continue
        if resolved.split("/")[0] in GENERATED_FOLDERS:
            continue  # written at build time; the engine's strict link check covers them
        target_file = _target_file(docs_dir, language_of(resolved)[1], page.language)
        if target_file is None:
            found.append(rule("SAF008").at(page.display_path, line, col, target=target))
        elif anchor and target_file.suffix == ".md" and anchor not in _anchors(target_file):
            found.append(rule("SAF009").at(page.display_path, line, col, target=target, anchor=anchor))
    return found


def data_files_in_docs(
    docs_dir: Path, display: Callable[[Path], str], skip_dirs: tuple[Path, ...] = ()
) -> list[Diagnostic]:
    found = []
    for path in sorted(docs_dir.rglob("*")):
        if (
            path.is_file()
            and path.suffix.lower() in DATA_SUFFIXES
            and not any(path.is_relative_to(d) for d in skip_dirs)
        ):
            found.append(rule("SAF005").at(display(path), 1, 1, name=path.name))
    return found


def check_content_safety(
    pages: list[GuidelinePage], docs_dir: Path, display: Callable[[Path], str], skip_dirs: tuple[Path, ...] = ()
) -> list[Diagnostic]:
    found = data_files_in_docs(docs_dir, display, skip_dirs)
    _anchors.cache_clear()
    for page in pages:
        found += markup_problems(page) + link_problems(page, docs_dir)
    return found
