"""`relais serve` after an edit: write again only the pages that depend on it, then refresh the rest behind.

The common edit, one or more existing service files, takes the quick way:
1. check the project again, reading and checking only the files that changed (`relais.check.incremental`);
2. write again the pages of the services whose public projection changed, into the frames the last build kept;
3. write again the directory, coverage, quality and changes pages whose source changed. The engine is not run: a
   page it built is the frame around our finished HTML, so the old HTML is swapped for the new in the built page,
   and likewise for the "where to refer" boxes of guideline pages;
4. then, in the background: the print sheets and exports (they print the data version, so all change), the search
   index and the offline kit.
Anything else (a guideline, the taxonomy, places, organisations, a service added, removed or renamed, the theme)
is a full build. The site served once the background work is done is the one `relais build` writes for the same
sources (a test compares them).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from relais.check import html_audit
from relais.check.incremental import ProjectChecker
from relais.check.project import CheckedProject
from relais.core.diagnostics import Diagnostic
from relais.core.outputs import claim, remove_ours, remove_ours_quietly
from relais.core.project import Project
from relais.core.tree import regular_files
from relais.export import write_all_exports
from relais.i18n.ui_strings import DEFAULT_LANGUAGE, LANGUAGES
from relais.model.directory import content_version
from relais.model.layout import DIRECTORY_FOLDER, EXPORTS_FOLDER, built_page, language_root
from relais.model.public import Places, Projector, PublicDirectory, PublicService, places_changed
from relais.pipeline.build import (
    BuildFailed,
    BuildReport,
    build_project,
    engine_files,
    generate_pages,
    page_settings,
    write_data_pages,
    write_guideline_lists,
)
from relais.render import context as site_context
from relais.render.changes import Change, history_state, recent_changes
from relais.render.csp import script_hashes
from relais.render.frames import FRAME_SLUG, Frame, FrameError, expand_sitemap
from relais.render.pages import (
    PageSettings,
    guide_links,
    read_service_frames,
    refer_box_html,
    refer_terms,
    refers_to,
    rewrite_service_pages,
)
from relais.render.sheets import QR_FOLDER, write_print_sheets
from relais.site import engine, offline, search_index

Say = Callable[[str], None]
Behind = tuple[PublicDirectory, PageSettings, bool]  # the background's work: directory, settings, with sheets


class NeedsFullBuild(Exception):
    """The quick way cannot give the same site as a full build for this change; the reason is the message."""


@dataclass
class Outcome:
    """What one update did: "quick" (services), "engine" (guidelines, theme), "full", "failed" (the site is left
    as it was) or "none"."""

    way: str
    pages: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reason: str = ""
    report: BuildReport | None = None  # a full build's


@dataclass
class _Built:
    """What the last successful update knows of the site it wrote."""

    checked: CheckedProject
    public: PublicDirectory
    frames: dict[str, Frame]
    engine_files: list[str]
    # The data version of the directory files as last read (None: unknown, hash them again). A guideline edit does
    # not change them: hashing every directory file again took about 0.3 s at 10,000 services.
    data_version: str | None = None


class ServeSession:
    """The site of one project kept up to date, edit after edit. `on_pages_written` is called once the pages an edit
    changed are on disk (the browser reloads), and again when the background work has finished."""

    def __init__(
        self, project: Project, as_of: date, say: Say = print, on_pages_written: Callable[[], None] = lambda: None
    ):
        self.project = project
        self.as_of = as_of
        self.say = say
        self.on_pages_written = on_pages_written
        self.checker = ProjectChecker(project, as_of)
        self._built: _Built | None = None
        self._history: tuple[str | None, list[Change] | None] = (None, None)
        self._background = _Background(self._refresh_behind, say)
        self._worker: ProcessPoolExecutor | None = None
        self._projector = Projector()

    def full_build(self) -> Outcome:
        self._background.wait()
        try:
            report: BuildReport = build_project(self.project, self.as_of, check=self.checker.check)
        except BuildFailed as failure:
            return Outcome("failed", diagnostics=failure.diagnostics, reason=str(failure))
        assert report.checked is not None and report.public is not None
        self._built = _Built(report.checked, report.public, report.frames, report.engine_files, report.data_version)
        self._history = report.history
        self._projector.project(report.checked.directory)  # remembered, so the next edit projects only its services
        self.on_pages_written()
        return Outcome("full", diagnostics=report.diagnostics, report=report)

    def update(self, changed: set[Path]) -> Outcome:
        """Bring the site up to date after `changed` files were saved (or removed)."""
        if self._built is None:
            return self.full_build()
        engine_only = self._only_engine_sources(changed)
        reason = "" if engine_only else self._why_not_quick(changed)
        if reason:
            self.say(f"relais serve: full build ({reason})")
            return self.full_build()
        checked = self.checker.check()
        if checked.has_errors:
            return Outcome("failed", diagnostics=checked.diagnostics, reason="validation failed")
        try:
            return self._engine_again(checked, changed) if engine_only else self._quick(checked)
        except NeedsFullBuild as need:
            self.say(f"relais serve: full build ({need})")
            return self.full_build()

    def wait(self) -> None:
        """Until the background work of the last update is done (tests, and before a full build)."""
        self._background.wait()

    def _only_engine_sources(self, changed: set[Path]) -> bool:
        """Guideline pages, their images and styles, the theme's overrides: what only the engine reads."""
        roots = (self.project.docs_dir, self.project.root / "overrides")
        return bool(changed) and all(any(path.is_relative_to(root) for root in roots) for path in changed)

    def _engine_again(self, checked: CheckedProject, changed: set[Path]) -> Outcome:
        """The engine's pages built again into a scratch folder and moved over the site's; the directory did not
        change, so the service pages are written again only when their frame or the guide links they show did.

        When only the text of guideline pages changed (not their front matter, which gives the navigation's titles),
        only those pages, their translations and the generated pages whose source changed are written; every other
        page would be the same."""
        assert self._built is not None
        before = self._built
        public = before.public
        settings = page_settings(self.project, self.as_of, before.data_version)
        site = self.project.site_dir
        scratch = site.with_name(site.name + ".engine")
        remove_ours(scratch)
        claim(scratch)
        site_context.set_current(site_context.BuildContext(public, self.as_of))
        try:
            links_changed = guide_links(checked.pages) != guide_links(before.checked.pages)
            generated_before = self._generated_sources()
            self._generate_pages_again(checked, settings, public, links_changed)
            scope = _engine_scope(changed, before.checked, checked, generated_before, self._generated_sources())
            # In this process, not a forked child as in the build: the background thread may be running.
            files, frames, problems = _engine_pages(self.project, settings, scratch, site.name, scope)
            _refuse_unexpected_markup(problems)
            expand_sitemap(scratch, [service.id for service in public.services])
            written = _move_engine_files(scratch, site, files, [] if scope is not None else before.engine_files)
            files = files if scope is None else sorted(set(files) | set(before.engine_files))
            if frames != before.frames or links_changed:
                pages = rewrite_service_pages(public, public.services, site, settings, frames, checked.pages, site.name)
                _refuse_unexpected_markup(pages.problems)
                written += len(pages.files)
        except (engine.EngineError, FrameError) as failure:
            return Outcome("failed", reason=f"the site build failed:\n{failure}")
        finally:
            site_context.set_current(None)
            remove_ours_quietly(scratch)
        self._built = _Built(checked, public, frames, files, settings.data_version)
        self.on_pages_written()
        self._background.request((public, settings, False))
        return Outcome("engine", pages=written, diagnostics=checked.diagnostics)

    def _generate_pages_again(
        self, checked: CheckedProject, settings: PageSettings, public: PublicDirectory, links_changed: bool
    ) -> None:
        """The pages generated from data, history and guidelines; the directory pages only when the guide links
        they show or the history changed (they depend on nothing else a guideline edit can change)."""
        same_history = self._history[0] == history_state(self.project.root)
        if same_history and not links_changed:
            write_guideline_lists(self.project, checked)
        else:
            generate_pages(self.project, checked, self.as_of, settings, public, self._recent_changes())

    def _generated_sources(self) -> dict[str, str]:
        """The pages generated from data and history, by source (docs-relative), as last written."""
        docs = self.project.docs_dir
        return {
            path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8")
            for folder in self.project.generated_dirs
            for path in regular_files(folder)
        }

    def _why_not_quick(self, changed: set[Path]) -> str:
        services = self.project.directory_dir / "services"
        for path in changed:
            if path.suffix not in {".yml", ".yaml"} or not path.is_relative_to(services):
                return f"{self.project.display(path)} is not a service file"
            if not path.is_file():
                return f"{self.project.display(path)} was removed"
        return ""

    def _quick(self, checked: CheckedProject) -> Outcome:
        assert self._built is not None
        before = self._built
        public = self._projector.project(checked.directory)
        changed = _changed_services(before.public, public)
        if not changed:
            self._built = _Built(checked, public, before.frames, before.engine_files)
            return Outcome("none", diagnostics=checked.diagnostics)
        site = self.project.site_dir
        shown_as = site.name
        site_context.set_current(site_context.BuildContext(public, self.as_of))
        try:
            # Service pages do not print the data version, which hashes every directory file: it can wait.
            unversioned = page_settings(self.project, self.as_of, data_version="")
            pages = rewrite_service_pages(public, changed, site, unversioned, before.frames, checked.pages, shown_as)
            _refuse_unexpected_markup(pages.problems)
            self.on_pages_written()  # the page being edited shows first; the pages listing it follow
            settings = replace(unversioned, data_version=content_version(self.project.directory_dir))
            problems: list[Diagnostic] = []
            places = places_changed(before.public, public)
            written = len(pages.files) + self._rewrite_data_pages(public, checked, settings, places, problems)
            written += self._rewrite_refer_boxes(
                before.public, public, changed, checked, _host(settings.site_url), problems
            )
            _refuse_unexpected_markup(problems)
        finally:
            site_context.set_current(None)
        self._built = _Built(checked, public, before.frames, before.engine_files, settings.data_version)
        self.on_pages_written()
        self._background.request((public, settings, True))
        return Outcome("quick", pages=written, diagnostics=checked.diagnostics)

    def _rewrite_data_pages(
        self,
        public: PublicDirectory,
        checked: CheckedProject,
        settings: PageSettings,
        places: Places,
        problems: list[Diagnostic],
    ) -> int:
        """The directory, coverage, quality and changes pages of the places the edit changed: sources written
        again, built pages reframed. The other places' pages cannot differ (a city's pages show its services)."""
        docs = self.project.docs_dir
        with tempfile.TemporaryDirectory(prefix="relais-serve-", dir=self.project.root) as scratch:
            fresh = Path(scratch)
            changes = self._recent_changes()
            written = write_data_pages(self.project, public, checked.pages, settings, fresh, changes, places)
            sources = {path.relative_to(fresh).as_posix(): path.read_text(encoding="utf-8") for path in written}
        edits = []
        for src_uri, source in sorted(sources.items()):
            previous = docs / src_uri
            if not previous.is_file():
                raise NeedsFullBuild(f"a new page, {src_uri}")
            old_source = previous.read_text(encoding="utf-8")
            if old_source != source:
                edits.append((src_uri, old_source, source))
        host = _host(settings.site_url)
        for src_uri, old_source, source in edits:
            page = self.project.site_dir / built_page(src_uri)
            built = reframed(page, old_source, source)
            problems += html_audit.audit_text(built, f"{self.project.site_dir.name}/{built_page(src_uri)}", host)
            page.write_text(built, encoding="utf-8")
            (docs / src_uri).write_text(source, encoding="utf-8")
        return len(edits)

    def _recent_changes(self) -> list[Change]:
        """The history behind the changes pages, read again only when a commit was made since."""
        state = history_state(self.project.root)
        if self._history[0] != state or self._history[1] is None:
            self._history = (state, recent_changes(self.project.root, self.as_of))
        return self._history[1]

    def _rewrite_refer_boxes(
        self,
        before: PublicDirectory,
        after: PublicDirectory,
        changed: tuple[PublicService, ...],
        checked: CheckedProject,
        host: str,
        problems: list[Diagnostic],
    ) -> int:
        """Guideline pages that show a "where to refer" box: the box swapped in the built page when it changed.
        A box lists the services matching its categories and populations: others cannot change it."""
        site = self.project.site_dir
        ids = {service.id for service in changed}
        edited = [*changed, *(service for service in before.services if service.id in ids)]
        written = 0
        for page_file, meta, language, url in _refer_pages(checked):
            if not any(refers_to(service, *refer_terms(meta)) for service in edited):
                continue
            old = self._refer_box(before, meta, language, url)
            new = self._refer_box(after, meta, language, url)
            if old == new:
                continue
            page = site / page_file
            text = swapped(page, old, new)
            problems += html_audit.audit_text(text, f"{site.name}/{page_file}", host)
            page.write_text(text, encoding="utf-8")
            written += 1
        return written

    def _refer_box(self, directory: PublicDirectory, meta: dict[str, object], language: str, url: str) -> str:
        site_context.set_current(site_context.BuildContext(directory, self.as_of))
        return refer_box_html(meta, language, url)

    def _refresh_behind(self, work: Behind) -> None:
        """Print sheets and exports (after a directory edit), search index and offline kit, in the worker process."""
        public, settings, with_sheets = work
        if self._worker is None:
            # A process of its own, not this one's threads: its Python work would otherwise hold this process's
            # interpreter lock half the time, and the next edit would wait for it. Started fresh (spawn), it
            # inherits no lock a thread of ours holds.
            context = multiprocessing.get_context("spawn")
            self._worker = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_yield_the_processor)
        job = self._worker.submit(refresh_behind, self.project.site_dir, self.as_of, public, settings, with_sheets)
        problem = job.result()
        if problem:
            self.say(f"relais serve: {problem}")
        self.on_pages_written()

    def close(self) -> None:
        """Stop the background work (when `relais serve` ends)."""
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._worker = None


