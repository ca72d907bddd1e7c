"""`relais new service` and `relais new page`: files that start valid (or fail only where the editor must write)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from relais.check.project import validate_project
from relais.check.translations import file_revision
from relais.cli import main
from relais.core.project import Project
from relais.model.guidelines import load_page, page_files
from relais.model.yamldoc import read_yaml_mapping
from relais.render.scaffold import slugify, unique_service_id
from support import AS_OF, REPO, copy_project

YAMLLINT = Path(sys.executable).parent / "yamllint"
PLACEHOLDERS = ("À COMPLÉTER", "TO TRANSLATE:", "للترجمة:")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the real project: real places, organisations, vocabulary and pages."""
    return copy_project(tmp_path)


def relais(project: Project, *args: str) -> int:
    return main(["--project", str(project.root), *args, "--as-of", AS_OF.isoformat()])


def problems_in(project: Project, path: Path) -> list[str]:
    shown = project.display(path)
    return [f"{d.rule} {d.message}" for d in validate_project(project, AS_OF) if d.path == shown]


def service_data(path: Path) -> dict:
    doc, problems = read_yaml_mapping(path, path.name)
    assert doc is not None and not problems
    return doc.value


# --- relais new service -------------------------------------------------------------------------------------------


def test_new_service_file_passes_validation_with_the_real_vocabulary(project: Project) -> None:
    assert relais(project, "new", "service", "--country", "MA", "--city", "rabat", "--name", "Centre d'écoute") == 0
    path = project.directory_dir / "services" / "MA" / "rabat" / "ma-rabat-centre-d-ecoute.yml"
    assert path.is_file()
    assert problems_in(project, path) == []
    assert not [d for d in validate_project(project, AS_OF) if d.is_error]


def test_new_service_is_not_presented_as_checked_or_available(project: Project) -> None:
    relais(project, "new", "service", "--country", "ML", "--city", "kayes")
    data = service_data(project.directory_dir / "services" / "ML" / "kayes" / "ml-kayes-nouveau-service.yml")
    assert data["status"] == "inactive"
    assert "pas encore vérifiées" in data["status_note"]["fr"]
    assert data["verified"]["by"].startswith("pas encore vérifié")
    assert data["verified"]["date"] == AS_OF.isoformat()
    assert data["name"]["fr"].startswith("À COMPLÉTER")
    assert data["visibility"] == "public"
    assert not {"phones", "email", "website", "location", "front_door", "hours"} & set(data)


def test_new_service_file_shows_every_field_of_the_format_with_a_french_comment(project: Project) -> None:
    relais(project, "new", "service", "--country", "MA", "--city", "casablanca")
    text = (project.directory_dir / "services" / "MA" / "casablanca" / "ma-casablanca-nouveau-service.yml").read_text(
        encoding="utf-8"
    )
    schema = json.loads((REPO / "directory" / "schema" / "service.schema.json").read_text(encoding="utf-8"))
    lines = text.splitlines()
    for key in schema["properties"]:
        at = next(i for i, line in enumerate(lines) if re.match(rf"^#? ?{key}:", line))
        above = at - 1
        while re.match(r"^#( [a-z_]+:|\s{2,})", lines[above]):  # other commented-out fields of the same group
            above -= 1
        explanation = lines[above]
        assert explanation.startswith("# ") and not re.match(r"^# [a-z_]+:", explanation), f"{key} is not explained"
    for key in ("method", "documents", "accepts_undocumented", "cost", "address", "latitude", "area", "cities"):
        assert re.search(rf"^#\s+{key}:", text, flags=re.MULTILINE), key


