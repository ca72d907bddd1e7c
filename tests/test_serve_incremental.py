"""`relais serve` after an edit writes again only what depends on it; once its background work is done, the site it
serves is the site `relais build` writes for the same sources (Pagefind's unordered files aside, as in
test_reproducible)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from relais.core.project import Project
from relais.pipeline.build import build_project
from relais.pipeline.incremental import ServeSession
from support import AS_OF, FIXTURES, copy_project
from test_reproducible import PAGEFIND_UNORDERED, SOURCE_DATE_EPOCH, differing_files, tree, unordered_content

pytestmark = pytest.mark.build

SERVICE = "directory/services/MA/casablanca/test-centre-ecoute.yml"
OLD_NAME, NEW_NAME = "Centre d'écoute fictif TEST", "Centre d'écoute & d'accueil TEST"


def edit(project: Project, relative: str, old: str, new: str) -> Path:
    path = project.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    later = path.stat().st_mtime + 2
    os.utime(path, (later, later))
    return path


def assert_same_site(served: Path, built: Path) -> None:
    first, second = tree(served), tree(built)
    differing = differing_files(first, second)
    assert differing == [], f"served and built differ: {differing}"
    unordered = [{n: raw for n, raw in site.items() if PAGEFIND_UNORDERED.match(n)} for site in (first, second)]
    assert unordered_content(unordered[0]) == unordered_content(unordered[1])


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeSession]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        project = copy_project(tmp_path_factory.mktemp("serve"), directory_fixture=FIXTURES / "directory")
        serving = ServeSession(project, AS_OF, say=lambda _: None)
        assert serving.full_build().way == "full"
        yield serving
        serving.close()


def built_now(session: ServeSession, name: str) -> Path:
    """The same sources built from scratch, next to the served site."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        other = session.project.with_overrides(site_dir=session.project.root / name)
        build_project(other, AS_OF)
    return other.site_dir


def test_a_service_edit_is_written_without_the_engine_and_gives_the_built_site(session: ServeSession) -> None:
    project = session.project
    changed = edit(project, SERVICE, OLD_NAME, NEW_NAME)
    outcome = session.update({changed})
    assert outcome.way == "quick", outcome.reason
    # Three service pages, and the pages listing the service: its city, and more (country, coverage, refer boxes).
    assert outcome.pages > 3
    page = project.site_dir / "annuaire/services/test-centre-ecoute/index.html"
    assert "Centre d&#x27;écoute &amp; d&#x27;accueil TEST" in page.read_text(encoding="utf-8")
    session.wait()
    assert_same_site(project.site_dir, built_now(session, "site-built-1"))


def test_a_guideline_edit_runs_the_engine_alone_and_gives_the_built_site(session: ServeSession) -> None:
    project = session.project
    changed = edit(project, "docs/index.md", "title: Relais", "title: Relais, édité")
    outcome = session.update({changed})
    assert outcome.way == "engine", outcome.reason
    session.wait()
    assert_same_site(project.site_dir, built_now(session, "site-built-2"))


def test_a_guideline_text_edit_writes_only_that_page_its_translations_and_pages_about_them(
    session: ServeSession,
) -> None:
    project = session.project
    city_page = project.site_dir / "annuaire/ma/casablanca/index.html"
    other_guide = project.site_dir / "guides/formation/gardes-frontieres/index.html"
    untouched = {page: page.stat().st_mtime_ns for page in (city_page, other_guide)}
    changed = edit(
        project,
        "docs/guides/premiers-secours/premiers-secours-psychologiques.md",
        "sans décider à sa place.",
        "sans décider à sa place, ni la presser.",
    )
    outcome = session.update({changed})
    assert outcome.way == "engine", outcome.reason or outcome.diagnostics
    page = project.site_dir / "guides/premiers-secours/premiers-secours-psychologiques/index.html"
    assert "ni la presser." in page.read_text(encoding="utf-8")
    assert {page: page.stat().st_mtime_ns for page in untouched} == untouched
    session.wait()
    # The English and Arabic translations now say they are older than the French page, as in a full build.
    assert_same_site(project.site_dir, built_now(session, "site-built-5"))


def test_a_guideline_page_added_then_removed_leaves_no_page_behind(session: ServeSession) -> None:
    project = session.project
    original = project.docs_dir / "guides" / "formation" / "gardes-frontieres.md"
    added = original.with_name("gardes-frontieres-copie.md")
    added.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    outcome = session.update({added})
    assert outcome.way == "engine", outcome.reason or outcome.diagnostics
    assert (project.site_dir / "guides/formation/gardes-frontieres-copie/index.html").is_file()
    added.unlink()
    assert session.update({added}).way == "engine"
    assert not (project.site_dir / "guides/formation/gardes-frontieres-copie/index.html").exists()
    session.wait()
    assert_same_site(project.site_dir, built_now(session, "site-built-4"))


def test_a_service_and_a_guideline_saved_together_are_a_full_build(session: ServeSession) -> None:
    project = session.project
    page = edit(project, "docs/index.md", "title: Relais", "title: Relais, ensemble")
    service = edit(project, SERVICE, "status: active", "status: temporarily closed")
    assert session.update({page, service}).way == "full"
    edit(project, "docs/index.md", "title: Relais, ensemble", "title: Relais")
    edit(project, SERVICE, "status: temporarily closed", "status: active")
    assert session.update({page, service}).way == "full"
    session.wait()


def test_an_invalid_edit_leaves_the_served_site_as_it_was(session: ServeSession) -> None:
    project = session.project
    before = tree(project.site_dir)
    changed = edit(project, SERVICE, "status: active", "status: ouvert")
    outcome = session.update({changed})
    assert outcome.way == "failed"
    assert any(d.rule == "DIR002" or d.is_error for d in outcome.diagnostics)
    assert tree(project.site_dir) == before
    edit(project, SERVICE, "status: ouvert", "status: active")
    assert session.update({changed}).way in {"quick", "none"}
    session.wait()


def test_a_service_made_inactive_leaves_the_search_and_gives_the_built_site(session: ServeSession) -> None:
    project = session.project
    changed = edit(project, "directory/services/ML/kita/test-equipe-mobile.yml", "status: active", "status: inactive")
    outcome = session.update({changed})
    assert outcome.way == "quick", outcome.reason
    page = project.site_dir / "annuaire/services/test-equipe-mobile/index.html"
    assert "data-pagefind-body" not in page.read_text(encoding="utf-8")
    session.wait()
    assert_same_site(project.site_dir, built_now(session, "site-built-3"))