def refresh_behind(
    site: Path, as_of: date, public: PublicDirectory, settings: PageSettings, with_sheets: bool
) -> str | None:
    """Sheets and exports (when asked), then the search index and the offline kit. Returns a problem to say, if any."""
    problem = _sheets_and_exports(site, as_of, public, settings) if with_sheets else None
    search_index.index_site(site)
    offline.build_offline_kit(site, public, settings.site_url, settings.data_version)
    return problem


def _sheets_and_exports(site: Path, as_of: date, public: PublicDirectory, settings: PageSettings) -> str | None:
    with tempfile.TemporaryDirectory(prefix=f"{site.name}.side-", dir=site.parent) as scratch:
        side = Path(scratch)
        sheets = write_print_sheets(public, side, settings)
        problems = html_audit.audit_site(side, settings.site_url, workers=1, shown_as=site.name)
        write_all_exports(public, side / EXPORTS_FOLDER, as_of, settings.site_url)
        if problems:
            return "the print sheets contain elements our templates never produce; not updated"
        _move_over(side, site, sheets)
    return None


def _engine_pages(
    project: Project, settings: PageSettings, scratch: Path, shown_as: str, write_only: frozenset[str] | None
) -> tuple[list[str], dict[str, Frame], list[Diagnostic]]:
    """The engine's build, its files, its service frames and what the audit found in its pages."""
    engine.build_site(project.mkdocs_yml, scratch, write_only=write_only)
    files = engine_files(scratch)
    frames, problems = read_service_frames(scratch, settings, shown_as)
    problems += html_audit.audit_site(scratch, settings.site_url, workers=1, shown_as=shown_as)
    return files, frames, problems


