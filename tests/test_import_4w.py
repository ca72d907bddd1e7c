"""`relais import 4w` and `relais import table`: the 4Ws tool's workbook, our own 4w.csv, and a mapped Kobo export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from import_support import (
    FOUR_W_ENGLISH,
    FOUR_W_ROWS,
    IMPORTS,
    KOBO_MAPPING,
    all_files,
    entry,
    import_project,
    run_import,
    service_files,
    validates,
    write_four_w_workbook,
)
from relais.core.project import Project
from relais.export import write_all_exports
from relais.importers.four_w import INTERVENTIONS
from relais.model.directory import load_directory
from relais.model.public import public_directory

BAD = IMPORTS / "bad"
CASABLANCA = "MA/casablanca/ma-casablanca-ecoute-individuelle-exemple-ae4w.yml"
BAMAKO = "ML/bamako/ml-bamako-gestion-de-cas-exemple-reseau-exemple-4w.yml"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return import_project(tmp_path / "project")


def with_cell(row: tuple[object, ...], heading: str, value: object) -> tuple[object, ...]:
    cells = list(row)
    cells[FOUR_W_ENGLISH.index(heading)] = value
    return tuple(cells)


@pytest.mark.parametrize("french", [False, True], ids=["english-headings", "french-headings"])
def test_a_4w_workbook_becomes_one_entry_per_activity_and_place(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str], french: bool
) -> None:
    workbook = write_four_w_workbook(tmp_path / "4w.xlsx", french=french)
    run = run_import(project, capsys, "4w", workbook, "--language", "fr")
    assert run.code == 0, run.text
    assert sorted(service_files(project)) == [CASABLANCA, BAMAKO]
    casablanca = entry(project, CASABLANCA)
    # two rows of one activity in one place: one entry, both intervention codes as categories
    assert casablanca["categories"] == [INTERVENTIONS["1.8"][0], INTERVENTIONS["1.9"][0]]
    assert casablanca["populations"] == ["migrants", "femmes"]
    assert casablanca["languages"] == ["fr", "ar"]
    assert casablanca["verified"]["method"] == "imported"
    assert casablanca["sources"][0]["record"] == "4Ws!4"
    assert entry(project, BAMAKO)["populations"] == ["migrants-de-retour"]
    assert validates(project, capsys)


def test_general_activities_are_reported_not_turned_into_services(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "4w", write_four_w_workbook(tmp_path / "4w.xlsx"), "--language", "fr")
    assert "4w.xlsx[4Ws]:6:8: IMP014 [warning] code 2.2 (Training) is a general activity" in run.out
    assert not any("formation" in name for name in service_files(project))


def test_contact_persons_names_are_never_imported_roles_are(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "4w", write_four_w_workbook(tmp_path / "4w.xlsx"), "--language", "fr")
    assert "4w.xlsx[4Ws]:4:16: IMP015 [warning] `Contact name` holds personal data" in run.out
    written = "".join(content.decode() for content in all_files(project).values())
    assert "Personne Exemple" not in written
    assert entry(project, CASABLANCA)["phones"][0]["note"]["fr"] == "Psychologue"


def test_columns_with_no_home_are_listed(tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_import(project, capsys, "4w", write_four_w_workbook(tmp_path / "4w.xlsx"), "--language", "fr")
    assert "4w.xlsx[4Ws]:4:20: IMP010 [warning] `number of beneficiaries` has no place" in run.out
    assert "4w.xlsx[4Ws]:7:21: IMP010 [warning] `remarks` has no place" in run.out


def test_re_importing_the_workbook_changes_nothing(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = write_four_w_workbook(tmp_path / "4w.xlsx")
    run_import(project, capsys, "4w", workbook, "--language", "fr")
    before = all_files(project)
    again = run_import(project, capsys, "4w", workbook, "--language", "fr")
    assert again.out.rstrip().endswith("relais import 4w: 0 changes")
    assert all_files(project) == before


@pytest.mark.parametrize(
    ("heading", "value", "located"),
    [
        ("Intervention code", "9.9", "4w.xlsx[4Ws]:4:8: IMP004 `9.9` is not an intervention code"),
        ("Start date", "le 32 mars", "4w.xlsx[4Ws]:4:13: IMP005 `le 32 mars` in `Start date` is not a date"),
        ("Admin 3", "Atlantide", "4w.xlsx[4Ws]:4:7: IMP006 `Atlantide` is not a city of directory/places.yml"),
    ],
)
def test_a_bad_cell_is_an_error_naming_sheet_row_and_column_and_nothing_is_written(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str], heading: str, value: str, located: str
) -> None:
    rows = (with_cell(FOUR_W_ROWS[0], heading, value), *FOUR_W_ROWS[1:])
    if heading == "Admin 3":
        rows = tuple(with_cell(with_cell(row, "Admin 2", value), heading, value) for row in rows[:1]) + rows[1:]
    before = all_files(project)
    run = run_import(project, capsys, "4w", write_four_w_workbook(tmp_path / "4w.xlsx", rows), "--language", "fr")
    assert run.code == 1
    assert located in run.err and "nothing was written" in run.err
    assert all_files(project) == before


def test_an_unknown_column_is_an_error_with_a_suggestion(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    path = write_four_w_workbook(tmp_path / "4w.xlsx")
    workbook = load_workbook(path)
    workbook["4Ws"].cell(row=3, column=FOUR_W_ENGLISH.index("Target group") + 1, value="Target grup")
    workbook.save(path)
    run = run_import(project, capsys, "4w", path, "--language", "fr")
    assert run.code == 1
    assert "4w.xlsx[4Ws]:3:11: IMP003 unknown column `Target grup` (did you mean `target group`?)" in run.err


def test_our_own_4w_export_merges_back_into_the_entries(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = import_project(tmp_path / "project", keep_services=True)
    directory, _ = load_directory(project)
    write_all_exports(public_directory(directory), tmp_path / "exports", date(2026, 12, 6), "https://example.org/")
    before = service_files(project)
    run = run_import(project, capsys, "4w", tmp_path / "exports" / "4w.csv")
    assert run.code == 0, run.text
    assert run.out.rstrip().endswith("relais import 4w: 0 changes")
    assert service_files(project) == before


# --- relais import table -------------------------------------------------------------------------------------------


def test_a_kobo_export_imports_with_the_shipped_example_mapping(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "table", IMPORTS / "kobo-exemple.csv", "--mapping", KOBO_MAPPING)
    assert run.code == 0, run.text
    assert sorted(service_files(project)) == [
        "MA/casablanca/ma-casablanca-ecoute-exemple-kobo.yml",
        "MA/rabat/ma-rabat-refuge-exemple-kobo.yml",
    ]
    open_service = entry(project, "MA/casablanca/ma-casablanca-ecoute-exemple-kobo.yml")
    assert open_service["hours"] == "Mo-Fr 09:00-17:00"
    assert open_service["location"]["latitude"] == 33.57
    assert "kobo-exemple.csv:1:18: IMP010 [warning] `remarque_enqueteur` has no place" in run.out
    assert validates(project, capsys)


def test_a_row_the_mapping_marks_confidential_keeps_no_location_and_its_contact_becomes_the_front_door(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    run = run_import(project, capsys, "table", IMPORTS / "kobo-exemple.csv", "--mapping", KOBO_MAPPING)
    assert "kobo-exemple.csv:3: IMP011 [warning] `location` not imported: the entry is confidential" in run.out
    hidden = entry(project, "MA/rabat/ma-rabat-refuge-exemple-kobo.yml")
    assert hidden["visibility"] == "confidential"
    assert "location" not in hidden and "phones" not in hidden and "email" not in hidden
    assert hidden["front_door"]["phones"][0]["number"] == "+212 5 22 00 00 08"
    written = "".join(content.decode() for content in all_files(project).values())
    assert "Secrète" not in written and "34.0" not in written


def test_an_unknown_place_in_a_table_names_the_row(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_import(project, capsys, "table", BAD / "unknown-place.csv", "--mapping", KOBO_MAPPING)
    assert run.code == 1
    assert "unknown-place.csv:3:5: IMP006 `Atlantide` is not a city of directory/places.yml" in run.err
    assert service_files(project) == {}


def test_an_invalid_mapping_file_is_a_located_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    run = run_import(project, capsys, "table", BAD / "unknown-place.csv", "--mapping", BAD / "bad-mapping.yml")
    assert run.code == 1
    assert "bad-mapping.yml:1:1: IMP007 unknown key `colonnes_inconnues`" in run.err
