"""Translation status of the guideline pages (docs/guides/): missing, up to date, outdated or unknown.

A translation is compared with its French page through the revision it records; nothing is guessed from dates.
Writing touches only the `translation:` block of a translation's front matter and the generated status pages.
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relais.i18n.page_text import TRANSLATION_STATE_LABELS, TRANSLATION_STATUS_TEXT
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.guidelines import GuidelinePage, language_of, load_page, page_files, split_front_matter

GUIDES_FOLDER = "guides"
TRANSLATED_LANGUAGES: tuple[str, ...] = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
REVISION_LENGTH = 12
REVISION_PATTERN = re.compile(rf"^[0-9a-f]{{{REVISION_LENGTH}}}$")


class TranslationState(enum.StrEnum):
    MISSING = "missing"
    UP_TO_DATE = "up to date"
    OUTDATED = "outdated"
    UNKNOWN = "unknown"


def is_tracked(src_uri: str) -> bool:
    """Translation status is kept for the guideline pages only (not the home and search pages)."""
    return src_uri.startswith(f"{GUIDES_FOLDER}/")


def source_revision(body: str) -> str:
    """The revision of a French page: a hash of its body, blind to front matter and to reflowed whitespace."""
    normalised = " ".join(body.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:REVISION_LENGTH]


def file_revision(path: Path) -> str | None:
    """The revision of the French page at `path`, or None if there is no such file."""
    if not path.is_file():
        return None
    text = path.read_bytes().decode("utf-8", errors="replace")
    _, body, _, _ = split_front_matter(text, path.as_posix())
    return source_revision(body)


def recorded_revision(meta: dict[str, Any]) -> str | None:
    """The `translation.source_revision` a translation records, if it is text."""
    translation = meta.get("translation")
    value = translation.get("source_revision") if isinstance(translation, dict) else None
    return value if isinstance(value, str) else None


def state_of(recorded: str | None, current: str) -> TranslationState:
    if recorded is None:
        return TranslationState.UNKNOWN
    return TranslationState.UP_TO_DATE if recorded == current else TranslationState.OUTDATED


def is_outdated_translation(docs_dir: Path, src_uri: str, meta: dict[str, Any]) -> bool:
    """Whether the page at `src_uri` is a tracked translation whose French page changed since it was made."""
    language, base_uri = language_of(src_uri)
    if language == DEFAULT_LANGUAGE or not is_tracked(src_uri):
        return False
    current = file_revision(docs_dir / base_uri)
    return current is not None and state_of(recorded_revision(meta), current) is TranslationState.OUTDATED


def translation_file(french: Path, language: str) -> Path:
    """`guides/a.md` -> `guides/a.en.md`."""
    return french.with_name(f"{french.stem}.{language}{french.suffix}")


@dataclass(frozen=True)
class PageTranslations:
    """One French guideline page and the state of each of its translations."""

    base_uri: str
    path: Path
    title: str
    revision: str
    states: dict[str, TranslationState]


def _title(page: GuidelinePage | None, fallback: str) -> str:
    title = page.meta.get("title") if page else None
    return title if isinstance(title, str) and title.strip() else fallback


def translation_status(docs_dir: Path) -> list[PageTranslations]:
    """The state of every translation of every French page under docs/guides/, in file order."""
    statuses: list[PageTranslations] = []
    for path in page_files(docs_dir / GUIDES_FOLDER):
        src_uri = path.relative_to(docs_dir).as_posix()
        if language_of(src_uri)[0] != DEFAULT_LANGUAGE:
            continue
        french, _ = load_page(path, docs_dir, src_uri)
        revision = source_revision(french.body) if french else file_revision(path) or ""
        states: dict[str, TranslationState] = {}
        for language in TRANSLATED_LANGUAGES:
            translated = translation_file(path, language)
            if not translated.is_file():
                states[language] = TranslationState.MISSING
                continue
            page, _ = load_page(translated, docs_dir, translated.relative_to(docs_dir).as_posix())
            states[language] = state_of(recorded_revision(page.meta) if page else None, revision)
        statuses.append(PageTranslations(src_uri, path, _title(french, src_uri), revision, states))
    return statuses


def state_counts(statuses: list[PageTranslations]) -> dict[str, dict[str, int]]:
    """Per language, how many translations are in each state (every state listed, zeros included)."""
    counts: dict[str, dict[str, int]] = {}
    for language in TRANSLATED_LANGUAGES:
        found = Counter(status.states[language] for status in statuses)
        counts[language] = {str(state): found.get(state, 0) for state in TranslationState}
    return counts


def render_status_text(statuses: list[PageTranslations]) -> str:
    """A table (page, en, ar) and a summary line per language, for a terminal."""
    header = ("page", *TRANSLATED_LANGUAGES)
    rows = [(s.base_uri, *(str(s.states[lang]) for lang in TRANSLATED_LANGUAGES)) for s in statuses]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(0, "  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)).rstrip())
    lines.append("")
    for language, counts in state_counts(statuses).items():
        summary = ", ".join(f"{count} {state}" for state, count in counts.items())
        lines.append(f"{language}: {summary}")
    lines.append(f"{len(statuses)} French page{'s' if len(statuses) != 1 else ''}")
    return "\n".join(lines)


def render_status_json(statuses: list[PageTranslations]) -> str:
    pages = [
        {
            "page": s.base_uri,
            "title": s.title,
            "source_revision": s.revision,
            **{lang: str(s.states[lang]) for lang in TRANSLATED_LANGUAGES},
        }
        for s in statuses
    ]
    return json.dumps({"pages": pages, "summary": state_counts(statuses)}, ensure_ascii=False, indent=2)


# --- Recording the revision in a translation --------------------------------------------------------------------

_TRANSLATION_KEY = re.compile(r"^translation[ \t]*:(?P<rest>.*?)(?P<eol>\r?\n)?$")
_REVISION_LINE = re.compile(r"^(?P<indent>[ \t]+)source_revision[ \t]*:")


def _revision_lines(revision: str, indent: str = "  ", eol: str = "\n") -> list[str]:
    return [f"translation:{eol}", f'{indent}source_revision: "{revision}"{eol}']


def _stamped_header(header: list[str], revision: str) -> list[str]:
    start = next((i for i, line in enumerate(header) if _TRANSLATION_KEY.match(line)), None)
    if start is None:
        return [*header, *_revision_lines(revision)]
    end = start + 1
    while end < len(header) and header[end][:1] in (" ", "\t") and header[end].strip():
        end += 1
    key = _TRANSLATION_KEY.match(header[start])
    assert key is not None
    eol = key.group("eol") or "\n"
    rest = key.group("rest").strip()
    if rest and not rest.startswith("#"):  # `translation: {...}` on one line: rewrite it as a block
        return [*header[:start], *_revision_lines(revision, eol=eol), *header[end:]]
    block = header[start + 1 : end]
    for i, line in enumerate(block):
        found = _REVISION_LINE.match(line)
        if found:
            line_eol = "\r\n" if line.endswith("\r\n") else "\n"
            block[i] = f'{found.group("indent")}source_revision: "{revision}"{line_eol}'
            return [*header[: start + 1], *block, *header[end:]]
    indent = block[0][: len(block[0]) - len(block[0].lstrip(" \t"))] if block else "  "
    return [*header[: start + 1], f'{indent}source_revision: "{revision}"{eol}', *block, *header[end:]]


def with_source_revision(text: str, revision: str) -> str | None:
    """`text` with `translation.source_revision` set to `revision`; None if its front matter cannot be edited safely.

    Only the `translation:` block changes; every other byte of the file stays as it was.
    """
    front_matter, _, body_line, problems = split_front_matter(text, "")
    if front_matter is None or problems or not isinstance(front_matter.value, dict):
        return None
    lines = text.splitlines(keepends=True)
    closing = body_line - 2  # index of the closing `---`
    stamped = [lines[0], *_stamped_header(lines[1:closing], revision), *lines[closing:]]
    result = "".join(stamped)
    checked, _, _, problems = split_front_matter(result, "")
    if checked is None or problems or recorded_revision(checked.value) != revision:
        return None
    return result


def stamp_translations(docs_dir: Path) -> list[Path]:
    """Record the current French revision in every translation under docs/guides/. Returns the files changed.

    Run it when the translations match their French pages (after translating or checking them).
    """
    changed: list[Path] = []
    for path in page_files(docs_dir / GUIDES_FOLDER):
        language, base_uri = language_of(path.relative_to(docs_dir).as_posix())
        current = file_revision(docs_dir / base_uri)
        if language == DEFAULT_LANGUAGE or current is None:
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        stamped = with_source_revision(text, current)
        if stamped is not None and stamped != text:
            path.write_bytes(stamped.encode("utf-8"))
            changed.append(path)
    return changed


# --- Status pages for editors (docs/editeurs/, generated) -----------------------------------------------------


def escape_markdown(text: str) -> str:
    """Text that Markdown prints as it is: on one line, no HTML, no emphasis, links, attributes or table cells."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", text)