def test_new_service_file_passes_yamllint_with_the_project_settings(project: Project) -> None:
    relais(project, "new", "service", "--country", "MA", "--city", "casablanca", "--name", "Équipe « Al Amal »")
    path = project.directory_dir / "services" / "MA" / "casablanca" / "ma-casablanca-equipe-al-amal.yml"
    done = subprocess.run(
        [str(YAMLLINT), "--strict", "-c", str(REPO / ".yamllint.yml"), str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_new_service_ids_are_made_unique(project: Project) -> None:
    for _ in range(2):
        assert relais(project, "new", "service", "--country", "MA", "--city", "rabat") == 0
    folder = project.directory_dir / "services" / "MA" / "rabat"
    assert sorted(p.name for p in folder.iterdir()) == [
        "ma-rabat-nouveau-service-2.yml",
        "ma-rabat-nouveau-service.yml",
    ]
    assert unique_service_id("MA", "rabat", "Écoute", {"ma-rabat-ecoute", "ma-rabat-ecoute-2"}) == "ma-rabat-ecoute-3"
    assert slugify("Centre d'écoute « Al Amal » n°2") == "centre-d-ecoute-al-amal-n2"


def test_new_service_uses_the_organization_asked_for(project: Project) -> None:
    args = ("new", "service", "--country", "MA", "--city", "rabat", "--organization", "oim-maroc", "--id", "ma-x")
    assert relais(project, *args) == 0
    assert service_data(project.directory_dir / "services" / "MA" / "rabat" / "ma-x.yml")["organization"] == "oim-maroc"


def test_new_service_defaults_to_the_first_organization(project: Project) -> None:
    relais(project, "new", "service", "--country", "MA", "--city", "rabat", "--id", "ma-y")
    first = sorted(p.stem for p in (project.directory_dir / "organizations").glob("*.yml"))[0]
    assert service_data(project.directory_dir / "services" / "MA" / "rabat" / "ma-y.yml")["organization"] == first


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--country", "FR", "--city", "paris"), "unknown country `FR`; countries in directory/places.yml: MA, ML"),
        (("--country", "MA", "--city", "paris"), "cities in directory/places.yml: casablanca, rabat"),
        (("--country", "MA", "--city", "rabat", "--organization", "nope"), "organisations in directory/organizations/"),
        (("--country", "MA", "--city", "rabat", "--id", "Pas Valide"), "is not a valid id"),
    ],
)
def test_unknown_place_or_organisation_is_refused_with_the_valid_choices(
    project: Project, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: str
) -> None:
    before = sorted((project.directory_dir / "services").rglob("*"))
    assert relais(project, "new", "service", *args) == 1
    assert expected in capsys.readouterr().err
    assert sorted((project.directory_dir / "services").rglob("*")) == before


