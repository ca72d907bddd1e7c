"""`relais serve` writes again only the data pages of the places an edit changed: which places those are, and that
their pages come out exactly as a full write gives them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from directory_fixture import load_public_fixture
from relais.core.project import Project
from relais.model.public import EVERY_PLACE, Places, PublicDirectory, PublicService, places_changed
from relais.pipeline.build import write_data_pages
from relais.render.pages import PageSettings
from support import AS_OF, REPO

SETTINGS = PageSettings(repo_url="", as_of=AS_OF, site_url="https://relais.example.org/", data_version="test")


def with_service(directory: PublicDirectory, service_id: str, **changes: object) -> PublicDirectory:
    services = tuple(
        dataclasses.replace(service, **changes) if service.id == service_id else service
        for service in directory.services
    )
    return dataclasses.replace(directory, services=services)


def service(directory: PublicDirectory, service_id: str) -> PublicService:
    return next(s for s in directory.services if s.id == service_id)


def test_an_edited_service_changes_the_places_it_serves_and_no_other(tmp_path: Path) -> None:
    before = load_public_fixture(tmp_path / "directory")
    team = service(before, "test-equipe-mobile")
    after = with_service(before, team.id, name={"fr": "Équipe mobile renommée TEST"})
    assert places_changed(before, after) == Places(frozenset((team.country, city) for city in team.served_cities))
    assert len(team.served_cities) == 2


def test_a_service_moved_to_another_city_changes_both(tmp_path: Path) -> None:
    before = load_public_fixture(tmp_path / "directory")
    centre = service(before, "test-centre-ecoute")
    other = next(slug for slug in before.countries[centre.country].cities if slug != centre.city)
    after = with_service(before, centre.id, city=other)
    assert places_changed(before, after).cities == {(centre.country, centre.city), (centre.country, other)}


def test_the_same_directory_changes_no_place(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    nothing = places_changed(directory, directory)
    assert nothing.cities == frozenset()
    assert not any(nothing.has_country(code) for code in directory.countries)


def written(directory: PublicDirectory, docs: Path, places: Places) -> dict[str, str]:
    project = Project.at(REPO)
    paths = write_data_pages(project, directory, [], SETTINGS, docs, changes=[], places=places)
    return {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8") for path in paths}


def test_the_pages_of_the_changed_places_are_those_a_full_write_gives(tmp_path: Path) -> None:
    before = load_public_fixture(tmp_path / "directory")
    centre = service(before, "test-centre-ecoute")
    after = with_service(before, centre.id, name={"fr": "Centre renommé TEST"})
    places = places_changed(before, after)
    everything = written(after, tmp_path / "all", EVERY_PLACE)
    some = written(after, tmp_path / "some", places)
    assert some == {name: everything[name] for name in some}
    cc = centre.country.lower()
    for suffix in ("", ".en", ".ar"):
        for name in (
            f"annuaire/index{suffix}.md",
            f"annuaire/{cc}/index{suffix}.md",
            f"annuaire/{cc}/{centre.city}{suffix}.md",
            f"annuaire/{cc}/couverture{suffix}.md",
            f"annuaire/{cc}/{centre.city}/couverture{suffix}.md",
            f"annuaire/{cc}/qualite{suffix}.md",
        ):
            assert name in some, name
    cities_elsewhere = [
        f"annuaire/{code.lower()}/{slug}.md"
        for code, country in after.countries.items()
        for slug in country.cities
        if (code, slug) not in places.cities
    ]
    assert cities_elsewhere and all(name in everything and name not in some for name in cities_elsewhere)
    assert "Centre renommé TEST" in some[f"annuaire/{cc}/{centre.city}.md"]
