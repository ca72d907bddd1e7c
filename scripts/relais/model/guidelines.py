"""Load guideline pages (docs/**/*.md): language from the file suffix, front matter with positions, body.

Reading only; what is wrong with a page is decided in `validate_guidelines`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from relais.core.diagnostics import Diagnostic
from relais.core.tree import regular_files
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.yamldoc import YamlDocument, decode_text, parse_yaml
from relais.rules import DOC001

# Same shape as MkDocs' own front-matter pattern, so we read exactly the header MkDocs would.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


@dataclass
class GuidelinePage:
    path: Path
    display_path: str
    src_uri: str  # relative to docs/, with its language suffix
    base_uri: str  # relative to docs/, without the language suffix (same for all translations)
    language: str
    front_matter: YamlDocument | None
    body: str
    body_line: int  # line number of the first body line in the file

    @property
    def meta(self) -> dict:
        value = self.front_matter.value if self.front_matter else None
        return value if isinstance(value, dict) else {}

    @property
    def is_section_index(self) -> bool:
        return Path(self.base_uri).name == "index.md"


def language_of(src_uri: str) -> tuple[str, str]:
    """`guides/a.en.md` -> ("en", "guides/a.md"); unsuffixed files are in the default language."""
    path = Path(src_uri)
    parts = path.name.split(".")
    if len(parts) >= 3 and parts[-2] in LANGUAGES:
        base = ".".join([*parts[:-2], parts[-1]])
        return parts[-2], (path.parent / base).as_posix()
    return DEFAULT_LANGUAGE, src_uri


def split_front_matter(text: str, display_path: str) -> tuple[YamlDocument | None, str, int, list[Diagnostic]]:
    """Separate the YAML header from the Markdown body. Returns (front matter, body, body line, problems)."""
    match = _FRONT_MATTER.match(text)
    if match:
        doc, problems = parse_yaml(match.group(1), display_path, line_offset=1)
        body_line = text[: match.end()].count("\n") + 1
        return doc, text[match.end() :], body_line, problems
    if text.startswith("---"):
        return None, text, 1, [DOC001.at(display_path, 1, 1)]
    return None, text, 1, []


def load_page(path: Path, docs_dir: Path, display_path: str) -> tuple[GuidelinePage | None, list[Diagnostic]]:
    text, problems = decode_text(path.read_bytes(), display_path)
    if text is None:
        return None, problems
    src_uri = path.relative_to(docs_dir).as_posix()
    language, base_uri = language_of(src_uri)
    front_matter, body, body_line, problems = split_front_matter(text, display_path)
    page = GuidelinePage(path, display_path, src_uri, base_uri, language, front_matter, body, body_line)
    return page, problems


def page_files(docs_dir: Path, skip_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """Markdown pages written by editors (not the pages generated at build time)."""
    return sorted(p for p in regular_files(docs_dir, skip=skip_dirs) if p.suffix == ".md")
