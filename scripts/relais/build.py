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

from relais import engine, search_index
from relais.diagnostics import Diagnostic
from relais.project import Project
from relais.validate import validate_project


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


def build_project(project: Project, as_of: date) -> BuildReport:
    report = BuildReport(site_dir=project.site_dir)
    diagnostics = _timed(report, "validate", lambda: validate_project(project, as_of))
    report.diagnostics = list(diagnostics)  # type: ignore[arg-type]
    if any(d.is_error for d in report.diagnostics):
        raise BuildFailed("validation failed", report.diagnostics)
    staging = project.site_dir.with_name(project.site_dir.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _timed(report, "mkdocs", lambda: engine.build_site(project.mkdocs_yml, staging))
    except engine.EngineError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"the site build failed:\n{exc}") from None
    index = _timed(report, "pagefind", lambda: search_index.index_site(staging))
    report.indexed_pages = index.pages_per_language  # type: ignore[attr-defined]
    _replace_folder(staging, project.site_dir)
    return report


def _replace_folder(new: Path, target: Path) -> None:
    """Swap the freshly built folder in, so nothing stale from an earlier build survives."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
