"""Load the fictitious fixture directory (tests/fixtures/directory) with the real vocabulary and places."""

from __future__ import annotations

import shutil
from pathlib import Path

from relais.core.project import Project
from relais.model.directory import Directory, Service, load_directory
from relais.model.public import PublicDirectory, PublicService, public_directory
from support import FIXTURES, REPO


def load_fixture_directory(target: Path) -> Directory:
    """Copy the fixture entries plus the real taxonomy.yml and places.yml into `target`, and load them."""
    shutil.copytree(FIXTURES / "directory", target)
    for name in ("taxonomy.yml", "places.yml"):
        shutil.copy(REPO / "directory" / name, target / name)
    directory, problems = load_directory(Project.at(REPO).with_overrides(directory_dir=target))
    assert not problems, [p.as_text() for p in problems]
    return directory


def load_real_directory() -> Directory:
    directory, problems = load_directory(Project.at(REPO))
    assert not problems, [p.as_text() for p in problems]
    return directory


def service_by_id(directory: Directory, service_id: str) -> Service:
    return next(service for service in directory.services if service.id == service_id)


def load_public_fixture(target: Path) -> PublicDirectory:
    """The fixture directory as renderers and exporters receive it: its public projection."""
    return public_directory(load_fixture_directory(target))


def public_by_id(directory: PublicDirectory, service_id: str) -> PublicService:
    return next(service for service in directory.services if service.id == service_id)
