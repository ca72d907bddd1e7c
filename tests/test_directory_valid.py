"""Valid data passes: the fictitious fixture entries and the real directory/ give no error, only the expected warnings.

The broken cases, one per rule, are in test_directory_rules.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from relais.check.directory import check_directory
from relais.core.diagnostics import Diagnostic, sorted_diagnostics
from relais.core.project import Project
from relais.model.directory import Directory, load_directory
from support import AS_OF, FIXTURES, REPO


def load_and_check(project: Project) -> tuple[Directory, list[Diagnostic]]:
    directory, diagnostics = load_directory(project)
    return directory, sorted_diagnostics([*diagnostics, *check_directory(directory, as_of=AS_OF)])


@pytest.fixture
def fixture_project(tmp_path: Path) -> Project:
    """tests/fixtures/directory with the real taxonomy.yml and places.yml, as `directory/` of a project."""
    shutil.copytree(FIXTURES / "directory", tmp_path / "directory")
    for name in ("taxonomy.yml", "places.yml"):
        shutil.copy(REPO / "directory" / name, tmp_path / "directory" / name)
    return Project.at(tmp_path)


def test_fixture_entries_give_no_error_and_one_stale_warning(fixture_project: Project) -> None:
    directory, diagnostics = load_and_check(fixture_project)
    assert [(d.rule, d.path, d.line) for d in diagnostics] == [
        ("DIR026", "directory/services/ML/bamako/test-service-perime.yml", 22)
    ], "\n".join(d.as_text() for d in diagnostics)
    assert not diagnostics[0].is_error
    assert sorted(s.id for s in directory.services) == [
        "test-centre-ecoute",
        "test-equipe-mobile",
        "test-refuge-confidentiel",
        "test-service-perime",
    ]


def test_only_the_fixture_verified_more_than_a_year_ago_is_stale(fixture_project: Project) -> None:
    directory, _ = load_and_check(fixture_project)
    assert {s.id: s.stale for s in directory.services} == {
        "test-centre-ecoute": False,
        "test-equipe-mobile": False,
        "test-refuge-confidentiel": False,
        "test-service-perime": True,
    }


def test_real_directory_gives_no_error() -> None:
    directory, diagnostics = load_and_check(Project.at(REPO))
    errors = [d.as_text() for d in diagnostics if d.is_error]
    assert errors == []
    assert directory.services, "the real directory lists no service"
    assert all(d.path.startswith("directory/") for d in diagnostics)


def test_real_directory_warns_only_about_stale_or_address_like_entries() -> None:
    """Warnings are allowed in the real data, but only of the kinds an editor resolves by checking the entry."""
    _, diagnostics = load_and_check(Project.at(REPO))
    assert {d.rule for d in diagnostics if not d.is_error} <= {"DIR026", "DIR028"}


@pytest.mark.parametrize("kind", ["service", "organization", "places", "taxonomy"])
def test_each_directory_schema_is_a_valid_json_schema(kind: str) -> None:
    schema = REPO / "directory" / "schema" / f"{kind}.schema.json"
    Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))
