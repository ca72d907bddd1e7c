"""The whole build, in order: validate, generate pages, build every language, index, export.

Each stage is timed so `make bench` and the CLI can report it; failures stop the build with a message.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from relais import engine, html_audit, search_index, site_context
from relais.diagnostics import Diagnostic
from relais.pages import PageSettings, write_directory_pages
from relais.project import Project
from relais.sheets import write_print_sheets
from relais.validate import CheckedProject, check_project

EXPORTS_FOLDER = "exports"
TOPICS_FOLDER = "sujets"
EDITORS_FOLDER = "editeurs"


class BuildFailed(Exception):
    """The build stopped; `diagnostics` or the message say why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


@dataclass
class BuildReport:
    site_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    indexed_pages: dict[str, int] = field(default_factory=dict)


def _timed(report: BuildReport, stage: str, work: Callable[[], object]) -> object:
    start = time.perf_counter()
    try:
        return work()
    finally:
        report.stage_seconds[stage] = round(time.perf_counter() - start, 3)


def page_settings(project: Project, as_of: date) -> PageSettings:
    from relais.directory import content_version

    return PageSettings(
        repo_url=engine.read_setting(project.mkdocs_yml, "repo_url"),
        as_of=as_of,
        site_url=engine.read_setting(project.mkdocs_yml, "site_url"),
        data_version=content_version(project.directory_dir),
    )


def generate_pages(project: Project, checked: CheckedProject, as_of: date, settings: PageSettings | None = None) -> int:
    """Write the pages made from data and history before the engine runs. Returns the number of files."""
    from relais.changes import recent_changes, write_changes_pages
    from relais.sheets import write_coverage_pages
    from relais.topics import write_topic_pages
    from relais.translations import write_status_pages

    settings = settings or page_settings(project, as_of)
    written = write_directory_pages(checked.directory, project.generated_dir, settings, checked.pages)
    written += write_coverage_pages(checked.directory, project.generated_dir, settings)
    for folder in (TOPICS_FOLDER, EDITORS_FOLDER):
        shutil.rmtree(project.docs_dir / folder, ignore_errors=True)
    written += write_topic_pages(checked.pages, checked.directory.vocabulary, project.docs_dir / TOPICS_FOLDER)
    written += write_status_pages(project.docs_dir, project.docs_dir / EDITORS_FOLDER)
    changes = recent_changes(project.root, as_of)
    written += write_changes_pages(changes, checked.directory, project.docs_dir / EDITORS_FOLDER, as_of)
    return len(written)


def build_project(project: Project, as_of: date) -> BuildReport:
    """Validate, then publish. A single error stops the build: nothing is dropped silently."""
    report = BuildReport(site_dir=project.site_dir)
    checked: CheckedProject = _timed(report, "validate", lambda: check_project(project, as_of))  # type: ignore[assignment]
    report.diagnostics = checked.diagnostics
    if checked.has_errors:
        raise BuildFailed("validation failed", report.diagnostics)
    publish(project, checked, as_of, report)
    return report


def publish(project: Project, checked: CheckedProject, as_of: date, report: BuildReport) -> None:
    """Generate, build every language, audit the HTML, index, export, then swap the new site in.

    Separate from validation so tests can prove that renderers and exports hide confidential data by themselves.
    """
    site_context.set_current(site_context.BuildContext(checked.directory, as_of))
    try:
        _publish(project, checked, as_of, report)
    finally:
        site_context.set_current(None)


def _publish(project: Project, checked: CheckedProject, as_of: date, report: BuildReport) -> None:
    settings = page_settings(project, as_of)  # reads every directory file once for the data version
    _timed(report, "generate", lambda: generate_pages(project, checked, as_of, settings))
    staging = project.site_dir.with_name(project.site_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _timed(report, "mkdocs", lambda: engine.build_site(project.mkdocs_yml, staging))
        _timed(report, "sheets", lambda: write_print_sheets(checked.directory, staging, settings))
        site_url = engine.read_setting(project.mkdocs_yml, "site_url")
        problems = _timed(
            report, "audit", lambda: html_audit.audit_site(staging, site_url, shown_as=project.site_dir.name)
        )
        if problems:
            raise BuildFailed("the built HTML contains elements our templates never produce", list(problems))
        index = _timed(report, "pagefind", lambda: search_index.index_site(staging))
        report.indexed_pages = index.pages_per_language  # type: ignore[attr-defined]
        _timed(report, "exports", lambda: write_all_exports(checked, staging / EXPORTS_FOLDER, as_of, site_url))
    except (engine.EngineError, search_index.IndexingFailed) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"the site build failed:\n{exc}") from None
    except BuildFailed:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_folder(staging, project.site_dir)


def write_all_exports(checked: CheckedProject, out_dir: Path, as_of: date, site_url: str) -> list[Path]:
    from relais.exports import write_exports
    from relais.sheets import write_coverage_csvs

    written = write_exports(checked.directory, out_dir, as_of, site_url)
    return written + write_coverage_csvs(checked.directory, out_dir / "couverture", as_of)


def _replace_folder(new: Path, target: Path) -> None:
    """Swap the freshly built folder in, so nothing stale from an earlier build survives."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
