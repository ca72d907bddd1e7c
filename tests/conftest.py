"""Shared fixtures: the fixture site and the real site, each built once per session; the `build` marker.

Helpers and constants that tests import live in `support.py`, not here."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from relais.pipeline.build import build_project
from support import AS_OF, FIXTURES, BuiltSite, copy_project

# In CI the property tests replay a fixed set of examples, so a run is repeatable; locally they explore.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Fixtures that run a full build: every test using one is a `build` test, so `pytest -m "not build"` stays fast.
BUILDING_FIXTURES = frozenset({"built_site", "real_site", "two_builds", "real_pages"})


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
