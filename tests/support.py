"""What the tests share that is not a fixture: the repository's paths, the build date, a copy of the project."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from relais.core.project import Project
from relais.pipeline.build import BuildReport

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
AS_OF = date(2026, 12, 31)


def copy_project(
    target: Path, extra_docs: Iterable[tuple[Path, str]] = (), directory_fixture: Path | None = None
) -> Project:
    """Copy what the build reads (docs, overrides, mkdocs.yml, directory) and add fixture pages.

    With `directory_fixture`, its organisations and services replace the real ones (the vocabulary stays real).
    """
    for name in ("docs", "overrides", "directory"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, target / name, ignore=shutil.ignore_patterns("annuaire", "sujets", "editeurs"))
    if directory_fixture is not None:
        for part in ("organizations", "services"):
            shutil.rmtree(target / "directory" / part, ignore_errors=True)
            shutil.copytree(directory_fixture / part, target / "directory" / part)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    (target / "scripts" / "relais" / "site").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "relais" / "site" / "mkdocs_hooks.py", target / "scripts" / "relais" / "site")
    for source, destination in extra_docs:
        (target / "docs" / destination).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target / "docs" / destination)
    return Project.at(target)


@dataclass
class BuiltSite:
    project: Project
    report: BuildReport

    @property
    def site(self) -> Path:
        return self.project.site_dir

    def html(self, relative: str) -> str:
        return (self.site / relative).read_text(encoding="utf-8")
