"""`relais import hsds`: every HSDS shape, re-imports, conflicts, confidentiality, bad input, and the round trip."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest

from import_support import (
    IMPORT_DATE,
    IMPORTS,
    all_files,
    directory_views,
    entry,
    import_project,
    run_import,
    service_files,
    validates,
)
from relais.core.project import Project
from relais.export import write_all_exports
from relais.i18n.directory_strings import DIRECTORY_UI
from relais.model.directory import load_directory
from relais.model.public import public_directory
from relais.model.synthetic import write_synthetic_directory
from relais.render.pages import PageSettings, Writer
from relais.rules.catalogue.import_rules import RULES
from support import REPO

MAPPING = IMPORTS / "hsds-correspondance.yml"
BAD = IMPORTS / "bad"
TABULAR = IMPORTS / "hsds-tabulaire"
TABULAR_OPTIONS = ("--country", "ML", "--category", "soutien-psychosocial-individuel", "--population", "migrants")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return import_project(tmp_path / "project")


# --- Shapes ----------------------------------------------------------------------------------------------------


def test_one_service_becomes_an_unverified_entry_with_its_provenance(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-service.json", "--mapping", MAPPING)
    assert run.code == 0, run.text
    assert list(service_files(project)) == ["MA/casablanca/ma-casablanca-ecoute-exemple-casablanca.yml"]
    data = entry(project, "MA/casablanca/ma-casablanca-ecoute-exemple-casablanca.yml")
    assert data["verified"] == {
        "date": IMPORT_DATE,
        "by": "pas encore vérifié (fiche importée par relais import)",
        "method": "imported",
    }
    assert data["sources"] == [
        {
            "title": "hsds-service.json",
            "organization": "Plateforme Exemple (fictive)",
            "date": IMPORT_DATE,
            "record": "/",
            "record_id": "0e1f2a3b-0000-4000-8000-000000000001",
        }
    ]
    assert data["languages"] == ["fr", "ary"]
    assert data["categories"] == ["soutien-psychosocial-individuel"]
    assert validates(project, capsys)


def test_phones_are_normalised_and_an_extension_is_kept_in_the_note(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(project, capsys, "hsds", IMPORTS / "hsds-service.json", "--mapping", MAPPING)
    phones = entry(project, "MA/casablanca/ma-casablanca-ecoute-exemple-casablanca.yml")["phones"]
    assert [p["number"] for p in phones] == ["+212 5 22 00 00 01", "+212 6 00 00 00 02"]
    assert [p["type"] for p in phones] == ["voice", "mobile"]
    assert "12" in json.dumps(phones[1].get("note", {}))


def test_weekly_schedules_become_opening_hours_and_the_rest_goes_to_the_note_and_the_report(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-service.json", "--mapping", MAPPING)
    data = entry(project, "MA/casablanca/ma-casablanca-ecoute-exemple-casablanca.yml")
    assert data["hours"] == "Mo-Fr 09:00-17:00; Sa 09:00-12:00"
    assert "Groupe de parole le premier du mois." in data["hours_note"]["fr"]
    assert "hsds-service.json#/schedules: IMP012 [warning] schedule rule not converted" in run.text


def test_out_of_range_coordinates_are_dropped_with_a_warning(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-service.json", "--mapping", MAPPING)
    location = entry(project, "MA/casablanca/ma-casablanca-ecoute-exemple-casablanca.yml")["location"]
    assert "latitude" not in location and "longitude" not in location
    assert "#/service_at_locations/0/location/longitude: IMP011" in run.text


def test_fields_with_no_home_are_listed_never_dropped_silently(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-service.json", "--mapping", MAPPING)
    for field in ("alternate_name", "wait_time", "organization.tax_status", "address.postal_code", "location.name"):
        assert f"IMP010 [warning] `{field}` has no place in the Relais format" in run.text


def test_person_names_and_personal_e_mails_of_contacts_are_not_imported(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-service.json", "--mapping", MAPPING)
    assert "hsds-service.json#/contacts/0/name: IMP015" in run.text
    written = "".join(all_files(project)[name].decode() for name in all_files(project) if name.endswith(".yml"))
    assert "Personne Exemple" not in written and "personne@example.org" not in written


def test_a_list_the_organisation_form_and_a_data_package_import(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING).code == 0
    nested = run_import(
        project, capsys, "hsds", IMPORTS / "hsds-organisation.json", "--mapping", MAPPING, "--city", "rabat"
    )
    assert nested.code == 0, nested.text
    tabular = run_import(project, capsys, "hsds", TABULAR, *TABULAR_OPTIONS, "--publisher", "Exemple")
    assert tabular.code == 0, tabular.text
    assert sorted(service_files(project)) == [
        "MA/casablanca/ma-casablanca-refuge-exemple.yml",
        "MA/rabat/ma-rabat-groupe-de-parole-exemple.yml",
        "MA/rabat/ma-rabat-permanence-exemple.yml",
        "ML/bamako/ml-bamako-accueil-exemple-bamako.yml",
        "ML/kita/ml-kita-equipe-mobile-exemple-kita.yml",
    ]
    assert entry(project, "MA/rabat/ma-rabat-permanence-exemple.yml")["organization"] == "reseau-exemple"
    assert entry(project, "ML/bamako/ml-bamako-accueil-exemple-bamako.yml")["hours"] == "Mo-Th 08:00-16:00"
    assert validates(project, capsys)


def test_a_zip_of_json_or_of_a_data_package_imports_like_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_zip = tmp_path / "list.zip"
    with zipfile.ZipFile(json_zip, "w") as archive:
        archive.write(IMPORTS / "hsds-list.json", "hsds-list.json")
    package_zip = tmp_path / "package.zip"
    with zipfile.ZipFile(package_zip, "w") as archive:
        for path in TABULAR.iterdir():
            archive.write(path, f"hsds-tabulaire/{path.name}")
    from_files = import_project(tmp_path / "files")
    run_import(from_files, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    run_import(from_files, capsys, "hsds", TABULAR, *TABULAR_OPTIONS, "--publisher", "Exemple")
    from_zips = import_project(tmp_path / "zips")
    assert run_import(from_zips, capsys, "hsds", json_zip, "--mapping", MAPPING).code == 0
    assert run_import(from_zips, capsys, "hsds", package_zip, *TABULAR_OPTIONS, "--publisher", "Exemple").code == 0
    assert sorted(service_files(from_zips)) == sorted(service_files(from_files))


def test_same_input_gives_the_same_ids_and_files_in_another_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = import_project(tmp_path / "a"), import_project(tmp_path / "b")
    for project in (first, second):
        run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    assert service_files(first) == service_files(second)


# --- Dry run, re-import, conflicts -------------------------------------------------------------------------------


def test_dry_run_prints_the_diff_and_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = all_files(project)
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING, "--dry-run")
    assert run.code == 0
    assert "+ directory/services/MA/rabat/ma-rabat-groupe-de-parole-exemple.yml (new service)" in run.out
    assert '    + email: "groupes@example.org"' in run.out
    assert run.out.rstrip().endswith("(dry run: nothing written)")
    assert all_files(project) == before


def test_a_second_import_of_the_same_file_says_0_changes_and_touches_nothing(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    before = all_files(project)
    again = run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    assert again.code == 0
    assert again.out.rstrip().endswith("relais import hsds: 0 changes")
    assert all_files(project) == before


def updated_list(tmp_path: Path) -> Path:
    """The same list a month later: the publisher changed a description and an e-mail."""
    text = (IMPORTS / "hsds-list.json").read_text(encoding="utf-8")
    text = text.replace("pour femmes migrantes", "pour femmes et hommes migrants")
    text = text.replace("groupes@example.org", "groupes-2@example.org")
    path = tmp_path / "hsds-list.json"  # same name: the same source, updated
    path.write_text(text, encoding="utf-8")
    return path


GROUP = "MA/rabat/ma-rabat-groupe-de-parole-exemple.yml"


def edit_entry(project: Project, relative: str, old: str, new: str) -> None:
    path = project.directory_dir / "services" / relative
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_updated_file_shows_per_entry_diffs_and_keeps_an_editors_change(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    edit_entry(project, GROUP, "groupes@example.org", "accueil-groupes@example.org")  # an editor called them
    run = run_import(project, capsys, "hsds", updated_list(tmp_path), "--mapping", MAPPING)
    assert run.code == 0, run.text
    assert f"~ directory/services/{GROUP} (1 field(s) changed)" in run.out
    assert '    ~ description.fr: "Service FICTIF : groupes de parole pour femmes migrantes." -> ' in run.out
    assert (
        "hsds-list.json#/contents/0: IMP013 [warning] ma-rabat-groupe-de-parole-exemple: `email` was changed" in run.out
    )
    assert "email kept" in run.out
    data = entry(project, GROUP)
    assert data["email"] == "accueil-groupes@example.org"
    assert data["description"]["fr"].endswith("pour femmes et hommes migrants.")
    assert validates(project, capsys)


def test_theirs_takes_the_sources_value_on_a_conflict(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    edit_entry(project, GROUP, "groupes@example.org", "accueil-groupes@example.org")
    run = run_import(project, capsys, "hsds", updated_list(tmp_path), "--mapping", MAPPING, "--theirs")
    assert run.code == 0
    assert entry(project, GROUP)["email"] == "groupes-2@example.org"
    assert "0 conflict(s)" in run.out


def test_a_field_only_the_editor_changed_survives_a_re_import(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    edit_entry(project, GROUP, "groupes@example.org", "accueil-groupes@example.org")
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    assert run.out.rstrip().endswith("0 changes")
    assert entry(project, GROUP)["email"] == "accueil-groupes@example.org"


# --- Confidentiality ---------------------------------------------------------------------------------------------


def test_an_address_of_an_entry_the_mapping_marks_confidential_is_never_written(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    source = json.loads((IMPORTS / "hsds-list.json").read_text(encoding="utf-8"))
    hidden = source["contents"][1]["service_at_locations"][0]["location"]
    run = run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    assert "#/contents/1/service_at_locations/0/location: IMP011" in run.text
    data = entry(project, "MA/casablanca/ma-casablanca-refuge-exemple.yml")
    assert data["visibility"] == "confidential" and "location" not in data and "phones" not in data
    written = "\n".join(content.decode() for content in all_files(project).values())
    for value in [hidden.get("latitude"), hidden.get("longitude"), *hidden["addresses"][0].values()]:
        if value and not str(value).startswith("0e1f2a3b") and value not in ("physical", "Casablanca", "MA"):
            assert str(value) not in written, value


def test_a_confidential_entry_with_no_public_contact_is_refused(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", BAD / "confidential-no-door.json", "--mapping", MAPPING)
    assert run.code == 1
    assert "confidential-no-door.json: IMP016 the entry is confidential" in run.err
    assert service_files(project) == {}


# --- Bad input: a located error, non-zero exit, nothing written ----------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "located"),
    [
        ("malformed.json", "malformed.json:5:3: IMP001 cannot read the file: malformed JSON"),
        ("missing-name.json", "missing-name.json#/1/name: IMP002 the service has no `name`"),
        ("bad-date.json", "bad-date.json#/assured_date: IMP005 `2026-13-45` in `assured_date` is not a date"),
        ("bad-phone.json", "bad-phone.json#/phones/0/number: IMP017 `12` is not a valid phone number for MA"),
    ],
)
def test_bad_input_is_a_located_error_and_nothing_is_written(
    project: Project, capsys: pytest.CaptureFixture[str], fixture: str, located: str
) -> None:
    before = all_files(project)
    run = run_import(project, capsys, "hsds", BAD / fixture, "--mapping", MAPPING, "--organization", "oim-maroc")
    assert run.code == 1
    assert located in run.err
    assert "nothing was written" in run.err and "Traceback" not in run.text
    assert all_files(project) == before


def test_information_the_format_needs_and_the_source_lacks_is_an_error_not_an_invention(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", TABULAR, "--country", "ML", "--publisher", "Exemple")
    assert run.code == 1
    assert "hsds-tabulaire/services.csv:2: IMP008 `categories` cannot be taken from the file" in run.err


def test_a_missing_file_is_a_located_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_import(project, capsys, "hsds", IMPORTS / "absent.json")
    assert run.code == 1 and "absent.json: IMP001 cannot read the file" in run.err


def test_a_service_without_a_description_is_written_as_an_inactive_draft(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"id": "0e1f2a3b-0000-4000-8000-000000000501", "name": "Sans description Exemple", "status": "active"}
    path = tmp_path / "sans-description.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    run = run_import(project, capsys, "hsds", path, "--mapping", MAPPING, "--city", "rabat", "--organization", "afak")
    assert "sans-description.json: IMP019 [warning] `description` is missing in the source" in run.text
    data = entry(project, "MA/rabat/ma-rabat-sans-description-exemple.yml")
    assert data["status"] == "inactive" and data["description"]["fr"].startswith("À COMPLÉTER")
    assert validates(project, capsys)


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_page_of_an_imported_entry_says_imported_not_yet_verified(
    project: Project, capsys: pytest.CaptureFixture[str], language: str
) -> None:
    run_import(project, capsys, "hsds", IMPORTS / "hsds-list.json", "--mapping", MAPPING)
    directory, _ = load_directory(project)
    public = public_directory(directory)
    service = next(s for s in public.services if s.id == "ma-rabat-groupe-de-parole-exemple")
    writer = Writer(public, language, PageSettings(repo_url="", as_of=date.fromisoformat(IMPORT_DATE)))
    stamp = "".join(writer.freshness(service))
    assert DIRECTORY_UI[language]["imported"].split("{date}")[0] in stamp
    assert 'role="alert"' in stamp


def test_a_value_the_directory_rules_refuse_is_an_error_before_anything_is_written(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(
        project, capsys, "hsds", IMPORTS / "hsds-service.json", "--country", "MA", "--publisher", "Exemple",
        "--category", "inexistante", "--population", "migrants",
    )  # fmt: skip
    assert run.code == 1
    assert (
        "directory/services/MA/casablanca/ma-casablanca-ecoute-exemple-casablanca.yml: IMP009 "
        "ma-casablanca-ecoute-exemple-casablanca would not validate: DIR011 unknown category `inexistante`"
    ) in run.err
    assert service_files(project) == {}


def test_a_translation_export_with_nothing_to_merge_into_is_reported(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, _ = load_directory(Project.at(REPO))
    write_all_exports(public_directory(directory), tmp_path, date.fromisoformat(IMPORT_DATE), "https://example.org/")
    run = run_import(project, capsys, "hsds", tmp_path / "hsds-en.json")
    assert "hsds-en.json#/services/0: IMP018 [warning] no entry `ma-casablanca-equipe-mobile-smsps`" in run.out
    assert service_files(project) == {}


def test_every_import_rule_has_a_test() -> None:
    tests = "".join(path.read_text(encoding="utf-8") for path in Path(__file__).parent.glob("test_import_*.py"))
    import_rules = [rule.id for rule in RULES]
    assert import_rules and [rule for rule in import_rules if f"{rule} " not in tests] == []


# --- Round trip: export, then import into an empty directory --------------------------------------------------------


def export_then_import(source: Project, target: Project, capsys: pytest.CaptureFixture[str], out: Path) -> None:
    directory, problems = load_directory(source)
    assert not [p for p in problems if p.is_error]
    write_all_exports(public_directory(directory), out, date.fromisoformat(IMPORT_DATE), "https://example.org/relais/")
    for language in ("fr", "en", "ar"):
        run = run_import(target, capsys, "hsds", out / f"hsds-{language}.json")
        assert run.code == 0, run.text


def test_round_trip_of_our_own_directory_gives_the_same_services(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = Project.at(REPO)
    target = import_project(tmp_path / "project")
    export_then_import(source, target, capsys, tmp_path / "exports")
    assert directory_views(target) == directory_views(source)
    assert validates(target, capsys)


def test_round_trip_of_a_generated_directory_gives_the_same_services(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generated = tmp_path / "generated"
    write_synthetic_directory(generated / "directory", 60, seed=11)
    shutil.copy(REPO / "mkdocs.yml", generated / "mkdocs.yml")
    source = Project.at(generated)
    target_root = tmp_path / "target"
    shutil.copytree(generated / "directory", target_root / "directory", ignore=shutil.ignore_patterns("services"))
    (target_root / "directory" / "services").mkdir()
    shutil.copy(REPO / "mkdocs.yml", target_root / "mkdocs.yml")
    target = Project.at(target_root)
    export_then_import(source, target, capsys, tmp_path / "exports")
    views = directory_views(source)
    assert any(view.confidential for view in views.values()) and any(view.location for view in views.values())
    assert directory_views(target) == views
    again = run_import(target, capsys, "hsds", tmp_path / "exports" / "hsds-fr.json")
    assert again.out.rstrip().endswith("0 changes")


# --- The official examples of the HSDS 3.0 specification (tests/fixtures/import/hsds-officiel, CC BY-SA 4.0) ---------

OFFICIAL = IMPORTS / "hsds-officiel"
OFFICIAL_OPTIONS = (
    "--country", "MA", "--city", "casablanca", "--category", "soutien-psychosocial-individuel",
    "--population", "migrants", "--publisher", "Open Referral (exemples HSDS 3.0)",
)  # fmt: skip
WITH_A_SERVICE = [
    "service_full.json",
    "service_list.json",
    "organization_full.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "csv",
]


@pytest.mark.parametrize("example", WITH_A_SERVICE)
def test_every_official_example_with_a_service_imports_cleanly_and_validates(
    project: Project, capsys: pytest.CaptureFixture[str], example: str
) -> None:
    run = run_import(project, capsys, "hsds", OFFICIAL / example, *OFFICIAL_OPTIONS)
    assert run.code == 0, run.text
    assert "1 new service(s)" in run.out and "[warning]" in run.out
    [written] = service_files(project).values()
    assert "verified:" in written and 'method: "imported"' in written
    assert validates(project, capsys)


def test_an_official_organisation_list_has_no_service_to_import(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", OFFICIAL / "organization_list.json", *OFFICIAL_OPTIONS)
    assert run.code == 1
    assert "organization_list.json: IMP001 cannot read the file: no HSDS service in the file" in run.err


def test_the_official_full_service_reports_every_field_with_no_home(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "hsds", OFFICIAL / "service_full.json", *OFFICIAL_OPTIONS)
    reported = set(re.findall(r"IMP010 \[warning\] `([^`]+)` has no place", run.out))
    assert {"accreditations", "alternate_name", "fees", "funding", "licenses", "wait_time", "minimum_age"} <= reported
    assert {"organization.legal_status", "organization.programs", "organization.year_incorporated"} <= reported
    assert "service_full.json#/service_at_locations/0/location/latitude: IMP011" in run.out  # 100.0 is out of range
    assert "service_full.json#/schedules: IMP012" in run.out  # byweekno, bymonthday... have no opening-hours form
    assert "service_full.json#/contacts/0/name: IMP015" in run.out
