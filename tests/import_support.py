"""Shared helpers of the `relais import` tests: a throwaway project, running the command, reading entries back."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from relais.cli import main
from relais.core.project import Project
from relais.export.open_data import phone_e164
from relais.model.directory import load_directory
from relais.model.public import PublicService, Verification, public_directory
from relais.model.yamldoc import read_yaml_mapping
from support import FIXTURES, REPO

IMPORTS = FIXTURES / "import"
IMPORT_DATE = "2026-12-06"
KOBO_MAPPING = REPO / "scripts" / "relais" / "importers" / "mapping-exemple-kobo.yml"


def import_project(root: Path, keep_services: bool = False) -> Project:
    """A copy of our directory (places, taxonomy, organisations) without its services, unless asked."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "directory", root / "directory")
    if not keep_services:
        shutil.rmtree(root / "directory" / "services")
        (root / "directory" / "services").mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs").mkdir()
    return Project.at(root)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run_import(project: Project, capsys: pytest.CaptureFixture[str], *args: str | Path) -> Run:
    capsys.readouterr()
    code = main(["--project", str(project.root), "import", *map(str, args), "--as-of", IMPORT_DATE])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def service_files(project: Project) -> dict[str, str]:
    folder = project.directory_dir / "services"
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.yml"))}


def all_files(project: Project) -> dict[str, bytes]:
    folder = project.directory_dir
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def entry(project: Project, relative: str) -> dict[str, Any]:
    doc, problems = read_yaml_mapping(project.directory_dir / "services" / relative, relative)
    assert doc is not None and not problems
    return doc.value


def published_view(service: PublicService) -> PublicService:
    """What a round trip must keep: everything the site publishes of a service, except who verified it and from
    which source (an import says "imported, not yet verified" and cites the file it read)."""
    country = service.country
    return replace(
        service,
        verification=Verification(None, "", ""),
        sources=(),
        stale=False,
        phones=tuple(replace(p, number=phone_e164(p, country)) for p in service.phones),
        front_door=service.front_door
        and replace(
            service.front_door,
            phones=tuple(replace(p, number=phone_e164(p, country)) for p in service.front_door.phones),
        ),
    )


def directory_views(project: Project) -> dict[str, PublicService]:
    """The public projection of every service of the project, as `published_view` compares it."""
    directory, problems = load_directory(project)
    assert not problems
    return {service.id: published_view(service) for service in public_directory(directory).services}


FOUR_W_ENGLISH = (
    "Organization", "Acronym", "Implementing partner", "Country", "Admin 1", "Admin 2", "Admin 3",
    "Intervention code", "Intervention", "Activity description", "Target group", "Languages", "Start date",
    "End date", "Status", "Contact name", "Contact role", "Contact phone", "Contact email",
    "Number of beneficiaries", "Remarks",
)  # fmt: skip
FOUR_W_FRENCH = (
    "Nom de l'organisation", "Sigle", "Partenaire de mise en œuvre", "Pays", "Région (Admin 1)",
    "Préfecture / cercle (Admin 2)", "Commune / ville (Admin 3)", "Code de l'intervention",
    "Intitulé de l'intervention", "Description de l'activité", "Groupe cible", "Langues", "Date de début",
    "Date de fin", "Statut", "Nom du contact", "Fonction du contact", "Téléphone du contact", "Courriel du contact",
    "Nombre de bénéficiaires", "Remarques",
)  # fmt: skip
# Fictitious rows in the 4Ws tool's layout (same order as the headings above). Every organisation, phone and e-mail
# is invented; none describes a real service.
FOUR_W_ROWS: tuple[tuple[object, ...], ...] = (
    (
        "Association Exemple 4W", "AE4W", "", "Morocco", "Casablanca-Settat", "Casablanca", "Casablanca", "1.8",
        "Écoute individuelle Exemple", "Service FICTIF : écoute individuelle.", "Migrants; Women", "fr, ar",
        "2026-01-15", "2026-12-31", "Ongoing", "Personne Exemple", "Psychologue", "+212 5 22 00 00 21",
        "ecoute4w@example.org", 120, "",
    ),
    (
        "Association Exemple 4W", "AE4W", "", "Morocco", "Casablanca-Settat", "Casablanca", "Casablanca", "1.9",
        "Écoute individuelle Exemple", "Service FICTIF : écoute individuelle.", "Migrants", "fr",
        "2026-01-15", "2026-12-31", "Ongoing", "", "", "", "", 40, "",
    ),
    (
        "Association Exemple 4W", "AE4W", "", "Morocco", "Rabat-Salé-Kénitra", "Rabat", "Rabat", "2.2",
        "Formation Exemple", "Formation FICTIVE.", "Health workers", "fr", "2026-03-01", "2026-03-05",
        "Completed", "", "", "", "", 25, "",
    ),
    (
        "Réseau Exemple 4W", "", "", "Mali", "Bamako", "Bamako", "Bamako", "1.7",
        "Gestion de cas Exemple", "Service FICTIF : gestion de cas.", "Returnees", "fr, bm",
        "2026-02-01", "", "Ongoing", "", "Point focal", "+223 20 22 00 01", "", "", "Financement à confirmer",
    ),
)  # fmt: skip


def write_four_w_workbook(path: Path, rows: tuple[tuple[object, ...], ...] = FOUR_W_ROWS, french: bool = False) -> Path:
    """A workbook in the layout of the IASC MHPSS 4Ws tool: title and instruction rows above the headings on the
    data sheet, a second sheet of lists (codes and titles), headings in English or French."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "4Ws"
    sheet.append(["IASC MHPSS 4Ws — Who is Where, When, doing What (fictitious test file)"])
    sheet.append(["Fill one row per activity and location. Use the codes of the Lists sheet."])
    sheet.append(list(FOUR_W_FRENCH if french else FOUR_W_ENGLISH))
    for row in rows:
        sheet.append(list(row))
    lists = workbook.create_sheet("Lists")
    lists.append(["Intervention code", "Title"])
    for code, title in (("1.7", "Case-focused psychosocial work"), ("1.8", "Psychological intervention")):
        lists.append([code, title])
    workbook.save(path)
    return path


def validates(project: Project, capsys: pytest.CaptureFixture[str]) -> bool:
    """`relais validate` passes on the project (after an import)."""
    code = main(["--project", str(project.root), "validate", "--as-of", IMPORT_DATE])
    output = capsys.readouterr()
    assert code == 0, output.out + output.err
    return True
