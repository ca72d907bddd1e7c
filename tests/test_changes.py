"""'What changed' from git history: services added, closed and re-verified in the last 90 days, per city."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import markdown
import pytest

from directory_fixture import load_public_fixture
from relais.check.project import check_project
from relais.model.public import public_directory
from relais.pipeline.build import generate_pages
from relais.render.changes import Change, ChangeKind, RecentChanges, recent_changes, write_changes_pages
from relais.site.engine import build_site
from support import AS_OF, copy_project

# The fictitious histories below are dated around this day; the windows are counted back from it.
HISTORY_DATE = date(2026, 11, 23)

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class History:
    """A tiny git repository of fictitious service files, committed at chosen dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True)
        self.git("init", "-q")

    def git(self, *args: str, day: str = "2026-01-10") -> None:
        stamp = f"{day}T12:00:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_DATE": stamp,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
        identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
        subprocess.run(["git", *identity, *args], cwd=self.root, env=env, check=True, capture_output=True)

    def write(self, country: str, city: str, service_id: str, status: str = "active", verified: str = "2026-01-05"):
        path = self.root / "directory" / "services" / country / city / f"{service_id}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"id: {service_id}\n"
            f'name:\n  fr: "Service fictif {service_id}"\n  en: "Fictitious service {service_id}"\n'
            f"status: {status}\ncountry: {country}\ncity: {city}\n"
            f'verified:\n  date: "{verified}"\n  by: "référent test"\n  method: call\n',
            encoding="utf-8",
        )

    def remove(self, country: str, city: str, service_id: str) -> None:
        self.git("rm", "-q", f"directory/services/{country}/{city}/{service_id}.yml")

    def commit(self, day: str, message: str = "change") -> None:
        self.git("add", "-A", day=day)
        self.git("commit", "-q", "-m", message, day=day)


@pytest.fixture
def history(tmp_path: Path) -> History:
    repo = History(tmp_path / "repo")
    for service_id, city in (
        ("ma-casa-ancien", "casablanca"),
        ("ma-casa-a-fermer", "casablanca"),
        ("ma-rabat-a-reverifier", "rabat"),
        ("ma-rabat-deplace", "rabat"),
    ):
        repo.write("MA", city, service_id)
    repo.write("ML", "bamako", "ml-bamako-a-supprimer")
    repo.commit("2026-01-10", "old entries")
    repo.write("MA", "casablanca", "ma-casa-nouveau")
    repo.commit("2026-10-01", "add a service")
    repo.write("MA", "rabat", "ma-rabat-a-reverifier", verified="2026-10-14")
    repo.write("MA", "casablanca", "ma-casa-a-fermer", status='"temporarily closed"')
    repo.commit("2026-10-15", "re-verify and close")
    repo.remove("ML", "bamako", "ml-bamako-a-supprimer")
    repo.commit("2026-11-01", "delete")
    (repo.root / "directory/services/MA/rabat/ma-rabat-deplace.yml").unlink()
    repo.write("MA", "casablanca", "ma-rabat-deplace")  # moved to another city folder: neither added nor closed
    repo.commit("2026-11-05", "move")
    repo.write("MA", "casablanca", "ma-casa-brouillon", status="inactive")  # `relais new service`: not yet verified
    repo.commit("2026-11-20", "scaffold")
    repo.write("MA", "casablanca", "ma-casa-brouillon", status="active", verified="2026-11-21")
    repo.commit("2026-11-22", "publish the checked entry")
    repo.write("MA", "casablanca", "ma-casa-ancien", status="defunct")
    repo.commit("2026-12-01", "after the build date")
    return repo


def summary(changes: list[Change]) -> set[tuple[str, str, str, str]]:
    return {(str(c.kind), c.service_id, c.day.isoformat(), c.status) for c in changes}


@needs_git
def test_history_is_classified_into_added_closed_and_reverified(history: History) -> None:
    changes = recent_changes(history.root, HISTORY_DATE)
    assert getattr(changes, "history_available", None) is True
    assert summary(changes) == {
        ("added", "ma-casa-nouveau", "2026-10-01", "active"),
        ("re-verified", "ma-rabat-a-reverifier", "2026-10-15", "active"),
        ("closed", "ma-casa-a-fermer", "2026-10-15", "temporarily closed"),
        ("closed", "ml-bamako-a-supprimer", "2026-11-01", "deleted"),
        ("added", "ma-casa-brouillon", "2026-11-22", "active"),
    }
    assert [c.day for c in changes] == sorted((c.day for c in changes), reverse=True)


