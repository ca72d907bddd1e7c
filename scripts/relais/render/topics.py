"""Topic pages (docs/sujets/, generated): an index of the topics of the taxonomy and, per topic and language,
the guideline pages filed under it.

Writes Markdown only; which topics a page may have is checked in `guideline_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from relais.check.translations import (
    GUIDES_FOLDER,
    escape_markdown,
    front_matter_text,
    page_file_name,
    relative_link,
    write_if_changed,
)
from relais.i18n.page_text import TOPIC_PAGE_TEXT
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.directory import Vocabulary
from relais.model.guidelines import GuidelinePage

# Topic ids become file names: anything else than a slug is skipped (the taxonomy checks report it).
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class TopicEntry:
    """A guideline page as listed on a topic page in one language."""

    title: str
    description: str
    link: str
    in_french: bool


def _topics(page: GuidelinePage) -> list[str]:
    topics = page.meta.get("topics")
    return [topic for topic in topics if isinstance(topic, str)] if isinstance(topics, list) else []


def _text(page: GuidelinePage, key: str) -> str:
    value = page.meta.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _listed_pages(pages: list[GuidelinePage]) -> tuple[list[GuidelinePage], dict[tuple[str, str], GuidelinePage]]:
    """The French guideline pages (not section indexes) and every page by (base uri, language)."""
    in_guides = [page for page in pages if page.src_uri.startswith(f"{GUIDES_FOLDER}/")]
    by_language = {(page.base_uri, page.language): page for page in in_guides}
    french = [page for page in in_guides if page.language == DEFAULT_LANGUAGE and not page.is_section_index]
    return french, by_language


def topic_entry(
    french: GuidelinePage, by_language: dict[tuple[str, str], GuidelinePage], language: str, out_dir: Path
) -> TopicEntry:
    translated = by_language.get((french.base_uri, language))
    shown = translated if translated is not None and _text(translated, "title") else french
    return TopicEntry(
        title=_text(shown, "title") or french.base_uri,
        description=_text(shown, "description"),
        link=relative_link(french.path, out_dir),  # the French file: the i18n plugin links each language's version
        in_french=shown is french and language != DEFAULT_LANGUAGE,
    )


def render_topic_page(label: str, entries: list[TopicEntry], language: str) -> str:
    text = TOPIC_PAGE_TEXT[language]
    lines = [front_matter_text(label, text["topic_description"].format(label=label)).rstrip("\n"), ""]
    for entry in entries:
        marker = f" {escape_markdown(text['in_french'])}" if entry.in_french else ""
        summary = f" — {escape_markdown(entry.description)}" if entry.description else ""
        lines.append(f"- [{escape_markdown(entry.title)}]({entry.link}){marker}{summary}")
    if not entries:
        lines.append(escape_markdown(text["empty"]))
    lines.extend(["", f"[{escape_markdown(text['all_topics'])}](index.md)"])
    return "\n".join(lines) + "\n"


def render_topic_index(counts: list[tuple[str, str, int]], language: str) -> str:
    """`counts`: (topic id, label, number of pages) in taxonomy order."""
    text = TOPIC_PAGE_TEXT[language]
    lines = [front_matter_text(text["index_title"], text["index_description"]).rstrip("\n"), ""]
    lines.extend([escape_markdown(text["index_intro"]), ""])
    lines.extend(f"- [{escape_markdown(label)}]({topic_id}.md) ({count})" for topic_id, label, count in counts)
    return "\n".join(lines) + "\n"


def write_topic_pages(pages: list[GuidelinePage], vocabulary: Vocabulary, out_dir: Path) -> list[Path]:
    """Write index.md and one page per topic, in every language, into `out_dir` (docs/sujets/).

    Every topic of the taxonomy gets a page, even without guideline pages yet, so links to it never break.
    Returns the paths of all pages (unchanged files are not rewritten).
    """
    french, by_language = _listed_pages(pages)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for language in LANGUAGES:
        counts: list[tuple[str, str, int]] = []
        for topic_id, term in vocabulary.topics.items():
            if not _SLUG.match(topic_id):
                continue
            filed = [page for page in french if topic_id in _topics(page)]
            entries = sorted(
                (topic_entry(page, by_language, language, out_dir) for page in filed),
                key=lambda entry: (entry.in_french, entry.title.casefold()),
            )
            label = term.label_in(language)
            path = out_dir / page_file_name(f"{topic_id}.md", language)
            write_if_changed(path, render_topic_page(label, entries, language))
            written.append(path)
            counts.append((topic_id, label, len(entries)))
        index = out_dir / page_file_name("index.md", language)
        write_if_changed(index, render_topic_index(counts, language))
        written.append(index)
    return written
