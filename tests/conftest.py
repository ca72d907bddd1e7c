"""Shared test helpers: build a copy of the real project (with extra fixture pages) into a temporary folder."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from relais.core.project import Project
from relais.pipeline.build import BuildReport, build_project

# In CI the property tests replay a fixed set of examples, so a run is repeatable; locally they explore.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
# Fixtures that run a full build: every test using one is a `build` test, so `pytest -m "not build"` stays fast.
BUILDING_FIXTURES = frozenset({"built_site", "real_site", "two_builds", "real_pages"})
FIXTURES = REPO / "tests" / "fixtures"
AS_OF = date(2026, 11, 23)


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real guidelines and the fictitious directory fixtures, plus an untranslated page, built once."""
    root = tmp_path_factory.mktemp("project")
    project = copy_project(
        root,
        [(FIXTURES / "docs" / "essai-non-traduit.md", "essai-non-traduit.md")],
        directory_fixture=FIXTURES / "directory",
    )
    report = build_project(project, AS_OF)
    return BuiltSite(project, report)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The project exactly as published: real guidelines and real directory entries."""
    project = copy_project(tmp_path_factory.mktemp("real"))
    return BuiltSite(project, build_project(project, AS_OF))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.build)