@needs_git
def test_deleted_service_keeps_its_city_and_name(history: History) -> None:
    deleted = next(c for c in recent_changes(history.root, HISTORY_DATE) if c.status == "deleted")
    assert (deleted.country, deleted.city) == ("ML", "bamako")
    assert deleted.name["fr"] == "Service fictif ml-bamako-a-supprimer"


@needs_git
def test_only_the_days_before_the_build_date_count(history: History) -> None:
    assert summary(recent_changes(history.root, date(2026, 11, 23), days=30)) == {
        ("closed", "ml-bamako-a-supprimer", "2026-11-01", "deleted"),
        ("added", "ma-casa-brouillon", "2026-11-22", "active"),
    }
    assert ("closed", "ma-casa-ancien", "2026-12-01", "defunct") in summary(
        recent_changes(history.root, date(2026, 12, 1))
    )
    assert list(recent_changes(history.root, date(2025, 12, 31))) == []


@needs_git
def test_a_project_copied_without_history_gives_no_changes_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "directory" / "services").mkdir(parents=True)
    changes = recent_changes(tmp_path, HISTORY_DATE)
    assert list(changes) == []
    assert getattr(changes, "history_available", None) is False


@needs_git
def test_a_shallow_clone_is_not_read_as_history(history: History, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", history.root.resolve().as_uri(), str(clone)],
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull},
    )
    changes = recent_changes(clone, date(2026, 12, 1))
    assert list(changes) == [] and getattr(changes, "history_available", None) is False
    assert "shallow" in getattr(changes, "reason", "")


def test_missing_git_gives_no_changes_without_error(history_free_folder: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(history_free_folder / "no-programs-here"))
    changes = recent_changes(history_free_folder, HISTORY_DATE)
    assert list(changes) == [] and getattr(changes, "history_available", None) is False


@pytest.fixture
def history_free_folder(tmp_path: Path) -> Path:
    (tmp_path / "directory" / "services").mkdir(parents=True)
    return tmp_path


# --- The generated pages ------------------------------------------------------------------------------------------


def change(kind: ChangeKind, service_id: str, day: str, status: str = "active", **where: str) -> Change:
    country, city = where.get("country", "MA"), where.get("city", "casablanca")
    name = {"fr": where.get("name", f"Service fictif {service_id}")}
    return Change(kind, service_id, date.fromisoformat(day), country, city, name, status, "0" * 40)