def _move_engine_files(scratch: Path, site: Path, files: list[str], before: list[str]) -> int:
    """The engine's new files over the site's; the ones it no longer writes removed. Returns the files moved."""
    for name in sorted(set(before) - set(files)):
        (site / name).unlink(missing_ok=True)
    for name in files:
        target = site / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(scratch / name, target)
    return len(files)


def _changed_services(before: PublicDirectory, after: PublicDirectory) -> tuple[PublicService, ...]:
    old = {service.id: service for service in before.services}
    if [s.id for s in before.services] != [s.id for s in after.services]:
        raise NeedsFullBuild("a service was added, removed or renamed")
    return tuple(service for service in after.services if old[service.id] != service)


def _refuse_unexpected_markup(problems: list[Diagnostic]) -> None:
    if problems:
        raise NeedsFullBuild("the HTML contains elements our templates never produce")


def _host(site_url: str) -> str:
    return urlparse(site_url).netloc


def _refer_pages(checked: CheckedProject) -> list[tuple[str, dict[str, object], str, str]]:
    """(built file, front matter, site language, page address) of every built page that may show a refer box.

    A language without its own translation shows the default language's page (and its front matter)."""
    by_base: dict[str, dict[str, dict[str, object]]] = {}
    for page in checked.pages:
        by_base.setdefault(page.base_uri, {})[page.language] = page.meta
    found = []
    for base_uri, metas in sorted(by_base.items()):
        for language in LANGUAGES:
            meta = metas.get(language, metas.get(DEFAULT_LANGUAGE))
            if not meta or not meta.get("refer"):
                continue
            page_file = built_page(f"{base_uri[:-3]}.{language}.md" if language != DEFAULT_LANGUAGE else base_uri)
            url = page_file.removesuffix("index.html")
            found.append((page_file, meta, language, url))
    return found