def front_matter_text(title: str, description: str) -> str:
    """A front matter with a title and a description (JSON strings are valid double-quoted YAML)."""
    title_yaml = json.dumps(" ".join(title.split()), ensure_ascii=False)
    description_yaml = json.dumps(" ".join(description.split()), ensure_ascii=False)
    return f"---\ntitle: {title_yaml}\ndescription: {description_yaml}\n---\n\n"


def relative_link(target: Path, from_dir: Path) -> str:
    """A relative Markdown link target from a page in `from_dir` to the source file `target` (MkDocs checks it)."""
    relative = Path(os.path.relpath(target.resolve(), from_dir.resolve())).as_posix()
    return relative.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def page_file_name(base_name: str, language: str) -> str:
    """`traductions.md` in French, `traductions.en.md` in English: the suffix layout of the site."""
    if language == DEFAULT_LANGUAGE:
        return base_name
    stem, _, suffix = base_name.rpartition(".")
    return f"{stem}.{language}.{suffix}"


def write_if_changed(path: Path, text: str) -> None:
    """Write only when the content differs, so a watching server does not rebuild for nothing."""
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def render_status_page(statuses: list[PageTranslations], language: str, out_dir: Path) -> str:
    text = TRANSLATION_STATUS_TEXT[language]
    labels = TRANSLATION_STATE_LABELS[language]
    lines = [front_matter_text(text["title"], text["description"]).rstrip("\n"), "", escape_markdown(text["intro"]), ""]
    lines.append(f"| {text['page']} | " + " | ".join(text[lang] for lang in TRANSLATED_LANGUAGES) + " |")
    lines.append("| --- | " + " | ".join("---" for _ in TRANSLATED_LANGUAGES) + " |")
    for status in statuses:
        link = f"[{escape_markdown(status.title)}]({relative_link(status.path, out_dir)})"
        states = " | ".join(escape_markdown(labels[status.states[lang]]) for lang in TRANSLATED_LANGUAGES)
        lines.append(f"| {link} | {states} |")
    lines.extend(["", f"## {escape_markdown(text['summary'])}", ""])
    for language_code, counts in state_counts(statuses).items():
        summary = text["separator"].join(
            text["count"].format(label=labels[TranslationState(state)], count=count) for state, count in counts.items()
        )
        lines.append(f"- {escape_markdown(text[language_code])} — {escape_markdown(summary)}")
    return "\n".join(lines) + "\n"


def write_status_pages(docs_dir: Path, out_dir: Path) -> list[Path]:
    """Write traductions.md, .en.md and .ar.md into `out_dir` (docs/editeurs/). Returns the three paths."""
    statuses = translation_status(docs_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        path = out_dir / page_file_name("traductions.md", language)
        write_if_changed(path, render_status_page(statuses, language, out_dir))
        written.append(path)
    return written
