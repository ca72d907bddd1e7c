"""Run every check on a project and return the diagnostics, sorted. No output, no exit codes (that is `cli`)."""

from __future__ import annotations

from datetime import date

from relais.diagnostics import Diagnostic, sorted_diagnostics
from relais.guidelines import GuidelinePage, load_page, page_files
from relais.project import Project
from relais.rules import rule


def load_guideline_pages(project: Project) -> tuple[list[GuidelinePage], list[Diagnostic]]:
    pages: list[GuidelinePage] = []
    diagnostics: list[Diagnostic] = []
    for path in page_files(project.docs_dir, skip=project.generated_dir):
        page, problems = load_page(path, project.docs_dir, project.display(path))
        diagnostics.extend(problems)
        if page is not None:
            pages.append(page)
    return pages, diagnostics


def check_page_has_front_matter(page: GuidelinePage) -> list[Diagnostic]:
    if page.front_matter is None:
        return [rule("DOC002").at(page.display_path, 1, 1)]
    return []


def validate_project(project: Project, as_of: date) -> list[Diagnostic]:
    pages, diagnostics = load_guideline_pages(project)
    for page in pages:
        if not any(d.path == page.display_path for d in diagnostics):
            diagnostics.extend(check_page_has_front_matter(page))
    return sorted_diagnostics(diagnostics)
