"""What our templates need to know about a page: its language status, review status and UI strings.

Takes plain values from the engine's hook and returns a plain dict; never imports MkDocs. The only file it reads
is a translation's French page, to tell whether the translation is out of date.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date

from relais.check.translations import is_outdated_translation
from relais.i18n.directory_strings import directory_strings
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, DIRECTION, ui_strings
from relais.model.layout import language_root, page_suffix
from relais.model.standards import citations
from relais.render.pages import refer_box_html


def page_context(
    site_language: str,
    file_language: str | None,
    meta: dict[str, Any],
    src_uri: str,
    docs_dir: Path | None = None,
    page_url: str = "",
    repo_url: str = "",
) -> dict[str, Any]:
    text_language = file_language or site_language
    review = meta.get("review") if isinstance(meta.get("review"), dict) else {}
    is_fallback = text_language != site_language
    return {
        "ui": ui_strings(site_language),
        "site_language": site_language,
        "site_direction": DIRECTION.get(site_language, "ltr"),
        "text_language": text_language,
        "text_direction": DIRECTION.get(text_language, "ltr"),
        "is_fallback": is_fallback,
        # A fallback page's text is French: indexing it would put French words in another language's index.
        "is_indexed": not is_fallback and meta.get("search_exclude") is not True,
        "refer_box": refer_box_html(meta, site_language, page_url),
        "is_draft": str(review.get("status", "")) == "draft",
        "checked_against": citations(review.get("checked_against")),
        "reviewed_by": reviewer_stamp(review, site_language),
        "is_outdated": docs_dir is not None and is_outdated_translation(docs_dir, src_uri, meta),
        "is_default_language": site_language == DEFAULT_LANGUAGE,
        "search_url": "recherche/",
        "language_root": language_root(site_language),
        "is_sensitive": meta.get("sensitive") is True,
        "directory_ui": directory_strings(site_language),
        "src_uri": src_uri,
        "translate_url": translate_url(repo_url, src_uri, site_language) if is_fallback and repo_url else "",
        "contributing_url": contributing_url(repo_url, site_language) if repo_url else "",
    }


DEFAULT_QUICK_EXIT_URL = "https://www.google.com/"


def quick_exit_url(extra: Any) -> str:
    """Where Quick exit sends the reader: `extra: relais: quick_exit_url` in mkdocs.yml, an http(s) address."""
    settings = extra.get("relais") if isinstance(extra, dict) or hasattr(extra, "get") else None
    url = settings.get("quick_exit_url") if isinstance(settings, dict) else None
    return url if isinstance(url, str) and url.startswith(("https://", "http://")) else DEFAULT_QUICK_EXIT_URL


def reviewer_stamp(review: dict[str, Any], language: str) -> str:
    """ "Reviewed and signed off by NAME (QUALIFICATION) on DATE", in the reader's language; "" for a draft."""
    signed = review.get("reviewed_by")
    if review.get("status") != "reviewed" or not isinstance(signed, dict):
        return ""
    try:
        day = format_date(date.fromisoformat(str(review.get("date"))), format="long", locale=language)
    except ValueError:
        day = str(review.get("date", ""))
    template = ui_strings(language)["reviewed_by"]
    return template.format(name=signed.get("name", ""), qualification=signed.get("qualification", ""), date=day)


def translate_url(repo_url: str, src_uri: str, language: str) -> str:
    """Where an editor creates the missing translation of a page: the code host's "new file" form, pre-named."""
    folder, _, name = src_uri.rpartition("/")
    stem = name.removesuffix(".md")
    query = urlencode({"filename": f"{stem}.{language}.md"})
    return f"{repo_url.rstrip('/')}/new/main/docs/{folder}?{query}"


def contributing_url(repo_url: str, language: str) -> str:
    return f"{repo_url.rstrip('/')}/blob/main/CONTRIBUTING{page_suffix(language)}.md"