def test_pages_group_changes_by_city_and_link_to_services_that_still_exist(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    changes = RecentChanges(
        [
            change(ChangeKind.REVERIFIED, "test-centre-ecoute", "2026-10-02"),
            change(ChangeKind.CLOSED, "test-disparu", "2026-11-02", "deleted", country="ML", city="bamako"),
            change(
                ChangeKind.CLOSED, "test-equipe-mobile", "2026-11-03", "temporarily closed", country="ML", city="kita"
            ),
        ]
    )
    out_dir = tmp_path / "docs" / "editeurs"
    written = write_changes_pages(changes, directory, out_dir, HISTORY_DATE)
    assert [p.name for p in written] == ["changements.md", "changements.en.md", "changements.ar.md"]
    french, english, arabic = (p.read_text(encoding="utf-8") for p in written)
    assert french.startswith('---\ntitle: "Ce qui a changé dans l\'annuaire"\ndescription: "')
    assert "## Casablanca \\(Maroc\\)" in french and "## Kita \\(Mali\\)" in french
    assert (
        "- 2 octobre 2026 — **Revérifié** : "
        '<a href="../../annuaire/services/test-centre-ecoute/">Centre d&#x27;écoute fictif TEST</a>' in french
    )
    assert "**Fermé** (retiré de l'annuaire) : Service fictif test-disparu" in french  # no page left: no link
    assert "**Closed** (Temporarily closed): <a" in english
    assert '<a href="../../annuaire/services/test-centre-ecoute/">TEST fictitious listening centre</a>' in english
    assert "## باماكو \\(مالي\\)" in arabic


def test_page_text_from_the_data_cannot_inject_markup_or_links(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    hostile = "<img src=x onerror=alert(1)> [piège](javascript:alert(1)) | *gras*"
    changes = RecentChanges([change(ChangeKind.CLOSED, "test-supprime", "2026-11-02", "deleted", name=hostile)])
    page = write_changes_pages(changes, directory, tmp_path / "editeurs", HISTORY_DATE)[0].read_text(encoding="utf-8")
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["tables", "attr_list", "md_in_html"])
    assert "<img" not in html and "<a " not in html and "<em>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; [piège](javascript:alert(1)) | *gras*" in html


def test_pages_say_when_the_history_is_missing_or_empty(tmp_path: Path) -> None:
    directory = load_public_fixture(tmp_path / "directory")
    missing = write_changes_pages(RecentChanges(history_available=False), directory, tmp_path / "a", HISTORY_DATE)
    assert "L'historique des modifications n'est pas disponible" in missing[0].read_text(encoding="utf-8")
    assert "history of changes is not available" in missing[1].read_text(encoding="utf-8")
    empty = write_changes_pages(RecentChanges(), directory, tmp_path / "b", HISTORY_DATE)
    assert "Aucun service n'a été ajouté, fermé ou revérifié" in empty[0].read_text(encoding="utf-8")
    assert re.search(r"entre le 25 août 2026 et le 23 novembre 2026", empty[0].read_text(encoding="utf-8"))


@pytest.mark.build
def test_changes_pages_build_without_warnings(tmp_path: Path) -> None:
    """Strict MkDocs: the links to service pages resolve in every language (a broken one would stop the build)."""
    project = copy_project(tmp_path)
    checked = check_project(project, AS_OF)
    generate_pages(project, checked, AS_OF)
    services = checked.directory.services
    changes = RecentChanges(
        [
            change(ChangeKind.ADDED, services[0].id, "2026-11-01", country=services[0].country, city=services[0].city),
            change(ChangeKind.CLOSED, "ma-casablanca-supprime", "2026-10-01", "deleted"),
        ]
    )
    write_changes_pages(changes, public_directory(checked.directory), project.docs_dir / "editeurs", AS_OF)
    report = build_site(project.mkdocs_yml, project.site_dir)
    assert report.warnings == []
    for prefix in ("", "en/", "ar/"):
        html = (project.site_dir / prefix / "editeurs" / "changements" / "index.html").read_text(encoding="utf-8")
        assert f'href="../../annuaire/services/{services[0].id}/"' in html


def service_text(service_id: str, name: str, visibility: str, verified: str, city: str = "casablanca") -> str:
    return (
        f'id: {service_id}\nname:\n  fr: "{name}"\nstatus: active\ncountry: MA\ncity: {city}\n'
        f'visibility: {visibility}\nverified:\n  date: "{verified}"\n  by: "référent test"\n  method: call\n'
    )


@needs_git
def test_history_never_shows_a_value_a_confidential_service_had(tmp_path: Path) -> None:
    """Renamed with `git mv` in the commit that makes it confidential, re-verified, deleted: the page shows a
    confidential service only as the public projection shows it today, and nothing once it is gone."""
    repo = History(tmp_path / "repo")
    folder = repo.root / "directory" / "services" / "MA" / "casablanca"
    folder.mkdir(parents=True)
    (folder / "test-foyer-ancien.yml").write_text(
        service_text("test-foyer-ancien", "Foyer fictif rue des Lilas", "public", "2026-10-01"), encoding="utf-8"
    )
    (folder / "test-secret-supprime.yml").write_text(
        service_text("test-secret-supprime", "Abri fictif derrière la gare", "confidential", "2026-10-02", "rabat"),
        encoding="utf-8",
    )
    repo.commit("2026-10-03", "two entries")
    repo.git(
        "mv",
        "directory/services/MA/casablanca/test-foyer-ancien.yml",
        "directory/services/MA/casablanca/test-refuge-confidentiel.yml",
    )
    (folder / "test-refuge-confidentiel.yml").write_text(
        service_text("test-refuge-confidentiel", "Foyer fictif rue des Lilas", "confidential", "2026-10-01"),
        encoding="utf-8",
    )
    repo.commit("2026-10-20", "make it confidential")
    (folder / "test-refuge-confidentiel.yml").write_text(
        service_text("test-refuge-confidentiel", "Foyer fictif rue des Lilas", '"confidential"', "2026-11-02"),
        encoding="utf-8",
    )
    repo.commit("2026-11-03", "re-verified")
    repo.remove("MA", "casablanca", "test-secret-supprime")
    repo.commit("2026-11-04", "removed")

    changes = recent_changes(repo.root, HISTORY_DATE)
    assert {"test-foyer-ancien", "test-refuge-confidentiel", "test-secret-supprime"} <= changes.confidential_ids
    assert {c.service_id for c in changes} >= {"test-refuge-confidentiel", "test-secret-supprime"}
    directory = load_public_fixture(tmp_path / "directory")
    pages = write_changes_pages(changes, directory, tmp_path / "editeurs", HISTORY_DATE)
    for page in (p.read_text(encoding="utf-8") for p in pages):
        for secret in ("Lilas", "test-foyer-ancien", "derrière", "test-secret-supprime", "Rabat", "الرباط"):
            assert secret not in page, (secret, page)
    french = pages[0].read_text(encoding="utf-8")
    assert "**Revérifié** : " in french and "Hébergement protégé fictif TEST</a>" in french  # today's public name
