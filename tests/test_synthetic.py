"""The synthetic directory behind `make bench`: valid, deterministic, and as varied as a real one."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from relais.check.directory import check_directory
from relais.check.location_text import location_clues
from relais.core.diagnostics import Diagnostic
from relais.core.project import Project
from relais.model.directory import Directory, load_directory
from relais.model.synthetic import (
    DESCRIPTION_SENTENCES,
    DISCLAIMER,
    FRONT_DOORS,
    REFERRAL_DOCUMENTS,
    REFERRAL_METHODS,
    write_synthetic_directory,
)
from support import AS_OF, REPO

SIZE = 30


class Generated(NamedTuple):
    folder: Path
    directory: Directory
    diagnostics: list[Diagnostic]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """A small synthetic directory, loaded and checked the way `relais validate` does it."""
    folder = tmp_path_factory.mktemp("synthetic") / "directory"
    write_synthetic_directory(folder, SIZE, seed=7)
    directory, diagnostics = load_directory(Project.at(REPO).with_overrides(directory_dir=folder))
    return Generated(folder, directory, diagnostics + check_directory(directory, AS_OF))


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_generated_entry_validates_without_error(synthetic: Generated) -> None:
    _, directory, diagnostics = synthetic
    assert len(directory.services) == SIZE
    assert [d for d in diagnostics if d.is_error] == []


def test_the_only_warnings_are_for_stale_entries(synthetic: Generated) -> None:
    _, directory, diagnostics = synthetic
    assert {d.rule for d in diagnostics} == {"DIR026"}
    assert sum(service.stale for service in directory.services) == len(diagnostics)


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    write_synthetic_directory(tmp_path / "a", SIZE, seed=3)
    write_synthetic_directory(tmp_path / "b", SIZE, seed=3)
    write_synthetic_directory(tmp_path / "c", SIZE, seed=4)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert files_of(tmp_path / "a") != files_of(tmp_path / "c")


def test_contains_confidential_stale_closed_and_mobile_entries(synthetic: Generated) -> None:
    _, directory, _ = synthetic
    confidential = [s for s in directory.services if s.is_confidential]
    assert confidential
    for service in confidential:
        assert "location" not in service.data
        assert service.data["front_door"]["phones"]
    assert any(s.stale for s in directory.services)
    assert any(s.status == "temporarily closed" for s in directory.services)
    mobile = [s for s in directory.services if "mobile" in s.data]
    assert mobile and all(len(s.served_cities) == 2 for s in mobile)


def test_texts_come_in_all_three_languages(synthetic: Generated) -> None:
    _, directory, _ = synthetic
    languages = [set(service.data["description"]) for service in directory.services]
    assert all("fr" in found for found in languages)
    assert any("en" in found for found in languages)
    assert any("ar" in found for found in languages)


def test_descriptions_have_realistic_length(synthetic: Generated) -> None:
    _, directory, _ = synthetic
    lengths = [len(service.data["description"]["fr"].split()) for service in directory.services]
    assert min(lengths) >= 40
    assert max(lengths) <= 120


def test_every_name_says_it_is_fictitious(synthetic: Generated) -> None:
    folder, directory, _ = synthetic
    assert all("TEST" in service.data["name"]["fr"] for service in directory.services)
    assert all(record.data["name"]["fr"].startswith("Organisation fictive") for record in directory.all_organizations)
    cities = [city.name["fr"] for country in directory.countries.values() for city in country.cities.values()]
    assert cities and all(name.startswith("Ville-Test-") for name in cities)
    assert (folder / "taxonomy.yml").read_bytes() == (REPO / "directory" / "taxonomy.yml").read_bytes()


def test_no_text_a_confidential_entry_may_carry_names_a_street_or_building() -> None:
    pools = [DISCLAIMER, *DESCRIPTION_SENTENCES, *REFERRAL_METHODS, *REFERRAL_DOCUMENTS, *FRONT_DOORS]
    assert [text for pool in pools for text in pool if location_clues(text)] == []


def test_refuses_to_write_into_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "places.yml").write_text("countries: []\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_synthetic_directory(tmp_path, SIZE)