def test_existing_service_is_never_overwritten(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    existing = next((project.directory_dir / "services").rglob("*.yml"))
    original = existing.read_bytes()
    country, city = existing.parent.parent.name, existing.parent.name
    assert relais(project, "new", "service", "--country", country, "--city", city, "--id", existing.stem) == 1
    assert "already used" in capsys.readouterr().err
    assert existing.read_bytes() == original


def test_name_that_would_not_validate_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert relais(project, "new", "service", "--country", "MA", "--city", "rabat", "--name", "<script>x</script>") == 1
    assert "DIR033" in capsys.readouterr().err
    assert list((project.directory_dir / "services" / "MA" / "rabat").glob("*.yml")) == []


@pytest.mark.parametrize("guide", ["CONTRIBUTING.md", "CONTRIBUTING.en.md", "CONTRIBUTING.ar.md"])
def test_the_template_in_the_guide_validates(project: Project, guide: str) -> None:
    text = (REPO / guide).read_text(encoding="utf-8")
    template = re.search(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert template is not None
    path = project.directory_dir / "services" / "MA" / "casablanca" / "ma-casablanca-nom-du-service.yml"
    path.write_text(template.group(1), encoding="utf-8")
    assert problems_in(project, path) == []


# --- relais new page ----------------------------------------------------------------------------------------------


def test_new_page_fails_only_the_length_and_sources_rules(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert relais(project, "new", "page", "--section", "enfants", "--slug", "mon-guide") == 0
    assert "that is expected" in capsys.readouterr().out
    path = project.docs_dir / "guides" / "enfants" / "mon-guide.md"
    found = {problem.split()[0] for problem in problems_in(project, path)}
    assert found == {"DOC009", "DOC011", "DOC018"}
    page, _ = load_page(path, project.docs_dir, "mon-guide.md")
    assert page is not None and page.meta["review"]["status"] == "draft"
    assert page.meta["topics"] == ["enfants"]  # taken from the section's index.md
    assert [line for line in page.body.splitlines() if line.startswith("## ")][-1] == "## Sources"


def test_new_page_with_title_and_a_filled_body_validates(project: Project) -> None:
    relais(project, "new", "page", "--section", "retour", "--slug", "essai", "--title", "Essai fictif")
    path = project.docs_dir / "guides" / "retour" / "essai.md"
    text = path.read_text(encoding="utf-8").replace("Titre du document, Organisation, année", "Guide fictif, OMS, 2020")
    text = text.replace("## Sources", " ".join(["Phrase fictive de remplissage."] * 160) + "\n\n## Sources")
    text = text.replace("  status: draft\n", "  status: draft\n  checked_against: [iasc-mhpss-2007]\n")
    path.write_text(text, encoding="utf-8")
    assert problems_in(project, path) == []


def test_translation_records_the_current_french_revision(project: Project) -> None:
    french = project.docs_dir / "guides" / "enfants" / "enfants-non-accompagnes.md"
    checked = "  checked_against: [iasc-mhpss-2007, cpms-2019]\n"
    french.write_text(french.read_text(encoding="utf-8").replace("  status: draft\n", "  status: draft\n" + checked))
    (project.docs_dir / "guides" / "enfants" / "enfants-non-accompagnes.ar.md").unlink(missing_ok=True)
    assert (
        relais(project, "new", "page", "--section", "enfants", "--slug", "enfants-non-accompagnes", "--language", "ar")
        == 0
    )
    path = french.with_name("enfants-non-accompagnes.ar.md")
    page, _ = load_page(path, project.docs_dir, path.name)
    assert page is not None
    assert page.meta["translation"]["source_revision"] == file_revision(french)
    assert page.meta["topics"] == load_page(french, project.docs_dir, french.name)[0].meta["topics"]
    assert page.meta["review"]["checked_against"] == ["iasc-mhpss-2007", "cpms-2019"]  # the French page's
    assert "## المصادر" in page.body
    assert page.meta["sensitive"] is True  # Quick exit, as on the French page
    assert problems_in(project, path) == []


def test_translation_needs_its_french_page(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert relais(project, "new", "page", "--section", "enfants", "--slug", "inexistante", "--language", "en") == 1
    assert "create that first" in capsys.readouterr().err
    assert not (project.docs_dir / "guides" / "enfants" / "inexistante.en.md").exists()


def test_new_page_refuses_unknown_sections_and_existing_pages(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert relais(project, "new", "page", "--section", "inconnue", "--slug", "x") == 1
    assert "sections under docs/guides/: enfants" in capsys.readouterr().err
    existing = project.docs_dir / "guides" / "enfants" / "enfants-non-accompagnes.md"
    original = existing.read_bytes()
    assert relais(project, "new", "page", "--section", "enfants", "--slug", "enfants-non-accompagnes") == 1
    assert "already exists" in capsys.readouterr().err
    assert existing.read_bytes() == original


def test_no_unfinished_template_is_published() -> None:
    """A scaffold validates so editors can preview it, but placeholders must not reach the published site."""
    project = Project.at(REPO)
    files = [*project.directory_dir.rglob("*.yml"), *page_files(project.docs_dir, skip_dirs=project.generated_dirs)]
    unfinished = [project.display(p) for p in files if any(m in p.read_text(encoding="utf-8") for m in PLACEHOLDERS)]
    assert unfinished == [], "replace every placeholder (À COMPLÉTER, TO TRANSLATE) before publishing"
