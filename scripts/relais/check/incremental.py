"""`check_project` for `relais serve`: after an edit, only the files that changed are read and checked again.

The result is the one `check_project` gives for the same files (a test compares them after edits). What a file's
checks depend on decides what is kept:
- a YAML file is read again when its size, time or inode changed;
- a service's checks depend on its own file and on the taxonomy, places and organisations it refers to, so a change
  to any of those checks every service again;
- guideline pages are read and checked again when any file under docs/ changed (links between pages, topics).
Rules across files (duplicate ids, the file checks) run every time: they are cheap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from relais.check.directory import check_directory, check_service
from relais.check.files import check_files
from relais.check.guidelines import check_guideline_pages
from relais.check.project import CheckedProject, load_guideline_pages
from relais.check.safety import check_content_safety
from relais.core.diagnostics import Diagnostic, sorted_diagnostics
from relais.core.project import Project
from relais.model.directory import Directory, Record, Service, load_directory, read_record
from relais.model.guidelines import GuidelinePage

FileStamp = tuple[int, int, int]


def stamp(path: Path) -> FileStamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


@dataclass
class _ReadFile:
    stamp: FileStamp
    record: Record | None
    problems: list[Diagnostic]


@dataclass
class _CheckedService:
    stamp: FileStamp
    context: tuple[object, ...]
    diagnostics: list[Diagnostic]
    stale: bool


@dataclass
class _CheckedPages:
    docs: tuple[object, ...]
    pages: list[GuidelinePage]
    diagnostics: list[Diagnostic] = field(default_factory=list)


class ProjectChecker:
    """Checks a project again and again, remembering what did not change since the last time."""

    def __init__(self, project: Project, as_of: date) -> None:
        self.project = project
        self.as_of = as_of
        self._files: dict[Path, _ReadFile] = {}
        self._services: dict[Path, _CheckedService] = {}
        self._pages: _CheckedPages | None = None
        self._context: tuple[object, ...] = ()

    def check(self) -> CheckedProject:
        diagnostics = check_files(self.project)
        directory, loading_problems = load_directory(self.project, self._read)
        diagnostics += loading_problems
        context = self._service_context(directory)
        diagnostics += check_directory(directory, self.as_of, lambda s, d, a: self._check_service(s, d, a, context))
        pages = self._checked_pages(directory)
        diagnostics += pages.diagnostics
        return CheckedProject(directory, list(pages.pages), sorted_diagnostics(diagnostics))

    def _read(self, path: Path, project: Project, diagnostics: list[Diagnostic]) -> Record | None:
        current = stamp(path)
        known = self._files.get(path)
        if current is None or known is None or known.stamp != current:
            problems: list[Diagnostic] = []
            known = _ReadFile(current or (0, 0, 0), read_record(path, project, problems), problems)
            self._files[path] = known
        diagnostics.extend(known.problems)
        return known.record

    def _service_context(self, directory: Directory) -> tuple[object, ...]:
        """What a service's checks read besides its own file: the taxonomy, places and organisation files."""
        shared = [directory.taxonomy, directory.places, *directory.all_organizations]
        context = (self.as_of, *((record.path, stamp(record.path)) for record in shared if record is not None))
        # Kept as the same object while it is equal, so each service compares it by identity: comparing a tuple
        # of a thousand organisation files for each of 10,000 services took half a second per check.
        if context != self._context:
            self._context = context
        return self._context

    def _check_service(
        self, service: Service, directory: Directory, as_of: date, context: tuple[object, ...]
    ) -> list[Diagnostic]:
        current = stamp(service.path)
        known = self._services.get(service.path)
        if current is not None and known is not None and known.stamp == current and known.context is context:
            service.stale = known.stale
            return list(known.diagnostics)
        diagnostics = check_service(service, directory, as_of)
        if current is not None:
            self._services[service.path] = _CheckedService(current, context, list(diagnostics), service.stale)
        return diagnostics

    def _checked_pages(self, directory: Directory) -> _CheckedPages:
        docs = self._docs_state(directory)
        if self._pages is not None and self._pages.docs == docs:
            return self._pages
        project = self.project
        pages, diagnostics = load_guideline_pages(project)
        diagnostics += check_guideline_pages(pages, directory.vocabulary, project.docs_dir, self.as_of)
        diagnostics += check_content_safety(pages, project.docs_dir, project.display, project.generated_dirs)
        self._pages = _CheckedPages(docs, pages, diagnostics)
        return self._pages

    def _docs_state(self, directory: Directory) -> tuple[object, ...]:
        """Every file under docs/ that is not generated, with its stamp, and the taxonomy the pages refer to."""
        generated = [folder.resolve() for folder in self.project.generated_dirs]
        files = []
        for folder, subfolders, names in os.walk(self.project.docs_dir):
            here = Path(folder)
            subfolders[:] = sorted(name for name in subfolders if (here / name).resolve() not in generated)
            files += [(here / name, stamp(here / name)) for name in sorted(names)]
        taxonomy = directory.taxonomy.path if directory.taxonomy else None
        return (self.as_of, taxonomy, taxonomy and stamp(taxonomy), *files)
