"""`relais serve` checks the project again after each edit, reading only what changed: it must report exactly what a
full `check_project` reports for the same files, whatever was edited."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from relais.check.incremental import ProjectChecker
from relais.check.project import check_project
from relais.core.project import Project
from support import AS_OF, FIXTURES, copy_project

SERVICE = "directory/services/MA/casablanca/test-centre-ecoute.yml"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "projet", directory_fixture=FIXTURES / "directory")


def edit(project: Project, relative: str, old: str, new: str) -> None:
    path = project.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{relative} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later = path.stat().st_mtime + 2  # a save within the clock's resolution must still count
    os.utime(path, (later, later))


def same_as_full_check(checker: ProjectChecker, project: Project) -> list[str]:
    again = checker.check()
    full = check_project(project, AS_OF)
    assert again.diagnostics == full.diagnostics
    assert [(s.id, s.stale) for s in again.directory.services] == [(s.id, s.stale) for s in full.directory.services]
    assert [page.src_uri for page in again.pages] == [page.src_uri for page in full.pages]
    return [d.rule for d in again.diagnostics if d.is_error]


EDITS: dict[str, Callable[[Project], None]] = {
    "a service's text": lambda p: edit(p, SERVICE, "Centre d'écoute fictif", "Centre d'écoute renommé"),
    "a service broken": lambda p: edit(p, SERVICE, "status: active", "status: ouvert"),
    "a service's organisation unknown": lambda p: edit(
        p, SERVICE, "organization: association-fictive", "organization: inconnue"
    ),
    "a category removed from the taxonomy": lambda p: edit(
        p, "directory/taxonomy.yml", "id: consultation-sante-mentale", "id: consultation-retiree"
    ),
    "a guideline page broken": lambda p: edit(p, "docs/index.md", "title:", "titre:"),
    "a service file removed": lambda p: (p.root / SERVICE).unlink(),
}


@pytest.mark.parametrize("what", sorted(EDITS))
def test_checking_again_after_an_edit_reports_what_a_full_check_reports(project: Project, what: str) -> None:
    checker = ProjectChecker(project, AS_OF)
    assert same_as_full_check(checker, project) == []
    EDITS[what](project)
    errors = same_as_full_check(checker, project)
    if what not in {"a service's text", "a service file removed"}:
        assert errors, f"{what}: the edit should make the project invalid"
    assert same_as_full_check(checker, project) == errors  # a third check, with nothing changed, says the same


def test_a_service_checked_again_keeps_its_stale_mark(project: Project) -> None:
    checker = ProjectChecker(project, AS_OF)
    first = {s.id: s.stale for s in checker.check().directory.services}
    assert any(first.values()), "the fixtures have a service verified long ago"
    assert {s.id: s.stale for s in checker.check().directory.services} == first


def test_only_the_edited_service_is_checked_again(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from relais.check import incremental

    checker = ProjectChecker(project, AS_OF)
    checker.check()
    checked: list[str] = []
    real = incremental.check_service

    def counting(service, directory, as_of):  # type: ignore[no-untyped-def]
        checked.append(service.id)
        return real(service, directory, as_of)

    monkeypatch.setattr(incremental, "check_service", counting)
    EDITS["a service's text"](project)
    checker.check()
    assert checked == ["test-centre-ecoute"]


def test_projecting_again_reuses_only_the_services_whose_file_was_not_read_again(project: Project) -> None:
    from relais.model.public import Projector, public_directory

    checker, projector = ProjectChecker(project, AS_OF), Projector()
    first = projector.project(checker.check().directory)
    EDITS["a service's text"](project)
    directory = checker.check().directory
    again = projector.project(directory)
    assert again == public_directory(directory)
    for old, new in zip(first.services, again.services, strict=True):
        assert (old is new) == (new.id != "test-centre-ecoute")
