"""The whole build, in order: validate, generate pages, build every language, index, export.

Each stage is timed so `make bench` and the CLI can report it; failures stop the build with a message.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from relais.check import html_audit
from relais.check.project import CheckedProject, check_project
from relais.check.translations import write_status_pages
from relais.core import forked, locking, memory
from relais.core.diagnostics import Diagnostic
from relais.core.outputs import (
    MARKER,
    OutputRefused,
    claim,
    refuse_unsafe_output,
    remove_ours,
    remove_ours_quietly,
)
from relais.core.project import Project
from relais.export import write_all_exports
from relais.model.directory import content_version
from relais.model.guidelines import GuidelinePage
from relais.model.layout import EXPORTS_FOLDER
from relais.model.public import EVERY_PLACE, Places, PublicDirectory, public_directory
from relais.pipeline.side_outputs import SideOutputsFailed, SideResult, SideWork, merge_into, side_outputs
from relais.render import context as site_context
from relais.render.changes import Change, history_state, recent_changes, write_changes_pages
from relais.render.frames import FRAME_SLUG, Frame, FrameError
from relais.render.pages import (
    PageSettings,
    ServicePages,
    service_page_folders,
    write_directory_pages,
    write_service_pages,
)
from relais.render.quality_pages import write_quality_pages
from relais.render.sheets import write_coverage_pages, write_print_sheets
from relais.render.topics import write_topic_pages
from relais.site import engine, offline, search_index

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
    precache: dict[str, offline.Precache] = field(default_factory=dict)
    frames: dict[str, Frame] = field(default_factory=dict)
    engine_files: list[str] = field(default_factory=list)
    history: tuple[str | None, list[Change] | None] = (None, None)  # the commit read, and the changes found
    public: PublicDirectory | None = None
    checked: CheckedProject | None = None
    data_version: str | None = None  # the fingerprint of the directory files the site was built from


def timed(stage_seconds: dict[str, float], stage: str, work: Callable[[], Any]) -> Any:
    """Run `work`, recording its wall time under `stage` (also when it fails)."""
    start = time.perf_counter()
    try:
        return work()
    finally:
        stage_seconds[stage] = round(time.perf_counter() - start, 3)


def page_settings(project: Project, as_of: date, data_version: str | None = None) -> PageSettings:
    """The settings pages are written with. The data version (a hash of every directory file, printed on the sheets)
    is computed unless given."""
    return PageSettings(
        repo_url=engine.read_setting(project.mkdocs_yml, "repo_url"),
        as_of=as_of,
        site_url=engine.read_setting(project.mkdocs_yml, "site_url"),
        data_version=content_version(project.directory_dir) if data_version is None else data_version,
    )


def generate_pages(
    project: Project,
    checked: CheckedProject,
    as_of: date,
    settings: PageSettings | None = None,
    public: PublicDirectory | None = None,
    changes: list[Change] | None = None,
) -> int:
    """Write the pages made from data and history before the engine runs. Returns the number of files."""
    settings = settings or page_settings(project, as_of)
    public = public or public_directory(checked.directory)
    for folder in project.generated_dirs:
        remove_ours(folder, project.display(folder))
        claim(folder)
    written = write_data_pages(project, public, checked.pages, settings, project.docs_dir, changes)
    written += write_guideline_lists(project, checked)
    return len(written)


def write_guideline_lists(project: Project, checked: CheckedProject) -> list[Path]:
    """The generated pages made from the guideline pages alone: topics and translation status."""
    written = write_topic_pages(checked.pages, checked.directory.vocabulary, project.docs_dir / TOPICS_FOLDER)
    written += write_status_pages(project.docs_dir, project.docs_dir / EDITORS_FOLDER)
    return written


def write_data_pages(
    project: Project,
    public: PublicDirectory,
    pages: list[GuidelinePage],
    settings: PageSettings,
    docs_dir: Path,
    changes: list[Change] | None = None,
    places: Places = EVERY_PLACE,
) -> list[Path]:
    """The engine's pages made from the directory (and its history): directory, coverage, quality and changes
    pages, written under `docs_dir` (the project's docs/, or a scratch folder for `relais serve`). `changes` is
    the history read already, if any; `places`, the countries and cities whose pages are wanted."""
    generated_dir = docs_dir / project.generated_dir.relative_to(project.docs_dir)
    written = write_directory_pages(public, generated_dir, settings, pages, places)
    written += write_coverage_pages(public, generated_dir, settings, places)
    written += write_quality_pages(public, generated_dir, settings, places)
    changes = recent_changes(project.root, settings.as_of) if changes is None else changes
    written += write_changes_pages(changes, public, docs_dir / EDITORS_FOLDER, settings.as_of)
    return written


def build_project(project: Project, as_of: date, check: Callable[[], CheckedProject] | None = None) -> BuildReport:
    """Validate, then publish. A single error stops the build: nothing is dropped silently.

    `check` validates the project (`relais serve` passes one that checks again only what changed)."""
    check = check or (lambda: check_project(project, as_of))
    report = BuildReport(site_dir=project.site_dir)
    try:
        refuse_unsafe_output(project.root, project.site_dir, "--site-dir", replaced_folders(project))
    except OutputRefused as refusal:
        raise BuildFailed(str(refusal)) from None
    with locking.project_lock(project.root), memory.build_collector():
        checked: CheckedProject = timed(report.stage_seconds, "validate", check)
        report.diagnostics = checked.diagnostics
        if checked.has_errors:
            raise BuildFailed("validation failed", report.diagnostics)
        memory.keep_until_the_end()
        try:
            publish(project, checked, as_of, report)
        except OutputRefused as refusal:
            raise BuildFailed(str(refusal)) from None
        except OSError as failure:
            raise BuildFailed(write_error_message(failure)) from None
    return report


def replaced_folders(project: Project) -> tuple[Path, ...]:
    """Every folder a build deletes and writes again: each must be ours (or absent) before the build starts."""
    site = project.site_dir
    staging = (site.with_name(site.name + suffix) for suffix in (".building", ".side", ".old"))
    return (site, *staging, *project.generated_dirs)


def write_error_message(failure: OSError) -> str:
    """One line for a failed write (disk full, permissions): which file, and the system's reason."""
    where = f" {failure.filename}" if failure.filename else ""
    reason = failure.strerror or str(failure)
    return f"could not write{where}: {reason}; the previous site is unchanged"


def publish(project: Project, checked: CheckedProject, as_of: date, report: BuildReport) -> None:
    """Generate, build every language, audit the HTML, index, export, then swap the new site in.

    Separate from validation so tests can prove that renderers and exports hide confidential data by themselves:
    from here on, every output is made from the public projection of the directory, never from its records.
    """
    public = public_directory(checked.directory)
    site_context.set_current(site_context.BuildContext(public, as_of))
    try:
        _publish(project, checked, public, as_of, report)
        report.public, report.checked = public, checked
    finally:
        site_context.set_current(None)


def _publish(
    project: Project, checked: CheckedProject, public: PublicDirectory, as_of: date, report: BuildReport
) -> None:
    settings = page_settings(project, as_of)  # reads every directory file once for the data version
    report.data_version = settings.data_version
    site_url = settings.site_url
    report.history = history_state(project.root), None

    def generate() -> int:
        report.history = (report.history[0], recent_changes(project.root, as_of))
        return generate_pages(project, checked, as_of, settings, public, report.history[1])

    timed(report.stage_seconds, "generate", generate)
    staging = project.site_dir.with_name(project.site_dir.name + ".building")
    side = project.site_dir.with_name(project.site_dir.name + ".side")
    for folder in (staging, side):
        remove_ours(folder)
        claim(folder)
    shown_as = project.site_dir.name
    try:
        with side_outputs(side_work(public, settings, as_of, shown_as), side) as job:
            seconds, service_problems, report.frames, report.engine_files = forked.call(
                lambda: build_engine_pages(project, public, checked.pages, settings, staging, shown_as),
                "relais-engine",
            )
            report.stage_seconds.update(seconds)
            _refuse_unexpected_markup(service_problems)
            # Pagefind needs about 1 GB at 10,000 services: it starts once the side process has given its memory back.
            done = timed(report.stage_seconds, "side_wait", job.result)
        report.stage_seconds.update(done.stage_seconds)
        _refuse_unexpected_markup(done.problems)
        index, problems = index_while_auditing(staging, site_url, shown_as, report.stage_seconds)
        _refuse_unexpected_markup(problems)
        report.indexed_pages = index.pages_per_language
        (side / MARKER).unlink()
        merge_into(side, staging)
        kit = timed(
            report.stage_seconds,
            "offline",
            lambda: offline.build_offline_kit(staging, public, site_url, settings.data_version),
        )
        report.precache = kit.precache
    except (
        engine.EngineError,
        search_index.IndexingFailed,
        FrameError,
        SideOutputsFailed,
        FileExistsError,
        forked.ChildFailed,
        offline.OfflineKitFailed,
    ) as exc:
        _remove(staging, side)
        raise BuildFailed(f"the site build failed:\n{exc}") from None
    except BaseException:  # BuildFailed, a write error, Ctrl+C or SIGTERM: no half-built folder stays behind
        _remove(staging, side)
        raise
    _replace_folder(staging, project.site_dir)


def build_engine_pages(
    project: Project,
    public: PublicDirectory,
    pages: list[GuidelinePage],
    settings: PageSettings,
    staging: Path,
    shown_as: str,
) -> tuple[dict[str, float], list[Diagnostic], dict[str, Frame], list[str]]:
    """The engine's build, then the service pages filled into its frames. Returns stage times, problems found, the
    frames (by language) and the files the engine wrote.

    The build runs this in a child process (`relais.core.forked`): the memory both stages take (about 130 MB at 10,000
    services) is given back before Pagefind takes its own.
    """
    seconds: dict[str, float] = {}
    timed(seconds, "mkdocs", lambda: engine.build_site(project.mkdocs_yml, staging))
    written = engine_files(staging)
    services: ServicePages = timed(
        seconds, "services", lambda: write_service_pages(public, staging, settings, pages, shown_as)
    )
    return seconds, services.problems, services.frames, written


def engine_files(site_dir: Path) -> list[str]:
    """The site-relative files the engine wrote, without the service frames (removed once read) and our marker."""
    frames = tuple(f"{folder}{FRAME_SLUG}/" for folder in service_page_folders())
    names = (path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file())
    return sorted(name for name in names if name != MARKER and not name.startswith(frames))


def index_while_auditing(
    site_dir: Path, site_url: str, shown_as: str, stage_seconds: dict[str, float]
) -> tuple[search_index.IndexReport, list[Diagnostic]]:
    """Pagefind (a thread waiting on its process) while this thread audits the pages the engine wrote.

    Both only read the pages. Pagefind keeps about one and a half of two cores busy, so the audit fits beside it,
    in this process: a pool of audit processes would add their memory to Pagefind's.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="relais-pagefind") as pool:
        indexing = pool.submit(timed, stage_seconds, "pagefind", lambda: search_index.index_site(site_dir))
        problems = timed(
            stage_seconds,
            "audit",
            lambda: html_audit.audit_site(
                site_dir, site_url, workers=1, shown_as=shown_as, audited_already=service_page_folders()
            ),
        )
        return indexing.result(), problems


def side_work(public: PublicDirectory, settings: PageSettings, as_of: date, shown_as: str) -> SideWork:
    """Print sheets (audited like every page) and exports, written into their own folder by the side process."""

    def work(out_dir: Path) -> SideResult:
        result = SideResult()
        sheets = timed(result.stage_seconds, "sheets", lambda: write_print_sheets(public, out_dir, settings))
        result.problems = timed(
            result.stage_seconds,
            "sheets_audit",
            lambda: html_audit.audit_site(out_dir, settings.site_url, workers=1, shown_as=shown_as),
        )
        exports = timed(
            result.stage_seconds,
            "exports",
            lambda: write_all_exports(public, out_dir / EXPORTS_FOLDER, as_of, settings.site_url),
        )
        result.files = len(sheets) + len(exports)
        return result

    return work


def _refuse_unexpected_markup(problems: list[Diagnostic]) -> None:
    if problems:
        raise BuildFailed("the built HTML contains elements our templates never produce", list(problems))


def _remove(*folders: Path) -> None:
    for folder in folders:
        remove_ours_quietly(folder)


def _replace_folder(new: Path, target: Path) -> None:
    """Swap the freshly built folder in, so nothing stale from an earlier build survives."""
    old = target.with_name(target.name + ".old")
    remove_ours(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    remove_ours_quietly(old)