def _engine_scope(
    changed: set[Path],
    checked_before: CheckedProject,
    checked: CheckedProject,
    generated_before: dict[str, str],
    generated: dict[str, str],
) -> frozenset[str] | None:
    """The sources whose pages an edit of guideline text can change, or None for every page (a page added or
    removed, a front matter edited, the theme or an image changed)."""
    guideline_files = {page.path for page in checked.pages}
    if not changed <= guideline_files:  # an image, a style, the theme, a page removed
        return None
    if _front_matters(checked_before) != _front_matters(checked) or generated_before.keys() != generated.keys():
        return None
    regenerated = {uri for uri, source in generated.items() if source != generated_before[uri]}
    if any(
        _front_matter_and_body(generated[uri])[0] != _front_matter_and_body(generated_before[uri])[0]
        for uri in regenerated
    ):
        return None
    # A French page's translations say when they are older than it: they change with it.
    bases = {page.base_uri for page in checked.pages if page.path in changed}
    edited = {page.src_uri for page in checked.pages if page.base_uri in bases}
    frames = {uri for uri in generated if FRAME_SLUG in uri}
    return frozenset(edited | regenerated | frames)


def _front_matters(checked: CheckedProject) -> dict[str, object]:
    return {page.src_uri: page.meta for page in checked.pages}


