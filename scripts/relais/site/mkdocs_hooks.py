"""MkDocs hooks: the only place where the engine calls into Relais. Keep each hook a few lines.

No logic here: compute in `relais` modules, pass results to templates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from relais.i18n.ui_strings import DEFAULT_LANGUAGE
from relais.render.comments import without_html_comments
from relais.render.csp import with_csp_meta
from relais.site.engine import (
    ERROR_PAGES,
    fix_theme_markup,
    hold_generated_html,
    is_kept,
    keep_error_pages_per_language,
    keep_unless_written,
    prepared_env,
    release_generated_html,
)
from relais.site.pagecontext import page_context, quick_exit_url


def on_env(env: Any, config: Any, files: Any) -> Any:
    return prepared_env(env, config)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    keep_unless_written(page, config)
    return hold_generated_html(page, markdown)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return release_generated_html(page, without_html_comments(html))


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    if is_kept(page):
        return context
    context["relais"] = page_context(
        site_language=config.theme.get("language", "fr"),
        file_language=context.get("i18n_file_locale"),
        meta=page.meta or {},
        src_uri=page.file.src_uri,
        docs_dir=Path(config.docs_dir),
        page_url=page.url,
        repo_url=config.repo_url or "",
    )
    context["relais"]["quick_exit_url"] = quick_exit_url(getattr(config, "extra", None))
    return context


def on_template_context(context: dict[str, Any], template_name: str, config: Any) -> dict[str, Any]:
    if template_name in ERROR_PAGES:
        language = config.theme.get("language", DEFAULT_LANGUAGE)
        context["relais"] = page_context(site_language=language, file_language=None, meta={}, src_uri=template_name)
        context["relais"]["quick_exit_url"] = quick_exit_url(getattr(config, "extra", None))
    return context


def on_post_build(config: Any) -> None:
    keep_error_pages_per_language(
        Path(config.site_dir), config.theme.get("language", DEFAULT_LANGUAGE), DEFAULT_LANGUAGE
    )


def on_post_page(output: str, page: Any, config: Any) -> str:
    return with_csp_meta(fix_theme_markup(output))


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if not template_name.endswith(".html"):
        return output_content
    return with_csp_meta(fix_theme_markup(output_content))
