"""Run every check on a project and return the diagnostics, sorted. No output, no exit codes (that is `cli`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from relais.check.directory import check_directory
from relais.check.files import check_files
from relais.check.guidelines import check_guideline_pages
from relais.check.safety import check_content_safety
from relais.core.diagnostics import Diagnostic, sorted_diagnostics
from relais.core.project import Project
from relais.model.directory import Directory, load_directory
from relais.model.guidelines import GuidelinePage, load_page, page_files


@dataclass
class CheckedProject:
    """What validation read, so the build does not read it twice."""

    directory: Directory
    pages: list[GuidelinePage]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)


def load_guideline_pages(project: Project) -> tuple[list[GuidelinePage], list[Diagnostic]]:
    pages: list[GuidelinePage] = []
    diagnostics: list[Diagnostic] = []
    for path in page_files(project.docs_dir, skip_dirs=project.generated_dirs):
        page, problems = load_page(path, project.docs_dir, project.display(path))
        diagnostics.extend(problems)
        if page is not None:
            pages.append(page)
    return pages, diagnostics


def check_project(project: Project, as_of: date) -> CheckedProject:
    diagnostics = check_files(project)
    directory, loading_problems = load_directory(project)
    diagnostics.extend(loading_problems)
    diagnostics.extend(check_directory(directory, as_of))
    pages, page_problems = load_guideline_pages(project)
    diagnostics.extend(page_problems)
    diagnostics.extend(check_guideline_pages(pages, directory.vocabulary, project.docs_dir, as_of))
    diagnostics.extend(check_content_safety(pages, project.docs_dir, project.display, project.generated_dirs))
    return CheckedProject(directory, pages, sorted_diagnostics(diagnostics))


def validate_project(project: Project, as_of: date) -> list[Diagnostic]:
    return check_project(project, as_of).diagnostics