def _front_matter_and_body(source: str) -> tuple[str, str]:
    """A generated source is front matter between `---` lines, then finished HTML (the engine copies it as is)."""
    if not source.startswith("---\n"):
        raise NeedsFullBuild("a generated page without front matter")
    end = source.find("\n---\n", 3)
    if end < 0:
        raise NeedsFullBuild("a generated page whose front matter does not end")
    return source[: end + 5], source[end + 5 :].lstrip("\n")


def reframed(page: Path, old_source: str, new_source: str) -> str:
    """The built page with the old source's HTML replaced by the new one's; the front matter must be the same."""
    old_head, old_body = _front_matter_and_body(old_source)
    new_head, new_body = _front_matter_and_body(new_source)
    if old_head != new_head:
        raise NeedsFullBuild(f"the title or settings of {page.name} changed")
    # The theme writes the page title as a heading when the content has none, and the policy hashes inline scripts.
    if ("<h1" in old_body) != ("<h1" in new_body) or script_hashes(old_body) != script_hashes(new_body):
        raise NeedsFullBuild("a generated page changed its heading or scripts")
    return swapped(page, old_body, new_body)


def swapped(page: Path, old: str, new: str) -> str:
    """The built page's text with `old` (found exactly once) replaced by `new`."""
    if not page.is_file():
        raise NeedsFullBuild(f"{page} is missing")
    text = page.read_text(encoding="utf-8")
    if not old or text.count(old) != 1:
        raise NeedsFullBuild(f"{page} does not contain its content exactly once")
    return text.replace(old, new, 1)


def _move_over(side: Path, site: Path, sheets: list[Path]) -> None:
    """Sheets, QR codes and exports from the scratch folder into the site; the QR and export folders are replaced
    whole, so a file no longer written does not stay behind."""
    whole = [side / EXPORTS_FOLDER, *(side / language_root(lang) / DIRECTORY_FOLDER / QR_FOLDER for lang in LANGUAGES)]
    for folder in whole:
        if folder.is_dir():
            target = site / folder.relative_to(side)
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            folder.rename(target)
            shutil.rmtree(old, ignore_errors=True)
    for path in sheets:
        if path.is_file():
            target = site / path.relative_to(side)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


class _Background:
    """One worker thread running `job` with the latest work asked for; work asked while it runs waits its turn,
    and only the newest of several waiting is done, with the sheets if any of them asked for them."""

    def __init__(self, job: Callable[[Behind], None], say: Say) -> None:
        self.job = job
        self.say = say
        self._lock = threading.Condition()
        self._waiting: Behind | None = None
        self._running = False

    def request(self, work: Behind) -> None:
        with self._lock:
            self._waiting = _newest(self._waiting, work)
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="relais-serve-behind", daemon=True).start()

    def wait(self) -> None:
        with self._lock:
            self._lock.wait_for(lambda: not self._running)

    def _run(self) -> None:
        while True:
            with self._lock:
                work, self._waiting = self._waiting, None
                if work is None:
                    self._running = False
                    self._lock.notify_all()
                    return
            try:
                self.job(work)
            except Exception as failure:  # the next full build reports it properly; serving goes on
                self.say(f"relais serve: refreshing sheets, exports and search failed: {failure}")


def _newest(waiting: Behind | None, work: Behind) -> Behind:
    """`work`, owing the sheets and exports to the site if the work it replaces had them to write."""
    if waiting is None or not waiting[2]:
        return work
    public, settings, _ = work
    return public, settings, True


BACKGROUND_NICENESS = 10


def _yield_the_processor() -> None:
    """Lower the background worker's priority, and so that of the processes it starts (Pagefind, Workbox): the
    editor waits for the pages of the next edit, never for the background. Ctrl+C is for `relais serve` itself:
    the worker ends when serve does, without a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):
        os.nice(BACKGROUND_NICENESS)
